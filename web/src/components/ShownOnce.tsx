import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyField } from './CopyField.tsx';
import { IconAlertTriangle } from './icons.tsx';

interface ShownOnceProps {
  /** The test id of the whole panel, e.g. "webhook-created". */
  testId: string;
  /** Under "Shown only this once": where to keep it, and what to do if it is lost. */
  warning: ReactNode;
  /** The copy field's label, e.g. "Signing secret". */
  label: string;
  value: string;
  /** How it is used, under the value. */
  children: ReactNode;
  /** The button that closes the dialog; "I have stored it" unless said otherwise. */
  doneLabel?: string;
  onDone: () => void;
}

/**
 * What a dialog shows after creating something the server keeps only sealed or hashed (a secret, a token, a
 * link): a warning that it is shown once, the value with a copy button, how to use it, and a button to close.
 */
export function ShownOnce({
  testId,
  warning,
  label,
  value,
  children,
  doneLabel = 'I have stored it',
  onDone,
}: ShownOnceProps) {
  return (
    <Stack gap="md" data-testid={testId}>
      <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="Shown only this once">
        {warning}
      </Alert>
      <CopyField label={label} value={value} />
      <Text size="sm">{children}</Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>{doneLabel}</Button>
      </Group>
    </Stack>
  );
}

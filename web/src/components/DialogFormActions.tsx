import type { MantineColor } from '@mantine/core';
import { Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

interface DialogFormActionsProps {
  /** The submit button's label, e.g. "Add webhook". */
  submitLabel: ReactNode;
  /** While the request runs: Cancel is disabled and the submit button spins. */
  pending: boolean;
  onCancel: () => void;
  color?: MantineColor;
}

/** The foot of a dialog's form, on the right: Cancel, then the submit button. */
export function DialogFormActions({ submitLabel, pending, onCancel, color }: DialogFormActionsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" loading={pending} color={color}>
        {submitLabel}
      </Button>
    </Group>
  );
}

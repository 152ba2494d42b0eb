import type { MantineColor } from '@mantine/core';
import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { ErrorAlert } from './ErrorAlert.tsx';

export interface ConfirmReason {
  label: string;
  description?: string;
  /** Characters required; 0 makes the reason optional. */
  minLength: number;
}

export interface ConfirmDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Names the action and the object: "Lock the account of Carl Analyst?" */
  title: string;
  /** What will happen, in words, naming the object again. */
  children: ReactNode;
  confirmLabel: string;
  color?: MantineColor;
  /** Asks for a reason where the policy wants one; it is passed to `onConfirm`. */
  reason?: ConfirmReason;
  pending: boolean;
  error: unknown;
  errorTitle?: string;
  onConfirm: (reason: string) => void;
}

/**
 * Every consequential action goes through this: it names the object, says what will happen, asks for a reason
 * where one is needed, and shows the server's refusal (with its request id) without closing.
 */
export function ConfirmDialog({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  color,
  reason,
  pending,
  error,
  errorTitle,
  onConfirm,
}: ConfirmDialogProps) {
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (opened) {
      setText('');
      setTouched(false);
    }
  }, [opened]);

  const tooShort = reason ? text.trim().length < reason.minLength : false;
  const reasonError =
    reason && touched && tooShort ? `Give a reason of at least ${reason.minLength} characters.` : undefined;

  return (
    <Modal opened={opened} onClose={pending ? () => {} : onClose} title={title} size="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!tooShort) onConfirm(text.trim());
        }}
        noValidate
      >
        <Stack gap="md">
          <div>{children}</div>
          {reason && (
            <Textarea
              label={reason.label}
              description={reason.description}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              autosize
              minRows={2}
              maxLength={500}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={reasonError}
              data-autofocus
            />
          )}
          {error != null && <ErrorAlert error={error} title={errorTitle ?? 'The action was refused'} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" color={color} loading={pending}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

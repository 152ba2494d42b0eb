import { notifications } from '@mantine/notifications';
import type { ConfirmDialogProps } from './ConfirmDialog.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** What ConfirmItemDialog needs of a TanStack mutation. */
interface MutationLike<V> {
  isPending: boolean;
  error: unknown;
  reset: () => void;
  mutate: (variables: V, options: { onSuccess: () => void }) => void;
}

interface ConfirmItemDialogProps<T, V>
  extends Omit<ConfirmDialogProps, 'opened' | 'onClose' | 'pending' | 'error' | 'onConfirm' | 'reason'> {
  /** The row being acted on; the dialog is open while there is one. */
  item: T | null;
  /** Forgets the row (closing the dialog). */
  onClose: () => void;
  mutation: MutationLike<V>;
  /** What the mutation is called with for this row, e.g. its id. */
  variables: (item: T) => V;
  /** The green notification once it is done. */
  done: (item: T) => { title: string; message: string };
  /** Clears the last refusal when the dialog closes, so it does not greet the next row. */
  resetOnClose?: boolean;
}

/**
 * A row action that asks first (delete, revoke, lift): the confirmation runs the mutation on the row, notifies
 * and closes; a refusal stays in the dialog.
 */
export function ConfirmItemDialog<T, V>({
  item,
  onClose,
  mutation,
  variables,
  done,
  resetOnClose = false,
  ...dialog
}: ConfirmItemDialogProps<T, V>) {
  return (
    <ConfirmDialog
      {...dialog}
      opened={item !== null}
      onClose={() => {
        onClose();
        if (resetOnClose) mutation.reset();
      }}
      pending={mutation.isPending}
      error={mutation.error}
      onConfirm={() =>
        item !== null &&
        mutation.mutate(variables(item), {
          onSuccess: () => {
            notifications.show({ color: 'green', ...done(item) });
            onClose();
          },
        })
      }
    />
  );
}

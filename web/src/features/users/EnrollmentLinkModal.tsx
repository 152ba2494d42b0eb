import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ShownOnce } from '../../components/ShownOnce.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { UserDialogProps } from './user-display.tsx';
import { displayName } from './user-display.tsx';
import { useCreateEnrollmentLink } from './users.api.ts';

/**
 * Confirms, then shows the single-use enrolment link once: the server keeps only its hash, so closing the
 * dialog forgets it for good (a new link can always be made; it replaces the old one).
 */
export function EnrollmentLinkModal({ user, opened, onClose }: UserDialogProps) {
  const create = useCreateEnrollmentLink();
  // biome-ignore lint/correctness/useExhaustiveDependencies: forget the link whenever the dialog opens or closes
  useEffect(() => create.reset(), [opened]);
  const link = create.data;
  const name = displayName(user);

  return (
    <Modal
      opened={opened}
      onClose={create.isPending ? () => {} : onClose}
      title={link ? `Enrolment link for ${name}` : `Create an enrolment link for ${name}?`}
      size="lg"
    >
      {link ? (
        <ShownOnce
          testId="enrollment-link"
          warning={
            <>
              Anyone who opens this link can set up the account of {name}. Send it to {user.email} through a channel
              only they read, and do not keep a copy.
            </>
          }
          label="Enrolment link"
          value={link.url}
          onDone={onClose}
          doneLabel="Done"
        >
          Valid until <strong>{formatDateTime(link.expiresAt)}</strong> ({formatRelative(link.expiresAt)}), for one use.
          On that page {name} chooses a password and scans a QR code with an authenticator app; then they can sign in.
        </ShownOnce>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            {name} ({user.email}) gets a single-use link, valid for 24 hours, to choose a password and enrol an
            authenticator app. Any earlier link for this account stops working.
          </Text>
          {create.error != null && <ErrorAlert error={create.error} title="Could not create the link" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={create.isPending}>
              Cancel
            </Button>
            <Button
              loading={create.isPending}
              onClick={() =>
                create.mutate(user.id, {
                  onSuccess: () =>
                    notifications.show({
                      color: 'green',
                      title: 'Enrolment link created',
                      message: `Copy it now and send it to ${user.email}.`,
                    }),
                })
              }
            >
              Create link
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

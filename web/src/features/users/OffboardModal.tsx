import { Alert, Button, Group, List, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle } from '../../components/icons.tsx';
import { formatDateTime, localInputToIso, localTimeZoneName, toLocalInputValue } from '../../lib/format.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import type { UserDialogProps } from './user-display.tsx';
import { displayName } from './user-display.tsx';
import { useOffboardUser } from './users.api.ts';

/** IAM-11: now (everything revoked in one step) or at a departure time (the server does it then). */
export function OffboardModal({ user, opened, onClose }: UserDialogProps) {
  const offboard = useOffboardUser();
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [atError, setAtError] = useState<string | null>(null);
  const name = displayName(user);

  useResetOnOpen(opened, () => {
    setWhen('now');
    setAt('');
    setAtError(null);
    offboard.reset();
  });

  const confirm = () => {
    let iso: string | undefined;
    if (when === 'later') {
      iso = localInputToIso(at);
      if (!iso) return setAtError('Choose the date and time of the departure.');
      if (Date.parse(iso) <= Date.now()) return setAtError('Choose a time in the future, or offboard now.');
    }
    setAtError(null);
    offboard.mutate(
      { id: user.id, at: iso },
      {
        onSuccess: (answer) => {
          notifications.show({
            color: 'green',
            title: iso ? 'Departure scheduled' : 'Account offboarded',
            message: iso
              ? `${name} keeps access until ${formatDateTime(answer.departureAt ?? iso)}; then everything is revoked.`
              : `Every access of ${name} was revoked.`,
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={offboard.isPending ? () => {} : onClose} title={`Offboard ${name}?`} size="lg">
      <Stack gap="md">
        <Text size="sm">
          Offboarding {name} ({user.email}) ends their sessions and revokes their grants, service tokens, roles and any
          enrolment link, all at once. It cannot be undone; the account stays in the records for the audit trail.
        </Text>
        <Radio.Group label="When" value={when} onChange={(v) => setWhen(v === 'later' ? 'later' : 'now')}>
          <Stack gap="xs" mt={6}>
            <Radio value="now" label="Now" />
            <Radio value="later" label="At a date and time (a planned departure)" />
          </Stack>
        </Radio.Group>
        {when === 'later' && (
          <TextInput
            type="datetime-local"
            label="Departure"
            description={`Your local time (${localTimeZoneName()}). Access is revoked automatically then.`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            min={toLocalInputValue(new Date())}
            value={at}
            onChange={(e) => setAt(e.currentTarget.value)}
            error={atError}
            w={280}
          />
        )}
        {when === 'now' && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle />}>
            <List size="sm" spacing={2}>
              <List.Item>Signed out everywhere at once</List.Item>
              <List.Item>Grants, roles and service tokens revoked</List.Item>
              <List.Item>Cannot sign in again</List.Item>
            </List>
          </Alert>
        )}
        {offboard.error != null && <ErrorAlert error={offboard.error} title="Could not offboard" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={offboard.isPending}>
            Cancel
          </Button>
          <Button color="red" loading={offboard.isPending} onClick={confirm}>
            {when === 'now' ? 'Offboard now' : 'Schedule departure'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

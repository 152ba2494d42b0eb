import { Alert, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle } from '../../components/icons.tsx';
import { shortId } from '../../lib/format.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { OwnerSelect } from '../owners/OwnerSelect.tsx';
import { usePlantCanary } from './vault.api.ts';

/** Plants one canary under a chosen data owner, after saying what will happen when anyone reveals it. */
export function PlantCanaryModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const plant = usePlantCanary();
  const [ownerId, setOwnerId] = useState('');
  const [touched, setTouched] = useState(false);

  useResetOnOpen(opened, () => {
    setOwnerId('');
    setTouched(false);
    plant.reset();
  });

  return (
    <Modal opened={opened} onClose={plant.isPending ? () => {} : onClose} title="Plant a canary" size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (!ownerId) return;
          plant.mutate(ownerId, {
            onSuccess: ({ id }) => {
              notifications.show({
                color: 'green',
                title: 'Canary planted',
                message: `Canary ${shortId(id)} now sits among this owner’s records.`,
              });
              onClose();
            },
          });
        }}
      >
        <Stack gap="md">
          <Text size="sm">
            A made-up record is stored under the data owner you choose, encrypted and searchable like any other. Nobody
            without the security role can tell it apart from a real record.
          </Text>
          <OwnerSelect
            value={ownerId}
            onChange={setOwnerId}
            emptyLabel="Choose a data owner…"
            description="Where the canary hides; choose an owner whose records attract attention."
            error={touched && !ownerId ? 'Choose the data owner to plant the canary under.' : undefined}
          />
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} title="When someone reveals it">
            <List size="sm" spacing={2}>
              <List.Item>
                a critical alert is raised at once (and emailed to owners and security analysts, when mail is set up);
              </List.Item>
              <List.Item>the account that revealed it is locked, and its IP address is blocked;</List.Item>
              <List.Item>the reveal and every search that returned it are in the audit log.</List.Item>
            </List>
            <Text size="sm" mt="xs" fw={600}>
              Do not reveal a canary yourself: it would lock your own account.
            </Text>
          </Alert>
          {plant.error != null && <ErrorAlert error={plant.error} title="Could not plant the canary" />}
          <DialogFormActions submitLabel="Plant canary" pending={plant.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

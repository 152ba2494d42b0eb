import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useMe } from '../auth/auth.api.ts';
import { RolesField } from './RolesField.tsx';
import type { UserDialogProps } from './user-display.tsx';
import { displayName } from './user-display.tsx';
import { useChangeRoles, useRoles } from './users.api.ts';

export function ChangeRolesModal({ user, opened, onClose }: UserDialogProps) {
  const { data: me } = useMe();
  const roles = useRoles(opened);
  const change = useChangeRoles();
  const [value, setValue] = useState<string[]>(user.roles);
  const name = displayName(user);

  useResetOnOpen(opened, () => {
    setValue(user.roles);
    change.reset();
  });

  const add = value.filter((r) => !user.roles.includes(r));
  const remove = user.roles.filter((r) => !value.includes(r));
  const unchanged = add.length === 0 && remove.length === 0;

  const confirm = () =>
    change.mutate(
      { id: user.id, add, remove },
      {
        onSuccess: (answer) => {
          notifications.show({
            color: 'green',
            title: 'Roles changed',
            message: `${name} now has: ${answer.roles.join(', ') || 'no roles'}.`,
          });
          onClose();
        },
      },
    );

  return (
    <Modal
      opened={opened}
      onClose={change.isPending ? () => {} : onClose}
      title={`Change the roles of ${name}`}
      size="lg"
    >
      <Stack gap="md">
        <RolesField
          roles={roles.data}
          loading={roles.isPending}
          canGiveOwner={me?.user.roles.includes('owner') ?? false}
          value={value}
          onChange={setValue}
        />
        {roles.isError && <ErrorAlert error={roles.error} title="Could not load the roles" />}
        {!unchanged && (
          <Text size="sm" data-testid="roles-change-summary">
            {add.length > 0 && (
              <>
                Adds <strong>{add.join(', ')}</strong>.{' '}
              </>
            )}
            {remove.length > 0 && (
              <>
                Removes <strong>{remove.join(', ')}</strong>.
              </>
            )}
          </Text>
        )}
        {remove.length > 0 && (
          <Alert color="orange" variant="light" icon={<IconInfo />}>
            Removing a role ends the sessions of {name} at once, so the narrower rights apply from their next sign-in.
          </Alert>
        )}
        {change.error != null && <ErrorAlert error={change.error} title="Could not change the roles" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={change.isPending}>
            Cancel
          </Button>
          <Button loading={change.isPending} disabled={unchanged} onClick={confirm}>
            Save roles
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { DialogFormActions } from '../../components/DialogFormActions.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconCheck } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useMe } from '../auth/auth.api.ts';
import { RolesField } from './RolesField.tsx';
import { useCreateUser, useRoles } from './users.api.ts';

interface Values {
  email: string;
  name: string;
  roles: string[];
}

const empty: Values = { email: '', name: '', roles: [] };

/** `POST /users`: the account waits for approval by someone other than its creator (IAM-07). */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { data: me } = useMe();
  const roles = useRoles(opened);
  const create = useCreateUser();
  const [created, setCreated] = useState<{ id: string; name: string; email: string } | null>(null);
  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      email: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid email address.'),
      name: (v) => (v.trim() ? null : 'Enter the person’s full name.'),
      roles: (v) => (v.length > 0 ? null : 'Choose at least one role.'),
    },
  });

  useResetOnOpen(opened, () => {
    form.reset();
    create.reset();
    setCreated(null);
  });

  const submit = form.onSubmit((values) =>
    create.mutate(
      { email: values.email.trim(), name: values.name.trim(), roles: values.roles },
      {
        onSuccess: (answer) => {
          setCreated({ id: answer.id, name: values.name.trim(), email: values.email.trim() });
          notifications.show({
            color: 'green',
            title: 'Account created',
            message: `${values.email.trim()} is waiting for approval by someone else.`,
          });
        },
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'identity.email_taken') form.setFieldError('email', error.message);
          else if (error.code === 'roles.unknown' || error.code === 'users.role_not_assignable')
            form.setFieldError('roles', error.message);
          else if (invalidFields(error).includes('body.email')) form.setFieldError('email', error.message);
        },
      },
    ),
  );

  const fieldError =
    isApiError(create.error) &&
    (['identity.email_taken', 'roles.unknown', 'users.role_not_assignable'].includes(create.error.code) ||
      invalidFields(create.error).includes('body.email'));

  return (
    <Modal opened={opened} onClose={onClose} title={created ? 'Account created' : 'Create user'} size="lg">
      {created ? (
        <Stack gap="md" data-testid="user-created">
          <Alert color="green" variant="light" icon={<IconCheck />} title="Waiting for approval by someone else">
            <Text size="sm">
              The account of <strong>{created.name}</strong> ({created.email}) exists but cannot be used yet. Because
              you created it, another administrator must approve it (four-eyes rule). Once approved, open the account
              and create an enrolment link to send to the person.
            </Text>
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Close
            </Button>
            <Button component={Link} to={`/users/${created.id}`} onClick={onClose}>
              Open the account
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput label="Email" type="email" autoComplete="off" data-autofocus {...form.getInputProps('email')} />
            <TextInput label="Full name" autoComplete="off" {...form.getInputProps('name')} />
            <RolesField
              roles={roles.data}
              loading={roles.isPending}
              canGiveOwner={me?.user.roles.includes('owner') ?? false}
              value={form.values.roles}
              onChange={(v) => form.setFieldValue('roles', v)}
              error={form.errors.roles}
            />
            {roles.isError && <ErrorAlert error={roles.error} title="Could not load the roles" />}
            {create.error != null && !fieldError && (
              <ErrorAlert error={create.error} title="Could not create the user" />
            )}
            <Text size="xs" c="dimmed">
              The person cannot sign in until someone other than you approves the account and they enrol with a link.
            </Text>
            <DialogFormActions submitLabel="Create user" pending={create.isPending} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}

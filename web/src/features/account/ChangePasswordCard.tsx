import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NewPasswordFields, PasswordField } from '../../components/PasswordFields.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { checkPassword, defaultPasswordPolicy, describePasswordPolicy } from '../../lib/password-policy.ts';
import { useMe, usePasswordPolicy } from '../auth/auth.api.ts';
import { useChangePassword } from './account.api.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const atField = ['identity.current_password_wrong', 'identity.password_policy', 'identity.password_reused'];

/** IAM-10: policy, breached-password list and the last 12 passwords apply; the server says which failed. */
export function ChangePasswordCard() {
  const { data: me } = useMe();
  const policy = usePasswordPolicy().data ?? defaultPasswordPolicy;
  const change = useChangePassword();
  const form = useForm<Values>({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password.'),
      newPassword: (v, values) =>
        checkPassword(v, policy, me?.user.email) ??
        (v === values.currentPassword ? 'Choose a password different from the current one.' : null),
      confirmPassword: (v, values) => (v === values.newPassword ? null : 'The passwords do not match.'),
    },
  });

  const submit = form.onSubmit(({ currentPassword, newPassword }) =>
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          form.reset();
          notifications.show({
            color: 'green',
            title: 'Password changed',
            message: 'Use the new password from your next sign-in.',
          });
        },
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'identity.current_password_wrong') {
            form.setFieldValue('currentPassword', '');
            form.setFieldError('currentPassword', error.message);
          } else if (error.code === 'identity.password_policy' || error.code === 'identity.password_reused') {
            form.setFieldError('newPassword', error.message);
          }
        },
      },
    ),
  );

  const unexpected = change.error != null && !(isApiError(change.error) && atField.includes(change.error.code));

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="password-heading">
      <Title order={3} size="h4" id="password-heading" mb="sm">
        Change password
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={420}>
          <PasswordField
            label="Current password"
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <NewPasswordFields
            label="New password"
            confirmLabel="Confirm new password"
            description={`${describePasswordPolicy(policy)} Not one of your last 12.`}
            password={form.getInputProps('newPassword')}
            confirm={form.getInputProps('confirmPassword')}
          />
          {unexpected && <ErrorAlert error={change.error} title="Could not change the password" />}
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
          <Text size="xs" c="dimmed">
            Your current session stays signed in.
          </Text>
        </Stack>
      </form>
    </Card>
  );
}

import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useLogin } from './auth.api.ts';

interface LoginCredentialsStepProps {
  email: string;
  notice: string | null;
  onChallenge: (challengeId: string, email: string, methods: string[]) => void;
}

// See SetupAccountStep: keeps "Password" the only control whose label says "password".
const toggleProps = { 'aria-label': 'Show typed text' };

export function LoginCredentialsStep({ email, notice, onChallenge }: LoginCredentialsStepProps) {
  const login = useLogin();
  const form = useForm({
    initialValues: { email, password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your email address.'),
      password: (v) => (v ? null : 'Enter your password.'),
    },
  });

  const submit = form.onSubmit(({ email: typed, password }) =>
    login.mutate(
      { email: typed.trim(), password },
      {
        onSuccess: (answer) => onChallenge(answer.challengeId, typed.trim(), answer.methods ?? []),
        // Never say which of the two was wrong (or that the account is locked): the server does not either.
        onError: () => form.setFieldValue('password', ''),
      },
    ),
  );

  const invalid = isApiError(login.error) && login.error.code === 'auth.invalid_credentials';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {notice && (
          <Alert color="blue" variant="light" icon={<IconInfo />} role="status">
            {notice}
          </Alert>
        )}
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus={!email}
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          autoFocus={!!email}
          visibilityToggleButtonProps={toggleProps}
          {...form.getInputProps('password')}
        />
        {login.error != null && (
          <ErrorAlert
            error={login.error}
            title={invalid ? 'Sign-in failed' : 'Could not sign in'}
            message={invalid ? 'Email or password is incorrect.' : undefined}
          />
        )}
        <Button type="submit" loading={login.isPending} fullWidth>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

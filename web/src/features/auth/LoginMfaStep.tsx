import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useMfa } from './auth.api.ts';

interface LoginMfaStepProps {
  challengeId: string;
  onSignedIn: () => void;
  onExpired: () => void;
  onBack: () => void;
}

export function LoginMfaStep({ challengeId, onSignedIn, onExpired, onBack }: LoginMfaStepProps) {
  const mfa = useMfa();
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.trim()) ? null : 'Enter the 6-digit code shown by your app.') },
  });

  const submit = form.onSubmit(({ code }) =>
    mfa.mutate(
      { challengeId, code: code.trim() },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (!isApiError(error)) return;
          if (error.code === 'auth.challenge_expired') onExpired();
          else if (error.code === 'auth.mfa_invalid') {
            // A wrong code may be retried with the next one the app shows.
            form.setValues({ code: '' });
            form.setFieldError('code', 'That code is not valid. Enter the current code from your app.');
          }
        },
      },
    ),
  );

  const unexpected =
    mfa.error != null &&
    !(isApiError(mfa.error) && ['auth.mfa_invalid', 'auth.challenge_expired'].includes(mfa.error.code));

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">Open your authenticator app and enter the 6-digit code it shows for Strongroom.</Text>
        <TextInput
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          autoFocus
          {...form.getInputProps('code')}
        />
        {unexpected && <ErrorAlert error={mfa.error} title="Could not verify the code" />}
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={mfa.isPending}>
            Back
          </Button>
          <Button type="submit" loading={mfa.isPending}>
            Verify
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

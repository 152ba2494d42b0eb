import { Button, Divider, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NewPasswordFields } from '../../components/PasswordFields.tsx';
import { TotpEnrolmentPanel } from '../../components/TotpEnrolmentPanel.tsx';
import { checkPassword, defaultPasswordPolicy, describePasswordPolicy } from '../../lib/password-policy.ts';
import { usePasswordPolicy } from '../auth/auth.api.ts';
import type { EnrollmentStart } from './enroll.api.ts';
import { accountOfOtpauth, useEnrollmentComplete } from './enroll.api.ts';
import { placeOfEnrollError } from './enroll-errors.ts';

interface Values {
  password: string;
  confirmPassword: string;
  code: string;
}

// See SetupAccountStep: keeps "Password" the only control whose label says "password".

interface EnrollFormProps {
  token: string;
  enrolment: EnrollmentStart;
  onDone: (email: string) => void;
  onTokenInvalid: (error: unknown) => void;
  onRestart: () => void;
}

export function EnrollForm({ token, enrolment, onDone, onTokenInvalid, onRestart }: EnrollFormProps) {
  const policy = usePasswordPolicy().data ?? defaultPasswordPolicy;
  const complete = useEnrollmentComplete(token);
  const email = accountOfOtpauth(enrolment.otpauthUrl);
  const form = useForm<Values>({
    initialValues: { password: '', confirmPassword: '', code: '' },
    validate: {
      password: (v) => checkPassword(v, policy, email),
      confirmPassword: (v, values) => (v === values.password ? null : 'The passwords do not match.'),
      code: (v) => (/^\d{6}$/.test(v.trim()) ? null : 'Enter the 6-digit code shown by your app.'),
    },
  });

  const submit = form.onSubmit(({ password, code }) =>
    complete.mutate(
      { password, totpCode: code.trim() },
      {
        onSuccess: (answer) => onDone(answer.user.email),
        onError: (error) => {
          const place = placeOfEnrollError(error);
          if (place === 'token') onTokenInvalid(error);
          else if (place === 'password') form.setFieldError('password', error.message);
          else if (place === 'code') {
            form.setFieldValue('code', '');
            form.setFieldError('code', error.message);
          }
        },
      },
    ),
  );

  const place = complete.error != null ? placeOfEnrollError(complete.error) : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {email && (
          <Text size="sm">
            You are setting up <strong>{email}</strong>.
          </Text>
        )}
        <Text size="sm" fw={600}>
          1. Your authenticator app
        </Text>
        <Text size="sm">
          Scan this QR code with an authenticator app (such as Aegis, Google Authenticator, 1Password or FreeOTP), or
          type the secret key into it.
        </Text>
        <TotpEnrolmentPanel otpauthUrl={enrolment.otpauthUrl} secret={enrolment.totpSecret} />
        <Divider />
        <Text size="sm" fw={600}>
          2. Your password
        </Text>
        <NewPasswordFields
          description={describePasswordPolicy(policy)}
          password={form.getInputProps('password')}
          confirm={form.getInputProps('confirmPassword')}
        />
        <Divider />
        <Text size="sm" fw={600}>
          3. Confirm with a code
        </Text>
        <TextInput
          label="Authentication code"
          description="The 6-digit code your app shows now for Strongroom."
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          w={220}
          {...form.getInputProps('code')}
        />
        {place === 'restart' && (
          <ErrorAlert
            error={complete.error}
            title="The enrolment has to start again"
            message="The server has no QR code on record for this link. Scan the new code shown after you press Try again."
            onRetry={() => {
              complete.reset();
              onRestart();
            }}
          />
        )}
        {place === 'unexpected' && <ErrorAlert error={complete.error} title="Could not complete the enrolment" />}
        <Button type="submit" loading={complete.isPending} fullWidth>
          Complete enrolment
        </Button>
      </Stack>
    </form>
  );
}

import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NewPasswordFields } from '../../components/PasswordFields.tsx';
import { checkPassword, defaultPasswordPolicy, describePasswordPolicy } from '../../lib/password-policy.ts';
import { usePasswordPolicy } from '../auth/auth.api.ts';

export interface AccountValues {
  email: string;
  name: string;
  password: string;
  confirmPassword: string;
}

/** Server answers (`identity.password_policy`, `identity.email_taken`…) shown at the field they are about. */
export type AccountFieldErrors = Partial<Record<'email' | 'password', string>>;

interface SetupAccountStepProps {
  initialValues: AccountValues;
  fieldErrors: AccountFieldErrors;
  submitting: boolean;
  /** An unexpected failure of `setup/start` (an invalid token replaces the whole page instead). */
  error: unknown;
  onSubmit: (values: AccountValues) => void;
}

// Mantine's toggle is labelled "Toggle password visibility" by default, which a label lookup for
// "Password" would also match; a label without the word keeps the field's label unique.

export function SetupAccountStep({ initialValues, fieldErrors, submitting, error, onSubmit }: SetupAccountStepProps) {
  const policy = usePasswordPolicy().data ?? defaultPasswordPolicy;
  const form = useForm<AccountValues>({
    initialValues,
    initialErrors: fieldErrors,
    validate: {
      email: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? null : 'Enter a valid email address.'),
      name: (v) => (v.trim() ? null : 'Enter your full name.'),
      password: (v) => checkPassword(v, policy),
      confirmPassword: (v, values) => (v === values.password ? null : 'The passwords do not match.'),
    },
  });

  return (
    <form onSubmit={form.onSubmit((values) => onSubmit({ ...values, email: values.email.trim() }))} noValidate>
      <Stack gap="md">
        <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
        <TextInput label="Full name" autoComplete="name" {...form.getInputProps('name')} />
        <NewPasswordFields
          description={describePasswordPolicy(policy)}
          password={form.getInputProps('password')}
          confirm={form.getInputProps('confirmPassword')}
        />
        {error != null && <ErrorAlert error={error} title="Could not start the authenticator enrolment" />}
        <Text size="xs" c="dimmed">
          Next you will scan a QR code with an authenticator app; every sign-in asks for its code.
        </Text>
        <Button type="submit" loading={submitting} fullWidth>
          Continue
        </Button>
      </Stack>
    </form>
  );
}

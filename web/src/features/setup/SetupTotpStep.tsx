import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { TotpEnrolmentPanel } from '../../components/TotpEnrolmentPanel.tsx';
import type { SetupStartResponse } from './setup.api.ts';
import { placeOfSetupError } from './setup-errors.ts';

interface SetupTotpStepProps {
  enrolment: SetupStartResponse;
  submitting: boolean;
  error: unknown;
  onBack: () => void;
  onSubmit: (code: string, onCodeError: (message: string) => void) => void;
}

export function SetupTotpStep({ enrolment, submitting, error, onBack, onSubmit }: SetupTotpStepProps) {
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.trim()) ? null : 'Enter the 6-digit code shown by your app.') },
  });
  // Known failures are shown where they can be fixed (this field, step 1, or a page-wide notice).
  const unexpected = error != null && placeOfSetupError(error) === 'unexpected';

  return (
    <form
      onSubmit={form.onSubmit(({ code }) => onSubmit(code.trim(), (message) => form.setFieldError('code', message)))}
      noValidate
    >
      <Stack gap="md">
        <Text size="sm">
          Scan this QR code with an authenticator app (such as Aegis, Google Authenticator, 1Password or FreeOTP), or
          type the secret key into it. Then enter the 6-digit code it shows.
        </Text>
        <TotpEnrolmentPanel otpauthUrl={enrolment.otpauthUrl} secret={enrolment.totpSecret} />
        <TextInput
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          autoFocus
          {...form.getInputProps('code')}
        />
        {unexpected && <ErrorAlert error={error} title="Could not create the administrator" />}
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={submitting}>
            Back
          </Button>
          <Button type="submit" loading={submitting}>
            Create administrator
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

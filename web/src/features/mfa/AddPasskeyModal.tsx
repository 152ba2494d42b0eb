import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { StepUpPanel } from '../elevation/StepUpPanel.tsx';
import { isStepUpCancelled, useStepUpRetry } from '../elevation/use-step-up-retry.ts';
import { passkeyCreationOptions, useRegisterPasskey } from './mfa.api.ts';
import { IconFingerprint } from './mfa-icons.tsx';
import { createPasskey, isPasskeyCeremonyError } from './passkeys.ts';

const MAX_LABEL = 64;

/** A passkey name the person will recognise later; the platform is a fair first guess. */
function suggestedLabel(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iPhone or iPad'
      : /Mac OS X/.test(ua)
        ? 'Mac'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `Passkey on ${os}` : '';
}

/**
 * "Add a passkey": a name, then the server's creation options, the browser's prompt (`startRegistration`)
 * and the answer back to the server. Needs a recent second factor: the step-up appears here if asked for.
 */
export function AddPasskeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const register = useRegisterPasskey();
  const stepUp = useStepUpRetry();
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useResetOnOpen(opened, () => {
    setLabel(suggestedLabel());
    setLabelError(null);
    setProblem(null);
  });

  const close = () => {
    stepUp.cancel();
    onClose();
  };

  const create = async () => {
    const name = label.trim();
    if (name.length < 1 || name.length > MAX_LABEL) {
      setLabelError(`Give the passkey a name of 1 to ${MAX_LABEL} characters.`);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await stepUp.run(async () => {
        const options = await passkeyCreationOptions();
        const response = await createPasskey(options);
        await register.mutateAsync({ label: name, response });
      });
      notifications.show({
        color: 'green',
        title: 'Passkey added',
        message: `"${name}" can now be used to sign in and to confirm privileged actions.`,
      });
      onClose();
    } catch (error) {
      if (isStepUpCancelled(error)) return;
      if (isApiError(error) && error.code === 'mfa.label_invalid') setLabelError(error.message);
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={busy && !stepUp.prompt ? () => {} : close} title="Add a passkey" size="md">
      {stepUp.prompt ? (
        <StepUpPanel reason="Adding a passkey needs a fresh confirmation." {...stepUp.prompt} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm">
              A passkey signs you in with your fingerprint, face or device PIN, and cannot be phished: it only works on
              this site. Your browser asks where to keep it (this device, your phone, or a security key).
            </Text>
            <TextInput
              label="Passkey name"
              description="So you can tell your passkeys apart, e.g. Work laptop or YubiKey."
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              value={label}
              onChange={(e) => {
                setLabel(e.currentTarget.value);
                setLabelError(null);
              }}
              error={labelError}
              maxLength={MAX_LABEL}
              data-autofocus
            />
            {problem != null &&
              (isPasskeyCeremonyError(problem) ? (
                <Alert
                  color={problem.reason === 'cancelled' ? 'gray' : 'red'}
                  variant="light"
                  icon={<IconAlertTriangle />}
                  title={problem.reason === 'cancelled' ? 'No passkey created' : 'Passkey not created'}
                  role="alert"
                >
                  {problem.message}
                </Alert>
              ) : (
                <ErrorAlert error={problem} title="The passkey was not added" />
              ))}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} leftSection={<IconFingerprint size={16} />}>
                Create passkey
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

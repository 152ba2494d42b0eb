import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { StepUpPanel } from '../elevation/StepUpPanel.tsx';
import { isStepUpCancelled, useStepUpRetry } from '../elevation/use-step-up-retry.ts';
import type { RemovalTarget } from './mfa.api.ts';
import { useRemoveFactor } from './mfa.api.ts';

function describe(target: RemovalTarget): { title: string; body: string; done: string } {
  switch (target.method) {
    case 'totp':
      return {
        title: 'Remove the authenticator app?',
        body: 'Its codes stop working at once. Setting up an authenticator app again is not possible from My account, so keep a passkey or a phone.',
        done: 'Authenticator app removed',
      };
    case 'webauthn':
      return {
        title: `Remove the passkey "${target.passkey.label}"?`,
        body: `"${target.passkey.label}" can no longer sign you in. The passkey itself stays on the device; delete it there too if you no longer need it.`,
        done: 'Passkey removed',
      };
    case 'sms':
      return {
        title: 'Remove your phone number?',
        body: 'Codes by text message can no longer sign you in. The number is deleted from Strongroom.',
        done: 'Phone number removed',
      };
    case 'recovery_code':
      return {
        title: 'Remove your recovery codes?',
        body: 'Every unused recovery code stops working at once. Without them, losing your devices locks you out until an administrator helps.',
        done: 'Recovery codes removed',
      };
  }
}

/**
 * Removing one second factor, after a confirmation that names it. The server refuses to remove the last one
 * (409 `mfa.last_method`: MFA is mandatory) and wants a recent second factor (the step-up appears here).
 */
export function RemoveFactorModal({ target, onClose }: { target: RemovalTarget | null; onClose: () => void }) {
  const remove = useRemoveFactor();
  const stepUp = useStepUpRetry();
  const [problem, setProblem] = useState<unknown>(null);
  // Kept while the dialog fades out, so its words do not vanish first.
  const [shown, setShown] = useState<RemovalTarget | null>(target);

  useEffect(() => {
    if (target) {
      setShown(target);
      setProblem(null);
      remove.reset();
    }
  }, [target, remove.reset]);

  const close = () => {
    stepUp.cancel();
    onClose();
  };

  const confirm = async () => {
    if (!target) return;
    setProblem(null);
    try {
      await stepUp.run(() => remove.mutateAsync(target));
      notifications.show({
        color: 'green',
        title: describe(target).done,
        message: 'Your second factors were updated.',
      });
      onClose();
    } catch (error) {
      if (!isStepUpCancelled(error)) setProblem(error);
    }
  };

  const words = shown ? describe(shown) : null;
  const lastMethod = isApiError(problem) && problem.code === 'mfa.last_method';

  return (
    <Modal
      opened={target !== null}
      onClose={remove.isPending ? () => {} : close}
      title={words?.title ?? 'Remove'}
      size="md"
    >
      {stepUp.prompt ? (
        <StepUpPanel reason="Removing a second factor needs a fresh confirmation." {...stepUp.prompt} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
          noValidate
        >
          <Stack gap="md">
            <Text size="sm">{words?.body}</Text>
            {lastMethod ? (
              <Alert
                color="orange"
                variant="light"
                icon={<IconAlertTriangle />}
                title="This is your only second factor"
                role="alert"
                data-testid="last-method"
              >
                Strongroom asks for a second factor at every sign-in, so it keeps at least one: an authenticator app, a
                passkey or a phone (recovery codes are only a fallback and do not count). Add another one first, then
                remove this one.
              </Alert>
            ) : (
              problem != null && <ErrorAlert error={problem} title="Nothing was removed" />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={remove.isPending}>
                {lastMethod ? 'Close' : 'Cancel'}
              </Button>
              {!lastMethod && (
                <Button type="submit" color="red" loading={remove.isPending}>
                  Remove
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

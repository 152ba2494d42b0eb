import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconInfo } from '../../components/icons.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTimeParts, formatTimeLeft } from '../../lib/format.ts';
import { useNow } from '../../lib/use-now.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { StepUpPanel } from '../elevation/StepUpPanel.tsx';
import { isStepUpCancelled, useStepUpRetry } from '../elevation/use-step-up-retry.ts';
import { retryAfterSeconds, useAddPhone, useConfirmPhone } from './mfa.api.ts';

const timeOf = (at: string | number) => formatDateTimeParts(new Date(at))?.time ?? String(at);

/**
 * "Add a phone": the number (a code is texted to it), then that code, which proves the phone is yours. An
 * earlier number is replaced once the new one is confirmed. Sending needs a recent second factor.
 */
export function AddPhoneModal({
  opened,
  onClose,
  replacing,
}: {
  opened: boolean;
  onClose: () => void;
  /** The masked number in use, when this replaces it. */
  replacing?: string;
}) {
  const add = useAddPhone();
  const confirm = useConfirmPhone();
  const stepUp = useStepUpRetry();
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const now = useNow(1000, retryAt !== null && retryAt > Date.now());
  const wait = retryAt !== null && retryAt > now ? retryAt - now : null;

  useResetOnOpen(opened, () => {
    setPhone('');
    setPhoneError(null);
    setCode('');
    setCodeError(null);
    setExpiresAt(null);
    setProblem(null);
  });

  const close = () => {
    stepUp.cancel();
    onClose();
  };

  const send = async () => {
    if (phone.trim().length < 8) {
      setPhoneError('Enter the number in international form, e.g. +49 151 23456789.');
      return;
    }
    setProblem(null);
    setPhoneError(null);
    try {
      const answer = await stepUp.run(() => add.mutateAsync(phone.trim()));
      setExpiresAt(answer.expiresAt);
      setRetryAt(Date.now() + 30_000);
      setCode('');
      setCodeError(null);
    } catch (error) {
      if (isStepUpCancelled(error)) return;
      const seconds = retryAfterSeconds(error);
      if (seconds !== undefined) setRetryAt(Date.now() + seconds * 1000);
      if (isApiError(error) && (error.code === 'mfa.phone_invalid' || error.code === 'request.validation_failed'))
        setPhoneError(
          error.code === 'mfa.phone_invalid' ? error.message : 'Enter a phone number of 8 to 32 characters.',
        );
      else setProblem(error);
    }
  };

  const submitCode = () => {
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError('Enter the 6-digit code from the text message.');
      return;
    }
    setProblem(null);
    confirm.mutate(code.trim(), {
      onSuccess: () => {
        notifications.show({
          color: 'green',
          title: replacing ? 'Phone number changed' : 'Phone added',
          message: 'You can now sign in and confirm privileged actions with a code sent by text message.',
        });
        onClose();
      },
      onError: (error) => {
        if (isApiError(error) && error.code === 'mfa.sms_enrolment_code_invalid') {
          setCode('');
          setCodeError('That code is not correct. Check the latest text message.');
        } else setProblem(error);
      },
    });
  };

  const rateLimited = retryAfterSeconds(problem) !== undefined;
  const busy = add.isPending || confirm.isPending;

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : close}
      title={replacing ? 'Change your phone number' : 'Add a phone'}
      size="md"
    >
      {stepUp.prompt ? (
        <StepUpPanel reason="Adding a phone number needs a fresh confirmation." {...stepUp.prompt} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (expiresAt) submitCode();
            else void send();
          }}
          noValidate
        >
          <Stack gap="md">
            {!expiresAt ? (
              <>
                <Text size="sm">
                  Codes by text message are a fallback for when your authenticator app or passkey is not at hand: a
                  stolen or swapped SIM card can receive them too. We text a code to the number to check it is yours.
                  {replacing && ` It replaces ${replacing} once confirmed.`}
                </Text>
                <TextInput
                  label="Phone number"
                  description="International form, starting with + and the country code, e.g. +49 151 23456789."
                  inputWrapperOrder={['label', 'input', 'description', 'error']}
                  type="tel"
                  autoComplete="tel"
                  value={phone}
                  onChange={(e) => {
                    setPhone(e.currentTarget.value);
                    setPhoneError(null);
                  }}
                  error={phoneError}
                  maxLength={32}
                  data-autofocus
                />
              </>
            ) : (
              <>
                <Alert color="blue" variant="light" icon={<IconInfo />} role="status" data-testid="sms-sent">
                  Code sent to {phone.trim()}, expires at {timeOf(expiresAt)}.
                </Alert>
                <TextInput
                  label="SMS code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  w={200}
                  value={code}
                  onChange={(e) => {
                    setCode(e.currentTarget.value);
                    setCodeError(null);
                  }}
                  error={codeError}
                  data-autofocus
                />
                <Group gap="xs">
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => void send()}
                    disabled={busy || wait !== null}
                  >
                    Send a new code
                  </Button>
                  <Button variant="subtle" size="compact-sm" onClick={() => setExpiresAt(null)} disabled={busy}>
                    Use another number
                  </Button>
                  {wait !== null && (
                    <Text size="xs" c="dimmed">
                      a new code is possible in {formatTimeLeft(wait)}
                    </Text>
                  )}
                </Group>
              </>
            )}
            {problem != null &&
              (rateLimited ? (
                <Alert
                  color="orange"
                  variant="light"
                  icon={<IconAlertTriangle />}
                  title="Wait before asking for another code"
                  role="alert"
                  data-testid="sms-rate-limited"
                >
                  Too many text messages were asked for in a short time.{' '}
                  {wait !== null && retryAt !== null
                    ? `You can ask for another code in ${formatTimeLeft(wait)} (at ${timeOf(retryAt)}).`
                    : 'You can ask for another code now.'}
                </Alert>
              ) : (
                <ErrorAlert
                  error={problem}
                  title={expiresAt ? 'The number was not confirmed' : 'The code was not sent'}
                />
              ))}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              {expiresAt ? (
                <Button type="submit" loading={confirm.isPending}>
                  Confirm number
                </Button>
              ) : (
                <Button type="submit" loading={add.isPending} disabled={wait !== null && rateLimited}>
                  Send code
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

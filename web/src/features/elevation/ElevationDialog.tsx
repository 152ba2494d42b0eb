import { Alert, Button, Group, Modal, NumberInput, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useRef, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useResetOnOpen } from '../../lib/use-reset-on-open.ts';
import { useMe } from '../auth/auth.api.ts';
import { stepUpOptions } from '../mfa/mfa.api.ts';
import { SecondFactorFields } from '../mfa/SecondFactorFields.tsx';
import { useSecondFactor } from '../mfa/use-second-factor.ts';
import { MAX_ELEVATION_MINUTES, needsStepUp, useElevate, useStepUp } from './elevation.api.ts';
import { closeElevationDialog, useElevationDialog } from './elevation-store.ts';

interface Values {
  reason: string;
  minutes: number | string;
}

const MIN_REASON = 10;

/**
 * Just-in-time elevation (IAM-09): a reason and a number of minutes, and, when the last second factor is older
 * than the step-up window, a fresh one first (`POST /auth/step-up`, then `/me/elevation`): the authenticator
 * code by default, or a passkey, an SMS code or a recovery code, whichever the account has.
 */
export function ElevationDialog() {
  const { opened, hint } = useElevationDialog();
  const { data: me } = useMe();
  const stepUp = useStepUp();
  const elevate = useElevate();
  const [askCode, setAskCode] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [unexpected, setUnexpected] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // Read by the submit handler, which may run before React has re-rendered with `askCode` false.
  const stepUpDone = useRef(false);
  const submitting = useRef(false);

  const sf = useSecondFactor({
    methods: me?.user.mfaMethods,
    context: 'step-up',
    prepare: stepUpOptions,
    verify: async (factor) => {
      await stepUp.mutateAsync(factor);
    },
    onVerified: () => {
      stepUpDone.current = true;
      setAskCode(false);
      setConfirmed(true);
      // A passkey confirmed from its own button: carry on as if Elevate had been pressed.
      if (!submitting.current) formRef.current?.requestSubmit();
    },
  });

  const form = useForm<Values>({
    initialValues: { reason: '', minutes: 15 },
    validate: {
      reason: (v) =>
        v.trim().length >= MIN_REASON ? null : `Say why, in at least ${MIN_REASON} characters (it is audited).`,
      minutes: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= MAX_ELEVATION_MINUTES
          ? null
          : `Choose between 1 and ${MAX_ELEVATION_MINUTES} minutes.`;
      },
    },
  });

  // Each opening starts clean; whether a factor is needed is decided from the session at that moment.
  useResetOnOpen(opened, () => {
    form.reset();
    sf.reset();
    setUnexpected(null);
    stepUp.reset();
    elevate.reset();
    stepUpDone.current = false;
    setConfirmed(false);
    setAskCode(needsStepUp(me));
  });

  const busy = sf.busy !== null || elevate.isPending;

  const submit = form.onSubmit(async ({ reason, minutes }) => {
    if (submitting.current) return;
    submitting.current = true;
    setUnexpected(null);
    try {
      // The factor is given once: a retry after a later failure must not spend the same code again.
      if (askCode && !stepUpDone.current && !(await sf.submit())) return;
      const answer = await elevate.mutateAsync({ reason: reason.trim(), minutes: Number(minutes) });
      notifications.show({
        color: 'green',
        title: 'Session elevated',
        message: `Privileged actions are available until ${formatDateTime(answer.elevatedUntil)}.`,
      });
      closeElevationDialog();
    } catch (error) {
      if (isApiError(error) && error.code === 'auth.step_up_required') {
        // Not a mistake of the person's: the step below explains it; the factor is what to give next.
        stepUpDone.current = false;
        setConfirmed(false);
        setAskCode(true);
        window.setTimeout(() => document.getElementById(sf.codeFieldId)?.focus(), 0);
      } else if (isApiError(error) && invalidFields(error).includes('body.reason')) {
        form.setFieldError('reason', error.message);
      } else {
        setUnexpected(error);
      }
    } finally {
      submitting.current = false;
    }
  });

  return (
    <Modal opened={opened} onClose={closeElevationDialog} title="Elevate your session" size="md">
      <form onSubmit={submit} noValidate ref={formRef}>
        <Stack gap="md">
          {hint && (
            <Alert color="blue" variant="light" icon={<IconInfo />}>
              {hint}
            </Alert>
          )}
          <Text size="sm">
            Privileged actions (creating and approving accounts, granting access, changing settings and service tokens)
            are asleep until you elevate for a short window. Your reason is recorded in the audit log.
          </Text>
          <Textarea
            label="Reason"
            description={`At least ${MIN_REASON} characters, e.g. "Onboarding the new analyst".`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            autosize
            minRows={2}
            maxLength={500}
            data-autofocus
            {...form.getInputProps('reason')}
          />
          <NumberInput
            label="Minutes"
            description={`How long the window stays open (at most ${MAX_ELEVATION_MINUTES}).`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            min={1}
            max={MAX_ELEVATION_MINUTES}
            step={5}
            allowDecimal={false}
            w={200}
            {...form.getInputProps('minutes')}
          />
          {askCode && (
            <Stack gap={6} data-testid="step-up">
              <Text size="sm" fw={600}>
                Confirm it is you
              </Text>
              <Text size="sm" c="dimmed">
                Your last confirmation with a second factor is too old for a privileged action.
              </Text>
              <SecondFactorFields sf={sf} />
            </Stack>
          )}
          {!askCode && confirmed && (
            <Text size="sm" c="green.8" data-testid="step-up-confirmed">
              Second factor confirmed.
            </Text>
          )}
          {unexpected != null && <ErrorAlert error={unexpected} title="Could not elevate" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={closeElevationDialog} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Elevate
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Group, Modal, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { invalidFields, isApiError } from '../../lib/api-client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../auth/auth.api.ts';
import { MAX_ELEVATION_MINUTES, needsStepUp, useElevate, useStepUp } from './elevation.api.ts';
import { closeElevationDialog, useElevationDialog } from './elevation-store.ts';

interface Values {
  reason: string;
  minutes: number | string;
  code: string;
}

const MIN_REASON = 10;
const codeFieldId = 'elevation-step-up-code';

/**
 * Just-in-time elevation (IAM-09): a reason and a number of minutes, and, when the last second factor is older
 * than the step-up window, the current authenticator code first (`POST /auth/step-up`, then `/me/elevation`).
 */
export function ElevationDialog() {
  const { opened, hint } = useElevationDialog();
  const { data: me } = useMe();
  const stepUp = useStepUp();
  const elevate = useElevate();
  const [askCode, setAskCode] = useState(false);
  const [unexpected, setUnexpected] = useState<unknown>(null);

  const form = useForm<Values>({
    initialValues: { reason: '', minutes: 15, code: '' },
    validate: {
      reason: (v) =>
        v.trim().length >= MIN_REASON ? null : `Say why, in at least ${MIN_REASON} characters (it is audited).`,
      minutes: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= MAX_ELEVATION_MINUTES
          ? null
          : `Choose between 1 and ${MAX_ELEVATION_MINUTES} minutes.`;
      },
      code: (v) => (!askCode || /^\d{6}$/.test(v.trim()) ? null : 'Enter the 6-digit code shown by your app.'),
    },
  });

  // Each opening starts clean; whether a code is needed is decided from the session at that moment.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the dialog opens
  useEffect(() => {
    if (!opened) return;
    form.reset();
    setUnexpected(null);
    stepUp.reset();
    elevate.reset();
    setAskCode(needsStepUp(me));
  }, [opened]);

  const busy = stepUp.isPending || elevate.isPending;

  const submit = form.onSubmit(async ({ reason, minutes, code }) => {
    setUnexpected(null);
    try {
      if (askCode) {
        await stepUp.mutateAsync(code.trim());
        // The factor is fresh now: a retry after a later failure must not spend the same code again.
        setAskCode(false);
        form.setFieldValue('code', '');
      }
      const answer = await elevate.mutateAsync({ reason: reason.trim(), minutes: Number(minutes) });
      notifications.show({
        color: 'green',
        title: 'Session elevated',
        message: `Privileged actions are available until ${formatDateTime(answer.elevatedUntil)}.`,
      });
      closeElevationDialog();
    } catch (error) {
      if (isApiError(error) && error.code === 'auth.mfa_invalid') {
        form.setFieldValue('code', '');
        form.setFieldError('code', 'That code is not valid. Enter the current code from your app.');
      } else if (isApiError(error) && error.code === 'auth.step_up_required') {
        // Not a mistake of the person's: the step below explains it; the code field is what to fill next.
        setAskCode(true);
        window.setTimeout(() => document.getElementById(codeFieldId)?.focus(), 0);
      } else if (isApiError(error) && invalidFields(error).includes('body.reason')) {
        form.setFieldError('reason', error.message);
      } else {
        setUnexpected(error);
      }
    }
  });

  return (
    <Modal opened={opened} onClose={closeElevationDialog} title="Elevate your session" size="md">
      <form onSubmit={submit} noValidate>
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
                Your last confirmation with a second factor is too old for a privileged action. Enter the code your
                authenticator app shows now.
              </Text>
              <TextInput
                id={codeFieldId}
                label="Authentication code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                w={200}
                {...form.getInputProps('code')}
              />
            </Stack>
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

import { Button, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { meQueryKey, useMe } from '../auth/auth.api.ts';
import { stepUpOptions } from '../mfa/mfa.api.ts';
import { SecondFactorFields } from '../mfa/SecondFactorFields.tsx';
import { useSecondFactor } from '../mfa/use-second-factor.ts';
import { useStepUp } from './elevation.api.ts';

interface StepUpPanelProps {
  /** What the confirmation is for, e.g. "Adding a passkey needs a fresh confirmation." */
  reason?: string;
  onConfirmed: () => void;
  onCancel: () => void;
}

/**
 * The step-up on its own (`POST /auth/step-up`), for a screen whose action the server refused with 403
 * `auth.step_up_required`: confirm with any factor the account has, then the screen retries the action.
 * It is its own form, so place it where the refused action's form was (not inside another form).
 */
export function StepUpPanel({ reason, onConfirmed, onCancel }: StepUpPanelProps) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const sf = useSecondFactor({
    methods: me?.user.mfaMethods,
    context: 'step-up',
    prepare: stepUpOptions,
    verify: async (factor) => {
      await stepUp.mutateAsync(factor);
      // `session.mfaAt` moved: the elevation dialog and later checks read it from `/me`.
      void queryClient.invalidateQueries({ queryKey: meQueryKey });
    },
    onVerified: onConfirmed,
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        // A form inside a modal inside a page: keep the event from reaching an outer form in the tree.
        e.stopPropagation();
        void sf.submit();
      }}
      noValidate
      data-testid="step-up"
    >
      <Stack gap="md">
        <div>
          <Text size="sm" fw={600}>
            Confirm it is you
          </Text>
          <Text size="sm" c="dimmed">
            {reason ?? 'This change needs a fresh confirmation with a second factor.'} Your last one is too old.
          </Text>
        </div>
        <SecondFactorFields sf={sf} autoFocus>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={sf.busy !== null}>
              Cancel
            </Button>
            {sf.wantsCode && (
              <Button type="submit" loading={sf.busy === 'verify'} disabled={sf.busy !== null && sf.busy !== 'verify'}>
                Confirm
              </Button>
            )}
          </Group>
        </SecondFactorFields>
      </Stack>
    </form>
  );
}

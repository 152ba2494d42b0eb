import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../lib/api-client.ts';
import { SecondFactorFields } from '../mfa/SecondFactorFields.tsx';
import { useSecondFactor } from '../mfa/use-second-factor.ts';
import { signInFactorOptions, useMfa } from './auth.api.ts';

interface LoginMfaStepProps {
  challengeId: string;
  /** The second factors of the account, from the password step's answer. */
  methods: readonly string[];
  onSignedIn: () => void;
  onExpired: () => void;
  onBack: () => void;
}

/**
 * Sign-in step 2: the authenticator code by default, and every other factor the account has (a passkey, a
 * code by text message, a recovery code). Five wrong tries or five minutes end the attempt: back to step 1.
 */
export function LoginMfaStep({ challengeId, methods, onSignedIn, onExpired, onBack }: LoginMfaStepProps) {
  const mfa = useMfa();
  const sf = useSecondFactor({
    methods,
    context: 'sign-in',
    prepare: (method) => signInFactorOptions(challengeId, method),
    verify: async (factor) => {
      await mfa.mutateAsync({ challengeId, factor });
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'auth.challenge_expired') {
        onExpired();
        return true;
      }
      return false;
    },
    onVerified: (method) => {
      if (method === 'recovery_code') {
        notifications.show({
          color: 'orange',
          title: 'You used a recovery code',
          message: 'That code is spent. Check in My account how many are left, and generate a new set if needed.',
          autoClose: 15_000,
        });
      }
      onSignedIn();
    },
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void sf.submit();
      }}
      noValidate
    >
      <SecondFactorFields sf={sf} autoFocus>
        <Group justify="space-between">
          <Button variant="default" onClick={onBack} disabled={sf.busy !== null}>
            Back
          </Button>
          {sf.wantsCode && (
            <Button type="submit" loading={sf.busy === 'verify'} disabled={sf.busy !== null && sf.busy !== 'verify'}>
              Verify
            </Button>
          )}
        </Group>
      </SecondFactorFields>
    </form>
  );
}

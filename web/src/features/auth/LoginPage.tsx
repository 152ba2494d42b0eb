import { Alert } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { LoginState } from '../../app/session-redirect.ts';
import { safeNextPath, sessionReplacedMessage } from '../../app/session-redirect.ts';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { IconAlertTriangle } from '../../components/icons.tsx';
import { LoginCredentialsStep } from './LoginCredentialsStep.tsx';
import { LoginMfaStep } from './LoginMfaStep.tsx';

/**
 * `/login`: email and password, then a second factor (authenticator code, passkey, SMS code or recovery code,
 * whichever the account has); afterwards back to the page the visitor wanted.
 */
export function LoginPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const [challengeId, setChallengeId] = useState<string | null>(null);
  const [methods, setMethods] = useState<string[]>([]);
  const state = location.state as LoginState | null;
  const [email, setEmail] = useState(state?.email ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const reason = state?.reason;

  // Reaching the sign-in page means any earlier session is over: keep none of its data in memory.
  useEffect(() => {
    queryClient.clear();
  }, [queryClient]);

  const onSignedIn = () => navigate(safeNextPath(searchParams.get('next')), { replace: true });

  const onExpired = () => {
    setChallengeId(null);
    setNotice('The sign-in took too long. Enter your email and password again.');
  };

  return (
    <AuthLayout title="Sign in to Strongroom">
      {reason === 'session_replaced' && !challengeId && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title="Signed out"
          mb="lg"
          role="alert"
          data-testid="session-replaced-alert"
        >
          {sessionReplacedMessage}
        </Alert>
      )}
      {challengeId ? (
        <LoginMfaStep
          challengeId={challengeId}
          methods={methods}
          onSignedIn={onSignedIn}
          onExpired={onExpired}
          onBack={() => setChallengeId(null)}
        />
      ) : (
        <LoginCredentialsStep
          email={email}
          notice={notice}
          onChallenge={(id, typedEmail, accountMethods) => {
            setEmail(typedEmail);
            setMethods(accountMethods);
            setNotice(null);
            setChallengeId(id);
          }}
        />
      )}
    </AuthLayout>
  );
}

import { Alert, Button, Center, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconCheck, IconInfo } from '../../components/icons.tsx';
import { readTokenFromHash } from '../../lib/link-token.ts';
import { EnrollForm } from './EnrollForm.tsx';
import { useEnrollmentStart } from './enroll.api.ts';
import { placeOfEnrollError } from './enroll-errors.ts';

export const enrollTokenInvalidMessage =
  'This enrolment link is invalid, has expired or was already used. Ask the administrator who sent it for a new one.';

/**
 * `/enroll#token=…`: a new member of the team sets a password and an authenticator app with the single-use
 * link an administrator sent them. No session is needed; the token is kept in memory only.
 */
export function EnrollPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [token, setToken] = useState(() => readTokenFromHash(location.hash));

  // Out of the address bar and history, as on /setup; a link pasted into an open tab changes only the hash.
  useEffect(() => {
    if (!location.hash) return;
    const fromHash = readTokenFromHash(location.hash);
    if (fromHash) setToken(fromHash);
    navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate]);

  if (!token) {
    return (
      <AuthLayout title="Join Strongroom">
        <Alert color="orange" variant="light" icon={<IconInfo />} title="Open the enrolment link you were sent">
          This page needs the personal link an administrator sent you (it ends with <code>#token=…</code>). Open that
          link again; if you reloaded this page, the link is still valid until it is used.
        </Alert>
      </AuthLayout>
    );
  }
  return <EnrollWizard key={token} token={token} />;
}

function EnrollWizard({ token }: { token: string }) {
  const start = useEnrollmentStart(token);
  const [done, setDone] = useState<string | null>(null);
  const [blocked, setBlocked] = useState<unknown>(null);

  if (done) {
    return (
      <AuthLayout title="You are enrolled">
        <Alert color="green" variant="light" icon={<IconCheck />} title="Your account is ready" mb="lg" role="status">
          <Text size="sm">
            Sign in as <strong>{done}</strong> with your new password and a code from your authenticator app.
          </Text>
        </Alert>
        <Button component={Link} to="/login" state={{ email: done }} fullWidth>
          Go to sign-in
        </Button>
      </AuthLayout>
    );
  }
  const startError = start.isError ? start.error : null;
  const invalid = blocked ?? (startError && placeOfEnrollError(startError) === 'token' ? startError : null);
  if (invalid) {
    return (
      <AuthLayout title="Join Strongroom">
        <ErrorAlert error={invalid} title="Enrolment link not valid" message={enrollTokenInvalidMessage} />
      </AuthLayout>
    );
  }
  if (start.isPending) {
    return (
      <AuthLayout title="Join Strongroom">
        <Center py="lg">
          <Loader aria-label="Checking your enrolment link" />
        </Center>
      </AuthLayout>
    );
  }
  if (start.isError) {
    return (
      <AuthLayout title="Join Strongroom">
        <ErrorAlert error={start.error} title="Could not start the enrolment" onRetry={() => start.refetch()} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Join Strongroom"
      subtitle="Choose a password and set up your authenticator app. Both are needed at every sign-in."
      width={520}
    >
      <EnrollForm
        token={token}
        enrolment={start.data}
        onDone={setDone}
        onTokenInvalid={setBlocked}
        onRestart={() => start.refetch()}
      />
    </AuthLayout>
  );
}

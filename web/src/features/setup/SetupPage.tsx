import { Alert, Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { AuthLayout } from '../../components/AuthLayout.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconInfo } from '../../components/icons.tsx';
import { SetupAlreadyDone } from './SetupAlreadyDone.tsx';
import { SetupWizard } from './SetupWizard.tsx';
import { useSetupStatus } from './setup.api.ts';
import { readSetupToken } from './setup-token.ts';

/** `/setup`: creates the first administrator with the one-time link the server printed at start-up. */
export function SetupPage() {
  const location = useLocation();
  const navigate = useNavigate();
  // Kept in memory only; the effect takes it out of the address bar and history. A link pasted into an open
  // /setup tab changes only the fragment (no reload), hence the effect rather than a one-time read.
  const [token, setToken] = useState(() => readSetupToken(location.hash));
  const status = useSetupStatus();

  useEffect(() => {
    if (!location.hash) return;
    const fromHash = readSetupToken(location.hash);
    if (fromHash) setToken(fromHash);
    navigate({ pathname: location.pathname, search: location.search }, { replace: true });
  }, [location.hash, location.pathname, location.search, navigate]);

  const subtitle = 'Create the first administrator of this Strongroom installation.';

  if (status.isPending) {
    return (
      <AuthLayout title="Set up Strongroom" subtitle={subtitle}>
        <Center py="lg">
          <Loader aria-label="Checking whether setup is needed" />
        </Center>
      </AuthLayout>
    );
  }
  if (status.isError) {
    return (
      <AuthLayout title="Set up Strongroom" subtitle={subtitle}>
        <ErrorAlert error={status.error} title="Could not check the setup status" onRetry={() => status.refetch()} />
      </AuthLayout>
    );
  }
  if (!status.data.needed) return <SetupAlreadyDone />;
  if (!token) {
    return (
      <AuthLayout title="Set up Strongroom" subtitle={subtitle}>
        <Alert color="orange" variant="light" icon={<IconInfo />} title="Open the setup link from the server">
          This page needs the one-time link that the server printed when it started (it ends with <code>#token=…</code>
          ). Copy the whole link from the server's output into the address bar. If you reloaded this page, open that
          link again.
        </Alert>
      </AuthLayout>
    );
  }
  return <SetupWizard key={token} token={token} subtitle={subtitle} />;
}

import { Center, Container, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useMe } from '../features/auth/auth.api.ts';
import { isApiError } from '../lib/api-client.ts';
import { loginRedirect } from './session-redirect.ts';

/**
 * The route guard: nothing behind it renders until `GET /api/v1/me` has answered. Without a session the
 * visitor goes to /login with the intended page kept; any other failure is shown, never swallowed.
 */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Checking your session" />
      </Center>
    );
  }
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const { to, state } = loginRedirect(location, me.error.code);
      return <Navigate to={to} state={state} replace />;
    }
    return (
      <Container size="sm" py="xl">
        <ErrorAlert error={me.error} title="Could not check your session" onRetry={() => me.refetch()} />
      </Container>
    );
  }
  return <Outlet />;
}

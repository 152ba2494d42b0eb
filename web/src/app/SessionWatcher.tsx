import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { onSessionLost } from '../lib/api-client.ts';
import { isPublicPath, loginRedirect } from './session-redirect.ts';

/**
 * Reacts to any API call that finds the session gone. A replaced session (the account signed in elsewhere;
 * one live session per user) is said out loud on the sign-in page; an expired or missing one is not, and
 * the page the visitor wanted is kept so that they return to it after signing in.
 */
export function SessionWatcher() {
  const navigate = useNavigate();
  const location = useLocation();

  useEffect(
    () =>
      onSessionLost((code) => {
        if (isPublicPath(location.pathname)) {
          // Already on a public page: only a replaced session is worth telling about, and only at sign-in.
          if (location.pathname === '/login' && code === 'auth.session_replaced') {
            navigate(`${location.pathname}${location.search}`, {
              replace: true,
              state: { reason: 'session_replaced' },
            });
          }
          return;
        }
        const { to, state } = loginRedirect(location, code);
        navigate(to, { replace: true, state });
      }),
    [navigate, location],
  );

  return null;
}

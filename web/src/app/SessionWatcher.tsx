import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { SessionLostCode } from '../lib/api-client.ts';
import { onSessionLost, setCsrfToken } from '../lib/api-client.ts';
import { isPublicPath, loginRedirect } from './session-redirect.ts';

/**
 * Elevation rotates the session cookie; a call that left with the old cookie just before can come back
 * `auth.unauthenticated` although the session is fine. Before sending anyone to sign-in on that code, ask
 * once more (outside the api client, so this check cannot trigger itself) and keep the CSRF token it returns.
 */
async function stillSignedIn(): Promise<boolean> {
  try {
    const res = await fetch('/api/v1/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) return false;
    const me = (await res.json()) as { csrfToken?: unknown };
    if (typeof me.csrfToken === 'string') setCsrfToken(me.csrfToken);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reacts to any API call that finds the session gone. A replaced session (the account signed in elsewhere;
 * one live session per user) is said out loud on the sign-in page; an expired or missing one is not, and
 * the page the visitor wanted is kept so that they return to it after signing in.
 */
export function SessionWatcher() {
  const navigate = useNavigate();
  const location = useLocation();
  const checking = useRef(false);

  useEffect(() => {
    const leave = (code: SessionLostCode) => {
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
    };
    return onSessionLost((code) => {
      if (code !== 'auth.unauthenticated' || isPublicPath(location.pathname)) return leave(code);
      if (checking.current) return;
      checking.current = true;
      void stillSignedIn().then((ok) => {
        checking.current = false;
        if (!ok) leave(code);
      });
    });
  }, [navigate, location]);

  return null;
}

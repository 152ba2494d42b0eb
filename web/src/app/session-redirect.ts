import type { SessionLostCode } from '../lib/api-client.ts';

/** Pages that work without a session; losing a session there must not bounce the visitor around. */
export const publicPaths: readonly string[] = ['/login', '/setup', '/enroll'];

export const isPublicPath = (pathname: string): boolean => publicPaths.includes(pathname);

/** Router state carried to the sign-in page; it says why the visitor is there. */
export interface LoginState {
  reason?: 'session_replaced';
  /** Pre-fills the email, e.g. after enrolment. */
  email?: string;
}

export const sessionReplacedMessage =
  'You were signed out because your account signed in on another device or browser.';

/**
 * Only our own paths are accepted as a return target ("/x", never "//evil.example" or "/\\evil"), so a
 * crafted sign-in link cannot send someone to another site after they authenticate.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (isPublicPath(value.split(/[?#]/)[0] ?? '')) return '/';
  return value;
}

export function loginRedirect(
  location: { pathname: string; search: string; hash: string },
  code: SessionLostCode | string,
): { to: string; state: LoginState } {
  const intended = `${location.pathname}${location.search}${location.hash}`;
  const next = safeNextPath(intended);
  const to = next === '/' ? '/login' : `/login?${new URLSearchParams({ next }).toString()}`;
  return { to, state: code === 'auth.session_replaced' ? { reason: 'session_replaced' } : {} };
}

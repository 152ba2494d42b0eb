/**
 * One-time links (`/setup#token=…`, `/enroll#token=…`) carry their token in the fragment: a fragment never
 * reaches a server (not in requests, not in Referer headers). Pages read it, keep it in memory, and take it
 * out of the address bar and history.
 */
export function readTokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token')?.trim();
  return token ? token : null;
}

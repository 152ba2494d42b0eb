/**
 * The server prints `https://localhost:8443/setup#token=…`. A fragment never reaches a server (not in
 * requests, not in Referer headers), which is why the token travels there; the page sends it only in the
 * body of the two setup calls.
 */
export function readSetupToken(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token')?.trim();
  return token ? token : null;
}

import { readTokenFromHash } from '../../lib/link-token.ts';

/**
 * The server prints `https://localhost:8443/setup#token=…`. A fragment never reaches a server (not in
 * requests, not in Referer headers), which is why the token travels there; the page sends it only in the
 * body of the two setup calls.
 */
export const readSetupToken = (hash: string): string | null => readTokenFromHash(hash);

/**
 * Streams a file to `POST /api/v1/records/bulk`. The shared api client sends JSON only, so this is the one
 * raw `fetch` of the vault screens; it follows the client's rules: same-origin cookies, the CSRF header on a
 * state-changing call, and errors as `ApiError` with code and request id.
 *
 * The CSRF token lives in the api client's memory and is not exported; `GET /api/v1/me` returns the current
 * one (after an elevation the token rotates), so it is asked for just before the upload.
 */
import { ApiError, api } from '../../lib/api-client.ts';

export interface BulkResult {
  ingestId: string;
  accepted: number;
  /** The first 1,000 refused lines at most; the ingest's progress has the full count. */
  rejected: { line: number; code: string; message: string }[];
  sha256: string;
}

export type BulkFormat = 'ndjson' | 'csv';

/** By extension: `.ndjson` and `.jsonl` are NDJSON, `.csv` is CSV; anything else is refused before upload. */
export function formatOf(fileName: string): BulkFormat | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.csv')) return 'csv';
  return null;
}

const contentTypes: Record<BulkFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv' };

async function readError(res: Response): Promise<ApiError> {
  const headerId = res.headers.get('x-request-id') ?? undefined;
  try {
    const data = (await res.json()) as {
      error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
    };
    const e = data.error;
    if (e && typeof e.code === 'string') {
      return new ApiError(
        res.status,
        e.code,
        typeof e.message === 'string' ? e.message : `Upload failed (${res.status})`,
        typeof e.requestId === 'string' ? e.requestId : headerId,
        e.details,
      );
    }
  } catch {
    // not JSON
  }
  return new ApiError(
    res.status,
    `http.${res.status}`,
    `The server answered ${res.status} ${res.statusText}`,
    headerId,
  );
}

export async function uploadRecords(
  file: File,
  opts: { ownerId: string; ingestId: string; format: BulkFormat; signal?: AbortSignal },
): Promise<BulkResult> {
  const me = await api.get<{ csrfToken: string }>('/api/v1/me', undefined, opts.signal);
  const query = new URLSearchParams({ ownerId: opts.ownerId, ingestId: opts.ingestId });
  let res: Response;
  try {
    res = await fetch(`/api/v1/records/bulk?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': contentTypes[opts.format],
        'X-CSRF-Token': me.csrfToken,
      },
      // A File body is streamed from disk by the browser, never read into memory here.
      body: file,
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network.unreachable', 'The upload was interrupted: the server could not be reached.');
  }
  if (!res.ok) {
    const error = await readError(res);
    // Let the api client see a lost session, so the app sends the person to sign-in as for any other call.
    if (res.status === 401) void api.get('/api/v1/me').catch(() => {});
    throw error;
  }
  return (await res.json()) as BulkResult;
}

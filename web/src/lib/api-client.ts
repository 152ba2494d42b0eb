/**
 * The one way the UI talks to the server. JSON in and out, cookies only for our own origin, and the CSRF
 * token attached to every state-changing call (the server refuses them without it: `auth.csrf_invalid`).
 * The token lives in memory only, never in storage, so another tab or script cannot read it from disk.
 */

/** Every error answer is `{ error: { code, message, requestId } }`; we keep those three fields. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  /** Optional machine-readable extras (the server adds `[{ field, problem }]` to validation errors). */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, requestId?: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** The request fields a `request.validation_failed` answer names, e.g. `body.token`. */
export function invalidFields(error: unknown): string[] {
  if (!isApiError(error) || !Array.isArray(error.details)) return [];
  return error.details
    .map((d: unknown) => (d && typeof d === 'object' && 'field' in d ? String(d.field) : ''))
    .filter(Boolean);
}

/** Codes that mean "this browser no longer has a session"; anything that reacts to them listens here. */
export type SessionLostCode = 'auth.session_replaced' | 'auth.unauthenticated' | 'auth.session_expired';
const sessionLostCodes: ReadonlySet<string> = new Set<SessionLostCode>([
  'auth.session_replaced',
  'auth.unauthenticated',
  'auth.session_expired',
]);

type SessionLostListener = (code: SessionLostCode) => void;
const sessionLostListeners = new Set<SessionLostListener>();

export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/**
 * A privileged call made while the permission is dormant answers 403 `access.elevation_required`; the app
 * frame listens here to offer elevation, whichever screen made the call.
 */
type ElevationRequiredListener = (error: ApiError) => void;
const elevationRequiredListeners = new Set<ElevationRequiredListener>();

export function onElevationRequired(listener: ElevationRequiredListener): () => void {
  elevationRequiredListeners.add(listener);
  return () => elevationRequiredListeners.delete(listener);
}

let csrfToken: string | undefined;

/**
 * Elevation rotates the session cookie (and with it the CSRF token). Other tabs share the cookie but not this
 * memory, so the new token is passed to them on a same-origin channel; otherwise their next change would be
 * refused with `auth.csrf_invalid`. Nothing is written to storage.
 */
const csrfChannel: BroadcastChannel | null =
  typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('strongroom-csrf');
csrfChannel?.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (data && typeof data === 'object' && 'token' in data) {
    csrfToken = typeof data.token === 'string' ? data.token : undefined;
  }
});

export function setCsrfToken(token: string | undefined): void {
  if (token === csrfToken) return;
  csrfToken = token;
  csrfChannel?.postMessage({ token: token ?? null });
}

export type QueryParams = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  /** Polling, not a person's action: the server serves it without extending the session's idle timeout. */
  background?: boolean;
}

function buildUrl(path: string, query: QueryParams | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    // Empty filters are left out so the server applies its defaults rather than filtering on "".
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function readError(res: Response): Promise<ApiError> {
  // A proxy or a crash may answer with HTML or nothing; fall back to the status and any request id header.
  const headerId = res.headers.get('x-request-id') ?? undefined;
  try {
    const data = (await res.json()) as {
      error?: { code?: unknown; message?: unknown; requestId?: unknown; details?: unknown };
    };
    const e = data.error;
    if (e && typeof e.code === 'string') {
      const message = typeof e.message === 'string' ? e.message : `Request failed (${res.status})`;
      const requestId = typeof e.requestId === 'string' ? e.requestId : headerId;
      return new ApiError(res.status, e.code, message, requestId, e.details);
    }
  } catch {
    // not JSON: handled below
  }
  return new ApiError(
    res.status,
    `http.${res.status}`,
    `The server answered ${res.status} ${res.statusText}`,
    headerId,
  );
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.background) headers['X-Strongroom-Background'] = '1';

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network.unreachable', 'The server could not be reached. Check your connection.');
  }

  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && sessionLostCodes.has(error.code)) {
      csrfToken = undefined;
      for (const listener of sessionLostListeners) listener(error.code as SessionLostCode);
    }
    if (res.status === 403 && error.code === 'access.elevation_required') {
      for (const listener of elevationRequiredListeners) listener(error);
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  /** A GET made by polling (badges, banners, status): does not keep an unattended session alive. */
  poll: <T>(path: string, query?: QueryParams, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal, background: true }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

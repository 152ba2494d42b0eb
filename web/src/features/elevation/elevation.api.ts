import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../lib/api-client.ts';
import type { MeResponse } from '../auth/auth.api.ts';

/** The server's step-up window (`STRONGROOM_STEP_UP_MAX_AGE_SECONDS`, default 10 minutes). */
export const STEP_UP_MAX_AGE_MS = 10 * 60_000;
/** Ask for a code a little early: a confirmation that is 9 min 58 s old would expire in flight. */
const STEP_UP_MARGIN_MS = 30_000;

export const MAX_ELEVATION_MINUTES = 60;

/** True when the server will want a fresh second factor before elevating (`auth.step_up_required`). */
export function needsStepUp(me: MeResponse | undefined, now = Date.now()): boolean {
  const at = me?.session.mfaAt ? Date.parse(me.session.mfaAt) : Number.NaN;
  if (Number.isNaN(at)) return false;
  return now - at > STEP_UP_MAX_AGE_MS - STEP_UP_MARGIN_MS;
}

export interface ElevateResponse {
  csrfToken: string;
  elevatedUntil: string;
}

/** A second factor inside the session; the server records `mfaAt` on the session. */
export function useStepUp() {
  return useMutation({
    mutationFn: (code: string) => api.post<{ mfaAt: string }>('/api/v1/auth/step-up', { method: 'totp', code }),
  });
}

/**
 * Opens an elevation window. The server rotates the session cookie and answers a new CSRF token; calls still
 * in flight carry the old cookie, so they are cancelled first, and everything is refetched afterwards
 * because the permissions in force have changed.
 */
export function useElevate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { reason: string; minutes: number }) => {
      await queryClient.cancelQueries();
      return api.post<ElevateResponse>('/api/v1/me/elevation', input);
    },
    onSuccess: async (answer) => {
      setCsrfToken(answer.csrfToken);
      await queryClient.invalidateQueries();
    },
  });
}

export function useEndElevation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<void>('/api/v1/me/elevation'),
    // The permissions in force change back: `/me` and every screen that depends on them ask again.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

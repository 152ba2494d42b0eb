import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../lib/api-client.ts';
import type { MeResponse } from '../auth/auth.api.ts';
import type { SecondFactor } from '../mfa/mfa.api.ts';
import { stepUpWith } from '../mfa/mfa.api.ts';

/** The server's default step-up window (`STRONGROOM_STEP_UP_MAX_AGE_SECONDS`), when `/me` does not say. */
export const STEP_UP_MAX_AGE_MS = 10 * 60_000;
/** Ask for a factor a little early: a confirmation that is 9 min 58 s old would expire in flight. */
const STEP_UP_MARGIN_MS = 30_000;

export const MAX_ELEVATION_MINUTES = 60;

/** True when the server will want a fresh second factor (`auth.step_up_required`) before a guarded action. */
export function needsStepUp(me: MeResponse | undefined, now = Date.now()): boolean {
  const at = me?.session.mfaAt ? Date.parse(me.session.mfaAt) : Number.NaN;
  if (Number.isNaN(at)) return false;
  const until = me?.session.stepUpValidUntil ? Date.parse(me.session.stepUpValidUntil) : Number.NaN;
  const window = Number.isNaN(until) ? STEP_UP_MAX_AGE_MS : until - at;
  // A tenth of a short window (tests run with 30 s), never more than 30 s.
  return now - at > window - Math.min(STEP_UP_MARGIN_MS, window / 10);
}

export interface ElevateResponse {
  csrfToken: string;
  elevatedUntil: string;
}

/**
 * A second factor inside the session (any the account has); the server records `mfaAt` on the session. The
 * options call (passkey options, or an SMS sent) is `stepUpOptions` in `features/mfa/mfa.api.ts`.
 */
export function useStepUp() {
  return useMutation({ mutationFn: (factor: SecondFactor) => stepUpWith(factor) });
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

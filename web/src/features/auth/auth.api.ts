import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from '../../lib/api-client.ts';
import type { PasswordPolicy } from '../../lib/password-policy.ts';
import { learnSmsOutbox } from '../admin/sms-outbox.api.ts';
import type { MfaMethod, MfaOptionsAnswer, PreparedMethod, SecondFactor } from '../mfa/mfa.api.ts';

/** A two-person grant in force for the signed-in user (e.g. `records.reveal`), as `/me` reports it. */
export interface MeGrant {
  id: string;
  permission: string;
  /** The data owners it is limited to; null means every owner. */
  ownerIds: string[] | null;
  expiresAt: string | null;
}

export interface MeUser {
  id: string;
  email: string;
  name?: string;
  roles: string[];
  /** Usable now. */
  permissions: string[];
  /** Privileged permissions held but asleep until the session elevates (IAM-09); older servers omit it. */
  dormantPermissions?: string[];
  grants?: MeGrant[];
  /** The second factors this account has (IAM-03); `recovery_code` only while unused codes remain. */
  mfaMethods?: MfaMethod[];
}

export interface MeSession {
  id: string;
  expiresAt: string;
  idleExpiresAt?: string;
  /** Set while an elevation window is open. */
  elevatedUntil?: string | null;
  /** When a second factor was last confirmed in this session (sign-in or step-up). */
  mfaAt?: string;
  /** Until when that confirmation counts for a step-up (the server's window). */
  stepUpValidUntil?: string;
}

export interface MeResponse {
  user: MeUser;
  csrfToken: string;
  session: MeSession;
}

export interface LoginResponse {
  mfaRequired: true;
  challengeId: string;
  /** The second factors the account has; the sign-in step offers each of them. */
  methods: string[];
}

export interface MfaResponse {
  user: { id: string; email: string; roles: string[] };
  csrfToken: string;
}

export const meQueryKey = ['auth', 'me'] as const;

/** Also the source of the CSRF token after a page reload, when memory is empty. */
async function fetchMe({ signal }: { signal?: AbortSignal }): Promise<MeResponse> {
  const me = await api.get<MeResponse>('/api/v1/me', undefined, signal);
  setCsrfToken(me.csrfToken);
  // Before the answer lands, so the navigation built from it already knows whether to list the SMS outbox.
  await learnSmsOutbox(me.user.permissions);
  return me;
}

/** The signed-in user; a 401 here is what the route guard acts on. */
export function useMe() {
  // Refetched when the tab regains focus (if older than a minute), so a session replaced or expired while the
  // person was away is noticed as soon as they come back rather than at their next click.
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000, refetchOnWindowFocus: true });
}

export function useLogin() {
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<LoginResponse>('/api/v1/auth/login', input),
  });
}

/** Sign-in step 2 preparation: passkey options for this challenge, or an SMS code sent to the account's phone. */
export const signInFactorOptions = (challengeId: string, method: PreparedMethod) =>
  api.post<MfaOptionsAnswer>('/api/v1/auth/mfa/options', { challengeId, method });

export function useMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { challengeId: string; factor: SecondFactor }) =>
      api.post<MfaResponse>('/api/v1/auth/mfa', { challengeId: input.challengeId, ...input.factor }),
    onSuccess: async (answer) => {
      // Drop anything cached for a previous user before the new one sees a screen.
      queryClient.clear();
      setCsrfToken(answer.csrfToken);
      await queryClient.prefetchQuery({ queryKey: meQueryKey, queryFn: fetchMe });
    },
  });
}

/** The cache is dropped by the sign-in page on arrival; dropping it here would refetch `/me` on the way out. */
export function useLogout() {
  return useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    onSettled: (_data, error) => {
      // A 401 means the session was already gone: that is a successful sign-out from the user's view.
      if (!error || (isApiError(error) && error.status === 401)) setCsrfToken(undefined);
    },
  });
}

/** The rules in force, so the form states them as the server will apply them. */
export function usePasswordPolicy() {
  return useQuery({
    queryKey: ['auth', 'password-policy'],
    queryFn: ({ signal }) => api.get<PasswordPolicy>('/api/v1/auth/password-policy', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

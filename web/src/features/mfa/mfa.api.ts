import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api-client.ts';

/** The second factors the server knows (IAM-03), in the order it lists them. */
export type MfaMethod = 'totp' | 'webauthn' | 'sms' | 'recovery_code';
export const mfaMethodOrder: readonly MfaMethod[] = ['totp', 'webauthn', 'sms', 'recovery_code'];

/** Methods that need a round trip before the factor can be given: passkey options, or an SMS sent. */
export type PreparedMethod = 'webauthn' | 'sms';

/** One second factor as `POST /auth/mfa` and `POST /auth/step-up` take it. */
export type SecondFactor =
  | { method: 'totp' | 'sms' | 'recovery_code'; code: string }
  | { method: 'webauthn'; response: AuthenticationResponseJSON };

/** `POST /auth/mfa/options` and `/auth/step-up/options`: passkey request options, or when the SMS code expires. */
export interface MfaOptionsAnswer {
  method: PreparedMethod;
  options?: PublicKeyCredentialRequestOptionsJSON;
  expiresAt?: string;
}

/** Keeps only the methods this UI knows, in the server's order (a newer server may add others). */
export function knownMethods(methods: readonly string[] | undefined): MfaMethod[] {
  return mfaMethodOrder.filter((m) => methods?.includes(m));
}

/** `mfa.sms_rate_limited` carries `details.retryAfterSeconds`; undefined for any other error. */
export function retryAfterSeconds(error: unknown): number | undefined {
  if (!isApiError(error) || error.code !== 'mfa.sms_rate_limited') return undefined;
  const d = error.details;
  const n = d && typeof d === 'object' && 'retryAfterSeconds' in d ? Number(d.retryAfterSeconds) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : 30;
}

export const isStepUpRequired = (error: unknown) => isApiError(error) && error.code === 'auth.step_up_required';

// --- step-up inside a session (the same factors as at sign-in) ---

export const stepUpOptions = (method: PreparedMethod) =>
  api.post<MfaOptionsAnswer>('/api/v1/auth/step-up/options', { method });

export const stepUpWith = (factor: SecondFactor) => api.post<{ mfaAt: string }>('/api/v1/auth/step-up', factor);

// --- "My account": my second factors ---

export interface Passkey {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced by a passkey provider (may exist on several devices) rather than bound to one authenticator. */
  isBackedUp: boolean;
}

export interface MfaOverview {
  methods: MfaMethod[];
  passkeys: Passkey[];
  sms: { maskedPhone: string; confirmedAt: string | null; lastUsedAt: string | null } | null;
  recoveryCodesRemaining: number;
}

export const myMfaQueryKey = ['me', 'mfa'] as const;

export function useMyMfa() {
  return useQuery({
    queryKey: myMfaQueryKey,
    queryFn: ({ signal }) => api.get<MfaOverview>('/api/v1/me/mfa', undefined, signal),
  });
}

/** After a change: the overview, and `/me` (its `mfaMethods` feed the step-up choices). */
function useRefreshMfa() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: myMfaQueryKey }),
      queryClient.invalidateQueries({ queryKey: ['auth', 'me'] }),
    ]);
}

export const passkeyCreationOptions = () =>
  api.post<PublicKeyCredentialCreationOptionsJSON>('/api/v1/me/mfa/webauthn/options');

export function useRegisterPasskey() {
  const refresh = useRefreshMfa();
  return useMutation({
    mutationFn: (input: { label: string; response: RegistrationResponseJSON }) =>
      api.post<{ id: string }>('/api/v1/me/mfa/webauthn', input),
    onSuccess: refresh,
  });
}

export function useAddPhone() {
  return useMutation({
    mutationFn: (phone: string) => api.post<{ expiresAt: string }>('/api/v1/me/mfa/sms', { phone }),
  });
}

export function useConfirmPhone() {
  const refresh = useRefreshMfa();
  return useMutation({
    mutationFn: (code: string) => api.post<void>('/api/v1/me/mfa/sms/confirm', { code }),
    onSuccess: refresh,
  });
}

export function useGenerateRecoveryCodes() {
  const refresh = useRefreshMfa();
  return useMutation({
    mutationFn: () => api.post<{ codes: string[] }>('/api/v1/me/mfa/recovery-codes'),
    onSuccess: refresh,
  });
}

/** What "remove" aims at: a whole method, or one passkey by its id. */
export type RemovalTarget =
  | { method: 'totp' | 'sms' | 'recovery_code' }
  | { method: 'webauthn'; passkey: Pick<Passkey, 'id' | 'label'> };

export function useRemoveFactor() {
  const refresh = useRefreshMfa();
  return useMutation({
    mutationFn: (target: RemovalTarget) =>
      api.delete<void>(
        target.method === 'webauthn'
          ? `/api/v1/me/mfa/webauthn/${encodeURIComponent(target.passkey.id)}`
          : `/api/v1/me/mfa/${target.method}`,
      ),
    onSuccess: refresh,
  });
}

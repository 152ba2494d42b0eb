/**
 * Shared shapes of the MFA library. Checks of user-supplied secrets return a result instead of throwing, so
 * the caller can append the audit event of a refusal in the same transaction, commit (which keeps the
 * consumed challenge or the counted attempt), and only then throw `error` (IAM-03, LOG-01).
 */
import type { Clock } from '../../../platform/clock.ts';
import type { AppError } from '../../../platform/errors.ts';
import type { SmsSender } from './sms.ts';

export const mfaMethods = ['totp', 'webauthn', 'sms', 'recovery_code'] as const;
export type MfaMethod = (typeof mfaMethods)[number];

/** Why a check failed; a closed set, safe to put in audit details. */
export type MfaFailureReason =
  | 'bad_code'
  | 'code_reused'
  | 'code_expired'
  | 'too_many_attempts'
  | 'challenge_expired'
  | 'unknown_credential'
  | 'verification_failed'
  | 'counter_regressed'
  | 'credential_exists'
  | 'method_unavailable'
  | 'rate_limited';

export type MfaRefusal<R extends MfaFailureReason = MfaFailureReason> = {
  ok: false;
  reason: R;
  /** The error to throw once the transaction holding the audit event has committed. */
  error: AppError;
};

export type MfaResult<T, R extends MfaFailureReason = MfaFailureReason> = ({ ok: true } & T) | MfaRefusal<R>;

export const refuse = <R extends MfaFailureReason>(reason: R, error: AppError): MfaRefusal<R> => ({
  ok: false,
  reason,
  error,
});

export interface WebauthnConfig {
  /** The registrable domain the passkeys are scoped to, e.g. `localhost` or `vault.example.org`. */
  rpId: string;
  rpName: string;
  /** The exact origin the browser reports, e.g. `https://localhost:8443`. */
  origin: string;
}

export interface MfaDeps {
  clock: Clock;
  /** AES-256-GCM key for phone numbers (the `identity.secret-seal.v1` purpose key). */
  sealKey: Buffer;
  /** 32-byte HMAC key for one-time-code digests; recovery codes use an HKDF sub-key of it. Keep it stable. */
  smsCodeKey: Buffer;
  sms: SmsSender;
  webauthn: WebauthnConfig;
}

export const addMs = (d: Date, ms: number): Date => new Date(d.getTime() + ms);

/**
 * Additional MFA methods for IAM-03 (passkeys, SMS codes, recovery codes) beside identity's TOTP, as one
 * library: `createMfaMethods(deps)` returns plain functions for sign-in and for "my account". Every function
 * takes the caller's Queryable/Tx first so it joins the caller's transaction (and its audit append). Checks of
 * user-supplied secrets return `{ ok: false, reason, error }` instead of throwing: commit (keeping consumed
 * challenges and counted attempts), then throw `error`. SMS is sent only by `deliver()`, after the commit.
 * MFA is mandatory: `removeMethod` refuses to remove the last of TOTP, passkeys and SMS.
 */
import type { Queryable, Tx } from '../../../platform/db/db.ts';
import { isUuid } from '../../../platform/ids.ts';
import * as errors from './mfa.errors.ts';
import * as repo from './mfa.repository.ts';
import type { MfaDeps, MfaMethod } from './mfa.types.ts';
import { createRecoveryCodes } from './recovery-codes.ts';
import * as smsRepo from './sms.repository.ts';
import { createSmsCodes } from './sms-codes.ts';
import * as webauthnRepo from './webauthn.repository.ts';
import { createWebauthn } from './webauthn.ts';

export * as mfaErrors from './mfa.errors.ts';
export * as mfaSchemas from './mfa.schemas.ts';
export type {
  MfaDeps,
  MfaFailureReason,
  MfaMethod,
  MfaRefusal,
  MfaResult,
  WebauthnConfig,
} from './mfa.types.ts';
export { mfaMethods } from './mfa.types.ts';
export { RECOVERY_CODES_PER_SET } from './recovery-codes.ts';
export type { DevOutboxMessage, HttpSmsSenderOptions, SmsSender } from './sms.ts';
export { createDevOutboxSmsSender, createHttpSmsSender, listDevOutbox } from './sms.ts';
export type { SmsSent } from './sms-codes.ts';
export type { PasskeySummary } from './webauthn.ts';

export type MfaMethods = ReturnType<typeof createMfaMethods>;

export function createMfaMethods(deps: MfaDeps) {
  const webauthn = createWebauthn(deps);
  const recovery = createRecoveryCodes(deps);
  const sms = createSmsCodes(deps);

  /** Enrolled methods in a fixed order; 'recovery_code' only while unused codes remain. */
  async function listMethods(q: Queryable, userId: string): Promise<MfaMethod[]> {
    const n = await repo.enrolmentCounts(q, userId);
    const enrolled: Record<MfaMethod, boolean> = {
      totp: n.totp > 0,
      webauthn: n.webauthn > 0,
      sms: n.sms > 0,
      recovery_code: n.recovery > 0,
    };
    return (Object.keys(enrolled) as MfaMethod[]).filter((m) => enrolled[m]);
  }

  return {
    listMethods,

    /** Everything "my account" shows: methods, passkeys, the masked number, codes left. */
    async getMfaOverview(q: Queryable, userId: string) {
      return {
        methods: await listMethods(q, userId),
        passkeys: await webauthn.listPasskeys(q, userId),
        sms: await sms.smsSummary(q, userId),
        recoveryCodesRemaining: await recovery.countRecoveryCodes(q, userId),
      };
    },

    ...webauthn,
    ...recovery,
    ...sms,

    /**
     * Removes one passkey (`credentialId` = the id from listPasskeys), the SMS number, the TOTP secret or the
     * whole recovery-code set. Throws `mfa.method_not_found` or `mfa.last_method`.
     */
    async removeMethod(
      tx: Tx,
      userId: string,
      method: MfaMethod,
      credentialId?: string,
    ): Promise<{ method: MfaMethod; removed: number }> {
      await repo.lockUserMfa(tx, userId);
      const n = await repo.enrolmentCounts(tx, userId);
      // A malformed passkey id would abort the caller's transaction with a uuid cast error; it matches nothing.
      const ownsPasskey = async (id?: string) =>
        id !== undefined &&
        isUuid(id) &&
        (await webauthnRepo.listWebauthnCredentials(tx, userId)).some((c) => c.id === id);
      const present =
        method === 'webauthn' ? await ownsPasskey(credentialId) : method === 'recovery_code' || n[method] > 0;
      if (!present) throw errors.methodNotFound();
      // Recovery codes are a fallback, not a factor to live with day to day, so they do not count here.
      const taken = method === 'recovery_code' ? 0 : method === 'webauthn' ? 1 : n[method];
      if (n.totp + n.webauthn + n.sms - taken < 1) throw errors.lastMethod();
      const removed =
        method === 'webauthn'
          ? await webauthnRepo.deleteWebauthnCredential(tx, userId, credentialId as string)
          : method === 'sms'
            ? await smsRepo.deletePhones(tx, userId, ['active', 'pending'])
            : method === 'totp'
              ? await repo.deleteTotp(tx, userId)
              : await repo.deleteRecoveryCodes(tx, userId);
      return { method, removed };
    },

    /** Housekeeping for a scheduled job: expired challenges, day-old SMS codes. */
    purgeExpired: (q: Queryable) => repo.purgeExpired(q, deps.clock.now()),
  };
}

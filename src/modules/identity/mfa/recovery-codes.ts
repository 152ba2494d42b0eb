/**
 * Recovery codes (IAM-03): look-up secrets per NIST SP 800-63B §5.1.2, the way back in when the phone or the
 * passkey is lost. 10 codes per set, each 12 Crockford base32 characters from the CSPRNG (60 bits, far above
 * the 20-bit minimum of §5.1.2.1), shown once, single use; a new set replaces the old one entirely.
 *
 * Storage: §5.1.2.2 allows a plain approved hash only from 112 bits of entropy; below that the stored form
 * must resist offline guessing. A plain SHA-256 of a 60-bit code could be brute-forced from a database dump by
 * a GPU farm, so each code is stored as HMAC-SHA-256 under a 256-bit key that lives outside the database (the
 * "secret salt known only to the verifier" of §5.1.1.2), bound to the user id. Without the key a dump gives
 * nothing to guess against; a slow KDF (argon2) would add nothing to that and would cost ten runs per attempt,
 * because the code must be found among the set. Online guessing of 60 bits is hopeless, and each wrong code
 * is reported (`bad_code`) so sign-in lockout (IAM-05) counts it.
 */
import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import type { Queryable, Tx } from '../../../platform/db/db.ts';
import { newId } from '../../../platform/ids.ts';
import * as errors from './mfa.errors.ts';
import * as repo from './mfa.repository.ts';
import { type MfaDeps, type MfaResult, refuse } from './mfa.types.ts';

export const RECOVERY_CODES_PER_SET = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford: no i, l, o, u, so nothing is misread
const GROUPS = 3;
const GROUP_LENGTH = 4;

export function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let s = '';
    for (let i = 0; i < GROUP_LENGTH; i++) s += ALPHABET[randomInt(0, ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}

/** Case, spaces and dashes do not matter; i/l read as 1 and o as 0 (Crockford decoding). */
export function normaliseRecoveryCode(input: string): string | undefined {
  const s = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  return s.length === GROUPS * GROUP_LENGTH && [...s].every((c) => ALPHABET.includes(c)) ? s : undefined;
}

export function createRecoveryCodes(deps: Pick<MfaDeps, 'clock' | 'smsCodeKey'>) {
  // A sub-key, so the SMS-code MACs and the recovery-code MACs never share a key.
  const key = Buffer.from(
    hkdfSync('sha256', deps.smsCodeKey, Buffer.alloc(0), 'strongroom:identity.recovery-code.v1', 32),
  );
  const macOf = (userId: string, normalised: string) =>
    createHmac('sha256', key).update(`identity.recovery_code\0${userId}\0${normalised}`).digest();

  return {
    /** A fresh set of 10, returned in clear exactly once; any earlier set stops working. */
    async generateRecoveryCodes(tx: Tx, userId: string): Promise<{ codes: string[]; replacedUnused: number }> {
      await repo.lockUserMfa(tx, userId);
      const codes = Array.from({ length: RECOVERY_CODES_PER_SET }, newRecoveryCode);
      const replacedUnused = await repo.deleteRecoveryCodes(tx, userId);
      const rows = codes.map((c) => ({ id: newId(), mac: macOf(userId, normaliseRecoveryCode(c) as string) }));
      await repo.insertRecoveryCodes(tx, userId, rows, deps.clock.now());
      return { codes, replacedUnused };
    },

    /** Uses one code. `code_reused` (a spent code presented again) is worth an alert: the set may be exposed. */
    async consumeRecoveryCode(
      q: Queryable,
      userId: string,
      code: string,
    ): Promise<MfaResult<{ remaining: number }, 'bad_code' | 'code_reused'>> {
      const normalised = normaliseRecoveryCode(code);
      if (!normalised) return refuse('bad_code', errors.recoveryCodeInvalid());
      const outcome = await repo.spendRecoveryCode(q, userId, macOf(userId, normalised), deps.clock.now());
      if (outcome !== 'used') return refuse(outcome ? 'code_reused' : 'bad_code', errors.recoveryCodeInvalid());
      return { ok: true, remaining: await repo.countUnusedRecoveryCodes(q, userId) };
    },

    countRecoveryCodes: (q: Queryable, userId: string): Promise<number> => repo.countUnusedRecoveryCodes(q, userId),
  };
}

/**
 * SMS one-time codes (IAM-03), following NIST SP 800-63B §5.1.3 (out-of-band): 6 random digits from the
 * CSPRNG, valid 5 minutes, single use, at most 5 attempts, only the newest code counts. A code is stored as
 * HMAC-SHA-256 under a server-held key (bound to the code's row id), never as a plain hash: 6 digits are only
 * 20 bits, which any plain hash gives up instantly. A number is enrolled only after a code sent to it is
 * confirmed (proof of possession). Sending is rate limited per user (1 per 30 s, 5 per hour) against SMS
 * pumping and bombing. Numbers are sealed with AES-256-GCM, AAD = user id + row id (DAT-01, DAT-05).
 * Nothing is sent inside a transaction: callers get a `deliver()` to run after their commit.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { open, seal } from '../../../platform/crypto/seal.ts';
import type { Queryable, Tx } from '../../../platform/db/db.ts';
import { isAppError } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import * as errors from './mfa.errors.ts';
import { lockUserMfa } from './mfa.repository.ts';
import { addMs, type MfaDeps, type MfaResult, refuse } from './mfa.types.ts';
import * as repo from './sms.repository.ts';

export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_MAX_ATTEMPTS = 5;
export const SMS_MIN_INTERVAL_MS = 30_000;
export const SMS_MAX_PER_HOUR = 5;

/** E.164 after removing spaces, dots, dashes and brackets; a leading 00 is read as +. */
export function normalisePhone(input: string): string | undefined {
  const compact = input.replace(/[\s().-]/g, '').replace(/^00/, '+');
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : undefined;
}

/** Only the last two digits are ever shown again (the product's phone-masking rule). */
export const maskPhone = (e164: string): string => `+${'*'.repeat(e164.length - 3)}${e164.slice(-2)}`;

export type SmsSent = MfaResult<
  { expiresAt: Date; deliver: () => Promise<void> },
  'rate_limited' | 'method_unavailable'
>;

export function createSmsCodes(deps: MfaDeps) {
  const { clock, sealKey, smsCodeKey, sms } = deps;
  const phoneAad = (userId: string, phoneId: string) => `identity.sms_phone:${userId}:${phoneId}`;
  const macOf = (codeId: string, code: string) =>
    createHmac('sha256', smsCodeKey).update(`identity.sms_code\0${codeId}\0${code}`).digest();

  /** Seconds until the user may receive another SMS, or 0. Runs under the user's MFA lock. */
  async function retryAfterSeconds(tx: Tx, userId: string, now: Date): Promise<number> {
    const hourAgo = addMs(now, -3600_000);
    const { lastAt, sentSince, firstSince } = await repo.smsSendStats(tx, userId, hourAgo);
    let until = 0;
    if (lastAt) until = lastAt.getTime() + SMS_MIN_INTERVAL_MS;
    if (sentSince >= SMS_MAX_PER_HOUR && firstSince) until = Math.max(until, firstSince.getTime() + 3600_000);
    return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
  }

  async function issue(tx: Tx, userId: string, phoneId: string, phone: string, purpose: repo.SmsPurpose) {
    const now = clock.now();
    const wait = await retryAfterSeconds(tx, userId, now);
    if (wait > 0) return refuse('rate_limited', errors.smsRateLimited(wait));
    const id = newId();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = addMs(now, SMS_CODE_TTL_MS);
    await repo.insertSmsCode(tx, { id, userId, phoneId, purpose, mac: macOf(id, code), at: now, expiresAt });
    const what = purpose === 'login' ? 'sign-in code' : 'code to confirm this number';
    // The last line is the origin-bound one-time-code format, so supporting phones fill it in only on our site.
    const text = `Your Strongroom ${what} is ${code}. It expires in 5 minutes. Never share it.\n\n@${deps.webauthn.rpId} #${code}`;
    const deliver = async () => {
      try {
        await sms.send(phone, text);
      } catch (err) {
        throw isAppError(err) ? err : errors.smsDeliveryFailed('network');
      }
    };
    return { ok: true as const, expiresAt, deliver };
  }

  /** Checks `code` against the newest code of `purpose`, which must belong to `phoneId`. */
  async function check(q: Queryable, userId: string, purpose: repo.SmsPurpose, phoneId: string, code: string) {
    const login = purpose === 'login';
    const invalid = login ? errors.smsCodeInvalid : errors.smsEnrolmentCodeInvalid;
    const expired = login ? errors.smsCodeExpired : errors.smsEnrolmentCodeExpired;
    const row = await repo.lockLatestSmsCode(q, userId, purpose);
    if (!row || row.phone_id !== phoneId) return refuse('code_expired', expired());
    const now = clock.now();
    const matches = /^\d{6}$/.test(code) && timingSafeEqual(macOf(row.id, code), row.code_mac);
    if (row.consumed_at) return refuse(matches ? 'code_reused' : 'code_expired', expired());
    if (row.attempts >= SMS_MAX_ATTEMPTS) return refuse('too_many_attempts', expired());
    if (row.expires_at <= now) return refuse('code_expired', expired());
    const attempts = await repo.countSmsAttempt(q, row.id, SMS_MAX_ATTEMPTS);
    if (attempts === undefined) return refuse('too_many_attempts', expired());
    if (!matches) return refuse('bad_code', invalid());
    if (!(await repo.consumeSmsCode(q, row.id, now))) return refuse('code_reused', expired());
    return { ok: true as const, attempts };
  }

  return {
    /** Stores the number as pending (replacing an earlier pending one) and issues a code to it. */
    async beginSmsEnrolment(tx: Tx, userId: string, phoneInput: string): Promise<SmsSent> {
      const phone = normalisePhone(phoneInput);
      if (!phone) throw errors.phoneInvalid();
      await lockUserMfa(tx, userId);
      // Checked before the pending number is replaced, so a refused request changes nothing.
      const wait = await retryAfterSeconds(tx, userId, clock.now());
      if (wait > 0) return refuse('rate_limited', errors.smsRateLimited(wait));
      await repo.deletePhones(tx, userId, ['pending']);
      const phoneId = newId();
      const sealed = seal(sealKey, phone, phoneAad(userId, phoneId));
      await repo.insertPendingPhone(tx, { id: phoneId, userId, sealed, at: clock.now() });
      return issue(tx, userId, phoneId, phone, 'enrolment');
    },

    /** Activates the pending number; an earlier active number is replaced. */
    async confirmSmsEnrolment(tx: Tx, userId: string, code: string) {
      await lockUserMfa(tx, userId);
      const pending = await repo.findPhone(tx, userId, 'pending');
      if (!pending) return refuse('code_expired', errors.smsEnrolmentCodeExpired());
      const checked = await check(tx, userId, 'enrolment', pending.id, code);
      if (!checked.ok) return checked;
      const replaced = (await repo.deletePhones(tx, userId, ['active'])) > 0;
      await repo.activatePhone(tx, pending.id, clock.now());
      return { ok: true as const, phoneId: pending.id, replaced };
    },

    /** A sign-in code to the active number (after the password step). */
    async sendSmsLoginCode(tx: Tx, userId: string): Promise<SmsSent> {
      await lockUserMfa(tx, userId);
      const phone = await repo.findPhone(tx, userId, 'active');
      if (!phone) return refuse('method_unavailable', errors.methodUnavailable());
      const number = open(sealKey, phone.phone_sealed, phoneAad(userId, phone.id)).toString('utf8');
      return issue(tx, userId, phone.id, number, 'login');
    },

    async verifySmsLoginCode(q: Queryable, userId: string, code: string) {
      const phone = await repo.findPhone(q, userId, 'active');
      if (!phone) return refuse('method_unavailable', errors.methodUnavailable());
      const checked = await check(q, userId, 'login', phone.id, code);
      if (!checked.ok) return checked;
      await repo.touchPhone(q, phone.id, clock.now());
      return { ok: true as const, phoneId: phone.id };
    },

    /** The active number in clear, for alert texts to on-call staff (LOG-06); only the notifier calls it. */
    async activePhoneNumber(q: Queryable, userId: string): Promise<string | null> {
      const phone = await repo.findPhone(q, userId, 'active');
      return phone ? open(sealKey, phone.phone_sealed, phoneAad(userId, phone.id)).toString('utf8') : null;
    },

    /** For "my account": the masked active number, if any. */
    async smsSummary(q: Queryable, userId: string) {
      const phone = await repo.findPhone(q, userId, 'active');
      if (!phone) return null;
      const number = open(sealKey, phone.phone_sealed, phoneAad(userId, phone.id)).toString('utf8');
      return { maskedPhone: maskPhone(number), confirmedAt: phone.confirmed_at, lastUsedAt: phone.last_used_at };
    },
  };
}

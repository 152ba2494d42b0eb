/**
 * SMS codes end to end on the real test database, delivered through the sealed development outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/db.ts';
import { isAppError } from '../../../platform/errors.ts';
import { createTestMfa, insertUser } from './mfa.test-helper.ts';
import { listDevOutbox } from './sms.ts';

let t: TestDb;
let f: ReturnType<typeof createTestMfa>;
let phoneSeq = 0;

beforeAll(async () => {
  t = await createTestDb();
  f = createTestMfa(t);
});
afterAll(() => t.close());

const MY_TABLES = [
  'webauthn_credentials',
  'webauthn_challenges',
  'recovery_codes',
  'sms_phones',
  'sms_codes',
  'sms_dev_outbox',
];

/** Every value of every row of the MFA tables, bytea included as text, hex and base64. */
async function dumpTables(): Promise<string> {
  const parts: string[] = [];
  for (const table of MY_TABLES) {
    for (const row of (await t.superuser(`SELECT * FROM identity.${table}`)) as Record<string, unknown>[]) {
      for (const v of Object.values(row)) {
        if (Buffer.isBuffer(v)) parts.push(v.toString('latin1'), v.toString('hex'), v.toString('base64'));
        else parts.push(v instanceof Date ? v.toISOString() : JSON.stringify(v));
      }
    }
  }
  return parts.join('\n');
}

const newPhone = () => `+49151${String(1000000 + ++phoneSeq).padStart(8, '0')}`;

async function lastCodeTo(phone: string): Promise<string> {
  const message = (await listDevOutbox(t.db, f.sealKey, 100)).find((m) => m.to === phone);
  const code = /is (\d{6})\./.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error('no code in the outbox for this number');
  return code;
}

async function beginEnrolment(userId: string, phone: string) {
  const sent = await t.db.transaction((tx) => f.mfa.beginSmsEnrolment(tx, userId, phone));
  if (sent.ok) await sent.deliver(); // after the commit, as the routes will
  return sent;
}
const confirm = (userId: string, code: string) => t.db.transaction((tx) => f.mfa.confirmSmsEnrolment(tx, userId, code));
async function sendLoginCode(userId: string) {
  const sent = await t.db.transaction((tx) => f.mfa.sendSmsLoginCode(tx, userId));
  if (sent.ok) await sent.deliver();
  return sent;
}
const verify = (userId: string, code: string) => t.db.transaction((tx) => f.mfa.verifySmsLoginCode(tx, userId, code));

/** A user with a confirmed number, the clock moved past the 30 s send interval. */
async function enrolledUser() {
  const userId = await insertUser(t.db);
  const phone = newPhone();
  await beginEnrolment(userId, phone);
  expect(await confirm(userId, await lastCodeTo(phone))).toMatchObject({ ok: true, replaced: false });
  f.clock.advance(31_000);
  return { userId, phone };
}

describe('SMS codes (IAM-03, NIST SP 800-63B §5.1.3)', () => {
  it('IAM-03: a number is enrolled only once a code sent to it is confirmed', async () => {
    const userId = await insertUser(t.db);
    const phone = newPhone();
    expect(await beginEnrolment(userId, ` ${phone.slice(0, 6)} ${phone.slice(6)} `)).toMatchObject({ ok: true });
    expect(await f.mfa.listMethods(t.db, userId)).toEqual([]);
    expect(await t.db.transaction((tx) => f.mfa.sendSmsLoginCode(tx, userId))).toMatchObject({
      reason: 'method_unavailable',
    });
    const wrong = await confirm(userId, '000000' === (await lastCodeTo(phone)) ? '111111' : '000000');
    expect(wrong).toMatchObject({ ok: false, reason: 'bad_code' });
    if (!wrong.ok) expect(wrong.error.code).toBe('mfa.sms_enrolment_code_invalid');
    expect(await confirm(userId, await lastCodeTo(phone))).toMatchObject({ ok: true });
    expect(await f.mfa.listMethods(t.db, userId)).toEqual(['sms']);
    const overview = await f.mfa.getMfaOverview(t.db, userId);
    expect(overview.sms?.maskedPhone).toBe(`+${'*'.repeat(phone.length - 3)}${phone.slice(-2)}`);
  });

  it('IAM-03: a malformed number is refused before anything is stored or sent', async () => {
    const userId = await insertUser(t.db);
    await expect(t.db.transaction((tx) => f.mfa.beginSmsEnrolment(tx, userId, '0151 1234'))).rejects.toMatchObject({
      code: 'mfa.phone_invalid',
    });
  });

  it('IAM-03: a sign-in code works once; reusing it is refused', async () => {
    const { userId, phone } = await enrolledUser();
    const sent = await sendLoginCode(userId);
    expect(sent).toMatchObject({ ok: true });
    if (sent.ok) expect(sent.expiresAt.getTime() - f.clock.now().getTime()).toBe(5 * 60_000);
    const code = await lastCodeTo(phone);
    expect((await listDevOutbox(t.db, f.sealKey, 1))[0]?.text).toContain(`@localhost #${code}`);
    expect(await verify(userId, code)).toMatchObject({ ok: true });
    const reused = await verify(userId, code);
    expect(reused).toMatchObject({ ok: false, reason: 'code_reused' });
    if (!reused.ok) expect(reused.error.code).toBe('mfa.sms_code_expired');
  });

  it('IAM-03: a code is refused after 5 minutes', async () => {
    const { userId, phone } = await enrolledUser();
    await sendLoginCode(userId);
    f.clock.advance(5 * 60_000);
    expect(await verify(userId, await lastCodeTo(phone))).toMatchObject({ ok: false, reason: 'code_expired' });
  });

  it('IAM-03: after 5 wrong attempts even the right code is refused', async () => {
    const { userId, phone } = await enrolledUser();
    await sendLoginCode(userId);
    const code = await lastCodeTo(phone);
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      const r = await verify(userId, wrong);
      expect(r).toMatchObject({ ok: false, reason: 'bad_code' });
      if (!r.ok) expect(r.error.code).toBe('mfa.sms_code_invalid');
    }
    expect(await verify(userId, code)).toMatchObject({ ok: false, reason: 'too_many_attempts' });
  });

  it('IAM-03: only the newest code counts', async () => {
    const { userId, phone } = await enrolledUser();
    await sendLoginCode(userId);
    const older = await lastCodeTo(phone);
    f.clock.advance(30_000);
    await sendLoginCode(userId);
    const newer = await lastCodeTo(phone);
    if (older !== newer) expect(await verify(userId, older)).toMatchObject({ reason: 'bad_code' });
    expect(await verify(userId, newer)).toMatchObject({ ok: true });
  });

  it('IAM-03: sending is limited to 1 per 30 s and 5 per hour per user (mfa.sms_rate_limited)', async () => {
    const { userId } = await enrolledUser(); // the enrolment code was send 1 of this hour
    expect((await sendLoginCode(userId)).ok).toBe(true);
    const tooSoon = await sendLoginCode(userId);
    expect(tooSoon).toMatchObject({ ok: false, reason: 'rate_limited' });
    if (!tooSoon.ok)
      expect(tooSoon.error).toMatchObject({ code: 'mfa.sms_rate_limited', details: { retryAfterSeconds: 30 } });
    for (let i = 0; i < 3; i++) {
      f.clock.advance(30_000);
      expect((await sendLoginCode(userId)).ok).toBe(true);
    }
    f.clock.advance(30_000);
    const sixth = await sendLoginCode(userId);
    expect(sixth).toMatchObject({ ok: false, reason: 'rate_limited' });
    // The enrolment send was 31 s + 4 × 30 s ago; one slot frees an hour after it.
    if (!sixth.ok) expect(sixth.error.details).toEqual({ retryAfterSeconds: 3600 - 31 - 120 });
    f.clock.advance((3600 - 31 - 120) * 1000);
    expect((await sendLoginCode(userId)).ok).toBe(true);
  });

  it('IAM-03: neither the number nor the message text nor the code is stored in clear anywhere', async () => {
    const { userId, phone } = await enrolledUser();
    await sendLoginCode(userId);
    const code = await lastCodeTo(phone);
    const text = (await listDevOutbox(t.db, f.sealKey, 100)).find((m) => m.to === phone)?.text as string;
    const dump = await dumpTables();
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of [phone, phone.slice(3), text, text.slice(0, 20), `is ${code}`]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('IAM-03: the outbox opens only through listDevOutbox, each ciphertext only in its own row', async () => {
    const { userId } = await enrolledUser();
    await sendLoginCode(userId);
    const [a, b] = (await t.superuser('SELECT id FROM identity.sms_dev_outbox ORDER BY created_at DESC LIMIT 2')) as {
      id: string;
    }[];
    await t.superuser(
      'UPDATE identity.sms_dev_outbox SET text_sealed = (SELECT text_sealed FROM identity.sms_dev_outbox WHERE id = $2) WHERE id = $1',
      [a?.id, b?.id],
    );
    const err = await listDevOutbox(t.db, f.sealKey, 100).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('crypto.integrity_failure');
  });
});

/**
 * Recovery codes on the real test database: format, single use, replacement of the set, storage as MACs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/db.ts';
import { createTestMfa, insertUser } from './mfa.test-helper.ts';
import { normaliseRecoveryCode } from './recovery-codes.ts';

let t: TestDb;
let f: ReturnType<typeof createTestMfa>;
let userId: string;
let otherId: string;

beforeAll(async () => {
  t = await createTestDb();
  f = createTestMfa(t);
  userId = await insertUser(t.db);
  otherId = await insertUser(t.db);
});
afterAll(() => t.close());

const generate = (id: string) => t.db.transaction((tx) => f.mfa.generateRecoveryCodes(tx, id));
const consume = (id: string, code: string) => t.db.transaction((tx) => f.mfa.consumeRecoveryCode(tx, id, code));

describe('recovery codes (IAM-03, NIST SP 800-63B §5.1.2)', () => {
  it('IAM-03: a set is 10 distinct xxxx-xxxx-xxxx codes (60 bits each), stored only as MACs', async () => {
    const { codes, replacedUnused } = await generate(userId);
    expect(replacedUnused).toBe(0);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(await f.mfa.countRecoveryCodes(t.db, userId)).toBe(10);
    expect(await f.mfa.listMethods(t.db, userId)).toEqual(['recovery_code']);
    const dump = JSON.stringify(await t.superuser('SELECT * FROM identity.recovery_codes'));
    for (const c of codes) {
      expect(dump).not.toContain(c);
      expect(dump).not.toContain(c.replaceAll('-', ''));
    }
  });

  it('IAM-03: each code works once; a second use is refused as code_reused', async () => {
    const { codes } = await generate(userId);
    const [first, second] = codes as [string, string];
    expect(await consume(userId, first)).toEqual({ ok: true, remaining: 9 });
    const again = await consume(userId, first);
    expect(again).toMatchObject({ ok: false, reason: 'code_reused' });
    if (!again.ok) expect(again.error.code).toBe('mfa.recovery_code_invalid');
    // Typing variants are accepted: upper case, spaces, no dashes.
    expect(await consume(userId, ` ${second.toUpperCase().replaceAll('-', ' ')} `)).toEqual({ ok: true, remaining: 8 });
  });

  it('IAM-03: a wrong code, a malformed one and another user’s code are refused as bad_code', async () => {
    const { codes } = await generate(userId);
    const { codes: others } = await generate(otherId);
    expect(await consume(userId, 'abcd-efgh-jkmn')).toMatchObject({ ok: false, reason: 'bad_code' });
    expect(await consume(userId, 'not a code')).toMatchObject({ ok: false, reason: 'bad_code' });
    expect(await consume(userId, others[0] as string)).toMatchObject({ ok: false, reason: 'bad_code' });
    expect(await f.mfa.countRecoveryCodes(t.db, userId)).toBe(codes.length);
  });

  it('IAM-03: a new set replaces the old one entirely', async () => {
    const old = await generate(userId);
    await consume(userId, old.codes[0] as string);
    const fresh = await generate(userId);
    expect(fresh.replacedUnused).toBe(9);
    for (const c of old.codes.slice(1, 4)) {
      expect(await consume(userId, c)).toMatchObject({ ok: false, reason: 'bad_code' });
    }
    expect(await consume(userId, fresh.codes[0] as string)).toEqual({ ok: true, remaining: 9 });
  });

  it('IAM-03: reads i/l as 1 and o as 0, and rejects anything outside the alphabet', () => {
    expect(normaliseRecoveryCode('IOLO-abcd-efgh')).toBe('1010abcdefgh');
    expect(normaliseRecoveryCode('uuuu-abcd-efgh')).toBeUndefined();
    expect(normaliseRecoveryCode('abcd-efgh')).toBeUndefined();
  });
});

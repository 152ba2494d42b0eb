/**
 * The library as a whole: which methods a user has, and removal that never leaves an account without MFA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/db.ts';
import type { Tx } from '../../../platform/db/db.ts';
import { newId } from '../../../platform/ids.ts';
import { createTestMfa, insertUser, WEBAUTHN } from './mfa.test-helper.ts';
import { listDevOutbox } from './sms.ts';
import { createSoftAuthenticator } from './webauthn.test-helper.ts';

let t: TestDb;
let f: ReturnType<typeof createTestMfa>;

beforeAll(async () => {
  t = await createTestDb();
  f = createTestMfa(t);
});
afterAll(() => t.close());

const tx = <T>(fn: (q: Tx) => Promise<T>) => t.db.transaction(fn);

async function addTotp(userId: string) {
  await t.db.query(
    'INSERT INTO identity.totp_credentials (id, user_id, secret_sealed, created_at) VALUES ($1, $2, $3, now())',
    [newId(), userId, Buffer.from('sealed-elsewhere')],
  );
}

async function addPasskey(userId: string, label: string) {
  const options = await f.mfa.beginWebauthnRegistration(t.db, { id: userId, name: 'u', displayName: 'U' });
  const response = createSoftAuthenticator(WEBAUTHN).register(options);
  const done = await tx((q) => f.mfa.finishWebauthnRegistration(q, userId, { response, label }));
  if (!done.ok) throw done.error;
  return done.credentialId;
}

async function addPhone(userId: string, phone: string) {
  const sent = await tx((q) => f.mfa.beginSmsEnrolment(q, userId, phone));
  if (!sent.ok) throw sent.error;
  await sent.deliver();
  const code = /is (\d{6})\./.exec((await listDevOutbox(t.db, f.sealKey, 1))[0]?.text ?? '')?.[1] ?? '';
  const done = await tx((q) => f.mfa.confirmSmsEnrolment(q, userId, code));
  if (!done.ok) throw done.error;
}

describe('MFA methods of an account (IAM-03)', () => {
  it('IAM-03: lists every enrolled method in a fixed order, with an overview for "my account"', async () => {
    const userId = await insertUser(t.db);
    expect(await f.mfa.listMethods(t.db, userId)).toEqual([]);
    await addTotp(userId);
    await addPasskey(userId, 'Phone');
    await addPhone(userId, '+441632960001');
    await tx((q) => f.mfa.generateRecoveryCodes(q, userId));
    expect(await f.mfa.listMethods(t.db, userId)).toEqual(['totp', 'webauthn', 'sms', 'recovery_code']);
    const overview = await f.mfa.getMfaOverview(t.db, userId);
    expect(overview).toMatchObject({
      passkeys: [{ label: 'Phone' }],
      sms: { maskedPhone: '+**********01' },
      recoveryCodesRemaining: 10,
    });
    expect(JSON.stringify(overview)).not.toContain('1632960001');
  });

  it('IAM-03: the last second factor cannot be removed; others can, one passkey at a time', async () => {
    const userId = await insertUser(t.db);
    const first = await addPasskey(userId, 'One');
    const second = await addPasskey(userId, 'Two');
    await tx((q) => f.mfa.generateRecoveryCodes(q, userId));
    expect(await tx((q) => f.mfa.removeMethod(q, userId, 'webauthn', first))).toEqual({
      method: 'webauthn',
      removed: 1,
    });
    // Recovery codes alone are no second factor to live with: the last passkey stays.
    await expect(tx((q) => f.mfa.removeMethod(q, userId, 'webauthn', second))).rejects.toMatchObject({
      code: 'mfa.last_method',
    });
    await expect(tx((q) => f.mfa.removeMethod(q, userId, 'sms'))).rejects.toMatchObject({
      code: 'mfa.method_not_found',
    });
    await expect(tx((q) => f.mfa.removeMethod(q, userId, 'webauthn', 'not-a-uuid'))).rejects.toMatchObject({
      code: 'mfa.method_not_found',
    });
    await addTotp(userId);
    await tx((q) => f.mfa.removeMethod(q, userId, 'webauthn', second));
    await tx((q) => f.mfa.removeMethod(q, userId, 'recovery_code'));
    expect(await f.mfa.listMethods(t.db, userId)).toEqual(['totp']);
    await expect(tx((q) => f.mfa.removeMethod(q, userId, 'totp'))).rejects.toMatchObject({ code: 'mfa.last_method' });
  });

  it("IAM-03: removing one user's method never touches another user's", async () => {
    const alice = await insertUser(t.db);
    const bob = await insertUser(t.db);
    await addTotp(alice);
    await addTotp(bob);
    const bobsKey = await addPasskey(bob, 'Bob');
    await expect(tx((q) => f.mfa.removeMethod(q, alice, 'webauthn', bobsKey))).rejects.toMatchObject({
      code: 'mfa.method_not_found',
    });
    expect(await f.mfa.listMethods(t.db, bob)).toEqual(['totp', 'webauthn']);
  });

  it('IAM-03: purges expired challenges but keeps SMS codes for the hourly rate limit', async () => {
    const userId = await insertUser(t.db);
    await f.mfa.beginWebauthnRegistration(t.db, { id: userId, name: 'u', displayName: 'U' });
    f.clock.advance(6 * 60_000);
    expect(await f.mfa.purgeExpired(t.db)).toBeGreaterThanOrEqual(1);
    const left = (await t.superuser('SELECT count(*) AS n FROM identity.webauthn_challenges WHERE expires_at < $1', [
      f.clock.now(),
    ])) as { n: string }[];
    expect(Number(left[0]?.n)).toBe(0);
  });
});

/**
 * Passkeys against a software authenticator (P-256, `none` attestation) on the real test database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../../test/db.ts';
import type { Tx } from '../../../platform/db/db.ts';
import { registrationResponse } from './mfa.schemas.ts';
import { createTestMfa, insertUser, WEBAUTHN } from './mfa.test-helper.ts';
import { createSoftAuthenticator } from './webauthn.test-helper.ts';

let t: TestDb;
let f: ReturnType<typeof createTestMfa>;
let alice: string;
let bob: string;
const aliceKey = createSoftAuthenticator(WEBAUTHN);
const bobKey = createSoftAuthenticator(WEBAUTHN);

beforeAll(async () => {
  t = await createTestDb();
  f = createTestMfa(t);
  alice = await insertUser(t.db, 'alice@example.test');
  bob = await insertUser(t.db, 'bob@example.test');
});
afterAll(() => t.close());

const tx = <T>(fn: (q: Tx) => Promise<T>) => t.db.transaction(fn);

async function register(userId: string, key: ReturnType<typeof createSoftAuthenticator>, label = 'Laptop') {
  const options = await f.mfa.beginWebauthnRegistration(t.db, { id: userId, name: 'someone', displayName: 'Someone' });
  // Through the route schema first, as the HTTP layer will: its output type must fit the verifier's input.
  const response = registrationResponse.parse(key.register(options));
  return tx((q) => f.mfa.finishWebauthnRegistration(q, userId, { response, label }));
}

async function loginOptions(userId: string) {
  const begun = await f.mfa.beginWebauthnLogin(t.db, userId);
  if (!begun.ok) throw begun.error;
  return begun.options;
}

describe('passkeys (IAM-03, WebAuthn L2)', () => {
  it('IAM-03: registers a passkey with user verification required, then signs in with it', async () => {
    const options = await f.mfa.beginWebauthnRegistration(t.db, { id: alice, name: 'alice', displayName: 'Alice' });
    expect(options.authenticatorSelection?.userVerification).toBe('required');
    expect(options.rp).toMatchObject({ id: 'localhost', name: 'Strongroom' });
    expect(Buffer.from(options.user.id, 'base64url').toString('hex')).toBe(alice.replaceAll('-', ''));
    const done = await tx((q) =>
      f.mfa.finishWebauthnRegistration(q, alice, { response: aliceKey.register(options), label: ' Laptop ' }),
    );
    expect(done).toMatchObject({ ok: true });
    expect(await f.mfa.listMethods(t.db, alice)).toEqual(['webauthn']);
    expect(await f.mfa.listPasskeys(t.db, alice)).toMatchObject([{ label: 'Laptop', lastUsedAt: null }]);

    f.clock.advance(60_000);
    const opts = await loginOptions(alice);
    expect(opts.userVerification).toBe('required');
    expect(opts.allowCredentials?.map((c) => c.id)).toEqual([aliceKey.credentialId]);
    const login = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, aliceKey.login(opts)));
    expect(login).toEqual({ ok: true, credentialId: done.ok ? done.credentialId : '' });
    const [row] = (await t.superuser(
      'SELECT sign_count, last_used_at FROM identity.webauthn_credentials WHERE user_id = $1',
      [alice],
    )) as { sign_count: string; last_used_at: Date }[];
    expect(Number(row?.sign_count)).toBe(1);
    expect(row?.last_used_at.toISOString()).toBe(f.clock.now().toISOString());
  });

  it('IAM-03: a replayed answer and an answer to a challenge never issued are refused', async () => {
    const opts = await loginOptions(alice);
    const answer = aliceKey.login(opts);
    expect((await tx((q) => f.mfa.finishWebauthnLogin(q, alice, answer))).ok).toBe(true);
    const replay = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, answer));
    expect(replay).toMatchObject({ ok: false, reason: 'challenge_expired' });
    if (!replay.ok) expect(replay.error.code).toBe('mfa.webauthn_failed');

    await loginOptions(alice);
    const forged = aliceKey.login({ challenge: Buffer.from('not-the-challenge-we-issued').toString('base64url') });
    expect(await tx((q) => f.mfa.finishWebauthnLogin(q, alice, forged))).toMatchObject({ reason: 'challenge_expired' });
  });

  it('IAM-03: a challenge is bound to its user, its purpose and 5 minutes', async () => {
    const bobOptions = await f.mfa.beginWebauthnRegistration(t.db, { id: bob, name: 'bob', displayName: 'Bob' });
    const asLogin = aliceKey.login(bobOptions); // a registration challenge of another user used for sign-in
    expect(await tx((q) => f.mfa.finishWebauthnLogin(q, alice, asLogin))).toMatchObject({
      reason: 'challenge_expired',
    });

    const opts = await loginOptions(alice);
    f.clock.advance(5 * 60_000 + 1);
    const late = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, aliceKey.login(opts)));
    expect(late).toMatchObject({ ok: false, reason: 'challenge_expired' });
  });

  it('IAM-03: an answer made for another origin or RP ID is refused, and uses up the challenge', async () => {
    const opts = await loginOptions(alice);
    const phished = aliceKey.login(opts, { origin: 'https://strongroom.evil.example' });
    expect(await tx((q) => f.mfa.finishWebauthnLogin(q, alice, phished))).toMatchObject({
      ok: false,
      reason: 'verification_failed',
    });
    const retry = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, aliceKey.login(opts)));
    expect(retry).toMatchObject({ reason: 'challenge_expired' });

    const opts2 = await loginOptions(alice);
    const otherRp = aliceKey.login(opts2, { rpId: 'evil.example' });
    expect(await tx((q) => f.mfa.finishWebauthnLogin(q, alice, otherRp))).toMatchObject({
      reason: 'verification_failed',
    });

    const regOptions = await f.mfa.beginWebauthnRegistration(t.db, { id: bob, name: 'bob', displayName: 'Bob' });
    const response = bobKey.register(regOptions, { origin: 'http://localhost:8443' });
    const reg = await tx((q) => f.mfa.finishWebauthnRegistration(q, bob, { response, label: 'Key' }));
    expect(reg).toMatchObject({ ok: false, reason: 'verification_failed' });
    if (!reg.ok) expect(reg.error.code).toBe('mfa.webauthn_registration_failed');
  });

  it('IAM-03: a signature counter that does not move forward is refused as a possible clone', async () => {
    aliceKey.setCounter(10);
    const first = await loginOptions(alice);
    const ok = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, aliceKey.login(first)));
    expect(ok.ok).toBe(true); // counter now 11
    for (const counter of [11, 7]) {
      const opts = await loginOptions(alice);
      const cloned = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, aliceKey.login(opts, { counter })));
      expect(cloned).toMatchObject({ ok: false, reason: 'counter_regressed' });
    }
    const rows = (await t.superuser('SELECT sign_count FROM identity.webauthn_credentials WHERE user_id = $1', [
      alice,
    ])) as { sign_count: string }[];
    expect(Number(rows[0]?.sign_count)).toBe(11);
  });

  it('IAM-03: without user verification (UV flag) no passkey is accepted', async () => {
    const opts = await loginOptions(alice);
    const presenceOnly = aliceKey.login(opts, { flags: 0x01 });
    expect(await tx((q) => f.mfa.finishWebauthnLogin(q, alice, presenceOnly))).toMatchObject({
      reason: 'verification_failed',
    });
  });

  it("IAM-03: one user's passkey does not sign in another user, and a passkey registers only once", async () => {
    expect(await f.mfa.beginWebauthnLogin(t.db, bob)).toMatchObject({ ok: false, reason: 'method_unavailable' });
    expect((await register(bob, bobKey, 'Bob key')).ok).toBe(true);
    const aliceOptions = await loginOptions(alice);
    const wrongUser = await tx((q) => f.mfa.finishWebauthnLogin(q, alice, bobKey.login(aliceOptions)));
    expect(wrongUser).toMatchObject({ ok: false, reason: 'unknown_credential' });
    expect(await register(alice, bobKey)).toMatchObject({ ok: false, reason: 'credential_exists' });
  });
});

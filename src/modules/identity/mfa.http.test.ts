/**
 * IAM-03 through HTTP: every second factor can be enrolled from "my account" and used to sign in and to step
 * up — passkeys (software authenticator), SMS codes (development outbox), recovery codes — and the guards
 * around them hold: fresh MFA to add a factor, single-use codes, never removing the last factor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createOwner,
  createTestApp,
  type SignedIn,
  sessionCookieOf,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { createSoftAuthenticator } from './mfa/webauthn.test-helper.ts';

let t: TestApp;
let http: ReturnType<typeof api>;
let owner: Awaited<ReturnType<typeof createOwner>>;
let s: SignedIn;
const PHONE = '+15555550123';
const authenticator = createSoftAuthenticator({ rpId: 'localhost', origin: 'https://localhost:8443' });

beforeAll(async () => {
  t = await createTestApp();
  http = api(t);
  owner = await createOwner(t, 'mfa.owner@example.test');
  s = await signIn(t, owner);
});
afterAll(() => t.close());

const password = async () => {
  const r = await http.post('/api/v1/auth/login', { email: owner.email, password: owner.password });
  expect(r.statusCode).toBe(200);
  return r.json() as { challengeId: string; methods: string[] };
};
const latestSmsCode = async () => {
  const box = await http.get('/api/v1/admin/sms-outbox?limit=1', s);
  expect(box.statusCode).toBe(200);
  const text = box.json().items[0].text as string;
  return /(\d{6})/.exec(text)?.[1] as string;
};

describe('IAM-03 passkeys', () => {
  it('IAM-03: a passkey is registered from my account and then signs in', async () => {
    const options = await http.post('/api/v1/me/mfa/webauthn/options', undefined, s);
    expect(options.statusCode).toBe(200);
    expect(options.json().rp.id).toBe('localhost');
    const done = await http.post(
      '/api/v1/me/mfa/webauthn',
      { label: 'Laptop', response: authenticator.register(options.json()) },
      s,
    );
    expect(done.statusCode).toBe(201);
    expect((await http.get('/api/v1/me/mfa', s)).json().methods).toEqual(['totp', 'webauthn']);

    const login = await password();
    expect(login.methods).toContain('webauthn');
    const opts = await http.post('/api/v1/auth/mfa/options', { challengeId: login.challengeId, method: 'webauthn' });
    expect(opts.statusCode).toBe(200);
    const mfa = await http.post('/api/v1/auth/mfa', {
      challengeId: login.challengeId,
      method: 'webauthn',
      response: authenticator.login(opts.json().options),
    });
    expect(mfa.statusCode).toBe(200);
    s = { userId: owner.userId, cookie: sessionCookieOf(mfa), csrf: mfa.json().csrfToken };
  });

  it('IAM-03: a replayed passkey assertion is refused', async () => {
    const login = await password();
    const opts = await http.post('/api/v1/auth/mfa/options', { challengeId: login.challengeId, method: 'webauthn' });
    const assertion = authenticator.login(opts.json().options);
    const first = await http.post('/api/v1/auth/mfa', {
      challengeId: login.challengeId,
      method: 'webauthn',
      response: assertion,
    });
    expect(first.statusCode).toBe(200);
    s = { userId: owner.userId, cookie: sessionCookieOf(first), csrf: first.json().csrfToken };
    const again = await password();
    const replay = await http.post('/api/v1/auth/mfa', {
      challengeId: again.challengeId,
      method: 'webauthn',
      response: assertion,
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('auth.mfa_invalid');
  });
});

describe('IAM-03 SMS codes', () => {
  it('IAM-03: a phone is confirmed with a code, then SMS signs in; the number is kept out of logs and audit', async () => {
    const start = await http.post('/api/v1/me/mfa/sms', { phone: PHONE }, s);
    expect(start.statusCode).toBe(200);
    const confirm = await http.post('/api/v1/me/mfa/sms/confirm', { code: await latestSmsCode() }, s);
    expect(confirm.statusCode).toBe(204);
    const overview = (await http.get('/api/v1/me/mfa', s)).json();
    expect(overview.methods).toContain('sms');
    expect(overview.sms.maskedPhone).not.toContain('5550123');

    t.clock.advance(31_000); // SMS sending is rate limited per user
    const login = await password();
    const sent = await http.post('/api/v1/auth/mfa/options', { challengeId: login.challengeId, method: 'sms' });
    expect(sent.statusCode).toBe(200);
    const code = await latestSmsCode();
    const wrong = await http.post('/api/v1/auth/mfa', {
      challengeId: login.challengeId,
      method: 'sms',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await http.post('/api/v1/auth/mfa', { challengeId: login.challengeId, method: 'sms', code });
    expect(ok.statusCode).toBe(200);
    s = { userId: owner.userId, cookie: sessionCookieOf(ok), csrf: ok.json().csrfToken };

    const audit = JSON.stringify(await t.testDb.superuser('SELECT * FROM audit.entries'));
    expect(audit).not.toContain('5550123');
    expect(t.logText()).not.toContain('5550123');
  });
});

describe('IAM-03 recovery codes', () => {
  it('IAM-03: ten single-use codes; one signs in once, never twice', async () => {
    const gen = await http.post('/api/v1/me/mfa/recovery-codes', undefined, s);
    expect(gen.statusCode).toBe(200);
    const codes = gen.json().codes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const login = await password();
    expect(login.methods).toContain('recovery_code');
    const ok = await http.post('/api/v1/auth/mfa', {
      challengeId: login.challengeId,
      method: 'recovery_code',
      code: codes[0],
    });
    expect(ok.statusCode).toBe(200);
    s = { userId: owner.userId, cookie: sessionCookieOf(ok), csrf: ok.json().csrfToken };
    const again = await password();
    const reuse = await http.post('/api/v1/auth/mfa', {
      challengeId: again.challengeId,
      method: 'recovery_code',
      code: codes[0],
    });
    expect(reuse.statusCode).toBe(401);
    expect((await http.get('/api/v1/me/mfa', s)).json().recoveryCodesRemaining).toBe(9);
  });
});

describe('guards around second factors', () => {
  it('IAM-03: adding a factor needs a recent second factor (step-up), by any enrolled method', async () => {
    t.clock.advance(t.core.config.session.stepUpMaxAgeSeconds * 1000 + 1000);
    s = { ...s };
    const stale = await http.post('/api/v1/me/mfa/recovery-codes', undefined, s);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error.code).toBe('auth.step_up_required');
    const opts = await http.post('/api/v1/auth/step-up/options', { method: 'webauthn' }, s);
    expect(opts.statusCode).toBe(200);
    const up = await http.post(
      '/api/v1/auth/step-up',
      { method: 'webauthn', response: authenticator.login(opts.json().options) },
      s,
    );
    expect(up.statusCode).toBe(200);
    expect((await http.post('/api/v1/me/mfa/recovery-codes', undefined, s)).statusCode).toBe(200);
  });

  it('IAM-03: the last second factor cannot be removed', async () => {
    expect((await http.del('/api/v1/me/mfa/sms', s)).statusCode).toBe(204);
    expect((await http.del('/api/v1/me/mfa/totp', s)).statusCode).toBe(204);
    const passkeys = (await http.get('/api/v1/me/mfa', s)).json().passkeys as { id: string }[];
    const last = await http.del(`/api/v1/me/mfa/webauthn/${passkeys[0]?.id}`, s);
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('mfa.last_method');
    const actions = (await t.testDb.superuser(
      "SELECT details FROM audit.entries WHERE action = 'identity.mfa.removed' ORDER BY seq",
    )) as { details: { method: string } }[];
    expect(actions.map((a) => a.details.method)).toEqual(['sms', 'totp']);
  });
});

/**
 * Sign-in, setup and sessions through the real HTTP stack on a real database. Names cite the controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOwner,
  createTestApp,
  type SignedIn,
  STRONG_PASSWORD,
  sessionCookieOf,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { totpCode } from './index.ts';

let t: TestApp;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  t = await createTestApp();
  owner = await createOwner(t);
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, s?: SignedIn, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: payload as Record<string, unknown>,
    headers: { ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}), ...headers },
  });
const get = (url: string, s?: SignedIn) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });

async function auditActions(): Promise<string[]> {
  const rows = (await t.testDb.superuser('SELECT action FROM audit.entries ORDER BY seq')) as { action: string }[];
  return rows.map((r) => r.action);
}

describe('sign-in (IAM-03)', () => {
  it('password then TOTP gives a session cookie with the contract attributes and a CSRF token', async () => {
    t.clock.advance(30_000);
    const login = await post('/api/v1/auth/login', { email: owner.email, password: owner.password });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ mfaRequired: true, methods: ['totp'] });
    expect(login.cookies).toHaveLength(0); // no session before the second factor
    const mfa = await post('/api/v1/auth/mfa', {
      challengeId: login.json().challengeId,
      method: 'totp',
      code: totpCode(owner.totpSecret, t.clock.now()),
    });
    expect(mfa.statusCode).toBe(200);
    expect(mfa.json().user).toMatchObject({ id: owner.userId, email: owner.email, roles: ['owner'] });
    const cookie = mfa.cookies.find((c) => c.name === '__Host-strongroom_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.domain).toBeUndefined();
    const me = await get('/api/v1/me', { cookie: sessionCookieOf(mfa), csrf: '', userId: '' });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: owner.userId, roles: ['owner'] }, csrfToken: mfa.json().csrfToken });
    expect(me.json().user.permissions).toContain('audit.read');
    // owners hold confidential-data access by role (IAM-08) and start elevated for the sign-in window (IAM-09)
    expect(me.json().user.permissions).toContain('records.reveal');
    expect(me.json().user.permissions).toContain('users.create');
    expect(me.json().session.elevatedUntil).not.toBeNull();
    expect(me.headers['cache-control']).toBe('no-store');
  });

  it('answers every login failure with the same 401 auth.invalid_credentials', async () => {
    const wrong = await post('/api/v1/auth/login', { email: owner.email, password: 'Wrong-Password-123' });
    const unknown = await post('/api/v1/auth/login', { email: 'nobody@example.test', password: owner.password });
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('auth.invalid_credentials');
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'auth.login.failed').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a wrong TOTP code and a reused one (codes are single-use)', async () => {
    t.clock.advance(60_000);
    const code = totpCode(owner.totpSecret, t.clock.now());
    const l1 = await post('/api/v1/auth/login', { email: owner.email, password: owner.password });
    const bad = await post('/api/v1/auth/mfa', { challengeId: l1.json().challengeId, method: 'totp', code: '000000' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('auth.mfa_invalid');
    const ok = await post('/api/v1/auth/mfa', { challengeId: l1.json().challengeId, method: 'totp', code });
    expect(ok.statusCode).toBe(200);
    const l2 = await post('/api/v1/auth/login', { email: owner.email, password: owner.password });
    const reused = await post('/api/v1/auth/mfa', { challengeId: l2.json().challengeId, method: 'totp', code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.code).toBe('auth.mfa_invalid');
    // a used challenge cannot be replayed either
    const replay = await post('/api/v1/auth/mfa', { challengeId: l1.json().challengeId, method: 'totp', code });
    expect(replay.json().error.code).toBe('auth.challenge_expired');
  });

  it('expires a challenge after 5 minutes', async () => {
    const l = await post('/api/v1/auth/login', { email: owner.email, password: owner.password });
    t.clock.advance(5 * 60_000 + 1000);
    const r = await post('/api/v1/auth/mfa', {
      challengeId: l.json().challengeId,
      method: 'totp',
      code: totpCode(owner.totpSecret, t.clock.now()),
    });
    expect(r.json().error.code).toBe('auth.challenge_expired');
  });

  it('answers 401 auth.unauthenticated without a session', async () => {
    const r = await get('/api/v1/me');
    expect(r.statusCode).toBe(401);
    expect(r.json().error).toMatchObject({ code: 'auth.unauthenticated' });
    expect(r.json().error.requestId).toBeTruthy();
  });
});

describe('one session per user (IAM-04)', () => {
  it('a second sign-in ends the first session, which then answers 401 auth.session_replaced', async () => {
    const first = await signIn(t, owner);
    expect((await get('/api/v1/me', first)).statusCode).toBe(200);
    const second = await signIn(t, owner);
    const old = await get('/api/v1/me', first);
    expect(old.statusCode).toBe(401);
    expect(old.json().error.code).toBe('auth.session_replaced');
    expect((await get('/api/v1/me', second)).statusCode).toBe(200);
    expect(await auditActions()).toContain('auth.session.replaced');
  });
});

describe('sessions', () => {
  it('logout ends the session (204) and the cookie stops working', async () => {
    const s = await signIn(t, owner);
    const out = await post('/api/v1/auth/logout', undefined, s);
    expect(out.statusCode).toBe(204);
    expect((await get('/api/v1/me', s)).json().error.code).toBe('auth.unauthenticated');
    expect(await auditActions()).toContain('auth.logout');
  });

  it('an idle session expires (auth.session_expired)', async () => {
    const s = await signIn(t, owner);
    t.clock.advance(t.core.config.session.idleTimeoutSeconds * 1000 + 1000);
    const r = await get('/api/v1/me', s);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('auth.session_expired');
  });

  it('the UI’s background polling does not keep an unattended session alive; a person’s request does', async () => {
    const idleMs = t.core.config.session.idleTimeoutSeconds * 1000;
    const poll = (s: { cookie: string }) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: s.cookie, 'x-strongroom-background': '1' },
      });
    const s = await signIn(t, owner);
    // polled every minute for longer than the idle timeout: served, but the session still expires
    for (let waited = 0; waited <= idleMs; waited += 60_000) {
      t.clock.advance(60_000);
      const r = await poll(s);
      if (r.statusCode !== 200) {
        expect(r.json().error.code).toBe('auth.session_expired');
        break;
      }
    }
    expect((await get('/api/v1/me', s)).statusCode).toBe(401);
    // the same cadence of ordinary requests keeps it alive
    const active = await signIn(t, owner);
    for (let waited = 0; waited <= idleMs; waited += 60_000) {
      t.clock.advance(60_000);
      expect((await get('/api/v1/me', active)).statusCode).toBe(200);
    }
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without X-CSRF-Token (403 auth.csrf_invalid) and with a wrong one', async () => {
    const s = await signIn(t, owner);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('auth.csrf_invalid');
    const wrong = await post('/api/v1/auth/logout', undefined, { ...s, csrf: 'x'.repeat(43) });
    expect(wrong.json().error.code).toBe('auth.csrf_invalid');
    expect((await get('/api/v1/me', s)).statusCode).toBe(200); // session still alive
    expect(await auditActions()).toContain('auth.csrf.rejected');
  });

  it('refuses a text/plain body (a cross-site form cannot send JSON)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    expect(r.statusCode).toBe(415);
    expect(r.json().error.code).toBe('request.unsupported_media_type');
  });
});

describe('bad input gets a clear 4xx with a stable code', () => {
  it('malformed JSON → 400 request.malformed_json', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", "password": ',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('request.malformed_json');
  });

  it('unknown fields → 400 request.validation_failed naming the field', async () => {
    const r = await post('/api/v1/auth/login', { email: owner.email, password: 'x', isAdmin: true });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('request.validation_failed');
    expect(JSON.stringify(r.json().error.details)).toContain('isAdmin');
  });

  it('wrong types → 400 request.validation_failed, and the submitted value is not echoed', async () => {
    const r = await post('/api/v1/auth/login', { email: owner.email, password: 123456789 });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('request.validation_failed');
    expect(r.body).not.toContain('123456789');
  });

  it('an oversized body → 413 request.body_too_large', async () => {
    const r = await post('/api/v1/auth/login', { email: owner.email, password: 'x'.repeat(2 * 1024 * 1024) });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('request.body_too_large');
  });

  it('an unknown API route → 404 route.not_found', async () => {
    const r = await get('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('route.not_found');
  });
});

describe('audit endpoints', () => {
  it('lists entries newest first with action filter, limit and before paging, and audits the read', async () => {
    const s = await signIn(t, owner);
    const all = await get('/api/v1/audit/events?limit=5', s);
    expect(all.statusCode).toBe(200);
    const items = all.json().items as { seq: number; action: string }[];
    expect(items).toHaveLength(5);
    expect(items.map((i) => i.seq)).toEqual([...items.map((i) => i.seq)].sort((a, b) => b - a));
    const next = await get(`/api/v1/audit/events?limit=5&before=${all.json().nextBefore}`, s);
    expect((next.json().items as { seq: number }[])[0]?.seq).toBeLessThan(items[4]?.seq ?? 0);
    const filtered = await get('/api/v1/audit/events?action=auth.login.succeeded', s);
    expect((filtered.json().items as { action: string }[]).every((i) => i.action === 'auth.login.succeeded')).toBe(
      true,
    );
    expect(filtered.json().items.length).toBeGreaterThan(0);
    expect((await get('/api/v1/audit/events?limit=0', s)).statusCode).toBe(400);
    expect((await get('/api/v1/audit/events?limit=501', s)).statusCode).toBe(400);
    expect(await auditActions()).toContain('audit.log.read');
  });

  it('DAT-05: a typed filter that is not a catalogued action never reaches the audit log', async () => {
    const s = await signIn(t, owner);
    await get(`/api/v1/audit/events?action=${encodeURIComponent('someone.else@example.test')}`, s);
    const rows = JSON.stringify(
      await t.testDb.superuser("SELECT details FROM audit.entries WHERE action = 'audit.log.read'"),
    );
    expect(rows).not.toContain('someone.else');
    expect(rows).toContain('"actionFilter":"other"');
  });

  it('verify reports an intact chain', async () => {
    const s = await signIn(t, owner);
    const r = await get('/api/v1/audit/verify', s);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ valid: true });
    expect(r.json().entries).toBeGreaterThan(10);
  });
});

describe('secrets and personal data never reach the log (DAT-05)', () => {
  it('the password, TOTP secret, email and session token are not in the server log', async () => {
    const s = await signIn(t, owner);
    await post('/api/v1/auth/login', { email: owner.email, password: 'Wrong-But-Logged?-1' });
    const log = t.logText();
    expect(log.length).toBeGreaterThan(100); // the log is being captured at all
    for (const secret of [
      STRONG_PASSWORD,
      'Wrong-But-Logged?-1',
      owner.totpSecret,
      owner.email,
      s.cookie.split('=')[1],
    ]) {
      expect(log).not.toContain(secret);
    }
    const rows = JSON.stringify(await t.testDb.superuser('SELECT * FROM audit.entries'));
    expect(rows).not.toContain(owner.email);
    expect(rows).not.toContain(STRONG_PASSWORD);
  });
});

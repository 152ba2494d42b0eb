/**
 * Identity and access controls attacked through the real HTTP stack on a real database. Test names cite the
 * control they try to break (../shared/docs/controls.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEnrolledUser,
  createOwner,
  createTestApp,
  type SignedIn,
  STRONG_PASSWORD,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { totpCode } from './index.ts';

let t: TestApp;
let http: ReturnType<typeof api>;
let ownerA: Awaited<ReturnType<typeof createOwner>>;
let a: SignedIn;
let ownerB: Awaited<ReturnType<typeof createEnrolledUser>>;
let b: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  http = api(t);
  ownerA = await createOwner(t, 'alice@example.test');
  a = await signIn(t, ownerA);
  // bootstrap: the second owner is approved by the host operator while fewer than two owners are active
  ownerB = await createEnrolledUser(t, a, { email: 'bob@example.test', roles: ['owner'] });
  b = await signIn(t, ownerB);
  a = await signIn(t, ownerA); // fresh sign-in window for A
});
afterAll(() => t.close());

const code = (secret: string) => totpCode(secret, t.clock.now());

describe('IAM-07 four-eyes account approval', () => {
  it('a new account is pending and cannot sign in until approved and enrolled', async () => {
    const r = await http.post('/api/v1/users', { email: 'carol@example.test', name: 'Carol', roles: ['analyst'] }, a);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ status: 'pending_approval' });
    const link = await http.post(`/api/v1/users/${r.json().id}/enrollment-link`, undefined, a);
    expect(link.statusCode).toBe(409);
    expect(link.json().error.code).toBe('users.not_approved');
  });

  it('IAM-07: the creator cannot approve the account they created', async () => {
    const r = await http.post('/api/v1/users', { email: 'dan@example.test', name: 'Dan', roles: ['analyst'] }, a);
    const self = await http.post(`/api/v1/users/${r.json().id}/approve`, undefined, a);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('users.self_approval_forbidden');
    const other = await http.post(`/api/v1/users/${r.json().id}/approve`, undefined, b);
    expect(other.statusCode).toBe(200);
    expect(other.json()).toEqual({ id: r.json().id, status: 'active' });
  });

  it('IAM-07: someone without users.approve cannot approve', async () => {
    const analyst = await createEnrolledUser(t, a, { email: 'erin@example.test', roles: ['analyst'], approver: b });
    const e = await signIn(t, analyst);
    const r = await http.post('/api/v1/users', { email: 'fred@example.test', name: 'Fred', roles: ['analyst'] }, a);
    const denied = await http.post(`/api/v1/users/${r.json().id}/approve`, undefined, e);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('access.denied');
  });

  it('IAM-07: host-operator approval is refused once two owners are active', async () => {
    const r = await http.post('/api/v1/users', { email: 'gina@example.test', name: 'Gina', roles: ['analyst'] }, a);
    await expect(t.core.identity.approveUser({ type: 'host_operator' }, r.json().id)).rejects.toMatchObject({
      code: 'users.bootstrap_closed',
    });
  });

  it('enrolment links are single use and enforce the password policy', async () => {
    const r = await http.post('/api/v1/users', { email: 'hal@example.test', name: 'Hal', roles: ['auditor'] }, a);
    await http.post(`/api/v1/users/${r.json().id}/approve`, undefined, b);
    const link = await http.post(`/api/v1/users/${r.json().id}/enrollment-link`, undefined, a);
    expect(link.json().url).toMatch(/\/enroll#token=/);
    const token = link.json().token;
    const start = await http.post('/api/v1/enrollment/start', { token });
    const secret = start.json().totpSecret;
    const weak = await http.post('/api/v1/enrollment/complete', {
      token,
      password: 'Password123!',
      totpCode: code(secret),
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('identity.password_policy');
    const ok = await http.post('/api/v1/enrollment/complete', {
      token,
      password: STRONG_PASSWORD,
      totpCode: code(secret),
    });
    expect(ok.statusCode).toBe(200);
    const again = await http.post('/api/v1/enrollment/start', { token });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('enrollment.token_invalid');
    const s = await signIn(t, { email: 'hal@example.test', password: STRONG_PASSWORD, totpSecret: secret });
    expect((await http.get('/api/v1/me', s)).json().user.roles).toEqual(['auditor']);
  });
});

describe('IAM-08 two-person grants of confidential-data access', () => {
  it('IAM-08: asked by one owner, refused to the requester, refused to a non-holder, approved by another owner', async () => {
    const analyst = await createEnrolledUser(t, a, { email: 'ivy@example.test', roles: ['analyst'], approver: b });
    const req = await http.post(`/api/v1/users/${analyst.userId}/grants`, { permission: 'records.reveal' }, a);
    expect(req.statusCode).toBe(201);
    expect(req.json()).toMatchObject({ status: 'pending_approval' });
    const grantId = req.json().id;

    const self = await http.post(`/api/v1/grants/${grantId}/approve`, undefined, a);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('grants.self_approval_forbidden');

    const admin = await createEnrolledUser(t, a, { email: 'jo@example.test', roles: ['admin'], approver: b });
    const j = await signIn(t, admin);
    const nonHolder = await http.post(`/api/v1/grants/${grantId}/approve`, undefined, j);
    expect(nonHolder.statusCode).toBe(403);

    const i = await signIn(t, analyst);
    expect((await http.get('/api/v1/me', i)).json().user.permissions).not.toContain('records.reveal');
    const ok = await http.post(`/api/v1/grants/${grantId}/approve`, undefined, b);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: grantId, status: 'active' });
    const me = (await http.get('/api/v1/me', i)).json();
    expect(me.user.permissions).toContain('records.reveal');
    expect(me.user.grants).toHaveLength(1);
  });

  it('IAM-08: a non-owner cannot even ask for the grant', async () => {
    const admin = await createEnrolledUser(t, a, { email: 'kim@example.test', roles: ['admin'], approver: b });
    const k = await signIn(t, admin);
    const r = await http.post(`/api/v1/users/${admin.userId}/grants`, { permission: 'records.reveal' }, k);
    expect(r.statusCode).toBe(403);
  });

  it('IAM-08: an expired grant no longer gives the permission', async () => {
    const analyst = await createEnrolledUser(t, a, { email: 'lee@example.test', roles: ['analyst'], approver: b });
    const expiresAt = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const req = await http.post(
      `/api/v1/users/${analyst.userId}/grants`,
      { permission: 'records.reveal', expiresAt },
      a,
    );
    await http.post(`/api/v1/grants/${req.json().id}/approve`, undefined, b);
    const l = await signIn(t, analyst);
    expect((await http.get('/api/v1/me', l)).json().user.permissions).toContain('records.reveal');
    t.clock.advance(3600_000 + 1000);
    const l2 = await signIn(t, analyst);
    expect((await http.get('/api/v1/me', l2)).json().user.permissions).not.toContain('records.reveal');
    a = await signIn(t, ownerA);
    b = await signIn(t, ownerB);
  });
});

describe('IAM-05 lockout and throttling', () => {
  it('IAM-05: after 5 failures even the right password is refused with the same answer; it lifts after 15 min, then doubles', async () => {
    const user = await createEnrolledUser(t, a, { email: 'max@example.test', roles: ['analyst'], approver: b });
    for (let i = 0; i < 5; i++) {
      const r = await http.post('/api/v1/auth/login', { email: user.email, password: 'Wrong-Password-77' });
      expect(r.json().error.code).toBe('auth.invalid_credentials');
    }
    const locked = await http.post('/api/v1/auth/login', { email: user.email, password: user.password });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('auth.invalid_credentials');
    t.clock.advance(15 * 60_000 + 1000);
    expect((await http.post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      200,
    );
    for (let i = 0; i < 5; i++)
      await http.post('/api/v1/auth/login', { email: user.email, password: 'Wrong-Password-77' });
    t.clock.advance(15 * 60_000 + 1000);
    expect((await http.post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      401,
    );
    t.clock.advance(15 * 60_000);
    expect((await http.post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      200,
    );
    const rows = (await t.testDb.superuser(
      `SELECT details FROM audit.entries WHERE action = 'identity.account.locked' AND target_id = $1 ORDER BY seq`,
      [user.userId],
    )) as { details: { minutes: number } }[];
    expect(rows.map((r) => r.details.minutes)).toEqual([15, 30]);
    a = await signIn(t, ownerA);
    b = await signIn(t, ownerB);
  });

  it('IAM-05: an admin can unlock a locked account at once', async () => {
    const user = await createEnrolledUser(t, a, { email: 'ned@example.test', roles: ['analyst'], approver: b });
    for (let i = 0; i < 5; i++)
      await http.post('/api/v1/auth/login', { email: user.email, password: 'Wrong-Password-77' });
    expect((await http.post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      401,
    );
    const unlock = await http.post(`/api/v1/users/${user.userId}/unlock`, undefined, a);
    expect(unlock.statusCode).toBe(200);
    expect((await http.post('/api/v1/auth/login', { email: user.email, password: user.password })).statusCode).toBe(
      200,
    );
  });
});

describe('IAM-10 passwords', () => {
  it('IAM-10: the 12th previous password is refused and the 13th accepted; common passwords refused', async () => {
    const user = await createEnrolledUser(t, a, { email: 'olga@example.test', roles: ['analyst'], approver: b });
    const s = await signIn(t, user);
    const change = (from: string, to: string) =>
      http.post('/api/v1/me/password', { currentPassword: from, newPassword: to }, s);
    const common = await change(user.password, 'Qwerty123456!');
    expect(common.json().error.code).toBe('identity.password_policy');
    let current = user.password;
    for (let i = 1; i <= 11; i++) {
      const next = `Rotating-Secret-${i}-Xy`;
      expect((await change(current, next)).statusCode).toBe(204);
      current = next;
    }
    // history now holds the original plus 11 changes = 12 passwords: the original is the 12th most recent
    const reuse12 = await change(current, user.password);
    expect(reuse12.statusCode).toBe(400);
    expect(reuse12.json().error.code).toBe('identity.password_reused');
    expect((await change(current, 'Rotating-Secret-12-Xy')).statusCode).toBe(204);
    // now the original is the 13th most recent: accepted
    expect((await change('Rotating-Secret-12-Xy', user.password)).statusCode).toBe(204);
  }, 60_000);
});

describe('IAM-06 inactivity', () => {
  it('IAM-06: an account idle for 31 days is locked by the job; one idle for 29 days is not', async () => {
    const idle = await createEnrolledUser(t, a, { email: 'pat@example.test', roles: ['analyst'], approver: b });
    const recent = await createEnrolledUser(t, a, { email: 'quinn@example.test', roles: ['analyst'], approver: b });
    const now = t.clock.now().getTime();
    await t.testDb.superuser('UPDATE identity.users SET last_activity_at = $2 WHERE id = $1', [
      idle.userId,
      new Date(now - 31 * 86_400_000),
    ]);
    await t.testDb.superuser('UPDATE identity.users SET last_activity_at = $2 WHERE id = $1', [
      recent.userId,
      new Date(now - 29 * 86_400_000),
    ]);
    await t.core.identity.jobs.lockInactiveAccounts();
    const status = async (id: string) =>
      ((await t.testDb.superuser('SELECT status FROM identity.users WHERE id = $1', [id])) as { status: string }[])[0]
        ?.status;
    expect(await status(idle.userId)).toBe('locked');
    expect(await status(recent.userId)).toBe('active');
    expect((await http.post('/api/v1/auth/login', { email: idle.email, password: idle.password })).statusCode).toBe(
      401,
    );
  });
});

describe('IAM-11 offboarding', () => {
  it('IAM-11: offboarding revokes sessions, grants and service tokens within one request', async () => {
    const leaver = await createEnrolledUser(t, a, { email: 'rob@example.test', roles: ['owner'], approver: b });
    const r = await signIn(t, leaver);
    const token = await http.post(
      '/api/v1/service-tokens',
      { name: 'ingest', scopes: ['records.write'], allowedCidrs: ['127.0.0.1/32'] },
      r,
    );
    expect(token.statusCode).toBe(201);
    const analyst = await createEnrolledUser(t, a, { email: 'sue@example.test', roles: ['analyst'], approver: b });
    const g = await http.post(`/api/v1/users/${leaver.userId}/grants`, { permission: 'records.reveal' }, a);
    expect(g.statusCode).toBe(201);
    void analyst;

    const off = await http.post(`/api/v1/users/${leaver.userId}/offboard`, {}, a);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ status: 'offboarded', endedSessions: 1, revokedGrants: 1, revokedTokens: 1 });
    expect((await http.get('/api/v1/me', r)).statusCode).toBe(401);
    await expect(
      t.core.identity.authenticateServiceToken(token.json().token, 'records.write', {
        ip: '127.0.0.1',
        requestId: 'x',
        route: 'test',
      }),
    ).rejects.toMatchObject({ code: 'auth.invalid_token' });
    expect((await http.post('/api/v1/auth/login', { email: leaver.email, password: leaver.password })).statusCode).toBe(
      401,
    );
  });

  it('IAM-11: a scheduled departure is carried out by the job when its time comes', async () => {
    const leaver = await createEnrolledUser(t, a, { email: 'tom@example.test', roles: ['analyst'], approver: b });
    const at = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const s = await http.post(`/api/v1/users/${leaver.userId}/offboard`, { at }, a);
    expect(s.json()).toMatchObject({ status: 'active', departureAt: at });
    await t.core.identity.jobs.processDepartures();
    expect((await http.post('/api/v1/auth/login', { email: leaver.email, password: leaver.password })).statusCode).toBe(
      200,
    );
    t.clock.advance(3600_000 + 1000);
    expect(await t.core.identity.jobs.processDepartures()).toBe(1);
    expect((await http.post('/api/v1/auth/login', { email: leaver.email, password: leaver.password })).statusCode).toBe(
      401,
    );
    a = await signIn(t, ownerA);
    b = await signIn(t, ownerB);
  });
});

describe('IAM-09 just-in-time elevation', () => {
  it('IAM-09: the sign-in window lapses; elevation needs a fresh second factor and a reason, and lapses at its end', async () => {
    const s = await signIn(t, ownerA);
    const create = (email: string) => http.post('/api/v1/users', { email, name: 'X', roles: ['analyst'] }, s);
    expect((await create('uma@example.test')).statusCode).toBe(201);
    t.clock.advance(t.core.config.session.signInElevationSeconds * 1000 + 1000);
    const lapsed = await create('vic@example.test');
    expect(lapsed.statusCode).toBe(403);
    expect(lapsed.json().error.code).toBe('access.elevation_required');

    const stale = await http.post('/api/v1/me/elevation', { reason: 'approve new starters', minutes: 10 }, s);
    expect(stale.json().error.code).toBe('auth.step_up_required');
    t.clock.advance(30_000);
    const up = await http.post('/api/v1/auth/step-up', { method: 'totp', code: code(ownerA.totpSecret) }, s);
    expect(up.statusCode).toBe(200);
    const noReason = await http.post('/api/v1/me/elevation', { reason: 'x', minutes: 10 }, s);
    expect(noReason.statusCode).toBe(400);
    const el = await http.post('/api/v1/me/elevation', { reason: 'approve new starters', minutes: 10 }, s);
    expect(el.statusCode).toBe(200);
    // the session token rotated: the old cookie is dead, the new one works
    expect((await http.get('/api/v1/me', s)).statusCode).toBe(401);
    const cookie = el.cookies.find((c) => c.name === '__Host-strongroom_session');
    const s2 = { ...s, cookie: `${cookie?.name}=${cookie?.value}`, csrf: el.json().csrfToken };
    expect(
      (await http.post('/api/v1/users', { email: 'vic@example.test', name: 'V', roles: ['analyst'] }, s2)).statusCode,
    ).toBe(201);
    t.clock.advance(10 * 60_000 + 1000);
    const after = await http.post('/api/v1/users', { email: 'wes@example.test', name: 'W', roles: ['analyst'] }, s2);
    expect(after.json().error.code).toBe('access.elevation_required');
    a = await signIn(t, ownerA);
  });

  it('IAM-09: a privileged session has a shorter idle timeout than an ordinary one', async () => {
    b = await signIn(t, ownerB);
    const analyst = await createEnrolledUser(t, a, { email: 'xena@example.test', roles: ['analyst'], approver: b });
    const s = await signIn(t, analyst);
    const o = await signIn(t, ownerA);
    t.clock.advance(t.core.config.session.privilegedIdleTimeoutSeconds * 1000 + 1000);
    expect((await http.get('/api/v1/me', o)).json().error.code).toBe('auth.session_expired');
    expect((await http.get('/api/v1/me', s)).statusCode).toBe(200);
    a = await signIn(t, ownerA);
    b = await signIn(t, ownerB);
  });
});

describe('IAM-13 IP allow-lists', () => {
  it('IAM-13: private ranges by default; a global list replaces them and a personal list narrows further', async () => {
    const u = ownerA.userId;
    expect(await t.core.access.isIpAllowed(t.core.db, u, '10.1.2.3')).toBe(true);
    expect(await t.core.access.isIpAllowed(t.core.db, u, '198.51.100.7')).toBe(false);
    const add = await http.post('/api/v1/ip-allowlist', { cidr: '198.51.100.0/24', label: 'office' }, a);
    expect(add.statusCode).toBe(201);
    expect(await t.core.access.isIpAllowed(t.core.db, u, '198.51.100.7')).toBe(true);
    expect(await t.core.access.isIpAllowed(t.core.db, u, '10.1.2.3')).toBe(false);
    await http.post('/api/v1/ip-allowlist', { cidr: '198.51.100.7', userId: u, label: 'desk' }, a);
    expect(await t.core.access.isIpAllowed(t.core.db, u, '198.51.100.7')).toBe(true);
    expect(await t.core.access.isIpAllowed(t.core.db, u, '198.51.100.8')).toBe(false);
    expect(await t.core.access.isIpAllowed(t.core.db, ownerB.userId, '198.51.100.8')).toBe(true);
    const bad = await http.post('/api/v1/ip-allowlist', { cidr: '10.0.0.0/33', label: 'x' }, a);
    expect(bad.json().error.code).toBe('allowlist.invalid_cidr');
  });
});

describe('service tokens', () => {
  it('are shown once, stored hashed, and refused from another network, without the scope, or once revoked', async () => {
    const created = await http.post(
      '/api/v1/service-tokens',
      { name: 'partner feed', scopes: ['records.write'], allowedCidrs: ['127.0.0.1/32'] },
      a,
    );
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect(token).toMatch(/^srt_/);
    expect(JSON.stringify(await t.testDb.superuser('SELECT * FROM identity.service_tokens'))).not.toContain(token);
    const ctx = (ip: string) => ({ ip, requestId: 'r', route: 'test' });
    await expect(
      t.core.identity.authenticateServiceToken(token, 'records.write', ctx('127.0.0.1')),
    ).resolves.toMatchObject({
      kind: 'service',
    });
    await expect(
      t.core.identity.authenticateServiceToken(token, 'records.write', ctx('10.0.0.1')),
    ).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    await expect(
      t.core.identity.authenticateServiceToken(token, 'records.reveal', ctx('127.0.0.1')),
    ).rejects.toMatchObject({
      code: 'access.denied',
    });
    expect((await http.del(`/api/v1/service-tokens/${id}`, a)).statusCode).toBe(204);
    await expect(
      t.core.identity.authenticateServiceToken(token, 'records.write', ctx('127.0.0.1')),
    ).rejects.toMatchObject({
      code: 'auth.invalid_token',
    });
    const list = await http.get('/api/v1/service-tokens', a);
    expect(JSON.stringify(list.json())).not.toContain(token);
  });
});

describe('IAM-12 access-review groundwork', () => {
  it('IAM-12: role assignments and grants record who granted them and when they were last used', async () => {
    a = await signIn(t, ownerA);
    expect((await http.get('/api/v1/audit/events?limit=1', a)).statusCode).toBe(200);
    const detail = await http.get(`/api/v1/users/${ownerA.userId}`, a);
    const owner = (
      detail.json().roleAssignments as { role: string; lastUsedAt: string | null; grantedVia: string }[]
    ).find((r) => r.role === 'owner');
    expect(owner?.grantedVia).toBe('init');
    expect(owner?.lastUsedAt).not.toBeNull();
  });
});

describe('admin session control and planned departures', () => {
  it('IAM-11: a planned departure can be cancelled; an admin can end one session of another person', async () => {
    a = await signIn(t, ownerA);
    const user = await createEnrolledUser(t, a, {
      email: 'yuri@example.test',
      roles: ['analyst'],
      approver: await signIn(t, ownerB),
    });
    a = await signIn(t, ownerA);
    const at = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    await http.post(`/api/v1/users/${user.userId}/offboard`, { at }, a);
    const cancel = await http.del(`/api/v1/users/${user.userId}/departure`, a);
    expect(cancel.json()).toMatchObject({ departureAt: null });
    t.clock.advance(3600_000 + 1000);
    expect(await t.core.identity.jobs.processDepartures()).toBe(0);
    a = await signIn(t, ownerA);
    const s = await signIn(t, user);
    const detail = (await http.get(`/api/v1/users/${user.userId}`, a)).json();
    const sid = detail.sessions[0].id;
    expect((await http.del(`/api/v1/users/${user.userId}/sessions/${sid}`, a)).statusCode).toBe(204);
    expect((await http.get('/api/v1/me', s)).statusCode).toBe(401);
  });

  it('IAM-03: a wrong step-up code answers 400 (the session stays), and /me tells the step-up window and methods', async () => {
    const s = await signIn(t, ownerA);
    const bad = await http.post('/api/v1/auth/step-up', { method: 'totp', code: '000000' }, s);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('auth.mfa_invalid');
    const noSms = await http.post('/api/v1/auth/step-up/options', { method: 'sms' }, s);
    expect(noSms.statusCode).toBe(400);
    expect(noSms.json().error.code).toBe('mfa.method_unavailable');
    const me = (await http.get('/api/v1/me', s)).json();
    expect(me.user.mfaMethods).toEqual(['totp']);
    expect(new Date(me.session.stepUpValidUntil).getTime()).toBeGreaterThan(t.clock.now().getTime());
  });
});

describe('IAM-11 late revocation', () => {
  it('IAM-11: a departure carried out more than 4 hours late raises an alert', async () => {
    a = await signIn(t, ownerA);
    const user = await createEnrolledUser(t, a, {
      email: 'zoe@example.test',
      roles: ['analyst'],
      approver: await signIn(t, ownerB),
    });
    a = await signIn(t, ownerA);
    await http.post(
      `/api/v1/users/${user.userId}/offboard`,
      { at: new Date(t.clock.now().getTime() + 60_000).toISOString() },
      a,
    );
    t.clock.advance(5 * 3600_000); // the job did not run for five hours
    await t.core.identity.jobs.processDepartures();
    const alerts = (await t.testDb.superuser(
      `SELECT rule, subject_id FROM detection.alerts WHERE rule = 'offboarding-overdue'`,
    )) as { subject_id: string }[];
    expect(alerts).toEqual([{ rule: 'offboarding-overdue', subject_id: user.userId }]);
  });
});

/**
 * Detection and response through the real stack (LOG-04, LOG-05, LOG-06, NET-02): each rule fires where it
 * should and stays quiet on ordinary use; responses are in force before the next request; alert emails reach
 * a real SMTP server; alerts need a review note to close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEnrolledUser,
  createOwner,
  createTestApp,
  type SignedIn,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { startSmtp } from '../../../test/support/smtp.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let http: ReturnType<typeof api>;
let owner: Awaited<ReturnType<typeof createOwner>>;
let o: SignedIn;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp({ STRONGROOM_SMTP_URL: smtp.url });
  http = api(t);
  owner = await createOwner(t, 'sec.owner@example.test');
  o = await signIn(t, owner);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const from = (
  ip: string,
  s: SignedIn | undefined,
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
) =>
  t.app.inject({
    method,
    url,
    payload,
    remoteAddress: ip,
    headers: s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {},
  });
const alertsOf = async (rule: string) =>
  (await t.testDb.superuser('SELECT severity, status, subject_type FROM detection.alerts WHERE rule = $1', [rule])) as {
    severity: string;
  }[];

describe('LOG-05 unauthorized calls', () => {
  it('LOG-05: ordinary use — two refusals, then a third after the window — locks nobody', async () => {
    const user = await createEnrolledUser(t, o, { email: 'careful@example.test', roles: ['analyst'] });
    const s = await signIn(t, user);
    expect((await from('10.1.0.1', s, 'GET', '/api/v1/users')).statusCode).toBe(403);
    expect((await from('10.1.0.1', s, 'GET', '/api/v1/users')).statusCode).toBe(403);
    t.clock.advance(5 * 60_000 + 1000);
    expect((await from('10.1.0.1', s, 'GET', '/api/v1/users')).statusCode).toBe(403);
    expect((await from('10.1.0.1', s, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect(await alertsOf('unauthorized-calls')).toEqual([]);
    o = await signIn(t, owner);
  });

  it('LOG-05: three refused calls in 5 minutes lock the account, block the IP and email the admins, before the next request', async () => {
    const user = await createEnrolledUser(t, o, { email: 'prober@example.test', roles: ['analyst'] });
    const s = await signIn(t, user);
    for (let i = 0; i < 3; i++) expect((await from('10.2.0.2', s, 'GET', '/api/v1/audit/events')).statusCode).toBe(403);
    const next = await from('10.2.0.2', s, 'GET', '/api/v1/me');
    expect(next.statusCode).toBe(403);
    expect(next.json().error.code).toBe('security.ip_blocked');
    expect((await from('10.2.0.2', undefined, 'GET', '/healthz')).statusCode).toBe(200);
    expect((await from('10.2.0.3', s, 'GET', '/api/v1/me')).statusCode).toBe(401); // locked everywhere
    expect(await alertsOf('unauthorized-calls')).toEqual([{ severity: 'high', status: 'open', subject_type: 'user' }]);
    const open = await http.get('/api/v1/alerts?status=open', o);
    expect(open.json().items[0]).toMatchObject({ rule: 'unauthorized-calls', severity: 'high', status: 'open' });
    expect(JSON.stringify(open.json())).not.toContain('prober@example.test');
    expect(await t.core.notifications.deliverDue()).toBeGreaterThanOrEqual(1);
    const mails = smtp.received.filter((m) => m.raw.includes('HIGH alert'));
    expect(mails.flatMap((m) => m.to)).toContain('sec.owner@example.test');
    const actions = (
      (await t.testDb.superuser(
        `SELECT action FROM audit.entries WHERE action IN ('detection.alert.raised', 'detection.ip.blocked', 'detection.account.locked')`,
      )) as { action: string }[]
    ).map((r) => r.action);
    expect(actions.sort()).toEqual(['detection.account.locked', 'detection.alert.raised', 'detection.ip.blocked']);
  });

  it('NET-02: a block expires, and a repeat offender is blocked longer', async () => {
    const blocks = (await http.get('/api/v1/blocked-ips', o)).json().items as {
      level: number;
      expiresAt: string;
      active: boolean;
    }[];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ level: 1, active: true });
    t.clock.advance(61 * 60_000);
    await t.core.blocklist.reload();
    expect((await from('10.2.0.2', undefined, 'GET', '/api/v1/setup/status')).statusCode).toBe(200);
    o = await signIn(t, owner);
    const again = await createEnrolledUser(t, o, { email: 'prober2@example.test', roles: ['analyst'] });
    const s = await signIn(t, again);
    for (let i = 0; i < 3; i++) await from('10.2.0.2', s, 'GET', '/api/v1/audit/events');
    const second = (
      (await http.get('/api/v1/blocked-ips', o)).json().items as {
        level: number;
        createdAt: string;
        expiresAt: string;
      }[]
    )[0];
    expect(second?.level).toBe(2);
    expect(new Date(second?.expiresAt ?? 0).getTime() - new Date(second?.createdAt ?? 0).getTime()).toBe(240 * 60_000);
  });
});

describe('LOG-04 failed sign-ins from one address', () => {
  it('LOG-04: ten failures from one IP in 10 minutes raise one alert (and block nothing); nine do not', async () => {
    const fail = (ip: string) =>
      from(ip, undefined, 'POST', '/api/v1/auth/login', {
        email: 'nobody@example.test',
        password: 'Wrong-Password-11',
      });
    for (let i = 0; i < 9; i++) await fail('10.3.0.3');
    expect(await alertsOf('failed-logins-per-ip')).toEqual([]);
    await fail('10.3.0.3');
    await fail('10.3.0.3');
    expect(await alertsOf('failed-logins-per-ip')).toEqual([
      { severity: 'medium', status: 'open', subject_type: 'ip' },
    ]);
    expect((await fail('10.3.0.3')).json().error.code).toBe('auth.invalid_credentials');
  });
});

describe('LOG-06 alert review', () => {
  it('LOG-06: an alert is acknowledged, then resolved only with a review note', async () => {
    o = await signIn(t, owner);
    const id = (await http.get('/api/v1/alerts?status=open', o)).json().items[0].id;
    const ack = await http.post(`/api/v1/alerts/${id}/acknowledge`, undefined, o);
    expect(ack.json()).toMatchObject({ status: 'acknowledged' });
    expect((await http.post(`/api/v1/alerts/${id}/resolve`, {}, o)).statusCode).toBe(400);
    const done = await http.post(
      `/api/v1/alerts/${id}/resolve`,
      { note: 'Reviewed: a tester probing permissions, account kept locked.' },
      o,
    );
    expect(done.json()).toMatchObject({ status: 'resolved' });
    const row = JSON.stringify(await t.testDb.superuser('SELECT * FROM detection.alerts WHERE id = $1', [id]));
    expect(row).not.toContain('Reviewed: a tester'); // the free-text note is sealed
  });

  it('LOG-06: open alerts are re-sent until acknowledged', async () => {
    const before = smtp.received.length;
    await t.core.notifications.deliverDue();
    t.clock.advance(16 * 60_000);
    expect(await t.core.alerts.repeatNotices()).toBeGreaterThanOrEqual(1);
    expect(await t.core.notifications.deliverDue()).toBeGreaterThanOrEqual(1);
    expect(smtp.received.slice(before).some((m) => m.raw.includes('reminder'))).toBe(true);
  });
});

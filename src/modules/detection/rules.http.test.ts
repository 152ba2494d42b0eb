/**
 * Every detection rule through the real stack (LOG-04, LOG-05, LOG-06, IAM-15, INC-03, NET-02): for each, a case
 * where it fires (with its responses in force before the next request) and a case of ordinary use where it does
 * not. Plus lock-down with its two-admin lift, rule versions and replay, alert webhooks (signed) and SMS.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

let t: TestApp;
let http: ReturnType<typeof api>;
let owner: Awaited<ReturnType<typeof createOwner>>;
let owner2: Awaited<ReturnType<typeof createEnrolledUser>>;
let o: SignedIn;
let dataOwner: string;

const as = (
  s: SignedIn | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts: { payload?: unknown; ip?: string; ua?: string } = {},
) =>
  t.app.inject({
    method,
    url,
    payload: opts.payload as Record<string, unknown>,
    remoteAddress: opts.ip ?? '127.0.0.1',
    headers: {
      ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
      ...(opts.ua ? { 'user-agent': opts.ua } : {}),
    },
  });
const alertsOf = async (rule: string) =>
  (await t.testDb.superuser(
    'SELECT severity, status, subject_type, responses, checkpoint FROM detection.alerts WHERE rule = $1',
    [rule],
  )) as { severity: string; status: string; subject_type: string; responses: string[]; checkpoint: string | null }[];
const person = (i: number) => ({
  fullName: `Walter Enumerable${i}`,
  email: `walter${i}@crowd.example`,
  company: 'Crowdfield Partners',
});
const reveal = (id: string, s: SignedIn, ip?: string) =>
  as(s, 'POST', `/api/v1/records/${id}/reveal`, {
    payload: { purpose: 'customer_request', justification: 'Customer asked for a copy of their data' },
    ...(ip ? { ip } : {}),
  });
const fresh = async () => {
  o = await signIn(t, owner);
  return o;
};
/** A new account through the four-eyes path: created by the first owner, approved by the second. */
const mk = async (email: string, roles: string[]) => {
  const approver = await signIn(t, owner2);
  const creator = await fresh();
  return createEnrolledUser(t, creator, { email, roles, approver });
};

beforeAll(async () => {
  t = await createTestApp({ STRONGROOM_REVEAL_QUOTAS: 'minute=50,hour=500,day=500,week_distinct=500' });
  http = api(t);
  owner = await createOwner(t, 'rules.owner@example.test');
  o = await signIn(t, owner);
  owner2 = await createEnrolledUser(t, o, { email: 'rules.owner2@example.test', roles: ['owner'] });
  o = await signIn(t, owner);
  dataOwner = (
    await http.post('/api/v1/owners', { name: 'Crowdfield', contactEmails: ['dpo@crowd.example'] }, o)
  ).json().id;
  for (let i = 0; i < 15; i++) {
    const r = await http.post('/api/v1/records', { ownerId: dataOwner, externalRef: `w-${i}`, fields: person(i) }, o);
    expect(r.statusCode).toBe(201);
  }
});
afterAll(() => t.close());

describe('sign-in detection points (LOG-04, IAM-15)', () => {
  const fail = (email: string, ip: string) =>
    as(undefined, 'POST', '/api/v1/auth/login', { payload: { email, password: 'Wrong-Password-11' }, ip });

  it('IAM-15: eight failures on one account from scattered addresses raise one alert; seven do not', async () => {
    const victim = await mk('sprayed@example.test', ['analyst']);
    for (let i = 0; i < 7; i++) await fail(victim.email, `198.51.100.${10 + i}`);
    expect(await alertsOf('failed-logins-per-account')).toEqual([]);
    await fail(victim.email, '198.51.100.30');
    const [a] = await alertsOf('failed-logins-per-account');
    expect(a).toMatchObject({ severity: 'medium', subject_type: 'account_name', responses: ['alert'] });
    expect(JSON.stringify(await t.testDb.superuser('SELECT * FROM detection.alerts'))).not.toContain('sprayed@');
  });

  it('NET-02: one address trying twenty different account names is blocked; one name tried twenty times is not', async () => {
    for (let i = 0; i < 21; i++) await fail('same.name@example.test', '203.0.113.70');
    expect(await alertsOf('many-accounts-per-ip')).toEqual([]);
    for (let i = 0; i < 19; i++) await fail(`guess${i}@example.test`, '203.0.113.71');
    expect(await alertsOf('many-accounts-per-ip')).toEqual([]);
    await fail('guess19@example.test', '203.0.113.71');
    expect(await alertsOf('many-accounts-per-ip')).toMatchObject([
      { severity: 'high', subject_type: 'ip', responses: ['alert', 'block_ip'] },
    ]);
    const next = await as(undefined, 'GET', '/api/v1/setup/status', { ip: '203.0.113.71' });
    expect(next.json().error.code).toBe('security.ip_blocked');
    expect((await as(undefined, 'GET', '/api/v1/setup/status', { ip: '203.0.113.70' })).statusCode).toBe(200);
  });
});

describe('session context (IAM-15)', () => {
  it('IAM-15: a session used from another network raises an alert and requires a fresh second factor; the same network does not', async () => {
    const u = await mk('roamer@example.test', ['analyst']);
    const s = await signIn(t, u);
    expect((await as(s, 'GET', '/api/v1/me', { ip: '192.0.2.10' })).statusCode).toBe(200);
    expect((await as(s, 'GET', '/api/v1/me', { ip: '192.0.2.77' })).statusCode).toBe(200); // same /24
    expect((await t.testDb.superuser(`SELECT 1 FROM detection.alerts WHERE rule LIKE 'session-%'`)).length).toBe(0);
    const moved = await as(s, 'GET', '/api/v1/me', { ip: '198.18.4.4' });
    expect(moved.statusCode).toBe(200);
    expect(await alertsOf('session-ip-changed')).toMatchObject([
      { severity: 'medium', responses: ['alert', 'step_up'] },
    ]);
    const row = (await t.testDb.superuser(
      'SELECT mfa_at < created_at AS stale FROM identity.sessions WHERE user_id = $1 AND ended_at IS NULL',
      [u.userId],
    )) as { stale: boolean }[];
    expect(row).toEqual([{ stale: true }]);
  });

  it('IAM-15: a session cookie replayed from another browser is ended on that very request', async () => {
    const u = await mk('cookie.owner@example.test', ['analyst']);
    const s = await signIn(t, u);
    expect((await as(s, 'GET', '/api/v1/me', { ua: 'Mozilla/5.0 (X11) Firefox/140' })).statusCode).toBe(200);
    expect((await as(s, 'GET', '/api/v1/me', { ua: 'Mozilla/5.0 (X11) Firefox/140' })).statusCode).toBe(200);
    const stolen = await as(s, 'GET', '/api/v1/me', { ua: 'curl/8.9' });
    expect(stolen.statusCode).toBe(401);
    expect(await alertsOf('session-device-changed')).toMatchObject([
      { severity: 'high', responses: ['alert', 'end_sessions'] },
    ]);
    expect((await as(s, 'GET', '/api/v1/me', { ua: 'Mozilla/5.0 (X11) Firefox/140' })).statusCode).toBe(401);
  });
});

describe('retrieval detection points (LOG-04)', () => {
  const recordIds = async (s: SignedIn) => {
    const r = await as(s, 'GET', '/api/v1/records?q=Crowdfield');
    expect(r.statusCode).toBe(200);
    return (r.json().items as { id: string }[]).map((x) => x.id);
  };

  it('LOG-04: searching once and revealing every hit is enumeration: alert, and a fresh second factor demanded', async () => {
    const u = await mk('walker@example.test', ['owner']);
    const s = await signIn(t, u);
    const ids = await recordIds(s);
    expect(ids.length).toBe(15);
    // 11 of 15 hits is 73 % of the results: not yet the pattern (≥ 12 reveals covering ≥ 80 %)
    for (const id of ids.slice(0, 11)) expect((await reveal(id, s)).statusCode).toBe(200);
    expect(await alertsOf('enumeration')).toEqual([]);
    expect((await reveal(ids[11] as string, s)).statusCode).toBe(200);
    expect(await alertsOf('enumeration')).toMatchObject([{ severity: 'high', responses: ['alert', 'step_up'] }]);
    expect((await reveal(ids[12] as string, s)).json().error.code).toBe('auth.step_up_required');
    o = await fresh(); // the owner is untouched
    expect((await as(o, 'GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('LOG-04: one search per request, one reveal each — however many — is not enumeration', async () => {
    const s = await signIn(t, owner2);
    for (let i = 0; i < 13; i++) {
      const found = await as(s, 'GET', `/api/v1/records?email=${encodeURIComponent(person(i).email)}`);
      const id = found.json().items[0].id as string;
      expect((await reveal(id, s)).statusCode).toBe(200);
    }
    const enumerations = await t.testDb.superuser(
      `SELECT 1 FROM detection.alerts WHERE rule = 'enumeration' AND subject_id = $1`,
      [owner2.userId ?? ''],
    );
    expect(enumerations).toEqual([]);
    o = await fresh();
  });

  it('LOG-04: reveals above the hourly cap raise an alert and demand a fresh second factor; below it, nothing', async () => {
    const patched = await as(o, 'PATCH', '/api/v1/detection/rules/retrieval-volume', { payload: { hardCap: 4 } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ version: 2, detector: { hardCap: 4 } });
    const u = await mk('volume@example.test', ['owner']);
    t.clock.advance(3600_000); // a fresh hour for this user
    const s = await signIn(t, u);
    const ids = (await as(s, 'GET', '/api/v1/records?q=Crowdfield')).json().items.map((x: { id: string }) => x.id);
    for (const id of ids.slice(0, 3)) expect((await reveal(id, s)).statusCode).toBe(200);
    const mine = () =>
      t.testDb.superuser(`SELECT responses FROM detection.alerts WHERE rule = 'retrieval-volume' AND subject_id = $1`, [
        u.userId,
      ]);
    expect(await mine()).toEqual([]);
    expect((await reveal(ids[3], s)).statusCode).toBe(200);
    expect(await mine()).toEqual([{ responses: ['alert', 'step_up'] }]);
    const next = await reveal(ids[5], s);
    expect(next.json().error.code).toBe('auth.step_up_required');
    o = await fresh();
  });

  it('LOG-04: a search that finds a canary raises an alert; ordinary searches do not', async () => {
    const before = (await alertsOf('canary-searched')).length;
    const s = await signIn(t, owner2);
    await as(s, 'GET', '/api/v1/records?q=Crowdfield');
    expect((await alertsOf('canary-searched')).length).toBe(before);
    o = await fresh();
    expect((await as(o, 'POST', '/api/v1/canaries', { payload: { ownerId: dataOwner } })).statusCode).toBe(201);
    // a canary looks like an ordinary record: it carries one of a few plausible company names
    const s2 = await signIn(t, owner2);
    for (const token of ['Northwind', 'Bluefield', 'Cedar', 'Arclight', 'Meridian'])
      expect((await as(s2, 'GET', `/api/v1/records?q=${token}`)).statusCode).toBe(200);
    expect(await alertsOf('canary-searched')).toMatchObject([{ severity: 'medium', responses: ['alert'] }]);
    // a search is not a reveal: the searcher keeps working
    expect((await as(s2, 'GET', '/api/v1/me')).statusCode).toBe(200);
    o = await fresh();
  });
});

describe('request rate (LOG-04)', () => {
  it('LOG-04: requests above the per-minute cap raise an alert and a step-up; the same count a minute apart does not', async () => {
    const rt = await createTestApp({ STRONGROOM_REQUEST_RATE_CAP: '12' });
    try {
      const h = api(rt);
      const boss = await createOwner(rt, 'rate.owner@example.test');
      let s = await signIn(rt, boss);
      const u = await createEnrolledUser(rt, s, { email: 'busy@example.test', roles: ['analyst'] });
      const us = await signIn(rt, u);
      const rules = () =>
        rt.testDb.superuser(`SELECT responses FROM detection.alerts WHERE rule = 'request-rate' AND subject_id = $1`, [
          u.userId,
        ]);
      rt.clock.advance(60_000);
      for (let i = 0; i < 12; i++) expect((await h.get('/api/v1/me', us)).statusCode).toBe(200);
      rt.clock.advance(60_000);
      for (let i = 0; i < 12; i++) expect((await h.get('/api/v1/me', us)).statusCode).toBe(200);
      expect(await rules()).toEqual([]);
      expect((await h.get('/api/v1/me', us)).statusCode).toBe(200); // the 13th in this minute
      expect(await rules()).toEqual([{ responses: ['alert', 'step_up'] }]);
      // the counts reach the history that baselines are computed from
      rt.clock.advance(60_000);
      expect(await rt.core.detection.activity.flush()).toBeGreaterThanOrEqual(2);
      const hist = (await rt.testDb.superuser(
        'SELECT requests FROM detection.activity_minutes WHERE user_id = $1 ORDER BY minute',
        [u.userId],
      )) as { requests: number }[];
      expect(hist.map((r) => r.requests)).toEqual([12, 13]);
      s = await signIn(rt, boss);
    } finally {
      await rt.close();
    }
  });
});

describe('audit integrity as a detection point (LOG-02, INC-03)', () => {
  it('LOG-04: a heartbeat gap of three intervals raises an alert; regular beats do not', async () => {
    expect((await t.core.detection.integrity.beat()).gapSeconds).toBeNull();
    t.clock.advance(300_000);
    expect((await t.core.detection.integrity.beat()).gapSeconds).toBeNull();
    expect(await alertsOf('audit-heartbeat-missing')).toEqual([]);
    t.clock.advance(20 * 60_000);
    expect((await t.core.detection.integrity.beat()).gapSeconds).toBe(1200);
    expect(await alertsOf('audit-heartbeat-missing')).toMatchObject([{ severity: 'high' }]);
    o = await fresh();
  });
});

describe('rules are versioned data (IAM-15)', () => {
  it('a weakening change is stored as a new version and raises an alert; a tightening one does not', async () => {
    const tighter = await as(o, 'PATCH', '/api/v1/detection/rules/failed-logins-per-ip', { payload: { threshold: 8 } });
    expect(tighter.json()).toMatchObject({ version: 2, detector: { threshold: 8 } });
    expect(await alertsOf('security-weakened')).toEqual([]);
    const off = await as(o, 'PATCH', '/api/v1/detection/rules/failed-logins-per-ip', { payload: { enabled: false } });
    expect(off.json()).toMatchObject({ version: 3, enabled: false, detector: { threshold: 8 } });
    expect(await alertsOf('security-weakened')).toMatchObject([{ severity: 'medium' }]);
    const hist = (await as(o, 'GET', '/api/v1/detection/rules/failed-logins-per-ip')).json().history;
    expect(hist.map((h: { version: number; weakened: boolean }) => [h.version, h.weakened])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    // a disabled rule does not fire
    const firedBefore = (await alertsOf('failed-logins-per-ip')).length;
    for (let i = 0; i < 12; i++)
      await as(undefined, 'POST', '/api/v1/auth/login', {
        payload: { email: `x${i}@example.test`, password: 'Wrong-Password-11' },
        ip: '198.51.100.200',
      });
    expect((await alertsOf('failed-logins-per-ip')).length).toBe(firedBefore);
    o = await fresh();
    await as(o, 'PATCH', '/api/v1/detection/rules/failed-logins-per-ip', { payload: { enabled: true } });
    expect((await as(o, 'PATCH', '/api/v1/detection/rules/nope', { payload: {} })).statusCode).toBe(404);
    const misfit = await as(o, 'PATCH', '/api/v1/detection/rules/failed-logins-per-ip', { payload: { hardCap: 3 } });
    expect(misfit.json().error.code).toBe('detection.settings_invalid');
  });

  it('replay: a lower threshold over the stored month shows how many more times the rule would fire', async () => {
    // an address with four failures: below the threshold in force (8), above the proposed one (3)
    for (let i = 0; i < 4; i++)
      await as(undefined, 'POST', '/api/v1/auth/login', {
        payload: { email: `few${i}@example.test`, password: 'Wrong-Password-11' },
        ip: '198.51.100.201',
      });
    const res = await as(o, 'POST', '/api/v1/detection/rules/failed-logins-per-ip/replay', {
      payload: { settings: { threshold: 3 } },
    });
    expect(res.statusCode).toBe(200);
    const { current, proposed } = res.json();
    expect(proposed.wouldFire).toBeGreaterThan(current.wouldFire);
    expect(proposed.subjects).toBeGreaterThanOrEqual(4); // 198.51.100.200 and .201, 203.0.113.70 and .71
    expect(proposed.byDay.reduce((a: number, d: { fires: number }) => a + d.fires, 0)).toBe(proposed.wouldFire);
  });
});

describe('lock-down (INC-03)', () => {
  it('INC-03: engaged by security staff, it closes reveals; one owner cannot lift it alone, two can', async () => {
    const sec = await mk('responder@example.test', ['security_analyst']);
    const ss = await signIn(t, sec);
    expect((await as(ss, 'POST', '/api/v1/lockdown')).json()).toMatchObject({ active: true, reason: 'manual' });
    expect((await as(ss, 'POST', '/api/v1/lockdown')).json().error.code).toBe('lockdown.already_active');
    o = await fresh();
    const id = (await as(o, 'GET', '/api/v1/records?q=Crowdfield')).json().items[0].id;
    const refused = await reveal(id, o);
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('security.lockdown');
    expect((await as(ss, 'POST', '/api/v1/lockdown/lift')).json().error.code).toBe('lockdown.owner_required');
    expect((await as(o, 'POST', '/api/v1/lockdown/lift')).json()).toMatchObject({
      active: true,
      liftRequestedBy: o.userId,
    });
    expect((await as(o, 'POST', '/api/v1/lockdown/lift')).json().error.code).toBe('lockdown.second_admin_required');
    const s2 = await signIn(t, owner2);
    expect((await as(s2, 'GET', '/api/v1/lockdown')).json().active).toBe(true);
    expect((await as(s2, 'POST', '/api/v1/lockdown/lift')).json()).toMatchObject({ active: false });
    o = await fresh();
    expect((await reveal(id, o)).statusCode).toBe(200);
    const actions = (
      (await t.testDb.superuser(
        `SELECT action FROM audit.entries WHERE action LIKE 'detection.lockdown.%' ORDER BY at`,
      )) as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual([
      'detection.lockdown.engaged',
      'detection.lockdown.lift_requested',
      'detection.lockdown.lifted',
    ]);
  });
});

describe('alert delivery (LOG-06)', () => {
  let server: Server;
  const received: { url: string | undefined; headers: Record<string, unknown>; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('LOG-06: alerts reach a webhook, signed with the secret shown once; plain http off this machine is refused', async () => {
    const bad = await as(o, 'POST', '/api/v1/webhooks', {
      payload: { name: 'siem', url: 'http://siem.example/hook', minSeverity: 'low' },
    });
    expect(bad.json().error.code).toBe('webhooks.https_required');
    const port = (server.address() as AddressInfo).port;
    // the path holds the receiver's token, as chat and pager webhooks do: it is stored sealed and never listed
    const made = await as(o, 'POST', '/api/v1/webhooks', {
      payload: { name: 'siem', url: `http://127.0.0.1:${port}/hook/T0K3N-5ecret`, minSeverity: 'high' },
    });
    expect(made.statusCode).toBe(201);
    const secret = Buffer.from(made.json().secret, 'base64url');
    const stored = JSON.stringify(await t.testDb.superuser('SELECT * FROM detection.webhooks'));
    expect(stored).not.toContain(made.json().secret);
    expect(stored).not.toContain('T0K3N-5ecret');
    const listed = (await as(o, 'GET', '/api/v1/webhooks')).json().items;
    expect(listed).toMatchObject([{ name: 'siem', url: `http://127.0.0.1:${port}/…` }]);
    // a high alert: three refused calls by one user
    const prober = await mk('hooked@example.test', ['analyst']);
    const ps = await signIn(t, prober);
    for (let i = 0; i < 3; i++) await as(ps, 'GET', '/api/v1/audit/events', { ip: '127.0.0.9' });
    await t.core.notifications.deliverDue(500);
    const hook = received.find((r) => r.body.includes('unauthorized-calls'));
    expect(hook).toBeDefined();
    expect(hook?.url).toBe('/hook/T0K3N-5ecret');
    const sig = String(hook?.headers['strongroom-signature']);
    const [, ts, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig) ?? [];
    expect(createHmac('sha256', secret).update(`${ts}.${hook?.body}`).digest('hex')).toBe(v1);
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      type: 'detection.alert',
      data: { rule: 'unauthorized-calls', severity: 'high' },
    });
    expect(hook?.body).not.toContain('hooked@example.test');
    // medium alerts are below this hook's threshold
    expect(received.some((r) => r.body.includes('"severity":"medium"'))).toBe(false);
  });

  it('LOG-06: on-call staff with a confirmed phone get alerts by SMS too', async () => {
    o = await fresh();
    await as(o, 'POST', '/api/v1/me/mfa/sms', { payload: { phone: '+46 70 555 01 23' } });
    const box = await as(o, 'GET', '/api/v1/admin/sms-outbox?limit=1');
    const code = /(\d{6})/.exec(box.json().items[0].text)?.[1];
    expect((await as(o, 'POST', '/api/v1/me/mfa/sms/confirm', { payload: { code } })).statusCode).toBe(204);
    const prober = await mk('texted@example.test', ['analyst']);
    const ps = await signIn(t, prober);
    for (let i = 0; i < 3; i++) await as(ps, 'GET', '/api/v1/audit/events', { ip: '127.0.0.10' });
    await t.core.notifications.deliverDue(500);
    o = await fresh();
    const texts = (await as(o, 'GET', '/api/v1/admin/sms-outbox?limit=20')).json().items as {
      to: string;
      text: string;
    }[];
    const alertText = texts.find((x) => x.text.includes('HIGH alert unauthorized-calls'));
    expect(alertText?.to.replace(/\s/g, '')).toBe('+46705550123');
    expect(alertText?.text).not.toContain('texted@example.test');
  });
});

describe('alert detail (LOG-06)', () => {
  it('an alert explains what was observed against which limit, carries the checkpoint, and shows its timeline', async () => {
    await t.core.checkpoints.cut();
    const prober = await mk('explained@example.test', ['analyst']);
    const ps = await signIn(t, prober);
    for (let i = 0; i < 3; i++) await as(ps, 'GET', '/api/v1/users', { ip: '127.0.0.11' });
    o = await fresh();
    const list = (await as(o, 'GET', '/api/v1/alerts?rule=unauthorized-calls&limit=1')).json().items;
    const d = (await as(o, 'GET', `/api/v1/alerts/${list[0].id}`)).json();
    expect(d).toMatchObject({ rule: 'unauthorized-calls', observed: 3, limit: 3 });
    expect(d.explanation).toContain('3 hits in 300 s');
    expect(d.checkpoint).toMatch(/^\d+:[0-9a-f]{64}$/);
    const actions = d.timeline.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'access.denied')).toHaveLength(3);
    expect(d.timeline.some((e: { trigger: boolean }) => e.trigger)).toBe(true);
    expect(JSON.stringify(d)).not.toContain('explained@example.test');
  });
});

describe('security-weakening settings (IAM-15)', () => {
  it('an allow-list range wider than /16 raises an alert; a narrow one does not', async () => {
    const u = await mk('listed@example.test', ['analyst']);
    o = await fresh();
    const before = (await alertsOf('security-weakened')).length;
    const narrow = await as(o, 'POST', '/api/v1/ip-allowlist', {
      payload: { cidr: '192.0.2.0/24', userId: u.userId, label: 'office' },
    });
    expect(narrow.statusCode).toBe(201);
    expect((await alertsOf('security-weakened')).length).toBe(before);
    const wide = await as(o, 'POST', '/api/v1/ip-allowlist', {
      payload: { cidr: '10.0.0.0/8', userId: u.userId, label: 'everything' },
    });
    expect(wide.statusCode).toBe(201);
    expect((await alertsOf('security-weakened')).length).toBe(before + 1);
  });
});

describe('risk-engine findings (IAM-14, IAM-15)', () => {
  const assessed = (userId: string, indicators: string[], decision: 'allow' | 'step_up' | 'deny' = 'allow') =>
    t.core.db.transaction((tx) =>
      t.core.audit.append(tx, {
        action: 'risk.assessed',
        outcome: decision === 'deny' ? 'denied' : 'success',
        actor: { type: 'user', id: userId },
        target: { type: 'risk_assessment', id: crypto.randomUUID() },
        ip: '127.0.0.1',
        requestId: 'risk-test',
        details: {
          assessmentId: crypto.randomUUID(),
          stage: 'login',
          score: decision === 'deny' ? 90 : 20,
          decision,
          outcome: decision === 'deny' ? 'denied' : 'allowed',
          enforced: true,
          indicators,
        },
      }),
    );
  const mine = (rule: string, userId: string) =>
    t.testDb.superuser('SELECT severity FROM detection.alerts WHERE rule = $1 AND subject_id = $2', [rule, userId]);

  it('IAM-15: impossible travel, a new country, an unusual hour, a dormant account and a denial each raise their alert; an ordinary sign-in none', async () => {
    const u = await mk('traveller@example.test', ['analyst']);
    await assessed(u.userId, []);
    await assessed(u.userId, ['ua_missing']);
    for (const rule of ['impossible-travel', 'new-country', 'unusual-hour', 'dormant-account', 'risk-denied'])
      expect(await mine(rule, u.userId)).toEqual([]);
    await assessed(u.userId, ['geo_impossible_travel', 'geo_new_country']);
    expect(await mine('impossible-travel', u.userId)).toEqual([{ severity: 'high' }]);
    expect(await mine('new-country', u.userId)).toEqual([{ severity: 'low' }]);
    await assessed(u.userId, ['unusual_hour', 'dormant_account']);
    expect(await mine('unusual-hour', u.userId)).toEqual([{ severity: 'low' }]);
    expect(await mine('dormant-account', u.userId)).toEqual([{ severity: 'medium' }]);
    await assessed(u.userId, ['ip_tor_exit'], 'deny');
    expect(await mine('risk-denied', u.userId)).toEqual([{ severity: 'high' }]);
  });
});

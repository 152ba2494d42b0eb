/**
 * IAM-14 over HTTP: a risky sign-in is denied with the contract's generic 401 or narrowed to the strongest
 * factor; a risky reveal needs a step-up made after the engine asked, or is refused; decisions are stored,
 * explained and audited as `risk.assessed`; lists are imported (API and CLI core), replay reports changed
 * decisions, and no address or User-Agent string is stored in clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEnrolledUser,
  createOwner,
  createTestApp,
  type SignedIn,
  sessionCookieOf,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { totpCode } from '../identity/index.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 PlantedAgent/9';
const BROWSER = {
  'user-agent': CHROME,
  accept: 'application/json',
  'accept-language': 'en-GB',
  'sec-fetch-site': 'same-origin',
  'sec-fetch-mode': 'cors',
};
const LONDON = '81.2.69.160';
const SYDNEY = '1.1.1.1';
const TOR_EXIT = '185.220.101.1';

let t: TestApp;
let http: ReturnType<typeof api>;
let owner: Awaited<ReturnType<typeof createOwner>>;
let o: SignedIn;
let reader: Who;
let ownerB: Who;
/** The owner's browser device cookie, learnt in the first test. */
let ownerDevice: string | undefined;

type Who = { email: string; password: string; totpSecret: string };

/** Password then TOTP from `ip` with browser headers; keeps the device cookie the server hands out. */
async function browserSignIn(who: Who, ip: string, opts: { device?: string; advanceMs?: number } = {}) {
  t.clock.advance(opts.advanceMs ?? 30_000);
  const headers = { ...BROWSER, ...(opts.device ? { cookie: opts.device } : {}) };
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: ip,
    headers,
    payload: { email: who.email, password: who.password },
  });
  if (login.statusCode !== 200) return { login, mfa: undefined, device: opts.device };
  const mfa = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    remoteAddress: ip,
    headers,
    payload: { challengeId: login.json().challengeId, method: 'totp', code: totpCode(who.totpSecret, t.clock.now()) },
  });
  const set = mfa.cookies.find((c) => c.name === '__Host-strongroom_device');
  return { login, mfa, device: set ? `${set.name}=${set.value}` : opts.device };
}

const put = (url: string, payload: unknown, s: SignedIn) =>
  t.app.inject({
    method: 'PUT',
    url,
    payload: payload as Record<string, unknown>,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
  });

/** The newest assessment of `userId` (default: the owner), read by a security analyst signed in afresh. */
const latest = async (q = '', userId = owner.userId) =>
  (await http.get(`/api/v1/risk/assessments?limit=1&userId=${userId}${q}`, await signIn(t, reader))).json()
    .items[0] as {
    id: string;
    stage: string;
    score: number;
    decision: string;
    outcome: string;
    indicators: { id: string; factor: string; weight: number; points: number; evidence: Record<string, unknown> }[];
  };

beforeAll(async () => {
  t = await createTestApp({ STRONGROOM_RISK_DENIED_COUNTRIES: 'KP' });
  http = api(t);
  owner = await createOwner(t);
  o = await signIn(t, owner);
  reader = await createEnrolledUser(t, o, { email: 'reader@example.test', roles: ['security_analyst'] });
});
afterAll(() => t.close());

describe('IAM-14 risk at sign-in', () => {
  it('learns a browser and place; the device cookie recognises it next time', async () => {
    const first = await browserSignIn(owner, LONDON);
    expect(first.mfa?.statusCode).toBe(200);
    const cookie = first.mfa?.cookies.find((c) => c.name === '__Host-strongroom_device');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    ownerDevice = first.device;
    const again = await browserSignIn(owner, LONDON, { device: first.device });
    expect(again.mfa?.statusCode).toBe(200);
    o = { userId: owner.userId, cookie: sessionCookieOf(again.mfa as never), csrf: again.mfa?.json().csrfToken };
    const a = await latest('&stage=login');
    const ids = a.indicators.map((i) => i.id);
    expect(ids).not.toContain('device_new');
    expect(ids).not.toContain('geo_new_country');
    expect(a.decision).toBe('allow');
  });

  it('impossible travel (London, then Sydney 30 minutes later) fires and is explained with its evidence', async () => {
    const { device } = await browserSignIn(owner, LONDON);
    const far = await browserSignIn(owner, SYDNEY, { device, advanceMs: 30 * 60_000 });
    expect(far.login.statusCode).toBe(200);
    const a = await latest('&stage=login');
    const travel = a.indicators.find((i) => i.id === 'geo_impossible_travel');
    expect(travel).toMatchObject({ factor: 'geo', weight: 45, points: 45, evidence: { from: 'GB', to: 'AU' } });
    expect(a.indicators.map((i) => i.id)).toEqual(expect.arrayContaining(['geo_new_country', 'geo_far_from_usual']));
    expect(a.decision).toBe('step_up');
    const audited = (await t.testDb.superuser(
      `SELECT details FROM audit.all_entries WHERE action = 'risk.assessed' AND target_id = $1`,
      [a.id],
    )) as { details: { indicators: string[]; decision: string; score: number; assessmentId: string } }[];
    expect(audited[0]?.details).toMatchObject({ decision: 'step_up', score: a.score, assessmentId: a.id });
    expect(audited[0]?.details.indicators).toContain('geo_impossible_travel');
    const one = await http.get(`/api/v1/risk/assessments/${a.id}`, await signIn(t, reader));
    expect(one.json().indicators.length).toBe(a.indicators.length);
    o = await signIn(t, owner);
  });

  it('a step-up at sign-in narrows the second factors to the strongest one (TOTP, not recovery codes)', async () => {
    o = await signIn(t, owner);
    const imported = await put('/api/v1/risk/lists/tor', { content: `ExitAddress ${TOR_EXIT} 2026-11-20` }, o);
    expect(imported.statusCode).toBe(200);
    const codes = await http.post('/api/v1/me/mfa/recovery-codes', undefined, o);
    expect(codes.statusCode).toBe(200);
    const code = codes.json().codes[0] as string;
    // three days later (the trip from Sydney is possible, the new recovery codes no longer "recent"), through Tor
    t.clock.advance(73 * 3_600_000);
    const torHeaders = { ...BROWSER, cookie: ownerDevice ?? '' };
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: TOR_EXIT,
      headers: torHeaders,
      payload: { email: owner.email, password: owner.password },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().methods).toEqual(['totp']);
    const withCode = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa',
      remoteAddress: TOR_EXIT,
      headers: torHeaders,
      payload: { challengeId: login.json().challengeId, method: 'recovery_code', code },
    });
    expect(withCode.statusCode).toBe(401);
    const a = await latest('&stage=login');
    expect(a).toMatchObject({ decision: 'step_up', outcome: 'challenged' });
    expect(a.indicators.map((i) => i.id)).toContain('ip_tor_exit');
    // nor is a weaker factor started: no SMS code goes out for a method this sign-in would refuse
    const sms = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa/options',
      remoteAddress: TOR_EXIT,
      headers: torHeaders,
      payload: { challengeId: login.json().challengeId, method: 'sms' },
    });
    expect(sms.json().error.code).toBe('auth.stronger_factor_required');
    const withTotp = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa',
      remoteAddress: TOR_EXIT,
      headers: torHeaders,
      payload: {
        challengeId: login.json().challengeId,
        method: 'totp',
        code: totpCode(owner.totpSecret, t.clock.now()),
      },
    });
    expect(withTotp.statusCode).toBe(200);
    o = await signIn(t, owner);
  });

  it('a deny answers exactly like any failed sign-in (401 auth.invalid_credentials) and is audited', async () => {
    o = await signIn(t, owner);
    // a threat-listed address in a country this installation refuses
    await put('/api/v1/risk/lists/threat', { content: '175.45.176.0/22 # listed' }, o);
    t.clock.advance(30_000);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '175.45.176.10',
      headers: BROWSER,
      payload: { email: owner.email, password: owner.password },
    });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('auth.invalid_credentials');
    expect(JSON.stringify(r.json())).not.toMatch(/risk|country|threat/i);
    const a = await latest('&decision=deny');
    expect(a.indicators.map((i) => i.id)).toEqual(expect.arrayContaining(['geo_country_denied', 'ip_threat_list']));
    const failed = (await t.testDb.superuser(
      `SELECT details FROM audit.all_entries WHERE action = 'auth.login.failed' ORDER BY seq DESC LIMIT 1`,
    )) as { details: { reason: string } }[];
    expect(failed[0]?.details.reason).toBe('risk_denied');
  });
});

describe('IAM-14 risk at reveal', () => {
  let recordId: string;
  let analyst: Who & { userId: string };

  beforeAll(async () => {
    o = await signIn(t, owner);
    const dataOwner = await http.post('/api/v1/owners', { name: 'Lumen Ltd', contactEmails: ['dpo@lumen.example'] }, o);
    const rec = await http.post(
      '/api/v1/records',
      { ownerId: dataOwner.json().id, fields: { fullName: 'Ada Finch', email: 'ada@lumen.example' } },
      o,
    );
    recordId = rec.json().id;
    analyst = await createEnrolledUser(t, o, { email: 'risk-analyst@example.test', roles: ['analyst'] });
    o = await signIn(t, owner);
    const grant = await http.post(`/api/v1/users/${analyst.userId}/grants`, { permission: 'records.reveal' }, o);
    ownerB = await createEnrolledUser(t, o, { email: 'owner-b@example.test', roles: ['owner'] });
    const b = await signIn(t, ownerB);
    expect((await http.post(`/api/v1/grants/${grant.json().id}/approve`, undefined, b)).statusCode).toBe(200);
    o = await signIn(t, owner);
    // confidential data may be reached from the office network and one public address of the test
    await http.post('/api/v1/ip-allowlist', { cidr: '10.0.0.0/8', label: 'office' }, o);
    await http.post('/api/v1/ip-allowlist', { cidr: '175.45.176.0/22', label: 'far office' }, o);
    await http.post('/api/v1/ip-allowlist', { cidr: '185.220.101.0/24', label: 'privacy network' }, o);
  });

  const reveal = (s: { cookie: string; csrf: string; device?: string | undefined }, ip: string, ua = CHROME) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/reveal`,
      remoteAddress: ip,
      headers: {
        ...BROWSER,
        'user-agent': ua,
        cookie: [s.cookie, s.device].filter(Boolean).join('; '),
        'x-csrf-token': s.csrf,
      },
      payload: { purpose: 'customer_request', justification: 'Customer asked for their data' },
    });

  it('ordinary reveals pass; from a Tor exit the reveal needs a step-up made AFTER the ask, a recent one is not enough', async () => {
    const { mfa, device } = await browserSignIn(analyst, '10.1.1.5');
    const s = { cookie: sessionCookieOf(mfa as never), csrf: mfa?.json().csrfToken as string, device };
    expect((await reveal(s, '10.1.1.5')).statusCode).toBe(200);
    expect(await latest('&stage=reveal', analyst.userId)).toMatchObject({ decision: 'allow', outcome: 'allowed' });
    // signed in through Tor: the sign-in's second factor is seconds old, yet the reveal asks again
    const tor = await browserSignIn(analyst, TOR_EXIT, { device });
    expect(tor.login.json().methods).toEqual(['totp']);
    const st = { cookie: sessionCookieOf(tor.mfa as never), csrf: tor.mfa?.json().csrfToken as string, device };
    const asked = await reveal(st, TOR_EXIT);
    expect(asked.statusCode).toBe(403);
    expect(asked.json().error).toMatchObject({ code: 'auth.step_up_required', details: { reason: 'risk' } });
    expect(asked.body).not.toContain('Ada');
    const a = await latest('&stage=reveal', analyst.userId);
    expect(a).toMatchObject({ decision: 'step_up', outcome: 'challenged' });
    expect(a.indicators.map((i) => i.id)).toEqual(expect.arrayContaining(['ip_tor_exit', 'session_risky_sign_in']));
    expect((await reveal(st, TOR_EXIT)).statusCode).toBe(403);
    t.clock.advance(30_000);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/step-up',
      remoteAddress: TOR_EXIT,
      headers: { ...BROWSER, cookie: st.cookie, 'x-csrf-token': st.csrf },
      payload: { method: 'totp', code: totpCode(analyst.totpSecret, t.clock.now()) },
    });
    expect(up.statusCode).toBe(200);
    t.clock.advance(1000);
    const after = await reveal(st, TOR_EXIT);
    expect(after.statusCode).toBe(200);
    expect((await latest('&stage=reveal', analyst.userId)).outcome).toBe('step_up_satisfied');
    const refused = (await t.testDb.superuser(
      `SELECT details FROM audit.all_entries WHERE action = 'vault.reveal.refused' ORDER BY seq DESC LIMIT 1`,
    )) as { details: { reason: string } }[];
    expect(refused[0]?.details.reason).toBe('step_up');
  });

  it('a deny refuses the reveal with risk.denied before anything is decrypted', async () => {
    const { mfa, device } = await browserSignIn(analyst, '10.1.1.5');
    const s = { cookie: sessionCookieOf(mfa as never), csrf: mfa?.json().csrfToken as string, device };
    const r = await reveal(s, '175.45.176.10');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('risk.denied');
    expect(r.body).not.toContain('Ada');
    const a = await latest('&stage=reveal', analyst.userId);
    expect(a).toMatchObject({ decision: 'deny', outcome: 'denied' });
    const refused = (await t.testDb.superuser(
      `SELECT details FROM audit.all_entries WHERE action = 'vault.reveal.refused' ORDER BY seq DESC LIMIT 1`,
    )) as { details: { reason: string } }[];
    expect(refused[0]?.details.reason).toBe('risk');
  });
});

describe('IAM-14 lists, replay, permissions and personal data', () => {
  it('imports lists over the API (audited) and through the CLI core; refuses bad input', async () => {
    o = await signIn(t, owner);
    const r = await put(
      '/api/v1/risk/lists/threat',
      { content: '203.0.113.0/24\n10.0.0.0/8\ngarbage\n198.51.100.7' },
      o,
    );
    expect(r.json()).toMatchObject({ list: 'threat', entries: 2, rejectedCount: 2, replaced: true });
    const empty = await put('/api/v1/risk/lists/tor', { content: '# nothing\n' }, o);
    expect(empty.json().error.code).toBe('risk.list_empty');
    const cli = await t.core.risk.importList(null, 'tor', `${TOR_EXIT}\n185.220.101.2\n`, 'cli', null);
    expect(cli.entries).toBe(2);
    const lists = (await http.get('/api/v1/risk/lists', o)).json().items;
    expect(lists).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ list: 'tor', entries: 2, via: 'cli', importedBy: null }),
        expect.objectContaining({ list: 'threat', entries: 2, via: 'api' }),
      ]),
    );
    const audited = (await t.testDb.superuser(
      `SELECT actor_type, details FROM audit.all_entries WHERE action = 'risk.list.imported' ORDER BY seq DESC LIMIT 1`,
    )) as { actor_type: string; details: { via: string; entries: number } }[];
    expect(audited[0]).toMatchObject({ actor_type: 'host_operator', details: { via: 'cli', entries: 2 } });
  });

  it('replay re-scores the last 30 days under a changed policy and counts changed decisions, enforcing nothing', async () => {
    o = await signIn(t, owner);
    const strict = await http.post('/api/v1/risk/replay', { stepUp: 1, deny: 100 }, o);
    expect(strict.statusCode).toBe(200);
    const body = strict.json();
    expect(body.evaluated).toBeGreaterThan(5);
    expect(body.transitions['allow->step_up']).toBeGreaterThan(0);
    expect(Object.values(body.transitions as Record<string, number>).reduce((x, y) => x + y, 0)).toBe(body.changed);
    const torOff = await http.post('/api/v1/risk/replay', { weights: { ip_tor_exit: 0 } }, o);
    expect(torOff.json().transitions['step_up->allow']).toBeGreaterThanOrEqual(1);
    const bad = await http.post('/api/v1/risk/replay', { weights: { no_such_indicator: 5 } }, o);
    expect(bad.json().error.code).toBe('risk.unknown_indicator');
    expect((await http.get('/api/v1/risk/indicators', o)).json().items.length).toBeGreaterThanOrEqual(30);
    // nothing changed in force
    expect((await http.get('/api/v1/risk/indicators', o)).json().policy).toMatchObject({ stepUp: 40, deny: 80 });
  });

  it('only security readers see assessments', async () => {
    o = await signIn(t, owner);
    const analyst = await createEnrolledUser(t, o, {
      email: 'nosy@example.test',
      roles: ['analyst'],
      approver: await signIn(t, ownerB),
    });
    const a = await signIn(t, analyst);
    expect((await http.get('/api/v1/risk/assessments', a)).statusCode).toBe(403);
    o = await signIn(t, owner);
  });

  it('stores no address and no User-Agent string in clear (DAT-05)', async () => {
    const tables = ['assessments', 'profiles', 'sessions'];
    for (const table of tables) {
      const dump = JSON.stringify(await t.testDb.superuser(`SELECT * FROM risk.${table}`));
      expect(dump.length).toBeGreaterThan(10);
      for (const planted of [LONDON, SYDNEY, TOR_EXIT, '175.45.176.10', 'PlantedAgent', 'Mozilla', 'python-requests'])
        expect(dump).not.toContain(planted);
    }
    const audit = JSON.stringify(
      await t.testDb.superuser(`SELECT * FROM audit.all_entries WHERE action LIKE 'risk.%'`),
    );
    expect(audit).not.toContain(LONDON);
    expect(audit).not.toContain('PlantedAgent');
  });
});

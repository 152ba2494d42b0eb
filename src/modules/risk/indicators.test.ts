/**
 * IAM-14, one test per factor: each factor's indicators fire on the situation they describe, and ordinary use
 * (a known browser at the usual place and hour, a quiet account) fires none of them. Pure: no database.
 */
import { describe, expect, it } from 'vitest';
import { evaluateIndicators, type Features, factors, indicatorSpecs, type Profile } from './indicators.ts';
import type { IpIntel } from './intel/ip-intel.ts';
import { decide, defaultPolicy, replay, score } from './scoring.ts';
import { classifyUserAgent, signalsFrom } from './signals.ts';

const NOW = new Date('2026-11-25T10:30:00Z');
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const browserHeaders = {
  'user-agent': CHROME,
  accept: 'application/json',
  'accept-language': 'de-DE,de;q=0.9',
  'sec-fetch-site': 'same-origin',
  'sec-fetch-mode': 'cors',
  'sec-ch-ua-platform': '"Windows"',
};
const DEVICE = 'd'.repeat(32);
const berlin: IpIntel = {
  scope: 'public',
  country: 'DE',
  lat: 52.52,
  lon: 13.4,
  asn: 3320,
  network: null,
  networkName: null,
};

function usualProfile(): Profile {
  const hours = Array(24).fill(0);
  hours[9] = 10;
  hours[10] = 20;
  hours[11] = 10;
  return {
    signIns: 40,
    countries: { DE: 40 },
    asns: { '3320': 40 },
    uaClasses: { 'chrome:windows': 40 },
    devices: { [`hash-${DEVICE}`]: '2026-11-24T09:00:00Z' },
    cells: { '53,13': 40 },
    hours,
    last: { at: new Date('2026-11-24T17:00:00Z'), lat: 53, lon: 13, country: 'DE' },
  };
}

/** A colleague signing in from the office in Berlin, in their usual browser, at their usual hour. */
function ordinary(stage: 'login' | 'reveal' = 'login'): Features {
  return {
    stage,
    now: NOW,
    ip: { ...berlin },
    ipHash: 'iphash-office',
    signals: signalsFrom(browserHeaders, { '__Host-strongroom_device': DEVICE }),
    deviceHash: `hash-${DEVICE}`,
    account: {
      createdAt: new Date('2025-01-01T00:00:00Z'),
      lastLoginAt: new Date('2026-11-24T17:00:00Z'),
      enrolledAt: new Date('2025-01-01T00:00:00Z'),
      departureAt: null,
      roles: ['analyst'],
    },
    profile: usualProfile(),
    counts: {
      accountFailures: 0,
      ipFailures: 0,
      ipAccounts: 0,
      recentVerifications: 1,
      refusedCalls: 0,
      recoveryUsedAt: null,
      mfaChangedAt: null,
      passwordChangedAt: null,
      lockEventAt: null,
      ipBlockedBefore: false,
      lists: [],
    },
    countries: { denied: [], allowed: [] },
    session:
      stage === 'reveal'
        ? {
            ipHash: 'iphash-office',
            uaClass: 'chrome:windows',
            deviceHash: `hash-${DEVICE}`,
            country: 'DE',
            loginScore: 0,
          }
        : undefined,
    reveal:
      stage === 'reveal'
        ? {
            lastHour: 3,
            lastTwoMinutes: 1,
            baseline: { mean: 4, sd: 2, activeHours: 40 },
            total14d: 160,
            hoursSeen: [8, 9, 10, 11, 14, 15],
            anyBefore: true,
            ownerBefore: true,
            purposeBefore: true,
            distinctOwners24h: 2,
          }
        : undefined,
  };
}

const firedIds = (f: Features) => evaluateIndicators(f).map((i) => i.id);
const factorOf = new Map(indicatorSpecs.map((s) => [s.id, s.factor]));
const firedIn = (f: Features, factor: string) => firedIds(f).filter((id) => factorOf.get(id) === factor);

describe('IAM-14 indicator catalogue', () => {
  it('has 30+ indicators, each with a factor, weight, description and data source', () => {
    expect(indicatorSpecs.length).toBeGreaterThanOrEqual(30);
    for (const s of indicatorSpecs) {
      expect(factors).toContain(s.factor);
      expect(s.weight).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(20);
      expect(s.source.length).toBeGreaterThan(5);
    }
    expect(new Set(indicatorSpecs.map((s) => s.id)).size).toBe(indicatorSpecs.length);
    for (const f of factors) expect(indicatorSpecs.some((s) => s.factor === f)).toBe(true);
  });

  it('ordinary use fires nothing, at sign-in or at reveal', () => {
    expect(firedIds(ordinary('login'))).toEqual([]);
    expect(firedIds(ordinary('reveal'))).toEqual([]);
    expect(score([], defaultPolicy).decision).toBe('allow');
  });
});

describe('IAM-14 factors', () => {
  it('risky IP: threat and Tor lists, an earlier block, bogon, hosting and VPN networks, a new network', () => {
    const f = ordinary();
    f.counts = { ...f.counts, lists: ['threat', 'tor'], ipBlockedBefore: true };
    f.ip = { ...f.ip, network: 'hosting', networkName: 'Hetzner', asn: 24940 };
    expect(firedIn(f, 'ip').sort()).toEqual(
      ['ip_hosting', 'ip_new_network', 'ip_previously_blocked', 'ip_threat_list', 'ip_tor_exit'].sort(),
    );
    const bogon = ordinary();
    bogon.ip = { scope: 'bogon', country: null, lat: null, lon: null, asn: null, network: null, networkName: null };
    expect(firedIn(bogon, 'ip')).toEqual(['ip_bogon']);
    const vpn = ordinary();
    vpn.ip = { ...vpn.ip, network: 'vpn', networkName: 'M247', asn: 9009 };
    expect(firedIn(vpn, 'ip')).toContain('ip_vpn');
    expect(firedIn(ordinary(), 'ip')).toEqual([]);
  });

  it('geography: denied and not-allowed countries, impossible travel, new country, far from usual, unknown place', () => {
    const denied = ordinary();
    denied.countries = { denied: ['DE'], allowed: [] };
    expect(firedIn(denied, 'geo')).toEqual(['geo_country_denied']);
    expect(score(evaluateIndicators(denied), defaultPolicy).decision).toBe('deny');
    const outside = ordinary();
    outside.countries = { denied: [], allowed: ['FR', 'NL'] };
    expect(firedIn(outside, 'geo')).toEqual(['geo_country_not_allowed']);
    // Berlin at 17:00, Sydney the next morning at 10:30: 16 000 km in 17.5 h is ~900 km/h
    const sydney = ordinary();
    sydney.ip = { ...berlin, country: 'AU', lat: -33.87, lon: 151.21, asn: 1221 };
    sydney.profile.last = { at: new Date('2026-11-25T09:30:00Z'), lat: 53, lon: 13, country: 'DE' };
    const geo = firedIn(sydney, 'geo');
    expect(geo).toEqual(expect.arrayContaining(['geo_impossible_travel', 'geo_new_country', 'geo_far_from_usual']));
    const travel = evaluateIndicators(sydney).find((i) => i.id === 'geo_impossible_travel');
    expect(travel?.evidence).toMatchObject({ from: 'DE', to: 'AU' });
    expect(Number(travel?.evidence.kmh)).toBeGreaterThan(900);
    // the same trip over two days is possible: no impossible travel
    sydney.profile.last = { at: new Date('2026-11-23T09:00:00Z'), lat: 53, lon: 13, country: 'DE' };
    expect(firedIn(sydney, 'geo')).not.toContain('geo_impossible_travel');
    const unplaced = ordinary();
    unplaced.ip = { ...berlin, country: null, lat: null, lon: null };
    expect(firedIn(unplaced, 'geo')).toEqual(['geo_unknown_location']);
    // Hamburg after Berlin an hour ago is ordinary
    const hamburg = ordinary();
    hamburg.ip = { ...berlin, lat: 53.55, lon: 10 };
    expect(firedIn(hamburg, 'geo')).toEqual([]);
  });

  it('device: new device and browser, script, headless, bot, missing or malformed UA, old browser, odd headers', () => {
    const curl = ordinary();
    curl.signals = signalsFrom({ 'user-agent': 'curl/8.5.0', accept: '*/*' }, {});
    curl.deviceHash = 'hash-new';
    expect(firedIn(curl, 'device').sort()).toEqual(['device_new', 'device_new_browser', 'ua_script'].sort());
    const headless = ordinary();
    headless.signals = signalsFrom(
      { ...browserHeaders, 'user-agent': CHROME.replace('Chrome/142', 'HeadlessChrome/142') },
      { '__Host-strongroom_device': DEVICE },
    );
    // the class label names the automation (headless:windows), so it is also a client never seen before
    expect(firedIn(headless, 'device').sort()).toEqual(['device_new_browser', 'ua_headless']);
    const none = ordinary();
    none.signals = signalsFrom({}, { '__Host-strongroom_device': DEVICE });
    expect(firedIn(none, 'device')).toEqual(expect.arrayContaining(['ua_missing']));
    const bot = ordinary();
    bot.signals = signalsFrom({ 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1)' }, {});
    expect(firedIn(bot, 'device')).toContain('ua_bot');
    const forged = ordinary();
    forged.signals = signalsFrom(
      { 'user-agent': CHROME.replace('Chrome/142', 'Chrome/58'), 'sec-ch-ua-platform': '"macOS"' },
      { '__Host-strongroom_device': DEVICE },
    );
    expect(firedIn(forged, 'device').sort()).toEqual(['headers_missing', 'headers_platform_mismatch', 'ua_outdated']);
    const noFetchMeta = ordinary();
    noFetchMeta.signals = signalsFrom(
      { 'user-agent': CHROME, accept: '*/*', 'accept-language': 'en' },
      { '__Host-strongroom_device': DEVICE },
    );
    expect(firedIn(noFetchMeta, 'device')).toEqual(['headers_no_fetch_metadata']);
    const odd = ordinary();
    odd.signals = signalsFrom({ 'user-agent': 'x' }, { '__Host-strongroom_device': DEVICE });
    expect(firedIn(odd, 'device')).toContain('ua_malformed');
    expect(firedIn(ordinary(), 'device')).toEqual([]);
  });

  it('behaviour: failures on the account and from the address, many accounts, odd hour, velocity, dormancy, refusals', () => {
    const f = ordinary();
    f.counts = {
      ...f.counts,
      accountFailures: 3,
      ipFailures: 12,
      ipAccounts: 4,
      recentVerifications: 11,
      refusedCalls: 1,
    };
    f.now = new Date('2026-11-25T03:10:00Z');
    f.account = { ...f.account, lastLoginAt: new Date('2026-09-01T00:00:00Z') };
    expect(firedIn(f, 'behaviour').sort()).toEqual(
      [
        'account_recent_failures',
        'dormant_account',
        'ip_many_accounts',
        'ip_recent_failures',
        'login_velocity',
        'refused_calls',
        'unusual_hour',
      ].sort(),
    );
    const partial = evaluateIndicators(f).find((i) => i.id === 'account_recent_failures');
    expect(partial?.strength).toBe(0.6);
    // behind NAT or a proxy a private address is shared: per-address counts do not apply
    const lan = ordinary();
    lan.ip = { scope: 'private', country: null, lat: null, lon: null, asn: null, network: null, networkName: null };
    lan.counts = { ...lan.counts, ipFailures: 30, ipAccounts: 9 };
    expect(firedIn(lan, 'behaviour')).toEqual([]);
    expect(firedIn(ordinary(), 'behaviour')).toEqual([]);
  });

  it('account: new, first sign-in, password and factor changes, recovery code, privileged, locked, leaving', () => {
    const f = ordinary();
    f.account = {
      createdAt: new Date('2026-11-22T00:00:00Z'),
      lastLoginAt: null,
      enrolledAt: new Date('2026-11-22T00:00:00Z'),
      departureAt: new Date('2026-12-01T00:00:00Z'),
      roles: ['owner'],
    };
    f.counts = {
      ...f.counts,
      passwordChangedAt: new Date('2026-11-25T08:00:00Z'),
      mfaChangedAt: new Date('2026-11-25T08:00:00Z'),
      recoveryUsedAt: new Date('2026-11-24T08:00:00Z'),
      lockEventAt: new Date('2026-11-23T08:00:00Z'),
    };
    expect(firedIn(f, 'account').sort()).toEqual(
      [
        'account_first_sign_in',
        'account_new',
        'departure_scheduled',
        'mfa_recently_changed',
        'password_recently_changed',
        'privileged_account',
        'recently_locked',
        'recovery_code_used',
      ].sort(),
    );
    // enrolling the first factor is not a "change"
    const enrolled = ordinary();
    enrolled.account = { ...enrolled.account, enrolledAt: new Date('2026-11-25T08:00:00Z') };
    enrolled.counts = { ...enrolled.counts, mfaChangedAt: new Date('2026-11-25T08:01:00Z') };
    expect(firedIn(enrolled, 'account')).toEqual([]);
    // the account factor is capped: eight account signals cannot deny on their own
    expect(score(evaluateIndicators(f), defaultPolicy).factors.account).toEqual({ points: 30, capped: true });
  });

  it('session (at reveal): another address, another browser or device, no device cookie, another country, risky sign-in', () => {
    const f = ordinary('reveal');
    f.ipHash = 'iphash-elsewhere';
    f.ip = { ...berlin, country: 'NL' };
    f.signals = signalsFrom({ ...browserHeaders, 'user-agent': 'python-requests/2.32' }, {});
    f.deviceHash = 'hash-other';
    f.session = { ...(f.session as NonNullable<Features['session']>), loginScore: 45 };
    expect(firedIn(f, 'session').sort()).toEqual(
      [
        'session_country_changed',
        'session_device_cookie_missing',
        'session_device_changed',
        'session_ip_changed',
        'session_risky_sign_in',
      ].sort(),
    );
    expect(score(evaluateIndicators(f), defaultPolicy).decision).not.toBe('allow');
    // a different device cookie with the same browser class is also a device change
    const swapped = ordinary('reveal');
    swapped.signals = signalsFrom(browserHeaders, { '__Host-strongroom_device': 'e'.repeat(32) });
    swapped.deviceHash = 'hash-e';
    expect(firedIn(swapped, 'session')).toEqual(['session_device_changed']);
    expect(firedIn(ordinary('reveal'), 'session')).toEqual([]);
  });

  it('reveal: volume over the own baseline, burst, first ever, new owner, many owners, odd hour, new purpose', () => {
    const f = ordinary('reveal');
    f.now = new Date('2026-11-25T02:00:00Z');
    f.reveal = {
      lastHour: 30,
      lastTwoMinutes: 6,
      baseline: { mean: 4, sd: 2, activeHours: 40 },
      total14d: 160,
      hoursSeen: [9, 10],
      anyBefore: true,
      ownerBefore: false,
      purposeBefore: false,
      distinctOwners24h: 7,
    };
    expect(firedIn(f, 'reveal').sort()).toEqual(
      [
        'reveal_burst',
        'reveal_many_owners',
        'reveal_new_owner',
        'reveal_new_purpose',
        'reveal_unusual_hour',
        'reveal_volume_above_baseline',
      ].sort(),
    );
    const first = ordinary('reveal');
    first.reveal = { ...(first.reveal as NonNullable<Features['reveal']>), anyBefore: false, total14d: 0 };
    expect(firedIn(first, 'reveal')).toEqual(['reveal_first_ever']);
    // without 8 active hours of history there is no baseline to exceed
    const young = ordinary('reveal');
    young.reveal = {
      ...(young.reveal as NonNullable<Features['reveal']>),
      lastHour: 40,
      baseline: { mean: 1, sd: 0, activeHours: 3 },
    };
    expect(firedIn(young, 'reveal')).not.toContain('reveal_volume_above_baseline');
    expect(firedIn(ordinary('reveal'), 'reveal')).toEqual([]);
  });
});

describe('IAM-14 scoring and replay', () => {
  it('adds weight × strength, caps each factor, and decides by the thresholds', () => {
    const s = score(
      [
        { id: 'ip_tor_exit', strength: 1, evidence: {} },
        { id: 'device_new', strength: 1, evidence: {} },
        { id: 'account_recent_failures', strength: 0.5, evidence: {} },
      ],
      defaultPolicy,
    );
    expect(s.score).toBe(45 + 10 + 10);
    expect(s.decision).toBe('step_up');
    expect(s.contributions.find((c) => c.id === 'account_recent_failures')?.points).toBe(10);
    expect(decide(defaultPolicy, 39)).toBe('allow');
    expect(decide(defaultPolicy, 40)).toBe('step_up');
    expect(decide(defaultPolicy, 80)).toBe('deny');
    // a weight of 0 switches an indicator off
    expect(
      score([{ id: 'ip_tor_exit', strength: 1, evidence: {} }], { ...defaultPolicy, weights: { ip_tor_exit: 0 } })
        .score,
    ).toBe(0);
  });

  it('replay counts the decisions a changed policy would change', () => {
    const items = [
      { id: 'a', decision: 'allow' as const, score: 10, fired: [{ id: 'device_new', strength: 1, evidence: {} }] },
      { id: 'b', decision: 'step_up' as const, score: 45, fired: [{ id: 'ip_tor_exit', strength: 1, evidence: {} }] },
      { id: 'c', decision: 'allow' as const, score: 0, fired: [] },
    ];
    const same = replay(items, defaultPolicy);
    expect(same).toMatchObject({ evaluated: 3, changed: 0 });
    const strict = replay(items, { ...defaultPolicy, stepUp: 10 });
    expect(strict.transitions).toEqual({ 'allow->step_up': 1 });
    const torDenied = replay(items, { ...defaultPolicy, weights: { ip_tor_exit: 80 } });
    expect(torDenied.transitions).toEqual({ 'step_up->deny': 1 });
    expect(torDenied.examples[0]).toMatchObject({ id: 'b', from: 'step_up', to: 'deny', newScore: 80 });
  });

  it('classifies user agents into classes without keeping the string', () => {
    expect(classifyUserAgent(CHROME)).toMatchObject({ family: 'chrome', major: 142, os: 'windows', script: false });
    expect(
      classifyUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
      ),
    ).toMatchObject({ family: 'safari', major: 18, os: 'ios' });
    expect(classifyUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0')).toMatchObject({
      family: 'firefox',
      os: 'linux',
    });
    expect(classifyUserAgent('python-requests/2.32.3').script).toBe(true);
  });
});

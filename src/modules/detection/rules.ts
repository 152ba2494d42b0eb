/**
 * Detection rules as data (LOG-04, LOG-05, IAM-15, NET-02, INC-03): which audited actions feed a rule, which of
 * their details count, how hits are judged (a count in a window, a user's own baseline, or the
 * search-then-reveal pattern), the graded responses and the severity. Rules are plain JSON-able data: the
 * defaults live here (version 1), changes made in the UI or API are stored as new versions
 * (detection.rule_settings), and every alert records the version that raised it. Documented in docs/detection.md.
 */
import { z } from 'zod';

export const responseKinds = ['alert', 'step_up', 'end_sessions', 'lock_account', 'block_ip', 'lockdown'] as const;
export type ResponseKind = (typeof responseKinds)[number];
export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** Hits of one subject counted in a sliding window; `distinct` counts different targets instead of entries. */
export interface CountDetector {
  kind: 'count';
  groupBy: 'actor' | 'ip' | 'target';
  windowSeconds: number;
  threshold: number;
  distinct?: 'target';
}

/**
 * The user's hits in the current bucket (an hour) against their own history: fires above mean + k·sd of the
 * buckets in which they were active over `historyDays` (once there are `minSamples` of them), never below
 * `minimum`, and always at `hardCap`. It counts every entry of the rule's actions (detail filters do not apply).
 */
export interface BaselineDetector {
  kind: 'baseline';
  bucketSeconds: number;
  historyDays: number;
  minSamples: number;
  deviations: number;
  minimum: number;
  hardCap: number;
}

/** Search-then-reveal-every-hit: in the window, at least `minReveals` reveals that cover `ratio` of the hits. */
export interface EnumerationDetector {
  kind: 'enumeration';
  windowSeconds: number;
  minReveals: number;
  ratio: number;
}

export type Detector = CountDetector | BaselineDetector | EnumerationDetector;

export interface Rule {
  id: string;
  version: number;
  title: string;
  /** The detection point, in words (what is watched). */
  point: string;
  /** Audit actions that count as hits of this detection point. */
  actions: readonly string[];
  /** Only hits whose details[key] is one of the values (`null` = the key is absent). */
  match?: Readonly<Record<string, readonly (string | number | boolean | null)[]>>;
  /** Only hits whose details[key] (an array) contains the value. */
  contains?: { key: string; value: string };
  detector: Detector;
  responses: readonly ResponseKind[];
  severity: Severity;
  enabled: boolean;
  /** `monitor`: hits are recorded (`detection.rule.matched`) but nothing is done. */
  mode: 'enforce' | 'monitor';
}

/** True when an audit entry's details satisfy the rule's filters. */
export function matches(rule: Pick<Rule, 'match' | 'contains'>, details: Record<string, unknown>): boolean {
  if (rule.match) {
    for (const [key, allowed] of Object.entries(rule.match)) {
      const v = Object.hasOwn(details, key) ? details[key] : null;
      if (!allowed.includes(v as never)) return false;
    }
  }
  if (rule.contains) {
    const v = details[rule.contains.key];
    if (!Array.isArray(v) || !v.includes(rule.contains.value)) return false;
  }
  return true;
}

const count = (groupBy: CountDetector['groupBy'], windowSeconds: number, threshold: number): CountDetector => ({
  kind: 'count',
  groupBy,
  windowSeconds,
  threshold,
});
const base = { version: 1, enabled: true, mode: 'enforce' as const };

export const defaultRules: readonly Rule[] = [
  {
    ...base,
    id: 'unauthorized-calls',
    title: 'Repeated refused (403) calls by a signed-in user',
    point: 'Permission refusals, rejected CSRF tokens and reveals from a refused network, by one user (LOG-05)',
    // a lapsed elevation (access.elevation.required) is a person who needs to elevate, not an intruder
    actions: ['access.denied', 'auth.csrf.rejected', 'vault.reveal.refused'],
    match: { reason: [null, 'ip'] },
    detector: count('actor', 300, 3),
    responses: ['alert', 'lock_account', 'block_ip'],
    severity: 'high',
  },
  {
    ...base,
    id: 'failed-logins-per-ip',
    title: 'Many failed sign-ins from one address',
    point: 'Password and second-factor failures from one IP address',
    actions: ['auth.login.failed', 'auth.mfa.failed'],
    detector: count('ip', 600, 10),
    responses: ['alert'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'failed-logins-per-account',
    title: 'Repeated failed sign-ins on one account',
    point: 'Failed passwords for one account name (existing or not), from any number of addresses',
    // the target is a keyed hash of the account name typed: known accounts and unknown names alike
    actions: ['auth.login.failed'],
    match: { reason: ['bad_password', 'unknown_account', 'account_locked'] },
    detector: count('target', 900, 8),
    responses: ['alert'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'many-accounts-per-ip',
    title: 'One address trying many accounts (password spraying)',
    point: 'Failed sign-ins for different accounts (known or not) from one IP address',
    actions: ['auth.login.failed'],
    // high enough that a person mistyping a few addresses (or a test suite) is not blocked
    detector: { kind: 'count', groupBy: 'ip', windowSeconds: 900, threshold: 20, distinct: 'target' },
    responses: ['alert', 'block_ip'],
    severity: 'high',
  },
  {
    ...base,
    id: 'canary-touched',
    title: 'A canary record was revealed',
    point: 'A planted canary record revealed: nobody has a reason to (first hit)',
    actions: ['vault.canary.touched'],
    detector: count('actor', 60, 1),
    responses: ['alert', 'lock_account', 'block_ip', 'end_sessions'],
    severity: 'critical',
  },
  {
    ...base,
    id: 'canary-searched',
    title: 'A canary record appeared in search results',
    point: 'A search matched a canary record (someone is looking where nobody should)',
    actions: ['vault.canary.hit'],
    detector: count('actor', 3600, 1),
    responses: ['alert'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'retrieval-volume',
    title: 'Unusual number of records revealed in an hour',
    point: "Reveals per user per hour above the user's own rolling baseline or above the hard cap",
    actions: ['vault.record.revealed'],
    detector: {
      kind: 'baseline',
      bucketSeconds: 3600,
      historyDays: 14,
      minSamples: 8,
      deviations: 3,
      minimum: 10,
      // above the default hourly reveal quota (60), so the cap matters when quotas are raised
      hardCap: 100,
    },
    responses: ['alert', 'step_up'],
    severity: 'high',
  },
  {
    ...base,
    id: 'enumeration',
    title: 'Search then reveal every hit',
    point: 'Reveals that walk through search results one by one (enumeration)',
    actions: ['vault.record.revealed'],
    detector: { kind: 'enumeration', windowSeconds: 900, minReveals: 12, ratio: 0.8 },
    responses: ['alert', 'step_up'],
    severity: 'high',
  },
  {
    ...base,
    id: 'request-rate',
    title: 'Request rate above the user’s baseline',
    point: 'Requests per minute of one user (or one session) above their own baseline or the hard cap',
    actions: ['detection.request_rate.exceeded'],
    detector: count('actor', 600, 1),
    responses: ['alert', 'step_up'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'session-ip-changed',
    title: 'A session moved to another network',
    point: 'The client address of a signed-in session changed mid-session',
    actions: ['auth.session.context_changed'],
    match: { change: ['ip'] },
    detector: count('actor', 3600, 1),
    responses: ['alert', 'step_up'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'session-device-changed',
    title: 'A session cookie used from another device',
    point: 'The browser (user agent) of a signed-in session changed mid-session: a stolen cookie',
    actions: ['auth.session.context_changed'],
    match: { change: ['device', 'ip_and_device'] },
    detector: count('actor', 3600, 1),
    responses: ['alert', 'end_sessions'],
    severity: 'high',
  },
  {
    ...base,
    id: 'impossible-travel',
    title: 'Impossible travel between sign-ins',
    point: 'The risk engine found two sign-ins too far apart for the time between them',
    actions: ['risk.assessed'],
    contains: { key: 'indicators', value: 'geo_impossible_travel' },
    detector: count('actor', 3600, 1),
    responses: ['alert'],
    severity: 'high',
  },
  {
    ...base,
    id: 'new-country',
    title: 'Sign-in from a new country',
    point: 'The risk engine placed a sign-in in a country this user has not signed in from',
    actions: ['risk.assessed'],
    contains: { key: 'indicators', value: 'geo_new_country' },
    detector: count('actor', 86_400, 1),
    responses: ['alert'],
    severity: 'low',
  },
  {
    ...base,
    id: 'unusual-hour',
    title: 'Sign-in at an unusual hour',
    point: "The risk engine found a sign-in outside the user's usual hours",
    actions: ['risk.assessed'],
    contains: { key: 'indicators', value: 'unusual_hour' },
    detector: count('actor', 86_400, 1),
    responses: ['alert'],
    severity: 'low',
  },
  {
    ...base,
    id: 'dormant-account',
    title: 'A dormant account was used',
    point: 'A sign-in to an account unused for a long time (the risk engine’s dormancy indicator)',
    actions: ['risk.assessed'],
    contains: { key: 'indicators', value: 'dormant_account' },
    detector: count('actor', 86_400, 1),
    responses: ['alert'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'risk-denied',
    title: 'The risk engine refused an access',
    point: 'A sign-in or reveal scored high enough to be refused (IAM-14)',
    actions: ['risk.assessed'],
    match: { decision: ['deny'] },
    detector: count('actor', 3600, 1),
    responses: ['alert'],
    severity: 'high',
  },
  {
    ...base,
    id: 'audit-verification-failed',
    title: 'The audit log failed verification',
    point: 'The scheduled check found the hash chain or a signed checkpoint broken (tampering)',
    actions: ['detection.audit.verify_failed'],
    detector: count('target', 86_400, 1),
    responses: ['alert', 'lockdown'],
    severity: 'critical',
  },
  {
    ...base,
    id: 'audit-heartbeat-missing',
    title: 'The audit heartbeat went missing',
    point: 'A gap in the audit log’s heartbeat: the service was down or the log was suppressed',
    actions: ['detection.audit.heartbeat_missing'],
    detector: count('target', 3600, 1),
    responses: ['alert'],
    severity: 'high',
  },
  {
    ...base,
    id: 'security-weakened',
    title: 'A security setting was weakened',
    point: 'An allow-list widened, a detection rule relaxed or switched off',
    actions: ['access.allowlist.changed', 'detection.rule.changed'],
    match: { weakened: [true] },
    detector: count('target', 60, 1),
    responses: ['alert'],
    severity: 'medium',
  },
  {
    ...base,
    id: 'offboarding-overdue',
    title: 'A departure passed with access left',
    point: 'A user past their departure date still holds access (IAM-12)',
    actions: ['identity.offboarding.overdue'],
    detector: count('target', 86_400, 1),
    responses: ['alert'],
    severity: 'high',
  },
];

/** Escalating block lengths for repeat offenders (NET-02): 1 h, 4 h, 24 h, 7 days. */
export const BLOCK_MINUTES = [60, 240, 1440, 10_080] as const;

/** What an admin may change on a rule (the detection point itself is code). */
export const ruleSettingsSchema = z.strictObject({
  enabled: z.boolean().optional(),
  mode: z.enum(['enforce', 'monitor']).optional(),
  severity: z.enum(severities).optional(),
  responses: z.array(z.enum(responseKinds)).max(responseKinds.length).optional(),
  windowSeconds: z
    .number()
    .int()
    .min(10)
    .max(30 * 86_400)
    .optional(),
  threshold: z.number().int().min(1).max(100_000).optional(),
  deviations: z.number().min(0.5).max(10).optional(),
  minimum: z.number().int().min(1).max(100_000).optional(),
  hardCap: z.number().int().min(1).max(1_000_000).optional(),
  minReveals: z.number().int().min(2).max(1000).optional(),
  ratio: z.number().min(0.1).max(1).optional(),
});
export type RuleSettings = z.infer<typeof ruleSettingsSchema>;

/** The rule with settings applied (fields that do not fit its detector are refused by `validateSettings`). */
export function applySettings(rule: Rule, s: RuleSettings, version: number): Rule {
  const d = rule.detector;
  const detector: Detector =
    d.kind === 'count'
      ? { ...d, windowSeconds: s.windowSeconds ?? d.windowSeconds, threshold: s.threshold ?? d.threshold }
      : d.kind === 'baseline'
        ? {
            ...d,
            deviations: s.deviations ?? d.deviations,
            minimum: s.minimum ?? d.minimum,
            hardCap: s.hardCap ?? d.hardCap,
          }
        : {
            ...d,
            windowSeconds: s.windowSeconds ?? d.windowSeconds,
            minReveals: s.minReveals ?? d.minReveals,
            ratio: s.ratio ?? d.ratio,
          };
  return {
    ...rule,
    version,
    enabled: s.enabled ?? rule.enabled,
    mode: s.mode ?? rule.mode,
    severity: s.severity ?? rule.severity,
    responses: s.responses ? [...new Set(s.responses)] : rule.responses,
    detector,
  };
}

/** Names of settings that do not apply to this rule's detector (empty when all fit). */
export function misfitSettings(rule: Rule, s: RuleSettings): string[] {
  const fits: Record<Detector['kind'], readonly string[]> = {
    count: ['windowSeconds', 'threshold'],
    baseline: ['deviations', 'minimum', 'hardCap'],
    enumeration: ['windowSeconds', 'minReveals', 'ratio'],
  };
  const common = ['enabled', 'mode', 'severity', 'responses'];
  return Object.keys(s).filter((k) => !common.includes(k) && !fits[rule.detector.kind].includes(k));
}

const rank = (s: Severity) => severities.indexOf(s);

/** True when `next` detects less or responds less than `prev` (a security-weakening change). */
export function isWeakening(prev: Rule, next: Rule): boolean {
  if (prev.enabled && !next.enabled) return true;
  if (prev.mode === 'enforce' && next.mode === 'monitor') return true;
  if (rank(next.severity) < rank(prev.severity)) return true;
  if (prev.responses.some((r) => !next.responses.includes(r))) return true;
  const a = prev.detector;
  const b = next.detector;
  if (a.kind === 'count' && b.kind === 'count') return b.threshold > a.threshold || b.windowSeconds < a.windowSeconds;
  if (a.kind === 'baseline' && b.kind === 'baseline')
    return b.deviations > a.deviations || b.minimum > a.minimum || b.hardCap > a.hardCap;
  if (a.kind === 'enumeration' && b.kind === 'enumeration')
    return b.minReveals > a.minReveals || b.ratio > a.ratio || b.windowSeconds < a.windowSeconds;
  return false;
}

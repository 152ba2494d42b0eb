/**
 * Detection rules as data (LOG-04, LOG-05, IAM-15, NET-02): which audited actions feed a rule, the window, the
 * threshold, what the count is grouped by, the responses and the severity. Versioned: a changed rule gets a new
 * version, and each alert records the version that raised it. Defaults are documented in docs/detection.md.
 */
export type Response = 'alert' | 'lock_account' | 'block_ip';

export interface Rule {
  id: string;
  version: number;
  title: string;
  /** Audit actions that count as hits of this detection point. */
  actions: readonly string[];
  /** Only hits whose details match (e.g. a refusal reason). */
  where?: (details: Record<string, unknown>) => boolean;
  /** What the window counts per: the acting user, the client address, or the entry's target (system events). */
  groupBy: 'actor' | 'ip' | 'target';
  windowSeconds: number;
  threshold: number;
  responses: readonly Response[];
  severity: 'low' | 'medium' | 'high' | 'critical';
}

export const defaultRules: readonly Rule[] = [
  {
    id: 'unauthorized-calls',
    version: 1,
    title: 'Repeated refused (403) calls by a signed-in user',
    // permission refusals, bad CSRF tokens and reveals from a refused network; a lapsed elevation does not count
    actions: ['access.denied', 'auth.csrf.rejected', 'vault.reveal.refused'],
    where: (d) => d.reason === undefined || d.reason === 'ip',
    groupBy: 'actor',
    windowSeconds: 300,
    threshold: 3,
    responses: ['alert', 'lock_account', 'block_ip'],
    severity: 'high',
  },
  {
    id: 'failed-logins-per-ip',
    version: 1,
    title: 'Many failed sign-ins from one address',
    actions: ['auth.login.failed', 'auth.mfa.failed'],
    groupBy: 'ip',
    windowSeconds: 600,
    threshold: 10,
    responses: ['alert'],
    severity: 'medium',
  },
  {
    id: 'canary-touched',
    version: 1,
    title: 'A canary record was revealed',
    actions: ['vault.canary.touched'],
    groupBy: 'actor',
    windowSeconds: 60,
    threshold: 1,
    responses: ['alert', 'lock_account', 'block_ip'],
    severity: 'critical',
  },
  {
    id: 'offboarding-overdue',
    version: 1,
    title: 'A departure passed with access left',
    actions: ['identity.offboarding.overdue'],
    groupBy: 'target',
    windowSeconds: 86_400,
    threshold: 1,
    responses: ['alert'],
    severity: 'high',
  },
];

/** Escalating block lengths for repeat offenders (NET-02): 1 h, 4 h, 24 h, 7 days. */
export const BLOCK_MINUTES = [60, 240, 1440, 10_080] as const;

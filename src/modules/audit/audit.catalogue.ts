/**
 * The closed catalogue of audit event types (LOG-01, DAT-05). Every action has a schema for its details
 * with no free-text field: only enums, ids, counts and booleans, so no personal data can reach the log.
 * Names are a public contract (SIEM rules depend on them): add actions, never rename one.
 */
import { z } from 'zod';

const none = z.strictObject({});
const id = z.uuid();
const mfaMethod = z.enum(['totp', 'webauthn', 'sms', 'recovery_code']);
const mfaFailure = z.enum([
  'bad_code',
  'code_reused',
  'code_expired',
  'too_many_attempts',
  'challenge_expired',
  'unknown_credential',
  'verification_failed',
  'counter_regressed',
  'credential_exists',
  'method_unavailable',
  'rate_limited',
]);
const permission = z
  .string()
  .regex(/^[a-z_]+\.[a-z_.]+$/)
  .max(80);
const roleList = z.array(z.string().regex(/^[a-z_]{2,40}$/)).max(20);

export const auditCatalogue = {
  'system.started': z.strictObject({ version: z.string().max(40), database: z.enum(['pglite', 'postgres']) }),
  'setup.token.issued': none,
  'setup.token.rejected': z.strictObject({ reason: z.enum(['invalid', 'expired', 'used', 'not_needed']) }),
  'setup.completed': none,
  'identity.user.created': z.strictObject({ roles: roleList, via: z.enum(['setup', 'init', 'admin']) }),
  'identity.user.approved': z.strictObject({ via: z.enum(['admin', 'host_operator']) }),
  'identity.user.rejected': none,
  'identity.user.offboarded': z.strictObject({
    scheduled: z.boolean(),
    endedSessions: z.number().int().min(0),
    revokedGrants: z.number().int().min(0),
    revokedTokens: z.number().int().min(0),
    secondsAfterDeparture: z.number().int().nullable(),
  }),
  'identity.offboarding.scheduled': none,
  'identity.offboarding.cancelled': none,
  'identity.offboarding.overdue': z.strictObject({ secondsOverdue: z.number().int().min(0) }),
  'identity.account.unlocked': z.strictObject({ via: z.enum(['admin', 'expiry']) }),
  'identity.enrollment.link_created': none,
  'identity.enrollment.completed': z.strictObject({ method: z.enum(['totp']) }),
  'identity.roles.changed': z.strictObject({ added: roleList, removed: roleList }),
  'identity.service_token.created': z.strictObject({ scopes: z.array(permission).max(20), expires: z.boolean() }),
  'identity.service_token.revoked': none,
  'identity.account.locked': z.strictObject({
    reason: z.enum(['failed_logins', 'inactivity', 'admin', 'detection', 'offboarding']),
    minutes: z.number().int().min(1).nullable().optional(),
  }),
  'identity.mfa.enrolled': z.strictObject({ method: mfaMethod }),
  'identity.mfa.removed': z.strictObject({ method: mfaMethod }),
  'identity.mfa.enrolment_failed': z.strictObject({ method: z.enum(['webauthn', 'sms']), reason: mfaFailure }),
  'identity.mfa.recovery_codes_generated': z.strictObject({ replacedUnused: z.number().int().min(0) }),
  'auth.mfa.sms_sent': z.strictObject({ purpose: z.enum(['enrolment', 'login']) }),
  'auth.mfa.recovery_code_used': z.strictObject({ remaining: z.number().int().min(0) }),
  'identity.sms_outbox.read': z.strictObject({ returned: z.number().int().min(0) }),
  'identity.password.set': z.strictObject({ via: z.enum(['setup', 'init', 'enrolment', 'change', 'reset']) }),
  'auth.login.password_verified': z.strictObject({ challengeMethods: z.array(mfaMethod).max(4) }),
  'auth.login.failed': z.strictObject({
    reason: z.enum([
      'unknown_account',
      'bad_password',
      'account_not_active',
      'account_locked',
      'not_enrolled',
      'throttled',
      'risk_denied',
    ]),
  }),
  'auth.mfa.failed': z.strictObject({ reason: mfaFailure, method: mfaMethod.optional() }),
  'auth.login.succeeded': z.strictObject({ method: mfaMethod }),
  'auth.session.replaced': z.strictObject({ endedSessions: z.number().int().min(1) }),
  'auth.session.expired': z.strictObject({ reason: z.enum(['idle', 'absolute']) }),
  'auth.logout': none,
  'auth.session.revoked': z.strictObject({ by: z.enum(['self', 'admin', 'system']) }),
  'auth.step_up.succeeded': z.strictObject({ method: mfaMethod }),
  'auth.step_up.failed': z.strictObject({ reason: mfaFailure, method: mfaMethod.optional() }),
  'auth.service_token.rejected': z.strictObject({ reason: z.enum(['unknown', 'expired', 'revoked', 'cidr', 'scope']) }),
  'access.elevation.started': z.strictObject({
    minutes: z.number().int().min(1).max(60),
    via: z.enum(['sign_in', 'explicit']),
  }),
  'access.elevation.ended': z.strictObject({ via: z.enum(['user', 'expiry']) }),
  'access.grant.requested': z.strictObject({ permission, scoped: z.boolean(), expires: z.boolean(), grantee: id }),
  'access.grant.approved': z.strictObject({ permission, grantee: id }),
  'access.grant.rejected': z.strictObject({ permission, grantee: id }),
  'access.grant.revoked': z.strictObject({ permission, grantee: id }),
  'access.allowlist.changed': z.strictObject({
    change: z.enum(['added', 'removed']),
    scope: z.enum(['global', 'user']),
    weakened: z.boolean().optional(),
  }),
  'access.ip.refused': z.strictObject({ permission, route: z.string().max(200) }),
  'access.role.created': z.strictObject({ permissions: z.array(permission).max(60) }),
  'auth.csrf.rejected': z.strictObject({ route: z.string().max(200) }),
  'access.denied': z.strictObject({ permission: z.string().max(80), route: z.string().max(200) }),
  'access.elevation.required': z.strictObject({ permission: z.string().max(80), route: z.string().max(200) }),
  'detection.alert.raised': z.strictObject({
    rule: z.string().max(80),
    ruleVersion: z.number().int().min(1),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    alertId: id,
  }),
  'detection.alert.acknowledged': z.strictObject({ alertId: id }),
  'detection.alert.resolved': z.strictObject({ alertId: id }),
  'detection.ip.blocked': z.strictObject({
    rule: z.string().max(80),
    minutes: z.number().int().min(1),
    level: z.number().int().min(1),
  }),
  'detection.ip.unblocked': none,
  'detection.account.locked': z.strictObject({ rule: z.string().max(80) }),
  'detection.step_up.required': z.strictObject({ rule: z.string().max(80) }),
  'detection.rule.changed': z.strictObject({
    rule: z.string().max(80),
    version: z.number().int().min(2),
    weakened: z.boolean(),
    enabled: z.boolean(),
    mode: z.enum(['enforce', 'monitor']),
  }),
  'detection.rule.matched': z.strictObject({
    rule: z.string().max(80),
    ruleVersion: z.number().int().min(1),
    mode: z.enum(['monitor']),
  }),
  'detection.rule.replayed': z.strictObject({
    rule: z.string().max(80),
    days: z.number().int().min(1).max(30),
    wouldFire: z.number().int().min(0),
  }),
  'detection.lockdown.engaged': z.strictObject({
    via: z.enum(['manual', 'rule']),
    rule: z.string().max(80).nullable(),
  }),
  'detection.lockdown.lift_requested': none,
  'detection.lockdown.lifted': z.strictObject({ requestedBy: id, weakened: z.literal(true) }),
  'detection.request_rate.exceeded': z.strictObject({
    scope: z.enum(['user', 'session']),
    requests: z.number().int().min(1),
    baseline: z.boolean(),
  }),
  'auth.session.context_changed': z.strictObject({ change: z.enum(['ip', 'device', 'ip_and_device']) }),
  'detection.audit.heartbeat': none,
  'detection.audit.heartbeat_missing': z.strictObject({
    gapSeconds: z.number().int().min(0),
    expectedSeconds: z.number().int().min(1),
  }),
  'detection.audit.verify_failed': z.strictObject({ firstBadSeq: z.string().regex(/^\d{1,20}$/) }),
  'detection.webhook.created': z.strictObject({ minSeverity: z.enum(['low', 'medium', 'high', 'critical']) }),
  'detection.webhook.deleted': none,
  // IAM-14: one entry per risk decision; `indicators` are the ids of the fired indicators (docs/risk.md)
  'risk.assessed': z.strictObject({
    assessmentId: id,
    stage: z.enum(['login', 'reveal']),
    score: z.number().int().min(0).max(100),
    decision: z.enum(['allow', 'step_up', 'deny']),
    outcome: z.enum(['allowed', 'challenged', 'step_up_satisfied', 'denied', 'monitored']),
    enforced: z.boolean(),
    indicators: z.array(z.string().regex(/^[a-z_]{2,40}$/)).max(60),
  }),
  'risk.list.imported': z.strictObject({
    list: z.enum(['tor', 'threat']),
    entries: z.number().int().min(0),
    rejected: z.number().int().min(0),
    replaced: z.boolean(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    via: z.enum(['api', 'cli']),
  }),
  'risk.replayed': z.strictObject({
    days: z.number().int().min(1).max(30),
    evaluated: z.number().int().min(0),
    changed: z.number().int().min(0),
  }),
  'vault.owner.created': none,
  'vault.record.created': z.strictObject({
    ownerId: id,
    fields: z.number().int().min(0),
    via: z.enum(['api', 'bulk', 'cli']),
  }),
  'vault.ingest.finished': z.strictObject({
    ownerId: id.nullable(),
    format: z.enum(['ndjson', 'csv']),
    lines: z.number().int().min(0),
    accepted: z.number().int().min(0),
    rejected: z.number().int().min(0),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  'vault.record.searched': z.strictObject({
    criteria: z.array(z.enum(['email', 'phone', 'q', 'externalRef'])).max(4),
    returned: z.number().int().min(0).max(25),
  }),
  'vault.record.revealed': z.strictObject({
    purpose: z.enum(['customer_request', 'data_quality', 'legal', 'security_investigation', 'data_subject_request']),
    ownerId: id,
    revealId: id,
  }),
  'vault.reveal.refused': z.strictObject({
    reason: z.enum(['lockdown', 'ip', 'step_up', 'not_found', 'scope', 'quota', 'risk']),
    window: z.enum(['minute', 'hour', 'day', 'week']).nullable(),
  }),
  'vault.record.shredded': z.strictObject({ ownerId: id }),
  'vault.canary.created': z.strictObject({ ownerId: id }),
  'vault.canary.hit': z.strictObject({ kind: z.enum(['search']) }),
  'vault.canary.touched': z.strictObject({ kind: z.enum(['reveal']) }),
  'keys.rotation.started': z.strictObject({
    fromVersion: z.number().int().min(1),
    toVersion: z.number().int().min(1),
    total: z.number().int().min(0),
  }),
  'keys.rotation.finished': z.strictObject({
    fromVersion: z.number().int().min(1),
    toVersion: z.number().int().min(1),
    rewrapped: z.number().int().min(0),
    retired: z.boolean(),
  }),
  'audit.log.read': z.strictObject({
    actionFilter: z
      .string()
      .regex(/^(other|[a-z_]+(\.[a-z_]+)+)$/)
      .max(80)
      .nullable(),
    returned: z.number().int().min(0),
  }),
  'audit.log.verified': z.strictObject({ valid: z.boolean(), entries: z.number().int().min(0) }),
  'audit.log.exported': z.strictObject({
    via: z.enum(['api', 'cli']),
    entries: z.number().int().min(0),
    checkpoints: z.number().int().min(0),
    tombstones: z.number().int().min(0),
  }),
  'audit.inclusion.proved': z.strictObject({ seq: z.number().int().min(1), treeSize: z.number().int().min(1) }),
  'audit.log.pruned': z.strictObject({
    fromSeq: z.number().int().min(1),
    throughSeq: z.number().int().min(1),
    entries: z.number().int().min(0),
    checkpoints: z.number().int().min(0),
    cutoffDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    retentionDays: z.number().int().min(90).max(180),
  }),
  'audit.pseudonym_key.created': z.strictObject({ epoch: z.number().int().min(0) }),
  'audit.pseudonym_key.destroyed': z.strictObject({ epoch: z.number().int().min(0) }),
} as const;

export type AuditAction = keyof typeof auditCatalogue;
export type AuditDetails<A extends AuditAction> = z.infer<(typeof auditCatalogue)[A]>;

export const auditActions = Object.keys(auditCatalogue) as AuditAction[];

export const isAuditAction = (a: string): a is AuditAction => Object.hasOwn(auditCatalogue, a);

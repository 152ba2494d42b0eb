/** HTTP adapter for alerts, blocked addresses, detection rules (with replay), lock-down and alert webhooks. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Detection } from './detection.ts';
import { type Rule, responseKinds, ruleSettingsSchema, severities } from './rules.ts';

const errs = { 400: errorResponse, 404: errorResponse, 409: errorResponse, ...authErrors };
const alert = z.object({
  id: z.uuid(),
  rule: z.string(),
  ruleVersion: z.number(),
  severity: z.string(),
  status: z.string(),
  subject: z.object({ type: z.string(), id: z.string() }),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  notifiedTimes: z.number(),
  checkpoint: z.string().nullable().describe('The newest signed audit checkpoint when raised: "<tree size>:<root>"'),
  responses: z.array(z.string()).describe('Responses taken: alert, step_up, end_sessions, lock_account, …'),
  explanation: z.string().nullable().describe('What was observed against which limit'),
});
const alertDetail = alert.extend({
  title: z.string(),
  point: z.string().nullable(),
  observed: z.number().nullable(),
  limit: z.number().nullable(),
  timeline: z.array(
    z.object({
      seq: z.string(),
      at: z.string(),
      action: z.string(),
      outcome: z.string(),
      actorId: z.string().nullable(),
      target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
      trigger: z.boolean(),
    }),
  ),
});
const detector = z.union([
  z.object({
    kind: z.literal('count'),
    groupBy: z.enum(['actor', 'ip', 'target']),
    windowSeconds: z.number(),
    threshold: z.number(),
    distinct: z.literal('target').optional(),
  }),
  z.object({
    kind: z.literal('baseline'),
    bucketSeconds: z.number(),
    historyDays: z.number(),
    minSamples: z.number(),
    deviations: z.number(),
    minimum: z.number(),
    hardCap: z.number(),
  }),
  z.object({ kind: z.literal('enumeration'), windowSeconds: z.number(), minReveals: z.number(), ratio: z.number() }),
]);
const rule = z.object({
  id: z.string(),
  version: z.number(),
  title: z.string(),
  point: z.string(),
  actions: z.array(z.string()),
  match: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).optional(),
  contains: z.object({ key: z.string(), value: z.string() }).optional(),
  detector,
  responses: z.array(z.enum(responseKinds)),
  severity: z.enum(severities),
  enabled: z.boolean(),
  mode: z.enum(['enforce', 'monitor']),
});
const replayResult = z.object({
  days: z.number(),
  events: z.number(),
  truncated: z.boolean(),
  wouldFire: z.number(),
  subjects: z.number(),
  byDay: z.array(z.object({ day: z.string(), fires: z.number() })),
});
const lockdownView = z.object({
  active: z.boolean(),
  id: z.string().optional(),
  engagedAt: z.string().optional(),
  engagedBy: z.string().nullable().optional(),
  engagedByRule: z.string().nullable().optional(),
  reason: z.enum(['manual', 'rule']).optional(),
  alertId: z.string().nullable().optional(),
  liftRequestedBy: z.string().nullable().optional(),
  liftRequestedAt: z.string().nullable().optional(),
  liftedBy: z.string().nullable().optional(),
  liftedAt: z.string().nullable().optional(),
});
const idParam = z.strictObject({ id: z.uuid() });
const ruleParam = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{2,80}$/) });
const toJson = (r: Rule) => ({ ...r, actions: [...r.actions], responses: [...r.responses] }) as z.infer<typeof rule>;

export function detectionRoutes(deps: { db: Db; detection: Detection; guard: Guard; audit: Pick<AuditLog, 'append'> }) {
  const { guard } = deps;
  const { alerts, blocklist, rules, lockdown, webhooks, replay } = deps.detection;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['alerts'];
    r.get(
      '/api/v1/alerts',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Alerts, newest first',
          querystring: z.strictObject({
            status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
            severity: z.enum(severities).optional(),
            rule: z
              .string()
              .regex(/^[a-z0-9-]{2,80}$/)
              .optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(alert) }), ...errs },
        },
      },
      async (req) => ({ items: await alerts.list(req.query) }),
    );
    r.get(
      '/api/v1/alerts/summary',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'Unresolved alerts per status and severity',
          response: {
            200: z.object({
              items: z.array(z.object({ status: z.string(), severity: z.string(), count: z.number() })),
            }),
            ...errs,
          },
        },
      },
      async () => ({ items: await alerts.summary() }),
    );
    r.get(
      '/api/v1/alerts/:id',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags,
          summary: 'One alert with its explanation and the timeline of its subject',
          params: idParam,
          response: { 200: alertDetail, ...errs },
        },
      },
      async (req) => alerts.detail(req.params.id),
    );
    r.post(
      '/api/v1/alerts/:id/acknowledge',
      {
        preHandler: guard('alerts.manage'),
        schema: {
          tags,
          summary: 'Acknowledge (stops the reminders)',
          params: idParam,
          response: { 200: alert, ...errs },
        },
      },
      async (req) => alerts.acknowledge(principalOf(req), req.params.id, contextOf(req)),
    );
    r.post(
      '/api/v1/alerts/:id/resolve',
      {
        preHandler: guard('alerts.manage'),
        schema: {
          tags,
          summary: 'Resolve with a review note (required; LOG-06)',
          params: idParam,
          body: z.strictObject({
            note: z.string().trim().min(10, 'must document the review in at least 10 characters').max(4000),
          }),
          response: { 200: alert, ...errs },
        },
      },
      async (req) => alerts.resolve(principalOf(req), req.params.id, req.body.note, contextOf(req)),
    );
    r.get(
      '/api/v1/blocked-ips',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: ['blocked-ips'],
          summary: 'Blocked addresses (as keyed hashes)',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  ipHash: z.string(),
                  rule: z.string(),
                  level: z.number(),
                  createdAt: z.string(),
                  expiresAt: z.string(),
                  active: z.boolean(),
                }),
              ),
            }),
            ...errs,
          },
        },
      },
      async () => ({ items: await blocklist.list() }),
    );
    r.delete(
      '/api/v1/blocked-ips/:id',
      {
        preHandler: guard('alerts.manage'),
        schema: {
          tags: ['blocked-ips'],
          summary: 'Lift a block now',
          params: idParam,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        const ctx = contextOf(req);
        const ok = await deps.db.transaction(async (tx) => {
          const lifted = await blocklist.unblock(tx, req.params.id, p.userId);
          if (lifted) {
            await deps.audit.append(tx, {
              action: 'detection.ip.unblocked',
              outcome: 'success',
              actor: { type: 'user', id: p.userId },
              target: { type: 'blocked_ip', id: req.params.id },
              ip: ctx.ip,
              requestId: ctx.requestId,
              details: {},
            });
          }
          return lifted;
        });
        if (!ok) throw new AppError('not_found', 'blocked_ips.not_found', 'There is no such active block.');
        await blocklist.reload();
        return reply.status(204).send(null);
      },
    );

    const ruleTags = ['detection-rules'];
    r.get(
      '/api/v1/detection/rules',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: ruleTags,
          summary: 'Detection rules in force (defaults with stored changes), each with its version',
          response: { 200: z.object({ items: z.array(rule) }), ...errs },
        },
      },
      async () => ({ items: (await rules.rules()).map(toJson) }),
    );
    r.get(
      '/api/v1/detection/rules/:id',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: ruleTags,
          summary: 'One rule with its version history',
          params: ruleParam,
          response: {
            200: rule.extend({
              history: z.array(
                z.object({
                  version: z.number(),
                  settings: z.record(z.string(), z.unknown()),
                  weakened: z.boolean(),
                  changedBy: z.string().nullable(),
                  changedAt: z.string().nullable(),
                }),
              ),
            }),
            ...errs,
          },
        },
      },
      async (req) => ({ ...toJson(await rules.get(req.params.id)), history: await rules.history(req.params.id) }),
    );
    r.patch(
      '/api/v1/detection/rules/:id',
      {
        preHandler: guard('detection.manage'),
        schema: {
          tags: ruleTags,
          summary: 'Change a rule: stored as a new version; a weakening change raises an alert',
          params: ruleParam,
          body: ruleSettingsSchema,
          response: { 200: rule, ...errs },
        },
      },
      async (req) => toJson(await rules.update(principalOf(req), req.params.id, req.body, contextOf(req))),
    );
    r.post(
      '/api/v1/detection/rules/:id/replay',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: ruleTags,
          summary: 'How often the rule, as it is and with proposed settings, would have fired in the last 30 days',
          params: ruleParam,
          body: z.strictObject({
            settings: ruleSettingsSchema.default({}),
            days: z.number().int().min(1).max(30).default(30),
          }),
          response: { 200: z.object({ current: replayResult, proposed: replayResult, rule }), ...errs },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const ctx = contextOf(req);
        const current = await rules.get(req.params.id);
        const proposedRule = await rules.preview(req.params.id, req.body.settings);
        const [a, b] = [await replay.replay(current, req.body.days), await replay.replay(proposedRule, req.body.days)];
        await deps.db.transaction((tx) =>
          deps.audit.append(tx, {
            action: 'detection.rule.replayed',
            outcome: 'success',
            actor: { type: 'user', id: p.userId },
            target: { type: 'rule', id: current.id },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { rule: current.id, days: req.body.days, wouldFire: b.wouldFire },
          }),
        );
        return { current: a, proposed: b, rule: toJson(proposedRule) };
      },
    );

    const ldTags = ['lockdown'];
    r.get(
      '/api/v1/lockdown',
      {
        preHandler: guard(),
        schema: {
          tags: ldTags,
          summary: 'Whether the application is locked down (every signed-in user sees the banner)',
          response: { 200: lockdownView, ...errs },
        },
      },
      async () => lockdown.status(),
    );
    r.post(
      '/api/v1/lockdown',
      {
        preHandler: guard('lockdown.manage'),
        schema: {
          tags: ldTags,
          summary: 'Lock the application down now: reveals off for all but incident responders (INC-03)',
          response: { 200: lockdownView, ...errs },
        },
      },
      async (req) => lockdown.engage(principalOf(req), contextOf(req)),
    );
    r.post(
      '/api/v1/lockdown/lift',
      {
        preHandler: guard('lockdown.manage'),
        schema: {
          tags: ldTags,
          summary: 'Ask to lift (first top-level admin) or lift (a second, different top-level admin)',
          response: { 200: lockdownView, ...errs },
        },
      },
      async (req) => lockdown.lift(principalOf(req), contextOf(req)),
    );
    r.get(
      '/api/v1/lockdown/history',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: ldTags,
          summary: 'Past and current lock-downs',
          response: { 200: z.object({ items: z.array(lockdownView) }), ...errs },
        },
      },
      async () => ({ items: await lockdown.history() }),
    );

    const whTags = ['webhooks'];
    const webhook = z.object({
      id: z.string(),
      name: z.string(),
      url: z.string(),
      minSeverity: z.enum(severities),
      createdBy: z.string(),
      createdAt: z.string(),
    });
    r.get(
      '/api/v1/webhooks',
      {
        preHandler: guard('alerts.read'),
        schema: {
          tags: whTags,
          summary: 'Alert webhooks',
          response: { 200: z.object({ items: z.array(webhook) }), ...errs },
        },
      },
      async () => ({ items: await webhooks.list() }),
    );
    r.post(
      '/api/v1/webhooks',
      {
        preHandler: guard('detection.manage'),
        schema: {
          tags: whTags,
          summary: 'Send alerts to an HTTPS endpoint, signed; the secret is shown once',
          body: z.strictObject({
            name: z.string().trim().min(1).max(80),
            url: z.string().max(2000),
            minSeverity: z.enum(severities).default('medium'),
          }),
          response: { 201: z.object({ id: z.string(), secret: z.string() }), ...errs },
        },
      },
      async (req, reply) => reply.status(201).send(await webhooks.create(principalOf(req), req.body, contextOf(req))),
    );
    r.delete(
      '/api/v1/webhooks/:id',
      {
        preHandler: guard('detection.manage'),
        schema: {
          tags: whTags,
          summary: 'Stop sending to a webhook',
          params: idParam,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        await webhooks.remove(principalOf(req), req.params.id, contextOf(req));
        return reply.status(204).send(null);
      },
    );
  };
}

/** HTTP adapter for alerts and blocked addresses. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Alerts } from './alerts.service.ts';
import type { Blocklist } from './blocklist.ts';

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
});
const idParam = z.strictObject({ id: z.uuid() });

export function detectionRoutes(deps: {
  db: Db;
  alerts: Alerts;
  blocklist: Blocklist;
  guard: Guard;
  audit: Pick<AuditLog, 'append'>;
}) {
  const { alerts, guard } = deps;
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
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(alert) }), ...errs },
        },
      },
      async (req) => ({ items: await alerts.list(req.query) }),
    );
    r.get(
      '/api/v1/alerts/:id',
      {
        preHandler: guard('alerts.read'),
        schema: { tags, summary: 'One alert', params: idParam, response: { 200: alert, ...errs } },
      },
      async (req) => alerts.get(req.params.id),
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
          response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errs },
        },
      },
      async () => ({ items: await deps.blocklist.list() }),
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
          const lifted = await deps.blocklist.unblock(tx, req.params.id, p.userId);
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
        await deps.blocklist.reload();
        return reply.status(204).send(null);
      },
    );
  };
}

/** HTTP adapter for the audit log. Reading the log is itself audited (LOG-02: readable only with authorisation). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/db.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse } from '../../platform/http/schemas.ts';
import { isAuditAction } from './audit.catalogue.ts';
import * as s from './audit.schemas.ts';
import type { AuditLog, VerifyResult } from './audit.service.ts';

export const verifyToJson = (v: VerifyResult) =>
  v.valid
    ? { valid: true as const, entries: v.entries, head: { seq: Number(v.head.seq), hash: v.head.hash } }
    : { valid: false as const, firstBadSeq: Number(v.firstBadSeq), reason: v.reason, entries: v.entries };

export function auditRoutes(deps: { db: Db; audit: AuditLog; guard: Guard }) {
  const { db, audit, guard } = deps;
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/audit/events',
      {
        preHandler: guard('audit.read'),
        schema: {
          tags: ['audit'],
          summary: 'Audit entries, newest first; `before` pages by seq',
          querystring: s.eventsQuery,
          response: { 200: s.eventsResponse, 400: errorResponse, ...authErrors },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        const entries = await audit.list(db, { ...q, before: q.before?.toString() });
        const ctx = contextOf(req);
        await db.transaction((tx) =>
          audit.append(tx, {
            action: 'audit.log.read',
            outcome: 'success',
            actor: { type: 'user', id: p.userId },
            ip: ctx.ip,
            requestId: ctx.requestId,
            // the filter is typed by a person: record it only when it names a catalogued action, so no free
            // text (which could be personal data) reaches the log (DAT-05)
            details: {
              actionFilter: q.action === undefined ? null : isAuditAction(q.action) ? q.action : 'other',
              returned: entries.length,
            },
          }),
        );
        const items = entries.map((e) => ({
          seq: Number(e.seq),
          at: e.at,
          action: e.action,
          outcome: e.outcome as 'success' | 'failure' | 'denied',
          actorType: e.actorType,
          actorId: e.actorId,
          targetType: e.targetType,
          targetId: e.targetId,
          ipHash: e.ipHash,
          requestId: e.requestId,
          details: e.details as Record<string, unknown>,
          hash: e.hash.toString('hex'),
        }));
        const last = items[items.length - 1];
        return { items, nextBefore: items.length === q.limit && last ? last.seq : null };
      },
    );

    r.get(
      '/api/v1/audit/verify',
      {
        preHandler: guard('audit.read'),
        schema: {
          tags: ['audit'],
          summary: 'Recompute the hash chain and report the first bad entry, if any',
          response: { 200: s.verifyResponse, ...authErrors },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const result = await audit.verify(db);
        const ctx = contextOf(req);
        await db.transaction((tx) =>
          audit.append(tx, {
            action: 'audit.log.verified',
            outcome: result.valid ? 'success' : 'failure',
            actor: { type: 'user', id: p.userId },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { valid: result.valid, entries: result.entries },
          }),
        );
        return verifyToJson(result);
      },
    );
  };
}

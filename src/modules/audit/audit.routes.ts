/**
 * HTTP adapter for the audit log (LOG-01, LOG-02). Reading the log is itself audited, and so is every export; the
 * log is readable only with `audit.read`, exportable only with `audit.export`.
 */
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse } from '../../platform/http/schemas.ts';
import { isAuditAction } from './audit.catalogue.ts';
import * as repo from './audit.repository.ts';
import * as s from './audit.schemas.ts';
import type { AuditLog, VerifyResult } from './audit.service.ts';
import { exportBundle } from './bundle.ts';

export const verifyToJson = (v: VerifyResult) =>
  v.valid
    ? {
        valid: true as const,
        entries: v.entries,
        head: { seq: Number(v.head.seq), hash: v.head.hash },
        checkpoints: v.checkpoints,
        tombstones: v.tombstones,
        prunedThrough: v.prunedThrough,
      }
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
          summary: 'Audit entries, newest first, filtered by action, outcome, actor and time; `before` pages by seq',
          querystring: s.eventsQuery,
          response: { 200: s.eventsResponse, 400: errorResponse, ...authErrors },
        },
      },
      async (req) => {
        const p = principalOf(req);
        const q = req.query;
        const entries = await audit.list(db, {
          ...q,
          before: q.before?.toString(),
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
        });
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
          summary:
            'Recompute the hash chain, Merkle roots, signatures and retention tombstones; report the first bad entry',
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

    r.get(
      '/api/v1/audit/status',
      {
        preHandler: guard('audit.read'),
        schema: {
          tags: ['audit'],
          summary: 'The latest signed checkpoint (with its fingerprint), the integrator lag and the retention state',
          response: { 200: s.statusResponse, ...authErrors },
        },
      },
      async () => {
        const x = audit.extras;
        const now = x.clock?.now() ?? new Date();
        const [head, lag, latest, tombs] = await Promise.all([
          repo.readHead(db),
          audit.integrator.lag(now),
          x.checkpoints?.latestSigned(),
          repo.tombstones(db),
        ]);
        const last = tombs[tombs.length - 1];
        return {
          head: head.seq === '0' ? null : { seq: Number(head.seq), hash: head.hash.toString('hex') },
          pending: lag.pending,
          oldestPendingMs: lag.oldestMs,
          latestCheckpoint: latest ?? null,
          retention: {
            days: x.retention?.retentionDays ?? 180,
            cutoff: (x.retention?.cutoff() ?? now).toISOString(),
            prunedThrough: last ? Number(last.through_seq) : 0,
            lastPrunedAt: last ? last.pruned_at.toISOString() : null,
          },
          checkpointEmail: Boolean(x.checkpointMail?.enabled),
        };
      },
    );

    r.get(
      '/api/v1/audit/export',
      {
        preHandler: guard('audit.export'),
        schema: {
          tags: ['audit'],
          summary:
            'Download a self-contained, offline-verifiable bundle (NDJSON: header, tombstones, entries with signed ' +
            'checkpoints, end); check it with `strongroom audit verify --bundle FILE`. The export is audited.',
          querystring: s.exportQuery,
          produces: ['application/x-ndjson'],
          response: {
            200: z.string().describe('The bundle, application/x-ndjson'),
            ...authErrors,
            503: errorResponse,
          },
        },
      },
      async (req, reply) => {
        const x = audit.extras;
        if (!x.checkpoints || !x.exportDir) {
          throw new AppError('unavailable', 'audit.export_unavailable', 'Exports are not available on this node.');
        }
        const p = principalOf(req);
        const ctx = contextOf(req);
        const at = x.clock?.now() ?? new Date();
        // write from one snapshot to a private file first, then stream it: the database is never held open
        // for as long as a slow client takes to download
        await x.checkpoints.cut();
        await mkdir(x.exportDir, { recursive: true, mode: 0o700 });
        const dir = await mkdtemp(path.join(x.exportDir, 'export-'));
        const file = path.join(dir, 'bundle.ndjson');
        const cleanup = () => rm(dir, { recursive: true, force: true }).catch(() => {});
        try {
          const summary = await exportBundle(db, file, x.checkpoints.publicKey(), at, {
            retentionDays: x.retention?.retentionDays,
            sign: x.checkpoints.signBundle,
          });
          await db.transaction((tx) =>
            audit.append(tx, {
              action: 'audit.log.exported',
              outcome: 'success',
              actor: { type: 'user', id: p.userId },
              ip: ctx.ip,
              requestId: ctx.requestId,
              details: { via: 'api', ...summary },
            }),
          );
        } catch (err) {
          await cleanup();
          throw err;
        }
        const stream = createReadStream(file);
        stream.once('close', () => void cleanup());
        const name = `strongroom-audit-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.ndjson`;
        return reply
          .header('content-type', 'application/x-ndjson')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(stream as unknown as string); // a stream: Fastify pipes it and skips the serializer
      },
    );
  };
}

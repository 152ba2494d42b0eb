/** HTTP adapter for the vault. No SQL and no rules here. Every answer carrying record data is `no-store`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf, contextOf, type Guard, principalOf } from '../../platform/http/auth.ts';
import { authErrors, errorResponse, noContent } from '../../platform/http/schemas.ts';
import type { Ingest } from './ingest.ts';
import type { KeyRotation } from './key-rotation.ts';
import * as repo from './vault.repository.ts';
import * as s from './vault.schemas.ts';
import type { VaultService } from './vault.service.ts';

const errs = {
  400: errorResponse,
  404: errorResponse,
  409: errorResponse,
  429: errorResponse,
  503: errorResponse,
  ...authErrors,
};
const BULK_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'text/plain', 'text/csv'];

export function vaultRoutes(deps: {
  db: Db;
  vault: VaultService;
  ingest: Ingest;
  rotation: KeyRotation;
  guard: Guard;
  bulkMaxBytes: number;
}) {
  const { vault, guard } = deps;
  return async (app: FastifyInstance) => {
    // Bulk bodies are streamed to the ingest, never buffered whole (bounded memory).
    app.addContentTypeParser(BULK_TYPES, (_req, payload, done) => done(null, payload));
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/v1/owners',
      {
        preHandler: guard('owners.manage'),
        schema: {
          tags: ['owners'],
          summary: 'Register a data owner (the third party records come from; DAT-09)',
          body: s.createOwnerBody,
          response: { 201: z.object({ id: z.uuid() }), ...errs },
        },
      },
      async (req, reply) => reply.status(201).send(await vault.createOwner(principalOf(req), req.body, contextOf(req))),
    );

    r.get(
      '/api/v1/owners',
      {
        preHandler: guard('owners.read'),
        schema: {
          tags: ['owners'],
          summary: 'Data owners',
          response: { 200: z.object({ items: z.array(s.ownerItem) }), ...errs },
        },
      },
      async () => ({ items: await vault.listOwners() }),
    );

    r.post(
      '/api/v1/records',
      {
        preHandler: guard('records.write', { serviceScope: 'records.write' }),
        schema: {
          tags: ['records'],
          summary: 'Ingest one record; encrypted before its first write; idempotent by (ownerId, externalRef)',
          body: s.createRecordBody,
          response: { 201: s.createRecordResponse, 200: s.createRecordResponse, ...errs },
        },
      },
      async (req, reply) => {
        const out = await vault.createRecord(actorOf(req), req.body, contextOf(req));
        return reply.status(out.created ? 201 : 200).send({ id: out.id });
      },
    );

    r.post(
      '/api/v1/records/bulk',
      {
        preHandler: guard('records.write', { serviceScope: 'records.write' }),
        schema: {
          tags: ['records'],
          summary: 'Bulk ingest: NDJSON (application/x-ndjson) or CSV (text/csv), streamed; per-line errors',
          description: 'Lines count from 1. `ownerId` may be given once in the query instead of on every line.',
          querystring: s.bulkQuery,
          response: { 200: s.bulkResponse, ...errs },
        },
      },
      async (req, reply) => {
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim();
        const out = await deps.ingest.ingest(
          actorOf(req),
          req.body as NodeJS.ReadableStream as never,
          {
            format: type === 'text/csv' ? 'csv' : 'ndjson',
            ownerId: req.query.ownerId,
            ingestId: req.query.ingestId,
            via: 'bulk',
            maxBytes: deps.bulkMaxBytes,
          },
          contextOf(req),
        );
        return reply.send({
          ingestId: out.ingestId,
          accepted: out.accepted,
          rejected: out.rejected,
          rejectedCount: out.rejectedCount,
          lines: out.lines,
          sha256: out.sha256,
        });
      },
    );

    r.get(
      '/api/v1/ingests/:id',
      {
        preHandler: guard('records.write', { serviceScope: 'records.write' }),
        schema: {
          tags: ['records'],
          summary: 'Progress of a bulk upload',
          params: s.idParam,
          response: { 200: s.ingestResponse, ...errs },
        },
      },
      async (req) => {
        const i = await repo.getIngest(deps.db, req.params.id);
        const a = actorOf(req);
        // an upload's progress is for whoever started it (or a data-owner manager)
        const mine =
          i &&
          (a.kind === 'service'
            ? i.created_by_token === a.tokenId
            : a.kind === 'user' &&
              (i.created_by_user === a.principal.userId || a.principal.permissions.includes('owners.manage')));
        if (!i || !mine) throw new AppError('not_found', 'vault.ingest_not_found', 'There is no such upload.');
        return {
          id: i.id,
          status: i.status,
          format: i.format,
          lines: i.lines,
          accepted: i.accepted,
          rejected: i.rejected,
          bytes: Number(i.bytes),
          sha256: i.sha256,
          startedAt: i.started_at.toISOString(),
          finishedAt: i.finished_at?.toISOString() ?? null,
        };
      },
    );

    r.get(
      '/api/v1/records',
      {
        preHandler: guard('records.search'),
        schema: {
          tags: ['records'],
          summary:
            'Masked search: email=, phone=, q= (name/company words) or externalRef= with ownerId=; at most 25, no totals',
          querystring: s.searchQuery,
          response: { 200: s.searchResponse, ...errs },
        },
      },
      async (req, reply) =>
        reply.header('cache-control', 'no-store').send(await vault.search(principalOf(req), req.query, contextOf(req))),
    );

    r.post(
      '/api/v1/records/:id/reveal',
      {
        preHandler: guard('records.reveal'),
        schema: {
          tags: ['records'],
          summary: 'Reveal ONE record in clear, with a purpose and a justification (DAT-04)',
          description:
            'Needs the records.reveal grant for the record’s owner, a recent second factor, an allow-listed IP, no lock-down, and quota left.',
          params: s.idParam,
          body: s.revealBody,
          response: { 200: s.revealResponse, ...errs },
        },
      },
      async (req, reply) =>
        reply
          .header('cache-control', 'no-store')
          .header('pragma', 'no-cache')
          .send(await vault.reveal(principalOf(req), req.params.id, req.body, contextOf(req))),
    );

    r.delete(
      '/api/v1/records/:id',
      {
        preHandler: guard('records.delete'),
        schema: {
          tags: ['records'],
          summary: 'Crypto-shred a record: its data key, ciphertext and indexes are destroyed',
          params: s.idParam,
          response: { 204: noContent, ...errs },
        },
      },
      async (req, reply) => {
        await vault.shred(principalOf(req), req.params.id, contextOf(req));
        return reply.status(204).send(null);
      },
    );

    r.post(
      '/api/v1/canaries',
      {
        preHandler: guard('canaries.manage'),
        schema: {
          tags: ['canaries'],
          summary: 'Plant a canary record (indistinguishable from a real one to others)',
          body: s.createCanaryBody,
          response: { 201: z.object({ id: z.uuid() }), ...errs },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await vault.createCanary(principalOf(req), req.body.ownerId, contextOf(req))),
    );

    r.get(
      '/api/v1/canaries',
      {
        preHandler: guard('canaries.manage'),
        schema: {
          tags: ['canaries'],
          summary: 'Canary records',
          response: {
            200: z.object({
              items: z.array(
                z.object({ id: z.uuid(), ownerId: z.uuid(), createdAt: z.string(), shredded: z.boolean() }),
              ),
            }),
            ...errs,
          },
        },
      },
      async () => ({ items: await vault.listCanaries() }),
    );

    r.get(
      '/api/v1/keys/status',
      {
        preHandler: guard('keys.manage'),
        schema: {
          tags: ['keys'],
          summary: 'Root-key version and rotation progress',
          response: { 200: s.keyStatusResponse, ...errs },
        },
      },
      async () => deps.rotation.status(),
    );

    r.post(
      '/api/v1/keys/rotate',
      {
        preHandler: guard('keys.manage'),
        schema: {
          tags: ['keys'],
          summary: 'Start a root-key rotation (re-wraps every data key in the background, then retires the old key)',
          response: { 202: z.object({ id: z.uuid(), fromVersion: z.number(), toVersion: z.number() }), ...errs },
        },
      },
      async (req, reply) =>
        reply.status(202).send(await deps.rotation.start({ type: 'user', id: principalOf(req).userId })),
    );
  };
}

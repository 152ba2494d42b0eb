/**
 * Bulk ingest (DAT-06): NDJSON or CSV streamed with bounded memory (one batch in memory at a time; the stream
 * is paused while a batch is written), every record encrypted before its first write, idempotent by
 * (owner, externalRef), per-line errors, a SHA-256 of the exact bytes received, and progress in
 * `vault.ingests` that the API, UI and CLI poll.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/db.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';
import { readCsvRows } from './csv.ts';
import { refOf, rowsOf } from './record-batch.ts';
import { type RecordCrypto, searchModesOf } from './record-crypto.ts';
import { createSealingPool, type SealingPool } from './sealing-pool.ts';
import * as repo from './vault.repository.ts';
import { auditActorOf, normaliseRecordFields, type VaultActor } from './vault.service.ts';

export const BATCH_SIZE = 500;
const MAX_REPORTED_ERRORS = 1000;
const MAX_LINE_BYTES = 64 * 1024;

export interface LineError {
  line: number;
  code: string;
  message: string;
}

export interface IngestDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
  crypto: RecordCrypto;
  fieldSpecs: Map<string, import('./field-catalogue.ts').FieldSpec>;
  /** Worker threads that seal batches; by default one pool per ingest service (sealing-pool.ts). */
  sealing?: SealingPool;
}

interface Parsed {
  line: number;
  ownerId: string;
  externalRef?: string | undefined;
  values: Record<string, string>;
}

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createIngest(deps: IngestDeps) {
  const { db, clock, crypto } = deps;
  const sealer = deps.sealing ?? createSealingPool();
  const modes = searchModesOf(deps.fieldSpecs);
  const maxBatchesInFlight = sealer.size + 2;

  return {
    async ingest(
      actor: VaultActor,
      body: Readable,
      opts: {
        format: 'ndjson' | 'csv';
        ownerId?: string | undefined;
        ingestId?: string | undefined;
        via: 'bulk' | 'cli';
        maxBytes?: number;
      },
      ctx: RequestContext,
    ) {
      const ingestId = opts.ingestId ?? newId();
      const hash = createHash('sha256');
      let bytes = 0;
      const counted = new PassThrough();
      body.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      body.pipe(counted);
      await repo.insertIngest(db, {
        id: ingestId,
        ownerId: opts.ownerId ?? null,
        format: opts.format,
        at: clock.now(),
        byUser: actor.kind === 'user' ? actor.principal.userId : null,
        byToken: actor.kind === 'service' ? actor.tokenId : null,
      });
      const errors: LineError[] = [];
      let rejected = 0;
      let accepted = 0;
      let lines = 0;
      const knownOwners = new Map<string, boolean>();
      const reject = (line: number, code: string, message: string) => {
        rejected++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line, code, message });
      };
      let batch: Parsed[] = [];
      /** The cap is checked between lines (the 'data' listener counts bytes as they arrive). */
      const checkSize = () => {
        if (opts.maxBytes && bytes > opts.maxBytes) {
          throw new AppError(
            'payload_too_large',
            'vault.upload_too_large',
            `An upload may hold at most ${opts.maxBytes} bytes.`,
          );
        }
      };

      // Sealing runs in worker threads (sealing-pool.ts) while this thread reads on; writes stay in upload order, one
      // at a time, so a reference stored by an earlier batch is seen when a later batch is checked. At most
      // maxBatchesInFlight batches are held (read but not yet written): memory stays bounded, the stream waits.
      const writes: Promise<void>[] = [];
      let lastWrite: Promise<void> = Promise.resolve();
      const flush = async () => {
        if (!batch.length) return;
        const items = batch;
        batch = [];
        for (const o of new Set(items.map((i) => i.ownerId))) {
          if (!knownOwners.has(o)) knownOwners.set(o, await repo.ownerExists(db, o));
        }
        const valid = items.filter((i) => {
          if (knownOwners.get(i.ownerId)) return true;
          reject(i.line, 'vault.owner_not_found', 'There is no such data owner.');
          return false;
        });
        const sealing = valid.length
          ? sealer.seal({ ...crypto.currentSealKeys(deps.fieldSpecs), refKey: crypto.externalRefKey() }, modes, {
              items: valid.map((i) => ({ ownerId: i.ownerId, externalRef: i.externalRef, values: i.values })),
              at: clock.now().getTime(),
              byUser: actor.kind === 'user' ? actor.principal.userId : null,
              byToken: actor.kind === 'service' ? actor.tokenId : null,
              ingestId,
            })
          : Promise.resolve(undefined);
        sealing.catch(() => {}); // awaited by the write below
        const write = lastWrite.then(async () => {
          const sealed = await sealing;
          await db.transaction(async (tx) => {
            if (sealed) {
              const refs = valid.map((_, k) => refOf(sealed, k));
              const existing = await repo.existingRefs(
                tx,
                valid.flatMap((i, k) => {
                  const refIdx = refs[k];
                  return refIdx ? [{ ownerId: i.ownerId, refIdx }] : [];
                }),
              );
              const seen = new Set<string>();
              const rows = rowsOf(sealed, (k) => {
                const refIdx = refs[k];
                if (!refIdx) return true;
                const key = `${valid[k]?.ownerId}:${refIdx.toString('hex')}`;
                if (existing.has(key) || seen.has(key)) return false; // idempotent: already stored
                seen.add(key);
                return true;
              });
              await repo.copyRecords(tx, rows);
            }
            accepted += valid.length;
            await repo.updateIngest(tx, ingestId, { lines, accepted, rejected, bytes });
          });
        });
        lastWrite = write;
        // a failed write surfaces at the await below or the final one, never silently
        write.catch(() => {});
        writes.push(write);
        while (writes.length >= maxBatchesInFlight) await writes.shift();
      };

      const accept = async (line: number, obj: unknown) => {
        const o = obj as { ownerId?: unknown; externalRef?: unknown; fields?: unknown };
        if (!o || typeof o !== 'object' || Array.isArray(o))
          return reject(line, 'vault.line_invalid', 'Each line must be a JSON object.');
        const ownerId = typeof o.ownerId === 'string' ? o.ownerId : opts.ownerId;
        if (!ownerId || !uuidRe.test(ownerId))
          return reject(line, 'vault.owner_required', 'ownerId (a UUID) is required.');
        if (
          o.externalRef !== undefined &&
          (typeof o.externalRef !== 'string' || !o.externalRef.trim() || o.externalRef.length > 200)
        ) {
          return reject(
            line,
            'vault.external_ref_invalid',
            'externalRef must be a non-empty string of at most 200 characters.',
          );
        }
        if (!o.fields || typeof o.fields !== 'object' || Array.isArray(o.fields)) {
          return reject(line, 'vault.fields_required', 'fields (an object) is required.');
        }
        try {
          const values = normaliseRecordFields(o.fields as Record<string, unknown>);
          batch.push({ line, ownerId, externalRef: o.externalRef as string | undefined, values });
        } catch (err) {
          if (!isAppError(err)) throw err;
          return reject(line, err.code, err.message);
        }
        if (batch.length >= BATCH_SIZE) await flush();
      };

      try {
        if (opts.format === 'ndjson') {
          const rl = createInterface({ input: counted, crlfDelay: Number.POSITIVE_INFINITY });
          for await (const text of rl) {
            checkSize();
            lines++;
            if (!text.trim()) continue;
            if (text.length > MAX_LINE_BYTES) {
              reject(lines, 'vault.line_too_long', `A line may hold at most ${MAX_LINE_BYTES} bytes.`);
              continue;
            }
            let obj: unknown;
            try {
              obj = JSON.parse(text);
            } catch {
              reject(lines, 'vault.line_malformed_json', 'This line is not valid JSON.');
              continue;
            }
            await accept(lines, obj);
          }
        } else {
          let header: string[] | undefined;
          for await (const { line, cells } of readCsvRows(counted)) {
            checkSize();
            lines = line;
            if (!header) {
              header = cells.map((c) => c.trim());
              continue;
            }
            const fields: Record<string, string> = {};
            let ownerId: string | undefined;
            let externalRef: string | undefined;
            header.forEach((h, i) => {
              const v = cells[i] ?? '';
              if (h === 'ownerId') ownerId = v || undefined;
              else if (h === 'externalRef') externalRef = v || undefined;
              else if (v !== '') fields[h] = v;
            });
            await accept(line, { ownerId, externalRef, fields });
          }
        }
        checkSize();
        await flush();
        await lastWrite;
      } catch (err) {
        body.unpipe(counted);
        body.resume(); // drain what the client still sends; nothing more is read into memory
        await lastWrite.catch(() => {}); // no write may still be running when the upload is marked failed
        await repo.updateIngest(db, ingestId, { lines, accepted, rejected, bytes, status: 'failed', at: clock.now() });
        throw err;
      }
      const sha256 = hash.digest('hex');
      await db.transaction(async (tx) => {
        await repo.updateIngest(tx, ingestId, {
          lines,
          accepted,
          rejected,
          bytes,
          status: 'finished',
          sha256,
          at: clock.now(),
        });
        await deps.audit.append(tx, {
          action: 'vault.ingest.finished',
          outcome: rejected ? 'failure' : 'success',
          actor: auditActorOf(actor),
          target: { type: 'ingest', id: ingestId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { ownerId: opts.ownerId ?? null, format: opts.format, lines, accepted, rejected, bytes, sha256 },
        });
      });
      return { ingestId, accepted, rejected: errors, rejectedCount: rejected, sha256, lines };
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;

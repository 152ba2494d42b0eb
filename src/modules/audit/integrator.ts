/**
 * The integrator (LOG-02, throughput without giving up order). `append` only inserts a pending row inside the
 * caller's transaction, so callers never wait on each other. The integrator — one at a time across every node,
 * by a transaction-level advisory lock (which PGlite, a single session, grants trivially) — takes committed
 * pending rows in id order, gives each the next seq, chains its hash, copies it into `audit.entries` and deletes
 * the pending row, all in one short transaction per batch. That is the log's one total order.
 *
 * Calls coalesce: while a run is going, every caller joins the next run, which starts as soon as the current one
 * ends and takes everything committed by then (Trillian's sequencer, with the lag of one batch). A run is bounded:
 * it takes rows up to the highest pending id it saw when it started, so a waiter is never starved by new load.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { Logger } from '../../platform/logger.ts';
import { entryHash, type StoredEntry } from './audit.chain.ts';
import type { EntryColumns } from './audit.repository.ts';

/** The advisory lock every node's integrator (and the retention prune) takes. */
export const INTEGRATOR_LOCK_KEY = createHash('sha256')
  .update('strongroom:audit.integrator')
  .digest()
  .readBigInt64BE(0)
  .toString();

export interface IntegrationRun {
  /** Entries integrated by this run. */
  integrated: number;
  /** pending id → seq, for the rows this run integrated. */
  seqs: Map<string, string>;
}

interface PendingRow extends EntryColumns {
  id: string;
}

/** Takes the integrator lock inside `tx` (blocks until no other node's integrator or prune holds it). */
export async function lockIntegrator(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [INTEGRATOR_LOCK_KEY]);
}

/**
 * Integrates one batch inside `tx`, which must hold the integrator lock: up to `limit` committed pending rows with
 * id ≤ `bound` (when `bound` is null: the highest pending id this statement sees, returned for the next batches).
 * Two statements: one reads the head, the bound and the batch from one snapshot; one moves the batch into
 * `audit.entries` and advances the head.
 */
export async function integrateBatch(
  tx: Queryable,
  bound: string | null,
  limit: number,
): Promise<{ pairs: [string, string][]; bound: string | null }> {
  const { rows } = await tx.query<PendingRow & { head_seq: string; head_hash: Buffer; bound: string | null }>(
    `SELECT h.seq AS head_seq, h.hash AS head_hash, b.bound, p.*
       FROM audit.head h
       CROSS JOIN (SELECT coalesce($1::bigint, (SELECT max(id) FROM audit.pending)) AS bound) b
       LEFT JOIN LATERAL (
         SELECT id, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id, details
           FROM audit.pending WHERE id <= b.bound ORDER BY id LIMIT $2
       ) p ON true`,
    [bound, limit],
  );
  const first = rows[0];
  if (!first) throw new Error('audit.head is missing');
  const seenBound = first.bound == null ? null : String(first.bound);
  if (first.id == null) return { pairs: [], bound: seenBound };
  let seq = BigInt(first.head_seq);
  let prev = first.head_hash;
  const ids: string[] = [];
  const seqs: string[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const r of rows) {
    seq += 1n;
    const e: Omit<StoredEntry, 'prevHash' | 'hash'> = {
      seq: seq.toString(),
      at: r.at.toISOString(),
      action: r.action,
      outcome: r.outcome,
      actorType: r.actor_type,
      actorId: r.actor_id,
      targetType: r.target_type,
      targetId: r.target_id,
      ipHash: r.ip_hash,
      requestId: r.request_id,
      details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
    };
    const hash = entryHash(prev, e);
    ids.push(String(r.id));
    seqs.push(e.seq);
    prevs.push(prev.toString('hex'));
    hashes.push(hash.toString('hex'));
    prev = hash;
  }
  // one statement: the content is copied inside the database from the pending row it was hashed from, the pending
  // row is deleted (its statement-level trigger checks that every deleted row now has its entry), the head moves
  await tx.query(
    `WITH batch AS (
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS u(pid, seq, prev, h)
     ), moved AS (
       DELETE FROM audit.pending p USING batch b WHERE p.id = b.pid
       RETURNING p.*, b.seq AS new_seq, b.prev, b.h
     ), inserted AS (
       INSERT INTO audit.entries (seq, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash,
                                  request_id, details, prev_hash, hash, pending_id)
       SELECT new_seq, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id,
              details, decode(prev, 'hex'), decode(h, 'hex'), id
         FROM moved
       RETURNING 1
     )
     UPDATE audit.head SET seq = $5, hash = $6 WHERE (SELECT count(*) FROM inserted) = $7`,
    [ids, seqs, prevs, hashes, seq.toString(), prev, ids.length],
  );
  return { pairs: ids.map((id, i) => [id, seqs[i] as string]), bound: seenBound };
}

export function createIntegrator(deps: { db: Db; logger?: Logger | undefined; batchSize?: number }) {
  const { db } = deps;
  const batchSize = deps.batchSize ?? 2000;
  let running: Promise<IntegrationRun> | undefined;
  let next: Promise<IntegrationRun> | undefined;
  // seqs this node assigned lately: a waiter whose row an earlier run took finds it here, not in the database
  let recent = new Map<string, string>();
  let older = new Map<string, string>();
  const remember = (id: string, seq: string) => {
    recent.set(id, seq);
    if (recent.size >= 50_000) {
      older = recent;
      recent = new Map();
    }
  };

  /** When the current run took its snapshot (performance.now()); undefined before its first batch. */
  let snapshotAt: number | undefined;

  // On PostgreSQL the integrator has a connection of its own: under load the pool's queue is full of callers,
  // and the integrator, which they all wait for, must not queue behind them. Closed when idle for a while.
  let own: pg.Client | undefined;
  let idle: NodeJS.Timeout | undefined;
  const statementNames = new Map<string, string>();
  async function ownTransaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const pool = db.pool;
    if (!pool) return db.transaction(fn);
    if (idle) clearTimeout(idle);
    if (!own) {
      const c = new pg.Client(pool.options);
      c.on('error', () => {
        if (own === c) own = undefined;
      });
      await c.connect();
      own = c;
    }
    const c = own;
    const q: Queryable = {
      async query<R>(sql: string, params: readonly unknown[] = []) {
        // a handful of fixed statements, prepared once on this connection (the batch move is costly to plan)
        let name = statementNames.get(sql);
        if (!name && params.length) {
          name = `sr_audit_${statementNames.size + 1}`;
          statementNames.set(sql, name);
        }
        const res = await c.query(name ? { name, text: sql, values: params as unknown[] } : sql);
        return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
      },
    };
    try {
      await c.query('BEGIN');
      const out = await fn(q);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {
        if (own === c) own = undefined;
        c.end().catch(() => {});
      });
      throw err;
    } finally {
      idle = setTimeout(closeOwn, 10_000).unref();
    }
  }
  function closeOwn() {
    const c = own;
    own = undefined;
    return c?.end().catch(() => {});
  }

  async function runOnce(): Promise<IntegrationRun> {
    const seqs = new Map<string, string>();
    let bound: string | null = null;
    // conservative: the snapshot is taken a little later, after BEGIN and the lock
    snapshotAt = performance.now();
    for (;;) {
      const batch = await ownTransaction(async (tx) => {
        await lockIntegrator(tx);
        return integrateBatch(tx, bound, batchSize);
      });
      bound = batch.bound;
      for (const [id, seq] of batch.pairs) {
        seqs.set(id, seq);
        remember(id, seq);
      }
      if (batch.pairs.length < batchSize || bound === null) break;
    }
    return { integrated: seqs.size, seqs };
  }

  /**
   * Integrates everything committed before this call, joining the run in progress when its snapshot was taken after
   * `committedAt` (a performance.now() instant; default: now, so the next run), or the next one.
   */
  function integrate(committedAt?: number): Promise<IntegrationRun> {
    if (running && committedAt !== undefined && snapshotAt !== undefined && snapshotAt > committedAt) return running;
    if (!running) {
      running = runOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return integrate();
      });
    return next;
  }

  return {
    integrate,

    /** The seqs of pending rows, after integrating them (looked up when another node integrated them). */
    async settle(pending: readonly { id: string; at: string }[], committedAt?: number): Promise<Map<string, string>> {
      const run = await integrate(committedAt);
      const out = new Map<string, string>();
      const missing: { id: string; at: string }[] = [];
      for (const p of pending) {
        const seq = run.seqs.get(p.id) ?? recent.get(p.id) ?? older.get(p.id);
        if (seq) out.set(p.id, seq);
        else missing.push(p);
      }
      if (missing.length) {
        // integrated by another node: found through the index on `at` (pending ids are not indexed)
        const { rows } = await db.query<{ pending_id: string; seq: string }>(
          `SELECT pending_id, seq FROM audit.entries
            WHERE at = ANY($2::timestamptz[]) AND pending_id = ANY($1::bigint[])`,
          [missing.map((m) => m.id), missing.map((m) => m.at)],
        );
        for (const r of rows) out.set(String(r.pending_id), String(r.seq));
      }
      return out;
    },

    async stop() {
      // whatever this node committed is sequenced before it stops
      await integrate().catch((err) => deps.logger?.error({ err }, 'audit integration failed at stop'));
      if (idle) clearTimeout(idle);
      await closeOwn();
    },

    /** Rows waiting to be integrated and the age of the oldest, for monitoring the lag. */
    async lag(now: Date): Promise<{ pending: number; oldestMs: number | null }> {
      const { rows } = await db.query<{ n: string; oldest: Date | null }>(
        'SELECT count(*) AS n, min(at) AS oldest FROM audit.pending',
      );
      const r = rows[0];
      return {
        pending: Number(r?.n ?? 0),
        oldestMs: r?.oldest ? Math.max(0, now.getTime() - new Date(r.oldest).getTime()) : null,
      };
    },
  };
}

export type Integrator = ReturnType<typeof createIntegrator>;

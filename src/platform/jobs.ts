/**
 * A small durable-enough scheduler: each job runs every `intervalMs` on every node, but only one node at a
 * time executes it, by holding a PostgreSQL session-level advisory lock keyed by the job name on one dedicated
 * connection (PGlite is a single node, so the lock is trivially ours). Jobs must be idempotent: they read
 * state, not a queue.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from './db/db.ts';
import type { Logger } from './logger.ts';

export interface Job {
  name: string;
  intervalMs: number;
  run(): Promise<unknown>;
}

const lockKey = (name: string) => createHash('sha256').update(`job:${name}`).digest().readBigInt64BE(0).toString();

export function startScheduler(db: Db, logger: Logger, jobs: readonly Job[]) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  const inFlight = new Set<string>();
  let stopped = false;
  // One connection holds every job's lock: a job itself uses the pool like any other code, so the scheduler
  // never holds more than this one pooled connection (holding one per running job exhausted a pool of ten).
  let lockClient: Promise<pg.PoolClient> | undefined;
  const locks = () => {
    if (!db.pool) throw new Error('no pool');
    lockClient ??= db.pool.connect().then((c) => {
      c.on('error', () => {
        // the connection dropped (its locks with it): the next tick takes a fresh one
        lockClient = undefined;
        c.release(true);
      });
      return c;
    });
    return lockClient;
  };

  const runOnce = async (job: Job) => {
    // advisory locks are re-entrant within a session, so this node's own overlap is prevented here
    if (stopped || inFlight.has(job.name)) return;
    inFlight.add(job.name);
    try {
      if (!db.pool) {
        await job.run();
        return;
      }
      const client = await locks();
      const got = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(job.name)]);
      if (!got.rows[0]?.ok) return;
      try {
        await job.run();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(job.name)]).catch(() => {});
      }
    } finally {
      inFlight.delete(job.name);
    }
  };

  for (const job of jobs) {
    const tick = () => {
      const p = runOnce(job)
        .catch((err) => logger.error({ err, job: job.name }, 'scheduled job failed'))
        .finally(() => running.delete(p));
      running.add(p);
    };
    timers.push(setInterval(tick, job.intervalMs).unref());
    setTimeout(tick, 1000).unref();
  }

  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...running]);
      const c = await lockClient?.catch(() => undefined);
      c?.release();
      lockClient = undefined;
    },
  };
}

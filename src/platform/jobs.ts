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
  let lockClient: Promise<{ client: pg.PoolClient; done(destroy?: boolean): void }> | undefined;
  const locks = async () => {
    if (!db.pool) throw new Error('no pool');
    const pool = db.pool;
    lockClient ??= pool.connect().then((client) => {
      let released = false;
      const done = (destroy = false) => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        client.release(destroy);
      };
      // the connection dropped (its locks with it): the next tick takes a fresh one
      const onError = () => {
        lockClient = undefined;
        done(true);
      };
      client.on('error', onError);
      return { client, done };
    });
    return (await lockClient).client;
  };
  // one statement at a time on the lock connection (pg wants no overlapping queries on one client)
  let queue: Promise<unknown> = Promise.resolve();
  const lockQuery = (sql: string, key: string) => {
    const next = queue.then(async () => (await locks()).query<{ ok?: boolean }>(sql, [key]));
    queue = next.catch(() => {});
    return next;
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
      const got = await lockQuery('SELECT pg_try_advisory_lock($1::bigint) AS ok', lockKey(job.name));
      if (!got.rows[0]?.ok) return;
      try {
        await job.run();
      } finally {
        await lockQuery('SELECT pg_advisory_unlock($1::bigint)', lockKey(job.name)).catch(() => {});
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
      const held = await lockClient?.catch(() => undefined);
      lockClient = undefined;
      held?.done();
    },
  };
}

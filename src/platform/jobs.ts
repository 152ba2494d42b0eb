/**
 * A small durable-enough scheduler: each job runs every `intervalMs` on every node, but only one node at a
 * time executes it, by holding a PostgreSQL transaction-level advisory lock keyed by the job name (PGlite is a
 * single node, so the lock is trivially ours). Jobs must be idempotent: they read state, not a queue.
 */
import { createHash } from 'node:crypto';
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
  let stopped = false;

  const runOnce = async (job: Job) => {
    if (stopped) return;
    if (db.pool) {
      // a session-level lock must be taken and released on the same connection
      const client = await db.pool.connect();
      try {
        const got = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockKey(job.name)]);
        if (!got.rows[0]?.ok) return;
        try {
          await job.run();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(job.name)]);
        }
      } finally {
        client.release();
      }
    } else {
      await job.run();
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
    },
  };
}

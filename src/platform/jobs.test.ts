/**
 * The scheduler on a real database. On PostgreSQL (several nodes) a job runs on one node at a time under an
 * advisory lock; the locks live on one dedicated connection, so more jobs than the pool has connections still all
 * run (holding a pooled connection per running job once hung a node with ten jobs on a pool of ten).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/db.ts';
import { startScheduler } from './jobs.ts';
import { createLogger } from './logger.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const until = async (ok: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return ok();
};

describe('scheduler', () => {
  it('runs more jobs at once than the pool has connections, each job never overlapping itself', async () => {
    const runs = new Map<string, number>();
    let overlap = false;
    const active = new Set<string>();
    const jobs = Array.from({ length: 12 }, (_, i) => ({
      name: `test.job-${i}`,
      intervalMs: 100,
      run: async () => {
        if (active.has(`test.job-${i}`)) overlap = true;
        active.add(`test.job-${i}`);
        await t.db.query(t.db.kind === 'postgres' ? 'SELECT pg_sleep(0.3)' : 'SELECT 1');
        active.delete(`test.job-${i}`);
        runs.set(`test.job-${i}`, (runs.get(`test.job-${i}`) ?? 0) + 1);
      },
    }));
    const s = startScheduler(t.db, createLogger('silent'), jobs);
    try {
      expect(await until(() => jobs.every((j) => (runs.get(j.name) ?? 0) >= 2), 15_000)).toBe(true);
      expect(overlap).toBe(false);
    } finally {
      await s.stop();
    }
  });

  it('two schedulers (two nodes) never run the same job at the same time', async () => {
    if (t.db.kind !== 'postgres') return; // PGlite is one node by design
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const job = {
      name: 'test.exclusive',
      intervalMs: 50,
      run: async () => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await t.db.query('SELECT pg_sleep(0.1)');
        concurrent--;
        runs++;
      },
    };
    const a = startScheduler(t.db, createLogger('silent'), [job]);
    const b = startScheduler(t.db, createLogger('silent'), [job]);
    try {
      expect(await until(() => runs >= 6, 15_000)).toBe(true);
      expect(maxConcurrent).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

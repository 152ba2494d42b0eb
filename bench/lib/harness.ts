/** Shared pieces of the benchmarks: a core on a scratch data dir, an HTTPS client, a worker pool, percentiles. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { type Core, createCore } from '../../src/core.ts';
import { createLogger } from '../../src/platform/logger.ts';

export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

/**
 * A core on a fresh data dir, with extra env. With DATABASE_URL (postgres://…/strongroom_bench) each run gets its
 * own empty database, created beside the named one and dropped at the end, so runs do not see each other's rows;
 * without it, the embedded PGlite in the scratch data dir.
 */
export async function scratchCore(env: Record<string, string> = {}): Promise<{ core: Core; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-bench-'));
  const baseUrl = process.env.DATABASE_URL;
  let admin: pg.Client | undefined;
  let dbName: string | undefined;
  let url: string | undefined;
  if (baseUrl) {
    dbName = `strongroom_bench_${randomBytes(4).toString('hex')}`;
    admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(baseUrl);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const config = loadConfig(
    { ...process.env, STRONGROOM_LOG_LEVEL: 'silent', ...(url ? { DATABASE_URL: url } : {}), ...env },
    { dataDir: dir },
  );
  const core = await createCore(config, { logger: createLogger('silent') });
  return {
    core,
    async cleanup() {
      await core.close();
      await rm(dir, { recursive: true, force: true });
      if (admin) {
        // STRONGROOM_BENCH_KEEP_DB=1 keeps the database for a look afterwards (EXPLAIN, sizes)
        if (process.env.STRONGROOM_BENCH_KEEP_DB) console.log(`  kept database ${dbName}`);
        else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

export function httpsClient(port: number, concurrency: number) {
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: concurrency });
  return (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }>(
      (resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port,
            path: p,
            method,
            agent,
            headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
          },
          (res) => {
            let data = '';
            res.on('data', (d) => {
              data += d;
            });
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                json: data ? JSON.parse(data) : {},
                headers: res.headers as Record<string, unknown>,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body ? JSON.stringify(body) : undefined);
      },
    );
}

/** Samples resident memory while `fn` runs; returns the peak in MiB. */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await fn();
    return { result, peakMiB: Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * CPU time spent by this process and, on a local PostgreSQL, by the server's backends for this database (read from
 * /proc: backends that start meanwhile count in full, ones that end meanwhile are missed). CPU per operation is
 * steadier than wall time on a machine shared with other work.
 */
export async function cpuMeter(db: Core['db']) {
  const { readFile } = await import('node:fs/promises');
  const msPerTick = 1000 / 100; // USER_HZ
  const backends = async (): Promise<Map<number, number>> => {
    const out = new Map<number, number>();
    if (db.kind !== 'postgres') return out;
    const { rows } = await db.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
    );
    for (const { pid } of rows) {
      const f = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ');
      if (f) out.set(pid, (Number(f[11]) + Number(f[12])) * msPerTick); // utime + stime
    }
    return out;
  };
  return async () => {
    const n0 = process.cpuUsage();
    const p0 = await backends();
    return async () => {
      const n = process.cpuUsage(n0);
      const p1 = await backends();
      let pg = 0;
      for (const [pid, ms] of p1) pg += ms - (p0.get(pid) ?? 0);
      return { nodeMs: (n.user + n.system) / 1000, pgMs: pg };
    };
  };
}

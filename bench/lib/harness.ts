/** Shared pieces of the benchmarks: a core on a scratch data dir, an HTTPS client, a worker pool, percentiles. */
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
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

/** A core on a fresh data dir (DATABASE_URL → PostgreSQL, else PGlite), with extra env. */
export async function scratchCore(env: Record<string, string> = {}): Promise<{ core: Core; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-bench-'));
  const config = loadConfig({ ...process.env, STRONGROOM_LOG_LEVEL: 'silent', ...env }, { dataDir: dir });
  const core = await createCore(config, { logger: createLogger('silent') });
  return {
    core,
    async cleanup() {
      await core.close();
      await rm(dir, { recursive: true, force: true });
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

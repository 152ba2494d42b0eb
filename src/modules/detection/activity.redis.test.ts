/**
 * LOG-04 request rate across nodes: two activity monitors (as on two server processes) share one user's
 * per-minute count through a real Redis, so the cap is judged on the total, not per node. Without Redis, each
 * node would see only its own half. And when Redis is unreachable a request is still judged (on the node's own
 * count) rather than failed.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import type { Principal } from '../../platform/actor.ts';
import { createActivityMonitor, createRedisCounter } from './activity.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let t: TestApp;
let redis: Redis;

beforeAll(async () => {
  t = await createTestApp();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
});

const principal = (userId: string, sessionId: string) =>
  ({ kind: 'user', userId, sessionId, roles: [], permissions: [] }) as unknown as Principal;
const ctx = { ip: '127.0.0.1', requestId: 'r', route: '/x' };

describe('request-rate counters shared through Redis', () => {
  it('LOG-04: two nodes seeing 6 and 5 of one user’s requests report the 11th overall when the cap is 10', async () => {
    const userId = randomUUID();
    const monitor = () =>
      createActivityMonitor({
        db: t.core.db,
        clock: t.clock,
        audit: t.core.audit,
        key: Buffer.alloc(32, 7),
        shared: createRedisCounter(redis),
        settings: { hardCapPerMinute: 10, floorPerMinute: 10 },
      });
    const [a, b] = [monitor(), monitor()];
    // a session per node, as behind a load balancer that does not stick
    for (let i = 0; i < 5; i++) {
      await a.observe(principal(userId, 'aaaaaaaa-0000-4000-8000-000000000001'), ctx, 'UA');
      await b.observe(principal(userId, 'bbbbbbbb-0000-4000-8000-000000000002'), ctx, 'UA');
    }
    const reported = () =>
      t.testDb.superuser(
        `SELECT details FROM audit.entries WHERE action = 'detection.request_rate.exceeded' AND actor_id = $1`,
        [userId],
      );
    expect(await reported()).toEqual([]);
    await a.observe(principal(userId, 'aaaaaaaa-0000-4000-8000-000000000001'), ctx, 'UA'); // 11th overall
    expect(await reported()).toEqual([{ details: { scope: 'user', requests: 11, baseline: false } }]);
  });

  it('a Redis outage degrades to the node’s own count instead of failing requests', async () => {
    const broken = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    broken.on('error', () => {});
    const m = createActivityMonitor({
      db: t.core.db,
      clock: t.clock,
      audit: t.core.audit,
      key: Buffer.alloc(32, 7),
      shared: createRedisCounter(broken),
      settings: { hardCapPerMinute: 10, floorPerMinute: 10 },
    });
    const userId = randomUUID();
    await expect(m.observe(principal(userId, randomUUID()), ctx, 'UA')).resolves.toBe(false);
    broken.disconnect();
  });
});

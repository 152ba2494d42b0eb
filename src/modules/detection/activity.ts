/**
 * Two detection points that watch every authenticated request rather than audited events (LOG-04, IAM-15):
 *
 * - **Request rate** per user and per session, per minute, against the user's own baseline (mean + k·sd of
 *   their active minutes over the last 7 days, once there are enough of them) and a hard cap. Counts are kept
 *   per node and, with `REDIS_URL`, shared through Redis so several nodes judge the same total; each node
 *   flushes its own counts into `detection.activity_minutes`, the history baselines come from.
 * - **Session context**: the keyed hashes of the client address and user agent seen on a session's first
 *   request; a later request from another network or another browser is a detection event.
 *
 * Both only append an audit event (`detection.request_rate.exceeded`, `auth.session.context_changed`); the
 * rules decide the response, like for every other event.
 */
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/db.ts';
import type { AuditLog } from '../audit/index.ts';

/** Shared counters (Redis) — optional; without it each node counts alone. */
export interface SharedCounter {
  incr(key: string, ttlSeconds: number): Promise<number>;
}

/** Counters every node shares through Redis: INCR and EXPIRE in one round trip. */
export function createRedisCounter(r: Pick<Redis, 'multi'>): SharedCounter {
  return {
    async incr(key, ttlSeconds) {
      const res = await r.multi().incr(key).expire(key, ttlSeconds).exec();
      const [err, n] = res?.[0] ?? [new Error('no reply'), 0];
      if (err) throw err;
      return Number(n);
    },
  };
}

export interface ActivitySettings {
  /** Requests per minute no user may exceed whatever their history. */
  hardCapPerMinute: number;
  /** The baseline never goes below this. */
  floorPerMinute: number;
  deviations: number;
  minSamples: number;
}

export const defaultActivitySettings: ActivitySettings = {
  hardCapPerMinute: 600,
  floorPerMinute: 120,
  deviations: 4,
  minSamples: 30,
};

const BASELINE_TTL_MS = 10 * 60_000;
const MAX_TRACKED = 50_000;

/** Coarse network of an address: a change inside the same /24 (IPv4) or /48 (IPv6) is not a move. */
export function networkOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const parts = ip.toLowerCase().split('::')[0]?.split(':') ?? [];
  return `${parts.slice(0, 3).join(':')}::/48`;
}

export function createActivityMonitor(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
  /** Keys the address and user-agent hashes of session context (never stored in clear). */
  key: Buffer;
  shared?: SharedCounter | undefined;
  settings?: Partial<ActivitySettings>;
}) {
  const { db, clock, audit } = deps;
  const settings = { ...defaultActivitySettings, ...deps.settings };
  const mac = (label: string, v: string) => createHmac('sha256', deps.key).update(`${label}\0${v}`).digest('hex');

  // per-node counts of the current and recent minutes, flushed to the database
  const local = new Map<string, number>(); // `${userId}|${minute}` → requests
  const sessionCounts = new Map<string, { minute: number; n: number }>();
  const userCounts = new Map<string, { minute: number; n: number }>();
  const reported = new Set<string>(); // `${scope}|${id}|${minute}` already reported
  const baselines = new Map<string, { limit: number; basis: 'baseline' | 'cap'; at: number }>();
  const contexts = new Map<string, { ip: string; net: string; device: string }>();

  async function limitFor(userId: string) {
    const cached = baselines.get(userId);
    const now = clock.now().getTime();
    if (cached && now - cached.at < BASELINE_TTL_MS) return cached;
    const { rows } = await db.query<{ n: string; mean: number | null; sd: number | null }>(
      `SELECT count(*) AS n, avg(requests)::float8 AS mean, stddev_samp(requests)::float8 AS sd
         FROM detection.activity_minutes WHERE user_id = $1 AND minute > $2`,
      [userId, new Date(now - 7 * 86_400_000)],
    );
    const r = rows[0];
    const samples = Number(r?.n ?? 0);
    const v =
      samples >= settings.minSamples
        ? {
            limit: Math.min(
              settings.hardCapPerMinute,
              Math.max(settings.floorPerMinute, Math.ceil((r?.mean ?? 0) + settings.deviations * (r?.sd ?? 0))),
            ),
            basis: 'baseline' as const,
            at: now,
          }
        : { limit: settings.hardCapPerMinute, basis: 'cap' as const, at: now };
    if (baselines.size > MAX_TRACKED) baselines.clear();
    baselines.set(userId, v);
    return v;
  }

  const bump = (m: Map<string, { minute: number; n: number }>, key: string, minute: number) => {
    const c = m.get(key);
    const n = c && c.minute === minute ? c.n + 1 : 1;
    if (m.size > MAX_TRACKED && !c) m.clear();
    m.set(key, { minute, n });
    return n;
  };

  async function report(p: Principal, ctx: RequestContext, scope: 'user' | 'session', n: number, basis: string) {
    await db.transaction(async (tx) => {
      await audit.append(tx, {
        action: 'detection.request_rate.exceeded',
        outcome: 'success',
        actor: { type: 'user', id: p.userId },
        target: scope === 'session' ? { type: 'session', id: p.sessionId } : { type: 'user', id: p.userId },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { scope, requests: n, baseline: basis === 'baseline' },
      });
    });
  }

  async function checkRate(p: Principal, ctx: RequestContext) {
    const minute = Math.floor(clock.now().getTime() / 60_000);
    const lk = `${p.userId}|${minute}`;
    local.set(lk, (local.get(lk) ?? 0) + 1);
    const localN = bump(userCounts, p.userId, minute);
    // Redis unavailable: judge this node's own count rather than fail the request
    const userN = deps.shared
      ? await deps.shared.incr(`strongroom:rate:u:${p.userId}:${minute}`, 120).catch(() => localN)
      : localN;
    const sessionN = bump(sessionCounts, p.sessionId, minute);
    const { limit, basis } = await limitFor(p.userId);
    for (const [scope, n, id] of [
      ['user', userN, p.userId],
      ['session', sessionN, p.sessionId],
    ] as const) {
      if (n <= limit) continue;
      const key = `${scope}|${id}|${minute}`;
      if (reported.has(key)) continue;
      if (reported.size > MAX_TRACKED) reported.clear();
      reported.add(key);
      await report(p, ctx, scope, n, basis);
      return;
    }
  }

  async function checkContext(p: Principal, ctx: RequestContext, userAgent: string) {
    const seen = { ip: mac('ip', ctx.ip), net: mac('net', networkOf(ctx.ip)), device: mac('ua', userAgent) };
    let first = contexts.get(p.sessionId);
    if (!first) {
      await db.query(
        `INSERT INTO detection.session_context (session_id, ip_hash, device_hash, first_seen) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id) DO NOTHING`,
        [p.sessionId, `${seen.net}|${seen.ip}`, seen.device, clock.now()],
      );
      const { rows } = await db.query<{ ip_hash: string; device_hash: string }>(
        'SELECT ip_hash, device_hash FROM detection.session_context WHERE session_id = $1',
        [p.sessionId],
      );
      const [net = '', ip = ''] = (rows[0]?.ip_hash ?? '').split('|');
      first = { ip, net, device: rows[0]?.device_hash ?? seen.device };
      if (contexts.size > MAX_TRACKED) contexts.clear();
      contexts.set(p.sessionId, first);
    }
    const netChanged = first.net !== seen.net;
    const deviceChanged = first.device !== seen.device;
    if (!netChanged && !deviceChanged) return false;
    // report a move once: the session's context becomes the new one
    const next = { ip: seen.ip, net: seen.net, device: seen.device };
    contexts.set(p.sessionId, next);
    await db.transaction(async (tx) => {
      await tx.query('UPDATE detection.session_context SET ip_hash = $2, device_hash = $3 WHERE session_id = $1', [
        p.sessionId,
        `${next.net}|${next.ip}`,
        next.device,
      ]);
      await audit.append(tx, {
        action: 'auth.session.context_changed',
        outcome: 'success',
        actor: { type: 'user', id: p.userId },
        target: { type: 'session', id: p.sessionId },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { change: netChanged && deviceChanged ? 'ip_and_device' : deviceChanged ? 'device' : 'ip' },
      });
    });
    return true;
  }

  return {
    /**
     * Called for every request a session authenticated. Returns true when the session's context changed (the
     * caller then re-checks the session: a rule may have ended it).
     */
    async observe(p: Principal, ctx: RequestContext, userAgent: string): Promise<boolean> {
      const changed = await checkContext(p, ctx, userAgent);
      await checkRate(p, ctx);
      return changed;
    },

    /** Writes completed minutes of this node's counts into the history; drops history older than 30 days. */
    async flush(): Promise<number> {
      const current = Math.floor(clock.now().getTime() / 60_000);
      const done = [...local.entries()].filter(([k]) => Number(k.split('|')[1]) < current);
      for (const [k, n] of done) {
        const [userId, minute] = k.split('|');
        await db.query(
          `INSERT INTO detection.activity_minutes (user_id, minute, requests) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, minute) DO UPDATE SET requests = detection.activity_minutes.requests + EXCLUDED.requests`,
          [userId, new Date(Number(minute) * 60_000), n],
        );
        local.delete(k);
      }
      await db.query('DELETE FROM detection.activity_minutes WHERE minute < $1', [
        new Date(clock.now().getTime() - 30 * 86_400_000),
      ]);
      await db.query(
        `DELETE FROM detection.session_context c WHERE first_seen < $1
           AND NOT EXISTS (SELECT 1 FROM identity.sessions s WHERE s.id = c.session_id AND s.ended_at IS NULL)`,
        [new Date(clock.now().getTime() - 86_400_000)],
      );
      return done.length;
    },

    /** Forget cached baselines (tests, or after a history import). */
    resetBaselines() {
      baselines.clear();
    },
  };
}

export type ActivityMonitor = ReturnType<typeof createActivityMonitor>;

/**
 * Blocked IP addresses (NET-02, LOG-05), held as the audit log's keyed IP hashes. Every node keeps the active
 * set in memory; on PostgreSQL each request also asks the database (so another node's decision applies to the
 * next request here), and NOTIFY refreshes the set when a block is lifted.
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import { BLOCK_MINUTES } from './rules.ts';

export const DECISIONS_CHANNEL = 'strongroom_decisions';

export function createBlocklist(deps: {
  db: Db;
  clock: Clock;
  pseudonymiseIp(ip: string): string;
  /** The address's pseudonyms in the current and the previous key epoch (a block outlives an epoch change). */
  pseudonymsOfIp?(ip: string): string[];
}) {
  const { db, clock } = deps;
  let active = new Map<string, number>(); // ip hash → expires (ms)
  const pseudonymsOf = (ip: string) => deps.pseudonymsOfIp?.(ip) ?? [deps.pseudonymiseIp(ip)];

  async function reload() {
    const { rows } = await db.query<{ ip_hash: string; expires_at: Date }>(
      'SELECT ip_hash, max(expires_at) AS expires_at FROM detection.blocked_ips WHERE lifted_at IS NULL AND expires_at > $1 GROUP BY ip_hash',
      [clock.now()],
    );
    active = new Map(rows.map((r) => [r.ip_hash, new Date(r.expires_at).getTime()]));
  }

  return {
    reload,
    /**
     * On PostgreSQL (several nodes) the database answers on every request, so a block decided on another node
     * applies to the very next request here, without waiting for the NOTIFY; one indexed lookup. The in-memory
     * set answers first when it already knows the address is blocked, and alone on the single-node PGlite.
     */
    async isBlocked(ip: string): Promise<boolean> {
      const hashes = pseudonymsOf(ip);
      const now = clock.now();
      for (const h of hashes) {
        const until = active.get(h);
        if (until !== undefined && until > now.getTime()) return true;
      }
      if (db.kind !== 'postgres') return false;
      const { rows } = await db.query<{ expires_at: Date }>(
        'SELECT max(expires_at) AS expires_at FROM detection.blocked_ips WHERE ip_hash = ANY($1::text[]) AND lifted_at IS NULL AND expires_at > $2',
        [hashes, now],
      );
      const exp = rows[0]?.expires_at;
      if (!exp) return false;
      active.set(hashes[0] as string, new Date(exp).getTime());
      return true;
    },

    /** Blocks for an escalating time (see `block`), counting earlier blocks of the address in earlier epochs too. */
    async blockIp(tx: Queryable, ip: string, rule: string) {
      return this.block(tx, deps.pseudonymiseIp(ip), rule, pseudonymsOf(ip));
    },

    /** Blocks for an escalating time: the n-th block of the same address lasts BLOCK_MINUTES[n-1]. */
    async block(
      tx: Queryable,
      ipHash: string,
      rule: string,
      history: readonly string[] = [ipHash],
    ): Promise<{ minutes: number; level: number }> {
      const { rows } = await tx.query<{ n: string }>(
        'SELECT count(*) AS n FROM detection.blocked_ips WHERE ip_hash = ANY($1::text[])',
        [[...new Set([ipHash, ...history])]],
      );
      const level = Number(rows[0]?.n ?? 0) + 1;
      const minutes = BLOCK_MINUTES[Math.min(level, BLOCK_MINUTES.length) - 1] as number;
      const now = clock.now();
      const expires = new Date(now.getTime() + minutes * 60_000);
      await tx.query(
        `INSERT INTO detection.blocked_ips (id, ip_hash, rule, level, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [newId(), ipHash, rule, level, now, expires],
      );
      active.set(ipHash, Math.max(active.get(ipHash) ?? 0, expires.getTime()));
      if (db.kind === 'postgres') await tx.query(`SELECT pg_notify('${DECISIONS_CHANNEL}', 'blocked_ips')`);
      return { minutes, level };
    },

    async unblock(tx: Queryable, id: string, by: string): Promise<boolean> {
      const res = await tx.query(
        'UPDATE detection.blocked_ips SET lifted_at = $2, lifted_by = $3 WHERE id = $1 AND lifted_at IS NULL',
        [id, clock.now(), by],
      );
      if (db.kind === 'postgres') await tx.query(`SELECT pg_notify('${DECISIONS_CHANNEL}', 'blocked_ips')`);
      return res.rowCount > 0;
    },

    async list() {
      const { rows } = await db.query<{
        id: string;
        ip_hash: string;
        rule: string;
        level: number;
        created_at: Date;
        expires_at: Date;
        lifted_at: Date | null;
      }>(
        'SELECT id, ip_hash, rule, level, created_at, expires_at, lifted_at FROM detection.blocked_ips ORDER BY created_at DESC LIMIT 200',
      );
      const now = clock.now();
      return rows.map((r) => ({
        id: r.id,
        ipHash: r.ip_hash,
        rule: r.rule,
        level: r.level,
        createdAt: r.created_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        active: !r.lifted_at && r.expires_at > now,
      }));
    },
  };
}

export type Blocklist = ReturnType<typeof createBlocklist>;

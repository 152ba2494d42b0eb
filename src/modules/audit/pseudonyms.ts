/**
 * IP and device pseudonyms with rotating keys (DAT-05). The log never holds an address: it holds
 * HMAC-SHA-256(epoch key, "ip:" + address), truncated to 128 bits. Keys rotate every 30 days on a fixed grid
 * (epoch n covers [n·30 d, (n+1)·30 d) since 1970-01-01 UTC, so every node agrees on the epoch without talking),
 * each a random 32-byte key created once (by whichever node comes first), stored sealed (AES-256-GCM under a key
 * derived from the platform key, AAD = the epoch) in `audit.pseudonym_keys`, and destroyed once the retention
 * window has passed the epoch's end: after that nobody, the operator included, can link an old pseudonym to an
 * address. Proofs are unaffected: entry hashes are over the stored pseudonyms, never over addresses.
 *
 * Within an epoch a given address always gets the same pseudonym, on every node; across an epoch boundary it
 * gets a new one (by design). `pseudonymsOfIp` gives the current and the previous epoch's pseudonyms, for lookups
 * that must span a boundary (e.g. a block decided before it).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { Logger } from '../../platform/logger.ts';

export const EPOCH_DAYS = 30;
export const EPOCH_MS = EPOCH_DAYS * 86_400_000;

export const epochOf = (at: Date): number => Math.floor(at.getTime() / EPOCH_MS);
export const epochStart = (epoch: number): Date => new Date(epoch * EPOCH_MS);
export const epochEnd = (epoch: number): Date => new Date((epoch + 1) * EPOCH_MS);

const aadOf = (epoch: number) => `audit.pseudonym_keys:${epoch}`;

export interface PseudonymKeys {
  /** The pseudonym of an address under the current epoch's key. Synchronous: keys are loaded ahead. */
  pseudonymiseIp(ip: string): string;
  /** Current epoch first, then the previous one (while its key lives). */
  pseudonymsOfIp(ip: string): string[];
  /** Creates (if missing) and loads the keys of the current and the next epoch, and loads the previous one. */
  ensure(): Promise<{ created: number[] }>;
  /** Destroys the keys of every epoch that ended at or before `before`; returns the epochs destroyed. */
  destroyEndedBefore(q: Queryable, before: Date): Promise<number[]>;
  /** Key epochs and their state, for operators (no key material). */
  list(): Promise<{ epoch: number; startsAt: string; endsAt: string; destroyedAt: string | null }[]>;
}

export function createPseudonymKeys(deps: {
  db: Db;
  clock: Clock;
  /** The platform purpose key the epoch keys are sealed under (a sub-key is derived from it). */
  wrapRoot: Buffer;
  logger?: Logger | undefined;
  /** Called (inside the creating transaction) when this node created an epoch key, to audit it. */
  onCreated?: (tx: Tx, epoch: number) => Promise<void>;
}): PseudonymKeys {
  const { db, clock } = deps;
  const wrapKey = Buffer.from(
    hkdfSync('sha256', deps.wrapRoot, Buffer.alloc(0), 'strongroom:audit.pseudonym-wrap.v1', 32),
  );
  const live = new Map<number, Buffer>();
  let warned = -1;

  const hmac = (key: Buffer, ip: string) => createHmac('sha256', key).update(`ip:${ip}`).digest('hex').slice(0, 32);

  async function load(epoch: number): Promise<void> {
    const { rows } = await db.query<{ key_sealed: Buffer | null }>(
      'SELECT key_sealed FROM audit.pseudonym_keys WHERE epoch = $1',
      [epoch],
    );
    const sealed = rows[0]?.key_sealed;
    if (sealed) live.set(epoch, open(wrapKey, sealed, aadOf(epoch)));
    else live.delete(epoch);
  }

  async function create(epoch: number): Promise<boolean> {
    return db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO audit.pseudonym_keys (epoch, starts_at, ends_at, key_sealed, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (epoch) DO NOTHING`,
        [epoch, epochStart(epoch), epochEnd(epoch), seal(wrapKey, randomBytes(32), aadOf(epoch)), clock.now()],
      );
      if (rowCount > 0) await deps.onCreated?.(tx, epoch);
      return rowCount > 0;
    });
  }

  function keyFor(epoch: number): Buffer {
    const key = live.get(epoch);
    if (key) return key;
    // Only when the clock moved past every loaded epoch (a node that has not run `ensure` for a whole epoch, or a
    // clock set back): keep pseudonymising with the nearest key rather than fail a request, and say so. `ensure` (at start and
    // hourly) loads the next epoch's key long before it begins, so every node switches at the same instant.
    const loaded = [...live.keys()];
    const earlier = loaded.filter((e) => e <= epoch);
    const newest = earlier.length ? Math.max(...earlier) : Math.min(...loaded);
    const fallback = live.get(newest);
    if (!fallback) throw new Error(`no IP pseudonym key is loaded for epoch ${epoch}`);
    if (warned !== epoch) {
      warned = epoch;
      deps.logger?.warn({ epoch, using: newest }, 'IP pseudonym key of the current epoch is not loaded yet');
      void ensureSafe();
    }
    return fallback;
  }

  const ensureSafe = () => ensure().catch((err) => deps.logger?.error({ err }, 'loading IP pseudonym keys failed'));

  async function ensure() {
    const now = epochOf(clock.now());
    const created: number[] = [];
    for (const e of [now, now + 1]) if (await create(e)) created.push(e);
    for (const e of [now - 1, now, now + 1]) if (e >= 0) await load(e);
    for (const e of [...live.keys()]) if (e < now - 1) live.delete(e);
    return { created };
  }

  return {
    pseudonymiseIp: (ip) => hmac(keyFor(epochOf(clock.now())), ip),
    pseudonymsOfIp(ip) {
      const now = epochOf(clock.now());
      const out = [hmac(keyFor(now), ip)];
      const prev = live.get(now - 1);
      if (prev) out.push(hmac(prev, ip));
      return out;
    },
    ensure,
    async destroyEndedBefore(q, before) {
      const { rows } = await q.query<{ epoch: number }>(
        `UPDATE audit.pseudonym_keys SET key_sealed = NULL, destroyed_at = $2
          WHERE key_sealed IS NOT NULL AND ends_at <= $1 RETURNING epoch`,
        [before, clock.now()],
      );
      for (const r of rows) live.get(Number(r.epoch))?.fill(0);
      for (const r of rows) live.delete(Number(r.epoch));
      return rows.map((r) => Number(r.epoch)).sort((a, b) => a - b);
    },
    async list() {
      const { rows } = await db.query<{ epoch: number; starts_at: Date; ends_at: Date; destroyed_at: Date | null }>(
        'SELECT epoch, starts_at, ends_at, destroyed_at FROM audit.pseudonym_keys ORDER BY epoch',
      );
      return rows.map((r) => ({
        epoch: Number(r.epoch),
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at.toISOString(),
        destroyedAt: r.destroyed_at?.toISOString() ?? null,
      }));
    },
  };
}

/** A fixed key for every epoch: unit tests and benches that have no database to keep keys in. */
export function staticPseudonymKeys(key: Buffer): PseudonymKeys {
  const h = (ip: string) => createHmac('sha256', key).update(`ip:${ip}`).digest('hex').slice(0, 32);
  return {
    pseudonymiseIp: h,
    pseudonymsOfIp: (ip) => [h(ip)],
    ensure: async () => ({ created: [] }),
    destroyEndedBefore: async () => [],
    list: async () => [],
  };
}

/**
 * Retention (LOG-03): entries are kept at least the configured window (90–180 days) and pruned by whole UTC days
 * once the window has passed the end of their day, so no entry outlives the window by more than one day (set 179
 * for a hard 180). Before anything is deleted, the range is verified (a tampered range is never pruned: that would
 * erase the evidence) and a signed tombstone is stored that covers the range and carries the last pruned hash, the
 * Merkle root and frontier at the cut, and an RFC 9162 consistency proof from the last signed root before it; the
 * prune itself is an audit entry. Verification resumes from the tombstone, so it still passes afterwards and still
 * fails on any other gap. A cut inside 90 days is refused here and, independently, by the database (a CHECK on the
 * tombstone and the trigger that allows DELETE only of entries a tombstone covers). IP pseudonym keys of epochs that
 * ended before the cut are destroyed in the same transaction (DAT-05).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { createChainVerifier, GENESIS_HASH, type StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import type { AuditLog } from './audit.service.ts';
import { type CheckpointRow, lockCuts } from './checkpoints.ts';
import { appendLeaf, consistencyFromFrontier, type Frontier, frontierRoot } from './frontier.ts';
import { lockIntegrator } from './integrator.ts';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from './log-verifier.ts';
import { leafHash } from './merkle.ts';
import type { createSigner, TombstoneBody } from './signer.ts';

const DAY_MS = 86_400_000;

const startOfUtcDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/** Entries before this instant are past a window of `days` days at `now`: a UTC midnight. */
export const retentionCutoff = (now: Date, days: number): Date =>
  new Date(startOfUtcDay(now.getTime() - days * DAY_MS));

export interface PruneResult {
  fromSeq: number;
  throughSeq: number;
  entries: number;
  cutoff: string;
  destroyedKeyEpochs: number[];
  tombstone: { body: TombstoneBody; signature: string };
}

export function createRetention(deps: {
  db: Db;
  clock: Clock;
  signer: ReturnType<typeof createSigner>;
  audit: Pick<AuditLog, 'append' | 'integrate' | 'pseudonyms'>;
  retentionDays: number;
  /** Deletes checkpoint files at or below a tree size (the copies kept off the database). */
  pruneFiles?: (size: number) => Promise<unknown>;
  logger?: Logger | undefined;
}) {
  const { db, clock } = deps;
  if (deps.retentionDays < MIN_RETENTION_DAYS || deps.retentionDays > MAX_RETENTION_DAYS) {
    throw new Error(`audit retention must be ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS} days`);
  }

  async function pruneIn(tx: Tx, cutoff: Date): Promise<PruneResult | undefined> {
    await lockIntegrator(tx);
    await lockCuts(tx);
    const tombs = await repo.tombstones(tx);
    const lastTomb = tombs.length
      ? (JSON.parse((tombs[tombs.length - 1] as repo.TombstoneRow).body) as TombstoneBody)
      : undefined;
    const first = (lastTomb?.throughSeq ?? 0) + 1;
    const head = await repo.readHead(tx);
    const firstKept = (
      await tx.query<{ seq: string }>(
        'SELECT seq FROM audit.entries WHERE seq >= $1 AND at >= $2 ORDER BY seq LIMIT 1',
        [first, cutoff],
      )
    ).rows[0];
    const through = firstKept ? Number(firstKept.seq) - 1 : Number(head.seq);
    if (through < first) return undefined;

    // start from the newest signed tree at or below the cut: a checkpoint, or the previous tombstone
    const cp = (
      await tx.query<CheckpointRow>(
        'SELECT * FROM audit.checkpoints WHERE tree_size <= $1 ORDER BY tree_size DESC LIMIT 1',
        [through],
      )
    ).rows[0];
    const asBuf = (x: Uint8Array) => (Buffer.isBuffer(x) ? x : Buffer.from(x));
    let base: Frontier;
    let previous: TombstoneBody['previous'] = null;
    if (cp && Number(cp.tree_size) >= (lastTomb?.throughSeq ?? 0)) {
      base = { size: Number(cp.tree_size), nodes: (cp.frontier ?? []).map(asBuf) };
      previous = { treeSize: base.size, rootHash: asBuf(cp.root_hash).toString('hex') };
    } else if (lastTomb) {
      base = { size: lastTomb.throughSeq, nodes: lastTomb.frontier.map((h) => Buffer.from(h, 'hex')) };
      previous = { treeSize: lastTomb.throughSeq, rootHash: lastTomb.rootHash };
    } else {
      base = { size: 0, nodes: [] };
    }

    // verify the whole range before deleting it: the chain from the last cut, and the tree from the last cut,
    // against every checkpoint inside the range
    const refuse = (seq: bigint | number | string, reason: string) =>
      new AppError(
        'conflict',
        'audit.prune_refused_not_intact',
        `The log is not intact at entry ${seq} (${reason}); nothing was pruned.`,
      );
    const chain = createChainVerifier(
      lastTomb
        ? { seq: BigInt(lastTomb.throughSeq), hash: Buffer.from(lastTomb.lastHash, 'hex') }
        : { seq: 0n, hash: GENESIS_HASH },
    );
    const f: Frontier = lastTomb
      ? { size: lastTomb.throughSeq, nodes: lastTomb.frontier.map((h) => Buffer.from(h, 'hex')) }
      : { size: 0, nodes: [] };
    const inRange = (
      await tx.query<CheckpointRow>(
        'SELECT tree_size, root_hash, head_hash FROM audit.checkpoints WHERE tree_size >= $1 AND tree_size <= $2 ORDER BY tree_size',
        [first, through],
      )
    ).rows;
    let nextCp = 0;
    const leaves = Buffer.alloc((through - base.size) * 32);
    let lastHash: Buffer = lastTomb ? Buffer.from(lastTomb.lastHash, 'hex') : GENESIS_HASH;
    for (let after = String(first - 1); Number(after) < through; ) {
      const batch = await repo.entriesAfter(tx, after, 5000, String(through));
      if (!batch.length) break;
      for (const e of batch) {
        const problem = chain.push(e);
        if (problem) throw refuse(problem.seq, problem.reason);
        if (Number(e.seq) > base.size) leafHash(e.hash).copy(leaves, (Number(e.seq) - 1 - base.size) * 32);
        appendLeaf(f, e.hash);
        lastHash = e.hash;
        const c = inRange[nextCp];
        if (c && Number(c.tree_size) === f.size) {
          if (!frontierRoot(f).equals(asBuf(c.root_hash)) || !e.hash.equals(asBuf(c.head_hash))) {
            throw refuse(c.tree_size, 'checkpoint_mismatch');
          }
          nextCp++;
        }
      }
      after = (batch[batch.length - 1] as StoredEntry).seq;
    }
    if (chain.state.seq !== BigInt(through) || f.size !== through) throw refuse(chain.state.seq + 1n, 'gap');
    if (cp && previous && Number(cp.tree_size) === base.size && base.size > 0) {
      // the base checkpoint's stored frontier must give its signed root (a stored frontier could be edited)
      if (frontierRoot(base).toString('hex') !== previous.rootHash) throw refuse(base.size, 'checkpoint_mismatch');
    }
    const consistency = previous && base.size > 0 ? consistencyFromFrontier(base, leaves) : [];
    const body: TombstoneBody = {
      format: 'strongroom-tombstone/1',
      fromSeq: first,
      throughSeq: through,
      lastHash: lastHash.toString('hex'),
      rootHash: frontierRoot(f).toString('hex'),
      frontier: f.nodes.map((b) => b.toString('hex')),
      cutoff: cutoff.toISOString(),
      retentionDays: deps.retentionDays,
      prunedAt: new Date(Math.floor(clock.now().getTime())).toISOString(),
      previous,
      consistency: consistency.map((b) => b.toString('hex')),
      keyId: deps.signer.keyId,
    };
    const signature = deps.signer.sign(body);
    await tx.query(
      `INSERT INTO audit.tombstones (through_seq, from_seq, cutoff, retention_days, pruned_at, body, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [through, first, cutoff, deps.retentionDays, body.prunedAt, JSON.stringify(body), signature],
    );
    // through the owner-rights function: the server's role needs no DELETE on the log (role separation)
    const pruned = (
      await tx.query<{ entries: string; checkpoints: string }>('SELECT * FROM audit.prune_through($1)', [through])
    ).rows[0];
    await deps.audit.append(tx, {
      action: 'audit.log.pruned',
      outcome: 'success',
      actor: { type: 'system' },
      details: {
        fromSeq: first,
        throughSeq: through,
        entries: Number(pruned?.entries ?? 0),
        checkpoints: Number(pruned?.checkpoints ?? 0),
        cutoffDay: cutoff.toISOString().slice(0, 10),
        retentionDays: deps.retentionDays,
      },
    });
    const destroyed = await deps.audit.pseudonyms.destroyEndedBefore(tx, cutoff);
    for (const epoch of destroyed) {
      await deps.audit.append(tx, {
        action: 'audit.pseudonym_key.destroyed',
        outcome: 'success',
        actor: { type: 'system' },
        details: { epoch },
      });
    }
    return {
      fromSeq: first,
      throughSeq: through,
      entries: Number(pruned?.entries ?? 0),
      cutoff: body.cutoff,
      destroyedKeyEpochs: destroyed,
      tombstone: { body, signature: signature.toString('base64') },
    };
  }

  return {
    retentionDays: deps.retentionDays,

    /** The cut the configured window gives now. */
    cutoff: () => retentionCutoff(clock.now(), deps.retentionDays),

    /**
     * Prunes whole days before `before` (default: the configured window). Refused when the cut would fall inside
     * the legal minimum of 90 days. Returns undefined when there is nothing to prune.
     */
    async prune(opts: { before?: Date } = {}): Promise<PruneResult | undefined> {
      const now = clock.now();
      const cutoff = opts.before
        ? new Date(startOfUtcDay(opts.before.getTime()))
        : retentionCutoff(now, deps.retentionDays);
      if (cutoff.getTime() > now.getTime() - MIN_RETENTION_DAYS * DAY_MS) {
        throw new AppError(
          'conflict',
          'audit.prune_inside_retention',
          `Audit entries are kept at least ${MIN_RETENTION_DAYS} days (LOG-03); nothing before ${cutoff.toISOString().slice(0, 10)} can be pruned yet.`,
        );
      }
      await deps.audit.integrate();
      const result = await db.transaction((tx) => pruneIn(tx, cutoff));
      if (result) {
        await deps.pruneFiles?.(result.throughSeq);
        deps.logger?.info(
          { fromSeq: result.fromSeq, throughSeq: result.throughSeq, cutoff: result.cutoff },
          'audit entries past the retention window pruned under a signed tombstone',
        );
      }
      return result;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;

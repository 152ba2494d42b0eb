/**
 * One verifier for the whole log (LOG-02, LOG-03), pure and streaming, shared by `audit verify` on the database and
 * by the offline bundle check, so both apply exactly the same rules. Feed it, in this order: retention tombstones,
 * then entries in seq order with each signed checkpoint right after the entry at its size (checkpoints may also
 * arrive early: they wait until the log reaches them). Memory stays O(log n) whatever the log's length.
 *
 * It checks: every signature (checkpoints, tombstones); tombstones contiguous from seq 1, never inside the 90-day
 * minimum, their frontier giving their root, consistent (RFC 9162) with the last signed root before them; the hash
 * chain from genesis or from the last tombstone's hash, with no gap; the RFC 6962 root and head hash at every
 * checkpoint; checkpoint consistency proofs where the earlier root is known; and that no checkpoint (or trusted
 * checkpoint an auditor holds) lies beyond the last entry — a cut tail. The first problem names the first bad entry.
 */
import { createChainVerifier, GENESIS_HASH, type StoredEntry } from './audit.chain.ts';
import { appendLeaf, emptyFrontier, type Frontier, frontierRoot } from './frontier.ts';
import { verifyConsistency } from './merkle.ts';
import { type CheckpointBody, type TombstoneBody, verifyCheckpoint } from './signer.ts';

export const MIN_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export type LogProblemReason =
  | 'gap'
  | 'chain_broken'
  | 'hash_mismatch'
  | 'head_mismatch'
  | 'truncated'
  | 'checkpoint_mismatch'
  | 'checkpoint_signature_invalid'
  | 'checkpoint_inconsistent'
  | 'checkpoints_out_of_order'
  | 'checkpoint_out_of_place'
  | 'tombstone_signature_invalid'
  | 'tombstone_mismatch'
  | 'tombstone_inconsistent'
  | 'tombstone_out_of_place'
  | 'pruned_inside_retention'
  | 'trusted_checkpoint_mismatch';

export interface LogProblem {
  firstBadSeq: string;
  reason: LogProblemReason;
}

export interface ConsistencyLink {
  from: number;
  path: string[];
}

export interface LogSummary {
  entries: number;
  checkpoints: number;
  tombstones: number;
  /** The last pruned seq (0 when nothing was pruned). */
  prunedThrough: number;
  head: { seq: string; hash: string };
  firstSeq: string | null;
  lastCheckpoint: { treeSize: number; rootHash: string } | null;
}

const hex = (b: Buffer) => b.toString('hex');
const buf = (h: string) => Buffer.from(h, 'hex');

export function createLogVerifier(keys: ReadonlyMap<string, Buffer>) {
  let chain = createChainVerifier({ seq: 0n, hash: GENESIS_HASH });
  let frontier: Frontier = emptyFrontier();
  let prunedThrough = 0;
  let tombstones = 0;
  let checkpoints = 0;
  let firstSeq: string | null = null;
  let lastCheckpointSize = 0;
  let lastCheckpoint: LogSummary['lastCheckpoint'] = null;
  /** Signed roots we know, by tree size, to check consistency proofs against (kept small: the latest few). */
  const knownRoots = new Map<number, Buffer>();
  /** Checkpoints that arrived before the log reached their size, smallest first. */
  const waiting: { size: number; root: string; head: string; trusted: boolean }[] = [];
  let entriesStarted = false;

  const bad = (firstBadSeq: number | bigint | string, reason: LogProblemReason): LogProblem => ({
    firstBadSeq: String(firstBadSeq),
    reason,
  });
  const signed = (body: CheckpointBody | TombstoneBody, signature: Buffer) => {
    const key = keys.get(body?.keyId);
    return Boolean(key && verifyCheckpoint(body, signature, key));
  };
  const remember = (size: number, root: Buffer) => {
    knownRoots.set(size, root);
    if (knownRoots.size > 8) knownRoots.delete(Math.min(...knownRoots.keys()));
  };

  /** Compares checkpoints waiting for the current size. */
  const settle = (): LogProblem | undefined => {
    while (waiting.length && (waiting[0] as (typeof waiting)[number]).size <= frontier.size) {
      const w = waiting.shift() as (typeof waiting)[number];
      if (w.size < frontier.size) return bad(w.size, 'checkpoint_out_of_place');
      if (hex(frontierRoot(frontier)) !== w.root || hex(chain.state.hash) !== w.head) {
        return bad(w.size, w.trusted ? 'trusted_checkpoint_mismatch' : 'checkpoint_mismatch');
      }
    }
    return undefined;
  };

  return {
    tombstone(body: TombstoneBody, signature: Buffer): LogProblem | undefined {
      if (entriesStarted) return bad(body?.fromSeq ?? prunedThrough + 1, 'tombstone_out_of_place');
      if (body?.format !== 'strongroom-tombstone/1' || !signed(body, signature)) {
        return bad(body?.fromSeq ?? prunedThrough + 1, 'tombstone_signature_invalid');
      }
      if (body.fromSeq !== prunedThrough + 1 || body.throughSeq < body.fromSeq) return bad(prunedThrough + 1, 'gap');
      const cutoff = Date.parse(body.cutoff);
      const prunedAt = Date.parse(body.prunedAt);
      if (
        !(cutoff <= prunedAt - MIN_RETENTION_DAYS * DAY_MS) ||
        body.retentionDays < MIN_RETENTION_DAYS ||
        body.retentionDays > MAX_RETENTION_DAYS
      ) {
        return bad(body.fromSeq, 'pruned_inside_retention');
      }
      const f: Frontier = { size: body.throughSeq, nodes: body.frontier.map(buf) };
      const root = frontierRoot(f);
      // a frontier has one node per set bit of its size
      const bits = body.throughSeq.toString(2).replace(/0/g, '').length;
      if (f.nodes.length !== bits || hex(root) !== body.rootHash) return bad(body.fromSeq, 'tombstone_mismatch');
      if (body.previous) {
        const prevKnown = knownRoots.get(body.previous.treeSize);
        if (prevKnown && hex(prevKnown) !== body.previous.rootHash) return bad(body.fromSeq, 'tombstone_inconsistent');
        if (
          !verifyConsistency(
            body.previous.treeSize,
            body.throughSeq,
            buf(body.previous.rootHash),
            root,
            body.consistency.map(buf),
          )
        ) {
          return bad(body.fromSeq, 'tombstone_inconsistent');
        }
        remember(body.previous.treeSize, buf(body.previous.rootHash));
      }
      remember(body.throughSeq, root);
      prunedThrough = body.throughSeq;
      frontier = f;
      chain = createChainVerifier({ seq: BigInt(body.throughSeq), hash: buf(body.lastHash) });
      tombstones++;
      return undefined;
    },

    /**
     * A signed checkpoint; `consistency` (optional) proves it extends the checkpoint before it. A `trusted`
     * checkpoint is one the auditor holds from elsewhere (a file or an email): the log must reach and match it.
     */
    checkpoint(
      body: CheckpointBody,
      signature: Buffer,
      consistency?: ConsistencyLink | null,
      opts: { trusted?: boolean } = {},
    ): LogProblem | undefined {
      if (body?.format !== 'strongroom-checkpoint/1' || !signed(body, signature)) {
        return bad(body?.treeSize ?? frontier.size + 1, 'checkpoint_signature_invalid');
      }
      const root = buf(body.rootHash);
      if (opts.trusted) {
        const known = knownRoots.get(body.treeSize);
        if (known) return known.equals(root) ? undefined : bad(body.treeSize, 'trusted_checkpoint_mismatch');
        if (body.treeSize <= prunedThrough) return undefined; // older than the retained log: only its signature
        if (body.treeSize < frontier.size) return bad(body.treeSize, 'checkpoint_out_of_place');
        waiting.push({ size: body.treeSize, root: body.rootHash, head: body.headHash, trusted: true });
        waiting.sort((a, b) => a.size - b.size || Number(a.trusted) - Number(b.trusted));
        return settle();
      }
      if (body.treeSize <= lastCheckpointSize) return bad(body.treeSize, 'checkpoints_out_of_order');
      if (consistency && consistency.from < body.treeSize) {
        const from = knownRoots.get(consistency.from);
        if (from && !verifyConsistency(consistency.from, body.treeSize, from, root, consistency.path.map(buf))) {
          return bad(body.treeSize, 'checkpoint_inconsistent');
        }
      }
      lastCheckpointSize = body.treeSize;
      lastCheckpoint = { treeSize: body.treeSize, rootHash: body.rootHash };
      checkpoints++;
      if (body.treeSize <= prunedThrough) {
        // under a tombstone: the leaves are gone; only a root the tombstone vouches for can be compared
        const known = knownRoots.get(body.treeSize);
        if (known && !known.equals(root)) return bad(body.treeSize, 'checkpoint_mismatch');
        remember(body.treeSize, root);
        return undefined;
      }
      remember(body.treeSize, root);
      if (body.treeSize < frontier.size) return bad(body.treeSize, 'checkpoint_out_of_place');
      waiting.push({ size: body.treeSize, root: body.rootHash, head: body.headHash, trusted: false });
      waiting.sort((a, b) => a.size - b.size || Number(a.trusted) - Number(b.trusted));
      return settle();
    },

    entry(e: StoredEntry): LogProblem | undefined {
      entriesStarted = true;
      const problem = chain.push(e);
      if (problem) return bad(problem.seq, problem.reason);
      firstSeq ??= e.seq;
      appendLeaf(frontier, e.hash);
      return settle();
    },

    /** After the last entry: a checkpoint still waiting means the log stops short of it. */
    finish(head?: { seq: string; hash: Buffer }): LogProblem | LogSummary {
      const st = chain.state;
      if (waiting.length) {
        const w = waiting[0] as (typeof waiting)[number];
        return bad(st.seq + 1n, w.trusted ? 'trusted_checkpoint_mismatch' : 'truncated');
      }
      if (head && (head.seq !== st.seq.toString() || !head.hash.equals(st.hash))) {
        // entries after the last intact one are missing (a cut tail) or the head was forged
        return bad(st.seq + 1n, 'head_mismatch');
      }
      return {
        entries: st.count,
        checkpoints,
        tombstones,
        prunedThrough,
        head: { seq: st.seq.toString(), hash: hex(st.hash) },
        firstSeq,
        lastCheckpoint,
      };
    },

    get position() {
      return { seq: chain.state.seq, count: chain.state.count, prunedThrough };
    },
  };
}

export const isProblem = (r: LogProblem | LogSummary): r is LogProblem => 'reason' in r;

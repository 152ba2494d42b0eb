/**
 * Signed checkpoints (LOG-02): at a fixed interval, when there are new entries, the RFC 6962 root over entries
 * 1..n and the chain head at n are signed with Ed25519, stored in `audit.checkpoints` with an RFC 9162 consistency
 * proof from the checkpoint before, written as a file outside the database (`<data-dir>/checkpoints/`) and,
 * when configured, mailed to an outside auditor — so a truncated or rewritten log is caught against them.
 * Each cut extends the stored frontier of the previous checkpoint (or of the last retention tombstone), reading
 * only the entries added since; a cut covers at most MAX_LEAVES_PER_CUT entries, so memory stays bounded.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { canonicalJson } from './audit.chain.ts';
import { appendLeaf, consistencyFromFrontier, type Frontier, frontierRoot } from './frontier.ts';
import { leafHash } from './merkle.ts';
import type { BundleDigestBody, CheckpointBody, createSigner, TombstoneBody } from './signer.ts';

export const MAX_LEAVES_PER_CUT = 1_000_000;

/** Serialises cuts across nodes (and against the retention prune), without holding up the integrator. */
const CUT_LOCK_KEY = createHash('sha256').update('strongroom:audit.checkpoint').digest().readBigInt64BE(0).toString();
export const lockCuts = (tx: Queryable) => tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [CUT_LOCK_KEY]);

export interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  head_hash: Buffer;
  frontier: Buffer[];
  at: Date;
  key_id: string;
  signature: Buffer;
  consistency_from: string | null;
  consistency: Buffer[] | null;
}

export interface SignedCheckpoint {
  body: CheckpointBody;
  signature: string;
  publicKey: string;
  consistency: { from: number; path: string[] } | null;
  fingerprint: string;
}

export const bodyOf = (r: CheckpointRow): CheckpointBody => ({
  format: 'strongroom-checkpoint/1',
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash.toString('hex'),
  headHash: r.head_hash.toString('hex'),
  at: r.at.toISOString(),
  keyId: r.key_id,
});

export const consistencyOf = (r: CheckpointRow) =>
  r.consistency_from == null || !r.consistency
    ? null
    : { from: Number(r.consistency_from), path: r.consistency.map((b) => b.toString('hex')) };

/**
 * A short fingerprint of a signed checkpoint (SHA-256 over its canonical body and signature, first 20 bytes in
 * groups of four hex digits), for an auditor to compare what the UI, the file and the email show.
 */
export function fingerprintOf(body: CheckpointBody, signatureBase64: string): string {
  const h = createHash('sha256')
    .update(canonicalJson({ body, signature: signatureBase64 }))
    .digest('hex');
  return (h.slice(0, 40).match(/.{4}/g) ?? []).join(' ').toUpperCase();
}

const asBuf = (x: Uint8Array) => (Buffer.isBuffer(x) ? x : Buffer.from(x));
const normalise = (r: CheckpointRow): CheckpointRow => ({
  ...r,
  tree_size: String(r.tree_size),
  frontier: (r.frontier ?? []).map(asBuf),
  consistency: r.consistency ? r.consistency.map(asBuf) : null,
  consistency_from: r.consistency_from == null ? null : String(r.consistency_from),
});

/** Checkpoints with afterSize < tree_size ≤ upTo, in order (bounded batches for long logs). */
export async function checkpointsBetween(
  q: Queryable,
  afterSize: string,
  upTo: string | null,
  limit = 1000,
): Promise<CheckpointRow[]> {
  const { rows } = await q.query<CheckpointRow>(
    upTo === null
      ? 'SELECT * FROM audit.checkpoints WHERE tree_size > $1 ORDER BY tree_size LIMIT $2'
      : 'SELECT * FROM audit.checkpoints WHERE tree_size > $1 AND tree_size <= $3 ORDER BY tree_size LIMIT $2',
    upTo === null ? [afterSize, limit] : [afterSize, limit, upTo],
  );
  return rows.map(normalise);
}

export async function latestCheckpoint(q: Queryable): Promise<CheckpointRow | undefined> {
  const { rows } = await q.query<CheckpointRow>('SELECT * FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1');
  return rows[0] && normalise(rows[0]);
}

export const signedOf = (r: CheckpointRow, publicKey: string): SignedCheckpoint => {
  const body = bodyOf(r);
  const signature = r.signature.toString('base64');
  return { body, signature, publicKey, consistency: consistencyOf(r), fingerprint: fingerprintOf(body, signature) };
};

/** The latest checkpoint file in `dir` (the copy kept off the database), if any. */
export async function latestCheckpointFile(dir: string | undefined): Promise<SignedCheckpoint | undefined> {
  if (!dir) return undefined;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^\d{12,}\.json$/.test(f)).sort();
  const last = files[files.length - 1];
  if (!last) return undefined;
  return JSON.parse(await readFile(path.join(dir, last), 'utf8')) as SignedCheckpoint;
}

export function createCheckpoints(deps: {
  db: Db;
  clock: Clock;
  signer: ReturnType<typeof createSigner>;
  dir: string | undefined;
  /** Integrates pending entries, so a checkpoint covers everything committed before the cut. */
  integrate?: () => Promise<unknown>;
  /** Runs inside the transaction that stores a new checkpoint (e.g. to enqueue the auditor's copy). */
  onCut?: (tx: Tx, checkpoint: SignedCheckpoint) => Promise<void>;
  maxLeavesPerCut?: number;
}) {
  const { db } = deps;
  const maxLeaves = deps.maxLeavesPerCut ?? MAX_LEAVES_PER_CUT;
  const publicKey = () => ({ keyId: deps.signer.keyId, publicKey: deps.signer.publicKey });

  async function writeFileCopy(c: SignedCheckpoint) {
    if (!deps.dir) return;
    await mkdir(deps.dir, { recursive: true, mode: 0o700 });
    await writeFile(
      path.join(deps.dir, `${String(c.body.treeSize).padStart(12, '0')}.json`),
      `${JSON.stringify(c, null, 2)}\n`,
      { mode: 0o600 },
    );
  }

  return {
    latest: () => latestCheckpoint(db),
    publicKey,
    /** Signs an export bundle's digest with the log key (the verifier checks it with the header's public key). */
    signBundle: (body: BundleDigestBody) => deps.signer.sign(body),

    /** The latest signed checkpoint, as files and emails carry it. */
    async latestSigned(): Promise<SignedCheckpoint | undefined> {
      const r = await latestCheckpoint(db);
      return r && signedOf(r, deps.signer.publicKey);
    },

    /** Cuts a checkpoint when entries were added since the last one; returns it (or undefined). */
    async cut(): Promise<SignedCheckpoint | undefined> {
      await deps.integrate?.();
      const out = await db.transaction(async (tx) => {
        await lockCuts(tx);
        const head = (await tx.query<{ seq: string }>('SELECT seq FROM audit.head')).rows[0];
        const prev = await latestCheckpoint(tx);
        const tomb = (
          await tx.query<{ body: string }>('SELECT body FROM audit.tombstones ORDER BY through_seq DESC LIMIT 1')
        ).rows[0];
        const tombstone = tomb ? (JSON.parse(tomb.body) as TombstoneBody) : undefined;
        // extend the previous checkpoint's tree, or the tree at the last retention cut
        let base: Frontier;
        let headHash: Buffer;
        if (prev && (!tombstone || Number(prev.tree_size) >= tombstone.throughSeq)) {
          base = { size: Number(prev.tree_size), nodes: [...prev.frontier] };
          headHash = prev.head_hash;
        } else if (tombstone) {
          base = { size: tombstone.throughSeq, nodes: tombstone.frontier.map((h) => Buffer.from(h, 'hex')) };
          headHash = Buffer.from(tombstone.lastHash, 'hex');
        } else {
          base = { size: 0, nodes: [] };
          headHash = Buffer.alloc(32);
        }
        const from = base.size;
        const to = Math.min(Number(head?.seq ?? 0), from + maxLeaves);
        if (to <= from) return undefined;
        const f: Frontier = { size: base.size, nodes: [...base.nodes] };
        const leaves = Buffer.alloc((to - from) * 32);
        for (let after = from; after < to; ) {
          const { rows } = await tx.query<{ seq: string; hash: Buffer }>(
            'SELECT seq, hash FROM audit.entries WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 10000',
            [after, to],
          );
          if (!rows.length) throw new Error(`audit entries after ${after} are missing; not signing a checkpoint`);
          for (const r of rows) {
            if (Number(r.seq) !== f.size + 1) {
              throw new Error(`audit entry ${f.size + 1} is missing; not signing a checkpoint`);
            }
            leafHash(r.hash).copy(leaves, (f.size - from) * 32);
            appendLeaf(f, r.hash);
            headHash = r.hash;
          }
          after = Number(rows[rows.length - 1]?.seq);
        }
        const consistency = from > 0 ? consistencyFromFrontier(base, leaves) : null;
        const body: CheckpointBody = {
          format: 'strongroom-checkpoint/1',
          treeSize: to,
          rootHash: frontierRoot(f).toString('hex'),
          headHash: headHash.toString('hex'),
          at: new Date(Math.floor(deps.clock.now().getTime())).toISOString(),
          keyId: deps.signer.keyId,
        };
        const signature = deps.signer.sign(body);
        const { rowCount } = await tx.query(
          `INSERT INTO audit.checkpoints (tree_size, root_hash, head_hash, frontier, at, key_id, signature,
                                          consistency_from, consistency)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tree_size) DO NOTHING`,
          [
            to,
            Buffer.from(body.rootHash, 'hex'),
            headHash,
            f.nodes,
            body.at,
            body.keyId,
            signature,
            consistency ? from : null,
            consistency,
          ],
        );
        if (!rowCount) return undefined;
        const b64 = signature.toString('base64');
        const signed: SignedCheckpoint = {
          body,
          signature: b64,
          publicKey: deps.signer.publicKey,
          consistency: consistency ? { from, path: consistency.map((b) => b.toString('hex')) } : null,
          fingerprint: fingerprintOf(body, b64),
        };
        await deps.onCut?.(tx, signed);
        return signed;
      });
      if (out) await writeFileCopy(out);
      return out;
    },

    /** Deletes the file copies of checkpoints at or below `size` (they fall under a retention tombstone). */
    async pruneFiles(size: number): Promise<number> {
      if (!deps.dir) return 0;
      let n = 0;
      for (const f of await readdir(deps.dir).catch(() => [] as string[])) {
        const m = /^(\d{12,})\.json$/.exec(f);
        if (m && Number(m[1]) <= size) {
          await rm(path.join(deps.dir, f), { force: true });
          n++;
        }
      }
      return n;
    },
  };
}

export type Checkpoints = ReturnType<typeof createCheckpoints>;

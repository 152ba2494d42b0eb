/**
 * Export bundles and offline verification (LOG-02, LOG-03). A bundle is NDJSON, written from one consistent
 * snapshot of the database:
 *   header (format, public keys, retention) · every retention tombstone · every entry in seq order, each signed
 *   checkpoint right after the entry at its size · an end line with the counts.
 * `verifyBundle` needs nothing but the file (and, optionally, a checkpoint the auditor holds from elsewhere): it
 * streams it once through the same verifier `audit verify` uses on the database, in O(log n) memory — hash chain,
 * RFC 6962 roots at every checkpoint, signatures, consistency proofs, tombstones and their retention bounds, gaps
 * and a cut tail. `proveInclusion`/`verifyProof` give and check an RFC 6962 audit path of one entry against a
 * signed checkpoint; after pruning, the path is built from the tombstone's frontier and the retained entries.
 */

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Db, Queryable } from '../../platform/db/db.ts';
import type { StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import { bodyOf, checkpointsBetween, consistencyOf, latestCheckpoint, type SignedCheckpoint } from './checkpoints.ts';
import { appendLeaf, emptyFrontier, frontierRoot, frontierSpans } from './frontier.ts';
import { createLogVerifier, isProblem } from './log-verifier.ts';
import { inclusionProofWith, largestPowerOfTwoBelow, leafHash, nodeHash, verifyInclusion } from './merkle.ts';
import { type BundleDigestBody, type CheckpointBody, type TombstoneBody, verifyCheckpoint } from './signer.ts';

export const BUNDLE_FORMAT = 'strongroom-audit-bundle/2';

const entryJson = (e: StoredEntry) => ({
  type: 'entry',
  seq: e.seq,
  at: e.at,
  action: e.action,
  outcome: e.outcome,
  actorType: e.actorType,
  actorId: e.actorId,
  targetType: e.targetType,
  targetId: e.targetId,
  ipHash: e.ipHash,
  requestId: e.requestId,
  details: e.details,
  prevHash: e.prevHash.toString('hex'),
  hash: e.hash.toString('hex'),
});

export interface ExportSummary {
  entries: number;
  checkpoints: number;
  tombstones: number;
}

/**
 * Writes the bundle to `out` (mode 0600) from one snapshot (REPEATABLE READ on PostgreSQL; PGlite runs one
 * transaction at a time), so entries, checkpoints and tombstones written meanwhile never half-appear.
 */
export async function exportBundle(
  db: Db,
  out: string,
  key: { keyId: string; publicKey: string },
  at: Date,
  opts: { retentionDays?: number | undefined; sign?: ((body: BundleDigestBody) => Buffer) | undefined } = {},
): Promise<ExportSummary> {
  const file = createWriteStream(out, { mode: 0o600 });
  const failed = new Promise<never>((_, reject) => file.once('error', reject));
  failed.catch(() => {});
  const digest = createHash('sha256');
  const write = async (obj: unknown) => {
    const line = `${JSON.stringify(obj)}\n`;
    digest.update(line);
    if (!file.write(line)) await Promise.race([once(file, 'drain'), failed]);
  };
  try {
    const summary = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return writeBundle(tx, write, key, at, opts.retentionDays ?? null);
    });
    const body: BundleDigestBody = {
      format: 'strongroom-bundle-digest/1',
      sha256: digest.digest('hex'),
      ...summary,
      keyId: key.keyId,
    };
    const end = { type: 'end', ...summary, digest: body, signature: opts.sign?.(body).toString('base64') ?? null };
    if (!file.write(`${JSON.stringify(end)}\n`)) await Promise.race([once(file, 'drain'), failed]);
    file.end();
    await Promise.race([once(file, 'finish'), failed]);
    return summary;
  } catch (err) {
    file.destroy();
    throw err;
  }
}

async function writeBundle(
  q: Queryable,
  write: (obj: unknown) => Promise<void>,
  key: { keyId: string; publicKey: string },
  at: Date,
  retentionDays: number | null,
): Promise<ExportSummary> {
  await write({
    type: 'header',
    format: BUNDLE_FORMAT,
    exportedAt: at.toISOString(),
    publicKeys: [key],
    retentionDays,
  });
  const tombs = await repo.tombstones(q);
  for (const t of tombs) {
    await write({ type: 'tombstone', body: JSON.parse(t.body), signature: t.signature.toString('base64') });
  }
  let checkpoints = 0;
  let cpAfter = '0';
  let queue: Awaited<ReturnType<typeof checkpointsBetween>> = [];
  const writeCheckpointsUpTo = async (size: number | null) => {
    for (;;) {
      if (!queue.length) {
        queue = await checkpointsBetween(q, cpAfter, null, 1000);
        if (!queue.length) return;
        cpAfter = (queue[queue.length - 1] as { tree_size: string }).tree_size;
      }
      while (queue.length && (size === null || Number((queue[0] as { tree_size: string }).tree_size) <= size)) {
        const c = queue.shift() as (typeof queue)[number];
        await write({
          type: 'checkpoint',
          body: bodyOf(c),
          signature: c.signature.toString('base64'),
          consistency: consistencyOf(c),
        });
        checkpoints++;
      }
      if (queue.length) return;
    }
  };
  const prunedThrough = tombs.length ? String(tombs[tombs.length - 1]?.through_seq) : '0';
  await writeCheckpointsUpTo(Number(prunedThrough));
  let after = prunedThrough;
  let entries = 0;
  for (;;) {
    const batch = await repo.entriesAfter(q, after, 5000);
    if (!batch.length) break;
    for (const e of batch) {
      await write(entryJson(e));
      await writeCheckpointsUpTo(Number(e.seq));
    }
    entries += batch.length;
    after = (batch[batch.length - 1] as StoredEntry).seq;
  }
  await writeCheckpointsUpTo(null); // any beyond the last entry: the verifier will call the log truncated
  return { entries, checkpoints, tombstones: tombs.length };
}

export type BundleResult =
  | {
      valid: true;
      entries: number;
      checkpoints: number;
      tombstones: number;
      prunedThrough: number;
      head: { seq: number; hash: string };
      lastCheckpoint: { treeSize: number; rootHash: string } | null;
    }
  | { valid: false; firstBadSeq: number | null; line: number | null; reason: string };

/**
 * Verifies a bundle offline. `trusted` is a signed checkpoint the auditor holds from elsewhere (the file the server
 * wrote, or the email): the bundle must reach it and match it, which catches a tail cut together with its
 * checkpoints.
 */
export async function verifyBundle(file: string, opts: { trusted?: SignedCheckpoint } = {}): Promise<BundleResult> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let v: ReturnType<typeof createLogVerifier> | undefined;
  let keys = new Map<string, Buffer>();
  const digest = createHash('sha256');
  let ended: { digest?: BundleDigestBody; signature?: string | null } | undefined;
  let sha256: string | undefined;
  const counts = { entries: 0, checkpoints: 0, tombstones: 0 };
  const bad = (
    reason: string,
    firstBadSeq: number | string | null = null,
  ): Extract<BundleResult, { valid: false }> => ({
    valid: false,
    firstBadSeq: firstBadSeq === null ? null : Number(firstBadSeq),
    line,
    reason,
  });
  const next = () => (v ? Number(v.position.seq) + 1 : 1);
  try {
    for await (const text of rl) {
      line++;
      if (!text.trim()) continue;
      if (ended) return bad('data_after_end', next());
      if (!text.startsWith('{"type":"end"')) digest.update(`${text}\n`);
      else sha256 = digest.digest('hex');
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(text);
      } catch {
        return bad('malformed_line', next());
      }
      if (!v) {
        if (obj.type !== 'header' || obj.format !== BUNDLE_FORMAT || !Array.isArray(obj.publicKeys)) {
          return bad('not_a_bundle');
        }
        keys = new Map(
          (obj.publicKeys as { keyId: string; publicKey: string }[]).map((k) => [
            String(k.keyId),
            Buffer.from(String(k.publicKey), 'base64'),
          ]),
        );
        v = createLogVerifier(keys);
        continue;
      }
      let problem: ReturnType<typeof v.entry>;
      if (obj.type === 'entry') {
        if (opts.trusted && counts.entries === 0) {
          problem = feedTrusted(v, opts.trusted);
          if (problem) return bad(problem.reason, problem.firstBadSeq);
        }
        if (typeof obj.prevHash !== 'string' || typeof obj.hash !== 'string' || typeof obj.seq !== 'string') {
          return bad('malformed_entry', next());
        }
        const e = {
          ...(obj as unknown as StoredEntry),
          prevHash: Buffer.from(obj.prevHash, 'hex'),
          hash: Buffer.from(obj.hash, 'hex'),
        };
        problem = v.entry(e);
        counts.entries++;
      } else if (obj.type === 'checkpoint') {
        problem = v.checkpoint(
          obj.body as CheckpointBody,
          Buffer.from(String(obj.signature), 'base64'),
          (obj.consistency as { from: number; path: string[] } | null) ?? null,
        );
        counts.checkpoints++;
      } else if (obj.type === 'tombstone') {
        problem = v.tombstone(obj.body as TombstoneBody, Buffer.from(String(obj.signature), 'base64'));
        counts.tombstones++;
      } else if (obj.type === 'end') {
        ended = obj as unknown as typeof ended;
        continue;
      } else {
        return bad('unknown_line_type', next());
      }
      if (problem) return bad(problem.reason, problem.firstBadSeq);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    return bad('unreadable', next());
  }
  if (!v) return bad('not_a_bundle');
  if (opts.trusted && counts.entries === 0) {
    const p = feedTrusted(v, opts.trusted);
    if (p) return bad(p.reason, p.firstBadSeq);
  }
  line = 0;
  const summary = v.finish();
  if (isProblem(summary)) return { ...bad(summary.reason, summary.firstBadSeq), line: null };
  // the end line: the counts (a file cut short in transit) and the signed SHA-256 of every byte before it (any
  // byte changed anywhere, a header field included); the log checks above name the first bad entry first
  const d = ended?.digest;
  if (
    !d ||
    d.entries !== counts.entries ||
    d.checkpoints !== counts.checkpoints ||
    d.tombstones !== counts.tombstones
  ) {
    return { ...bad('incomplete_bundle', next()), line: null };
  }
  const key = keys.get(d.keyId);
  if (
    d.format !== 'strongroom-bundle-digest/1' ||
    d.sha256 !== sha256 ||
    !ended?.signature ||
    !key ||
    !verifyCheckpoint(d, Buffer.from(ended.signature, 'base64'), key)
  ) {
    return { ...bad('bundle_signature_invalid'), line: null };
  }
  return {
    valid: true,
    entries: summary.entries,
    checkpoints: summary.checkpoints,
    tombstones: summary.tombstones,
    prunedThrough: summary.prunedThrough,
    head: { seq: Number(summary.head.seq), hash: summary.head.hash },
    lastCheckpoint: summary.lastCheckpoint,
  };
}

function feedTrusted(v: ReturnType<typeof createLogVerifier>, t: SignedCheckpoint) {
  // the trusted checkpoint must be signed by a key the bundle names, or carry its own public key
  if (!verifyCheckpoint(t.body, Buffer.from(t.signature, 'base64'), Buffer.from(t.publicKey, 'base64'))) {
    return { firstBadSeq: String(t.body?.treeSize ?? 0), reason: 'checkpoint_signature_invalid' as const };
  }
  return v.checkpoint(t.body, Buffer.from(t.signature, 'base64'), null, { trusted: true });
}

export interface InclusionProof {
  format: 'strongroom-inclusion-proof/1';
  seq: number;
  entryHash: string;
  treeSize: number;
  path: string[];
  checkpoint: { body: CheckpointBody; signature: string };
  publicKey: { keyId: string; publicKey: string };
}

const codeError = (message: string, code: string) => Object.assign(new Error(message), { code });

/**
 * The audit path of entry `seq` against the latest checkpoint that covers it. Subtree roots come from the last
 * tombstone's frontier (for what was pruned) and from the retained entries, read in order once.
 */
export async function proveInclusion(
  q: Queryable,
  seq: number,
  key: { keyId: string; publicKey: string },
): Promise<InclusionProof> {
  const cp = await latestCheckpoint(q);
  if (!cp || Number(cp.tree_size) < seq) {
    throw codeError(
      `No signed checkpoint covers entry ${seq} yet; wait for the next checkpoint.`,
      'audit.not_checkpointed',
    );
  }
  const tombs = await repo.tombstones(q);
  const last = tombs[tombs.length - 1];
  const tomb = last ? (JSON.parse(last.body) as TombstoneBody) : undefined;
  const pruned = tomb?.throughSeq ?? 0;
  if (seq <= pruned) {
    throw codeError(`Entry ${seq} was pruned by retention (through ${pruned}).`, 'audit.entry_pruned');
  }
  const size = Number(cp.tree_size);
  const spans = frontierSpans({ size: pruned, nodes: (tomb?.frontier ?? []).map((h) => Buffer.from(h, 'hex')) });
  const [target] = await repo.entriesAfter(q, String(seq - 1), 1, String(seq));
  if (!target || Number(target.seq) !== seq) {
    throw codeError(`There is no entry ${seq}.`, 'audit.entry_not_found');
  }
  // which subtrees the path needs is fixed by (index, size); compute each from the database afterwards
  const ranges: [number, number][] = [];
  inclusionProofWith(seq - 1, size, (start, n) => {
    ranges.push([start, n]);
    return Buffer.alloc(0);
  });
  const node = async (start: number, n: number): Promise<Buffer> => {
    if (start + n <= pruned) {
      const span = spans.get(start);
      if (!span || span.size !== n) throw new Error(`subtree [${start}, ${start + n}) is not in the tombstone`);
      return span.hash;
    }
    if (start < pruned) {
      const k = largestPowerOfTwoBelow(n);
      return nodeHash(await node(start, k), await node(start + k, n - k));
    }
    const f = emptyFrontier();
    for (let after = String(start); f.size < n; ) {
      const batch = await repo.entriesAfter(q, after, 10_000, String(start + n));
      if (!batch.length) throw codeError(`Entries after ${after} are missing.`, 'audit.entry_not_found');
      for (const e of batch) appendLeaf(f, e.hash);
      after = (batch[batch.length - 1] as StoredEntry).seq;
    }
    return frontierRoot(f);
  };
  const path: Buffer[] = [];
  for (const [start, n] of ranges) path.push(await node(start, n));
  return {
    format: 'strongroom-inclusion-proof/1',
    seq,
    entryHash: target.hash.toString('hex'),
    treeSize: size,
    path: path.map((b) => b.toString('hex')),
    checkpoint: { body: bodyOf(cp), signature: cp.signature.toString('base64') },
    publicKey: key,
  };
}

export function verifyProof(p: InclusionProof): { valid: boolean; reason?: string } {
  if (p.format !== 'strongroom-inclusion-proof/1') return { valid: false, reason: 'not_a_proof' };
  if (
    !verifyCheckpoint(
      p.checkpoint.body,
      Buffer.from(p.checkpoint.signature, 'base64'),
      Buffer.from(p.publicKey.publicKey, 'base64'),
    )
  ) {
    return { valid: false, reason: 'checkpoint_signature_invalid' };
  }
  const ok = verifyInclusion(
    leafHash(Buffer.from(p.entryHash, 'hex')),
    p.seq - 1,
    p.checkpoint.body.treeSize,
    p.path.map((h) => Buffer.from(h, 'hex')),
    Buffer.from(p.checkpoint.body.rootHash, 'hex'),
  );
  return ok ? { valid: true } : { valid: false, reason: 'path_does_not_lead_to_root' };
}

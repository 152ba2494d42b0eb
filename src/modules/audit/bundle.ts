/**
 * Export bundles and offline verification (LOG-02). A bundle is NDJSON: a header (format, public keys), then every
 * entry in order, then every signed checkpoint. `verifyBundle` needs nothing but the file: it recomputes each
 * entry's hash and link, the Merkle root at every checkpoint (so each checkpoint is consistent with the ones
 * before), each signature, and whether the log stops short of its last checkpoint (a truncated tail).
 * `proveInclusion`/`verifyProof` give and check an RFC 6962 audit path of one entry against a signed checkpoint.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Queryable } from '../../platform/db/db.ts';
import { createChainVerifier, GENESIS_HASH, type StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import { bodyOf, checkpointsOf } from './checkpoints.ts';
import { appendLeaf, emptyFrontier, frontierRoot } from './frontier.ts';
import { inclusionProof, leafHash, verifyInclusion } from './merkle.ts';
import { type CheckpointBody, verifyCheckpoint } from './signer.ts';

export const BUNDLE_FORMAT = 'strongroom-audit-bundle/1';

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

export async function exportBundle(q: Queryable, out: string, key: { keyId: string; publicKey: string }, at: Date) {
  const file = createWriteStream(out, { mode: 0o600 });
  const write = async (obj: unknown) => {
    if (!file.write(`${JSON.stringify(obj)}\n`)) await once(file, 'drain');
  };
  await write({ type: 'header', format: BUNDLE_FORMAT, exportedAt: at.toISOString(), publicKeys: [key] });
  let after = '0';
  let entries = 0;
  for (;;) {
    const batch = await repo.entriesAfter(q, after, 5000);
    if (!batch.length) break;
    for (const e of batch) await write(entryJson(e));
    entries += batch.length;
    after = (batch[batch.length - 1] as StoredEntry).seq;
  }
  const cps = await checkpointsOf(q);
  for (const c of cps) await write({ type: 'checkpoint', body: bodyOf(c), signature: c.signature.toString('base64') });
  file.end();
  await once(file, 'finish');
  return { entries, checkpoints: cps.length };
}

export type BundleResult =
  | { valid: true; entries: number; checkpoints: number; head: { seq: number; hash: string } }
  | { valid: false; firstBadSeq: number | null; line: number | null; reason: string };

export async function verifyBundle(file: string): Promise<BundleResult> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let keys = new Map<string, Buffer>();
  const chain = createChainVerifier({ seq: 0n, hash: GENESIS_HASH });
  const frontier = emptyFrontier();
  let lastHead = GENESIS_HASH.toString('hex');
  let checkpoints = 0;
  let lastCheckpointSize = 0;
  const bad = (reason: string, firstBadSeq: number | null = null): BundleResult => ({
    valid: false,
    firstBadSeq,
    line,
    reason,
  });
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(text);
    } catch {
      return bad('malformed_line', Number(chain.state.seq) + 1);
    }
    if (line === 1) {
      if (obj.type !== 'header' || obj.format !== BUNDLE_FORMAT) return bad('not_a_bundle');
      keys = new Map(
        (obj.publicKeys as { keyId: string; publicKey: string }[]).map((k) => [
          k.keyId,
          Buffer.from(k.publicKey, 'base64'),
        ]),
      );
      continue;
    }
    if (obj.type === 'entry') {
      let e: StoredEntry;
      try {
        e = {
          ...(obj as unknown as StoredEntry),
          prevHash: Buffer.from(String(obj.prevHash), 'hex'),
          hash: Buffer.from(String(obj.hash), 'hex'),
        };
      } catch {
        return bad('malformed_entry', Number(chain.state.seq) + 1);
      }
      const problem = chain.push(e);
      if (problem) return bad(problem.reason, Number(problem.seq));
      appendLeaf(frontier, e.hash);
      lastHead = e.hash.toString('hex');
      continue;
    }
    if (obj.type === 'checkpoint') {
      const body = obj.body as CheckpointBody;
      const key = keys.get(body?.keyId);
      if (!key || !verifyCheckpoint(body, Buffer.from(String(obj.signature), 'base64'), key)) {
        return bad('checkpoint_signature_invalid', body?.treeSize ?? null);
      }
      if (body.treeSize < lastCheckpointSize) return bad('checkpoints_out_of_order', body.treeSize);
      lastCheckpointSize = body.treeSize;
      checkpoints++;
      continue;
    }
    return bad('unknown_line_type');
  }
  // the roots at checkpoint sizes: a second pass over the file, now that the sizes are known (bounded memory)
  return verifyRoots(file, keys, Number(chain.state.seq), lastHead, checkpoints);
}

async function verifyRoots(
  file: string,
  keys: Map<string, Buffer>,
  entries: number,
  head: string,
  checkpoints: number,
): Promise<BundleResult> {
  const cps: CheckpointBody[] = [];
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of rl) if (text.includes('"type":"checkpoint"')) cps.push(JSON.parse(text).body);
  cps.sort((a, b) => a.treeSize - b.treeSize);
  const last = cps[cps.length - 1];
  if (last && last.treeSize > entries) {
    // the log ends before the last signed checkpoint: entries were cut from the tail
    return { valid: false, firstBadSeq: entries + 1, line: null, reason: 'truncated' };
  }
  const f = emptyFrontier();
  let i = 0;
  const rl2 = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of rl2) {
    if (i >= cps.length) break;
    if (!text.includes('"type":"entry"')) continue;
    const e = JSON.parse(text) as { seq: string; hash: string };
    appendLeaf(f, Buffer.from(e.hash, 'hex'));
    while (i < cps.length && (cps[i] as CheckpointBody).treeSize === f.size) {
      const cp = cps[i] as CheckpointBody;
      if (frontierRoot(f).toString('hex') !== cp.rootHash || e.hash !== cp.headHash) {
        return { valid: false, firstBadSeq: cp.treeSize, line: null, reason: 'checkpoint_mismatch' };
      }
      i++;
    }
  }
  void keys;
  return { valid: true, entries, checkpoints, head: { seq: entries, hash: head } };
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

/** The audit path of entry `seq` against the latest checkpoint that covers it. */
export async function proveInclusion(
  q: Queryable,
  seq: number,
  key: { keyId: string; publicKey: string },
): Promise<InclusionProof> {
  const cps = await checkpointsOf(q);
  const cp = cps[cps.length - 1];
  if (!cp || Number(cp.tree_size) < seq) {
    throw Object.assign(new Error(`No signed checkpoint covers entry ${seq} yet; wait for the next checkpoint.`), {
      code: 'audit.not_checkpointed',
    });
  }
  const size = Number(cp.tree_size);
  const leaves: Buffer[] = [];
  let target: Buffer | undefined;
  for (let after = '0'; leaves.length < size; ) {
    const batch = await repo.entriesAfter(q, after, 10000);
    if (!batch.length) break;
    for (const e of batch) {
      if (leaves.length >= size) break;
      leaves.push(leafHash(e.hash));
      if (Number(e.seq) === seq) target = e.hash;
    }
    after = (batch[batch.length - 1] as StoredEntry).seq;
  }
  if (!target) throw Object.assign(new Error(`There is no entry ${seq}.`), { code: 'audit.entry_not_found' });
  return {
    format: 'strongroom-inclusion-proof/1',
    seq,
    entryHash: target.toString('hex'),
    treeSize: size,
    path: inclusionProof(leaves, seq - 1).map((b) => b.toString('hex')),
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

/**
 * `audit verify` on the database (LOG-02, LOG-03): tombstones, then entries and checkpoints merged in order, through
 * the same verifier the offline bundle check uses, in bounded batches. The latest checkpoint file kept off the
 * database is fed as a trusted checkpoint: a log rewritten together with its checkpoint rows still differs from it.
 */
import type { Queryable } from '../../platform/db/db.ts';
import type { StoredEntry } from './audit.chain.ts';
import * as repo from './audit.repository.ts';
import { bodyOf, checkpointsBetween, consistencyOf, type SignedCheckpoint } from './checkpoints.ts';
import { createLogVerifier, isProblem, type LogProblem, type LogSummary } from './log-verifier.ts';
import type { TombstoneBody } from './signer.ts';

export async function verifyDatabase(
  q: Queryable,
  keys: ReadonlyMap<string, Buffer>,
  trusted?: SignedCheckpoint,
): Promise<(LogProblem & { entries: number }) | LogSummary> {
  const v = createLogVerifier(keys);
  const r = await walk(q, v, trusted);
  return isProblem(r) ? { ...r, entries: v.position.count } : r;
}

async function walk(
  q: Queryable,
  v: ReturnType<typeof createLogVerifier>,
  trusted: SignedCheckpoint | undefined,
): Promise<LogProblem | LogSummary> {
  for (const t of await repo.tombstones(q)) {
    let body: TombstoneBody;
    try {
      body = JSON.parse(t.body) as TombstoneBody;
    } catch {
      return { firstBadSeq: String(t.from_seq), reason: 'tombstone_signature_invalid' };
    }
    const p = v.tombstone(body, t.signature);
    if (p) return p;
  }
  if (trusted) {
    const p = v.checkpoint(trusted.body, Buffer.from(trusted.signature, 'base64'), null, { trusted: true });
    if (p) return p;
  }
  let cpAfter = '0';
  const feedCheckpoints = async (upTo: string | null) => {
    for (;;) {
      const cps = await checkpointsBetween(q, cpAfter, upTo);
      for (const c of cps) {
        const p = v.checkpoint(bodyOf(c), c.signature, consistencyOf(c));
        if (p) return p;
      }
      if (!cps.length) return undefined;
      cpAfter = (cps[cps.length - 1] as { tree_size: string }).tree_size;
      if (cps.length < 1000) return undefined;
    }
  };
  let after = String(v.position.prunedThrough);
  for (;;) {
    const batch = await repo.entriesAfter(q, after, 5000);
    if (!batch.length) break;
    // checkpoints up to the end of this batch first: they wait in the verifier until the entries reach them
    const p = await feedCheckpoints((batch[batch.length - 1] as StoredEntry).seq);
    if (p) return p;
    for (const e of batch) {
      const problem = v.entry(e);
      if (problem) return problem;
    }
    after = (batch[batch.length - 1] as StoredEntry).seq;
  }
  // checkpoints beyond the last entry: the log was cut short of what was signed
  const p = await feedCheckpoints(null);
  if (p) return p;
  return v.finish(await repo.readHead(q));
}

export { isProblem };

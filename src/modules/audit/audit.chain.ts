/**
 * The hash chain (LOG-02), pure. Each entry's hash is SHA-256 over a domain tag, the previous entry's hash
 * and a canonical JSON encoding of the entry (keys sorted at every level), so an edited field, a removed
 * or reordered entry, or a truncated tail (against the head or a checkpoint) is detected on verification.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = Buffer.alloc(32);
const DOMAIN = 'strongroom.audit.entry.v1\n';

export interface ChainedFields {
  seq: string;
  at: string; // ISO-8601 with milliseconds, UTC
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ipHash: string | null;
  requestId: string | null;
  details: unknown;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in audit entry');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function entryHash(prevHash: Buffer, e: ChainedFields): Buffer {
  return createHash('sha256')
    .update(DOMAIN)
    .update(prevHash)
    .update(
      canonicalJson({
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
      }),
    )
    .digest();
}

export type ChainProblem = 'gap' | 'chain_broken' | 'hash_mismatch' | 'head_mismatch';

export interface StoredEntry extends ChainedFields {
  prevHash: Buffer;
  hash: Buffer;
}

/**
 * Walks entries in seq order, carrying state across batches. Returns the first problem found, naming the
 * entry where the chain first stops being what it claims to be.
 */
export function createChainVerifier(start: { seq: bigint; hash: Buffer } = { seq: 0n, hash: GENESIS_HASH }) {
  let lastSeq = start.seq;
  let lastHash = start.hash;
  let count = 0;
  return {
    push(e: StoredEntry): { seq: string; reason: ChainProblem } | undefined {
      const seq = BigInt(e.seq);
      if (seq !== lastSeq + 1n) return { seq: (lastSeq + 1n).toString(), reason: 'gap' };
      if (!e.prevHash.equals(lastHash)) return { seq: e.seq, reason: 'chain_broken' };
      if (!entryHash(e.prevHash, e).equals(e.hash)) return { seq: e.seq, reason: 'hash_mismatch' };
      lastSeq = seq;
      lastHash = e.hash;
      count++;
      return undefined;
    },
    get state() {
      return { seq: lastSeq, hash: lastHash, count };
    },
  };
}

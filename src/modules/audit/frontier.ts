/**
 * An append-only RFC 6962 tree kept as its frontier: the roots of the perfect subtrees that make up the tree,
 * largest first (one per set bit of the size). Appending a leaf merges equal-sized subtrees; the root folds the
 * frontier from the right. O(log n) memory, so a verifier can walk a log of any length.
 */
import { consistencyProofWith, EMPTY_ROOT, leafHash, nodeHash, rangeRoot } from './merkle.ts';

export interface Frontier {
  size: number;
  nodes: Buffer[];
}

export const emptyFrontier = (): Frontier => ({ size: 0, nodes: [] });

export function appendLeaf(f: Frontier, data: Buffer): void {
  let carry = leafHash(data);
  let size = f.size;
  while (size % 2 === 1) {
    carry = nodeHash(f.nodes.pop() as Buffer, carry);
    size = Math.floor(size / 2);
  }
  f.nodes.push(carry);
  f.size += 1;
}

export function frontierRoot(f: Frontier): Buffer {
  if (!f.nodes.length) return EMPTY_ROOT;
  let r = f.nodes[f.nodes.length - 1] as Buffer;
  for (let i = f.nodes.length - 2; i >= 0; i--) r = nodeHash(f.nodes[i] as Buffer, r);
  return r;
}

/** The perfect subtrees a frontier stands for: [start, size) → root, one per set bit of the size, largest first. */
export function frontierSpans(f: Frontier): Map<number, { size: number; hash: Buffer }> {
  const spans = new Map<number, { size: number; hash: Buffer }>();
  let start = 0;
  let rest = f.size;
  let i = 0;
  for (let bit = f.size ? 2 ** Math.floor(Math.log2(f.size)) : 0; bit >= 1; bit /= 2) {
    if (rest < bit) continue;
    spans.set(start, { size: bit, hash: f.nodes[i++] as Buffer });
    start += bit;
    rest -= bit;
  }
  return spans;
}

/**
 * The RFC 9162 consistency proof from the tree a frontier stands for (size m) to the tree with `newLeaves` added:
 * leaf hashes (leafHash of each entry hash), 32 bytes each, back to back, of entries m+1..n.
 */
export function consistencyFromFrontier(old: Frontier, newLeaves: Buffer): Buffer[] {
  const m = old.size;
  const n = m + newLeaves.length / 32;
  if (m === 0) return [];
  const spans = frontierSpans(old);
  return consistencyProofWith(m, n, (start, size) => {
    if (start + size <= m) {
      const span = spans.get(start);
      if (!span || span.size !== size) throw new Error(`subtree [${start}, ${start + size}) is not in the frontier`);
      return span.hash;
    }
    if (start >= m) return rangeRoot(newLeaves, start - m, size);
    throw new Error(`subtree [${start}, ${start + size}) straddles the old tree`);
  });
}

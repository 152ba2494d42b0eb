/**
 * An append-only RFC 6962 tree kept as its frontier: the roots of the perfect subtrees that make up the tree,
 * largest first (one per set bit of the size). Appending a leaf merges equal-sized subtrees; the root folds the
 * frontier from the right. O(log n) memory, so a verifier can walk a log of any length.
 */
import { EMPTY_ROOT, leafHash, nodeHash } from './merkle.ts';

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

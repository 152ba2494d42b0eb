/**
 * RFC 6962 Merkle tree hashing (LOG-02), pure: leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left ||
 * right), the tree over n leaves split at the largest power of two below n. Inclusion proofs (audit paths) and
 * their verification, as Certificate Transparency defines them (RFC 6962 §2.1.1, RFC 9162 §2.1.3.2).
 */
import { createHash } from 'node:crypto';

export const leafHash = (data: Buffer): Buffer =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(data)
    .digest();
export const nodeHash = (l: Buffer, r: Buffer): Buffer =>
  createHash('sha256')
    .update(Buffer.from([1]))
    .update(l)
    .update(r)
    .digest();
export const EMPTY_ROOT = createHash('sha256').digest();

const splitPoint = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/** Root over leaf hashes (already hashed with leafHash). Iterative, O(n) memory for the level being built. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  if (!leaves.length) return EMPTY_ROOT;
  return subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly Buffer[], start: number, n: number): Buffer {
  if (n === 1) return leaves[start] as Buffer;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, start, k), subtreeRoot(leaves, start + k, n - k));
}

/** The audit path of leaf `index` (0-based) in the tree over `leaves`. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  const path: Buffer[] = [];
  const walk = (start: number, n: number, i: number) => {
    if (n === 1) return;
    const k = splitPoint(n);
    if (i < k) {
      walk(start, k, i);
      path.push(subtreeRoot(leaves, start + k, n - k));
    } else {
      walk(start + k, n - k, i - k);
      path.push(subtreeRoot(leaves, start, k));
    }
  };
  walk(0, leaves.length, index);
  return path;
}

/** RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its audit path. */
export function verifyInclusion(leaf: Buffer, index: number, treeSize: number, path: readonly Buffer[], root: Buffer) {
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

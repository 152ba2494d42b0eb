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

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export const largestPowerOfTwoBelow = (n: number) => 2 ** Math.floor(Math.log2(n - 1));

/**
 * RFC 9162 §2.1.4.1: the consistency proof from the tree of the first `m` leaves to the tree of `n` leaves.
 * `node(start, size)` gives the root of leaves [start, start + size); the nodes asked for are always either a
 * perfect subtree inside the first m leaves (one of the old tree's frontier nodes) or a subtree of the new leaves
 * [m, n), so a log can prove consistency from a stored frontier and the leaves added since.
 */
export function consistencyProofWith(m: number, n: number, node: (start: number, size: number) => Buffer): Buffer[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || m > n) throw new Error(`no consistency proof ${m}→${n}`);
  const out: Buffer[] = [];
  const sub = (mm: number, start: number, size: number, complete: boolean) => {
    if (mm === size) {
      if (!complete) out.push(node(start, size));
      return;
    }
    const k = largestPowerOfTwoBelow(size);
    if (mm <= k) {
      sub(mm, start, k, complete);
      out.push(node(start + k, size - k));
    } else {
      sub(mm - k, start + k, size - k, false);
      out.push(node(start, k));
    }
  };
  if (m < n) sub(m, 0, n, true);
  return out;
}

/** RFC 9162 §2.1.4.2: does `proof` show that the tree (m, firstRoot) is a prefix of the tree (n, secondRoot)? */
export function verifyConsistency(
  m: number,
  n: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (!proof.length) return false;
  const path = 2 ** Math.round(Math.log2(m)) === m ? [firstRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/** Root of the leaf hashes [start, start + size) held back to back in one buffer (32 bytes each). */
export function rangeRoot(leaves: Buffer, start: number, size: number): Buffer {
  if (size === 1) return leaves.subarray(start * 32, start * 32 + 32);
  const k = largestPowerOfTwoBelow(size);
  return nodeHash(rangeRoot(leaves, start, k), rangeRoot(leaves, start + k, size - k));
}

/** The audit path of leaf `index` in a tree of `n` leaves, with subtree roots from `node(start, size)`. */
export function inclusionProofWith(index: number, n: number, node: (start: number, size: number) => Buffer): Buffer[] {
  if (index < 0 || index >= n) throw new Error(`leaf ${index} is not in a tree of ${n}`);
  const path: Buffer[] = [];
  const walk = (start: number, size: number, i: number) => {
    if (size === 1) return;
    const k = largestPowerOfTwoBelow(size);
    if (i < k) {
      walk(start, k, i);
      path.push(node(start + k, size - k));
    } else {
      walk(start + k, size - k, i - k);
      path.push(node(start, k));
    }
  };
  walk(0, n, index);
  return path;
}

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, inclusionProof, leafHash, nodeHash, rootOf, verifyInclusion } from './merkle.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry-${i}`)));

describe('RFC 6962 Merkle tree (LOG-02)', () => {
  it('hashes like RFC 6962: the empty tree, one leaf, and an unbalanced tree of three', () => {
    expect(rootOf([]).equals(createHash('sha256').digest())).toBe(true);
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const l = leaves(3);
    expect(rootOf(l.slice(0, 1)).equals(l[0] as Buffer)).toBe(true);
    expect(rootOf(l).equals(nodeHash(nodeHash(l[0] as Buffer, l[1] as Buffer), l[2] as Buffer))).toBe(true);
  });

  it('every leaf of trees of 1…40 leaves has a proof that verifies, and fails for another leaf or root', () => {
    for (let n = 1; n <= 40; n++) {
      const l = leaves(n);
      const root = rootOf(l);
      for (let i = 0; i < n; i++) {
        const p = inclusionProof(l, i);
        expect(verifyInclusion(l[i] as Buffer, i, n, p, root)).toBe(true);
        if (n > 1) expect(verifyInclusion(l[(i + 1) % n] as Buffer, i, n, p, root)).toBe(false);
        expect(verifyInclusion(l[i] as Buffer, i, n, p, leafHash(Buffer.from('other')))).toBe(false);
      }
    }
  });
});

describe('frontier (incremental tree)', () => {
  it('gives the same root as the full tree at every size', async () => {
    const { appendLeaf, emptyFrontier, frontierRoot } = await import('./frontier.ts');
    const f = emptyFrontier();
    const datas = Array.from({ length: 70 }, (_, i) => Buffer.from(`entry-${i}`));
    for (let n = 1; n <= datas.length; n++) {
      appendLeaf(f, datas[n - 1] as Buffer);
      expect(frontierRoot(f).equals(rootOf(datas.slice(0, n).map(leafHash)))).toBe(true);
    }
  });
});

describe('RFC 9162 consistency proofs (LOG-02)', () => {
  it('matches the RFC example shapes and verifies for every m < n ≤ 40; any other root or a dropped node fails', async () => {
    const { consistencyProofWith, verifyConsistency } = await import('./merkle.ts');
    const l = leaves(40);
    const node = (s: number, size: number) => rootOf(l.slice(s, s + size));
    // RFC 6962 §2.1.3 example: PROOF(3, D[7]) = [c, d, g, l]
    const seven = l.slice(0, 7);
    const proof37 = consistencyProofWith(3, 7, (s, size) => rootOf(seven.slice(s, s + size)));
    expect(proof37.map((b) => b.toString('hex'))).toEqual(
      [l[2] as Buffer, l[3] as Buffer, nodeHash(l[0] as Buffer, l[1] as Buffer), rootOf(l.slice(4, 7))].map((b) =>
        b.toString('hex'),
      ),
    );
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const p = consistencyProofWith(m, n, node);
        const a = rootOf(l.slice(0, m));
        const b = rootOf(l.slice(0, n));
        expect(verifyConsistency(m, n, a, b, p)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, leafHash(Buffer.from('x')), b, p)).toBe(false);
          expect(verifyConsistency(m, n, a, leafHash(Buffer.from('x')), p)).toBe(false);
          expect(verifyConsistency(m, n, a, b, p.slice(1))).toBe(false);
        }
      }
    }
  });

  it('a proof built from the old frontier and the new leaves alone equals the one from the whole tree', async () => {
    const { appendLeaf, consistencyFromFrontier, emptyFrontier } = await import('./frontier.ts');
    const { consistencyProofWith } = await import('./merkle.ts');
    const datas = Array.from({ length: 70 }, (_, i) => Buffer.from(`entry-${i}`));
    const all = datas.map(leafHash);
    for (let m = 1; m < 70; m += 3) {
      const f = emptyFrontier();
      for (const d of datas.slice(0, m)) appendLeaf(f, d);
      for (const n of [m, m + 1, m + 7, 70]) {
        if (n > 70) continue;
        const fromFrontier = consistencyFromFrontier(f, Buffer.concat(all.slice(m, n)));
        const full = consistencyProofWith(m, n, (s, size) => rootOf(all.slice(s, s + size)));
        expect(fromFrontier.map((b) => b.toString('hex'))).toEqual(full.map((b) => b.toString('hex')));
      }
    }
  });
});

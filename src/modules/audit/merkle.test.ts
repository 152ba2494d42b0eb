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

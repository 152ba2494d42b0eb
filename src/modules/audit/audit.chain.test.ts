import { describe, expect, it } from 'vitest';
import { canonicalJson, createChainVerifier, entryHash, GENESIS_HASH, type StoredEntry } from './audit.chain.ts';

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev: Buffer = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const base = {
      seq: String(i),
      at: new Date(Date.UTC(2026, 10, 23, 12, 0, i)).toISOString(),
      action: 'auth.logout',
      outcome: 'success',
      actorType: 'user',
      actorId: '00000000-0000-4000-8000-000000000001',
      targetType: null,
      targetId: null,
      ipHash: null,
      requestId: null,
      details: { n: i },
    };
    const hash = entryHash(prev, base);
    out.push({ ...base, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const verify = (entries: StoredEntry[]) => {
  const v = createChainVerifier();
  for (const e of entries) {
    const p = v.push(e);
    if (p) return p;
  }
  return undefined;
};

describe('audit hash chain (LOG-02)', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('accepts an intact chain', () => {
    expect(verify(chain(10))).toBeUndefined();
  });

  it('names an edited entry', () => {
    const c = chain(10);
    (c[4] as StoredEntry).details = { n: 999 };
    expect(verify(c)).toEqual({ seq: '5', reason: 'hash_mismatch' });
  });

  it('names the first missing entry when one is deleted from the middle', () => {
    const c = chain(10);
    c.splice(6, 1);
    expect(verify(c)).toEqual({ seq: '7', reason: 'gap' });
  });

  it('catches two entries swapped (content moved to another seq)', () => {
    const c = chain(10);
    const a = c[2] as StoredEntry;
    const b = c[3] as StoredEntry;
    c[2] = { ...b, seq: a.seq };
    c[3] = { ...a, seq: b.seq };
    expect(verify(c)?.seq).toBe('3');
  });

  it('catches an entry whose hash was recomputed after an edit (the next link breaks)', () => {
    const c = chain(10);
    const e = c[4] as StoredEntry;
    e.details = { n: 1234 };
    e.hash = entryHash(e.prevHash, e);
    expect(verify(c)).toEqual({ seq: '6', reason: 'chain_broken' });
  });
});

/**
 * Blind indexes (DAT-03): deterministic per (key, term), unrelated across fields, root keys and versions,
 * and derived exactly as documented so another implementation (a migration, an auditor) can reproduce them.
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLIND_INDEX_BYTES, blindIndex, blindIndexes, deriveBlindIndexKey } from './blind-index.ts';
import type { FieldSpec } from './field-catalogue.ts';
import { findBuiltInField, queryTerms, searchTerms } from './field-catalogue.ts';

const root = randomBytes(32);
const emailKey = deriveBlindIndexKey(root, 'email', 1);

describe('blind index (HMAC-SHA-256, 128 bits)', () => {
  it('DAT-03: the same term under the same key gives the same 16-byte index', () => {
    const a = blindIndex(emailKey, 'paula@lumen.example');
    expect(a).toHaveLength(BLIND_INDEX_BYTES);
    expect(blindIndex(deriveBlindIndexKey(root, 'email', 1), 'paula@lumen.example')).toEqual(a);
    expect(blindIndex(emailKey, 'paula@lumen.example2')).not.toEqual(a);
  });

  it('DAT-03: different fields, root keys or versions give unrelated indexes', () => {
    const term = 'lemaire';
    const indexes = [
      blindIndex(deriveBlindIndexKey(root, 'fullName', 1), term),
      blindIndex(deriveBlindIndexKey(root, 'company', 1), term),
      blindIndex(deriveBlindIndexKey(root, 'fullName', 2), term),
      blindIndex(deriveBlindIndexKey(randomBytes(32), 'fullName', 1), term),
      // "v1:1x" vs "v11:x" style confusion cannot happen: the colon separates version and field
      blindIndex(deriveBlindIndexKey(root, '1fullName'.slice(1), 11), term),
    ];
    expect(new Set(indexes.map((i) => i.toString('hex'))).size).toBe(indexes.length);
  });

  it('derives keys with HKDF-SHA-256, info strongroom:vault.blind-index.v<version>:<field>', () => {
    const expected = Buffer.from(
      hkdfSync('sha256', root, Buffer.alloc(0), 'strongroom:vault.blind-index.v3:phone', 32),
    );
    const key = deriveBlindIndexKey(root, 'phone', 3);
    expect(key).toEqual(expected);
    const mac = createHmac('sha256', expected).update('+442079460042', 'utf8').digest();
    expect(blindIndex(key, '+442079460042')).toEqual(mac.subarray(0, 16));
  });

  it('the index of an ingested value equals the index of a search for it (one pipeline)', () => {
    const spec = findBuiltInField('phone') as FieldSpec;
    const key = deriveBlindIndexKey(root, spec.name, 1);
    const ingest = blindIndexes(key, searchTerms(spec, '+442079460042'));
    expect(ingest).toHaveLength(1);
    for (const q of ['+44 (0)20 7946 0042', '0044 (0)20 7946 0042', '00 44 20-7946-0042']) {
      expect(blindIndexes(key, queryTerms('phone', q))).toEqual(ingest);
    }
    expect(blindIndexes(key, queryTerms('phone', '020 7946 0042'))).not.toEqual(ingest); // national form differs
  });

  it('blindIndexes gives one index per distinct term, in order', () => {
    const key = deriveBlindIndexKey(root, 'fullName', 1);
    const out = blindIndexes(key, ['paula', 'lemaire', 'paula']);
    expect(out).toEqual([blindIndex(key, 'paula'), blindIndex(key, 'lemaire')]);
    expect(blindIndexes(key, [])).toEqual([]);
  });

  it('refuses weak keys, bad field names, bad versions and empty or malformed terms', () => {
    const code = { code: 'crypto.key_invalid' };
    expect(() => deriveBlindIndexKey(randomBytes(16), 'email', 1)).toThrow(expect.objectContaining(code));
    expect(() => deriveBlindIndexKey(root, 'bad:field', 1)).toThrow(expect.objectContaining(code));
    expect(() => deriveBlindIndexKey(root, '', 1)).toThrow(expect.objectContaining(code));
    expect(() => deriveBlindIndexKey(root, 'email', 0)).toThrow(expect.objectContaining(code));
    expect(() => blindIndex(randomBytes(8), 'x')).toThrow(expect.objectContaining(code));
    expect(() => blindIndex(emailKey, '')).toThrow(expect.objectContaining(code));
    expect(() => blindIndex(emailKey, 'a\ud800')).toThrow(expect.objectContaining(code));
    expect(deriveBlindIndexKey(root, '__external_ref', 1)).toHaveLength(32);
  });
});

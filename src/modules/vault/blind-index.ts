/**
 * Blind indexes (DAT-01, DAT-03): exact search over sealed records without storing or decrypting plaintext.
 * A search term (the canonical form from field-catalogue.ts, so ingest and search agree) is stored only as a
 * truncated HMAC-SHA-256 (RFC 2104) under a key derived per field and per root-key version with HKDF-SHA-256
 * (RFC 5869). Per-field keys mean equal values in different fields (a name token and a company token) have
 * unrelated indexes; per-version keys mean a retired root key leaves no usable index behind.
 *
 * What leaks: equality only. Whoever reads the index table sees which records share a term in one field (and
 * how often a term occurs, so frequent tokens stand out), never the term: without the key, confirming a guess
 * needs the HMAC key, which never leaves the service (DAT-02). Low-entropy values (phones) are exactly why the
 * key must stay secret; an unkeyed hash would fall to enumeration.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { keyObjectOf } from '../../platform/crypto/seal.ts';
import { AppError } from '../../platform/errors.ts';

const KEY_BYTES = 32;
/**
 * 128 bits: the index is keyed, so its length only has to make accidental collisions negligible, not resist
 * offline guessing. With n indexed terms the chance of any collision is about n² / 2^129: below 10^-20 even at
 * a billion terms. A false match would at worst add a record to a masked result, never reveal one.
 */
export const BLIND_INDEX_BYTES = 16;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

const invalid = (message: string) => new AppError('internal', 'crypto.key_invalid', message);

/** The HMAC key of one field's index under one root-key version. Cache it; it never leaves the process. */
export function deriveBlindIndexKey(rootKey: Buffer, field: string, version: number): Buffer {
  if (!Buffer.isBuffer(rootKey) || rootKey.length !== KEY_BYTES) throw invalid('A root key has the wrong length.');
  if (!FIELD_NAME.test(field)) throw invalid('A blind-index field name is invalid.');
  if (!Number.isSafeInteger(version) || version < 1) throw invalid('A blind-index key version is invalid.');
  const info = `strongroom:vault.blind-index.v${version}:${field}`;
  return Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), info, KEY_BYTES));
}

/** The index of one canonical term (callers normalise first: the index is as exact as its input). */
export function blindIndex(key: Buffer, term: string): Buffer {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw invalid('A blind-index key has the wrong length.');
  // a lone surrogate would be encoded as U+FFFD, making two different terms share an index
  if (typeof term !== 'string' || !term || !term.isWellFormed()) throw invalid('A blind-index term is invalid.');
  return Buffer.from(
    createHmac('sha256', keyObjectOf(key)).update(term, 'utf8').digest().subarray(0, BLIND_INDEX_BYTES),
  );
}

/** Distinct indexes of distinct terms, in the order of the terms. */
export function blindIndexes(key: Buffer, terms: readonly string[]): Buffer[] {
  return [...new Set(terms)].map((t) => blindIndex(key, t));
}

/**
 * Envelope encryption of records (DAT-01, DAT-02, DAT-06), AES-256-GCM (NIST SP 800-38D) in the format of
 * platform/crypto/seal.ts: 1-byte format version || 12-byte random nonce || ciphertext || 16-byte tag.
 * - One random 256-bit data key per record, wrapped by a root-key-derived KEK; the AAD binds the record id and
 *   the KEK version, so a wrapped key copied to another record, or presented under another KEK version, fails.
 *   Destroying the wrapped key destroys the record (crypto-shredding).
 * - Each field is sealed under the data key with AAD = record id + field name + data-key version, so a
 *   ciphertext swapped between records or fields, or replayed across a data-key version, fails to open.
 * - AAD is a JSON array with a purpose label first: unambiguous (no "a|b" vs "a|" + "b" confusion) and distinct
 *   per use, so a wrapped key can never be opened as a field or the other way round.
 * Random 96-bit nonces: a data key seals one record's fields, far below the 2^32 messages per key limit.
 * Every failure throws AppError('internal', 'crypto.integrity_failure'); nothing here returns garbage.
 */
import { freshRandom, open, seal } from '../../platform/crypto/seal.ts';
import { AppError } from '../../platform/errors.ts';

const KEY_BYTES = 32;
const MAX_JSON_BYTES = 64 * 1024;

const failure = (message = 'Stored ciphertext failed its integrity check.') =>
  new AppError('internal', 'crypto.integrity_failure', message);

function aad(purpose: 'data-key' | 'field' | 'json', ...context: (string | number)[]): string {
  return JSON.stringify([`strongroom:vault.${purpose}.v1`, ...context]);
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw failure('A key has the wrong length.');
}

/** Stored ciphertexts may come back as Uint8Array (PGlite) or as something else entirely. */
function asBuffer(sealed: Uint8Array): Buffer {
  if (!(sealed instanceof Uint8Array)) throw failure();
  return Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
}

function checkContext(version: number, ...names: string[]): void {
  if (!Number.isSafeInteger(version) || version < 1) throw failure('A key version is invalid.');
  if (names.some((n) => typeof n !== 'string' || n.length === 0)) throw failure('A sealing context is missing.');
}

/** A fresh random 256-bit data key. Zeroize it once it is wrapped and no longer needed. */
export function newDataKey(): Buffer {
  return freshRandom(KEY_BYTES);
}

export function wrapDataKey(kek: Buffer, kekVersion: number, dataKey: Buffer, recordId: string): Buffer {
  checkKey(kek);
  checkKey(dataKey);
  checkContext(kekVersion, recordId);
  return seal(kek, dataKey, aad('data-key', recordId, kekVersion));
}

export function unwrapDataKey(kek: Buffer, kekVersion: number, wrapped: Uint8Array, recordId: string): Buffer {
  checkKey(kek);
  checkContext(kekVersion, recordId);
  const dataKey = open(kek, asBuffer(wrapped), aad('data-key', recordId, kekVersion));
  if (dataKey.length !== KEY_BYTES) {
    zeroize(dataKey);
    throw failure();
  }
  return dataKey;
}

export function sealField(dataKey: Buffer, recordId: string, field: string, keyVersion: number, plaintext: string) {
  checkKey(dataKey);
  checkContext(keyVersion, recordId, field);
  if (typeof plaintext !== 'string' || !plaintext.isWellFormed()) throw failure('A value cannot be sealed.');
  return seal(dataKey, Buffer.from(plaintext, 'utf8'), aad('field', recordId, field, keyVersion), { oneOffKey: true });
}

export function openField(dataKey: Buffer, recordId: string, field: string, keyVersion: number, sealed: Uint8Array) {
  checkKey(dataKey);
  checkContext(keyVersion, recordId, field);
  const bytes = open(dataKey, asBuffer(sealed), aad('field', recordId, field, keyVersion), { oneOffKey: true });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw failure();
  } finally {
    zeroize(bytes);
  }
}

/** Seals a small JSON value (e.g. a reveal's justification) bound to a record and a label. */
export function sealJson(key: Buffer, recordId: string, label: string, value: unknown): Buffer {
  checkKey(key);
  checkContext(1, recordId, label);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // cycles, BigInt
  }
  if (json === undefined || Buffer.byteLength(json) > MAX_JSON_BYTES) throw failure('A value cannot be sealed.');
  return seal(key, json, aad('json', recordId, label));
}

/** Opens a sealJson value; the result is untrusted in shape: parse it with a schema before use. */
export function openJson(key: Buffer, recordId: string, label: string, sealed: Uint8Array): unknown {
  checkKey(key);
  checkContext(1, recordId, label);
  const bytes = open(key, asBuffer(sealed), aad('json', recordId, label));
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw failure();
  } finally {
    zeroize(bytes);
  }
}

/** Overwrites key material in place (best effort: the engine may hold copies, but this buffer no longer does). */
export function zeroize(buf: Buffer): void {
  buf.fill(0);
}

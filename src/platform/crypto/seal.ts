/**
 * AES-256-GCM sealing of small values (DAT-01). Output: 1-byte format version || 12-byte random nonce ||
 * ciphertext || 16-byte tag. The AAD binds the ciphertext to its context (e.g. table, row id, field), so a
 * ciphertext copied to another row or field fails to open. A failed open is an error, never garbage.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomFillSync } from 'node:crypto';
import { AppError } from '../errors.ts';

const FORMAT = 1;

/**
 * Turning a raw key into a KeyObject costs more than the encryption of a short field, so each key Buffer is
 * converted once and remembered for as long as the Buffer lives (a WeakMap keyed by the Buffer itself).
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
export function keyObjectOf(key: Buffer): KeyObject {
  let k = keyObjects.get(key);
  if (!k) {
    k = createSecretKey(key);
    keyObjects.set(key, k);
  }
  return k;
}

/**
 * Random bytes (nonces, data keys) come from a pool filled by the CSPRNG 4 KiB at a time: one call into OpenSSL per
 * 4 KiB instead of one per value. Every value is fresh random bytes, handed out once, and its place in the pool is
 * zeroed as it is taken, so the pool never holds a value already in use.
 */
let pool = Buffer.alloc(0);
let poolAt = 0;
function takeRandom(into: Buffer, at: number, bytes: number): void {
  if (poolAt + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(4096));
    poolAt = 0;
  }
  pool.copy(into, at, poolAt, poolAt + bytes);
  pool.fill(0, poolAt, poolAt + bytes);
  poolAt += bytes;
}

/** Fresh random bytes in a buffer of their own (not Node's shared pool), so a key in it can be zeroized. */
export function freshRandom(bytes: number): Buffer {
  if (bytes > 256) return randomFillSync(Buffer.alloc(bytes));
  const n = Buffer.alloc(bytes);
  takeRandom(n, 0, bytes);
  return n;
}

/**
 * A key used for a handful of messages only (a record's data key) is passed to the cipher as raw bytes: turning it
 * into a KeyObject first costs more than the encryptions it would speed up, and leaves a copy in a cache.
 */
export interface SealOptions {
  oneOffKey?: boolean;
}

export function seal(key: Buffer, plaintext: Buffer | string, aad: string, opts: SealOptions = {}): Buffer {
  const pt = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  // one buffer for the result; the nonce is written into it straight from the random pool
  const out = Buffer.allocUnsafe(1 + 12 + pt.length + 16);
  out[0] = FORMAT;
  takeRandom(out, 1, 12);
  const cipher = createCipheriv('aes-256-gcm', opts.oneOffKey ? key : keyObjectOf(key), out.subarray(1, 13));
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = cipher.update(pt);
  cipher.final(); // GCM is a stream mode: final() adds no bytes, it computes the tag
  if (ct.length !== pt.length) throw new AppError('internal', 'crypto.seal_failed', 'Sealing failed.');
  ct.copy(out, 13);
  cipher.getAuthTag().copy(out, 13 + ct.length);
  return out;
}

export function open(key: Buffer, sealed: Buffer, aad: string, opts: SealOptions = {}): Buffer {
  if (sealed.length < 1 + 12 + 16 || sealed[0] !== FORMAT) {
    throw new AppError('internal', 'crypto.integrity_failure', 'Stored ciphertext failed its integrity check.');
  }
  const nonce = sealed.subarray(1, 13);
  const tag = sealed.subarray(sealed.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', opts.oneOffKey ? key : keyObjectOf(key), nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]);
  } catch {
    throw new AppError('internal', 'crypto.integrity_failure', 'Stored ciphertext failed its integrity check.');
  }
}

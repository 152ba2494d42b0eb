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

/** Nonces come from a pool filled by the CSPRNG 4 KiB at a time; every nonce is fresh random bytes, used once. */
let pool = Buffer.alloc(0);
let poolAt = 0;
function freshNonce(): Buffer {
  if (poolAt + 12 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(4096));
    poolAt = 0;
  }
  const n = Buffer.from(pool.subarray(poolAt, poolAt + 12));
  pool.fill(0, poolAt, poolAt + 12);
  poolAt += 12;
  return n;
}

export function seal(key: Buffer, plaintext: Buffer | string, aad: string): Buffer {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, ct, cipher.getAuthTag()]);
}

export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 1 + 12 + 16 || sealed[0] !== FORMAT) {
    throw new AppError('internal', 'crypto.integrity_failure', 'Stored ciphertext failed its integrity check.');
  }
  const nonce = sealed.subarray(1, 13);
  const tag = sealed.subarray(sealed.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', keyObjectOf(key), nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]);
  } catch {
    throw new AppError('internal', 'crypto.integrity_failure', 'Stored ciphertext failed its integrity check.');
  }
}

/**
 * AES-256-GCM sealing of small values (DAT-01). Output: 1-byte format version || 12-byte random nonce ||
 * ciphertext || 16-byte tag. The AAD binds the ciphertext to its context (e.g. table, row id, field), so a
 * ciphertext copied to another row or field fails to open. A failed open is an error, never garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';

const FORMAT = 1;

export function seal(key: Buffer, plaintext: Buffer | string, aad: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
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
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(13, sealed.length - 16)), decipher.final()]);
  } catch {
    throw new AppError('internal', 'crypto.integrity_failure', 'Stored ciphertext failed its integrity check.');
  }
}

import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Opaque resource ids (UUID v4 from the CSPRNG). */
export const newId = (): string => randomUUID();

/** A bearer secret: 32 random bytes, base64url (256 bits). */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Secrets are stored only as SHA-256 digests; a stolen table does not give working tokens. */
export const sha256 = (value: string | Uint8Array): Buffer => createHash('sha256').update(value).digest();

/** Constant-time comparison of two secrets of any length. */
export function safeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const ha = sha256(a);
  const hb = sha256(b);
  return timingSafeEqual(ha, hb);
}

export const isUuid = (v: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(v);

/**
 * Envelope encryption of records (DAT-01, DAT-02): round trips, and every tampering or context swap fails
 * with crypto.integrity_failure rather than returning garbage.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import {
  newDataKey,
  openField,
  openJson,
  sealField,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
  zeroize,
} from './record-sealing.ts';

const kek = randomBytes(32);
const recordA = '0190a1b2-0000-7000-8000-00000000000a';
const recordB = '0190a1b2-0000-7000-8000-00000000000b';

function expectIntegrityFailure(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ kind: 'internal', code: 'crypto.integrity_failure' });
    return;
  }
  throw new Error('expected crypto.integrity_failure, but the call succeeded');
}

const flip = (buf: Buffer, at: number) => {
  const copy = Buffer.from(buf);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
};

describe('record sealing (AES-256-GCM envelope)', () => {
  it('DAT-01: a field round-trips and its ciphertext holds nothing of the plaintext', () => {
    const dek = newDataKey();
    expect(dek).toHaveLength(32);
    for (const value of ['Paula Lemaire', 'élodie@münchen.de', '', 'x'.repeat(5000), '王小明 \u{1F600}']) {
      const sealed = sealField(dek, recordA, 'fullName', 1, value);
      expect(sealed[0]).toBe(1);
      expect(sealed).toHaveLength(1 + 12 + Buffer.byteLength(value) + 16);
      if (value.length > 4) expect(sealed.includes(Buffer.from(value))).toBe(false);
      expect(openField(dek, recordA, 'fullName', 1, sealed)).toBe(value);
    }
    // the same value twice gives different ciphertexts (random nonce)
    expect(sealField(dek, recordA, 'email', 1, 'p@x.example')).not.toEqual(
      sealField(dek, recordA, 'email', 1, 'p@x.example'),
    );
  });

  it('a stored ciphertext may come back as a Uint8Array (PGlite bytea)', () => {
    const dek = newDataKey();
    const sealed = sealField(dek, recordA, 'phone', 1, '+442079460042');
    expect(openField(dek, recordA, 'phone', 1, new Uint8Array(sealed))).toBe('+442079460042');
  });

  it('DAT-01: any flipped byte (version, nonce, ciphertext, tag) fails with crypto.integrity_failure', () => {
    const dek = newDataKey();
    const sealed = sealField(dek, recordA, 'email', 1, 'paula@lumen.example');
    for (let at = 0; at < sealed.length; at++)
      expectIntegrityFailure(() => openField(dek, recordA, 'email', 1, flip(sealed, at)));
    expectIntegrityFailure(() => openField(dek, recordA, 'email', 1, sealed.subarray(0, 28)));
    expectIntegrityFailure(() => openField(dek, recordA, 'email', 1, Buffer.alloc(0)));
    expectIntegrityFailure(() => openField(dek, recordA, 'email', 1, null as unknown as Buffer));
  });

  it('DAT-01: a ciphertext of record A opened as record B, as another field or another key version fails', () => {
    const dek = newDataKey();
    const sealed = sealField(dek, recordA, 'email', 1, 'paula@lumen.example');
    expectIntegrityFailure(() => openField(dek, recordB, 'email', 1, sealed));
    expectIntegrityFailure(() => openField(dek, recordA, 'phone', 1, sealed));
    expectIntegrityFailure(() => openField(dek, recordA, 'email', 2, sealed));
    expectIntegrityFailure(() => openField(newDataKey(), recordA, 'email', 1, sealed));
    // no ambiguity in the AAD encoding: ("a:b", "c") is not ("a", "b:c")
    const tricky = sealField(dek, 'rec:x', 'field', 1, 'v');
    expectIntegrityFailure(() => openField(dek, 'rec', 'x:field', 1, tricky));
  });

  it('DAT-02: a data key wrapped under KEK v1 unwraps only under v1, for its own record', () => {
    const dek = newDataKey();
    const wrapped = wrapDataKey(kek, 1, dek, recordA);
    expect(wrapped.includes(dek)).toBe(false);
    expect(unwrapDataKey(kek, 1, wrapped, recordA)).toEqual(dek);
    expectIntegrityFailure(() => unwrapDataKey(kek, 2, wrapped, recordA));
    expectIntegrityFailure(() => unwrapDataKey(kek, 1, wrapped, recordB));
    expectIntegrityFailure(() => unwrapDataKey(randomBytes(32), 1, wrapped, recordA));
    expectIntegrityFailure(() => unwrapDataKey(kek, 1, flip(wrapped, 20), recordA));
    // a wrapped key is not a field ciphertext and the other way round (distinct AAD purposes)
    expectIntegrityFailure(() => openField(kek, recordA, 'email', 1, wrapped));
    expectIntegrityFailure(() => unwrapDataKey(dek, 1, sealField(dek, recordA, 'x', 1, 'k'.repeat(32)), recordA));
  });

  it('DAT-02: keys of the wrong length and invalid versions or contexts are refused', () => {
    const dek = newDataKey();
    expectIntegrityFailure(() => wrapDataKey(randomBytes(16), 1, dek, recordA));
    expectIntegrityFailure(() => wrapDataKey(kek, 1, randomBytes(31), recordA));
    expectIntegrityFailure(() => wrapDataKey(kek, 0, dek, recordA));
    expectIntegrityFailure(() => wrapDataKey(kek, 1.5, dek, recordA));
    expectIntegrityFailure(() => sealField(dek, '', 'email', 1, 'v'));
    expectIntegrityFailure(() => sealField(dek, recordA, '', 1, 'v'));
    expectIntegrityFailure(() => sealField(dek, recordA, 'email', 1, 'lone \ud800 surrogate'));
  });

  it('sealJson binds a small JSON value to a record and a label', () => {
    const key = newDataKey();
    const value = { purpose: 'customer_request', justification: 'Customer called about their data.' };
    const sealed = sealJson(key, recordA, 'reveal.justification', value);
    expect(sealed.includes(Buffer.from('Customer'))).toBe(false);
    expect(openJson(key, recordA, 'reveal.justification', sealed)).toEqual(value);
    expectIntegrityFailure(() => openJson(key, recordB, 'reveal.justification', sealed));
    expectIntegrityFailure(() => openJson(key, recordA, 'other.label', sealed));
    expectIntegrityFailure(() => openJson(key, recordA, 'reveal.justification', flip(sealed, 15)));
    expectIntegrityFailure(() => openField(key, recordA, 'reveal.justification', 1, sealed));
    expectIntegrityFailure(() => sealJson(key, recordA, 'x', undefined));
    expectIntegrityFailure(() => sealJson(key, recordA, 'x', { n: 1n }));
    expectIntegrityFailure(() => sealJson(key, recordA, 'x', 'y'.repeat(70_000)));
  });

  it('zeroize overwrites key material in place', () => {
    const dek = newDataKey();
    const view = dek.subarray(0, 32);
    zeroize(dek);
    expect(view.equals(Buffer.alloc(32))).toBe(true);
    expectIntegrityFailure(() => openField(dek, recordA, 'f', 1, sealField(newDataKey(), recordA, 'f', 1, 'v')));
  });
});

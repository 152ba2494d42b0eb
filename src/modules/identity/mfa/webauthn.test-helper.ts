/**
 * Test-only software authenticator for WebAuthn (IAM-03 tests): a P-256 key from node:crypto, `none`
 * attestation, authenticator data built by hand, and the minimal CBOR encoder that needs (unsigned and
 * negative integers, byte and text strings, maps). Each override lets a test forge one thing a real browser
 * or authenticator would never send: another origin, another challenge, a counter that goes backwards.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor> | { [k: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cborEncode(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), v]);
  const entries: [Cbor, Cbor][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, x]) => [cborEncode(k), cborEncode(x)])]);
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface Forgery {
  origin?: string;
  challenge?: string;
  rpId?: string;
  counter?: number;
  flags?: number;
}

export function createSoftAuthenticator(defaults: { rpId: string; origin: string }) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
  const coseKey = cborEncode(
    new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x as string, 'base64url')],
      [-3, Buffer.from(jwk.y as string, 'base64url')],
    ]),
  );
  const credentialId = randomBytes(32);
  let counter = 0;

  const authData = (f: Forgery, flags: number, count: number, attested?: Buffer) => {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(count);
    return Buffer.concat([
      sha256(f.rpId ?? defaults.rpId),
      Buffer.from([f.flags ?? flags]),
      c,
      attested ?? Buffer.alloc(0),
    ]);
  };
  const clientData = (type: string, challenge: string, f: Forgery) =>
    Buffer.from(
      JSON.stringify({
        type,
        challenge: f.challenge ?? challenge,
        origin: f.origin ?? defaults.origin,
        crossOrigin: false,
      }),
    );

  return {
    credentialId: b64u(credentialId),
    setCounter(n: number) {
      counter = n;
    },

    /** navigator.credentials.create() answered with `none` attestation and flags UP|UV|AT. */
    register(options: { challenge: string }, f: Forgery = {}): RegistrationResponseJSON {
      const idLen = Buffer.alloc(2);
      idLen.writeUInt16BE(credentialId.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLen, credentialId, coseKey]); // AAGUID all zero
      const data = authData(f, FLAG_UP | FLAG_UV | FLAG_AT, f.counter ?? counter, attested);
      const attestationObject = cborEncode({ fmt: 'none', attStmt: {}, authData: data });
      return {
        id: b64u(credentialId),
        rawId: b64u(credentialId),
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64u(clientData('webauthn.create', options.challenge, f)),
          attestationObject: b64u(attestationObject),
          transports: ['internal', 'hybrid'],
        },
      };
    },

    /** navigator.credentials.get(): the counter moves forward by one unless a forgery sets it. */
    login(options: { challenge: string }, f: Forgery = {}): AuthenticationResponseJSON {
      counter += 1;
      const data = authData(f, FLAG_UP | FLAG_UV, f.counter ?? counter);
      const cdj = clientData('webauthn.get', options.challenge, f);
      const signature = sign('sha256', Buffer.concat([data, sha256(cdj)]), privateKey); // DER, as WebAuthn wants
      return {
        id: b64u(credentialId),
        rawId: b64u(credentialId),
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: b64u(cdj), authenticatorData: b64u(data), signature: b64u(signature) },
      };
    },
  };
}

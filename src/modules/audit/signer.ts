/**
 * Ed25519 signing of audit checkpoints (LOG-02). The private key is derived from the platform key (HKDF label
 * `audit.signing.v1`), so it never sits on disk by itself; the public key and its id travel in every export so an
 * auditor can verify offline. The signed message is the canonical JSON of the checkpoint (or tombstone) body.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './audit.chain.ts';

export interface CheckpointBody {
  format: 'strongroom-checkpoint/1';
  treeSize: number;
  rootHash: string;
  headHash: string;
  at: string;
  keyId: string;
}

/**
 * A retention tombstone (LOG-03): entries fromSeq..throughSeq were pruned because they were older than `cutoff`
 * (a UTC midnight at least 90 days before `prunedAt`). It carries what verification needs to resume after the
 * cut: the last pruned entry's hash, the Merkle root and frontier at throughSeq, and a consistency proof from the
 * last signed root before the cut (`previous`).
 */
export interface TombstoneBody {
  format: 'strongroom-tombstone/1';
  fromSeq: number;
  throughSeq: number;
  lastHash: string;
  rootHash: string;
  frontier: string[];
  cutoff: string;
  retentionDays: number;
  prunedAt: string;
  previous: { treeSize: number; rootHash: string } | null;
  consistency: string[];
  keyId: string;
}

/**
 * The signature over a whole export bundle: SHA-256 of every byte before the end line, so a bundle with any byte
 * changed — a log line, a header field, anything — fails as a whole, beside the log's own checks.
 */
export interface BundleDigestBody {
  format: 'strongroom-bundle-digest/1';
  sha256: string;
  entries: number;
  checkpoints: number;
  tombstones: number;
  keyId: string;
}

export type SignedBody = CheckpointBody | TombstoneBody | BundleDigestBody;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function keyIdOf(publicKeyRaw: Buffer): string {
  return createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 16);
}

export function createSigner(seed: Buffer) {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKeyRaw = Buffer.from(spki.subarray(SPKI_ED25519_PREFIX.length));
  const keyId = keyIdOf(publicKeyRaw);
  return {
    keyId,
    publicKey: publicKeyRaw.toString('base64'),
    sign: (body: SignedBody): Buffer => sign(null, Buffer.from(canonicalJson(body)), privateKey),
  };
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function verifyCheckpoint(body: SignedBody, signature: Buffer, publicKeyRaw: Buffer): boolean {
  try {
    return (
      keyIdOf(publicKeyRaw) === body.keyId &&
      verify(null, Buffer.from(canonicalJson(body)), publicKeyFromRaw(publicKeyRaw), signature)
    );
  } catch {
    return false;
  }
}

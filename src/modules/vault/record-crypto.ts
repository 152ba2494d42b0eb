/**
 * Record encryption, bound to the keyring (DAT-01, DAT-02): a fresh data key per record wrapped by the current
 * root-key version; each field sealed under it with AAD = record id + field + data-key version; blind indexes
 * keyed per field and root version. Plaintext lives only in the returned objects (memory).
 */
import type { Keyring } from '../../platform/crypto/keyring.ts';
import { blindIndex, deriveBlindIndexKey } from './blind-index.ts';
import { type FieldSpec, searchTerms } from './field-catalogue.ts';
import { newDataKey, openField, sealField, unwrapDataKey, wrapDataKey, zeroize } from './record-sealing.ts';

export interface SealedRecord {
  dekWrapped: Buffer;
  kekVersion: number;
  dekVersion: number;
  fields: { field: string; ciphertext: Buffer }[];
  indexes: { field: string; idx: Buffer; indexVersion: number }[];
}

export const EXTERNAL_REF_FIELD = '__external_ref';

export function createRecordCrypto(keyring: Keyring) {
  const indexKeys = new Map<string, Buffer>();
  const indexKey = (field: string, version: number) => {
    const id = `${field}@${version}`;
    let k = indexKeys.get(id);
    if (!k) {
      k = deriveBlindIndexKey(keyring.rootKey(version), field, version);
      indexKeys.set(id, k);
    }
    return k;
  };

  function indexesFor(specs: Map<string, FieldSpec>, values: Record<string, string>, version: number) {
    const out: SealedRecord['indexes'] = [];
    for (const [name, value] of Object.entries(values)) {
      const spec = specs.get(name);
      if (!spec) continue;
      const seen = new Set<string>();
      for (const term of searchTerms(spec, value)) {
        const idx = blindIndex(indexKey(name, version), term);
        const hex = idx.toString('hex');
        if (seen.has(hex)) continue;
        seen.add(hex);
        out.push({ field: name, idx, indexVersion: version });
      }
    }
    return out;
  }

  return {
    currentVersion: () => keyring.provider.currentRoot().version,
    /** Root versions that may still hold data keys or indexes (more than one only while a rotation runs). */
    versionsInUse: () => keyring.provider.rootVersions(),

    seal(recordId: string, specs: Map<string, FieldSpec>, values: Record<string, string>): SealedRecord {
      const version = keyring.provider.currentRoot().version;
      const dek = newDataKey();
      try {
        return {
          dekWrapped: wrapDataKey(keyring.kek(version), version, dek, recordId),
          kekVersion: version,
          dekVersion: 1,
          fields: Object.entries(values).map(([field, v]) => ({
            field,
            ciphertext: sealField(dek, recordId, field, 1, v),
          })),
          indexes: indexesFor(specs, values, version),
        };
      } finally {
        zeroize(dek);
      }
    },

    open(
      recordId: string,
      row: { dek_wrapped: Buffer; kek_version: number; dek_version: number },
      fields: { field: string; ciphertext: Buffer }[],
    ): Record<string, string> {
      const dek = unwrapDataKey(keyring.kek(row.kek_version), row.kek_version, row.dek_wrapped, recordId);
      try {
        const out: Record<string, string> = {};
        for (const f of fields) out[f.field] = openField(dek, recordId, f.field, row.dek_version, f.ciphertext);
        return out;
      } finally {
        zeroize(dek);
      }
    },

    /** Re-wraps a data key under another root version (rotation); the field ciphertexts do not change. */
    rewrap(recordId: string, wrapped: Buffer, fromVersion: number, toVersion: number): Buffer {
      const dek = unwrapDataKey(keyring.kek(fromVersion), fromVersion, wrapped, recordId);
      try {
        return wrapDataKey(keyring.kek(toVersion), toVersion, dek, recordId);
      } finally {
        zeroize(dek);
      }
    },

    indexesFor,

    /** Blind indexes of query terms for one field, for every root version still in use. */
    queryIndexes(field: string, terms: string[], versions: number[]): Buffer[] {
      return versions.flatMap((v) => terms.map((t) => blindIndex(indexKey(field, v), t)));
    },

    /** Keyed reference of (owner, externalRef) for idempotent ingest; version-independent, from the platform key. */
    externalRefIndex(ownerId: string, externalRef: string): Buffer {
      return blindIndex(externalRefKey(keyring), `${ownerId}\0${externalRef.trim()}`);
    },
  };
}

const refKeys = new WeakMap<Keyring, Buffer>();
function externalRefKey(keyring: Keyring): Buffer {
  let k = refKeys.get(keyring);
  if (!k) {
    k = deriveBlindIndexKey(keyring.derive('vault.secret-seal.v1'), EXTERNAL_REF_FIELD, 1);
    refKeys.set(keyring, k);
  }
  return k;
}

export type RecordCrypto = ReturnType<typeof createRecordCrypto>;

/**
 * Record encryption, bound to the keyring (DAT-01, DAT-02): a fresh data key per record wrapped by the current
 * root-key version; each field sealed under it with AAD = record id + field + data-key version; blind indexes
 * keyed per field and root version. Plaintext lives only in the returned objects (memory).
 *
 * The sealing itself (`sealRecordWith`) takes its keys explicitly, so bulk ingest can run it in worker threads
 * (record-batch.ts, sealing-pool.ts) with the keys of one root version handed over once; `createRecordCrypto`
 * derives those keys from the keyring and caches them.
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

/** How each field is searched (field name → 'exact' | 'tokens' | false); all a sealer needs of the catalogue. */
export type SearchModes = Record<string, FieldSpec['searchable']>;

/** The keys that seal records under one root-key version: the KEK and the blind-index key of each searchable field. */
export interface SealKeys {
  version: number;
  kek: Buffer;
  indexKeys: Record<string, Buffer>;
}

export const searchModesOf = (specs: Map<string, FieldSpec>): SearchModes =>
  Object.fromEntries([...specs].map(([name, spec]) => [name, spec.searchable]));

/** Distinct blind indexes of the searchable values, per field, under the keys' version. */
export function indexesWith(keys: SealKeys, modes: SearchModes, values: Record<string, string>) {
  const out: SealedRecord['indexes'] = [];
  for (const [name, value] of Object.entries(values)) {
    const searchable = modes[name];
    if (!searchable) continue;
    const key = keys.indexKeys[name];
    if (!key) throw new Error(`no blind-index key for field ${name}`);
    // distinct terms give distinct indexes (HMAC-SHA-256/128: a collision is beyond reach), so dedupe the terms
    for (const term of new Set(searchTerms({ searchable }, value))) {
      out.push({ field: name, idx: blindIndex(key, term), indexVersion: keys.version });
    }
  }
  return out;
}

/** Seals one record: a fresh data key (zeroized after use), wrapped; every field sealed; blind indexes. */
export function sealRecordWith(
  keys: SealKeys,
  modes: SearchModes,
  recordId: string,
  values: Record<string, string>,
): SealedRecord {
  const dek = newDataKey();
  try {
    return {
      dekWrapped: wrapDataKey(keys.kek, keys.version, dek, recordId),
      kekVersion: keys.version,
      dekVersion: 1,
      fields: Object.entries(values).map(([field, v]) => ({
        field,
        ciphertext: sealField(dek, recordId, field, 1, v),
      })),
      indexes: indexesWith(keys, modes, values),
    };
  } finally {
    zeroize(dek);
  }
}

/** Keyed reference of (owner, externalRef) for idempotent ingest, under the version-independent reference key. */
export const externalRefIndexWith = (refKey: Buffer, ownerId: string, externalRef: string): Buffer =>
  blindIndex(refKey, `${ownerId}\0${externalRef.trim()}`);

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
  const sealKeyCache = new Map<string, SealKeys>();
  /** The sealing keys of a root version for these searchable fields (derived once, then cached). */
  const sealKeys = (modes: SearchModes, version: number): SealKeys => {
    const fields = Object.keys(modes)
      .filter((f) => modes[f])
      .sort();
    const id = `${version}:${fields.join(',')}`;
    let k = sealKeyCache.get(id);
    if (!k) {
      k = {
        version,
        kek: keyring.kek(version),
        indexKeys: Object.fromEntries(fields.map((f) => [f, indexKey(f, version)])),
      };
      sealKeyCache.set(id, k);
    }
    return k;
  };
  const modesCache = new WeakMap<Map<string, FieldSpec>, SearchModes>();
  const modesOf = (specs: Map<string, FieldSpec>) => {
    let m = modesCache.get(specs);
    if (!m) {
      m = searchModesOf(specs);
      modesCache.set(specs, m);
    }
    return m;
  };

  return {
    currentVersion: () => keyring.provider.currentRoot().version,
    /** Root versions that may still hold data keys or indexes (more than one only while a rotation runs). */
    versionsInUse: () => keyring.provider.rootVersions(),

    /** The keys that seal under the current root version (for sealing elsewhere, e.g. a worker thread). */
    currentSealKeys: (specs: Map<string, FieldSpec>) =>
      sealKeys(modesOf(specs), keyring.provider.currentRoot().version),

    /** The version-independent key of external-reference indexes (for sealing elsewhere). */
    externalRefKey: () => externalRefKey(keyring),

    seal(recordId: string, specs: Map<string, FieldSpec>, values: Record<string, string>): SealedRecord {
      const modes = modesOf(specs);
      return sealRecordWith(sealKeys(modes, keyring.provider.currentRoot().version), modes, recordId, values);
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

    indexesFor(specs: Map<string, FieldSpec>, values: Record<string, string>, version: number) {
      const modes = modesOf(specs);
      return indexesWith(sealKeys(modes, version), modes, values);
    },

    /** Blind indexes of query terms for one field, for every root version still in use. */
    queryIndexes(field: string, terms: string[], versions: number[]): Buffer[] {
      return versions.flatMap((v) => terms.map((t) => blindIndex(indexKey(field, v), t)));
    },

    /** Keyed reference of (owner, externalRef) for idempotent ingest; version-independent, from the platform key. */
    externalRefIndex(ownerId: string, externalRef: string): Buffer {
      return externalRefIndexWith(externalRefKey(keyring), ownerId, externalRef);
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

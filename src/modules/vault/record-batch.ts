/**
 * Seals a batch of ingested records into rows of `vault.records` in binary COPY format (DAT-01, DAT-06): the
 * plaintext goes in, ciphertext, wrapped keys and keyed indexes come out, ready to be written. Pure and
 * key-explicit, so it runs alike in a worker thread (sealing-worker.ts) and inline.
 *
 * The output keeps each row's bytes apart (`ends`) with its external-reference index, so the writer can drop
 * records whose reference is already stored (idempotent ingest) without decoding anything.
 */
import { BinaryCopyWriter } from '../../platform/db/copy-binary.ts';
import { newId } from '../../platform/ids.ts';
import { externalRefIndexWith, type SealKeys, type SearchModes, sealRecordWith } from './record-crypto.ts';
import { writeRecordCopyRow } from './vault.repository.ts';

export interface BatchInput {
  items: { ownerId: string; externalRef?: string | undefined; values: Record<string, string> }[];
  /** Creation time, ms since the epoch. */
  at: number;
  byUser: string | null;
  byToken: string | null;
  ingestId: string | null;
}

export interface SealedBatch {
  /** The rows, back to back. */
  rows: Uint8Array;
  /** End offset of each row in `rows`. */
  ends: Uint32Array;
  /** The external-reference index of record i at [i·16, i·16+16), when hasRef[i] is 1. */
  refs: Uint8Array;
  hasRef: Uint8Array;
}

export const REF_BYTES = 16;

/** The external-reference index of record `i`, or null. */
export const refOf = (b: SealedBatch, i: number): Buffer | null =>
  b.hasRef[i] ? Buffer.from(b.refs.subarray(i * REF_BYTES, (i + 1) * REF_BYTES)) : null;

export interface BatchKeys extends SealKeys {
  refKey: Buffer;
}

export function sealBatch(keys: BatchKeys, modes: SearchModes, input: BatchInput): SealedBatch {
  const n = input.items.length;
  const writer = new BinaryCopyWriter(n * 1024);
  // typed arrays of their own (never views of Node's shared Buffer pool), so they can be transferred
  const ends = new Uint32Array(n);
  const refs = new Uint8Array(n * REF_BYTES);
  const hasRef = new Uint8Array(n);
  const at = new Date(input.at);
  input.items.forEach((item, i) => {
    const id = newId();
    const ref = item.externalRef ? externalRefIndexWith(keys.refKey, item.ownerId, item.externalRef) : null;
    if (ref) {
      if (ref.length !== REF_BYTES) throw new Error('unexpected external-reference index length');
      refs.set(ref, i * REF_BYTES);
      hasRef[i] = 1;
    }
    writeRecordCopyRow(writer, {
      id,
      ownerId: item.ownerId,
      refIdx: ref,
      sealed: sealRecordWith(keys, modes, id, item.values),
      at,
      byUser: input.byUser,
      byToken: input.byToken,
      ingestId: input.ingestId,
    });
    ends[i] = writer.byteLength;
  });
  return { rows: writer.rows(), ends, refs, hasRef };
}

/** The rows of a sealed batch whose index passes `keep`, as separate byte ranges (for copyPayload). */
export function rowsOf(batch: SealedBatch, keep: (i: number) => boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  batch.ends.forEach((end, i) => {
    if (keep(i)) out.push(batch.rows.subarray(start, end));
    start = end;
  });
  return out;
}

/**
 * A worker thread of the sealing pool (sealing-pool.ts): seals batches of ingested records into COPY rows with
 * the keys the pool hands it (one message per root-key version, kept in this thread's memory only). Plaintext
 * arrives in a message and leaves only as ciphertext; errors go back as a code and a fixed message, never a value.
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../platform/errors.ts';
import { type BatchInput, type BatchKeys, type SealedBatch, sealBatch } from './record-batch.ts';
import type { SearchModes } from './record-crypto.ts';

export type ToWorker =
  | { type: 'keys'; keys: BatchKeys; modes: SearchModes }
  | { type: 'seal'; job: number; version: number; input: BatchInput };

export type FromWorker =
  | ({ type: 'sealed'; job: number } & SealedBatch)
  | { type: 'failed'; job: number; code: string; message: string };

const port = parentPort;
if (!port) throw new Error('sealing-worker.ts runs as a worker thread');
const keysByVersion = new Map<number, { keys: BatchKeys; modes: SearchModes }>();
// structured clone turns Buffers into Uint8Arrays: the crypto helpers want Buffers
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'keys') {
    const k = msg.keys;
    keysByVersion.set(k.version, {
      keys: {
        version: k.version,
        kek: asBuffer(k.kek),
        refKey: asBuffer(k.refKey),
        indexKeys: Object.fromEntries(Object.entries(k.indexKeys).map(([f, key]) => [f, asBuffer(key)])),
      },
      modes: msg.modes,
    });
    return;
  }
  try {
    const found = keysByVersion.get(msg.version);
    if (!found) throw new Error(`no keys for root version ${msg.version}`);
    const out = sealBatch(found.keys, found.modes, msg.input);
    const reply: FromWorker = { type: 'sealed', job: msg.job, ...out };
    port.postMessage(reply, [out.rows.buffer, out.ends.buffer, out.refs.buffer, out.hasRef.buffer] as ArrayBuffer[]);
  } catch (err) {
    const reply: FromWorker = isAppError(err)
      ? { type: 'failed', job: msg.job, code: err.code, message: err.message }
      : { type: 'failed', job: msg.job, code: 'internal', message: 'Sealing failed.' };
    port.postMessage(reply);
  }
});

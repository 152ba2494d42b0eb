/**
 * Worker threads that seal ingest batches (DAT-01, DAT-06), so the per-record crypto (a data key, AES-256-GCM per
 * field, a key wrap, HMAC blind indexes) runs beside the thread that parses the upload and writes to the database.
 *
 * Keys: each worker receives the KEK and blind-index keys of a root version once, before its first batch under
 * that version, as copies in its own memory; workers live in this process (the same trust boundary as the main
 * thread) and are stopped after `idleMs` without work, taking their key copies with them. Plaintext goes to a
 * worker in a message and comes back only as ciphertext. Small batches are sealed inline (no thread start-up).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, isAppError } from '../../platform/errors.ts';
import { type BatchInput, type BatchKeys, type SealedBatch, sealBatch } from './record-batch.ts';
import type { SearchModes } from './record-crypto.ts';
import type { FromWorker, ToWorker } from './sealing-worker.ts';

export interface SealingPoolOptions {
  /**
   * Worker threads; 0 seals everything inline. Default: one fewer than the cores this process may use (the main
   * thread parses and writes, and PostgreSQL often shares the machine), at least 1, at most 4. Measured on 2 cores
   * with PostgreSQL on the same machine, 100k records: 1 worker 12.1-12.8k records/s, 2 workers 6.5-10.1k (more
   * threads than cores), inline 6.0-6.5k.
   */
  size?: number;
  /** Batches smaller than this are sealed inline while no worker is running. */
  inlineBelow?: number;
  idleMs?: number;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  versions: Set<number>;
}

const copyOf = (b: Uint8Array) => new Uint8Array(b); // a buffer of its own, whatever pool `b` lives in
const WORKER_GONE = 'vault.sealing_worker_gone';

export function createSealingPool(opts: SealingPoolOptions = {}) {
  const size = opts.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const inlineBelow = opts.inlineBelow ?? 64;
  const idleMs = opts.idleMs ?? 30_000;
  const slots: Slot[] = [];
  const pending = new Map<number, { resolve(b: SealedBatch): void; reject(e: Error): void; slot: Slot }>();
  let nextJob = 1;
  let idleTimer: NodeJS.Timeout | undefined;
  // a worker that dies takes its batches with it: they are sealed inline instead; after a few deaths (a worker
  // that cannot start here at all) the pool stays off and everything is sealed inline
  let workerFailures = 0;
  const inline = (keys: BatchKeys, modes: SearchModes, input: BatchInput): Promise<SealedBatch> => {
    try {
      return Promise.resolve(sealBatch(keys, modes, input));
    } catch (err) {
      return Promise.reject(err);
    }
  };

  const failAll = (slot: Slot, err: Error) => {
    for (const [job, p] of pending) {
      if (p.slot !== slot) continue;
      pending.delete(job);
      p.reject(err);
    }
  };

  function start(): Slot {
    const worker = new Worker(new URL('./sealing-worker.ts', import.meta.url));
    const slot: Slot = { worker, inFlight: 0, versions: new Set() };
    worker.on('message', (msg: FromWorker) => {
      const p = pending.get(msg.job);
      if (!p) return;
      pending.delete(msg.job);
      slot.inFlight--;
      if (slot.inFlight === 0) worker.unref();
      if (msg.type === 'sealed') p.resolve({ rows: msg.rows, ends: msg.ends, refs: msg.refs, hasRef: msg.hasRef });
      else p.reject(new AppError('internal', msg.code, msg.message));
      armIdle();
    });
    const gone = (err: Error) => {
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      failAll(slot, err);
    };
    worker.on('error', () => {
      workerFailures++;
      gone(new AppError('internal', WORKER_GONE, 'A sealing worker failed.'));
    });
    worker.on('exit', () => gone(new AppError('internal', WORKER_GONE, 'A sealing worker stopped.')));
    worker.unref();
    slots.push(slot);
    return slot;
  }

  function armIdle() {
    clearTimeout(idleTimer);
    if (pending.size) return;
    idleTimer = setTimeout(() => void stop(), idleMs);
    idleTimer.unref();
  }

  async function stop() {
    clearTimeout(idleTimer);
    const all = slots.splice(0);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }

  return {
    size,

    /** Seals a batch in a worker (or inline when the pool is off, or the batch is small and no worker runs). */
    seal(keys: BatchKeys, modes: SearchModes, input: BatchInput): Promise<SealedBatch> {
      if (size === 0 || workerFailures >= 3 || (input.items.length < inlineBelow && slots.length === 0)) {
        return inline(keys, modes, input);
      }
      clearTimeout(idleTimer);
      const slot =
        slots.length < size && slots.every((s) => s.inFlight > 0)
          ? start()
          : slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (!slot.versions.has(keys.version)) {
        const copies = {
          kek: copyOf(keys.kek),
          refKey: copyOf(keys.refKey),
          indexKeys: Object.fromEntries(Object.entries(keys.indexKeys).map(([f, k]) => [f, copyOf(k)])),
        };
        const msg: ToWorker = { type: 'keys', keys: { version: keys.version, ...copies } as BatchKeys, modes };
        slot.worker.postMessage(msg); // cloned at once: the copies here can be wiped
        for (const k of [copies.kek, copies.refKey, ...Object.values(copies.indexKeys)]) k.fill(0);
        slot.versions.add(keys.version);
      }
      const job = nextJob++;
      slot.inFlight++;
      slot.worker.ref(); // a batch in a worker keeps the process alive until it comes back
      return new Promise<SealedBatch>((resolve, reject) => {
        pending.set(job, { resolve, reject, slot });
        const msg: ToWorker = { type: 'seal', job, version: keys.version, input };
        slot.worker.postMessage(msg);
      }).catch((err: unknown) =>
        isAppError(err) && err.code === WORKER_GONE ? inline(keys, modes, input) : Promise.reject(err),
      );
    },

    /** Stops every worker now (tests, shutdown); a later batch starts new ones. */
    stop,
  };
}

export type SealingPool = ReturnType<typeof createSealingPool>;

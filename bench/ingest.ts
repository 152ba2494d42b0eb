/**
 * Bulk ingest throughput (DAT-06): N records as NDJSON through the real ingest (parse, normalise, per-record data
 * key, AES-256-GCM per field, key wrap, blind indexes, idempotency by external reference, batched INSERTs, progress
 * and audit), against a same-run baseline that inserts N random rows of the same stored size, 500 at a time with
 * one multi-row INSERT each and no crypto. Prints records/s, peak RSS and the ratio.
 * Usage: node bench/ingest.ts [--records 100000]   (DATABASE_URL=postgres://…/strongroom_bench for PostgreSQL,
 * else embedded PGlite; 1M works too: --records 1M)
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createRecordCrypto } from '../src/modules/vault/index.ts';
import { newId } from '../src/platform/ids.ts';
import { benchArgs } from './lib/args.ts';
import { cpuMeter, peakRss, scratchCore } from './lib/harness.ts';

const { records: N } = benchArgs({ records: 100_000 });
const { core, cleanup } = await scratchCore();
try {
  const owner = await core.db.query<{ id: string }>(
    `INSERT INTO vault.owners (id, name, contact_emails_sealed, created_at) VALUES (gen_random_uuid(), 'Bench', '\\x00', now()) RETURNING id`,
  );
  const ownerId = owner.rows[0]?.id as string;
  const fieldsOf = (i: number) => ({
    fullName: `Person${i} Surname${i % 997}`,
    email: `p${i}@bench${i % 101}.example`,
    phone: `+4420${String(10_000_000 + i).slice(-8)}`,
    company: `Company ${i % 5003}`,
    title: 'Buyer',
  });
  function* lines() {
    for (let i = 0; i < N; i++) yield `${JSON.stringify({ ownerId, externalRef: `r-${i}`, fields: fieldsOf(i) })}\n`;
  }

  // the baseline row holds as many bytes as one sealed record does: ciphertexts, wrapped key, indexes, reference
  const sample = createRecordCrypto(core.keyring).seal(newId(), core.vault.fieldSpecs, fieldsOf(12345));
  const rowBytes =
    sample.fields.reduce((a, f) => a + f.ciphertext.length, 0) +
    sample.dekWrapped.length +
    sample.indexes.reduce((a, x) => a + x.idx.length, 0) +
    16;
  await core.db.execScript('CREATE TABLE IF NOT EXISTS public.bench_baseline (id uuid PRIMARY KEY, payload bytea)');
  const meter = await cpuMeter(core.db);
  let stop = await meter();
  const base = await peakRss(async () => {
    const t0 = performance.now();
    for (let i = 0; i < N; i += 500) {
      const n = Math.min(500, N - i);
      await core.db.query(
        'INSERT INTO public.bench_baseline SELECT gen_random_uuid(), p FROM unnest($1::bytea[]) AS p',
        [Array.from({ length: n }, () => randomBytes(rowBytes))],
      );
    }
    return (performance.now() - t0) / 1000;
  });

  const baseCpu = await stop();
  stop = await meter();
  const real = await peakRss(async () => {
    const t0 = performance.now();
    const out = await core.ingest.ingest(
      { kind: 'host_operator' },
      Readable.from(lines()),
      { format: 'ndjson', via: 'cli' },
      { ip: '127.0.0.1', requestId: 'bench', route: 'bench' },
    );
    if (out.accepted !== N)
      throw new Error(`accepted ${out.accepted} of ${N}: ${JSON.stringify(out.rejected.slice(0, 3))}`);
    return (performance.now() - t0) / 1000;
  });

  const realCpu = await stop();
  const perRecord = (c: { nodeMs: number; pgMs: number }) =>
    `CPU ${((c.nodeMs * 1000) / N).toFixed(0)} µs node${core.db.kind === 'postgres' ? ` + ${((c.pgMs * 1000) / N).toFixed(0)} µs PostgreSQL` : ''} per record`;
  const baseRate = N / base.result;
  const realRate = N / real.result;
  console.log(`bulk ingest: ${N} records (${rowBytes} bytes stored each), ${core.db.kind}`);
  console.log(
    `  baseline plain INSERT   ${baseRate.toFixed(0).padStart(8)} rows/s     peak RSS ${base.peakMiB} MiB   ${perRecord(baseCpu)}`,
  );
  console.log(
    `  strongroom ingest       ${realRate.toFixed(0).padStart(8)} records/s  peak RSS ${real.peakMiB} MiB   ${perRecord(realCpu)}`,
  );
  console.log(
    `  ratio ingest/baseline   ${(realRate / baseRate).toFixed(2)}x   (target ≥ 10,000 records/s on PostgreSQL)`,
  );
} finally {
  await cleanup();
}

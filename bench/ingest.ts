/**
 * Bulk ingest throughput (DAT-06): N records as NDJSON through the real ingest (normalise, per-record data key,
 * AES-256-GCM per field, blind indexes, batched INSERTs), against a same-run baseline that inserts N random rows of
 * the same size with multi-row INSERTs and no crypto. Prints records/s, peak RSS and the ratio.
 * Usage: node bench/ingest.ts [N=100000]   (DATABASE_URL=postgres://… for PostgreSQL, else embedded PGlite)
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { peakRss, scratchCore } from './lib/harness.ts';

const N = Number(process.argv[2] ?? 100_000);
const { core, cleanup } = await scratchCore();
try {
  const owner = await core.db.query<{ id: string }>(
    `INSERT INTO vault.owners (id, name, contact_emails_sealed, created_at) VALUES (gen_random_uuid(), 'Bench', '\\x00', now()) RETURNING id`,
  );
  const ownerId = owner.rows[0]?.id as string;
  function* lines() {
    for (let i = 0; i < N; i++) {
      yield `${JSON.stringify({
        ownerId,
        externalRef: `r-${i}`,
        fields: {
          fullName: `Person${i} Surname${i % 997}`,
          email: `p${i}@bench${i % 101}.example`,
          phone: `+4420${String(10_000_000 + i).slice(-8)}`,
          company: `Company ${i % 5003}`,
          title: 'Buyer',
        },
      })}\n`;
    }
  }

  // baseline: the same number of rows, of the size one sealed record takes, plain multi-row INSERTs
  await core.db.execScript('CREATE TABLE IF NOT EXISTS public.bench_baseline (id uuid PRIMARY KEY, payload bytea)');
  const rowBytes = 5 * 60 + 60; // ≈ five sealed fields + a wrapped key
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

  const baseRate = N / base.result;
  const realRate = N / real.result;
  console.log(`bulk ingest: ${N} records, ${core.db.kind}`);
  console.log(`  baseline plain INSERT   ${baseRate.toFixed(0).padStart(8)} rows/s     peak RSS ${base.peakMiB} MiB`);
  console.log(`  strongroom ingest       ${realRate.toFixed(0).padStart(8)} records/s  peak RSS ${real.peakMiB} MiB`);
  console.log(
    `  ratio ingest/baseline   ${(realRate / baseRate).toFixed(2)}x   (target ≥ 10,000 records/s on PostgreSQL)`,
  );
} finally {
  await cleanup();
}

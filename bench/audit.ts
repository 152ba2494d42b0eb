/**
 * Audit append throughput (LOG-01/02): N events, each in its own transaction as actions append them, at
 * concurrency C, against a same-run baseline inserting the same rows with no chain (no head lock, no hashing);
 * and verification rate (entries/s) against raw SHA-256 over the same bytes.
 * Usage: node bench/audit.ts [N=5000] [concurrency=8]   (DATABASE_URL → PostgreSQL, else PGlite)
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../src/modules/audit/audit.chain.ts';
import { pct, pool, scratchCore } from './lib/harness.ts';

const N = Number(process.argv[2] ?? 5000);
const C = Number(process.argv[3] ?? 8);
const { core, cleanup } = await scratchCore();
try {
  const items = Array.from({ length: N }, (_, i) => i);
  await core.db.execScript(
    `CREATE TABLE IF NOT EXISTS public.bench_audit (id bigserial PRIMARY KEY, at timestamptz, action text, outcome text,
       actor_type text, actor_id uuid, ip_hash text, details jsonb)`,
  );
  const baseLat: number[] = [];
  const t0 = performance.now();
  await pool(items, C, async () => {
    const s = performance.now();
    await core.db.transaction((tx) =>
      tx.query(
        `INSERT INTO public.bench_audit (at, action, outcome, actor_type, actor_id, ip_hash, details)
         VALUES (now(), 'auth.logout', 'success', 'user', gen_random_uuid(), 'abcdef0123456789abcdef0123456789', '{}')`,
      ),
    );
    baseLat.push(performance.now() - s);
  });
  const baseRate = N / ((performance.now() - t0) / 1000);

  const lat: number[] = [];
  const t1 = performance.now();
  await pool(items, C, async () => {
    const s = performance.now();
    await core.db.transaction((tx) =>
      core.audit.append(tx, {
        action: 'auth.logout',
        outcome: 'success',
        actor: { type: 'user', id: crypto.randomUUID() },
        ip: '203.0.113.9',
        details: {},
      }),
    );
    lat.push(performance.now() - s);
  });
  const rate = N / ((performance.now() - t1) / 1000);

  const v0 = performance.now();
  const result = await core.audit.verify(core.db);
  const verifyRate = Number(result.entries) / ((performance.now() - v0) / 1000);
  const { rows } = await core.db.query<{ seq: string; at: Date; details: unknown; prev_hash: Buffer }>(
    'SELECT seq, at, details, prev_hash FROM audit.entries ORDER BY seq',
  );
  const h0 = performance.now();
  for (const r of rows)
    createHash('sha256')
      .update(r.prev_hash)
      .update(canonicalJson({ seq: r.seq, at: r.at, details: r.details }))
      .digest();
  const rawRate = rows.length / ((performance.now() - h0) / 1000);

  console.log(`audit append: ${N} events, concurrency ${C}, ${core.db.kind}`);
  console.log(
    `  baseline plain INSERT  ${baseRate.toFixed(0).padStart(7)}/s  p99 commit ${pct(baseLat, 0.99).toFixed(1)} ms`,
  );
  console.log(`  chained append         ${rate.toFixed(0).padStart(7)}/s  p99 commit ${pct(lat, 0.99).toFixed(1)} ms`);
  console.log(`  ratio ${(rate / baseRate).toFixed(2)}x (target ≥ 5,000 events/s on PostgreSQL)`);
  console.log(
    `  verify ${verifyRate.toFixed(0)} entries/s vs raw SHA-256 over similar bytes ${rawRate.toFixed(0)}/s (${(verifyRate / rawRate).toFixed(2)}x); valid=${result.valid}`,
  );
} finally {
  await cleanup();
}

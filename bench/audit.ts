/**
 * Audit trail throughput (LOG-01/02), each figure against a baseline from the same run:
 *  1. Append: N events, each in its own transaction as actions append them, from W concurrent writers, through the
 *     real path (insert into the pending table in the caller's transaction; after commit the batched integrator
 *     sequences and chains it; then the event is published to the detection engine) — against a plain INSERT of
 *     the same rows, one transaction each, same writers, same connection pool (into a bare table, and into a copy
 *     of audit.entries with all its indexes). Reports events/s, p50/p99 commit
 *     latency (BEGIN…COMMIT, what the caller's action waits for under the audit) and p99 until sequenced and
 *     published (when `db.transaction` resolves).
 *  2. Verification (`audit verify`: chain, Merkle roots at every checkpoint, signatures) in entries/s, against raw
 *     SHA-256 over exactly the bytes each entry hash covers.
 *  3. The same with `--per-tx` events per transaction (a bulk import, or a request that writes several events).
 *  4. Integrator capacity: N committed pending rows sequenced and chained by one `integrate()`.
 * CPU per event (this process and the PostgreSQL backends) is printed beside each rate: on a machine shared with
 * other work it is steadier than the rate.
 * Usage: node bench/audit.ts [--events 20000] [--writers 64] [--checkpoint-every 2000] [--per-tx 10]
 *        (DATABASE_URL → PostgreSQL, a scratch database per run; else PGlite)
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../src/modules/audit/audit.chain.ts';
import type { EntryRow } from '../src/modules/audit/audit.repository.ts';
import { benchArgs } from './lib/args.ts';
import { cpuMeter, pct, pool, scratchCore } from './lib/harness.ts';

const {
  events: N,
  writers: W,
  checkpointEvery,
  perTx: K,
} = benchArgs({ events: 20_000, writers: 64, checkpointEvery: 2000, perTx: 10 });
const { core, cleanup } = await scratchCore();

const actors = Array.from({ length: 200 }, () => crypto.randomUUID());
const eventOf = (i: number) => ({
  action: 'vault.record.searched' as const,
  outcome: 'success' as const,
  actor: { type: 'user' as const, id: actors[i % actors.length] as string },
  ip: `203.0.113.${i % 250}`,
  requestId: crypto.randomUUID(),
  details: { criteria: ['email' as const], returned: i % 25 },
});

try {
  await core.db.execScript(
    `CREATE TABLE public.bench_plain (id bigserial PRIMARY KEY, at timestamptz NOT NULL, action text NOT NULL,
       outcome text NOT NULL, actor_type text NOT NULL, actor_id uuid, target_type text, target_id text,
       ip_hash text, request_id text, details jsonb NOT NULL)`,
  );
  const items = Array.from({ length: N }, (_, i) => i);

  // 1a. baseline: the same rows, plain INSERT, one transaction each
  const meter = await cpuMeter(core.db);
  const baseCommit: number[] = [];
  let cpu = await meter();
  const t0 = performance.now();
  await pool(items, W, async (i) => {
    const e = eventOf(i);
    const s = performance.now();
    await core.db.transaction((tx) =>
      tx.query(
        `INSERT INTO public.bench_plain (at, action, outcome, actor_type, actor_id, ip_hash, request_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          new Date(),
          e.action,
          e.outcome,
          e.actor.type,
          e.actor.id,
          core.audit.pseudonymiseIp(e.ip),
          e.requestId,
          JSON.stringify(e.details),
        ],
      ),
    );
    baseCommit.push(performance.now() - s);
  });
  const baseRate = N / ((performance.now() - t0) / 1000);
  const baseCpu = await cpu();

  // 1a'. the same rows into a copy of audit.entries with all its indexes (what appending straight into the log,
  // unchained, would cost): the share of the gap that is indexing a queryable log, not integration
  await core.db.execScript(
    `CREATE SEQUENCE public.bench_seq;
     CREATE TABLE public.bench_indexed (LIKE audit.entries INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
     ALTER TABLE public.bench_indexed ALTER COLUMN seq SET DEFAULT nextval('public.bench_seq');`,
  );
  const zero = Buffer.alloc(32);
  const idxCommit: number[] = [];
  const ti0 = performance.now();
  await pool(items, W, async (i) => {
    const e = eventOf(i);
    const s = performance.now();
    await core.db.transaction((tx) =>
      tx.query(
        `INSERT INTO public.bench_indexed (at, action, outcome, actor_type, actor_id, ip_hash, request_id, details,
                                           prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          new Date(),
          e.action,
          e.outcome,
          e.actor.type,
          e.actor.id,
          core.audit.pseudonymiseIp(e.ip),
          e.requestId,
          JSON.stringify(e.details),
          zero,
          zero,
        ],
      ),
    );
    idxCommit.push(performance.now() - s);
  });
  const idxRate = N / ((performance.now() - ti0) / 1000);

  // 1b. the audit append, with checkpoints cut meanwhile as the scheduled job would
  const commit: number[] = [];
  const sequenced: number[] = [];
  let maxPending = 0;
  let stop = false;
  const sampler = (async () => {
    while (!stop) {
      const { rows } = await core.db.query<{ n: string }>('SELECT count(*) AS n FROM audit.pending');
      maxPending = Math.max(maxPending, Number(rows[0]?.n ?? 0));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  let cuts = 0;
  cpu = await meter();
  const t1 = performance.now();
  await pool(items, W, async (i) => {
    const s = performance.now();
    await core.db.transaction(async (tx) => {
      tx.afterCommit(() => {
        commit.push(performance.now() - s);
      });
      await core.audit.append(tx, eventOf(i));
    });
    sequenced.push(performance.now() - s);
    if (i > 0 && i % checkpointEvery === 0) {
      cuts++;
      await core.checkpoints.cut();
    }
  });
  const rate = N / ((performance.now() - t1) / 1000);
  const auditCpu = await cpu();
  stop = true;
  await sampler;
  await core.checkpoints.cut();

  // 3. several events per transaction: plain multi-row INSERT against the audit append
  const txs = Array.from({ length: Math.ceil(N / K) }, (_, i) => i);
  const tb = performance.now();
  await pool(txs, W, async (j) => {
    await core.db.transaction(async (tx) => {
      for (let k = 0; k < K; k++) {
        const e = eventOf(j * K + k);
        await tx.query(
          `INSERT INTO public.bench_plain (at, action, outcome, actor_type, actor_id, ip_hash, request_id, details)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            new Date(),
            e.action,
            e.outcome,
            e.actor.type,
            e.actor.id,
            core.audit.pseudonymiseIp(e.ip),
            e.requestId,
            JSON.stringify(e.details),
          ],
        );
      }
    });
  });
  const batchBaseRate = (txs.length * K) / ((performance.now() - tb) / 1000);
  const ta = performance.now();
  await pool(txs, W, async (j) => {
    await core.db.transaction(async (tx) => {
      for (let k = 0; k < K; k++) await core.audit.append(tx, eventOf(j * K + k));
    });
  });
  const batchRate = (txs.length * K) / ((performance.now() - ta) / 1000);

  // 4. integrator capacity: rows committed by callers (one multi-row INSERT here), sequenced by one integrate()
  const capacityRows = N;
  await core.db.query(
    `INSERT INTO audit.pending (at, action, outcome, actor_type, actor_id, ip_hash, request_id, details)
     SELECT now(), 'vault.record.searched', 'success', 'user', gen_random_uuid(), md5(i::text), gen_random_uuid()::text,
            jsonb_build_object('criteria', jsonb_build_array('email'), 'returned', i % 25)
       FROM generate_series(1, $1) i`,
    [capacityRows],
  );
  const ti = performance.now();
  await core.audit.integrate();
  const integrateRate = capacityRows / ((performance.now() - ti) / 1000);
  await core.checkpoints.cut();

  // 2. verification against raw SHA-256 over the same bytes
  const v0 = performance.now();
  const result = await core.audit.verify(core.db);
  const verifyMs = performance.now() - v0;
  const verifyRate = Number(result.entries) / (verifyMs / 1000);
  const { rows } = await core.db.query<EntryRow>('SELECT * FROM audit.entries ORDER BY seq');
  const bytes = rows.map((r) =>
    Buffer.concat([
      Buffer.from('strongroom.audit.entry.v1\n'),
      r.prev_hash,
      Buffer.from(
        canonicalJson({
          seq: String(r.seq),
          at: r.at.toISOString(),
          action: r.action,
          outcome: r.outcome,
          actorType: r.actor_type,
          actorId: r.actor_id,
          targetType: r.target_type,
          targetId: r.target_id,
          ipHash: r.ip_hash,
          requestId: r.request_id,
          details: r.details,
        }),
      ),
    ]),
  );
  const h0 = performance.now();
  for (const b of bytes) createHash('sha256').update(b).digest();
  const rawRate = bytes.length / ((performance.now() - h0) / 1000);

  const f = (x: number) => x.toFixed(1);
  console.log(`audit append: ${N} events, one transaction each, ${W} concurrent writers, ${core.db.kind}`);
  console.log(
    `  baseline plain INSERT   ${baseRate.toFixed(0).padStart(7)} events/s  commit p50 ${f(pct(baseCommit, 0.5))} ms  p99 ${f(pct(baseCommit, 0.99))} ms`,
  );
  console.log(
    `  plain INSERT, log's indexes ${idxRate.toFixed(0).padStart(7)} events/s  commit p50 ${f(pct(idxCommit, 0.5))} ms  p99 ${f(pct(idxCommit, 0.99))} ms`,
  );
  console.log(
    `  audit append            ${rate.toFixed(0).padStart(7)} events/s  commit p50 ${f(pct(commit, 0.5))} ms  p99 ${f(pct(commit, 0.99))} ms`,
  );
  console.log(
    `    until sequenced+published  p50 ${f(pct(sequenced, 0.5))} ms  p99 ${f(pct(sequenced, 0.99))} ms; most pending at once ${maxPending}; ${cuts + 1} checkpoints cut meanwhile`,
  );
  const perEvent = (c: { nodeMs: number; pgMs: number }) =>
    `CPU/event node ${((c.nodeMs / N) * 1000).toFixed(0)} µs + postgres ${((c.pgMs / N) * 1000).toFixed(0)} µs`;
  console.log(`    baseline ${perEvent(baseCpu)}; audit ${perEvent(auditCpu)}`);
  console.log(
    `  ratio ${(rate / baseRate).toFixed(2)}x of plain INSERT, ${(rate / idxRate).toFixed(2)}x of plain INSERT with the log's indexes (target ≥ 5,000 events/s on PostgreSQL)`,
  );
  console.log(
    `  ${K} events per transaction: plain INSERT ${batchBaseRate.toFixed(0)} events/s, audit append ${batchRate.toFixed(0)} events/s (${(batchRate / batchBaseRate).toFixed(2)}x)`,
  );
  console.log(
    `  integrator alone: ${capacityRows} committed pending entries sequenced and chained at ${integrateRate.toFixed(0)} entries/s`,
  );
  console.log(
    `  verify ${verifyRate.toFixed(0)} entries/s (${result.entries} in ${f(verifyMs)} ms, valid=${result.valid}) vs raw SHA-256 over the same bytes ${rawRate.toFixed(0)}/s (${(verifyRate / rawRate).toFixed(2)}x)`,
  );
} finally {
  await cleanup();
}

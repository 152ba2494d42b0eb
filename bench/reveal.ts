/**
 * Reveal throughput and latency over HTTPS (DAT-04): N records ingested, then random reveals through the real
 * route (blocked-address check, session, CSRF, permission, detection's request watching, lock-down, allow-list,
 * step-up, quota counts, reveal row + audit entry in one transaction, detection rules on the event, decrypt)
 * against a same-run bare route that selects the record by primary key and decrypts with no checks.
 *
 * The reveals are spread over many signed-in owners (at most ~50 reveals each), as a team would make them: one
 * person revealing thousands of records an hour is exactly what the detection rules stop (step-up), and their
 * windows would then hold thousands of rows no real user has. Quotas are lifted (they would refuse sooner).
 * Bare and real runs alternate for --rounds rounds; the medians are reported, so a burst of load from something
 * else on the machine hits both sides alike.
 * Usage: node bench/reveal.ts [--records 100000] [--requests 2000] [--concurrency 8] [--rounds 3]
 *        (DATABASE_URL=postgres://…/strongroom_bench for PostgreSQL, else embedded PGlite)
 */
import { Readable } from 'node:stream';
import { buildApp } from '../src/app.ts';
import { createRecordCrypto } from '../src/modules/vault/index.ts';
import { fieldsOf, loadRecord } from '../src/modules/vault/vault.repository.ts';
import { generateSelfSigned } from '../src/platform/http/tls.ts';
import { benchArgs } from './lib/args.ts';
import { cpuMeter, httpsClient, pct, pool, scratchCore } from './lib/harness.ts';
import { signedInOwners } from './lib/owners.ts';

const {
  records: N,
  requests: REQUESTS,
  concurrency: C,
  rounds: ROUNDS,
} = benchArgs({ records: 100_000, requests: 2000, concurrency: 8, rounds: 3 });
const WARMUP = Math.min(500, REQUESTS);
const PER_USER = 50;
const { core, cleanup } = await scratchCore({
  STRONGROOM_REVEAL_QUOTAS: 'minute=1000000,hour=1000000,day=1000000,week_distinct=1000000',
  // the client spreads its requests over 127.0.0.0/24 with X-Forwarded-For, so the global per-address rate limit
  // (3000 a minute) does not cut the run short; one /24 is one network to session-context watching
  STRONGROOM_TRUSTED_PROXIES: '127.0.0.1/32',
});
try {
  const ownerId = (
    await core.db.query<{ id: string }>(
      `INSERT INTO vault.owners (id, name, contact_emails_sealed, created_at) VALUES (gen_random_uuid(), 'Bench', '\\x00', now()) RETURNING id`,
    )
  ).rows[0]?.id as string;
  function* lines() {
    for (let i = 0; i < N; i++) {
      yield `${JSON.stringify({ ownerId, fields: { fullName: `Person${i} Surname`, email: `p${i}@bench.example`, phone: `+4420${String(10_000_000 + i).slice(-8)}`, company: 'Bench Co', title: 'Buyer' } })}\n`;
    }
  }
  const t0 = performance.now();
  await core.ingest.ingest(
    { kind: 'host_operator' },
    Readable.from(lines()),
    { format: 'ndjson', via: 'cli' },
    { ip: '127.0.0.1', requestId: 'bench', route: 'bench' },
  );
  const ingestSeconds = (performance.now() - t0) / 1000;
  const total = WARMUP * 2 + REQUESTS * ROUNDS * 2;
  const ids = (
    await core.db.query<{ id: string }>('SELECT id FROM vault.records ORDER BY random() LIMIT $1', [total])
  ).rows.map((r) => r.id);

  const app = await buildApp(core, {
    tls: { ...(await generateSelfSigned()), selfSigned: true },
    authRateLimitPerMinute: 1_000_000,
  });
  const crypto = createRecordCrypto(core.keyring);
  // the baseline: primary-key select + decrypt, no session, no checks, no audit
  app.get('/bench/bare/:id', async (req) => {
    const row = await loadRecord(core.db, (req.params as { id: string }).id);
    if (!row) throw new Error('missing');
    return { id: row.id, fields: crypto.open(row.id, row, fieldsOf([row])) };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const call = httpsClient(port, C);

  // owners with a password and TOTP (inserted directly: enrolment is not measured here), each signed in from an
  // address of its own (bench/lib/owners.ts)
  const usersNeeded = Math.ceil((WARMUP + REQUESTS * ROUNDS) / PER_USER);
  const sessions = (await signedInOwners(core, call, usersNeeded, 'reveal')).map((o) => o.headers);

  const meter = await cpuMeter(core.db);
  let picked = 0;
  let revealed = 0;
  let sent = 0;
  const run = async (n: number, kind: 'bare' | 'real') => {
    const lat: number[] = [];
    const picks = ids.slice(picked, picked + n);
    picked += n;
    const stopCpu = await meter();
    const start = performance.now();
    await pool(picks, C, async (id) => {
      const user = kind === 'real' ? Math.floor(revealed++ / PER_USER) : 0;
      // each user keeps one address; the bare route's requests go round all of them
      const xff = { 'x-forwarded-for': `127.0.0.${1 + ((kind === 'real' ? user : sent++) % 254)}` };
      const s = performance.now();
      const r =
        kind === 'bare'
          ? await call('GET', `/bench/bare/${id}`, undefined, xff)
          : await call(
              'POST',
              `/api/v1/records/${id}/reveal`,
              { purpose: 'data_quality', justification: 'benchmark run of the reveal path' },
              { ...(sessions[user] as Record<string, string>), ...xff },
            );
      if (r.status !== 200) throw new Error(`${kind} ${id}: ${r.status} ${JSON.stringify(r.json)}`);
      lat.push(performance.now() - s);
    });
    const rate = n / ((performance.now() - start) / 1000);
    const cpu = await stopCpu();
    return { rate, p50: pct(lat, 0.5), p99: pct(lat, 0.99), nodeMs: cpu.nodeMs / n, pgMs: cpu.pgMs / n };
  };
  await run(WARMUP, 'bare');
  await run(WARMUP, 'real');
  const rounds: { bare: Awaited<ReturnType<typeof run>>; real: Awaited<ReturnType<typeof run>> }[] = [];
  for (let r = 0; r < ROUNDS; r++)
    rounds.push({ bare: await run(REQUESTS, 'bare'), real: await run(REQUESTS, 'real') });
  await app.close();

  const median = (xs: number[]) => pct(xs, 0.5);
  const m = (side: 'bare' | 'real', k: 'rate' | 'p50' | 'p99' | 'nodeMs' | 'pgMs') =>
    median(rounds.map((x) => x[side][k]));
  const cpuOf = (side: 'bare' | 'real') =>
    `${m(side, 'nodeMs').toFixed(2)} ms node${core.db.kind === 'postgres' ? ` + ${m(side, 'pgMs').toFixed(2)} ms PostgreSQL` : ''}`;
  console.log(
    `reveal over HTTPS: ${N} records (ingested at ${(N / ingestSeconds).toFixed(0)}/s), ${REQUESTS} requests × ${ROUNDS} rounds, concurrency ${C}, ${usersNeeded} users, ${core.db.kind}`,
  );
  for (const [i, x] of rounds.entries()) {
    console.log(
      `  round ${i + 1}: bare ${x.bare.rate.toFixed(0)}/s p50 ${x.bare.p50.toFixed(1)} p99 ${x.bare.p99.toFixed(1)} ms · reveal ${x.real.rate.toFixed(0)}/s p50 ${x.real.p50.toFixed(1)} p99 ${x.real.p99.toFixed(1)} ms · ${(x.bare.rate / x.real.rate).toFixed(2)}x`,
    );
  }
  console.log(
    `  bare select+decrypt   ${m('bare', 'rate').toFixed(0).padStart(6)}/s  p50 ${m('bare', 'p50').toFixed(1)} ms  p99 ${m('bare', 'p99').toFixed(1)} ms   (medians)`,
  );
  console.log(
    `  reveal (all checks)   ${m('real', 'rate').toFixed(0).padStart(6)}/s  p50 ${m('real', 'p50').toFixed(1)} ms  p99 ${m('real', 'p99').toFixed(1)} ms`,
  );
  console.log(`  CPU per request: bare ${cpuOf('bare')}; reveal ${cpuOf('real')} (node includes the HTTPS client)`);
  const ratios = rounds.map((x) => x.bare.rate / x.real.rate);
  console.log(
    `  overhead: throughput ${median(ratios).toFixed(2)}x (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')}), p50 ${(m('real', 'p50') / m('bare', 'p50')).toFixed(2)}x, p99 ${(m('real', 'p99') / m('bare', 'p99')).toFixed(2)}x (target ≤ 2x)`,
  );
} finally {
  await cleanup();
}

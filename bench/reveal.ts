/**
 * Reveal throughput and latency over HTTPS (DAT-04): N records ingested, then random reveals through the real
 * route (session, CSRF, permission, lock-down, allow-list, step-up, quota counts, reveal row + audit entry in one
 * transaction, decrypt) against a same-run bare route that selects the record by primary key and decrypts with
 * no checks. Usage: node bench/reveal.ts [N=100000] [requests=2000] [concurrency=8]
 */
import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { buildApp } from '../src/app.ts';
import { totpCode } from '../src/modules/identity/index.ts';
import { createRecordCrypto } from '../src/modules/vault/index.ts';
import { fieldsOf, loadRecord } from '../src/modules/vault/vault.repository.ts';
import { generateSelfSigned } from '../src/platform/http/tls.ts';
import { httpsClient, pct, pool, scratchCore } from './lib/harness.ts';

const N = Number(process.argv[2] ?? 100_000);
const REQUESTS = Number(process.argv[3] ?? 2000);
const C = Number(process.argv[4] ?? 8);
const { core, cleanup } = await scratchCore({
  STRONGROOM_REVEAL_QUOTAS: 'minute=1000000,hour=1000000,day=1000000,week_distinct=1000000',
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
  const ids = (await core.db.query<{ id: string }>('SELECT id FROM vault.records')).rows.map((r) => r.id);

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

  const { totpSecret } = await core.identity.createFirstOwner({
    email: 'reveal.runner@example.test',
    name: 'Bench',
    password: 'Reveal-Bench-Passphrase-3',
  });
  const login = await call('POST', '/api/v1/auth/login', {
    email: 'reveal.runner@example.test',
    password: 'Reveal-Bench-Passphrase-3',
  });
  const mfa = await call('POST', '/api/v1/auth/mfa', {
    challengeId: login.json.challengeId,
    method: 'totp',
    code: totpCode(totpSecret),
  });
  const cookie = String((mfa.headers['set-cookie'] as string[])[0]).split(';')[0] as string;
  const headers = { cookie, 'x-csrf-token': String(mfa.json.csrfToken) };

  const run = async (path: (id: string) => [string, string, unknown, Record<string, string>]) => {
    const lat: number[] = [];
    const picks = Array.from({ length: REQUESTS }, () => ids[randomInt(ids.length)] as string);
    const start = performance.now();
    await pool(picks, C, async (id) => {
      const [m, p, body, h] = path(id);
      const s = performance.now();
      const r = await call(m, p, body, h);
      if (r.status !== 200) throw new Error(`${p}: ${r.status} ${JSON.stringify(r.json)}`);
      lat.push(performance.now() - s);
    });
    return { rate: REQUESTS / ((performance.now() - start) / 1000), p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
  };
  await run((id) => ['GET', `/bench/bare/${id}`, undefined, {}]); // warm-up
  const bare = await run((id) => ['GET', `/bench/bare/${id}`, undefined, {}]);
  const real = await run((id) => [
    'POST',
    `/api/v1/records/${id}/reveal`,
    { purpose: 'data_quality', justification: 'benchmark run of the reveal path' },
    headers,
  ]);
  await app.close();
  console.log(
    `reveal over HTTPS: ${N} records (ingested at ${(N / ingestSeconds).toFixed(0)}/s), ${REQUESTS} requests, concurrency ${C}, ${core.db.kind}`,
  );
  console.log(
    `  bare select+decrypt   ${bare.rate.toFixed(0).padStart(6)}/s  p50 ${bare.p50.toFixed(1)} ms  p99 ${bare.p99.toFixed(1)} ms`,
  );
  console.log(
    `  reveal (all checks)   ${real.rate.toFixed(0).padStart(6)}/s  p50 ${real.p50.toFixed(1)} ms  p99 ${real.p99.toFixed(1)} ms`,
  );
  console.log(
    `  overhead: throughput ${(bare.rate / real.rate).toFixed(2)}x, p50 ${(real.p50 / bare.p50).toFixed(2)}x, p99 ${(real.p99 / bare.p99).toFixed(2)}x (target ≤ 2x)`,
  );
} finally {
  await cleanup();
}

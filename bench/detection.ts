/**
 * Detection and response (LOG-04, LOG-05, NET-02), each against a same-run baseline with detection off:
 *
 * 1. Event → enforced decision: while reveal traffic runs, an address tries five account names over HTTPS
 *    (X-Forwarded-For from a trusted proxy gives each trial its own address); the fifth failure is judged by
 *    `many-accounts-per-ip`, which blocks the address before the response is sent. Latency is the fifth
 *    request's round trip (the decision is committed when it returns); every trial checks that the very next
 *    request from that address is refused. Baseline: the same five requests with detection off.
 * 2. Reveal traffic with detection on vs off, alternating rounds averaged (the per-request cost: session-context
 *    and request-rate watching, plus the rules judging each reveal), spread over a team of signed-in owners
 *    (at most 25 reveals each, as people make them; bench/lib/owners.ts).
 * 3. Detection throughput: audit events appended (each in its own transaction) and judged by the engine,
 *    events/s, vs the same appends with detection off.
 *
 * Usage: node bench/detection.ts [--records 2000] [--trials 30] [--events 3000] [--concurrency 8]
 * DATABASE_URL=postgres://…/strongroom_bench selects PostgreSQL (default: embedded PGlite).
 */
import { randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.ts';
import { generateSelfSigned } from '../src/platform/http/tls.ts';
import { httpsClient, pct, pool, scratchCore } from './lib/harness.ts';
import { signedInOwners } from './lib/owners.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '2000' },
    trials: { type: 'string', default: '30' },
    events: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '8' },
  },
  strict: false,
});
const N = Number(values.records);
const TRIALS = Number(values.trials);
const EVENTS = Number(values.events);
const C = Number(values.concurrency);

const { core, cleanup } = await scratchCore({
  STRONGROOM_REVEAL_QUOTAS: 'minute=1000000,hour=1000000,day=1000000,week_distinct=1000000',
  STRONGROOM_TRUSTED_PROXIES: '127.0.0.1/32',
  STRONGROOM_REQUEST_RATE_CAP: '1000000',
});
try {
  // detection off = no rule sees any event and no request is watched (what the engine adds, removed)
  const forAction = core.detection.rules.forAction;
  const observe = core.detection.activity.observe;
  const setDetection = (on: boolean) => {
    core.detection.rules.forAction = on ? forAction : async () => [];
    core.detection.activity.observe = on ? observe : async () => false;
  };
  const ownerId = (
    await core.db.query<{ id: string }>(
      `INSERT INTO vault.owners (id, name, contact_emails_sealed, created_at) VALUES (gen_random_uuid(), 'Bench', '\\x00', now()) RETURNING id`,
    )
  ).rows[0]?.id as string;
  function* lines() {
    for (let i = 0; i < N; i++)
      yield `${JSON.stringify({ ownerId, fields: { fullName: `Person${i} Surname`, email: `p${i}@bench.example`, company: 'Bench Co' } })}\n`;
  }
  await core.ingest.ingest(
    { kind: 'host_operator' },
    Readable.from(lines()),
    { format: 'ndjson', via: 'cli' },
    { ip: '127.0.0.1', requestId: 'bench', route: 'bench' },
  );
  const ids = (await core.db.query<{ id: string }>('SELECT id FROM vault.records')).rows.map((r) => r.id);
  const app = await buildApp(core, {
    tls: { ...(await generateSelfSigned()), selfSigned: true },
    authRateLimitPerMinute: 1_000_000,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const call = httpsClient(port, C + 4);
  // reveals spread over a team of owners, at most PER_USER each, as people would make them
  const PER_USER = 25;
  const REVEALS = 600;
  const team = await signedInOwners(core, call, Math.ceil((200 + REVEALS * 4) / PER_USER) + 1, 'detect');
  const runner = { userId: (team[team.length - 1] as { userId: string }).userId } as never;
  const benchCtx = { ip: '127.0.0.1', requestId: 'bench', route: 'bench' };
  // the bench lowers spraying to five names per trial (the default is 20): the same rule, fewer requests
  await core.detection.rules.update(runner, 'many-accounts-per-ip', { threshold: 5 }, benchCtx);
  let revealNo = 0;

  const reveal = () => {
    const who = team[Math.floor(revealNo++ / PER_USER) % (team.length - 1)] as { headers: Record<string, string> };
    return call(
      'POST',
      `/api/v1/records/${ids[randomInt(ids.length)]}/reveal`,
      { purpose: 'data_quality', justification: 'benchmark run of the reveal path' },
      who.headers,
    );
  };
  const revealRun = async (n: number) => {
    const lat: number[] = [];
    const start = performance.now();
    await pool(
      Array.from({ length: n }, (_, i) => i),
      C,
      async () => {
        const s = performance.now();
        const r = await reveal();
        if (r.status !== 200) throw new Error(`reveal: ${r.status} ${JSON.stringify(r.json)}`);
        lat.push(performance.now() - s);
      },
    );
    return { rate: n / ((performance.now() - start) / 1000), p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
  };

  let trialNo = 0;
  const trials = async (on: boolean) => {
    setDetection(on);
    const lat: number[] = [];
    let enforced = 0;
    let stop = false;
    const background = (async () => {
      while (!stop) await pool([1, 2, 3, 4], C, async () => void (await reveal()));
    })();
    for (let t = 0; t < TRIALS; t++) {
      trialNo++;
      const ip = `198.18.${Math.floor(trialNo / 250)}.${trialNo % 250}`;
      const xff = { 'x-forwarded-for': ip };
      for (let i = 0; i < 4; i++)
        await call(
          'POST',
          '/api/v1/auth/login',
          { email: `t${trialNo}.${i}@x.test`, password: 'Wrong-Passw0rd!' },
          xff,
        );
      const s = performance.now();
      const fifth = await call(
        'POST',
        '/api/v1/auth/login',
        { email: `t${trialNo}.4@x.test`, password: 'Wrong-Passw0rd!' },
        xff,
      );
      lat.push(performance.now() - s);
      if (fifth.status !== 401) throw new Error(`unexpected ${fifth.status}`);
      const next = await call('GET', '/api/v1/setup/status', undefined, xff);
      if (next.status === 403) enforced++;
    }
    stop = true;
    await background;
    return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), enforced };
  };

  await revealRun(200); // warm-up
  // alternating rounds, averaged: the machine is shared and its load drifts
  const offRuns: Awaited<ReturnType<typeof revealRun>>[] = [];
  const onRuns: Awaited<ReturnType<typeof revealRun>>[] = [];
  for (let round = 0; round < 2; round++) {
    setDetection(false);
    offRuns.push(await revealRun(REVEALS / 2));
    setDetection(true);
    onRuns.push(await revealRun(REVEALS / 2));
  }
  const mean = (rs: typeof offRuns) => {
    const by = (k: 'rate' | 'p50' | 'p99') => rs.reduce((a, r) => a + r[k], 0) / rs.length;
    return { rate: by('rate'), p50: by('p50'), p99: by('p99') };
  };
  const revealOff = mean(offRuns);
  const revealOn = mean(onRuns);

  const decisionOff = await trials(false);
  const decisionOn = await trials(true);

  // 3. engine throughput: refused calls, each by a different user in its own transaction (below every
  // threshold, so each event is judged by the rules and none is responded to)
  const append = async () =>
    core.db.transaction((tx) =>
      core.audit.append(tx, {
        action: 'access.denied',
        outcome: 'denied',
        actor: { type: 'user', id: crypto.randomUUID() },
        ip: `10.9.${randomInt(250)}.${randomInt(250)}`,
        requestId: 'bench',
        details: { permission: 'audit.read', route: '/bench' },
      }),
    );
  const throughput = async (on: boolean) => {
    setDetection(on);
    const start = performance.now();
    await pool(
      Array.from({ length: EVENTS }, (_, i) => i),
      C,
      async () => void (await append()),
    );
    return EVENTS / ((performance.now() - start) / 1000);
  };
  const eventsOff = await throughput(false);
  const eventsOn = await throughput(true);
  setDetection(true);
  await app.close();

  console.log(`detection, ${core.db.kind}: ${N} records, concurrency ${C}`);
  console.log(
    `  event → enforced block (5th failed sign-in, under reveal load), ${TRIALS} trials each:\n` +
      `    detection off   p50 ${decisionOff.p50.toFixed(1)} ms  p99 ${decisionOff.p99.toFixed(1)} ms  (blocked next: ${decisionOff.enforced}/${TRIALS})\n` +
      `    detection on    p50 ${decisionOn.p50.toFixed(1)} ms  p99 ${decisionOn.p99.toFixed(1)} ms  (blocked next: ${decisionOn.enforced}/${TRIALS})\n` +
      `    ratio           p50 ${(decisionOn.p50 / decisionOff.p50).toFixed(2)}x  p99 ${(decisionOn.p99 / decisionOff.p99).toFixed(2)}x`,
  );
  console.log(
    `  reveal traffic:  off ${revealOff.rate.toFixed(0)}/s p50 ${revealOff.p50.toFixed(1)} ms p99 ${revealOff.p99.toFixed(1)} ms | ` +
      `on ${revealOn.rate.toFixed(0)}/s p50 ${revealOn.p50.toFixed(1)} ms p99 ${revealOn.p99.toFixed(1)} ms | throughput ratio ${(revealOn.rate / revealOff.rate).toFixed(2)}x`,
  );
  console.log(
    `  detection throughput: ${eventsOn.toFixed(0)} events/s judged vs ${eventsOff.toFixed(0)} events/s appended with detection off (${(eventsOn / eventsOff).toFixed(2)}x)`,
  );
} finally {
  await cleanup();
}

/**
 * Sign-in throughput at OWASP argon2id parameters (m=19 MiB, t=2, p=1), over HTTPS, against a same-run bare
 * argon2id verify loop at the same concurrency. A full sign-in = password step + TOTP step, each user signing
 * in once (a TOTP code is single-use), so the run creates one user per sign-in.
 * Usage: node bench/login.ts [--sign-ins 200] [--concurrency 4]   (DATABASE_URL → PostgreSQL, else embedded PGlite)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createCore } from '../src/core.ts';
import { totpCode } from '../src/modules/identity/index.ts';
import { hashPassword, verifyPassword } from '../src/modules/identity/passwords.ts';
import { newTotpSecret } from '../src/modules/identity/totp.ts';
import { seal } from '../src/platform/crypto/seal.ts';
import { generateSelfSigned } from '../src/platform/http/tls.ts';
import { createLogger } from '../src/platform/logger.ts';
import { benchArgs } from './lib/args.ts';

const { signIns: total, concurrency } = benchArgs({ signIns: 200, concurrency: 4 });
const PASSWORD = 'Benchmark-Sign-In-Pass-1';

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-bench-login-'));
const config = loadConfig({ ...process.env, STRONGROOM_LOG_LEVEL: 'silent' }, { dataDir: dir });
const core = await createCore(config, { logger: createLogger('silent') });
try {
  const tls = { ...(await generateSelfSigned()), selfSigned: true };
  const app = await buildApp(core, { tls, authRateLimitPerMinute: 1_000_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const sealKey = core.keyring.derive('identity.secret-seal.v1');

  // users: one hash shared (hashing is not what we measure), one TOTP secret each
  const hash = await hashPassword(PASSWORD);
  const users: { email: string; secret: string }[] = [];
  for (let i = 0; i < total; i++) {
    const id = crypto.randomUUID();
    const email = `bench-${i}-${randomBytes(3).toString('hex')}@example.test`;
    const secret = newTotpSecret();
    const at = new Date();
    await core.db.query(
      `INSERT INTO identity.users (id, email, email_normalized, name, status, created_at, activated_at, enrolled_at)
       VALUES ($1, $2, $2, 'Bench', 'active', $3, $3, $3)`,
      [id, email, at],
    );
    await core.db.query(
      `INSERT INTO identity.password_credentials (id, user_id, hash, created_at, is_current) VALUES ($1, $2, $3, $4, true)`,
      [crypto.randomUUID(), id, hash, at],
    );
    await core.db.query(
      'INSERT INTO identity.totp_credentials (id, user_id, secret_sealed, created_at) VALUES ($1, $2, $3, $4)',
      [crypto.randomUUID(), id, seal(sealKey, secret, `identity.totp:${id}`), at],
    );
    await core.db.query(
      `INSERT INTO access.role_assignments (user_id, role, granted_via, granted_at) VALUES ($1, 'analyst', 'admin', $2)`,
      [id, at],
    );
    users.push({ email, secret });
  }

  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false, maxSockets: concurrency });
  const post = (p: string, body: unknown) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port, path: p, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          let data = '';
          res.on('data', (d) => {
            data += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  // baseline: bare argon2id verifications, same count and concurrency
  const bare: number[] = [];
  const t0 = performance.now();
  await pool(users, concurrency, async () => {
    const s = performance.now();
    await verifyPassword(hash, PASSWORD);
    bare.push(performance.now() - s);
  });
  const bareSeconds = (performance.now() - t0) / 1000;

  const full: number[] = [];
  let failures = 0;
  const t1 = performance.now();
  await pool(users, concurrency, async (u) => {
    const s = performance.now();
    const login = await post('/api/v1/auth/login', { email: u.email, password: PASSWORD });
    const mfa = await post('/api/v1/auth/mfa', {
      challengeId: login.json.challengeId,
      method: 'totp',
      code: totpCode(u.secret),
    });
    if (mfa.status !== 200) failures++;
    full.push(performance.now() - s);
  });
  const fullSeconds = (performance.now() - t1) / 1000;
  await app.close();

  const cores = os.cpus().length;
  const bareRate = total / bareSeconds;
  const fullRate = total / fullSeconds;
  console.log(`sign-in benchmark: ${total} sign-ins, concurrency ${concurrency}, ${cores} cores, ${core.db.kind}`);
  console.log(
    `  bare argon2id verify   ${bareRate.toFixed(1).padStart(7)}/s  (${(bareRate / cores).toFixed(1)}/s per core)  p50 ${pct(bare, 0.5).toFixed(1)} ms  p99 ${pct(bare, 0.99).toFixed(1)} ms`,
  );
  console.log(
    `  full sign-in (HTTPS)   ${fullRate.toFixed(1).padStart(7)}/s  (${(fullRate / cores).toFixed(1)}/s per core)  p50 ${pct(full, 0.5).toFixed(1)} ms  p99 ${pct(full, 0.99).toFixed(1)} ms`,
  );
  console.log(`  ratio full/bare throughput ${(fullRate / bareRate).toFixed(2)}x; failed sign-ins: ${failures}`);
} finally {
  await core.close();
  await rm(dir, { recursive: true, force: true });
}

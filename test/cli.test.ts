/**
 * The CLI and the HTTPS server as an operator runs them: real processes, a real data directory, real TLS.
 * NET-01 (HTTPS only, TLS 1.2+), IAM-01 (init creates the one owner; a second init changes nothing),
 * LOG-02 (audit verify names a tampered row), and data-directory permissions.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/identity/index.ts';
import { findLoosePermissions } from '../src/platform/data-dir.ts';
import { cli, freePort, request, startServer } from './support/processes.ts';

const PASSWORD = 'Vault-Keeper-Phrase-42';
let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-cli-'));
  dataDir = path.join(dir, 'data');
  await writeFile(path.join(dir, 'password'), `${PASSWORD}\n`, { mode: 0o600 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('strongroom CLI and HTTPS server', () => {
  it('refuses invalid configuration with exit 2, listing every problem', async () => {
    const r = await cli(['audit', 'verify', '--data-dir', dataDir], {
      STRONGROOM_PORT: 'x',
      DATABASE_URL: 'mysql://nope',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('STRONGROOM_PORT');
    expect(r.stderr).toContain('DATABASE_URL');
  });

  it('init creates the data directory and the first owner; the TOTP secret file is 0600', async () => {
    const r = await cli([
      'init',
      '--admin-email',
      'operator@example.test',
      '--admin-password-file',
      path.join(dir, 'password'),
      '--totp-secret-file',
      path.join(dir, 'totp'),
      '--data-dir',
      dataDir,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readFile(path.join(dir, 'totp'), 'utf8')).trim()).toMatch(/^[A-Z2-7]{32}$/);
    expect((await stat(path.join(dir, 'totp'))).mode & 0o777).toBe(0o600);
    expect(r.stdout).not.toContain(PASSWORD);
  });

  it('keeps everything in the data directory private: directories 0700, files 0600', async () => {
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect(await findLoosePermissions(dataDir)).toEqual([]);
  });

  it('a second init changes nothing and exits 2 with a clear message', async () => {
    const r = await cli([
      'init',
      '--admin-email',
      'other@example.test',
      '--admin-password-file',
      path.join(dir, 'password'),
      '--totp-secret-file',
      path.join(dir, 'totp2'),
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already initialised/);
    await expect(stat(path.join(dir, 'totp2'))).rejects.toThrow();
  });

  it('audit verify passes on an intact log', async () => {
    const r = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Audit log intact: \d+ entries/);
  });

  it('LOG-02: audit export writes a bundle that audit verify --bundle checks offline; prove gives a checkable proof', async () => {
    const out = path.join(dir, 'bundle.ndjson');
    const exp = await cli(['audit', 'export', '--out', out, '--data-dir', dataDir]);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/Exported \d+ entries and 1 signed checkpoints/);
    expect((await readdir(path.join(dataDir, 'checkpoints'))).some((f) => f.endsWith('.json'))).toBe(true);
    // offline: no data directory, no server
    const offline = await cli(['audit', 'verify', '--bundle', out]);
    expect(offline.stdout).toMatch(/Bundle intact: \d+ entries, 1 signed checkpoints verified/);
    expect(offline.code).toBe(0);
    const proofFile = path.join(dir, 'proof.json');
    expect((await cli(['audit', 'prove', '--seq', '2', '--out', proofFile, '--data-dir', dataDir])).code).toBe(0);
    const ok = await cli(['audit', 'verify', '--proof', proofFile]);
    expect(ok.stdout).toMatch(/Proof valid: entry 2 is in the log/);
    const proof = JSON.parse(await readFile(proofFile, 'utf8'));
    proof.entryHash = '00'.repeat(32);
    await writeFile(proofFile, JSON.stringify(proof));
    const bad = await cli(['audit', 'verify', '--proof', proofFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/Proof NOT valid/);
    const far = await cli(['audit', 'prove', '--seq', '999999', '--data-dir', dataDir]);
    expect(far.code).toBe(2);
    expect(far.stderr).not.toMatch(/at .*\.ts/); // a clear message, no stack trace
  });

  it('serves HTTPS only (TLS 1.2+), signs in with password + TOTP, and answers the CLI through its socket', async () => {
    const port = await freePort();
    const started = performance.now();
    const server = startServer(dataDir, { STRONGROOM_PORT: String(port) });
    const out = await server.ready;
    const coldStartMs = performance.now() - started;
    try {
      expect(out).not.toContain('/setup#token='); // an owner exists: no setup link
      expect(coldStartMs).toBeGreaterThan(0);
      const ca = await readFile(path.join(dataDir, 'tls', 'cert.pem'), 'utf8');

      const health = await request(port, { path: '/healthz', ca });
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
      expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(health.headers['content-security-policy']).toContain("default-src 'self'");
      expect(health.headers['x-content-type-options']).toBe('nosniff');

      // plain HTTP on the same port gets no HTTP answer
      const plain = await new Promise<string>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) =>
          resolve(`status ${res.statusCode}`),
        );
        req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code}`));
        req.setTimeout(3000, () => req.destroy());
      });
      expect(plain).toMatch(/^error/);

      // TLS 1.1 is refused
      const tls11 = await new Promise<string>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () =>
          resolve('connected'),
        );
        s.on('error', () => resolve('refused'));
      });
      expect(tls11).toBe('refused');

      const totpSecret = (await readFile(path.join(dir, 'totp'), 'utf8')).trim();
      const login = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/login',
        ca,
        body: { email: 'operator@example.test', password: PASSWORD },
      });
      expect(login.status).toBe(200);
      const mfa = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/mfa',
        ca,
        body: { challengeId: JSON.parse(login.body).challengeId, method: 'totp', code: totpCode(totpSecret) },
      });
      expect(mfa.status).toBe(200);
      const cookie = String(mfa.headers['set-cookie']?.[0]).split(';')[0] as string;
      const me = await request(port, { path: '/api/v1/me', ca, headers: { cookie } });
      expect(JSON.parse(me.body).user.email).toBe('operator@example.test');

      const viaSocket = await cli(['audit', 'verify', '--data-dir', dataDir]);
      expect(viaSocket.code).toBe(0);
      expect(viaSocket.stdout).toMatch(/Audit log intact/);

      const second = await cli(['serve', '--data-dir', dataDir], { STRONGROOM_PORT: String(await freePort()) });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/already running/);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.stopped).toBe(0);
  });

  it('audit verify exits 1 and names the row a superuser edited after dropping the trigger', async () => {
    const db = await PGlite.create(path.join(dataDir, 'pgdata'));
    await db.exec('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
    await db.exec(`UPDATE audit.entries SET outcome = 'failure' WHERE seq = 2`);
    await db.close();
    const r = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/first bad entry seq 2 \(hash_mismatch\)/);
  });

  it('prints a one-time setup link on first start of an empty data directory', async () => {
    const fresh = path.join(dir, 'fresh');
    const port = await freePort();
    dataDir = fresh;
    const server = startServer(dataDir, { STRONGROOM_PORT: String(port) });
    try {
      const out = await server.ready;
      expect(out).toMatch(new RegExp(`https://localhost:${port}/setup#token=[A-Za-z0-9_-]{43}`));
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });
});

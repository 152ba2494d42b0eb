/**
 * IAM-04 across nodes: two server processes on the same PostgreSQL. A sign-in on node 2 ends the session made
 * on node 1, and node 1 refuses it on the very next request (every node checks the session row).
 * Runs in the PostgreSQL leg (TEST_DATABASE_URL); PGlite is single-node by design.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/identity/index.ts';
import { withDatabase } from './db-url.ts';
import { cli, freePort, request, startServer } from './support/processes.ts';

const baseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!baseUrl)('two server processes on one PostgreSQL', () => {
  const dbName = `strongroom_mn_${randomBytes(4).toString('hex')}`;
  let dir: string;
  let env: Record<string, string>;
  const servers: ReturnType<typeof startServer>[] = [];
  let ports: number[] = [];
  let session = '';

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-mn-'));
    env = {
      DATABASE_URL: withDatabase(baseUrl as string, dbName),
      STRONGROOM_ROOT_KEY: randomBytes(32).toString('base64'),
      STRONGROOM_LOG_LEVEL: 'warn',
    };
    await writeFile(path.join(dir, 'pw'), 'Two-Nodes-Share-One-DB-9\n');
    const init = await cli(
      [
        'init',
        '--admin-email',
        'multi@example.test',
        '--admin-password-file',
        path.join(dir, 'pw'),
        '--totp-secret-file',
        path.join(dir, 'totp'),
        '--data-dir',
        path.join(dir, 'n1'),
      ],
      env,
    );
    expect(init.stderr).toBe('');
  });

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.stopped));
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('IAM-04: a sign-in on node 2 ends the node-1 session, refused by node 1 on its next request', async () => {
    const p1 = await freePort();
    const p2 = await freePort();
    servers.push(startServer(path.join(dir, 'n1'), { ...env, STRONGROOM_PORT: String(p1) }));
    servers.push(startServer(path.join(dir, 'n2'), { ...env, STRONGROOM_PORT: String(p2) }));
    await Promise.all(servers.map((s) => s.ready));
    const secret = (await readFile(path.join(dir, 'totp'), 'utf8')).trim();
    const now = Date.now();
    const signIn = async (port: number, at: number) => {
      const login = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: 'multi@example.test', password: 'Two-Nodes-Share-One-DB-9' },
      });
      expect(login.status).toBe(200);
      const mfa = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/mfa',
        body: { challengeId: login.json().challengeId, method: 'totp', code: totpCode(secret, new Date(at)) },
      });
      expect(mfa.status).toBe(200);
      return String(mfa.headers['set-cookie']?.[0]).split(';')[0] as string;
    };
    // two different TOTP steps (previous and next, both inside the ±1 window) so the second is not a reuse
    const first = await signIn(p1, now - 30_000);
    expect((await request(p2, { path: '/api/v1/me', headers: { cookie: first } })).status).toBe(200);
    const second = await signIn(p2, now + 30_000);
    const old = await request(p1, { path: '/api/v1/me', headers: { cookie: first } });
    expect(old.status).toBe(401);
    expect(old.json().error?.code).toBe('auth.session_replaced');
    expect((await request(p1, { path: '/api/v1/me', headers: { cookie: second } })).status).toBe(200);
    ports = [p1, p2];
    session = second;
  });

  it('INC-03: a lock-down engaged on node 1 closes reveals on node 2 at once', async () => {
    const [p1, p2] = ports as [number, number];
    const csrf = (await request(p2, { path: '/api/v1/me', headers: { cookie: session } })).json().csrfToken as string;
    const headers = { cookie: session, 'x-csrf-token': csrf };
    const owner = await request(p2, {
      method: 'POST',
      path: '/api/v1/owners',
      headers,
      body: { name: 'Two Node Data', contactEmails: ['dpo@two.example'] },
    });
    const rec = await request(p2, {
      method: 'POST',
      path: '/api/v1/records',
      headers,
      body: { ownerId: owner.json().id, fields: { fullName: 'Nadia Twonode', company: 'Two Node Data' } },
    });
    expect(rec.status).toBe(201);
    const reveal = (port: number) =>
      request(port, {
        method: 'POST',
        path: `/api/v1/records/${rec.json().id}/reveal`,
        headers,
        body: { purpose: 'legal', justification: 'Testing two nodes under lock-down' },
      });
    expect((await reveal(p2)).status).toBe(200);
    const engaged = await request(p1, { method: 'POST', path: '/api/v1/lockdown', headers });
    expect(engaged.json()).toMatchObject({ active: true });
    const refused = await reveal(p2);
    expect(refused.json().error?.code).toBe('security.lockdown');
  });

  it('LOG-05/NET-02: a block decided on node 1 is enforced by node 2 on its next request', async () => {
    const [p1, p2] = ports as [number, number];
    expect((await request(p2, { path: '/api/v1/setup/status' })).status).toBe(200);
    // three state-changing calls without the CSRF header: refused (403) and counted as intrusion attempts
    for (let i = 0; i < 3; i++) {
      const r = await request(p1, { method: 'POST', path: '/api/v1/auth/logout', headers: { cookie: session } });
      expect(r.status).toBe(403);
    }
    const onNode2 = await request(p2, { path: '/api/v1/setup/status' });
    expect(onNode2.status).toBe(403);
    expect(onNode2.json().error?.code).toBe('security.ip_blocked');
    expect((await request(p2, { path: '/healthz' })).status).toBe(200);
  });
});

/**
 * `strongroom records import` and `strongroom keys rotate|status` as an operator runs them: through the
 * running server's socket, and directly on the data directory when no server runs (DAT-02, DAT-06).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/modules/identity/index.ts';
import { cli, freePort, request, startServer } from './support/processes.ts';

const PASSWORD = 'Import-And-Rotate-Keys-5';
let dir: string;
let dataDir: string;
let ownerId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-vault-cli-'));
  dataDir = path.join(dir, 'data');
  await writeFile(path.join(dir, 'pw'), `${PASSWORD}\n`);
  const init = await cli([
    'init',
    '--admin-email',
    'ops@example.test',
    '--admin-password-file',
    path.join(dir, 'pw'),
    '--totp-secret-file',
    path.join(dir, 'totp'),
    '--data-dir',
    dataDir,
  ]);
  expect(init.code).toBe(0);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('records import and key rotation from the CLI', () => {
  it('DAT-06/DAT-02: imports through the running server, then rotates the root key to completion', async () => {
    const port = await freePort();
    const server = startServer(dataDir, { STRONGROOM_PORT: String(port) });
    await server.ready;
    try {
      const secret = (await readFile(path.join(dir, 'totp'), 'utf8')).trim();
      const login = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: 'ops@example.test', password: PASSWORD },
      });
      const mfa = await request(port, {
        method: 'POST',
        path: '/api/v1/auth/mfa',
        body: { challengeId: login.json().challengeId, method: 'totp', code: totpCode(secret) },
      });
      const cookie = String(mfa.headers['set-cookie']?.[0]).split(';')[0] as string;
      const owner = await request(port, {
        method: 'POST',
        path: '/api/v1/owners',
        body: { name: 'Imported Co', contactEmails: ['dpo@imported.example'] },
        headers: { cookie, 'x-csrf-token': String(mfa.json().csrfToken) },
      });
      expect(owner.status).toBe(201);
      ownerId = String(owner.json().id);

      const file = path.join(dir, 'people.ndjson');
      await writeFile(
        file,
        Array.from({ length: 120 }, (_, i) =>
          JSON.stringify({
            externalRef: `p-${i}`,
            fields: { fullName: `Person Number${i}`, email: `p${i}@import.example` },
          }),
        ).join('\n'),
      );
      const imp = await cli(['records', 'import', file, '--owner', ownerId, '--data-dir', dataDir]);
      expect(imp.stderr).toContain('accepted');
      expect(imp.stdout).toMatch(/120 accepted, 0 rejected of 120 lines; sha256 [0-9a-f]{64}/);
      expect(imp.code).toBe(0);

      const before = JSON.parse((await cli(['keys', 'status', '--json', '--data-dir', dataDir])).stdout);
      expect(before).toEqual({ rotation: { state: 'idle', done: 0, total: 0 }, rootKeyVersion: 1 });
      expect((await cli(['keys', 'rotate', '--data-dir', dataDir])).stdout).toMatch(/from v1 to v2 started/);
      let status = before;
      for (let i = 0; i < 30 && (status.rotation.state !== 'idle' || status.rootKeyVersion !== 2); i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = JSON.parse((await cli(['keys', 'status', '--json', '--data-dir', dataDir])).stdout);
      }
      expect(status).toEqual({ rotation: { state: 'idle', done: 0, total: 0 }, rootKeyVersion: 2 });
      expect((await readdir(path.join(dataDir, 'keys'))).sort()).toEqual(['platform.key', 'root-v2.key']);
    } finally {
      server.child.kill('SIGTERM');
      await server.stopped;
    }
  });

  it('DAT-06: imports CSV directly when no server runs, naming the bad line (exit 1)', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, 'externalRef,fullName,email\nc-1,Ada Direct,ada@direct.example\nc-2,Bad Mail,not-an-email\n');
    const r = await cli(['records', 'import', file, '--owner', ownerId, '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 accepted, 1 rejected/);
    expect(r.stdout).toMatch(/line 3: vault\.field_invalid/);
    expect(r.stdout).not.toContain('not-an-email');
  });
});

/**
 * Attacks on the vault's storage (DAT-01, DAT-02, DAT-05) with the embedded database on disk, as `npm start`
 * runs it: planted markers must not appear in clear in the log, the audit rows, any table, or any file of the
 * data directory; tampered or swapped ciphertext is an error, never garbage; an interrupted rotation resumes.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, sessionCookieOf } from '../../../test/app.ts';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { type Core, createCore } from '../../core.ts';
import { createLogger } from '../../platform/logger.ts';
import { totpCode } from '../identity/index.ts';

const MARK = `Zq${Date.now().toString(36)}x`;
const marker = {
  fullName: `Marker${MARK} Person`,
  email: `mark.${MARK.toLowerCase()}@planted.example`,
  phone: '+44 20 7946 0958',
  company: `Plantco${MARK}`,
  address: `${MARK} Lane 7`,
  notes: `secret-note-${MARK}`,
};
const needles = [`Marker${MARK}`, MARK.toLowerCase(), `Plantco${MARK}`, `secret-note-${MARK}`, '2079460958'];

let dir: string;
const logLines: string[] = [];

async function boot(): Promise<{ core: Core; app: FastifyInstance }> {
  const sink = new Writable({
    write(chunk, _e, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  const core = await createCore(loadConfig({ STRONGROOM_LOG_LEVEL: 'info' }, { dataDir: dir }), {
    logger: createLogger('info', sink),
  });
  const app = await buildApp(core, { webDir: path.join(dir, 'no-web') });
  await app.ready();
  return { core, app };
}

async function walk(d: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe('vault storage attacks (embedded database on disk)', () => {
  it('DAT-05: planted values never appear in clear in the log, audit rows, any table or any file on disk', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-dat05-'));
    let { core, app } = await boot();
    const { userId, totpSecret } = await core.identity.createFirstOwner({
      email: 'dat05@example.test',
      name: 'Owner',
      password: STRONG_PASSWORD,
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'dat05@example.test', password: STRONG_PASSWORD },
    });
    const mfa = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/mfa',
      payload: { challengeId: login.json().challengeId, method: 'totp', code: totpCode(totpSecret) },
    });
    const h = { cookie: sessionCookieOf(mfa), 'x-csrf-token': mfa.json().csrfToken };
    const ownerId = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/owners',
        headers: h,
        payload: { name: 'Planted', contactEmails: ['dpo@planted.example'] },
      })
    ).json().id;
    // ingest: one by API, many by bulk (so rotation has work), then search, reveal, rotate, delete
    const one = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: h,
      payload: { ownerId, externalRef: `ref-${MARK}`, fields: marker },
    });
    expect(one.statusCode).toBe(201);
    const bulk = Array.from({ length: 450 }, (_, i) =>
      JSON.stringify({
        ownerId,
        fields: { fullName: `Bulk${MARK} N${i}`, email: `b${i}.${MARK.toLowerCase()}@planted.example` },
      }),
    ).join('\n');
    const b = await app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { ...h, 'content-type': 'application/x-ndjson' },
      payload: bulk,
    });
    expect(b.json().accepted).toBe(450);
    const found = await app.inject({
      method: 'GET',
      url: `/api/v1/records?email=${encodeURIComponent(marker.email)}`,
      headers: h,
    });
    expect(found.json().items).toHaveLength(1);
    const id = found.json().items[0].id;
    const shown = await app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/reveal`,
      headers: h,
      payload: { purpose: 'data_quality', justification: `checking ${MARK} quality` },
    });
    expect(shown.json().fields.notes).toBe(marker.notes);

    // rotation interrupted after one batch ("crash"), resumed by a new process on the same data directory
    await core.keyRotation.start({ type: 'user', id: userId });
    expect(await core.keyRotation.step()).toBe(true);
    const mid = await core.keyRotation.status();
    expect(mid.rotation).toMatchObject({ state: 'running', done: 200 });
    await app.close();
    await core.close();
    ({ core, app } = await boot());
    expect((await core.keyRotation.status()).rotation).toMatchObject({ state: 'running', done: 200, total: 451 });
    await core.keyRotation.runToCompletion();
    expect((await core.keyRotation.status()).rotation.state).toBe('idle');
    const row = (
      await core.db.query<{ dek_wrapped: Buffer; kek_version: number; dek_version: number }>(
        'SELECT dek_wrapped, kek_version, dek_version FROM vault.records WHERE id = $1',
        [id],
      )
    ).rows[0];
    const { loadRecord, fieldsOf } = await import('./vault.repository.ts');
    const fields = fieldsOf([(await loadRecord(core.db, id)) as never]);
    expect(row?.kek_version).toBe(2);

    // tampering: a flipped byte and a ciphertext moved to another record both fail as errors, never garbage
    const crypto = (await import('./record-crypto.ts')).createRecordCrypto(core.keyring);
    const flipped = fields.map((f) =>
      f.field === 'email' ? { ...f, ciphertext: Buffer.from(f.ciphertext.map((x, i) => (i === 20 ? x ^ 1 : x))) } : f,
    );
    expect(() => crypto.open(id, row as never, flipped)).toThrow(
      expect.objectContaining({ code: 'crypto.integrity_failure' }),
    );
    const other = (
      await core.db.query<{ id: string; dek_wrapped: Buffer; kek_version: number; dek_version: number }>(
        'SELECT id, dek_wrapped, kek_version, dek_version FROM vault.records WHERE id <> $1 AND shredded_at IS NULL LIMIT 1',
        [id],
      )
    ).rows[0];
    expect(() => crypto.open(other?.id as string, other as never, fields)).toThrow(
      expect.objectContaining({ code: 'crypto.integrity_failure' }),
    );
    const emailField = fields.find((f) => f.field === 'email');
    const names = fields.map((f) => f.field);
    await core.db.query('UPDATE vault.records SET field_ciphertexts[$2] = $3 WHERE id = $1', [
      id,
      names.indexOf('email') + 1,
      Buffer.from((emailField?.ciphertext ?? Buffer.alloc(0)).map((x, i) => (i === 20 ? x ^ 1 : x))),
    ]);
    const h2 = await (async () => {
      const l = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'dat05@example.test', password: STRONG_PASSWORD },
      });
      const m = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/mfa',
        payload: {
          challengeId: l.json().challengeId,
          method: 'totp',
          code: totpCode(totpSecret, new Date(Date.now() + 30_000)),
        },
      });
      return { cookie: sessionCookieOf(m), 'x-csrf-token': m.json().csrfToken };
    })();
    const broken = await app.inject({
      method: 'POST',
      url: `/api/v1/records/${id}/reveal`,
      headers: h2,
      payload: { purpose: 'data_quality', justification: 'after tampering, expect an error' },
    });
    expect(broken.statusCode).toBe(500);
    expect(broken.json().error.code).toBe('crypto.integrity_failure');
    expect(broken.body).not.toContain(MARK);

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/records/${id}`, headers: h2 })).statusCode).toBe(204);

    // every table of every schema, as text
    const tables = (
      await core.db.query<{ s: string; t: string }>(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_schema IN ('identity', 'access', 'audit', 'notifications', 'vault') AND table_type = 'BASE TABLE'`,
      )
    ).rows;
    let dump = '';
    for (const { s, t } of tables) dump += JSON.stringify((await core.db.query(`SELECT * FROM ${s}.${t}`)).rows);
    await core.db.query('CHECKPOINT');
    await app.close();
    await core.close();

    // positive controls: the scans do see what is stored in clear (a data owner's company name)
    expect(dump).toContain('Planted');
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(500);
    for (const n of needles) {
      expect(log, `log contains ${n}`).not.toContain(n);
      expect(dump, `a table contains ${n}`).not.toContain(n);
    }
    // the data directory's files, byte for byte (tables, WAL, keys, certificates)
    const files = await walk(dir);
    expect(files.length).toBeGreaterThan(100);
    let scanned = 0;
    let controlSeen = false;
    for (const f of files) {
      if ((await stat(f)).size > 64 * 1024 * 1024) continue;
      const bytes = await readFile(f);
      scanned += bytes.length;
      controlSeen ||= bytes.includes(Buffer.from('Planted'));
      for (const n of needles)
        expect(bytes.includes(Buffer.from(n)), `${path.relative(dir, f)} contains ${n}`).toBe(false);
    }
    expect(scanned).toBeGreaterThan(1_000_000);
    expect(controlSeen, 'the scan found the clear-text control value on disk').toBe(true);
  }, 120_000);
});

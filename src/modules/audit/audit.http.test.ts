/**
 * The audit HTTP API (LOG-01, LOG-02): filters, the status with the latest checkpoint's fingerprint, the bundle
 * download (permission-guarded, itself audited, verifiable offline), and the auditor's checkpoint mail through a
 * real SMTP server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createEnrolledUser,
  createOwner,
  createTestApp,
  type SignedIn,
  signIn,
  type TestApp,
} from '../../../test/app.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import { loadConfig } from '../../config.ts';
import { ConfigError } from '../../platform/errors.ts';
import { verifyBundle } from './index.ts';

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let rejecting = false;
let dir: string;
let owner: SignedIn;
let analyst: SignedIn;

beforeAll(async () => {
  smtp = await startSmtp({ reject: () => rejecting });
  t = await createTestApp({
    STRONGROOM_SMTP_URL: smtp.url,
    STRONGROOM_MAIL_FROM: 'vault@example.test',
    STRONGROOM_AUDIT_CHECKPOINT_EMAIL: 'auditor@outside.example',
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-audit-http-'));
  const o = await createOwner(t);
  owner = await signIn(t, o);
  const a = await createEnrolledUser(t, owner, { email: 'analyst@example.test', roles: ['analyst'] });
  analyst = await signIn(t, a);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe('audit API (LOG-01, LOG-02)', () => {
  it('filters by actor, outcome and time range, newest first', async () => {
    const http = api(t);
    const mine = await http.get(`/api/v1/audit/events?actorId=${owner.userId}&limit=500`, owner);
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { actorId: string; seq: number; at: string; outcome: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.actorId === owner.userId)).toBe(true);
    const failed = await http.get('/api/v1/audit/events?outcome=failure', owner);
    expect((failed.json().items as { outcome: string }[]).every((i) => i.outcome === 'failure')).toBe(true);
    const at = items[items.length - 1]?.at as string;
    const from = new Date(new Date(at).getTime() + 1).toISOString();
    const later = await http.get(`/api/v1/audit/events?actorId=${owner.userId}&from=${from}&limit=500`, owner);
    expect((later.json().items as { at: string }[]).every((i) => i.at >= from)).toBe(true);
    const before = await http.get(`/api/v1/audit/events?to=${encodeURIComponent(at)}&limit=500`, owner);
    expect((before.json().items as { at: string }[]).every((i) => i.at < at)).toBe(true);
    expect((await http.get('/api/v1/audit/events?from=yesterday', owner)).statusCode).toBe(400);
  });

  it('the status shows the latest signed checkpoint with its fingerprint, the lag and the retention window', async () => {
    const cut = await t.core.checkpoints.cut();
    const r = await api(t).get('/api/v1/audit/status', owner);
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.latestCheckpoint).toMatchObject({
      body: { treeSize: cut?.body.treeSize, rootHash: cut?.body.rootHash, keyId: cut?.body.keyId },
      fingerprint: cut?.fingerprint,
    });
    expect(s.latestCheckpoint.fingerprint).toMatch(/^[0-9A-F]{4}( [0-9A-F]{4}){9}$/);
    expect(s.retention).toMatchObject({ days: 180, prunedThrough: 0, lastPrunedAt: null });
    expect(s.pending).toBe(0);
    expect(s.checkpointEmail).toBe(true);
  });

  it('exports a bundle that verifies offline; the download is audited', async () => {
    const r = await api(t).get('/api/v1/audit/export', owner);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="strongroom-audit-.*\.ndjson"$/);
    expect(r.headers['cache-control']).toBe('no-store');
    const file = path.join(dir, 'download.ndjson');
    await writeFile(file, r.rawPayload);
    const v = await verifyBundle(file);
    expect(v).toMatchObject({ valid: true });
    const { rows } = await t.core.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM audit.entries WHERE action = 'audit.log.exported'`,
    );
    expect(rows).toEqual([{ actor_id: owner.userId, details: expect.objectContaining({ via: 'api' }) }]);
    expect(rows[0]?.details.entries).toBe(v.valid ? v.entries : -1);
  });

  it('the OpenAPI document describes the audit routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/audit/events', '/api/v1/audit/verify', '/api/v1/audit/status', '/api/v1/audit/export']) {
      expect(doc.paths[p]?.get, p).toBeDefined();
    }
    const params = (doc.paths['/api/v1/audit/events'].get.parameters as { name: string }[]).map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['action', 'outcome', 'actorId', 'from', 'to', 'limit', 'before']));
  });
  it('only holders of audit.read see the log; only audit.export downloads it (the refusals are audited)', async () => {
    const http = api(t);
    // two refusals only: a third within five minutes would lock the analyst and block the address (LOG-05)
    for (const url of ['/api/v1/audit/events', '/api/v1/audit/export']) {
      const r = await http.get(url, analyst);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('access.denied');
    }
    expect((await http.get('/api/v1/audit/export')).statusCode).toBe(401);
    const refused = await t.core.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit.entries WHERE action = 'access.denied' AND actor_id = $1`,
      [analyst.userId],
    );
    expect(refused.rows[0]?.n).toBe(2);
  });
});

describe('checkpoints mailed to an outside auditor (LOG-02)', () => {
  it('each signed checkpoint reaches the auditor once, with its JSON and fingerprint; failures retry', async () => {
    await t.core.checkpointMail.deliverDue(); // whatever earlier cuts left
    const before = smtp.received.length;
    await api(t).get('/api/v1/audit/events?limit=1', owner); // a new entry, so a new checkpoint
    const cp = await t.core.checkpoints.cut();
    expect(cp).toBeDefined();
    rejecting = true;
    expect(await t.core.checkpointMail.deliverDue()).toBe(0);
    rejecting = false;
    expect(await t.core.checkpointMail.deliverDue()).toBe(0); // back-off
    t.clock.advance(3000);
    expect(await t.core.checkpointMail.deliverDue()).toBe(1);
    expect(await t.core.checkpointMail.deliverDue()).toBe(0); // never twice
    const mail = smtp.received.slice(before);
    expect(mail).toHaveLength(1);
    expect(mail[0]?.to).toEqual(['auditor@outside.example']);
    const raw = (mail[0]?.raw ?? '').replace(/=\r?\n/g, '');
    expect(raw).toContain(`Fingerprint:         ${cp?.fingerprint}`);
    expect(raw).toContain(cp?.body.rootHash);
    expect(raw).toContain('-----BEGIN STRONGROOM CHECKPOINT-----');
    expect(raw).toContain(cp?.signature.slice(0, 40));
    // the address is configuration: it is in no table
    const tables = JSON.stringify(await t.testDb.superuser('SELECT * FROM audit.checkpoint_notices'));
    expect(tables).not.toContain('auditor@outside.example');
  });
});

describe('retention configuration (LOG-03)', () => {
  it('defaults to 180 days and refuses a window outside 90–180 days, listing the problem', () => {
    expect(loadConfig({}).audit.retentionDays).toBe(180);
    expect(loadConfig({ STRONGROOM_AUDIT_RETENTION_DAYS: '90' }).audit.retentionDays).toBe(90);
    for (const [v, msg] of [
      ['89', /at least 90 days/],
      ['181', /at most 180 days/],
      ['ninety', /whole number/],
    ] as const) {
      try {
        loadConfig({ STRONGROOM_AUDIT_RETENTION_DAYS: v, STRONGROOM_AUDIT_CHECKPOINT_EMAIL: 'not-an-address' });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        const problems = (err as ConfigError).problems.join('\n');
        expect(problems).toMatch(new RegExp(`STRONGROOM_AUDIT_RETENTION_DAYS: .*${msg.source}`));
        expect(problems).toMatch(/STRONGROOM_AUDIT_CHECKPOINT_EMAIL/);
      }
    }
  });

  it('the CLI exits 2 and names the variable', () => {
    const r = spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../main.ts'), 'audit', 'verify'], {
      env: { ...process.env, STRONGROOM_AUDIT_RETENTION_DAYS: '365' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/STRONGROOM_AUDIT_RETENTION_DAYS: must be at most 180 days/);
  });
});

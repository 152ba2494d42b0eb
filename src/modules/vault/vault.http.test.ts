/**
 * The vault through the real HTTP stack on a real database: encrypted ingest (single, bulk, service token),
 * masked search, one-record reveal and every check in front of it, canaries, crypto-shredding and rotation.
 * Test names cite the controls they attack.
 */
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

let t: TestApp;
let http: ReturnType<typeof api>;
let owner: Awaited<ReturnType<typeof createOwner>>;
let o: SignedIn;
let ownerB: Awaited<ReturnType<typeof createEnrolledUser>>;
let dataOwner: string;
let otherDataOwner: string;

const person = {
  fullName: 'Petra Quillfeather',
  email: 'petra.quillfeather@lumen.example',
  phone: '+46 70 123 45 67',
  company: 'Lumen Analytics',
  title: 'Head of Data',
  address: '12 Harbour Street, Gothenburg',
};
const reveal = (id: string, s: SignedIn, purpose = 'customer_request') =>
  http.post(`/api/v1/records/${id}/reveal`, { purpose, justification: 'Customer asked for a copy of their data' }, s);

beforeAll(async () => {
  t = await createTestApp({
    STRONGROOM_REVEAL_QUOTAS: 'minute=3,hour=100,day=100,week_distinct=100',
    STRONGROOM_BULK_MAX_BYTES: '8192',
  });
  http = api(t);
  owner = await createOwner(t, 'vault.owner@example.test');
  o = await signIn(t, owner);
  ownerB = await createEnrolledUser(t, o, { email: 'second.owner@example.test', roles: ['owner'] });
  o = await signIn(t, owner);
  const d1 = await http.post('/api/v1/owners', { name: 'Acme Data Ltd', contactEmails: ['dpo@acme.example'] }, o);
  expect(d1.statusCode).toBe(201);
  dataOwner = d1.json().id;
  otherDataOwner = (
    await http.post('/api/v1/owners', { name: 'Other Co', contactEmails: ['x@other.example'] }, o)
  ).json().id;
});
afterAll(() => t.close());

describe('ingest (DAT-06, DAT-09)', () => {
  it('DAT-06: a record is stored encrypted and is idempotent by (ownerId, externalRef)', async () => {
    const first = await http.post('/api/v1/records', { ownerId: dataOwner, externalRef: 'crm-1', fields: person }, o);
    expect(first.statusCode).toBe(201);
    const again = await http.post('/api/v1/records', { ownerId: dataOwner, externalRef: 'crm-1', fields: person }, o);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const dump = JSON.stringify(await t.testDb.superuser('SELECT * FROM vault.records'));
    expect(dump).not.toContain('petra');
    expect(dump).not.toContain('Quillfeather');
  });

  it('refuses unknown fields, invalid values (without echoing them) and unknown owners', async () => {
    const bad = await http.post('/api/v1/records', { ownerId: dataOwner, fields: { email: 'not-an-email@@x' } }, o);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('not-an-email');
    const unknown = await http.post('/api/v1/records', { ownerId: dataOwner, fields: { shoeSize: '44' } }, o);
    expect(unknown.json().error.code).toBe('vault.unknown_field');
    const noOwner = await http.post('/api/v1/records', { ownerId: crypto.randomUUID(), fields: person }, o);
    expect(noOwner.statusCode).toBe(404);
  });

  it('DAT-06: a service token ingests over HTTPS with Bearer, no session and no CSRF', async () => {
    const tok = await http.post(
      '/api/v1/service-tokens',
      { name: 'feed', scopes: ['records.write'], allowedCidrs: ['127.0.0.1/32'] },
      o,
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: `Bearer ${tok.json().token}` },
      payload: { ownerId: dataOwner, fields: { fullName: 'Service Fed', email: 'fed@feed.example' } },
    });
    expect(r.statusCode).toBe(201);
    const badToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: { authorization: 'Bearer srt_nope' },
      payload: { ownerId: dataOwner, fields: { fullName: 'X Y' } },
    });
    expect(badToken.statusCode).toBe(401);
  });

  it('DAT-06: bulk NDJSON reports per-line errors counted from 1 and a SHA-256 of the upload', async () => {
    const lines = [
      JSON.stringify({
        ownerId: dataOwner,
        externalRef: 'b-1',
        fields: { fullName: 'Bulk One', email: 'one@bulk.example' },
      }),
      '{not json',
      JSON.stringify({ ownerId: dataOwner, fields: { email: 'broken' } }),
      JSON.stringify({
        ownerId: dataOwner,
        externalRef: 'b-2',
        fields: { fullName: 'Bulk Two', phone: '+1 202 555 0111' },
      }),
    ].join('\n');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'application/x-ndjson' },
      payload: lines,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().accepted).toBe(2);
    expect(r.json().rejected.map((x: { line: number }) => x.line)).toEqual([2, 3]);
    expect(r.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    const progress = await http.get(`/api/v1/ingests/${r.json().ingestId}`, o);
    expect(progress.json()).toMatchObject({ status: 'finished', lines: 4, accepted: 2, rejected: 2 });
  });

  it('DAT-06: bulk NDJSON sent as text/plain is accepted too', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'text/plain; charset=utf-8' },
      payload: JSON.stringify({ ownerId: dataOwner, fields: { fullName: 'Plain Text' } }),
    });
    expect(r.json()).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('DAT-06: an upload over the size cap is refused with 413 and the upload is marked failed', async () => {
    const line = JSON.stringify({ ownerId: dataOwner, fields: { fullName: 'Too Many', company: 'Oversize Ltd' } });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'application/x-ndjson' },
      payload: Array.from({ length: 200 }, () => line).join('\n'),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('vault.upload_too_large');
    const failed = (await t.testDb.superuser(`SELECT count(*) AS n FROM vault.ingests WHERE status = 'failed'`)) as {
      n: string;
    }[];
    expect(Number(failed[0]?.n)).toBe(1);
  });

  it("an upload's progress is visible to whoever started it, not to another writer", async () => {
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify({ ownerId: dataOwner, fields: { fullName: 'Progress Owner' } }),
    });
    const tok = await http.post(
      '/api/v1/service-tokens',
      { name: 'other feed', scopes: ['records.write'], allowedCidrs: ['127.0.0.1/32'] },
      o,
    );
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/ingests/${mine.json().ingestId}`,
      headers: { authorization: `Bearer ${tok.json().token}` },
    });
    expect(other.statusCode).toBe(404);
    expect((await http.get(`/api/v1/ingests/${mine.json().ingestId}`, o)).statusCode).toBe(200);
  });

  it('DAT-06: bulk CSV with quoted commas and newlines', async () => {
    const csv =
      'externalRef,fullName,company,notes\r\nc-1,"Doe, Jane","Acme ""Labs""","line one\nline two"\r\nc-2,John Roe,,\r\n';
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/bulk?ownerId=${dataOwner}`,
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(r.json()).toMatchObject({ accepted: 2, rejected: [] });
  });
});

describe('masked search (DAT-03, DAT-04)', () => {
  it('DAT-04: finds by email, phone and name tokens but answers masked values only', async () => {
    for (const url of [
      `/api/v1/records?email=${encodeURIComponent('PETRA.Quillfeather@lumen.example')}`,
      `/api/v1/records?phone=${encodeURIComponent('+46701234567')}`,
      '/api/v1/records?q=quillfeather',
    ]) {
      const r = await http.get(url, o);
      expect(r.statusCode).toBe(200);
      expect(r.headers['cache-control']).toBe('no-store');
      const items = r.json().items;
      expect(items).toHaveLength(1);
      const body = JSON.stringify(items);
      for (const secret of ['Petra', 'Quillfeather', 'petra.quillfeather', 'lumen', '1234567', 'Harbour']) {
        expect(body).not.toContain(secret);
      }
      expect(items[0].masked.email).toBe('p***@l***.example');
    }
  });

  it('DAT-03: refuses an empty or too-broad query', async () => {
    expect((await http.get('/api/v1/records', o)).json().error.code).toBe('vault.query_required');
    expect((await http.get('/api/v1/records?q=a', o)).json().error.code).toBe('vault.query_too_broad');
  });

  it('DAT-04: never more than 25 results, no total', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ ownerId: dataOwner, fields: { fullName: `Many Smith${i}`, company: 'Widespread Corp' } }),
    ).join('\n');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/records/bulk',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf, 'content-type': 'application/x-ndjson' },
      payload: lines,
    });
    const r = await http.get('/api/v1/records?q=widespread', o);
    expect(r.json().items).toHaveLength(25);
    expect(Object.keys(r.json())).toEqual(['items']);
  });
});

describe('reveal one record (DAT-04, IAM-08, IAM-13)', () => {
  let recordId: string;
  beforeAll(async () => {
    recordId = (await http.get('/api/v1/records?q=quillfeather', o)).json().items[0].id;
  });

  it('DAT-04: reveals one record with a purpose, no-store, audited with the purpose and never the data', async () => {
    const r = await reveal(recordId, o);
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.json().fields).toMatchObject({
      email: 'petra.quillfeather@lumen.example',
      fullName: 'Petra Quillfeather',
    });
    const rows = JSON.stringify(
      await t.testDb.superuser("SELECT * FROM audit.entries WHERE action = 'vault.record.revealed'"),
    );
    expect(rows).toContain('customer_request');
    expect(rows).not.toContain('Quillfeather');
    expect(rows).not.toContain('Customer asked'); // the justification is sealed in vault.reveals, not audited
  });

  it('DAT-04: refuses a reveal without a purpose or with a short justification', async () => {
    const none = await http.post(`/api/v1/records/${recordId}/reveal`, { justification: 'long enough text here' }, o);
    expect(none.statusCode).toBe(400);
    const short = await http.post(
      `/api/v1/records/${recordId}/reveal`,
      { purpose: 'legal', justification: 'short' },
      o,
    );
    expect(short.statusCode).toBe(400);
  });

  it('IAM-08: an analyst without a grant is refused; with a grant for another owner the record does not exist', async () => {
    const analyst = await createEnrolledUser(t, o, {
      email: 'analyst@example.test',
      roles: ['analyst'],
      approver: await signIn(t, ownerB),
    });
    o = await signIn(t, owner);
    const a = await signIn(t, analyst);
    expect((await reveal(recordId, a)).statusCode).toBe(403);
    const g = await http.post(
      `/api/v1/users/${analyst.userId}/grants`,
      { permission: 'records.reveal', ownerIds: [otherDataOwner] },
      o,
    );
    const b = await signIn(t, ownerB);
    expect((await http.post(`/api/v1/grants/${g.json().id}/approve`, undefined, b)).statusCode).toBe(200);
    const a2 = await signIn(t, analyst);
    const scoped = await reveal(recordId, a2);
    expect(scoped.statusCode).toBe(404);
    o = await signIn(t, owner);
  });

  it('IAM-13: a reveal from a non-allow-listed IP is refused', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/records/${recordId}/reveal`,
      remoteAddress: '203.0.113.50',
      headers: { cookie: o.cookie, 'x-csrf-token': o.csrf },
      payload: { purpose: 'legal', justification: 'Court order received today' },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('access.ip_not_allowed');
  });

  it('DAT-04: a reveal needs a recent second factor (step-up)', async () => {
    t.clock.advance(t.core.config.session.stepUpMaxAgeSeconds * 1000 + 1000);
    const stale = await reveal(recordId, o);
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error.code).toBe('auth.step_up_required');
    o = await signIn(t, owner);
  });

  it('DAT-04: quotas per minute are enforced (429 vault.quota_exceeded)', async () => {
    t.clock.advance(61_000);
    o = await signIn(t, owner);
    for (let i = 0; i < 3; i++) expect((await reveal(recordId, o)).statusCode).toBe(200);
    const over = await reveal(recordId, o);
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('vault.quota_exceeded');
    t.clock.advance(61_000);
    o = await signIn(t, owner);
  });
});

describe('canaries (LOG-04, LOG-05)', () => {
  it('LOG-05: revealing a canary locks the account before its next request', async () => {
    const count = async () =>
      ((await http.get('/api/v1/owners', o)).json().items as { id: string; records: number }[]).find(
        (x) => x.id === dataOwner,
      )?.records;
    const before = await count();
    const c = await http.post('/api/v1/canaries', { ownerId: dataOwner }, o);
    expect(c.statusCode).toBe(201);
    expect(await count()).toBe(before); // a canary does not show in the owner's record count either
    const analyst = await createEnrolledUser(t, o, {
      email: 'curious@example.test',
      roles: ['analyst'],
      approver: await signIn(t, ownerB),
    });
    o = await signIn(t, owner);
    const g = await http.post(`/api/v1/users/${analyst.userId}/grants`, { permission: 'records.reveal' }, o);
    await http.post(`/api/v1/grants/${g.json().id}/approve`, undefined, await signIn(t, ownerB));
    o = await signIn(t, owner);
    const a = await signIn(t, analyst);
    // the analyst works from another address of the private network, so blocking it leaves the owner's alone
    const from = (url: string, method: 'GET' | 'POST', payload?: Record<string, unknown>, ip = '10.9.9.9') =>
      t.app.inject({ method, url, payload, remoteAddress: ip, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    const seen = await from(`/api/v1/records/${c.json().id}/reveal`, 'POST', {
      purpose: 'customer_request',
      justification: 'Customer asked for a copy of their data',
    });
    expect(seen.statusCode).toBe(200); // looks like any record to the person who took the bait
    const blocked = await from('/api/v1/me', 'GET');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('security.ip_blocked');
    const elsewhere = await from('/api/v1/me', 'GET', undefined, '10.9.9.10');
    expect(elsewhere.statusCode).toBe(401); // the account is locked wherever it comes from
    const critical = (await t.testDb.superuser(
      `SELECT severity, rule FROM detection.alerts WHERE rule = 'canary-touched'`,
    )) as { severity: string }[];
    expect(critical).toEqual([{ severity: 'critical', rule: 'canary-touched' }]);
    const actions = (await t.testDb.superuser(
      `SELECT action FROM audit.entries WHERE action IN ('vault.canary.touched', 'identity.account.locked') ORDER BY seq`,
    )) as { action: string }[];
    // locked once, in the reveal's own transaction; the detection response finds it already locked
    expect(actions.map((x) => x.action)).toEqual(['vault.canary.touched', 'identity.account.locked']);
  });
});

describe('crypto-shredding and key rotation (DAT-02, DAT-07)', () => {
  it('DAT-02: a rotation re-wraps every data key, rebuilds indexes, retires the old key, and data stays readable', async () => {
    const before = await t.core.keyRotation.status();
    const started = await http.post('/api/v1/keys/rotate', undefined, o);
    expect(started.statusCode).toBe(202);
    const mid = await t.core.keyRotation.status();
    expect(mid.rotation.state).toBe('running');
    expect(mid.rotation.total).toBeGreaterThan(30);
    await t.core.keyRotation.runToCompletion();
    const after = await t.core.keyRotation.status();
    expect(after).toMatchObject({ rotation: { state: 'idle' }, rootKeyVersion: before.rootKeyVersion + 1 });
    expect(after.versionsInUse).toEqual([before.rootKeyVersion + 1]);
    const found = (await http.get('/api/v1/records?q=quillfeather', o)).json().items;
    expect(found).toHaveLength(1);
    expect((await reveal(found[0].id, o)).json().fields.fullName).toBe('Petra Quillfeather');
    const versions = (await t.testDb.superuser(
      'SELECT DISTINCT kek_version FROM vault.records WHERE shredded_at IS NULL',
    )) as {
      kek_version: number;
    }[];
    expect(versions).toEqual([{ kek_version: before.rootKeyVersion + 1 }]);
  });

  it('DAT-07: a shredded record is gone: no data key, no ciphertext, no index; reveal and search answer not found', async () => {
    const id = (await http.get('/api/v1/records?q=quillfeather', o)).json().items[0].id;
    expect((await http.del(`/api/v1/records/${id}`, o)).statusCode).toBe(204);
    expect((await reveal(id, o)).statusCode).toBe(404);
    expect((await http.get('/api/v1/records?q=quillfeather', o)).json().items).toHaveLength(0);
    const rest = (await t.testDb.superuser(
      `SELECT dek_wrapped IS NULL AS key_gone, field_ciphertexts IS NULL AS data_gone, bidx IS NULL AS index_gone,
              external_ref_idx IS NULL AS ref_gone, shredded_at IS NOT NULL AS tombstone
         FROM vault.records WHERE id = $1`,
      [id],
    )) as Record<string, boolean>[];
    expect(rest[0]).toEqual({ key_gone: true, data_gone: true, index_gone: true, ref_gone: true, tombstone: true });
    expect((await http.del(`/api/v1/records/${id}`, o)).statusCode).toBe(404);
  });
});

/**
 * The reveal's checks read in one query (allow-list entries, the record, quota counts): each still decides as
 * before. IAM-13 with a person's own allow-list narrowing the global one; DAT-04's weekly distinct-record quota,
 * which a record already revealed this week does not count against; a shredded record is not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createOwner, createTestApp, type SignedIn, signIn, type TestApp } from '../../../test/app.ts';
import { newId } from '../../platform/ids.ts';

let t: TestApp;
let http: ReturnType<typeof api>;
let o: SignedIn;
let dataOwner: string;
const ids: string[] = [];

const revealFrom = (id: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/records/${id}/reveal`,
    remoteAddress,
    headers: { cookie: o.cookie, 'x-csrf-token': o.csrf },
    payload: { purpose: 'customer_request', justification: 'Customer asked for a copy of their data' },
  });

beforeAll(async () => {
  t = await createTestApp({ STRONGROOM_REVEAL_QUOTAS: 'minute=50,hour=50,day=50,week_distinct=2' });
  http = api(t);
  const owner = await createOwner(t, 'checks.owner@example.test');
  o = await signIn(t, owner);
  dataOwner = (
    await http.post('/api/v1/owners', { name: 'Checks Ltd', contactEmails: ['dpo@checks.example'] }, o)
  ).json().id;
  for (let i = 0; i < 4; i++) {
    const r = await http.post(
      '/api/v1/records',
      { ownerId: dataOwner, fields: { fullName: `Tove Lindqvist${i}`, email: `tove.${i}@checks.example` } },
      o,
    );
    expect(r.statusCode).toBe(201);
    ids.push(r.json().id);
  }
});
afterAll(() => t.close());

describe('reveal checks read in one query', () => {
  it("IAM-13: a person's own allow-list narrows the global one", async () => {
    // one network throughout (another one mid-session is a detection event of its own)
    const at = t.clock.now();
    const own = newId();
    await t.testDb.superuser(
      `INSERT INTO access.ip_allowlist (id, cidr, user_id, label, created_at) VALUES
         ($1, '127.0.0.0/8', NULL, 'office', $3), ($2, '127.0.0.2/32', $4, 'own', $3)`,
      [newId(), own, at, o.userId],
    );
    const outside = await revealFrom(ids[0] as string);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('access.ip_not_allowed');
    await t.testDb.superuser(`UPDATE access.ip_allowlist SET cidr = '127.0.0.0/30' WHERE id = $1`, [own]);
    const inside = await revealFrom(ids[0] as string);
    expect(inside.statusCode).toBe(200);
    expect(inside.json().fields.fullName).toBe('Tove Lindqvist0');
    await t.testDb.superuser('DELETE FROM access.ip_allowlist');
  });

  it('DAT-04: the weekly quota counts distinct records; one already revealed this week stays revealable', async () => {
    expect((await revealFrom(ids[1] as string)).statusCode).toBe(200); // the second distinct record this week
    const third = await revealFrom(ids[2] as string);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('vault.quota_exceeded');
    expect((await revealFrom(ids[0] as string)).statusCode).toBe(200);
    expect((await revealFrom(ids[1] as string)).statusCode).toBe(200);
  });

  it('DAT-07: a shredded record answers not found', async () => {
    expect((await http.del(`/api/v1/records/${ids[0]}`, o)).statusCode).toBe(204);
    const gone = await revealFrom(ids[0] as string);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('vault.record_not_found');
  });
});

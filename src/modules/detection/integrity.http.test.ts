/**
 * The audit log as a detection point (LOG-02, LOG-04, INC-03): an attacker with database access edits an audit
 * row; the scheduled verification catches it, raises a critical alert and locks the application down, so no one
 * but incident responders can reveal records until two top-level admins lift it. An intact log raises nothing.
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
let o: SignedIn;
let recordId: string;

beforeAll(async () => {
  t = await createTestApp();
  http = api(t);
  const owner = await createOwner(t, 'integrity.owner@example.test');
  o = await signIn(t, owner);
  const dataOwner = (
    await http.post('/api/v1/owners', { name: 'Tamper Co', contactEmails: ['dpo@t.example'] }, o)
  ).json().id;
  recordId = (
    await http.post('/api/v1/records', { ownerId: dataOwner, fields: { fullName: 'Vera Chainlink', company: 'T' } }, o)
  ).json().id;
  const sec = await createEnrolledUser(t, o, { email: 'ir@example.test', roles: ['security_analyst'] });
  await signIn(t, sec);
  o = await signIn(t, owner);
});
afterAll(() => t.close());

const reveal = () =>
  http.post(
    `/api/v1/records/${recordId}/reveal`,
    { purpose: 'legal', justification: 'Court order 2026-118 review' },
    o,
  );
const alerts = () =>
  t.testDb.superuser(`SELECT severity, responses FROM detection.alerts WHERE rule = 'audit-verification-failed'`);

describe('audit verification as a detection point', () => {
  it('LOG-02: an intact log verifies quietly', async () => {
    expect((await t.core.detection.integrity.verify()).valid).toBe(true);
    expect(await alerts()).toEqual([]);
    expect((await reveal()).statusCode).toBe(200);
  });

  it('INC-03: an edited audit row is caught, raises a critical alert and locks the application down', async () => {
    await t.testDb.superuser('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
    await t.testDb.superuser(
      `UPDATE audit.entries SET outcome = 'failure' WHERE seq = (SELECT min(seq) FROM audit.entries WHERE action = 'vault.record.revealed')`,
    );
    await t.testDb.superuser('ALTER TABLE audit.entries ENABLE TRIGGER entries_refuse_update_delete');
    const r = await t.core.detection.integrity.verify();
    expect(r.valid).toBe(false);
    expect(await alerts()).toEqual([{ severity: 'critical', responses: ['alert', 'lockdown'] }]);
    const refused = await reveal();
    expect(refused.json().error.code).toBe('security.lockdown');
    expect((await http.get('/api/v1/lockdown', o)).json()).toMatchObject({
      active: true,
      reason: 'rule',
      engagedByRule: 'audit-verification-failed',
    });
    // incident responders keep access (incidents.manage, not owners: an owner holds every permission)
    const ld = t.core.detection.lockdown;
    expect(
      await ld.isLockedDownFor(t.core.db, { permissions: ['incidents.manage'], roles: ['security_analyst'] }),
    ).toBe(false);
    expect(await ld.isLockedDownFor(t.core.db, { permissions: ['incidents.manage'], roles: ['owner'] })).toBe(true);
    expect(await ld.isLockedDownFor(t.core.db, { permissions: ['records.reveal'], roles: ['analyst'] })).toBe(true);
    // the same break found again is not a new alert
    await t.core.detection.integrity.verify();
    expect(await alerts()).toHaveLength(1);
  });
});

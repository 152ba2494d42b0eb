import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, usingPostgres } from '../../../test/db.ts';
import { auditPrivilegeWarnings } from './index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe('audit role separation check (LOG-02)', () => {
  it('warns when the database role could change audit rows, and stays quiet for an INSERT/SELECT-only role', async () => {
    const warnings = await auditPrivilegeWarnings(t.db);
    expect(warnings.join('\n')).toMatch(/superuser|may UPDATE/); // the test roles are superusers
    if (!usingPostgres()) return; // PGlite has a single superuser role; the restricted case needs real PostgreSQL
    const role = `sr_app_${Date.now()}`;
    await t.superuser(`CREATE ROLE ${role} NOLOGIN`);
    await t.superuser(`GRANT USAGE ON SCHEMA audit TO ${role}`);
    await t.superuser(`GRANT SELECT, INSERT ON audit.entries TO ${role}`);
    await t.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      expect(await auditPrivilegeWarnings(tx)).toEqual([]);
    });
    await t.superuser(`REVOKE ALL ON audit.entries FROM ${role}`);
    await t.superuser(`REVOKE USAGE ON SCHEMA audit FROM ${role}`);
    await t.superuser(`DROP ROLE ${role}`);
  });
});

/**
 * LOG-02 role separation: the start-up check warns about a role that could change the signed log, and the grants
 * docs/operations.md gives the server's role are enough to run the audit trail — appends, integration, checkpoints,
 * retention (through the owner-rights prune function) — while that role cannot UPDATE or DELETE an entry itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, usingPostgres } from '../../../test/db.ts';
import { manualClock } from '../../platform/clock.ts';
import { openDatabase } from '../../platform/db/db.ts';
import { createEventBus } from '../../platform/events.ts';
import { createLogger } from '../../platform/logger.ts';
import { auditPrivilegeWarnings, createAuditTrail, type PublishedAuditEntry } from './index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

/** The audit part of the grants in docs/operations.md ("Audit role separation"). */
const grants = (role: string) => `
  GRANT USAGE ON SCHEMA audit TO ${role};
  GRANT SELECT, INSERT ON audit.entries, audit.checkpoints, audit.tombstones TO ${role};
  GRANT SELECT, INSERT, DELETE ON audit.pending TO ${role};
  GRANT USAGE ON SEQUENCE audit.pending_id_seq TO ${role};
  GRANT SELECT, UPDATE ON audit.head TO ${role};
  GRANT SELECT, INSERT, UPDATE ON audit.pseudonym_keys, audit.checkpoint_notices TO ${role};
  GRANT SELECT ON audit.all_entries TO ${role};`;

describe('audit role separation (LOG-02)', () => {
  it('warns when the database role could change audit rows, and stays quiet for the documented grants', async () => {
    const warnings = await auditPrivilegeWarnings(t.db);
    expect(warnings.join('\n')).toMatch(/superuser|may UPDATE/); // the test roles are superusers
    if (!usingPostgres()) return; // PGlite has a single superuser role; the restricted case needs real PostgreSQL
    const role = `sr_app_${Date.now()}`;
    await t.superuser(`CREATE ROLE ${role} NOLOGIN`);
    await t.db.execScript(grants(role));
    await t.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      expect(await auditPrivilegeWarnings(tx)).toEqual([]);
    });
    await t.superuser(`GRANT DELETE ON audit.entries TO ${role}`);
    await t.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      expect(await auditPrivilegeWarnings(tx)).toEqual([
        `database role "${role}" may DELETE audit.entries (the triggers still refuse changes)`,
      ]);
    });
    await t.superuser(`REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM ${role}`);
    await t.superuser(`REVOKE ALL ON SEQUENCE audit.pending_id_seq FROM ${role}`);
    await t.superuser(`REVOKE USAGE ON SCHEMA audit FROM ${role}`);
    await t.superuser(`DROP ROLE ${role}`);
  });

  it.runIf(usingPostgres())(
    'the server role runs the whole audit trail, prunes only through the owner function, and cannot delete entries',
    async () => {
      const role = `sr_srv_${Date.now()}`;
      await t.superuser(`CREATE ROLE ${role} LOGIN`);
      await t.db.execScript(grants(role));
      const url = new URL(t.url as string);
      url.username = role;
      const db = await openDatabase({ url: url.toString(), poolMax: 3 });
      try {
        const clock = manualClock('2026-02-01T10:00:00.000Z');
        const trail = await createAuditTrail({
          db,
          clock,
          logger: createLogger('silent'),
          bus: createEventBus<PublishedAuditEntry>(() => {}),
          signingSeed: Buffer.alloc(32, 8),
          pseudonymWrapRoot: Buffer.alloc(32, 9),
          checkpointDir: undefined,
          retentionDays: 90,
          checkpointEmail: undefined,
          mailer: () => undefined,
          baseUrl: 'https://localhost:8443',
        });
        for (let i = 0; i < 5; i++) {
          await db.transaction((tx) =>
            trail.audit.append(tx, {
              action: 'auth.logout',
              outcome: 'success',
              actor: { type: 'system' },
              details: {},
            }),
          );
        }
        await trail.checkpoints.cut();
        expect(await auditPrivilegeWarnings(db)).toEqual([]);
        await expect(db.query('DELETE FROM audit.entries WHERE seq = 1')).rejects.toThrow(/permission denied/);
        await expect(db.query(`UPDATE audit.entries SET outcome = 'failure'`)).rejects.toThrow(/permission denied/);
        clock.set('2026-05-15T10:00:00.000Z');
        const r = await trail.retention.prune();
        expect(r).toMatchObject({ fromSeq: 1 });
        expect(await trail.audit.verify(db)).toMatchObject({ valid: true, tombstones: 1 });
        await trail.audit.close();
      } finally {
        await db.close();
        await t.superuser(`REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM ${role}`);
        await t.superuser(`REVOKE ALL ON SEQUENCE audit.pending_id_seq FROM ${role}`);
        await t.superuser(`REVOKE USAGE ON SCHEMA audit FROM ${role}`);
        await t.superuser(`DROP OWNED BY ${role}`);
        await t.superuser(`DROP ROLE ${role}`);
      }
    },
  );
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/db.ts';
import { manualClock } from '../../platform/clock.ts';
import { createEventBus } from '../../platform/events.ts';
import { type AuditLog, createAuditLog, type PublishedAuditEntry, staticPseudonymKeys } from './index.ts';

let t: TestDb;
let audit: AuditLog;
const published: PublishedAuditEntry[] = [];

beforeAll(async () => {
  t = await createTestDb();
  const bus = createEventBus<PublishedAuditEntry>(() => {});
  bus.subscribe((e) => {
    published.push(e);
  });
  audit = createAuditLog({ db: t.db, clock: manualClock(), pseudonyms: staticPseudonymKeys(Buffer.alloc(32, 7)), bus });
});
afterAll(() => t.close());

const logout = (ip = '203.0.113.9') =>
  t.db.transaction((tx) =>
    audit.append(tx, {
      action: 'auth.logout',
      outcome: 'success',
      actor: { type: 'user', id: '00000000-0000-4000-8000-000000000001' },
      ip,
      details: {},
    }),
  );

describe('audit log on the database (LOG-01, LOG-02, DAT-05)', () => {
  it('appends in the caller transaction: a rolled-back action leaves no audit entry', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await audit.append(tx, { action: 'auth.logout', outcome: 'success', actor: { type: 'system' }, details: {} });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await audit.list(t.db, { limit: 10 })).toHaveLength(0);
    expect(published).toHaveLength(0);
  });

  it('chains entries, stores IPs only as keyed hashes and publishes after commit', async () => {
    for (let i = 0; i < 5; i++) await logout();
    const rows = await t.superuser('SELECT * FROM audit.entries ORDER BY seq');
    expect(rows).toHaveLength(5);
    expect(JSON.stringify(rows)).not.toContain('203.0.113.9');
    expect(published.map((p) => p.seq)).toEqual(['1', '2', '3', '4', '5']);
    expect(published[0]?.ip).toBe('203.0.113.9');
    expect(await audit.verify(t.db)).toMatchObject({ valid: true, entries: 5, head: { seq: '5' } });
  });

  it('refuses details outside the closed catalogue (no free text can carry personal data)', async () => {
    await expect(
      t.db.transaction((tx) =>
        audit.append(tx, {
          action: 'auth.logout',
          outcome: 'success',
          actor: { type: 'system' },
          details: { email: 'someone@example.test' } as unknown as Record<string, never>,
        }),
      ),
    ).rejects.toThrow();
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even with session_replication_role = replica', async () => {
    await expect(t.superuser("UPDATE audit.entries SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(t.superuser('DELETE FROM audit.entries WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(t.superuser('TRUNCATE audit.entries')).rejects.toThrow(/append-only/);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('DELETE FROM audit.entries WHERE seq = 1');
      }),
    ).rejects.toThrow(/append-only/);
    await expect(t.superuser('UPDATE audit.head SET seq = 1')).rejects.toThrow(/forward/);
  });

  it('names the edited row when a superuser drops the trigger and edits an entry', async () => {
    await t.superuser('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
    await t.superuser(`UPDATE audit.entries SET details = '{"tampered": true}' WHERE seq = 3`);
    expect(await audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '3', reason: 'hash_mismatch' });
  });

  it('names the first missing entry when a middle row is deleted', async () => {
    await t.superuser('DELETE FROM audit.entries WHERE seq = 3');
    expect(await audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '3', reason: 'gap' });
  });

  it('detects a truncated tail against the head', async () => {
    // put the log back into a consistent state with only entries 1–2, then cut the tail
    await t.superuser('DELETE FROM audit.entries WHERE seq >= 2');
    expect(await audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '2', reason: 'head_mismatch' });
  });
});

describe('the integrator: appends without a shared lock, one total order (LOG-02)', () => {
  let t2: TestDb;
  let log: AuditLog;
  const seen: PublishedAuditEntry[] = [];
  beforeAll(async () => {
    t2 = await createTestDb();
    const bus = createEventBus<PublishedAuditEntry>(() => {});
    bus.subscribe((e) => {
      seen.push(e);
    });
    log = createAuditLog({
      db: t2.db,
      clock: manualClock(),
      pseudonyms: staticPseudonymKeys(Buffer.alloc(32, 9)),
      bus,
    });
  });
  afterAll(() => t2.close());

  const event = (i: number) => ({
    action: 'auth.logout' as const,
    outcome: 'success' as const,
    actor: { type: 'user' as const, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
    details: {},
  });

  it('many concurrent transactions get contiguous seqs 1..n in one chain, each published once with its seq', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t2.db.transaction(async (tx) => {
          await log.append(tx, event(i));
          if (i % 3 === 0) await log.append(tx, event(i + 1000)); // two entries in one transaction
        }),
      ),
    );
    expect(seen).toHaveLength(80);
    expect(seen.map((e) => Number(e.seq)).sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(await t2.superuser('SELECT count(*)::int AS n FROM audit.pending')).toEqual([{ n: 0 }]);
    expect(await log.verify(t2.db)).toMatchObject({ valid: true, entries: 80, head: { seq: '80' } });
  });

  it('a committed entry is visible to detection at once (audit.all_entries), before and after integration', async () => {
    const actor = '00000000-0000-4000-8000-00000000abcd';
    // a pending row as a caller leaves it between its commit and the integrator
    await t2.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO audit.pending (at, action, outcome, actor_type, actor_id, details)
         VALUES (now(), 'auth.logout', 'success', 'user', $1, '{}')`,
        [actor],
      );
    });
    const count = async () =>
      (
        await t2.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit.all_entries WHERE actor_id = $1', [
          actor,
        ])
      ).rows[0]?.n;
    expect(await count()).toBe(1);
    await log.integrate();
    expect(await count()).toBe(1);
    expect(await t2.superuser('SELECT count(*)::int AS n FROM audit.entries WHERE actor_id = $1', [actor])).toEqual([
      { n: 1 },
    ]);
  });

  it('a pending row cannot be changed, or deleted before it is integrated; integrated entries stay immutable', async () => {
    await t2.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO audit.pending (at, action, outcome, actor_type, details)
         VALUES (now(), 'auth.logout', 'success', 'system', '{}')`,
      );
    });
    await expect(t2.superuser(`UPDATE audit.pending SET outcome = 'failure'`)).rejects.toThrow(/append-only/);
    await expect(t2.superuser('DELETE FROM audit.pending')).rejects.toThrow(/integrated/);
    await expect(t2.superuser('TRUNCATE audit.pending')).rejects.toThrow(/append-only/);
    await log.integrate();
    await expect(t2.superuser(`UPDATE audit.entries SET outcome = 'failure' WHERE seq = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t2.superuser('DELETE FROM audit.entries WHERE seq = 1')).rejects.toThrow(/append-only/);
    expect(await log.verify(t2.db)).toMatchObject({ valid: true });
  });
});

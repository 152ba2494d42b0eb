/**
 * LOG-03 retention with signed tombstones, and DAT-05 pseudonym key epochs: entries past the window are pruned by
 * whole days under a signed tombstone; verification passes afterwards on the database and on an exported bundle
 * and fails on any other gap; a prune inside 90 days is refused (by the service and by the database); keys of
 * epochs past the window are destroyed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/db.ts';
import { manualClock } from '../../platform/clock.ts';
import { createEventBus } from '../../platform/events.ts';
import { createLogger } from '../../platform/logger.ts';
import {
  type AuditTrail,
  createAuditTrail,
  exportBundle,
  type PublishedAuditEntry,
  proveInclusion,
  verifyBundle,
  verifyProof,
} from './index.ts';
import { epochOf } from './pseudonyms.ts';

const DAY = 86_400_000;
let t: TestDb;
let dir: string;
let trail: AuditTrail;
const clock = manualClock('2026-01-05T12:00:00.000Z');

const append = (n: number, ip = '198.51.100.7') =>
  t.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await trail.audit.append(tx, {
        action: 'auth.login.failed',
        outcome: 'failure',
        actor: { type: 'anonymous' },
        ip,
        details: { reason: 'bad_password' },
      });
    }
  });

const headSeq = async () => Number((await t.db.query<{ seq: string }>('SELECT seq FROM audit.head')).rows[0]?.seq);

beforeAll(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-retention-'));
  trail = await createAuditTrail({
    db: t.db,
    clock,
    logger: createLogger('silent'),
    bus: createEventBus<PublishedAuditEntry>(() => {}),
    signingSeed: Buffer.alloc(32, 3),
    pseudonymWrapRoot: Buffer.alloc(32, 4),
    checkpointDir: path.join(dir, 'checkpoints'),
    retentionDays: 90,
    checkpointEmail: undefined,
    mailer: () => undefined,
    baseUrl: 'https://localhost:8443',
  });
  // day 0 (Jan 5), day 1 (Jan 6), day 2 (Jan 7): entries, with checkpoints cut as the job would
  await append(30);
  await trail.checkpoints.cut();
  clock.advance(DAY);
  await append(20);
  await trail.checkpoints.cut();
  clock.advance(DAY);
  await append(10);
  await trail.checkpoints.cut();
  await append(3); // an unsigned tail
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('retention (LOG-03)', () => {
  it('refuses a prune inside 90 days, even with the clock moved on 89 days, and prunes nothing', async () => {
    clock.set('2026-04-04T12:00:00.000Z'); // 89 days after Jan 5
    await expect(trail.retention.prune({ before: new Date('2026-01-06T00:00:00Z') })).rejects.toMatchObject({
      code: 'audit.prune_inside_retention',
    });
    // the window itself is not past yet either: nothing to prune
    expect(await trail.retention.prune()).toBeUndefined();
    expect(await t.superuser('SELECT count(*)::int AS n FROM audit.tombstones')).toEqual([{ n: 0 }]);
  });

  it('the database refuses a tombstone inside 90 days and any DELETE no tombstone covers', async () => {
    await expect(
      t.superuser(
        `INSERT INTO audit.tombstones (through_seq, from_seq, cutoff, retention_days, pruned_at, body, signature)
         VALUES (5, 1, now() - interval '10 days', 90, now(), '{}', '\\x00')`,
      ),
    ).rejects.toThrow(/90 days|check/i);
    await expect(t.superuser('DELETE FROM audit.entries WHERE seq <= 5')).rejects.toThrow(/append-only/);
  });

  it('prunes whole days past the window under a signed tombstone; verify passes on the database', async () => {
    clock.set('2026-04-06T05:00:00.000Z'); // the window (90 days) has passed the end of Jan 5 only
    const before = await headSeq();
    const r = await trail.retention.prune();
    expect(r).toMatchObject({ fromSeq: 1, cutoff: '2026-01-06T00:00:00.000Z' });
    const through = r?.throughSeq as number;
    // the two key-creation entries written at start and the 30 of Jan 5
    expect(through).toBe(32);
    const left = await t.db.query<{ min: string; at: Date }>(
      'SELECT seq AS min, at FROM audit.entries ORDER BY seq LIMIT 1',
    );
    expect(Number(left.rows[0]?.min)).toBe(through + 1);
    expect(left.rows[0]?.at.toISOString()).toBe('2026-01-06T12:00:00.000Z');
    const v = await trail.audit.verify(t.db);
    expect(v).toMatchObject({ valid: true, prunedThrough: through, tombstones: 1 });
    // the prune is itself in the log
    const pruned = await t.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit.entries WHERE action = 'audit.log.pruned'`,
    );
    expect(pruned.rows[0]?.details).toMatchObject({ fromSeq: 1, throughSeq: through, cutoffDay: '2026-01-06' });
    expect(await headSeq()).toBeGreaterThan(before);
  });

  it('after pruning an exported bundle verifies offline, and carries the tombstone', async () => {
    await trail.checkpoints.cut();
    const file = path.join(dir, 'after-prune.ndjson');
    const s = await exportBundle(t.db, file, trail.checkpoints.publicKey(), clock.now(), {
      sign: trail.checkpoints.signBundle,
    });
    expect(s.tombstones).toBe(1);
    const r = await verifyBundle(file);
    expect(r).toMatchObject({ valid: true, tombstones: 1, prunedThrough: 32 });
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const write = async (name: string, l: string[]) => {
      const f = path.join(dir, name);
      await writeFile(f, `${l.join('\n')}\n`);
      return verifyBundle(f);
    };
    // without its tombstone the log starts at 33: a gap from 1
    expect(
      await write(
        'no-tombstone.ndjson',
        lines.filter((x) => !x.includes('"type":"tombstone"')),
      ),
    ).toMatchObject({
      valid: false,
      firstBadSeq: 1,
      reason: 'gap',
    });
    // one more entry cut at the front, beyond what the tombstone covers: a gap at 33
    const firstEntry = lines.findIndex((x) => x.includes('"type":"entry"'));
    expect(
      await write(
        'front-cut.ndjson',
        lines.filter((_, i) => i !== firstEntry),
      ),
    ).toMatchObject({
      valid: false,
      firstBadSeq: 33,
      reason: 'gap',
    });
    // a tombstone that claims more than it signed
    expect(
      await write(
        'forged-tombstone.ndjson',
        lines.map((x) => (x.includes('"type":"tombstone"') ? x.replace('"throughSeq":32', '"throughSeq":33') : x)),
      ),
    ).toMatchObject({ valid: false, reason: 'tombstone_signature_invalid' });
  });

  it('after pruning, any other gap still fails on the database, naming the first missing entry', async () => {
    await t.superuser('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
    try {
      const { rows } = await t.db.query<{ seq: string }>('SELECT seq FROM audit.entries ORDER BY seq LIMIT 1 OFFSET 4');
      const victim = Number(rows[0]?.seq);
      const saved = await t.superuser('SELECT * FROM audit.entries WHERE seq = $1', [victim]);
      await t.superuser('DELETE FROM audit.entries WHERE seq = $1', [victim]);
      expect(await trail.audit.verify(t.db)).toMatchObject({
        valid: false,
        firstBadSeq: String(victim),
        reason: 'gap',
      });
      const r = saved[0] as Record<string, unknown>;
      await t.superuser(
        `INSERT INTO audit.entries (seq, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash,
                                    request_id, details, prev_hash, hash, pending_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          r.seq,
          r.at,
          r.action,
          r.outcome,
          r.actor_type,
          r.actor_id,
          r.target_type,
          r.target_id,
          r.ip_hash,
          r.request_id,
          JSON.stringify(r.details),
          r.prev_hash,
          r.hash,
          r.pending_id,
        ],
      );
    } finally {
      await t.superuser('ALTER TABLE audit.entries ENABLE ALWAYS TRIGGER entries_refuse_update_delete');
    }
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: true });
  });

  it('inclusion proofs still verify for retained entries; a pruned entry has none', async () => {
    const seq = 40;
    const proof = await proveInclusion(t.db, seq, trail.checkpoints.publicKey());
    expect(verifyProof(proof)).toEqual({ valid: true });
    await expect(proveInclusion(t.db, 10, trail.checkpoints.publicKey())).rejects.toMatchObject({
      code: 'audit.entry_pruned',
    });
  });

  it('a second prune continues from the first tombstone, destroys the keys of epochs past the window, and verifies', async () => {
    const jan5Epoch = epochOf(new Date('2026-01-05T12:00:00Z'));
    clock.set('2026-04-08T01:00:00.000Z'); // Jan 6 and Jan 7 are past the window now
    await trail.audit.pseudonyms.ensure();
    const r = await trail.retention.prune();
    expect(r).toMatchObject({ fromSeq: 33, cutoff: '2026-01-08T00:00:00.000Z' });
    // Jan 5's epoch ended on Jan 7: every entry hashed with its key is gone, so is the key
    expect(r?.destroyedKeyEpochs).toContain(jan5Epoch);
    const keys = (await t.superuser(
      'SELECT epoch, key_sealed, destroyed_at FROM audit.pseudonym_keys ORDER BY epoch',
    )) as {
      epoch: number;
      key_sealed: Buffer | null;
      destroyed_at: Date | null;
    }[];
    const old = keys.find((k) => Number(k.epoch) === jan5Epoch);
    expect(old?.key_sealed).toBeNull();
    expect(old?.destroyed_at).not.toBeNull();
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: true, tombstones: 2 });
    await trail.checkpoints.cut();
    const file = path.join(dir, 'second.ndjson');
    await exportBundle(t.db, file, trail.checkpoints.publicKey(), clock.now(), { sign: trail.checkpoints.signBundle });
    expect(await verifyBundle(file)).toMatchObject({ valid: true, tombstones: 2 });
    // checkpoints under the tombstones went with their entries, from the database and the data directory
    expect(
      await t.superuser('SELECT count(*)::int AS n FROM audit.checkpoints WHERE tree_size <= $1', [r?.throughSeq]),
    ).toEqual([{ n: 0 }]);
  });

  it('a key cannot be brought back or changed, only destroyed', async () => {
    await expect(
      t.superuser(`UPDATE audit.pseudonym_keys SET key_sealed = '\\x01', destroyed_at = NULL`),
    ).rejects.toThrow(/only be destroyed/);
    await expect(t.superuser('DELETE FROM audit.pseudonym_keys')).rejects.toThrow(/only be destroyed/);
  });
});

describe('IP pseudonyms rotate every 30 days (DAT-05)', () => {
  it('an address has one pseudonym within an epoch (on every node), another in the next; keys are stored sealed', async () => {
    const ip = '203.0.113.44';
    const a = trail.audit.pseudonymiseIp(ip);
    clock.advance(60_000);
    expect(trail.audit.pseudonymiseIp(ip)).toBe(a);
    // a second node over the same database agrees
    const other = await createAuditTrail({
      db: t.db,
      clock,
      logger: createLogger('silent'),
      bus: createEventBus<PublishedAuditEntry>(() => {}),
      signingSeed: Buffer.alloc(32, 3),
      pseudonymWrapRoot: Buffer.alloc(32, 4),
      checkpointDir: undefined,
      retentionDays: 90,
      checkpointEmail: undefined,
      mailer: () => undefined,
      baseUrl: 'https://localhost:8443',
    });
    expect(other.audit.pseudonymiseIp(ip)).toBe(a);
    clock.advance(31 * DAY);
    await trail.audit.pseudonyms.ensure();
    const b = trail.audit.pseudonymiseIp(ip);
    expect(b).not.toBe(a);
    expect(trail.audit.pseudonymsOfIp(ip)).toEqual([b, a]);
    const raw = JSON.stringify(await t.superuser('SELECT * FROM audit.pseudonym_keys'));
    expect(raw).not.toContain(ip);
    expect(JSON.stringify(await t.superuser('SELECT * FROM audit.entries'))).not.toContain(ip);
  });
});

/**
 * LOG-02 must-show on the database: tampering by someone with database rights (triggers disabled) is caught by
 * `audit verify`, naming the first bad entry — an edited field, a deleted middle entry, a truncated tail (against
 * the last signed checkpoint), reordered entries, a forged checkpoint signature, and a log rewritten together with
 * its checkpoint rows (against the checkpoint file kept off the database). Each case starts from a fresh log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/db.ts';
import { manualClock } from '../../platform/clock.ts';
import { createEventBus } from '../../platform/events.ts';
import { createLogger } from '../../platform/logger.ts';
import { type AuditTrail, createAuditTrail, type PublishedAuditEntry } from './index.ts';

let t: TestDb;
let dir: string;
let trail: AuditTrail;

const append = (n: number) =>
  t.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await trail.audit.append(tx, {
        action: 'vault.record.searched',
        outcome: 'success',
        actor: { type: 'user', id: '00000000-0000-4000-8000-000000000042' },
        ip: '192.0.2.10',
        details: { criteria: ['email'], returned: i % 25 },
      });
    }
  });

const su = (sql: string, params?: unknown[]) => t.superuser(sql, params);
const unprotected = async () => {
  await su('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
  await su('ALTER TABLE audit.checkpoints DISABLE TRIGGER checkpoints_refuse_update_delete');
  await su('ALTER TABLE audit.head DISABLE TRIGGER head_forward_only');
};

beforeEach(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-tamper-'));
  trail = await createAuditTrail({
    db: t.db,
    clock: manualClock('2026-11-20T09:00:00.000Z'),
    logger: createLogger('silent'),
    bus: createEventBus<PublishedAuditEntry>(() => {}),
    signingSeed: Buffer.alloc(32, 5),
    pseudonymWrapRoot: Buffer.alloc(32, 6),
    checkpointDir: path.join(dir, 'checkpoints'),
    retentionDays: 180,
    checkpointEmail: undefined,
    mailer: () => undefined,
    baseUrl: 'https://localhost:8443',
  });
  // entries 1–2 are the key-creation events written at start; then 30 signed, 10 signed, 5 unsigned
  await append(30);
  await trail.checkpoints.cut();
  await append(10);
  await trail.checkpoints.cut();
  await append(5);
  expect(await trail.audit.verify(t.db)).toMatchObject({ valid: true, entries: 47, checkpoints: 2 });
  await unprotected();
});
afterEach(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tampering with the database is caught, naming the first bad entry (LOG-02)', () => {
  it('an edited field', async () => {
    await su(`UPDATE audit.entries SET details = '{"criteria":["email"],"returned":24}' WHERE seq = 17`);
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '17', reason: 'hash_mismatch' });
  });

  it('an edited field with its hash recomputed: the next link breaks', async () => {
    await su(`UPDATE audit.entries SET outcome = 'failure', hash = sha256(hash) WHERE seq = 17`);
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '17' });
  });

  it('a deleted middle entry', async () => {
    await su('DELETE FROM audit.entries WHERE seq = 23');
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '23', reason: 'gap' });
  });

  it('a truncated tail, with the head rewound to match: caught against the last signed checkpoint', async () => {
    const { rows } = await t.db.query<{ hash: Buffer }>('SELECT hash FROM audit.entries WHERE seq = 36');
    await su('DELETE FROM audit.entries WHERE seq > 36');
    await su('UPDATE audit.head SET seq = 36, hash = $1', [rows[0]?.hash]);
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '37', reason: 'truncated' });
  });

  it('a truncated unsigned tail: caught against the head', async () => {
    await su('DELETE FROM audit.entries WHERE seq > 44');
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '45', reason: 'head_mismatch' });
  });

  it('reordered entries (two rows swapped)', async () => {
    await su('UPDATE audit.entries SET seq = seq + 1000000 WHERE seq IN (11, 12)');
    await su('UPDATE audit.entries SET seq = 12 WHERE seq = 1000011');
    await su('UPDATE audit.entries SET seq = 11 WHERE seq = 1000012');
    expect(await trail.audit.verify(t.db)).toMatchObject({ valid: false, firstBadSeq: '11' });
  });

  it('a forged checkpoint: its root changed, the signature no longer matches', async () => {
    await su(`UPDATE audit.checkpoints SET root_hash = sha256(root_hash) WHERE tree_size = 32`);
    expect(await trail.audit.verify(t.db)).toMatchObject({
      valid: false,
      firstBadSeq: '32',
      reason: 'checkpoint_signature_invalid',
    });
  });

  it('a forged checkpoint signature: re-signed with a key that is not the log key', async () => {
    const { createSigner } = await import('./signer.ts');
    const { bodyOf, latestCheckpoint } = await import('./checkpoints.ts');
    const forger = createSigner(Buffer.alloc(32, 66));
    const cp = await latestCheckpoint(t.db);
    const body = { ...bodyOf(cp as NonNullable<typeof cp>), rootHash: '00'.repeat(32), keyId: forger.keyId };
    await su('UPDATE audit.checkpoints SET root_hash = $1, key_id = $2, signature = $3 WHERE tree_size = $4', [
      Buffer.alloc(32),
      forger.keyId,
      forger.sign(body),
      body.treeSize,
    ]);
    expect(await trail.audit.verify(t.db)).toMatchObject({
      valid: false,
      firstBadSeq: String(body.treeSize),
      reason: 'checkpoint_signature_invalid',
    });
  });

  it('a log rewritten from entry 20 on, its checkpoint rows deleted and the head moved: the checkpoint file catches it', async () => {
    // an attacker re-chains a rewritten tail so that the chain and the head look intact
    await su('DELETE FROM audit.checkpoints');
    await su(`UPDATE audit.entries SET details = '{"criteria":["phone"],"returned":0}' WHERE seq >= 20`);
    const { rows } = await t.db.query<Record<string, unknown>>('SELECT * FROM audit.entries ORDER BY seq');
    const { entryHash } = await import('./audit.chain.ts');
    let prev = rows[18]?.hash as Buffer;
    for (const r of rows.slice(19)) {
      const e = {
        seq: String(r.seq),
        at: (r.at as Date).toISOString(),
        action: String(r.action),
        outcome: String(r.outcome),
        actorType: String(r.actor_type),
        actorId: r.actor_id as string | null,
        targetType: r.target_type as string | null,
        targetId: r.target_id as string | null,
        ipHash: r.ip_hash as string | null,
        requestId: r.request_id as string | null,
        details: r.details,
      };
      const h = entryHash(prev, e);
      await su('UPDATE audit.entries SET prev_hash = $2, hash = $3 WHERE seq = $1', [r.seq, prev, h]);
      prev = h;
    }
    await su('UPDATE audit.head SET hash = $1', [prev]);
    expect(await trail.audit.verify(t.db)).toMatchObject({
      valid: false,
      firstBadSeq: '42',
      reason: 'trusted_checkpoint_mismatch',
    });
  });
});

/**
 * Bulk ingest with sealing in worker threads and binary COPY (DAT-01, DAT-06): every record stored as ciphertext
 * that opens to exactly what was sent, searchable through its blind indexes, idempotent by (owner, externalRef)
 * across batches and across uploads, with per-line errors counted as before. Runs on PGlite, or PostgreSQL with
 * TEST_DATABASE_URL.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, createTestApp, type TestApp } from '../../../test/app.ts';
import type { Principal } from '../../platform/actor.ts';
import { BATCH_SIZE, createIngest } from './ingest.ts';
import { refOf } from './record-batch.ts';
import { createRecordCrypto, searchModesOf } from './record-crypto.ts';
import { createSealingPool } from './sealing-pool.ts';
import { fieldsOf, loadRecord } from './vault.repository.ts';
import { normaliseRecordFields } from './vault.service.ts';

let t: TestApp;
let ownerId: string;
let principal: Principal;
const pool = createSealingPool({ size: 2, inlineBelow: 0 });

const person = (i: number) => ({
  fullName: `Ingrid Nyqvist${i}`,
  email: `ingrid.${i}@pool.example`,
  phone: `+46 70 ${String(1_000_000 + i).slice(-7)}`,
  company: `Fjord Analytics ${i % 7}`,
  title: 'Buyer',
});
const ctx = { ip: '127.0.0.1', requestId: 'test', route: 'test' };

beforeAll(async () => {
  t = await createTestApp();
  const o = await createOwner(t, 'pool.owner@example.test');
  principal = { userId: o.userId } as Principal;
  ownerId = (
    await t.core.vault.createOwner(principal, { name: 'Pool Data Ltd', contactEmails: ['dpo@pool.example'] }, ctx)
  ).id;
});
afterAll(async () => {
  await pool.stop();
  await t.close();
});

const ingestWith = (lines: string[]) =>
  createIngest({
    db: t.core.db,
    clock: t.clock,
    audit: t.core.audit,
    crypto: createRecordCrypto(t.core.keyring),
    fieldSpecs: t.core.vault.fieldSpecs,
    sealing: pool,
  }).ingest(
    { kind: 'host_operator' },
    Readable.from(lines.map((l) => `${l}\n`)),
    { format: 'ndjson', via: 'cli' },
    ctx,
  );

describe('bulk ingest sealed in worker threads (DAT-06)', () => {
  const n = 2 * BATCH_SIZE + 200; // three batches, the last one partial
  // built once the data owner exists: line 1101 repeats the reference of line 11 (another batch), line 1102
  // names an owner that does not exist
  const upload = () => {
    const lines = Array.from({ length: n }, (_, i) =>
      JSON.stringify({ ownerId, externalRef: `ref-${i}`, fields: person(i) }),
    );
    lines[1100] = JSON.stringify({ ownerId, externalRef: 'ref-10', fields: person(10) });
    lines[1101] = JSON.stringify({ ownerId: '00000000-0000-4000-8000-000000000000', fields: person(1101) });
    return lines;
  };

  it('DAT-06: stores every record once, encrypted, opening to exactly what was sent, with per-line errors', async () => {
    const out = await ingestWith(upload());
    expect(out.lines).toBe(n);
    expect(out.rejected).toEqual([{ line: 1102, code: 'vault.owner_not_found', message: expect.any(String) }]);
    expect(out.accepted).toBe(n - 1);
    const { rows } = await t.core.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM vault.records WHERE ingest_id = $1',
      [out.ingestId],
    );
    expect(Number(rows[0]?.n)).toBe(n - 2); // the repeated reference is stored once

    const crypto = createRecordCrypto(t.core.keyring);
    for (const i of [0, 499, 500, 777, 1199]) {
      const { rows: found } = await t.core.db.query<{ id: string }>(
        'SELECT id FROM vault.records WHERE external_ref_idx = $1',
        [crypto.externalRefIndex(ownerId, `ref-${i}`)],
      );
      expect(found).toHaveLength(1);
      const row = await loadRecord(t.core.db, found[0]?.id as string);
      if (!row) throw new Error('record missing');
      expect(row.owner_id).toBe(ownerId);
      expect(crypto.open(row.id, row, fieldsOf([row]))).toEqual(normaliseRecordFields(person(i)));
      // ciphertext only: no field value appears in the stored bytes
      const stored = Buffer.concat([row.dek_wrapped, ...row.field_ciphertexts]).toString('latin1');
      for (const v of Object.values(person(i))) expect(stored).not.toContain(v);
    }
    const { rows: meta } = await t.core.db.query<{ created_at: Date; kek_version: number; index_version: number }>(
      'SELECT created_at, kek_version, index_version FROM vault.records WHERE ingest_id = $1 LIMIT 1',
      [out.ingestId],
    );
    expect(meta[0]?.created_at.getTime()).toBe(t.clock.now().getTime());
    expect(meta[0]?.kek_version).toBe(crypto.currentVersion());
    expect(meta[0]?.index_version).toBe(crypto.currentVersion());
  });

  it('DAT-04: records sealed in workers are found through their blind indexes', async () => {
    const byEmail = await t.core.vault.search(principal, { email: 'ingrid.777@pool.example' }, ctx);
    expect(byEmail.items).toHaveLength(1);
    const byName = await t.core.vault.search(principal, { q: 'nyqvist1199' }, ctx);
    expect(byName.items).toHaveLength(1);
    expect(byName.items[0]?.masked.fullName).not.toContain('Nyqvist1199');
  });

  it('a batch whose worker stops before answering is sealed inline instead', async () => {
    const p = createSealingPool({ size: 1, inlineBelow: 0 });
    const crypto = createRecordCrypto(t.core.keyring);
    const keys = { ...crypto.currentSealKeys(t.core.vault.fieldSpecs), refKey: crypto.externalRefKey() };
    const sealing = p.seal(keys, searchModesOf(t.core.vault.fieldSpecs), {
      items: [{ ownerId, externalRef: 'stopped', values: normaliseRecordFields(person(5)) }],
      at: t.clock.now().getTime(),
      byUser: null,
      byToken: null,
      ingestId: null,
    });
    await p.stop(); // the worker is still starting: it never answers
    const out = await sealing;
    expect(out.ends).toHaveLength(1);
    expect(refOf(out, 0)?.equals(crypto.externalRefIndex(ownerId, 'stopped'))).toBe(true);
  });

  it('DAT-06: the same upload again stores nothing new (idempotent by owner and reference)', async () => {
    const before = await t.core.db.query<{ n: string }>('SELECT count(*) AS n FROM vault.records');
    const again = await ingestWith(upload());
    expect(again.accepted).toBe(n - 1);
    const after = await t.core.db.query<{ n: string }>('SELECT count(*) AS n FROM vault.records');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});

/**
 * Binary COPY rows round-trip through the real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): every type
 * the writer sends, NULLs, empty arrays and multi-byte text; a row that breaks a constraint fails the whole COPY
 * inside its transaction, and nothing is left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../../test/db.ts';
import { BinaryCopyWriter, copyPayload, OID } from './copy-binary.ts';

let t: TestDb;
const target = 'public.copy_probe (id, ref, n, names, blobs, ids, at, maybe)';

beforeAll(async () => {
  t = await createTestDb();
  await t.db.execScript(
    `CREATE TABLE public.copy_probe (id uuid PRIMARY KEY, ref bytea, n integer, names text[], blobs bytea[],
       ids uuid[], at timestamptz, maybe uuid)`,
  );
});
afterAll(() => t.close());

describe('binary COPY writer', () => {
  it('writes uuid, bytea, int4, text[], bytea[], uuid[], timestamptz and NULLs that read back equal', async () => {
    const at = new Date('2026-11-29T10:11:12.345Z');
    const w = new BinaryCopyWriter(16); // tiny on purpose: the buffer has to grow
    w.row(8)
      .uuid('0b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b')
      .bytea(Buffer.from([0, 1, 2, 255]))
      .int4(-7)
      .textArray(['Åsa', 'Zoë 🙂', ''])
      .array(OID.bytea, [Buffer.from('ab'), Buffer.alloc(0)])
      .array(OID.uuid, [Buffer.from('0b6e3a529c1d4f7e8a2b3c4d5e6f7a8b', 'hex')])
      .timestamptz(at)
      .null();
    w.row(8)
      .uuid('1b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b')
      .bytea(null)
      .int4(2_147_483_647)
      .textArray([])
      .array(OID.bytea, [])
      .array(OID.uuid, [])
      .timestamptz(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))
      .uuid('2b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b');
    expect(await t.db.copyBinary(target, copyPayload([w.rows()]))).toBe(2);
    const { rows } = await t.db.query<Record<string, unknown>>(
      `SELECT id, ref, n, names, blobs, ids::text[] AS ids, at, maybe, cardinality(names) AS nn, cardinality(blobs) AS nb
         FROM public.copy_probe ORDER BY id`,
    );
    const [first, second] = rows;
    if (!first || !second) throw new Error('rows missing');
    expect(first).toMatchObject({
      id: '0b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b',
      ref: Buffer.from([0, 1, 2, 255]),
      n: -7,
      names: ['Åsa', 'Zoë 🙂', ''],
      ids: ['0b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b'],
      maybe: null,
      nn: 3,
      nb: 2,
    });
    expect((first.at as Date).toISOString()).toBe(at.toISOString());
    expect((first.blobs as Uint8Array[]).map((b) => Buffer.from(b).toString())).toEqual(['ab', '']);
    expect(second).toMatchObject({ ref: null, n: 2_147_483_647, names: [], blobs: [], ids: [], nn: 0, nb: 0 });
    expect((second.at as Date).toISOString()).toBe('1999-12-31T23:59:59.000Z');
  });

  it('rows written separately can be joined: the payload frames any selection of them', async () => {
    const parts = ['3b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b', '4b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b'].map((id) => {
      const w = new BinaryCopyWriter();
      w.row(8).uuid(id).bytea(null).int4(1).textArray(['x']).array(OID.bytea, []).array(OID.uuid, []);
      w.timestamptz(new Date()).null();
      return w.rows();
    });
    await t.db.transaction(async (tx) => expect(await tx.copyBinary(target, copyPayload(parts))).toBe(2));
    const { rows } = await t.db.query('SELECT 1 FROM public.copy_probe WHERE n = 1');
    expect(rows).toHaveLength(2);
  });

  it('a row that breaks a constraint fails the COPY and rolls back its transaction', async () => {
    const w = new BinaryCopyWriter();
    for (const id of ['5b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b', '0b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b']) {
      w.row(8).uuid(id).bytea(null).int4(3).textArray([]).array(OID.bytea, []).array(OID.uuid, []);
      w.timestamptz(new Date()).null();
    }
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO public.copy_probe (id, n) VALUES ('6b6e3a52-9c1d-4f7e-8a2b-3c4d5e6f7a8b', 3)`);
        await tx.copyBinary(target, copyPayload([w.rows()])); // the second id exists already
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await t.db.query('SELECT 1 FROM public.copy_probe WHERE n = 3');
    expect(rows).toHaveLength(0);
    // the connection is usable afterwards
    expect((await t.db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
  });

  it('refuses a value that is not a UUID before anything is sent', () => {
    expect(() => new BinaryCopyWriter().row(1).uuid('not-a-uuid')).toThrow('not a UUID');
  });
});

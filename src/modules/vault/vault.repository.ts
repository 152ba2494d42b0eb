/** SQL for the vault, in one place. The Queryable (pool or transaction) is always the first argument. */
import { type BinaryCopyWriter, copyPayload, OID } from '../../platform/db/copy-binary.ts';
import type { CopyTarget, Queryable } from '../../platform/db/db.ts';
import type { SealedRecord } from './record-crypto.ts';

export interface RecordRow {
  id: string;
  owner_id: string;
  dek_wrapped: Buffer;
  kek_version: number;
  dek_version: number;
  is_canary: boolean;
  field_names: string[];
  field_ciphertexts: Buffer[];
}

const RECORD_COLUMNS = 'id, owner_id, dek_wrapped, kek_version, dek_version, is_canary, field_names, field_ciphertexts';

/** PGlite returns bytea[] elements as Uint8Array; make them Buffers like pg does. */
const asBuffers = (xs: Uint8Array[] | null): Buffer[] =>
  (xs ?? []).map((x) => (Buffer.isBuffer(x) ? x : Buffer.from(x)));
const fixRow = (r: RecordRow): RecordRow => ({ ...r, field_ciphertexts: asBuffers(r.field_ciphertexts) });

/** The field ciphertexts of loaded records, as (record, field, ciphertext). */
export function fieldsOf(rows: RecordRow[]): { record_id: string; field: string; ciphertext: Buffer }[] {
  return rows.flatMap((r) =>
    r.field_names.map((field, i) => ({ record_id: r.id, field, ciphertext: r.field_ciphertexts[i] as Buffer })),
  );
}

// --- owners ---

export async function insertOwner(
  q: Queryable,
  o: { id: string; name: string; emailsSealed: Buffer; createdBy: string | null; at: Date },
) {
  await q.query(
    'INSERT INTO vault.owners (id, name, contact_emails_sealed, created_by, created_at) VALUES ($1, $2, $3, $4, $5)',
    [o.id, o.name, o.emailsSealed, o.createdBy, o.at],
  );
}

export async function listOwners(q: Queryable) {
  const { rows } = await q.query<{
    id: string;
    name: string;
    contact_emails_sealed: Buffer;
    created_at: Date;
    records: string;
  }>(
    `SELECT o.id, o.name, o.contact_emails_sealed, o.created_at,
            (SELECT count(*) FROM vault.records r WHERE r.owner_id = o.id AND r.shredded_at IS NULL AND NOT r.is_canary) AS records
       FROM vault.owners o ORDER BY o.name`,
  );
  return rows;
}

export async function ownerExists(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM vault.owners WHERE id = $1', [id])).rows.length > 0;
}

// --- records ---

export async function findRecordByRef(q: Queryable, ownerId: string, refIdx: Buffer): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(
    'SELECT id FROM vault.records WHERE owner_id = $1 AND external_ref_idx = $2',
    [ownerId, refIdx],
  );
  return rows[0]?.id;
}

export async function insertRecord(
  q: Queryable,
  r: {
    id: string;
    ownerId: string;
    refIdx: Buffer | null;
    sealed: SealedRecord;
    isCanary: boolean;
    at: Date;
    byUser: string | null;
    byToken: string | null;
    ingestId: string | null;
  },
) {
  await q.query(
    `INSERT INTO vault.records (id, owner_id, external_ref_idx, dek_wrapped, kek_version, dek_version, index_version,
                                field_names, field_ciphertexts, bidx, is_canary, created_at, created_by_user,
                                created_by_token, ingest_id)
     VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      r.id,
      r.ownerId,
      r.refIdx,
      r.sealed.dekWrapped,
      r.sealed.kekVersion,
      r.sealed.dekVersion,
      r.sealed.fields.map((f) => f.field),
      r.sealed.fields.map((f) => f.ciphertext),
      r.sealed.indexes.map((i) => i.idx),
      r.isCanary,
      r.at,
      r.byUser,
      r.byToken,
      r.ingestId,
    ],
  );
}

/** Replaces a record's wrapped key and indexes (rotation). */
export async function updateKeysAndIndexes(q: Queryable, id: string, wrapped: Buffer, version: number, idx: Buffer[]) {
  await q.query(
    'UPDATE vault.records SET dek_wrapped = $2, kek_version = $3, index_version = $3, bidx = $4 WHERE id = $1',
    [id, wrapped, version, idx],
  );
}

export async function loadRecord(q: Queryable, id: string, forUpdate = false): Promise<RecordRow | undefined> {
  const { rows } = await q.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM vault.records WHERE id = $1 AND shredded_at IS NULL ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] && fixRow(rows[0]);
}

export async function loadRecords(q: Queryable, ids: string[]): Promise<RecordRow[]> {
  if (!ids.length) return [];
  const { rows } = await q.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM vault.records WHERE id = ANY($1::uuid[]) AND shredded_at IS NULL`,
    [ids],
  );
  return rows.map(fixRow);
}

/** A batch of live records not yet on `version`, locked (rotation). */
export async function lockRecordsToRotate(q: Queryable, version: number, limit: number): Promise<RecordRow[]> {
  const { rows } = await q.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM vault.records WHERE shredded_at IS NULL AND kek_version <> $1
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [version, limit],
  );
  return rows.map(fixRow);
}

/**
 * Records matching every group; a group matches when any of its (field, indexes) pairs matches (a name token
 * may be in the full name or the company). At most `limit` ids, newest first; `ownerIds` narrows the search.
 */
export async function searchByIndexes(
  q: Queryable,
  groups: Buffer[][],
  limit: number,
  ownerIds?: string[] | null,
): Promise<string[]> {
  const params: unknown[] = [];
  const conditions = groups.map((idxs) => {
    params.push(idxs);
    return `r.bidx && $${params.length}::bytea[]`;
  });
  if (ownerIds) {
    params.push(ownerIds);
    conditions.push(`r.owner_id = ANY($${params.length}::uuid[])`);
  }
  params.push(limit);
  const { rows } = await q.query<{ id: string }>(
    `SELECT r.id FROM vault.records r WHERE r.shredded_at IS NULL AND ${conditions.join(' AND ')}
      ORDER BY r.created_at DESC, r.id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => r.id);
}

/** Crypto-shredding: the data key, every ciphertext and every index go; a tombstone row stays. */
export async function shredRecord(q: Queryable, id: string, by: string | null, at: Date): Promise<boolean> {
  const res = await q.query(
    `UPDATE vault.records SET dek_wrapped = NULL, kek_version = NULL, index_version = NULL, external_ref_idx = NULL,
            field_ciphertexts = NULL, bidx = NULL, shredded_at = $2, shredded_by = $3
      WHERE id = $1 AND shredded_at IS NULL`,
    [id, at, by],
  );
  return res.rowCount > 0;
}

// --- reveals and quotas ---

/** Records a reveal only while the record is live (a concurrent shred wins); false when it is not. */
export async function insertReveal(
  q: Queryable,
  r: { id: string; recordId: string; userId: string; at: Date; purpose: string; justificationSealed: Buffer },
): Promise<boolean> {
  const res = await q.query(
    `INSERT INTO vault.reveals (id, record_id, user_id, at, purpose, justification_sealed)
     SELECT $1, id, $3, $4, $5, $6 FROM vault.records WHERE id = $2 AND shredded_at IS NULL`,
    [r.id, r.recordId, r.userId, r.at, r.purpose, r.justificationSealed],
  );
  return res.rowCount === 1;
}

export async function revealCounts(q: Queryable, userId: string, now: Date) {
  const { rows } = await q.query<{ minute: string; hour: string; day: string; week_distinct: string }>(
    `SELECT count(*) FILTER (WHERE at > $2::timestamptz - interval '1 minute') AS minute,
            count(*) FILTER (WHERE at > $2::timestamptz - interval '1 hour') AS hour,
            count(*) FILTER (WHERE at > $2::timestamptz - interval '1 day') AS day,
            count(DISTINCT record_id) AS week_distinct
       FROM vault.reveals WHERE user_id = $1 AND at > $2::timestamptz - interval '7 days'`,
    [userId, now],
  );
  const r = rows[0];
  return {
    minute: Number(r?.minute ?? 0),
    hour: Number(r?.hour ?? 0),
    day: Number(r?.day ?? 0),
    weekDistinct: Number(r?.week_distinct ?? 0),
  };
}

export interface RevealContext {
  /** The live record, or undefined when there is none (or it was shredded). */
  record: RecordRow | undefined;
  counts: { minute: number; hour: number; day: number; weekDistinct: number };
  revealedThisWeek: boolean;
  allowlist: { cidr: string; own: boolean }[];
}

/**
 * Everything a reveal's checks read, in one round trip: the allow-list entries for the user (access's SQL, IAM-13),
 * the live record, the user's reveal counts over the quota windows and whether they revealed this record this week.
 */
export async function loadRevealContext(
  q: Queryable,
  r: { recordId: string; userId: string; now: Date; allowlistSql: (userId: string) => string },
): Promise<RevealContext> {
  const { rows } = await q.query<
    Partial<RecordRow> & {
      found: boolean | null;
      minute: string;
      hour: string;
      day: string;
      week_distinct: string;
      revealed_this_week: boolean;
      allowlist: { cidr: string; own: boolean }[];
    }
  >(
    `SELECT r.id IS NOT NULL AS found, ${RECORD_COLUMNS.split(', ')
      .map((c) => `r.${c}`)
      .join(', ')},
            c.minute, c.hour, c.day, c.week_distinct,
            EXISTS (SELECT 1 FROM vault.reveals v WHERE v.user_id = $2 AND v.record_id = $1
                       AND v.at > $3::timestamptz - interval '7 days') AS revealed_this_week,
            ${r.allowlistSql('$2')} AS allowlist
       FROM (SELECT count(*) FILTER (WHERE at > $3::timestamptz - interval '1 minute') AS minute,
                    count(*) FILTER (WHERE at > $3::timestamptz - interval '1 hour') AS hour,
                    count(*) FILTER (WHERE at > $3::timestamptz - interval '1 day') AS day,
                    count(DISTINCT record_id) AS week_distinct
               FROM vault.reveals WHERE user_id = $2 AND at > $3::timestamptz - interval '7 days') c
       LEFT JOIN vault.records r ON r.id = $1 AND r.shredded_at IS NULL`,
    [r.recordId, r.userId, r.now],
  );
  const x = rows[0];
  if (!x) throw new Error('reveal context query returned no row');
  const { found, minute, hour, day, week_distinct, revealed_this_week, allowlist, ...record } = x;
  return {
    record: found ? fixRow(record as RecordRow) : undefined,
    counts: { minute: Number(minute), hour: Number(hour), day: Number(day), weekDistinct: Number(week_distinct) },
    revealedThisWeek: revealed_this_week,
    allowlist,
  };
}

export async function hasRevealedThisWeek(q: Queryable, userId: string, recordId: string, now: Date) {
  const { rows } = await q.query(
    `SELECT 1 FROM vault.reveals WHERE user_id = $1 AND record_id = $2 AND at > $3::timestamptz - interval '7 days' LIMIT 1`,
    [userId, recordId, now],
  );
  return rows.length > 0;
}

// --- ingests ---

export async function insertIngest(
  q: Queryable,
  i: { id: string; ownerId: string | null; format: string; at: Date; byUser: string | null; byToken: string | null },
) {
  await q.query(
    `INSERT INTO vault.ingests (id, owner_id, format, status, started_at, created_by_user, created_by_token)
     VALUES ($1, $2, $3, 'running', $4, $5, $6)`,
    [i.id, i.ownerId, i.format, i.at, i.byUser, i.byToken],
  );
}

export async function updateIngest(
  q: Queryable,
  id: string,
  p: { lines: number; accepted: number; rejected: number; bytes: number; status?: string; sha256?: string; at?: Date },
) {
  await q.query(
    `UPDATE vault.ingests SET lines = $2, accepted = $3, rejected = $4, bytes = $5,
            status = coalesce($6, status), sha256 = coalesce($7, sha256), finished_at = coalesce($8, finished_at)
      WHERE id = $1`,
    [id, p.lines, p.accepted, p.rejected, p.bytes, p.status ?? null, p.sha256 ?? null, p.at ?? null],
  );
}

export async function getIngest(q: Queryable, id: string) {
  const { rows } = await q.query<{
    id: string;
    owner_id: string | null;
    format: string;
    status: string;
    lines: number;
    accepted: number;
    rejected: number;
    bytes: string;
    sha256: string | null;
    started_at: Date;
    finished_at: Date | null;
    created_by_user: string | null;
    created_by_token: string | null;
  }>('SELECT * FROM vault.ingests WHERE id = $1', [id]);
  return rows[0];
}

/** Which of these external-reference indexes already exist for the owner (idempotent bulk ingest). */
export async function existingRefs(q: Queryable, pairs: { ownerId: string; refIdx: Buffer }[]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const { rows } = await q.query<{ owner_id: string; external_ref_idx: Buffer }>(
    `SELECT owner_id, external_ref_idx FROM vault.records
      WHERE (owner_id, external_ref_idx) IN (SELECT * FROM unnest($1::uuid[], $2::bytea[]))`,
    [pairs.map((p) => p.ownerId), pairs.map((p) => p.refIdx)],
  );
  return new Set(rows.map((r) => `${r.owner_id}:${r.external_ref_idx.toString('hex')}`));
}

/** The columns bulk ingest writes with COPY, in the order of `writeRecordCopyRow`. */
const RECORD_COPY_TARGET = `vault.records (id, owner_id, external_ref_idx, dek_wrapped, kek_version, dek_version,
  index_version, field_names, field_ciphertexts, bidx, created_at, created_by_user, created_by_token, ingest_id)`;

/** One sealed record as a binary COPY row for RECORD_COPY_TARGET (types must match the columns exactly). */
export function writeRecordCopyRow(
  w: BinaryCopyWriter,
  r: {
    id: string;
    ownerId: string;
    refIdx: Buffer | null;
    sealed: SealedRecord;
    at: Date;
    byUser: string | null;
    byToken: string | null;
    ingestId: string | null;
  },
) {
  w.row(14)
    .uuid(r.id)
    .uuid(r.ownerId)
    .bytea(r.refIdx)
    .bytea(r.sealed.dekWrapped)
    .int4(r.sealed.kekVersion)
    .int4(r.sealed.dekVersion)
    .int4(r.sealed.kekVersion) // index_version: indexes are made under the same root version
    .textArray(r.sealed.fields.map((f) => f.field))
    .array(
      OID.bytea,
      r.sealed.fields.map((f) => f.ciphertext),
    )
    .array(
      OID.bytea,
      r.sealed.indexes.map((i) => i.idx),
    )
    .timestamptz(r.at)
    .uuid(r.byUser)
    .uuid(r.byToken)
    .uuid(r.ingestId);
}

/** Sealed records (rows from writeRecordCopyRow) in one COPY; returns how many were written. */
export function copyRecords(tx: CopyTarget, rows: readonly Uint8Array[]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  return tx.copyBinary(RECORD_COPY_TARGET, copyPayload(rows));
}

/** Many sealed records in one statement (unnest of parallel arrays; field ciphertexts and indexes as arrays). */
export async function insertRecordsBatch(
  q: Queryable,
  items: {
    id: string;
    ownerId: string;
    refIdx: Buffer | null;
    sealed: SealedRecord;
    at: Date;
    byUser: string | null;
    byToken: string | null;
    ingestId: string | null;
  }[],
) {
  if (!items.length) return;
  // arrays of arrays cannot be ragged in PostgreSQL, so each record's bytea[] travels as one hex-joined text
  const joinHex = (bs: Buffer[]) => bs.map((b) => b.toString('hex')).join(',');
  await q.query(
    `INSERT INTO vault.records (id, owner_id, external_ref_idx, dek_wrapped, kek_version, dek_version, index_version,
                                field_names, field_ciphertexts, bidx, created_at, created_by_user, created_by_token,
                                ingest_id)
     SELECT id, owner_id, ref, dek, kv, dv, kv, string_to_array(names, ','),
            (SELECT array_agg(decode(x, 'hex') ORDER BY n) FROM unnest(string_to_array(cts, ',')) WITH ORDINALITY AS u(x, n)),
            (SELECT coalesce(array_agg(decode(x, 'hex')), '{}') FROM unnest(string_to_array(idx, ',')) AS x),
            at, bu, bt, ing
       FROM unnest($1::uuid[], $2::uuid[], $3::bytea[], $4::bytea[], $5::int[], $6::int[], $7::text[], $8::text[],
                   $9::text[], $10::timestamptz[], $11::uuid[], $12::uuid[], $13::uuid[])
         AS t(id, owner_id, ref, dek, kv, dv, names, cts, idx, at, bu, bt, ing)`,
    [
      items.map((i) => i.id),
      items.map((i) => i.ownerId),
      items.map((i) => i.refIdx),
      items.map((i) => i.sealed.dekWrapped),
      items.map((i) => i.sealed.kekVersion),
      items.map((i) => i.sealed.dekVersion),
      items.map((i) => i.sealed.fields.map((f) => f.field).join(',')),
      items.map((i) => joinHex(i.sealed.fields.map((f) => f.ciphertext))),
      items.map((i) => joinHex(i.sealed.indexes.map((x) => x.idx))),
      items.map((i) => i.at),
      items.map((i) => i.byUser),
      items.map((i) => i.byToken),
      items.map((i) => i.ingestId),
    ],
  );
}

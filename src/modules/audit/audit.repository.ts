/** SQL for the audit log, in one place. The Queryable is always the first argument. */
import type { Queryable } from '../../platform/db/db.ts';
import type { StoredEntry } from './audit.chain.ts';

/** The columns an entry has before the integrator gives it a place (pending) and after (entries). */
export interface EntryColumns {
  at: Date;
  action: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  ip_hash: string | null;
  request_id: string | null;
  details: unknown;
}

/** A row of `audit.entries`. */
export interface EntryRow extends EntryColumns {
  seq: string;
  prev_hash: Buffer;
  hash: Buffer;
}

const COLUMNS =
  'seq, at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id, details, prev_hash, hash';

const toEntry = (r: EntryRow): StoredEntry => ({
  seq: String(r.seq),
  at: r.at.toISOString(),
  action: r.action,
  outcome: r.outcome,
  actorType: r.actor_type,
  actorId: r.actor_id,
  targetType: r.target_type,
  targetId: r.target_id,
  ipHash: r.ip_hash,
  requestId: r.request_id,
  details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export async function readHead(q: Queryable): Promise<{ seq: string; hash: Buffer }> {
  const { rows } = await q.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit.head');
  const head = rows[0];
  if (!head) throw new Error('audit.head is missing');
  return { seq: String(head.seq), hash: head.hash };
}

export interface PendingFields {
  at: string;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ipHash: string | null;
  requestId: string | null;
  details: unknown;
}

/** The caller's part of an append: one row, no lock beyond the row itself. Returns the pending id. */
export async function insertPending(q: Queryable, e: PendingFields): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO audit.pending (at, action, outcome, actor_type, actor_id, target_type, target_id, ip_hash, request_id,
                                details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      e.at,
      e.action,
      e.outcome,
      e.actorType,
      e.actorId,
      e.targetType,
      e.targetId,
      e.ipHash,
      e.requestId,
      JSON.stringify(e.details),
    ],
  );
  return String(rows[0]?.id);
}

export interface ListFilter {
  action?: string | undefined;
  outcome?: string | undefined;
  actorId?: string | undefined;
  /** Entries at or after this time. */
  from?: Date | undefined;
  /** Entries before this time. */
  to?: Date | undefined;
  before?: string | undefined;
  limit: number;
}

export async function listEntries(q: Queryable, f: ListFilter): Promise<StoredEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.action) add('action = ?', f.action);
  if (f.outcome) add('outcome = ?', f.outcome);
  if (f.actorId) add('actor_id = ?', f.actorId);
  if (f.from) add('at >= ?', f.from);
  if (f.to) add('at < ?', f.to);
  if (f.before) add('seq < ?', f.before);
  params.push(f.limit);
  const { rows } = await q.query<EntryRow>(
    `SELECT ${COLUMNS} FROM audit.entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toEntry);
}

/** Entries with seq > afterSeq in ascending order, for verification in bounded batches. */
export async function entriesAfter(
  q: Queryable,
  afterSeq: string,
  limit: number,
  upTo?: string,
): Promise<StoredEntry[]> {
  const { rows } = await q.query<EntryRow>(
    upTo === undefined
      ? `SELECT ${COLUMNS} FROM audit.entries WHERE seq > $1 ORDER BY seq ASC LIMIT $2`
      : `SELECT ${COLUMNS} FROM audit.entries WHERE seq > $1 AND seq <= $3 ORDER BY seq ASC LIMIT $2`,
    upTo === undefined ? [afterSeq, limit] : [afterSeq, limit, upTo],
  );
  return rows.map(toEntry);
}

export interface TombstoneRow {
  through_seq: string;
  from_seq: string;
  cutoff: Date;
  pruned_at: Date;
  body: string;
  signature: Buffer;
}

export async function tombstones(q: Queryable): Promise<TombstoneRow[]> {
  const { rows } = await q.query<TombstoneRow>(
    'SELECT through_seq, from_seq, cutoff, pruned_at, body, signature FROM audit.tombstones ORDER BY through_seq',
  );
  return rows;
}

export async function firstSeq(q: Queryable): Promise<string | undefined> {
  const { rows } = await q.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM audit.entries');
  return rows[0]?.seq == null ? undefined : String(rows[0].seq);
}

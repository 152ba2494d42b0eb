/** SQL for the audit log, in one place. The Queryable is always the first argument. */
import type { Queryable } from '../../platform/db/db.ts';
import type { StoredEntry } from './audit.chain.ts';

interface EntryRow {
  seq: string;
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

/** Locks the head row for this transaction: appends are serialised into one total order. */
export async function lockHead(q: Queryable): Promise<{ seq: string; hash: Buffer }> {
  const { rows } = await q.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit.head FOR UPDATE');
  const head = rows[0];
  if (!head) throw new Error('audit.head is missing');
  return { seq: String(head.seq), hash: head.hash };
}

export async function readHead(q: Queryable): Promise<{ seq: string; hash: Buffer }> {
  const { rows } = await q.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM audit.head');
  const head = rows[0];
  if (!head) throw new Error('audit.head is missing');
  return { seq: String(head.seq), hash: head.hash };
}

export async function insertEntry(q: Queryable, e: StoredEntry): Promise<void> {
  await q.query(
    `INSERT INTO audit.entries (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      e.seq,
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
      e.prevHash,
      e.hash,
    ],
  );
  await q.query('UPDATE audit.head SET seq = $1, hash = $2', [e.seq, e.hash]);
}

export interface ListFilter {
  action?: string | undefined;
  outcome?: string | undefined;
  actorId?: string | undefined;
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
export async function entriesAfter(q: Queryable, afterSeq: string, limit: number): Promise<StoredEntry[]> {
  const { rows } = await q.query<EntryRow>(
    `SELECT ${COLUMNS} FROM audit.entries WHERE seq > $1 ORDER BY seq ASC LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map(toEntry);
}

export async function firstSeq(q: Queryable): Promise<string | undefined> {
  const { rows } = await q.query<{ seq: string | null }>('SELECT min(seq) AS seq FROM audit.entries');
  return rows[0]?.seq == null ? undefined : String(rows[0].seq);
}

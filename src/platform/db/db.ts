/**
 * One small database API over both drivers: the embedded PGlite (default, one node) and PostgreSQL via a
 * `pg` Pool (when DATABASE_URL is set). Repositories take a `Queryable` as their first argument and use
 * parameterised SQL only. The two drivers are normalised: int8/numeric come back as strings and bytea as
 * Buffer on both.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * A transaction: queries plus work to run only once it has committed (events, detection, caches). The
 * transaction's promise resolves after that work, so a response is sent only once detection has decided.
 */
export interface Tx extends Queryable {
  afterCommit(fn: () => void | Promise<void>): void;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
  /** The raw handles, for pg-boss and tests. */
  readonly pglite: PGlite | undefined;
  readonly pool: pg.Pool | undefined;
}

const keepAsString = (v: string) => v;

function normaliseRows<R>(rows: unknown[]): R[] {
  for (const row of rows as Row[]) {
    for (const k in row) {
      const v = row[k];
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return rows as R[];
}

function pgliteQueryable(q: Pick<PGlite, 'query'>): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query(sql, params as unknown[]);
      return { rows: normaliseRows<R>(res.rows), rowCount: res.affectedRows ?? res.rows.length };
    },
  };
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent the embedded database is used. */
  url?: string | undefined;
  /** Directory of the embedded database, or 'memory://' */
  pgliteDir?: string;
  /** A PGlite data-dir tarball to start from (test clones). */
  loadDataDir?: Blob | File;
  poolMax?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Db> {
  if (opts.url) return openPostgres(opts.url, opts.poolMax ?? 10);
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) await mkdir(dir, { recursive: true, mode: 0o700 });
  const lite = await PGlite.create(dir, {
    parsers: { 20: keepAsString, 1700: keepAsString },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const base = pgliteQueryable(lite);
  return {
    kind: 'pglite',
    pglite: lite,
    pool: undefined,
    query: base.query,
    transaction: (fn) => withAfterCommit(fn, (run) => lite.transaction((tx) => run(pgliteQueryable(tx)))),
    execScript: async (sql) => {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}

function openPostgres(url: string, max: number): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const query = async <R>(sql: string, params: readonly unknown[] = []) => {
    const res = await pool.query(sql, params as unknown[]);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    pglite: undefined,
    pool,
    query,
    transaction: (fn) => withAfterCommit(fn, (run) => pgTransaction(pool, run)),
    async execScript(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

async function pgTransaction<T>(pool: pg.Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const tx: Queryable = {
      async query<R>(sql: string, params: readonly unknown[] = []) {
        const res = await client.query(sql, params as unknown[]);
        return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
      },
    };
    const out = await fn(tx);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Adds `afterCommit` to a driver's transaction; callbacks run in order once the commit has succeeded. */
async function withAfterCommit<T>(
  fn: (tx: Tx) => Promise<T>,
  runInTransaction: (run: (q: Queryable) => Promise<T>) => Promise<T>,
): Promise<T> {
  const callbacks: (() => void | Promise<void>)[] = [];
  const out = await runInTransaction((q) => fn({ query: q.query, afterCommit: (cb) => callbacks.push(cb) }));
  for (const cb of callbacks) await cb();
  return out;
}

/** True when the error is PostgreSQL's unique-violation (23505), on either driver. */
export const isUniqueViolation = (err: unknown): boolean => (err as { code?: string } | null)?.code === '23505';

/**
 * Plain-SQL, forward-only migrations per module, applied by postgrator. Each module owns one PostgreSQL
 * schema and tracks its own versions in `<schema>.schemaversion`, so modules evolve independently.
 * Files: `src/modules/<module>/migrations/<yyyymmddhhmmss>.do.<what>.sql`.
 */
import path from 'node:path';
import Postgrator from 'postgrator';
import type { Db } from './db.ts';

export interface ModuleMigrations {
  /** Also the PostgreSQL schema name. */
  schema: string;
  dir: string;
}

/** Serialises concurrent migrators (several nodes starting at once) with a session-level advisory lock. */
const MIGRATION_LOCK_KEY = 0x5354524f; // 'STRO'

export async function migrate(db: Db, modules: readonly ModuleMigrations[]): Promise<void> {
  if (!db.pool) return migrateOn(db.query, db.execScript, modules);
  const client = await db.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const query = async (sql: string) => {
      const res = await client.query(sql);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    };
    await migrateOn(query, async (sql) => void (await client.query(sql)), modules);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.query('RESET search_path').catch(() => {});
    client.release();
  }
}

async function migrateOn(
  query: Db['query'],
  execScript: (sql: string) => Promise<void>,
  modules: readonly ModuleMigrations[],
): Promise<void> {
  const dbName = (await query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? 'postgres';
  for (const m of modules) {
    if (!/^[a-z_]+$/.test(m.schema)) throw new Error(`bad schema name ${m.schema}`);
    await execScript(`CREATE SCHEMA IF NOT EXISTS ${m.schema}`);
    const postgrator = new Postgrator({
      migrationPattern: path.join(m.dir, '*.sql'),
      driver: 'pg',
      database: dbName,
      schemaTable: `${m.schema}.schemaversion`,
      currentSchema: m.schema,
      execQuery: (sql: string) => query(sql),
      execSqlScript: (sql: string) => execScript(sql),
    });
    await postgrator.migrate();
  }
  // postgrator's currentSchema sets search_path; put it back so unqualified names never resolve by accident.
  await execScript('SET search_path TO public');
}

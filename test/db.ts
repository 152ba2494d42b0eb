/**
 * A fresh, fully migrated database for one test file: a PGlite clone, or a PostgreSQL database created from
 * the run's template when TEST_DATABASE_URL is set. `superuser` runs SQL with the rights an attacker with
 * database access would have (to drop triggers and tamper), bypassing the application.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type Db, openDatabase } from '../src/platform/db/db.ts';
import { withDatabase } from './db-url.ts';

export interface TestDb {
  db: Db;
  /** Runs SQL outside the app's API, as a database superuser. */
  superuser(sql: string, params?: unknown[]): Promise<unknown[]>;
  url: string | undefined;
  close(): Promise<void>;
}

export const usingPostgres = (): boolean => Boolean(inject('pgTemplate'));

export async function createTestDb(): Promise<TestDb> {
  const template = inject('pgTemplate');
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (template && baseUrl) {
    const name = `strongroom_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const url = withDatabase(baseUrl, name);
    const db = await openDatabase({ url, poolMax: 5 });
    return {
      db,
      url,
      superuser: async (sql, params) => (await db.query(sql, params)).rows,
      async close() {
        await db.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteDump'));
  const db = await openDatabase({ pgliteDir: 'memory://', loadDataDir: new Blob([dump]) });
  return {
    db,
    url: undefined,
    superuser: async (sql, params) => (await db.query(sql, params)).rows,
    close: () => db.close(),
  };
}

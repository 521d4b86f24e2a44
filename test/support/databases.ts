// HQ tests run against both databases: PGlite in memory, and real PostgreSQL from TEST_DATABASE_URL.
// Each PostgreSQL test gets a schema of its own, so test files can run in parallel.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../src-hq/db/database.js';
import { migrate } from '../../src-hq/db/migrate.js';

export const POSTGRES_HINT =
  'TEST_DATABASE_URL is not set or PostgreSQL is unreachable. Run `./loyalty test` (it installs and starts ' +
  'PostgreSQL: apt-get install postgresql; scripts/ci-postgres.sh), or set TEST_DATABASE_URL to a database you own.';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  db: Db;
  /** PostgreSQL only: a connection string scoped to this test's schema (for another process, e.g. HQ). */
  url?: string;
  close(): Promise<void>;
}

export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await openPglite();
  await migrate(db);
  return { name: 'pglite', db, close: () => db.close() };
}

/** A fresh schema in the test PostgreSQL database; fails (never skips) when PostgreSQL is missing. */
export async function postgresDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error(POSTGRES_HINT);
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`${POSTGRES_HINT}\n(${(error as Error).message})`, { cause: error });
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(scoped.toString(), options);
  await migrate(db);
  return {
    name: 'postgres',
    db,
    url: scoped.toString(),
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
      await dropper.end();
    },
  };
}

/** Both databases, for `describe.each`. */
export const databases = [
  ['pglite', pgliteDatabase],
  ['postgres', postgresDatabase],
] as const;

/**
 * One lifecycle for a test file's database, inside `describe.each(databases)`: opened (then `setup` run)
 * before the tests, closed after them. The Db it returns forwards to the open database, so tests use it
 * as any Db.
 */
export function testDatabase(open: () => Promise<TestDatabase>, setup?: (db: Db) => Promise<unknown>): Db {
  let current: TestDatabase | null = null;
  const db = (): Db => {
    if (!current) throw new Error('the test database is open only while the tests of its describe run');
    return current.db;
  };
  beforeAll(async () => {
    current = await open();
    await setup?.(current.db);
  });
  afterAll(async () => {
    await current?.close();
    current = null;
  });
  return {
    get kind() {
      return db().kind;
    },
    query: (text, params) => db().query(text, params),
    transaction: (fn) => db().transaction(fn),
    exec: (script) => db().exec(script),
    listen: (channel, handler, options) => db().listen(channel, handler, options),
    close: () => db().close(),
  };
}

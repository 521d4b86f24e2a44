// One SQL code path for both HQ databases: PostgreSQL through `pg` in production, PGlite (PostgreSQL in
// WASM, a data folder on disk) as the embedded default. Store code sees only `Db`: parameterised
// queries and transactions, with the same value types from both (bigint as number, timestamps as ISO).
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs a parameterised statement: the database or an open transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const toIso = (value: string): string => new Date(value).toISOString();
/** Sequence numbers and counts stay far below 2^53; numbers are what the domain uses. */
const toNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
  return n;
};

export function openPostgres(connectionString: string, options: { max?: number } = {}): Db {
  const parsers: Record<number, (value: string) => unknown> = { [INT8]: toNumber, [TIMESTAMPTZ]: toIso };
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash HQ; the pool replaces it.
  pool.on('error', () => undefined);
  const run = async <R>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) => {
    const result = await client.query(text, params as unknown[] | undefined);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

/** PGlite on a data folder, or in memory when `dataDir` is omitted (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: {
      [pgliteTypes.INT8]: (v: string) => toNumber(v),
      [pgliteTypes.TIMESTAMPTZ]: (v: string) => toIso(v),
    },
  });
  await db.waitReady;
  const wrap = (target: { query: PGlite['query'] }): Queryable => ({
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await target.query<R>(text, params as unknown[] | undefined);
      // PGlite reports affectedRows 0 for a SELECT; count the rows of statements that return some.
      const returnsRows = result.fields.length > 0;
      return { rows: result.rows, rowCount: returnsRows ? result.rows.length : (result.affectedRows ?? 0) };
    },
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async exec(script) {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}

/** DATABASE_URL selects PostgreSQL; otherwise the PGlite folder. */
export async function openDatabase(config: {
  DATABASE_URL?: string | undefined;
  HQ_DATA_DIR: string;
}): Promise<Db> {
  return config.DATABASE_URL ? openPostgres(config.DATABASE_URL) : openPglite(config.HQ_DATA_DIR);
}

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
  /**
   * Calls `handler` with the payload of every notification on `channel` (PostgreSQL LISTEN/NOTIFY, so
   * it hears every HQ process writing to the same database). Resolves once listening; returns a function
   * that stops. On PostgreSQL a dedicated connection listens and reconnects with backoff when lost;
   * notifications sent while it was down are lost, so `onReconnect` is called once listening again.
   */
  listen(channel: string, handler: (payload: string) => void, options?: ListenOptions): Promise<Unlisten>;
  close(): Promise<void>;
}

export type Unlisten = () => Promise<void>;

export interface ListenOptions {
  /** Called after a lost listening connection is back: anything notified meanwhile was missed. */
  onReconnect?: () => void;
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
  const listeners = new Set<Unlisten>();
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
    async listen(channel, handler, listenOptions = {}) {
      const stop = await pgListen(connectionString, channel, handler, listenOptions);
      const unlisten: Unlisten = async () => {
        listeners.delete(unlisten);
        await stop();
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await pool.end();
    },
  };
}

const LISTEN_RETRY_MIN_MS = 250;
const LISTEN_RETRY_MAX_MS = 30_000;

/** A dedicated connection that LISTENs on `channel`, reconnecting with exponential backoff when lost. */
async function pgListen(
  connectionString: string,
  channel: string,
  handler: (payload: string) => void,
  options: ListenOptions,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel === channel) handler(message.payload ?? '');
    });
    // A lost connection emits 'error' (and/or 'end'); both lead to one reconnect.
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeAllListeners();
      next.on('error', () => undefined);
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };

  const lost = (which: pg.Client): void => {
    if (stopped || client !== which) return;
    client = null;
    which.end().catch(() => undefined);
    schedule();
  };

  const schedule = (): void => {
    const delay = Math.min(LISTEN_RETRY_MAX_MS, LISTEN_RETRY_MIN_MS * 2 ** failures);
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
        () => {
          failures = 0;
          if (!stopped) options.onReconnect?.();
        },
        () => {
          failures += 1;
          if (!stopped) schedule();
        },
      );
    }, delay);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
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
    // One process owns a PGlite folder, so its own notifications are all there is to hear.
    listen: (channel, handler) => db.listen(channel, handler),
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

// One SQL code path for both HQ databases: PostgreSQL through `pg` in production, PGlite (PostgreSQL in
// WASM, a data folder on disk) as the embedded default. Store code sees only `Db`: parameterised
// queries and transactions, with the same value types from both (bigint as number, timestamps as ISO).
// A database that cannot be reached (a backend terminated, a restart, a failover, a pool exhausted by the
// server) surfaces as one error, DatabaseUnavailableError, never as a crash: every pg client has an
// 'error' listener for its whole life, and a client broken inside a transaction is discarded, not reused.
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { backoffDelay } from '../../src-shared/kernel/backoff.js';
import { systemTimers, type TimerHandle } from '../../src-shared/kernel/timers.js';
import { Floor } from './floor.js';

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

// ---- availability --------------------------------------------------------------------------------------

/** SQLSTATEs that mean "the server is going away, restarting, or refusing connections": retry later. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '53300', // too_many_connections
]);
/** Socket errors on the way to the server. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** pg, pg-pool and PGlite say these in words only (no code). */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Cannot use a pool after calling end on the pool/i,
  /PGlite is closed/i,
];

/**
 * The database could not be reached or dropped the connection: nothing this request asked for can be
 * assumed done or undone (a COMMIT lost on the way may have happened), so the caller retries; HQ's writes
 * are idempotent by event id. The API answers 503 with Retry-After.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  /** The SQLSTATE, socket error code or `connection-lost` that classified it. */
  readonly reason: string;
  constructor(reason: string, options: { cause?: unknown } = {}) {
    super(`The database is unavailable (${reason}).`, options);
    this.reason = reason;
  }
}

/** Why `error` means the database is unavailable (a SQLSTATE, an errno, `connection-lost`), or null. */
function unavailableReason(error: unknown, depth = 0): string | null {
  if (depth > 4 || typeof error !== 'object' || error === null) return null;
  if (error instanceof DatabaseUnavailableError) return error.reason;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code)))
    return code;
  // Only a bare Error is read by its words: HQ's own errors may quote a client's text.
  const bare = Object.getPrototypeOf(error) === Error.prototype;
  if (bare && typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) {
    return 'connection-lost';
  }
  // Node wraps the attempts on each address of a host in an AggregateError.
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const reason = unavailableReason(inner, depth + 1);
      if (reason) return reason;
    }
  }
  return unavailableReason(cause, depth + 1);
}

/** True when `error` (or its cause) says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableReason(error) !== null;
}

/** `error` as a DatabaseUnavailableError when it is one in substance; any other error as it is. */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const reason = unavailableReason(error);
  return reason === null ? error : new DatabaseUnavailableError(reason, { cause: error });
}

export interface AvailabilityState {
  /** False from the first unavailable error until a statement succeeds again. */
  reachable: boolean;
  /** When the current outage began (ISO), while unreachable. */
  unavailableSince?: string;
  /** The last outage that ended, for operators who look after the fact. */
  lastOutage?: { from: string; to: string; reason: string };
}

export type AvailabilityChange =
  | { reachable: false; error: DatabaseUnavailableError }
  | { reachable: true; outage: { from: string; to: string; reason: string } };

/**
 * Whether the database answered last: flips to unreachable on the first DatabaseUnavailableError and
 * back on the first statement that succeeds. `onChange` hears the flips only, so an outage is logged once
 * however many requests fail during it.
 */
export class DatabaseAvailability {
  private down: { since: number; reason: string } | null = null;
  private lastOutage: AvailabilityState['lastOutage'];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly onChange: (change: AvailabilityChange) => void = () => undefined,
  ) {}

  failed(error: unknown): void {
    if (this.down) return;
    const unavailable = asDatabaseError(error);
    if (!(unavailable instanceof DatabaseUnavailableError)) return;
    this.down = { since: this.now(), reason: unavailable.reason };
    this.onChange({ reachable: false, error: unavailable });
  }

  succeeded(): void {
    const down = this.down;
    if (!down) return;
    this.down = null;
    const outage = {
      from: new Date(down.since).toISOString(),
      to: new Date(this.now()).toISOString(),
      reason: down.reason,
    };
    this.lastOutage = outage;
    this.onChange({ reachable: true, outage });
  }

  state(): AvailabilityState {
    return {
      reachable: this.down === null,
      ...(this.down ? { unavailableSince: new Date(this.down.since).toISOString() } : {}),
      ...(this.lastOutage ? { lastOutage: this.lastOutage } : {}),
    };
  }
}

/**
 * `db` reporting every outcome to `availability`: a success marks the database reachable, an
 * unavailability error (normalised to DatabaseUnavailableError) marks it unreachable. Other errors (a
 * constraint, a refused batch) say nothing about reachability and pass through as they are.
 */
export function trackAvailability(db: Db, availability: DatabaseAvailability): Db {
  const observe = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      availability.succeeded();
      return result;
    } catch (error) {
      const normalised = asDatabaseError(error);
      if (normalised instanceof DatabaseUnavailableError) availability.failed(normalised);
      throw normalised;
    }
  };
  return {
    kind: db.kind,
    query: (text, params) => observe(() => db.query(text, params)),
    transaction: (fn) => observe(() => db.transaction(fn)),
    exec: (script) => observe(() => db.exec(script)),
    listen: (channel, handler, options) => observe(() => db.listen(channel, handler, options)),
    close: () => db.close(),
  };
}

// ---- PostgreSQL ------------------------------------------------------------------------------------------

/** How HQ's connections are named in pg_stat_activity, so operators (and tests) can find them. */
export const DEFAULT_APPLICATION_NAME = 'loyalty-hq';

/**
 * Connections per HQ process: at most this many transactions at once, the rest wait in the process for a
 * connection (pushes beyond it queue in Node rather than in PostgreSQL's lock and CPU queues).
 */
export const DEFAULT_POOL_SIZE = 10;

export interface PostgresOptions {
  /** Pool size (default DEFAULT_POOL_SIZE). */
  max?: number;
  /** application_name of every connection (default `loyalty-hq`; the URL's own setting wins). */
  applicationName?: string;
  /** How long to wait for a new connection before answering "unavailable" (default 5 s). */
  connectTimeoutMs?: number;
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

export function openPostgres(connectionString: string, options: PostgresOptions = {}): Db {
  const parsers: Record<number, (value: string) => unknown> = { [INT8]: toNumber, [TIMESTAMPTZ]: toIso };
  const clientConfig: pg.ClientConfig = {
    connectionString,
    application_name: options.applicationName ?? DEFAULT_APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // A peer that vanished without a FIN (a failover, a cut cable) is noticed instead of waited on forever.
    keepAlive: true,
  };
  const pool = new pg.Pool({
    ...clientConfig,
    max: options.max ?? DEFAULT_POOL_SIZE,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        parsers[oid] ??
        (pg.types.getTypeParser(oid, format as 'text') as (
          value: string,
        ) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection: the pool discards it and reports here; the next query fails
  // or gets a fresh connection, and that is what the API reports.
  pool.on('error', () => undefined);
  // pg-pool listens for 'error' only while a client is idle: one that breaks while checked out (a
  // terminated backend mid-transaction) would emit an unhandled 'error' and end the process. Every client
  // gets a listener for its whole life; the query that was running rejects and says what happened.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const listeners = new Set<Unlisten>();
  const run = async <R>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) => {
    try {
      const result = await client.query(text, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw asDatabaseError(error);
    }
  };
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw asDatabaseError(error);
      }
      // The connection's own error (it arrives besides, or instead of, the failing query's rejection).
      let broken: unknown = null;
      const onError = (error: unknown): void => {
        broken ??= error;
      };
      client.on('error', onError);
      try {
        await run(client, 'BEGIN');
        const result = await fn({ query: (text, params) => run(client, text, params) });
        // A COMMIT lost with its connection has an unknown outcome: it surfaces as unavailable, and the
        // retry it calls for is harmless because every write is idempotent by id.
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        // On a lost connection PostgreSQL rolls the transaction back itself: nothing is half-written.
        if (isDatabaseUnavailable(error)) {
          broken ??= error;
          throw asDatabaseError(error);
        }
        // The connection died under `fn`, which then failed in its own words: the loss is the cause.
        if (broken !== null) throw asDatabaseError(broken);
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onError);
        // release(error) makes the pool destroy the client instead of handing a dead one to the next caller.
        const discard = broken === null ? undefined : broken instanceof Error ? broken : new Error('broken');
        client.release(discard);
      }
    },
    async exec(script) {
      try {
        await pool.query(script);
      } catch (error) {
        throw asDatabaseError(error);
      }
    },
    async listen(channel, handler, listenOptions = {}) {
      const stop = await pgListen(clientConfig, channel, handler, listenOptions);
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

const LISTEN_RETRY = { initialMs: 250, maxMs: 30_000 };

/** A dedicated connection that LISTENs on `channel`, reconnecting with exponential backoff when lost. */
async function pgListen(
  clientConfig: pg.ClientConfig,
  channel: string,
  handler: (payload: string) => void,
  options: ListenOptions,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let failures = 0;
  let timer: TimerHandle | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(clientConfig);
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
      throw asDatabaseError(error);
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
    // systemTimers are unref'd: a reconnect pending does not keep HQ's process alive.
    timer = systemTimers.setTimeout(
      () => {
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
      },
      backoffDelay(LISTEN_RETRY, failures),
    );
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer !== undefined) systemTimers.clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

/** A PGlite Db, with what sharing it over a socket needs (pglite-share.ts). */
export interface PgliteDb extends Db {
  readonly kind: 'pglite';
  /** The instance itself, and the floor every use of it takes: HQ's statements and socket sessions alike. */
  readonly engine: {
    readonly pglite: PGlite;
    readonly floor: Floor;
    /**
     * Hands a notification to this Db's listeners. PGlite hears only its own API's notifications; one a
     * socket session's commit raises arrives in that session's output, and the share passes it on here.
     */
    notify(channel: string, payload: string): void;
  };
}

/**
 * PGlite on a data folder, or in memory when `dataDir` is omitted (tests). Every statement, transaction,
 * script and LISTEN takes the floor (floor.ts), so a socket session sharing this PGlite never runs inside
 * one of HQ's transactions, nor HQ's statements inside one of its own.
 */
export async function openPglite(dataDir?: string): Promise<PgliteDb> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: {
      [pgliteTypes.INT8]: (v: string) => toNumber(v),
      [pgliteTypes.TIMESTAMPTZ]: (v: string) => toIso(v),
    },
  });
  await db.waitReady;
  const floor = new Floor();
  const wrap = (target: { query: PGlite['query'] }): Queryable => ({
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await target.query<R>(text, params as unknown[] | undefined).catch((error: unknown) => {
        throw asDatabaseError(error);
      });
      // PGlite reports affectedRows 0 for a SELECT; count the rows of statements that return some.
      const returnsRows = result.fields.length > 0;
      return { rows: result.rows, rowCount: returnsRows ? result.rows.length : (result.affectedRows ?? 0) };
    },
  });
  const base = wrap(db);
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const notify = (channel: string, payload: string): void => {
    for (const handler of listeners.get(channel) ?? []) handler(payload);
  };
  return {
    kind: 'pglite',
    engine: { pglite: db, floor, notify },
    query: (text, params) => floor.run(() => base.query(text, params)),
    transaction: (fn) =>
      floor.run(() =>
        db
          .transaction((tx) => fn(wrap(tx)))
          .catch((error: unknown) => {
            throw asDatabaseError(error);
          }),
      ),
    async exec(script) {
      await floor
        .run(() => db.exec(script))
        .catch((error: unknown) => {
          throw asDatabaseError(error);
        });
    },
    // One process owns a PGlite folder, so its own notifications are all there is to hear. LISTEN is
    // transactional: it too waits for the floor, or a socket session rolling back would undo it.
    async listen(channel, handler) {
      const unlisten = await floor.run(() => db.listen(channel, handler));
      // PGlite folds an unquoted channel name to lower case, as PostgreSQL does; so does notify's.
      const name = channel.toLowerCase();
      const own = (payload: string) => handler(payload);
      listeners.set(name, (listeners.get(name) ?? new Set()).add(own));
      return async () => {
        listeners.get(name)?.delete(own);
        await floor.run(unlisten);
      };
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

// HQ survives its database, on real PostgreSQL, through real HTTP: backends terminated in the middle of
// pushes (pg_terminate_backend, as a failover or a proxy reset does), and a private PostgreSQL stopped and
// started again under HQ. Every request answers 200, or 503 with Retry-After; never 500, never a crash
// (HQ runs in this process: an unhandled 'error' would end the test run). After the terminals' retries
// every event is stored exactly once, the outage is logged once, and /v1/health reports it.
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '../../../src-hq/api/server.js';
import {
  asDatabaseError,
  DatabaseAvailability,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  type AvailabilityChange,
  type Db,
} from '../../../src-hq/db/database.js';
import { InvalidBatchError } from '../../../src-hq/store/ingest.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { systemClock } from '../../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { pushResponseSchema } from '../../../src-shared/sync/wire.js';
import { postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { eventFactory } from '../../support/events.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres.js';
import { publishTestProgram } from '../store/helpers.js';
import { LogCapture } from './harness.js';

const STORE = 'faults-store';

interface Till {
  id: string;
  token: string;
  batches: LedgerEvent[][];
}

/** A store, the test program and `count` enrolled terminals, each with its batches planned. */
async function setUp(db: Db, count: number, batches: number, size: number): Promise<Till[]> {
  await publishTestProgram(db);
  await createStore(db, { id: STORE, name: 'Faults', timeZone: 'Europe/Paris' });
  const tills: Till[] = [];
  for (let i = 0; i < count; i++) {
    const { code } = await createEnrollmentCode(db, STORE, systemClock);
    const { terminalId, token } = await enrollTerminal(db, code, `Till ${i + 1}`, systemClock);
    const f = eventFactory({ terminalId, storeId: STORE });
    const planned: LedgerEvent[][] = [];
    for (let b = 0; b < batches; b++) {
      const member = `m-${terminalId}-${b}`;
      const batch: LedgerEvent[] = [f.enrolled(member)];
      while (batch.length < size) batch.push(f.earned(member, 10 + batch.length));
      planned.push(batch);
    }
    tills.push({ id: terminalId, token, batches: planned });
  }
  return tills;
}

interface PushStats {
  ok: number;
  unavailable: number;
  /** Anything but 200 and 503-with-Retry-After: must stay empty. */
  wrong: string[];
}

const newStats = (): PushStats => ({ ok: 0, unavailable: 0, wrong: [] });

/** A retry backoff, as the terminal's sync has; it paces retries, it does not wait for an event. */
const backoff = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Pushes one batch until HQ answers 200, as a terminal does; bounded in attempts and time. */
async function pushUntilStored(
  url: string,
  till: Till,
  batch: LedgerEvent[],
  stats: PushStats,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; attempt <= 400 && Date.now() < deadline; attempt++) {
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${till.token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      },
      body: JSON.stringify({ events: batch }),
    });
    const text = await response.text();
    if (response.status === 200) {
      const { results } = pushResponseSchema.parse(JSON.parse(text));
      // A batch whose commit was lost comes back as duplicates: never a conflict.
      for (const r of results) if (r.outcome === 'conflict') stats.wrong.push(`conflict ${r.reason}`);
      stats.ok += 1;
      return;
    }
    if (response.status === 503 && response.headers.get('retry-after') !== null) {
      const body = JSON.parse(text) as { error?: string };
      if (body.error !== 'database-unavailable') stats.wrong.push(`503 ${text}`);
      stats.unavailable += 1;
    } else {
      stats.wrong.push(`${response.status} ${response.headers.get('retry-after')} ${text.slice(0, 300)}`);
      return;
    }
    await backoff(Math.min(20 * attempt, 200));
  }
  stats.wrong.push(`batch of ${till.id} never stored`);
}

/** Every planned event is in HQ exactly once, with no gap in any terminal's sequence. */
async function expectEachEventOnce(db: Db, tills: readonly Till[]): Promise<void> {
  for (const till of tills) {
    const planned = till.batches.flat();
    const { rows } = await db.query<{ id: string; terminal_seq: number }>(
      'SELECT id::text, terminal_seq FROM events WHERE terminal_id = $1 ORDER BY terminal_seq',
      [till.id],
    );
    expect(rows.map((r) => r.id)).toEqual(planned.map((e) => e.id));
    expect(rows.map((r) => r.terminal_seq)).toEqual(planned.map((_, i) => i + 1));
  }
}

describe('what counts as the database being unavailable', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });

  it('classifies server shutdowns, refused connections and lost sockets, and nothing else', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53300', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Client has encountered a connection error and is not queryable',
      'timeout exceeded when trying to connect',
      'PGlite is closed',
    ]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
    // Node's AggregateError of one attempt per address, and an error wrapping another.
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: withCode('57P01') }))).toBe(true);
    // A constraint, a deadlock, a bad batch: the database answered.
    for (const code of ['23505', '40P01', '22021', '42P01'])
      expect(isDatabaseUnavailable(withCode(code))).toBe(false);
    // HQ's own errors may quote a client's text: their words are never read as a connection loss.
    const quoted = new InvalidBatchError([{ path: 'events.0', message: 'Connection terminated' }]);
    expect(isDatabaseUnavailable(quoted)).toBe(false);
    expect(asDatabaseError(quoted)).toBe(quoted);
    const wrapped = asDatabaseError(withCode('57P01'));
    expect(wrapped).toBeInstanceOf(DatabaseUnavailableError);
    expect((wrapped as DatabaseUnavailableError).reason).toBe('57P01');
  });

  it('reports the flips only: one down, one up, however many failures and successes between', () => {
    const changes: AvailabilityChange[] = [];
    let now = Date.parse('2025-03-03T12:00:00.000Z');
    const availability = new DatabaseAvailability(
      () => now,
      (change) => changes.push(change),
    );
    availability.succeeded();
    for (let i = 0; i < 5; i++) availability.failed(withCode('ECONNREFUSED'));
    availability.failed(new Error('a constraint, not an outage'));
    expect(availability.state()).toEqual({ reachable: false, unavailableSince: '2025-03-03T12:00:00.000Z' });
    now += 8_000;
    availability.succeeded();
    availability.succeeded();
    expect(changes.map((c) => c.reachable)).toEqual([false, true]);
    expect(availability.state()).toEqual({
      reachable: true,
      lastOutage: {
        from: '2025-03-03T12:00:00.000Z',
        to: '2025-03-03T12:00:08.000Z',
        reason: 'ECONNREFUSED',
      },
    });
  });
});

const config = (url: string) => ({
  DATABASE_URL: url,
  HQ_DATA_DIR: 'unused',
  HQ_HOST: '127.0.0.1',
  HQ_PORT: 0,
});

describe('HQ whose PostgreSQL backends are terminated mid-push', () => {
  const appName = `hq-faults-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const logs = new LogCapture();
  let t: TestDatabase;
  let server: StartedServer;
  let killer: pg.Client;

  beforeAll(async () => {
    t = await postgresDatabase();
    if (!t.url) throw new Error('the PostgreSQL test database has no URL');
    const url = new URL(t.url);
    // HQ's connections carry a name of their own, so only they are terminated (other files share the server).
    url.searchParams.set('application_name', appName);
    server = await startServer(config(url.toString()), { logger: pino(logs), clock: systemClock });
    killer = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await killer.connect();
  });
  afterAll(async () => {
    await server?.close();
    await killer?.end();
    await t?.close();
  });

  it('answers 200 or 503 with Retry-After, stays up, and stores every event once', async () => {
    const tills = await setUp(t.db, 4, 8, 12);
    const stats = newStats();
    let pushing = true;
    const pushers = tills.map(async (till) => {
      for (const batch of till.batches) await pushUntilStored(server.url, till, batch, stats);
    });
    // One busy backend at a time, a few dozen in all: enough to hit pushes mid-transaction and mid-COMMIT
    // many times over, few enough that the terminals get through.
    let terminated = 0;
    const killing = (async () => {
      const deadline = Date.now() + 60_000;
      for (let round = 0; pushing && terminated < 40 && round < 5_000 && Date.now() < deadline; round++) {
        const { rows } = await killer.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE application_name = $1 AND state IN ('active', 'idle in transaction') LIMIT 1`,
          [appName],
        );
        terminated += rows.filter((r) => r.ok).length;
        await backoff(rows.length > 0 ? 40 : 2);
      }
    })();
    try {
      await Promise.all(pushers);
    } finally {
      pushing = false;
      await killing;
    }

    expect(stats.wrong).toEqual([]);
    expect(terminated).toBeGreaterThan(0);
    expect(stats.unavailable).toBeGreaterThan(0);
    expect(stats.ok).toBe(4 * 8);
    await expectEachEventOnce(t.db, tills);

    // Still serving, without a restart: health is fine and a new push is answered at the first try (a
    // dead client handed back to the pool would fail it: broken clients are discarded, not reused).
    const health = await fetch(`${server.url}/v1/health`);
    expect(health.status).toBe(200);
    const again = newStats();
    const till = tills[0] as Till;
    await pushUntilStored(server.url, till, till.batches[0] as LedgerEvent[], again);
    expect(again).toEqual({ ok: 1, unavailable: 0, wrong: [] });
    expect(logs.text).toContain('database unavailable');
    expect(logs.text).not.toContain('request failed');
  });
});

describe('HQ on a PostgreSQL that is stopped and started again', () => {
  const logs = new LogCapture();
  let pgp: PrivatePostgres;
  let server: StartedServer;

  beforeAll(async () => {
    pgp = await startPrivatePostgres();
    server = await startServer(config(pgp.url), { logger: pino(logs), clock: systemClock });
  });
  afterAll(async () => {
    await server?.close();
    await pgp?.close();
  });

  /** Polls `check` until it returns a value, or fails after `ms`. */
  async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const value = await check();
      if (value !== undefined) return value;
      await backoff(Math.min(10 * attempt, 100));
    }
    throw new Error(`${what}: not within ${ms} ms`);
  }

  const health = async () => {
    const response = await fetch(`${server.url}/v1/health`);
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as {
        status: string;
        database: string;
        databaseState: {
          reachable: boolean;
          latencyMs?: number;
          unavailableSince?: string;
          lastOutage?: { from: string; to: string; reason: string };
        };
      },
    };
  };

  it('answers 503 while it is down, serves again once it is back, and loses nothing', async () => {
    const [till] = await setUp(server.db, 1, 40, 5);
    if (!till) throw new Error('no terminal');
    const reconnects: number[] = [];
    const unlisten = await server.db.listen('faults_channel', () => undefined, {
      onReconnect: () => reconnects.push(Date.now()),
    });

    const before = await health();
    expect(before.status).toBe(200);
    expect(before.body.databaseState).toMatchObject({ reachable: true });
    expect(before.body.databaseState.latencyMs).toBeGreaterThanOrEqual(0);

    const stats = newStats();
    let storedBatches = 0;
    const pusher = (async () => {
      for (const batch of till.batches) {
        await pushUntilStored(server.url, till, batch, stats);
        storedBatches += 1;
      }
    })();

    try {
      await eventually('a first batch stored', 20_000, async () => (storedBatches > 0 ? true : undefined));
      await pgp.stop('fast');
      // Requests in flight and new ones: 503 with Retry-After (pushUntilStored counts them), health too.
      await eventually('a push answered 503', 20_000, async () => (stats.unavailable > 0 ? true : undefined));
      const down = await health();
      expect(down.status).toBe(503);
      expect(down.retryAfter).toMatch(/^\d+$/);
      expect(down.body.status).toBe('degraded');
      expect(down.body.databaseState.reachable).toBe(false);
      expect(down.body.databaseState.unavailableSince).toBeDefined();

      await pgp.start();
      const up = await eventually('health back to 200', 30_000, async () => {
        const h = await health();
        return h.status === 200 ? h : undefined;
      });
      expect(up.body.status).toBe('ok');
      expect(up.body.databaseState.reachable).toBe(true);
      const outage = up.body.databaseState.lastOutage;
      expect(outage?.from).toBe(down.body.databaseState.unavailableSince);
      expect(Date.parse(outage?.to ?? '')).toBeGreaterThan(Date.parse(outage?.from ?? ''));
    } finally {
      await pusher;
    }

    expect(stats.wrong).toEqual([]);
    expect(stats.ok).toBe(40);
    await expectEachEventOnce(server.db, [till]);
    // The change listener came back on its own.
    await eventually('the listener reconnected', 30_000, async () =>
      reconnects.length > 0 ? true : undefined,
    );
    await unlisten();
    // One line when it went, one when it came back: not one per failed request.
    expect(logs.text.split('database unavailable').length - 1).toBe(1);
    expect(logs.text.split('database available again').length - 1).toBe(1);
    expect(logs.text).not.toContain('request failed');
  });
});

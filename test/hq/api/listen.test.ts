// Db.listen: notifications committed by anyone reach the listener; on PostgreSQL the listening connection
// comes back after it is killed, and says so (what was notified meanwhile was missed).
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../../src-hq/db/database.js';
import { pgliteDatabase, POSTGRES_HINT, type TestDatabase } from '../../support/databases.js';

/** Resolves with the next value a handler is called with that matches. */
function nextMatching<T>(): { handler: (value: T) => void; next(match: (value: T) => boolean): Promise<T> } {
  const waiting: { match: (value: T) => boolean; resolve: (value: T) => void }[] = [];
  const seen: T[] = [];
  return {
    handler(value) {
      seen.push(value);
      for (const w of [...waiting]) {
        if (w.match(value)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(value);
        }
      }
    },
    next(match) {
      return new Promise((resolve) => waiting.push({ match, resolve }));
    },
  };
}

const channel = `test_listen_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

describe('Db.listen on PGlite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await pgliteDatabase();
  });
  afterAll(async () => t.close());

  it('hears notifications after commit, and stops when asked', async () => {
    const heard: string[] = [];
    const stop = await t.db.listen(channel, (payload) => heard.push(payload));
    await t.db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', [channel, 'events']);
      expect(heard).toEqual([]);
    });
    expect(heard).toEqual(['events']);
    await stop();
    await t.db.query('SELECT pg_notify($1, $2)', [channel, 'members']);
    expect(heard).toEqual(['events']);
  });
});

describe('Db.listen on PostgreSQL', () => {
  let db: Db | undefined;
  afterEach(async () => db?.close());

  const url = () => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error(POSTGRES_HINT);
    return base;
  };

  it('hears other connections, reconnects after the listening connection is killed, and closes with the Db', async () => {
    const appName = `listen_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const scoped = new URL(url());
    scoped.searchParams.set('application_name', appName);
    db = openPostgres(scoped.toString());
    const payloads = nextMatching<string>();
    const reconnects = nextMatching<true>();
    await db.listen(channel, payloads.handler, { onReconnect: () => reconnects.handler(true) });

    const other = new pg.Client({ connectionString: url() });
    await other.connect();
    try {
      const first = payloads.next((p) => p === 'one');
      await other.query('SELECT pg_notify($1, $2)', [channel, 'one']);
      await first;

      const back = reconnects.next(() => true);
      const killed = await other.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
        [appName],
      );
      expect(killed.rowCount).toBe(1);
      await back;

      const second = payloads.next((p) => p === 'two');
      await other.query('SELECT pg_notify($1, $2)', [channel, 'two']);
      await second;
    } finally {
      await other.end();
    }
    // close() ends the listening connection too (the test process would otherwise hang on it).
    await db.close();
    db = undefined;
    const check = new pg.Client({ connectionString: url() });
    await check.connect();
    const left = await check.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [appName]);
    await check.end();
    expect(left.rowCount).toBe(0);
  });

  it('fails to listen on a database it cannot reach', async () => {
    const bad = new URL(url());
    bad.port = '1';
    db = openPostgres(bad.toString());
    await expect(db.listen(channel, () => undefined)).rejects.toThrow();
  });
});

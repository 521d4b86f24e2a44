// Change notices sent after commit (store/changes.ts): ingest's transaction no longer NOTIFYs (a NOTIFY makes
// its commit queue on PostgreSQL's one notify lock, held through the commit's flush), and sends its notices
// once committed, coalesced with the batches committing meanwhile. Shown on both databases with a Db that
// records what runs inside each transaction and a real listener; the coalescing with a database whose
// answers a test releases by hand. The ingest case failed before: pg_notify ran inside the transaction.
import { describe, expect, it } from 'vitest';
import type { Db, Queryable, QueryResult } from '../../../src-hq/db/database.js';
import { CHANGES_CHANNEL, notifyChanges } from '../../../src-hq/store/changes.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import type { CollectionName } from '../../../src-shared/sync/wire.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, terminalWithFactory, uniq } from './helpers.js';

/** The statements of each transaction run through `db`, and those run outside any. */
function recording(db: Db): { db: Db; inTransactions: string[][]; outside: string[] } {
  const inTransactions: string[][] = [];
  const outside: string[] = [];
  return {
    inTransactions,
    outside,
    db: {
      get kind() {
        return db.kind;
      },
      query: (text, params) => {
        outside.push(text);
        return db.query(text, params);
      },
      transaction: (fn) =>
        db.transaction((tx) => {
          const statements: string[] = [];
          inTransactions.push(statements);
          return fn({
            query: (text, params) => {
              statements.push(text);
              return tx.query(text, params);
            },
          });
        }),
      exec: (script) => db.exec(script),
      listen: (channel, handler, options) => db.listen(channel, handler, options),
      close: () => db.close(),
    },
  };
}

describe.each(databases)('ingest change notices on %s', (_name, open) => {
  const clock = clockAt();
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('are sent after commit, outside the transaction, and again for a re-push', async () => {
    const heard: string[] = [];
    const stop = await db.listen(CHANGES_CHANNEL, (payload) => heard.push(payload));
    try {
      const { terminal, f } = await terminalWithFactory(db);
      const m = uniq('m');
      const batch = [f.enrolled(m), f.earned(m, 130)];
      const r = recording(db);
      await pushEvents(r.db, terminal, batch, clock);
      expect(r.inTransactions.length).toBeGreaterThan(0);
      expect(r.inTransactions.flat().filter((s) => s.includes('pg_notify'))).toEqual([]);
      expect(r.outside.filter((s) => s.includes('pg_notify'))).toHaveLength(1);
      await until(() => heard.includes('events') && heard.includes('members'));

      // A re-push (its reply lost, perhaps with the process that committed it) announces again.
      heard.length = 0;
      const again = await pushEvents(r.db, terminal, batch, clock);
      expect(again.map((x) => x.outcome)).toEqual(['duplicate', 'duplicate']);
      await until(() => heard.includes('events') && heard.includes('members'));
    } finally {
      await stop();
    }
  });
});

/** Resolves once `check` holds; notifications arrive on their own connection, so this polls them. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}

/** A database whose every answer waits until the test releases it. */
class HeldDb implements Queryable {
  readonly sent: string[][] = [];
  private readonly waiting: { release: () => void; fail: (e: Error) => void }[] = [];

  query<R>(_text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    this.sent.push([...((params?.[1] as string[] | undefined) ?? [])]);
    return new Promise((resolve, reject) => {
      this.waiting.push({
        release: () => resolve({ rows: [], rowCount: 0 }),
        fail: reject,
      });
    });
  }

  async release(): Promise<void> {
    const next = this.waiting.shift();
    if (!next) throw new Error('nothing is waiting');
    next.release();
    await flushMicrotasks();
  }

  async fail(): Promise<void> {
    this.waiting.shift()?.fail(new Error('connection lost'));
    await flushMicrotasks();
  }
}

const flushMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced change notices', () => {
  it('send the collections asked for while one notice is on its way together, in the next one', async () => {
    const held = new HeldDb();
    const settled: string[] = [];
    const ask = (label: string, collections: CollectionName[]) =>
      notifyChanges(held, collections).then(
        () => settled.push(label),
        () => settled.push(`${label} failed`),
      );
    void ask('a', ['events']);
    void ask('b', ['members']);
    await flushMicrotasks();
    expect(held.sent).toEqual([['events', 'members']]);
    void ask('c', ['events']);
    void ask('d', ['products']);
    void ask('e', ['events']);
    await flushMicrotasks();
    expect(held.sent).toHaveLength(1); // c, d and e wait for the notice on its way
    await held.release();
    expect(settled).toEqual(['a', 'b']);
    expect(held.sent).toEqual([
      ['events', 'members'],
      ['events', 'products'],
    ]);
    // A notice that fails fails its callers; the next one still goes.
    await held.fail();
    expect(settled).toEqual(['a', 'b', 'c failed', 'd failed', 'e failed']);
    void ask('f', ['cashiers']);
    await flushMicrotasks();
    expect(held.sent.at(-1)).toEqual(['cashiers']);
    await held.release();
    expect(settled.at(-1)).toBe('f');
    await expect(notifyChanges(held, [])).resolves.toBeUndefined();
  });
});

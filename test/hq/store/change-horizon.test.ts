// The change sequence and its visibility horizon (store/changes.ts, store/change-horizon.ts) under real
// concurrency on PostgreSQL: several connections take numbers, transactions of different lengths commit out
// of number order (one held open on purpose, by a promise, while later ones commit), some roll back (gaps),
// one loses its connection mid-transaction, and pullers race them all. A puller whose checkpoint passes a
// row that commits later never sees that row: every puller must end with every committed row.
// This failed with numbers from the sequence and no horizon (pulls up to the highest committed number).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Db, Queryable } from '../../../src-hq/db/database.js';
import { beginChanges, CHANGES_CHANNEL, takeChangeSeqs } from '../../../src-hq/store/changes.js';
import { pull } from '../../../src-hq/store/pull.js';
import { productDocSchema } from '../../../src-shared/sync/wire.js';
import { postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { lastChangeSeq, uniq } from './helpers.js';

const WRITERS = 8;
const TRANSACTIONS_PER_WRITER = 15;
const PULLERS = 4;
const PULL_LIMIT = 4;
/** Products pull the whole chain's rows: any terminal will do. */
const terminal = { id: 'terminal-h', storeId: 'store-h' };

/** A gate a test opens by hand: how a transaction is held open without a timer. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function insertProducts(tx: Queryable, seqs: readonly number[]): Promise<string[]> {
  const skus = seqs.map(() => uniq('sku'));
  await tx.query(
    `INSERT INTO products (sku, gtin, name, category, price, currency, deleted, change_seq)
     SELECT sku, NULL, 'Pen', 'office', 100, 'EUR', false, seq FROM unnest($1::text[], $2::bigint[]) AS u(sku, seq)`,
    [skus, seqs],
  );
  return skus;
}

/** Pulls products from `from` until a page comes back empty: the skus seen and the last checkpoint. */
async function drain(db: Db, from: number): Promise<{ skus: string[]; checkpoint: number }> {
  const skus: string[] = [];
  let checkpoint = from;
  for (;;) {
    const page = await pull(db, 'products', { checkpoint, limit: PULL_LIMIT }, terminal);
    if (page.documents.length === 0) return { skus, checkpoint };
    skus.push(...page.documents.map((d) => productDocSchema.parse(d).sku));
    checkpoint = page.checkpoint.seq;
  }
}

describe('the change horizon on postgres', () => {
  let t: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    t = await postgresDatabase({ max: WRITERS + PULLERS + 6 });
    db = t.db;
  });
  afterAll(async () => t?.close());

  it('stops pulls below a number held by an open transaction, then lets them pass it once committed', async () => {
    const start = await lastChangeSeq(db);
    const held = gate();
    let heldSeq = 0;
    const taken = gate();
    const holder = db.transaction(async (tx) => {
      [heldSeq] = (await takeChangeSeqs(tx, 'products', 1)) as [number];
      await insertProducts(tx, [heldSeq]);
      taken.open();
      await held.opened;
    });
    await taken.opened;
    // Later numbers, committed while the first is still open.
    const later: string[] = [];
    for (let i = 0; i < 3; i++) {
      later.push(
        ...(await db.transaction(async (tx) => insertProducts(tx, await takeChangeSeqs(tx, 'products', 2)))),
      );
    }
    const before = await drain(db, start);
    // Not one row past the open transaction's number: a checkpoint there would skip it.
    expect(before.skus).toEqual([]);
    expect(before.checkpoint).toBeLessThan(heldSeq);
    held.open();
    await holder;
    const after = await drain(db, before.checkpoint);
    expect(after.skus).toHaveLength(1 + later.length);
    expect(after.checkpoint).toBe(await lastChangeSeq(db));
  });

  it('passes the gaps of rolled-back transactions and of a connection killed mid-transaction', async () => {
    const start = await lastChangeSeq(db);
    // Rolled back after taking numbers: gaps.
    for (let i = 0; i < 3; i++) {
      await expect(
        db.transaction(async (tx) => {
          await insertProducts(tx, await takeChangeSeqs(tx, 'products', 2));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
    }
    // A connection of its own, killed while its transaction holds numbers.
    const victim = new pg.Client({ connectionString: t.url });
    victim.on('error', () => undefined);
    await victim.connect();
    const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]!.pid;
    const tx: Queryable = {
      query: async <R>(text: string, params?: readonly unknown[]) => {
        const r = await victim.query(text, params as unknown[]);
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      },
    };
    // Ended whatever happens: a transaction left holding numbers would hold every later test's horizon.
    onTestFinished(() => void db.query('SELECT pg_terminate_backend($1)', [pid]).catch(() => undefined));
    await victim.query('BEGIN');
    const victimSeq = Number((await takeChangeSeqs(tx, 'products', 1))[0]);
    await insertProducts(tx, [victimSeq]);
    const committed = await db.transaction(async (t2) =>
      insertProducts(t2, await takeChangeSeqs(t2, 'products', 3)),
    );
    const whileOpen = await drain(db, start);
    expect(whileOpen.checkpoint).toBeLessThan(victimSeq);
    await db.query('SELECT pg_terminate_backend($1)', [pid]);
    // Wait (on the server, not a timer) until the killed backend is gone, its locks with it.
    while ((await db.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount > 0);
    const after = await drain(db, whileOpen.checkpoint);
    expect(after.skus.sort()).toEqual([...committed].sort());
    expect(after.checkpoint).toBeGreaterThan(victimSeq);
    await victim.end().catch(() => undefined);
  });

  it('has the collection notified again once a held pull can pass its rows', async () => {
    const start = await lastChangeSeq(db);
    const heard: string[] = [];
    let wake: (() => void) | null = null;
    const unlisten = await db.listen(CHANGES_CHANNEL, (payload) => {
      heard.push(payload);
      wake?.();
    });
    try {
      // A writer of another collection holds the horizon; products committed above it.
      const held = gate();
      const taken = gate();
      const holder = db.transaction(async (tx) => {
        await beginChanges(tx, ['members']);
        await tx.query("SELECT nextval('change_seq')");
        taken.open();
        await held.opened;
      });
      await taken.opened;
      await db.transaction(async (tx) => insertProducts(tx, await takeChangeSeqs(tx, 'products', 1)));
      const first = await drain(db, start);
      expect(first.skus).toEqual([]);
      heard.length = 0;
      held.open();
      await holder;
      // The holder's commit notified `members` only; `products` comes from the held pull's watch.
      while (!heard.includes('products')) await new Promise<void>((resolve) => (wake = resolve));
      expect((await drain(db, first.checkpoint)).skus).toHaveLength(1);
    } finally {
      await unlisten();
    }
  });

  it('never lets a racing puller skip a row: writers of different lengths, rollbacks, pullers', async () => {
    const start = await lastChangeSeq(db);
    // Transactions held open until a number of later ones have committed (a promise, not a timer).
    let commits = 0;
    const waiting: { until: number; open: () => void }[] = [];
    const committedOne = () => {
      commits += 1;
      for (const w of waiting.filter((x) => x.until <= commits)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.open();
      }
    };
    // Every writer still running is waiting: the oldest wait ends (no commit would ever end it).
    let running = WRITERS;
    const unstick = () => {
      if (waiting.length > 0 && waiting.length >= running) waiting.shift()?.open();
    };
    const committed = new Set<string>();
    let writersDone = false;
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let k = 0; k < TRANSACTIONS_PER_WRITER; k++) {
        const kind = (w * 7 + k * 3) % 6; // 0: held long; 1: rolled back; else a plain commit
        try {
          const skus = await db.transaction(async (tx) => {
            const made = await insertProducts(tx, await takeChangeSeqs(tx, 'products', 1 + ((w + k) % 3)));
            if (kind === 0) {
              const g = gate();
              // Held until four more transactions (of other writers) commit, or every writer is done.
              waiting.push({ until: commits + 4, open: g.open });
              unstick();
              await g.opened;
            }
            if (kind === 1) throw new Error('rolled back');
            return made;
          });
          for (const s of skus) committed.add(s);
          committedOne();
        } catch (error) {
          if ((error as Error).message !== 'rolled back') throw error;
        }
      }
      running -= 1;
      unstick();
    });
    const pullers = Array.from({ length: PULLERS }, async () => {
      const seen = new Set<string>();
      let checkpoint = start;
      for (;;) {
        const last = writersDone;
        const page = await pull(db, 'products', { checkpoint, limit: PULL_LIMIT }, terminal);
        for (const d of page.documents) seen.add(productDocSchema.parse(d).sku);
        expect(page.checkpoint.seq).toBeGreaterThanOrEqual(checkpoint);
        checkpoint = page.checkpoint.seq;
        if (last && page.documents.length === 0) return seen;
      }
    });
    await Promise.all(writers);
    // A pull that begins after this sees the horizon at the end: nothing holds a number any more.
    writersDone = true;
    const seen = await Promise.all(pullers);
    expect(committed.size).toBeGreaterThan(WRITERS * TRANSACTIONS_PER_WRITER);
    for (const s of seen) expect([...committed].filter((sku) => !s.has(sku))).toEqual([]);
    for (const s of seen) expect(s.size).toBe(committed.size);
  });
});

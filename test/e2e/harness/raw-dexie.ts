// The local limit the benchmark compares RxDB with: plain Dexie tables in the same page, same documents.
//
// It must be the Dexie RxDB runs on: rxdb 17.6 bundles its own dexie (4.4.2) beside the project's (4.4.7),
// and Dexie throws "Two different versions of Dexie loaded in the same app" when a second copy is
// imported. RxDB's copy registers itself under Symbol.for('Dexie') when its storage loads, so it is taken
// from there (the import of 'dexie' below is for types only).
import type { Dexie as DexieClass, Table } from 'dexie';

function dexieOfRxdb(): typeof DexieClass {
  const found = (globalThis as Record<symbol, unknown>)[Symbol.for('Dexie')];
  if (!found) throw new Error("RxDB's Dexie is not loaded yet (import the database code first)");
  return found as typeof DexieClass;
}

type Durability = 'strict' | 'relaxed';
type Doc = { id: string; cards?: string[]; nameKey?: string; phoneKey?: string };
type RawDb = DexieClass & { docs: Table<Doc, string> };

function rawDb(name: string, durability: Durability): RawDb {
  const Dexie = dexieOfRxdb();
  const db = new Dexie(name, { chromeTransactionDurability: durability }) as RawDb;
  // The app's own indexes on members: by id, name key and phone key, and by card through a multi-entry
  // index (which IndexedDB has and RxDB cannot use).
  db.version(1).stores({ docs: 'id, nameKey, phoneKey, *cards' });
  return db;
}

/** The table the last rawBulkPut filled, kept for rawLookups until rawDrop. */
let kept: { name: string; db: RawDb } | null = null;

export async function rawDrop(): Promise<void> {
  if (!kept) return;
  const { name, db } = kept;
  kept = null;
  db.close();
  await dexieOfRxdb().delete(name);
}

/** bulkPut of the documents in batches of `batch`, one transaction each (relaxed); returns the milliseconds. */
export async function rawBulkPut(docs: Doc[], batch: number): Promise<number> {
  await rawDrop();
  const name = `raw-bulk-${Date.now()}`;
  const db = rawDb(name, 'relaxed');
  await db.open();
  const started = performance.now();
  for (let i = 0; i < docs.length; i += batch) await db.docs.bulkPut(docs.slice(i, i + batch));
  const ms = performance.now() - started;
  kept = { name, db };
  return ms;
}

/** Looks each card up in the table rawBulkPut filled (multi-entry index); per-lookup milliseconds. */
export async function rawLookups(cards: string[]): Promise<{ samples: number[]; found: number }> {
  if (!kept) throw new Error('rawBulkPut first');
  const samples: number[] = [];
  let found = 0;
  for (const card of cards) {
    const started = performance.now();
    const doc = await kept.db.docs.where('cards').equals(card).first();
    samples.push(performance.now() - started);
    if (doc) found += 1;
  }
  return { samples, found };
}

/** One put per transaction, `count` times, with the given durability; returns each one's milliseconds. */
export async function rawPuts(count: number, durability: Durability): Promise<number[]> {
  const name = `raw-puts-${durability}-${Date.now()}`;
  const db = rawDb(name, durability);
  await db.open();
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await db.docs.put({ id: `doc-${i}`, payload: 'x'.repeat(800) } as Doc);
    samples.push(performance.now() - started);
  }
  db.close();
  await dexieOfRxdb().delete(name);
  return samples;
}

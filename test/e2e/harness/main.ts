// The harness page's entry: the transaction probe first (before any database opens), then the TerminalApi
// bridge (window.terminal), then the real src-renderer/db code (openTerminal: databases, replication,
// counter services), exposed on window.harness for Playwright.
import { clearTransactionRecords, forceDurability, transactionRecords } from './probe.js';
import { bridge } from './bridge.js';
import { rawBulkPut, rawDrop, rawLookups, rawPuts } from './raw-dexie.js';
import { memberDoc } from './members.js';
import { openTerminal, type Terminal } from '../../../src-renderer/startup/open-terminal.js';
import { memberRowFromDoc } from '../../../src-renderer/db/rows.js';
import { openDatabases } from '../../../src-renderer/db/databases.js';
import type { EventRow, MemberRow } from '../../../src-renderer/db/schemas.js';
import { verifyChain } from '../../../src-shared/ledger/chain.js';
import type { CollectionName, MemberDoc } from '../../../src-shared/sync/wire.js';
import type { HarnessApi, RecordedSummary } from './api.js';

let terminal: Terminal | null = null;
let openedAt = 0;
/** When each event inserted in this page was committed (RxDB's postInsert hook), by id. */
const committedAt = new Map<string, number>();

function current(): Terminal {
  if (!terminal) throw new Error('open() the terminal first');
  return terminal;
}

const ledgerPrefix = (t: Terminal): string => `rxdb-dexie-${t.databases.ledger.name}--`;

/** Members made by recordEvents in this page, for the earns that follow the enrollments. */
const enrolled: string[] = [];

/** A small basket in the grocery-chain program's categories. */
const basket = (i: number) => ({
  currency: 'EUR',
  lines: [
    {
      sku: `SKU-${i % 50}`,
      category: i % 3 === 0 ? 'fresh-produce' : 'grocery',
      quantity: 1 + (i % 3),
      unitPrice: 199 + (i % 400),
    },
  ],
});

async function allEvents(t: Terminal): Promise<EventRow[]> {
  const docs = await t.databases.ledger.events.find({ sort: [{ terminalSeq: 'asc' }] }).exec();
  return docs.map((d) => d.toJSON() as EventRow);
}

const harness: HarnessApi = {
  transactions: transactionRecords,
  clearTransactions: clearTransactionRecords,

  async open(name, options = {}) {
    if (terminal) throw new Error('already open');
    openedAt = performance.now();
    terminal = await openTerminal({
      name,
      api: bridge,
      phoneCountryCode: '353',
      refreshIntervalMs: 0,
      ...(options.pullBatchSize === undefined ? {} : { pullBatchSize: options.pullBatchSize }),
      ...(options.pushBatchSize === undefined ? {} : { pushBatchSize: options.pushBatchSize }),
    });
    enrolled.length = 0;
    // RxDB runs postInsert hooks once the storage write resolved: Dexie resolves a readwrite transaction
    // after IndexedDB's complete event, so this is the moment the event is committed.
    terminal.databases.ledger.events.postInsert((row) => {
      committedAt.set(row.id, performance.now());
    }, false);
    return {
      ledger: terminal.databases.ledger.name,
      catalog: terminal.databases.catalog.name,
      ms: performance.now() - openedAt,
    };
  },

  async close() {
    const t = current();
    terminal = null;
    await t.close();
  },

  async waitInSync(collections) {
    const t = current();
    await Promise.all(collections.map((c: CollectionName) => t.sync.replication(c).awaitInSync()));
    return {
      sinceOpenMs: performance.now() - openedAt,
      members: await t.databases.catalog.members.count().exec(),
      program: (await t.catalog.program()) !== null,
    };
  },

  async recordEvents(count, options = {}) {
    const t = current();
    const newMembers = options.members ?? 1;
    const cashierId = 'c-harness';
    const events: RecordedSummary[] = [];
    const callMs: number[] = [];
    const commitMs: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      const enroll = i < newMembers || enrolled.length === 0;
      const result = enroll
        ? await t.services.recordEnroll({
            cashierId,
            displayName: `Harness ${String.fromCharCode(65 + (i % 26))}.`,
            cards: [`${options.cardPrefix ?? 'HX'}${Date.now().toString(36)}${i}`],
          })
        : await t.services.recordEarn({
            cashierId,
            memberId: enrolled[i % enrolled.length] as string,
            basket: basket(i),
          });
      const ended = performance.now();
      if (!result.ok)
        throw new Error(`recording ${i} refused: ${result.error.reason}: ${result.error.message}`);
      const { event } = result.value;
      if (enroll) enrolled.push(event.memberId);
      callMs.push(ended - started);
      const committed = committedAt.get(event.id);
      if (committed === undefined) throw new Error(`no commit seen for event ${event.terminalSeq}`);
      committedAt.delete(event.id);
      commitMs.push(committed - started);
      const summary = { id: event.id, terminalSeq: event.terminalSeq, hash: event.hash, type: event.type };
      events.push(summary);
      if (options.report) await window.harnessCommitted?.(summary);
    }
    return { events, callMs, commitMs };
  },

  async events() {
    return (await allEvents(current())).map((r) => ({ event: r.event, status: r.status }));
  },

  async verifyChain() {
    const rows = await allEvents(current());
    const verdict = verifyChain(rows.map((r) => r.event));
    return verdict.ok
      ? { ok: true, count: rows.length, last: verdict.last }
      : { ok: false, count: rows.length, problem: verdict.problem.message };
  },

  async pending() {
    return current()
      .databases.ledger.events.count({ selector: { status: 'local' } })
      .exec();
  },

  async drain() {
    const t = current();
    const started = performance.now();
    t.sync.syncNow();
    const events = t.databases.ledger.events;
    // Wait on the pending count itself: it reaches 0 once HQ answered for every event.
    await new Promise<void>((resolve) => {
      const sub = events.count({ selector: { status: 'local' } }).$.subscribe((n) => {
        if (n === 0) {
          queueMicrotask(() => sub.unsubscribe());
          resolve();
        }
      });
    });
    return { ms: performance.now() - started, statuses: await statusCounts(t) };
  },

  membersReceived() {
    return current().sync.snapshot().collections.members.documents;
  },

  async checkReplica(count) {
    const t = current();
    const rows = await t.databases.catalog.members.find().exec();
    let differing = 0;
    for (const doc of rows) {
      const row = doc.toJSON();
      const i = Number(row.id.slice(2));
      const want = memberDoc(i);
      const same =
        i < count &&
        row.balance === want.balance &&
        row.displayName === want.displayName &&
        row.cardKey === want.cards[0] &&
        row.cards.join() === want.cards.join();
      if (!same) differing += 1;
    }
    return {
      members: rows.length,
      differing,
      bootstrapping: await t.catalog.membersBootstrapping(),
    };
  },

  async lookupCards(cards) {
    const t = current();
    const samples: number[] = [];
    let found = 0;
    for (const card of cards) {
      const started = performance.now();
      const shown = await t.services.lookupByCard(card);
      samples.push(performance.now() - started);
      if (shown) found += 1;
    }
    return { samples, found };
  },

  async fillMembers(from, to, batch) {
    const t = current();
    const { members } = t.databases.catalog;
    const started = performance.now();
    // One card each: their cardKey is the card index (as the bootstrap writes them).
    for (let i = from; i < to; i += batch) {
      const docs: MemberDoc[] = [];
      for (let j = i; j < Math.min(to, i + batch); j += 1) docs.push(memberDoc(j));
      await members.bulkUpsert(docs.map(rowOf));
    }
    return { ms: performance.now() - started, members: await members.count().exec() };
  },

  forceLedgerDurability(durability) {
    forceDurability(ledgerPrefix(current()), durability);
  },

  async rawBulkPut(batch) {
    const fetchStarted = performance.now();
    const docs = (await pullAll(batch)).map(rowOf);
    const fetchMs = performance.now() - fetchStarted;
    const ms = await rawBulkPut(docs, batch);
    return { docs: docs.length, ms, fetchMs };
  },

  async rxdbBulkInsert(batch) {
    const rows = (await pullAll(batch)).map(rowOf);
    const dbs = await openDatabases({ name: `rxdb-peer-${Date.now()}` });
    try {
      const started = performance.now();
      for (let i = 0; i < rows.length; i += batch) {
        const result = await dbs.catalog.members.bulkInsert(rows.slice(i, i + batch));
        if (result.error.length > 0) throw new Error(`${result.error.length} rows not inserted`);
      }
      return { docs: rows.length, ms: performance.now() - started };
    } finally {
      await dbs.close();
      await Promise.allSettled([dbs.ledger.remove(), dbs.catalog.remove()]);
    }
  },
  rawLookups,
  rawDrop,
  rawPuts,
};

/** A member document as the replica stores it (cardKey, name and phone keys). */
function rowOf(doc: MemberDoc): MemberRow {
  const { _deleted: _ignored, ...row } = memberRowFromDoc(doc);
  return row;
}

async function statusCounts(t: Terminal): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await allEvents(t)) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

/** Every member document the backend serves, through window.terminal.pull. */
async function pullAll(batch: number): Promise<MemberDoc[]> {
  const docs: MemberDoc[] = [];
  let checkpoint: { seq: number } | null = null;
  for (;;) {
    const result = await bridge.pull('members', checkpoint, batch);
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.documents.length === 0) return docs;
    for (const d of result.value.documents) docs.push(d as MemberDoc);
    checkpoint = result.value.checkpoint;
  }
}

window.harness = harness;

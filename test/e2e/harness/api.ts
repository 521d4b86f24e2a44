// What the harness page exposes on window.harness, for Playwright to call (types shared by the page and
// the Node side). Everything runs the real src-renderer/db code against the page's real IndexedDB.
import type { EventSyncStatus } from '../../../src-renderer/db/schemas.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { ChainHead } from '../../../src-shared/ledger/chain.js';
import type { CollectionName } from '../../../src-shared/sync/wire.js';
import type { TransactionRecord } from './probe.js';

export type { TransactionRecord };

export interface RecordedSummary {
  id: string;
  terminalSeq: number;
  hash: string;
  type: LedgerEvent['type'];
}

export interface HarnessApi {
  /** Readwrite IndexedDB transactions since load (or the last clear). */
  transactions(): TransactionRecord[];
  clearTransactions(): void;
  /**
   * Opens the terminal (openTerminal: both databases, replication through window.terminal, services)
   * under a name prefix; returns the database names and how long opening took.
   */
  open(
    name: string,
    options?: { pullBatchSize?: number; pushBatchSize?: number },
  ): Promise<{ ledger: string; catalog: string; ms: number }>;
  /** Stops replication and closes the databases. */
  close(): Promise<void>;
  /** Waits until these collections' replications are in sync; times from the start of open(). */
  waitInSync(
    collections: CollectionName[],
  ): Promise<{ sinceOpenMs: number; members: number; program: boolean }>;
  /**
   * Records `count` events through the counter services, one after the other: first `members`
   * enrollments (default 1, each with a new card), then earns for those members in turn. Per event: the
   * whole call (confirm → recorded, card index and member re-read) and confirm → the ledger's insert
   * committed (RxDB's postInsert hook). With `report`, calls window.harnessCommitted after each.
   */
  recordEvents(
    count: number,
    options?: { members?: number; cardPrefix?: string; report?: boolean },
  ): Promise<{ events: RecordedSummary[]; callMs: number[]; commitMs: number[] }>;
  /** Every event in the ledger, in terminalSeq order, with its sync status. */
  events(): Promise<Array<{ event: LedgerEvent; status: EventSyncStatus }>>;
  /** verifyChain over the whole ledger. */
  verifyChain(): Promise<
    { ok: true; count: number; last: ChainHead | null } | { ok: false; count: number; problem: string }
  >;
  /** Events HQ has not answered for yet. */
  pending(): Promise<number>;
  /** Asks replication to sync now and waits until no event is pending; the statuses after. */
  drain(): Promise<{ ms: number; statuses: Record<string, number> }>;
  /** Member documents received from HQ since open (the sync status's progress; synchronous, for waits). */
  membersReceived(): number;
  /**
   * The members replica checked against the harness's members 0…count-1 (memberDoc): how many it holds,
   * how many differ from HQ's document (balance, cards, name), and whether it says it is bootstrapping.
   */
  checkReplica(count: number): Promise<{ members: number; differing: number; bootstrapping: boolean }>;
  /** Looks each card up as the counter does (services.lookupByCard); per-lookup milliseconds. */
  lookupCards(cards: string[]): Promise<{ samples: number[]; found: number }>;
  /**
   * Writes members [from, to) straight into the replica's members and cards collections (bulkUpsert per
   * batch, no transport): to grow the replica for lookups beyond what replication fills in the time.
   */
  fillMembers(from: number, to: number, batch: number): Promise<{ ms: number; members: number }>;
  /** Forces the ledger database's transactions to a durability (a benchmark peer); null: as configured. */
  forceLedgerDurability(durability: 'strict' | 'relaxed' | null): void;
  /**
   * Plain Dexie (RxDB's copy), relaxed: bulkPut of every member window.terminal serves, as the replica's
   * rows, into one table with the app's own indexes (id, name key, phone key, cards multi-entry), timed without the transport (fetchMs, apart). The
   * table is kept for rawLookups until rawDrop.
   */
  rawBulkPut(batch: number): Promise<{ docs: number; ms: number; fetchMs: number }>;
  /**
   * RxDB as the replica uses it (openDatabases: Dexie storage, relaxed, the members schema and indexes):
   * bulkInsert of the same rows rawBulkPut writes into a fresh database, in batches of `batch`, timed
   * without the transport; the database is removed after.
   */
  rxdbBulkInsert(batch: number): Promise<{ docs: number; ms: number }>;
  /** Plain Dexie: each card looked up through the multi-entry index of rawBulkPut's table. */
  rawLookups(cards: string[]): Promise<{ samples: number[]; found: number }>;
  rawDrop(): Promise<void>;
  /** Plain Dexie: `count` single puts, one transaction each. */
  rawPuts(count: number, durability: 'strict' | 'relaxed'): Promise<number[]>;
}

declare global {
  interface Window {
    harness?: HarnessApi;
    /** Exposed by a test (page.exposeFunction) to hear each committed event as soon as it is. */
    harnessCommitted?: (event: RecordedSummary) => Promise<void>;
  }
}

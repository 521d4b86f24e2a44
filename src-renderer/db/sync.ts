// Replication with HQ through TerminalApi (DESIGN.md section 6), and the sync status the UI shows.
//
// - Pull (checkpoint + batch) for members, products, programs, cashiers and this terminal's own events;
//   push for events. HTTP runs in the host (api.pull / api.push): the renderer never sees HQ's address or
//   the credential.
// - The catalog (members, products, programs, cashiers) is read-only at the terminal, so it is pulled by
//   a plain loop (CatalogPull): each page is written with bulkUpsert/bulkRemove and its checkpoint kept in
//   a local document of the catalog database. RxDB's replication protocol (per-document metadata, conflict
//   handling) would double the writes of the initial replication for nothing. Events, pushed and pulled,
//   use RxDB's replicateRxCollection.
// - Live: the host's HQ event stream (api.onHqStream) becomes a 'RESYNC' of the collections concerned
//   (every reconnect, and every `changed` for a collection), and wakes requests held back by the backoff.
// - Retry: failed requests wait in an HqGate (exponential backoff, woken by stream news or syncNow()).
// - Events: a pushed event is answered by HQ's verdict (stored/duplicate → HQ's status and memberSeq;
//   conflict → `conflict`), handed back to RxDB as the master state and merged by the collection's conflict
//   handler: the verdict wins, the content never changes. Pulled own events update the verdict the same
//   way. Only `local` events are ever sent, so a verdict written locally is never pushed again.
// - A batch HQ refuses as invalid (400, or 413 too large) is split in halves until the event at fault is
//   alone; that one is marked `rejected` with HQ's words and not sent again. The others go through.
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxCollection, RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import {
  BehaviorSubject,
  Subject,
  combineLatest,
  auditTime,
  filter,
  firstValueFrom,
  from,
  map,
  startWith,
  switchMap,
  type Observable,
  type Subscription,
} from 'rxjs';
import { replicaMode, type ReplicaStatus } from '../../src-shared/engine/offline.js';
import type { HqApi, HqError, HqResult } from '../../src-shared/ipc/hq-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import {
  cashierDocSchema,
  collectionNames,
  eventDocSchema,
  memberDocSchema,
  productDocSchema,
  programDocSchema,
  type Checkpoint,
  type CollectionName,
  type MemberDoc,
  type PushResult,
} from '../../src-shared/sync/wire.js';
import type { CatalogReader } from './catalog.js';
import type { TerminalDatabases } from './databases.js';
import { HqGate, type BackoffOptions } from './gate.js';
import { memberRowFromDoc, mergeHqVerdict, plainEventRow, productRowFromDoc, verdictOfDoc } from './rows.js';
import { LOCAL_SYNC_STATE, type EventRow, type EventSyncStatus } from './schemas.js';
import { Mutex, type TimerHandle, type Timers } from './timers.js';

/** The catalog collections whose freshness makes the replica's age (DESIGN.md section 5). */
export const CATALOG_COLLECTIONS = ['members', 'products', 'programs', 'cashiers'] as const;

export interface CollectionProgress {
  /** Documents received from HQ for this collection since the terminal started. */
  documents: number;
  /** True once a pull found nothing more to fetch (the initial replication of this collection is done). */
  done: boolean;
  /** The last time a pull of this collection caught up with HQ (epoch ms), persisted. */
  caughtUpAt: number | null;
}

/** An event a manager should look at, with HQ's reason. */
export interface AttentionEvent {
  id: string;
  terminalSeq: number;
  type: LedgerEvent['type'];
  memberId: string;
  occurredAt: string;
  status: Exclude<EventSyncStatus, 'local' | 'posted'>;
  reason: string | null;
}

export interface SyncStatus {
  enrolled: boolean;
  terminalId: string | null;
  storeId: string | null;
  /** Whether the last request to HQ (or its event stream) got through. */
  online: boolean;
  /** The latest failure, cleared by the next success. */
  lastError: HqError | null;
  /** Last answer from HQ, epoch ms. */
  lastContactAt: number | null;
  /**
   * The last successful pull: the latest instant at which every catalog collection (members, products,
   * programs, cashiers) had caught up with HQ (epoch ms); null before the first complete pull.
   */
  lastPullAt: number | null;
  /** The replica's age mode under the current program's offline policy; null without a program. */
  replica: ReplicaStatus | null;
  /** This terminal's events HQ has not answered for yet. */
  pending: number;
  /** Flagged, quarantined, conflicting and rejected events, oldest first (at most 200). */
  attention: AttentionEvent[];
  /** Initial replication progress per collection (HQ sends no totals: documents so far and done flags). */
  collections: Record<CollectionName, CollectionProgress>;
  /** Every collection has caught up at least once. */
  initialDone: boolean;
}

/** The status without what is computed on demand. */
type SyncState = Omit<SyncStatus, 'replica' | 'lastPullAt' | 'initialDone'>;

interface PersistedSyncState {
  caughtUpAt: Partial<Record<CollectionName, number>>;
}

export interface SyncOptions {
  api: HqApi;
  databases: TerminalDatabases;
  catalog: CatalogReader;
  clock: Clock;
  timers: Timers;
  /** Documents per pull request (default 2,000: fewer, larger writes for the initial replication). */
  pullBatchSize?: number;
  /** Events per push request (default 200; HQ takes at most 1,000 and 1 MiB). */
  pushBatchSize?: number;
  backoff?: BackoffOptions;
  /** Pull everything again this often while running, so the replica's age reflects a quiet HQ (default 5 min; 0: never). */
  refreshIntervalMs?: number;
}

/** A request to HQ that failed; RxDB sees it as an error and retries (through the gate). */
export class HqRequestError extends Error {
  override readonly name = 'HqRequestError';
  constructor(readonly error: HqError) {
    super(`HQ ${error.code}: ${error.message}`);
  }
}

const ATTENTION_STATUSES = ['flagged', 'quarantined', 'conflict', 'rejected'] as const;
const ATTENTION_LIMIT = 200;

/** What flush, the status and tools need of a collection's replication (RxDB's, or a CatalogPull). */
export interface CollectionReplication {
  /** True while pulling (or pushing). */
  readonly active$: Observable<boolean>;
  /** Pull again from the last checkpoint. */
  reSync(): void;
  /** Resolves once nothing is under way (the initial pull included). */
  awaitInSync(): Promise<unknown>;
  cancel(): Promise<unknown>;
}

type EventReplication = RxReplicationState<EventRow, Checkpoint>;

/** The catalog pull's checkpoint, per collection, in a local document of the catalog database. */
interface PersistedCheckpoint {
  /** The replication key it belongs to (another HQ or terminal starts from scratch). */
  key: string;
  checkpoint: Checkpoint | null;
}

type FetchedPage = { documents: unknown[]; checkpoint: Checkpoint; request: number };

const checkpointDocId = (collection: CollectionName): string => `pull-${collection}`;

/**
 * A pull-only replication loop: pages until a page says the collection caught up, again on every
 * reSync(). A failed page is retried (HQ failures wait in the gate, inside `page`).
 */
class CatalogPull implements CollectionReplication {
  private readonly activeState$ = new BehaviorSubject<boolean>(false);
  readonly active$ = this.activeState$.asObservable();
  private wanted = false;
  private running = false;
  private cancelled = false;
  private readonly subscription: Subscription;

  constructor(
    /** Pulls and stores one page; true when the collection caught up. */
    private readonly page: () => Promise<boolean>,
    private readonly onError: (error: unknown) => void,
    stream: Observable<'RESYNC'>,
  ) {
    this.subscription = stream.subscribe(() => this.reSync());
    this.reSync();
  }

  reSync(): void {
    if (this.cancelled) return;
    this.wanted = true;
    if (this.running) return;
    this.running = true;
    this.activeState$.next(true);
    void this.run();
  }

  private async run(): Promise<void> {
    while (this.wanted && !this.cancelled) {
      this.wanted = false;
      for (;;) {
        if (this.cancelled) break;
        try {
          if (await this.page()) break;
        } catch (error) {
          if (this.cancelled) break;
          this.onError(error);
          // The gate does the real waiting for HQ failures; this only spaces local failures.
          await new Promise((resolve) => globalThis.setTimeout(resolve, 5));
        }
      }
    }
    this.running = false;
    this.activeState$.next(false);
  }

  awaitInSync(): Promise<unknown> {
    if (this.cancelled) return Promise.resolve(false);
    return firstValueFrom(this.activeState$.pipe(filter((active) => !active)));
  }

  cancel(): Promise<unknown> {
    this.cancelled = true;
    this.subscription.unsubscribe();
    if (!this.running) return Promise.resolve();
    // Waits for the page under way to be stored, but not for a host that does not answer.
    return Promise.race([
      firstValueFrom(this.activeState$.pipe(filter((active) => !active))),
      new Promise((resolve) => globalThis.setTimeout(resolve, 2_000)),
    ]);
  }
}

function rejection(error: HqError): string {
  const problems = error.problems?.map((p) => `${p.path}: ${p.message}`).join('; ');
  return problems ? `${error.message} (${problems})` : error.message;
}

export class TerminalSync {
  readonly gate: HqGate;
  private readonly api: HqApi;
  private readonly dbs: TerminalDatabases;
  private readonly catalog: CatalogReader;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly pullBatchSize: number;
  private readonly pushBatchSize: number;
  private readonly refreshIntervalMs: number;
  private readonly pushLock = new Mutex();
  private readonly streams = new Map<CollectionName, Subject<'RESYNC'>>();
  private readonly replications = new Map<CollectionName, CollectionReplication>();
  private readonly checkpoints = new Map<CollectionName, Checkpoint | null>();
  /** The next page of a catalog collection, requested while the previous one is being stored. */
  private readonly prefetched = new Map<CollectionName, { after: Checkpoint; page: Promise<FetchedPage> }>();
  private replicationKey = '';
  private readonly subscriptions: Subscription[] = [];
  private unsubscribeStream: (() => void) | null = null;
  private refreshTimer: TimerHandle | null = null;
  private modeTimer: TimerHandle | null = null;
  private stopped = false;
  /** Every HQ failure, for flush() to give up on. */
  private readonly failures$ = new Subject<HqError>();
  /** Each pull that caught up: the collection and the number of the request that did it. */
  private readonly caughtUp$ = new Subject<{ collection: CollectionName; request: number }>();
  private requestCounter = 0;
  private readonly persistLock = new Mutex();

  private readonly state$: BehaviorSubject<SyncState>;
  /** The sync status, recomputed on every change (and when the replica's mode changes). */
  readonly status$: Observable<SyncStatus>;
  private readonly tick$ = new BehaviorSubject<number>(0);

  constructor(options: SyncOptions) {
    this.api = options.api;
    this.dbs = options.databases;
    this.catalog = options.catalog;
    this.clock = options.clock;
    this.timers = options.timers;
    this.pullBatchSize = options.pullBatchSize ?? 2_000;
    this.pushBatchSize = options.pushBatchSize ?? 200;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.gate = new HqGate(options.timers, options.backoff);
    const collections = Object.fromEntries(
      collectionNames.map((c) => [c, { documents: 0, done: false, caughtUpAt: null }]),
    ) as Record<CollectionName, CollectionProgress>;
    this.state$ = new BehaviorSubject<SyncState>({
      enrolled: false,
      terminalId: null,
      storeId: null,
      online: false,
      lastError: null,
      lastContactAt: null,
      pending: 0,
      attention: [],
      collections,
    });
    this.status$ = combineLatest([this.state$, this.catalog.program$, this.tick$]).pipe(
      map(([, program]) => this.compute(program)),
    );
  }

  /** The sync status now (the replica mode computed at this instant). */
  snapshot(): SyncStatus {
    return this.compute(this.catalog.program$.value);
  }

  private compute(program: Program | null): SyncStatus {
    const s = this.state$.value;
    const lastPullAt = lastCompletePull(s.collections);
    const replica = program ? replicaMode(lastPullAt, this.clock.now(), program.offline) : null;
    return {
      ...s,
      lastPullAt,
      replica,
      initialDone: collectionNames.every((c) => s.collections[c].done),
    };
  }

  private patch(change: Partial<SyncState>): void {
    this.state$.next({ ...this.state$.value, ...change });
    this.scheduleModeChange();
  }

  private patchCollection(collection: CollectionName, change: Partial<CollectionProgress>): void {
    const collections = { ...this.state$.value.collections };
    collections[collection] = { ...collections[collection], ...change };
    this.patch({ collections });
  }

  /** Re-emits the status when the replica's mode changes, for the countdown on screen. */
  private scheduleModeChange(): void {
    if (this.stopped) return;
    if (this.modeTimer !== null) this.timers.clearTimeout(this.modeTimer);
    this.modeTimer = null;
    const next = this.snapshot().replica?.nextChangeAt;
    if (next === null || next === undefined) return;
    this.modeTimer = this.timers.setTimeout(
      () => {
        this.modeTimer = null;
        this.tick$.next(this.tick$.value + 1);
        this.scheduleModeChange();
      },
      Math.max(0, next - this.clock.now()),
    );
  }

  // ---- starting and stopping -------------------------------------------------------------------------

  async start(): Promise<void> {
    await this.loadPersisted();
    await this.refreshIdentity();
    this.followLocalEvents();
    this.unsubscribeStream = this.api.onHqStream((message) => {
      if (message.type === 'DISCONNECTED') {
        this.patch({ online: false });
        return;
      }
      this.noteContact();
      this.gate.wake();
      const targets = message.type === 'RESYNC' ? collectionNames : message.collections;
      for (const c of targets) this.streams.get(c)?.next('RESYNC');
    });
    const key = await this.api.replicationKey();
    this.replicationKey = key;
    await this.loadCheckpoints(key);
    for (const collection of collectionNames) {
      const stream = new Subject<'RESYNC'>();
      this.streams.set(collection, stream);
      if (collection === 'events') {
        const events = this.replicateEvents(key, stream);
        this.replications.set(collection, events);
        this.subscriptions.push(
          events.error$.subscribe((error) => {
            if (error.parameters?.errors?.some((e) => String(e.name) === 'HqRequestError')) return;
            this.localFailure(collection, error);
          }),
        );
      } else {
        this.replications.set(
          collection,
          new CatalogPull(
            () => this.pullCatalogPage(collection),
            (error) => {
              if (!(error instanceof HqRequestError)) this.localFailure(collection, error);
            },
            stream.asObservable(),
          ),
        );
      }
    }
    this.scheduleRefresh();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.gate.close();
    this.unsubscribeStream?.();
    for (const s of this.subscriptions) s.unsubscribe();
    if (this.refreshTimer !== null) this.timers.clearTimeout(this.refreshTimer);
    if (this.modeTimer !== null) this.timers.clearTimeout(this.modeTimer);
    await Promise.allSettled([...this.replications.values()].map((r) => r.cancel()));
    await this.persistLock.run(() => Promise.resolve());
  }

  private scheduleRefresh(): void {
    if (this.refreshIntervalMs <= 0 || this.stopped) return;
    this.refreshTimer = this.timers.setTimeout(() => {
      for (const r of this.replications.values()) r.reSync();
      this.scheduleRefresh();
    }, this.refreshIntervalMs);
  }

  /** Asks HQ who this terminal is (the host knows, even offline) and records it. */
  async refreshIdentity(): Promise<{ terminalId: string; storeId: string } | null> {
    try {
      const status = await this.api.hqStatus();
      this.patch({
        enrolled: status.enrolled,
        terminalId: status.terminalId,
        storeId: status.storeId,
        online: status.online,
        lastError: status.lastError,
        lastContactAt: status.lastContactAt ? Date.parse(status.lastContactAt) : null,
      });
    } catch {
      // The host did not answer: keep what we knew.
    }
    const s = this.state$.value;
    return s.enrolled && s.terminalId && s.storeId ? { terminalId: s.terminalId, storeId: s.storeId } : null;
  }

  /** Who this terminal is: what the host said last, asked again when not known (not enrolled yet). */
  identity(): Promise<{ terminalId: string; storeId: string } | null> {
    const s = this.state$.value;
    if (s.enrolled && s.terminalId && s.storeId)
      return Promise.resolve({ terminalId: s.terminalId, storeId: s.storeId });
    return this.refreshIdentity();
  }

  /**
   * Retries now: wakes requests held back by the backoff, asks the host who the terminal is again (call it
   * after enrolling) and pulls everything again.
   */
  syncNow(): void {
    void this.refreshIdentity();
    this.gate.wake();
    for (const r of this.replications.values()) r.reSync();
  }

  /**
   * Pushes every pending event and pulls every collection, resolving once HQ has answered for all of it;
   * rejects with the HQ error as soon as a request fails (offline, refused…), so a caller such as the day
   * close can give up and try later instead of waiting for HQ to come back.
   */
  async flush(): Promise<void> {
    if (this.stopped) throw new Error('Replication is stopped.');
    const failed = firstValueFrom(this.failures$).then((error) => {
      throw new HqRequestError(error);
    });
    failed.catch(() => undefined);
    this.gate.wake();
    // Every event HQ has not answered for, answered (a fresh count query reads the stored state).
    const unanswered = this.dbs.ledger.events.count({ selector: { status: 'local' } }).$;
    await Promise.race([firstValueFrom(unanswered.pipe(filter((n) => n === 0))), failed]);
    // Then one complete pull of every collection, requested after the push was through.
    const since = this.requestCounter;
    const caughtUp = Promise.all(
      collectionNames.map((collection) =>
        firstValueFrom(this.caughtUp$.pipe(filter((c) => c.collection === collection && c.request > since))),
      ),
    );
    for (const r of this.replications.values()) r.reSync();
    await Promise.race([caughtUp, failed]);
  }

  /** HQ failures are reported where they happen; anything else (a local write failing) shows here. */
  private localFailure(collection: CollectionName, error: unknown): void {
    if (this.stopped) return;
    const message = error instanceof Error ? error.message : String(error);
    this.patch({
      lastError: { code: 'server-error', message: `Replication of ${collection} failed locally: ${message}` },
    });
  }

  replication(collection: CollectionName): CollectionReplication {
    const r = this.replications.get(collection);
    if (!r) throw new Error(`Replication of ${collection} has not started.`);
    return r;
  }

  /** Every replication: for tests and tools (awaitInSync, active$, error$). */
  get all(): ReadonlyMap<CollectionName, CollectionReplication> {
    return this.replications;
  }

  // ---- requests --------------------------------------------------------------------------------------

  private noteContact(): void {
    this.patch({ online: true, lastError: null, lastContactAt: this.clock.now() });
  }

  private noteFailure(error: HqError): void {
    // An answer from HQ (even a refusal) is contact; only 'offline' means HQ was not reached.
    this.patch({
      online: error.code !== 'offline',
      lastError: error,
      ...(error.code === 'offline' ? {} : { lastContactAt: this.clock.now() }),
      ...(error.code === 'not-enrolled' ? { enrolled: false } : {}),
    });
    this.failures$.next(error);
  }

  /** One request to HQ, after the gate; a failure backs off and throws (RxDB retries). */
  private async request<T>(call: () => Promise<HqResult<T>>): Promise<T> {
    const result = await this.attempt(call);
    if (!result.ok) {
      this.gate.failed();
      throw new HqRequestError(result.error);
    }
    return result.value;
  }

  /** One request to HQ, after the gate, returning the result (failures noted, no backoff). */
  private async attempt<T>(call: () => Promise<HqResult<T>>): Promise<HqResult<T>> {
    await this.gate.ready();
    if (this.gate.isClosed) throw new Error('Replication is stopping.');
    let result: HqResult<T>;
    try {
      result = await call();
    } catch (error) {
      // The host itself failed (IPC, WebSocket): HQ is out of reach from here.
      result = {
        ok: false,
        error: { code: 'offline', message: `The host did not answer: ${String(error)}` },
      };
    }
    if (result.ok) {
      this.gate.succeeded();
      this.noteContact();
    } else {
      this.noteFailure(result.error);
    }
    return result;
  }

  // ---- replications ----------------------------------------------------------------------------------

  private replicateEvents(key: string, stream: Subject<'RESYNC'>): EventReplication {
    return replicateRxCollection({
      replicationIdentifier: `${key}-events`,
      live: true,
      // The real wait is the gate's (see the header); this only spaces RxDB's retry loop.
      retryTime: 5,
      waitForLeadership: false,
      autoStart: true,
      collection: this.dbs.ledger.events,
      pull: {
        batchSize: this.pullBatchSize,
        stream$: stream.asObservable(),
        handler: (cp, n) => this.pullEvents(cp, n),
      },
      push: { batchSize: this.pushBatchSize, handler: (rows) => this.pushEvents(rows) },
    });
  }

  private async fetchPage(
    collection: CollectionName,
    checkpoint: Checkpoint | undefined,
    batchSize: number,
  ): Promise<FetchedPage> {
    const request = ++this.requestCounter;
    const page = await this.request(() => this.api.pull(collection, checkpoint ?? null, batchSize));
    return { ...page, request };
  }

  /** Counts the documents received; a page shorter than the batch means the collection caught up. */
  private pulled(collection: CollectionName, count: number, batchSize: number): boolean {
    const progress = this.state$.value.collections[collection];
    this.patchCollection(collection, { documents: progress.documents + count });
    return count < batchSize;
  }

  /** Records a catch-up, once its documents are stored (whoever waits for it finds them in the database). */
  private caughtUp(collection: CollectionName, at: number, request: number): void {
    if (this.stopped) return;
    this.patchCollection(collection, { done: true, caughtUpAt: at });
    void this.persist();
    this.caughtUp$.next({ collection, request });
  }

  /** Loads the catalog pull checkpoints stored under this replication key. */
  private async loadCheckpoints(key: string): Promise<void> {
    for (const collection of CATALOG_COLLECTIONS) {
      const doc = await this.dbs.catalog.getLocal<PersistedCheckpoint>(checkpointDocId(collection));
      const saved = doc?.toJSON().data;
      this.checkpoints.set(collection, saved && saved.key === key ? saved.checkpoint : null);
    }
  }

  /** One page of a catalog collection, fetched, stored and its checkpoint kept; true when caught up. */
  private async pullCatalogPage(collection: CollectionName): Promise<boolean> {
    const batchSize = this.pullBatchSize;
    const checkpoint = this.checkpoints.get(collection) ?? null;
    const ahead = this.prefetched.get(collection);
    this.prefetched.delete(collection);
    const page =
      ahead && ahead.after === checkpoint
        ? await ahead.page
        : await this.fetchPage(collection, checkpoint ?? undefined, batchSize);
    const at = this.clock.now();
    if (this.stopped) return true;
    if (page.documents.length >= batchSize) {
      // A full page: there is more, so ask for it while this one is checked and stored.
      const next = this.fetchPage(collection, page.checkpoint, batchSize);
      next.catch(() => undefined); // its failure is met when it is used (or it is dropped)
      this.prefetched.set(collection, { after: page.checkpoint, page: next });
    }
    switch (collection) {
      case 'members':
        await this.storeMembers(this.parsePage('members', page.documents, (d) => memberDocSchema.parse(d)));
        break;
      case 'products': {
        const docs = this.parsePage('products', page.documents, (d) =>
          productRowFromDoc(productDocSchema.parse(d)),
        );
        await storePage(this.dbs.catalog.products, docs, (d) => d.sku);
        break;
      }
      case 'programs': {
        const docs = this.parsePage('programs', page.documents, (d) => programDocSchema.parse(d));
        await storePage(this.dbs.catalog.programs, docs, (d) => d.id);
        break;
      }
      case 'cashiers': {
        const docs = this.parsePage('cashiers', page.documents, (d) => cashierDocSchema.parse(d));
        await storePage(this.dbs.catalog.cashiers, docs, (d) => d.id);
        break;
      }
      case 'events':
        throw new Error('Events are replicated by RxDB.');
    }
    if (this.dbs.catalog.closed) return true;
    this.checkpoints.set(collection, page.checkpoint);
    await this.dbs.catalog.upsertLocal<PersistedCheckpoint>(checkpointDocId(collection), {
      key: this.replicationKey,
      checkpoint: page.checkpoint,
    });
    const done = this.pulled(collection, page.documents.length, batchSize);
    if (done) this.caughtUp(collection, at, page.request);
    return done;
  }

  private parsePage<T>(collection: CollectionName, docs: unknown[], convert: (doc: unknown) => T): T[] {
    try {
      return docs.map(convert);
    } catch (error) {
      const hqError: HqError = {
        code: 'server-error',
        message: `HQ sent an invalid ${collection} document: ${String(error)}`,
      };
      this.noteFailure(hqError);
      this.gate.failed();
      throw new HqRequestError(hqError);
    }
  }

  /** Members, and the card index: cards of pulled members are written before the members themselves. */
  private async storeMembers(docs: MemberDoc[]): Promise<void> {
    const { members, cards } = this.dbs.catalog;
    const stored = await members.storageInstance.findDocumentsById(
      docs.map((d) => d.id),
      false,
    );
    const before = new Map(stored.map((row) => [row.id, row]));
    const upserts: { number: string; memberId: string }[] = [];
    const dropped = new Map<string, string>();
    for (const doc of docs) {
      const old = before.get(doc.id);
      const oldCards = old ? old.cards : [];
      const newCards = doc._deleted ? [] : doc.cards;
      for (const c of newCards)
        if (!old || old.provisional || !oldCards.includes(c)) upserts.push({ number: c, memberId: doc.id });
      for (const c of oldCards) if (!newCards.includes(c)) dropped.set(c, doc.id);
    }
    if (upserts.length > 0) await cards.bulkUpsert(upserts);
    if (dropped.size > 0) {
      const found = await cards.findByIds([...dropped.keys()]).exec();
      const stale = [...found.values()]
        .filter((c) => dropped.get(c.number) === c.memberId)
        .map((c) => c.number);
      if (stale.length > 0) await cards.bulkRemove(stale);
    }
    const rows = docs.map(memberRowFromDoc);
    const live = rows.filter((r) => !r._deleted).map(({ _deleted, ...row }) => row);
    if (live.length > 0) throwOnErrors(await members.bulkUpsert(live));
    const gone = rows.filter((r) => r._deleted && before.has(r.id)).map((r) => r.id);
    if (gone.length > 0) throwOnErrors(await members.bulkRemove(gone));
  }

  /** This terminal's events with HQ's verdict, merged into the local rows (content kept). */
  private async pullEvents(
    checkpoint: Checkpoint | undefined,
    batchSize: number,
  ): Promise<{ documents: WithDeleted<EventRow>[]; checkpoint: Checkpoint }> {
    const page = await this.fetchPage('events', checkpoint, batchSize);
    const docs = this.parsePage('events', page.documents, (d) => eventDocSchema.parse(d));
    const stored = await this.dbs.ledger.events.storageInstance.findDocumentsById(
      docs.map((d) => d.id),
      true,
    );
    const local = new Map(stored.map((row) => [row.id, { ...plainEventRow(row), _deleted: row._deleted }]));
    const documents = docs.map((doc) => mergeHqVerdict(local.get(doc.id), verdictOfDoc(doc)));
    if (this.pulled('events', documents.length, batchSize)) {
      // Caught up once RxDB has stored the page (the replication goes idle).
      const at = this.clock.now();
      const replication = this.replications.get('events');
      const stored = replication
        ? firstValueFrom(replication.active$.pipe(filter((active) => !active)))
        : Promise.resolve(false);
      stored.then(
        () => this.caughtUp('events', at, page.request),
        () => undefined, // cancelled meanwhile
      );
    }
    return { documents, checkpoint: page.checkpoint };
  }

  /**
   * Pushes `local` events in terminalSeq order, one batch at a time (RxDB may call this for several
   * batches at once; HQ should see a terminal's events in order). Returns HQ's state of every event sent,
   * which RxDB hands to the conflict handler: the verdict is merged into the local row.
   */
  private pushEvents(rows: RxReplicationWriteToMasterRow<EventRow>[]): Promise<WithDeleted<EventRow>[]> {
    return this.pushLock.run(async () => {
      const sendable = rows
        .map((r) => r.newDocumentState)
        .filter((d) => !d._deleted && d.status === 'local')
        .sort((a, b) => a.terminalSeq - b.terminalSeq);
      const masters: WithDeleted<EventRow>[] = [];
      if (sendable.length > 0) await this.pushBatch(sendable, masters);
      return masters;
    });
  }

  private async pushBatch(rows: WithDeleted<EventRow>[], out: WithDeleted<EventRow>[]): Promise<void> {
    const result = await this.attempt(() => this.api.push(rows.map((r) => r.event)));
    if (!result.ok) {
      if (result.error.code === 'rejected') {
        if (rows.length === 1) {
          const row = rows[0] as WithDeleted<EventRow>;
          out.push({ ...row, status: 'rejected', reason: rejection(result.error) });
          return;
        }
        const half = Math.ceil(rows.length / 2);
        await this.pushBatch(rows.slice(0, half), out);
        await this.pushBatch(rows.slice(half), out);
        return;
      }
      this.gate.failed();
      throw new HqRequestError(result.error);
    }
    const byId = new Map<string, PushResult>(result.value.results.map((r) => [r.id, r]));
    const missing = rows.filter((r) => !byId.has(r.id));
    if (missing.length > 0) {
      const error: HqError = {
        code: 'server-error',
        message: `HQ did not answer for ${missing.length} pushed event(s); they will be sent again.`,
      };
      this.noteFailure(error);
      this.gate.failed();
      throw new HqRequestError(error);
    }
    for (const row of rows) {
      const r = byId.get(row.id) as PushResult;
      if (r.outcome === 'conflict') {
        out.push({
          ...row,
          status: 'conflict',
          memberSeq: null,
          reason:
            r.reason ??
            'HQ already holds another event under this id or sequence number: this one was kept aside for review.',
        });
      } else {
        out.push({ ...row, status: r.status, memberSeq: r.memberSeq, reason: r.reason });
      }
    }
  }

  // ---- local event counts ----------------------------------------------------------------------------

  /**
   * Keeps the pending count and the attention list up to date: re-read at most every 50 ms while events
   * are being written (a burst of recordings or verdicts costs one count, not one per write).
   */
  private followLocalEvents(): void {
    const events = this.dbs.ledger.events as RxCollection<EventRow>;
    this.subscriptions.push(
      events.$.pipe(
        startWith(null),
        auditTime(50),
        switchMap(() => from(this.readLocalCounts())),
      ).subscribe((counts) => this.patch(counts)),
    );
  }

  private async readLocalCounts(): Promise<Pick<SyncState, 'pending' | 'attention'>> {
    const events = this.dbs.ledger.events as RxCollection<EventRow>;
    const unchanged = { pending: this.state$.value.pending, attention: this.state$.value.attention };
    if (this.dbs.ledger.closed) return unchanged;
    const read = Promise.all([
      events.count({ selector: { status: 'local' } }).exec(),
      events
        .find({
          selector: { status: { $in: [...ATTENTION_STATUSES] } },
          sort: [{ status: 'asc' }, { terminalSeq: 'asc' }],
          limit: ATTENTION_LIMIT,
        })
        .exec(),
    ]);
    let pending: number;
    let flagged: Awaited<typeof read>[1];
    try {
      [pending, flagged] = await read;
    } catch {
      return unchanged; // closing
    }
    const attention = flagged
      .map((d): AttentionEvent => ({
        id: d.id,
        terminalSeq: d.terminalSeq,
        type: d.type,
        memberId: d.memberId,
        occurredAt: d.occurredAt,
        status: d.status as AttentionEvent['status'],
        reason: d.reason,
      }))
      .sort((a, b) => a.terminalSeq - b.terminalSeq);
    return { pending, attention };
  }

  // ---- persisted state -------------------------------------------------------------------------------

  private async loadPersisted(): Promise<void> {
    const doc = await this.dbs.ledger.getLocal<PersistedSyncState>(LOCAL_SYNC_STATE);
    const saved = doc?.toJSON().data;
    if (!saved) return;
    const collections = { ...this.state$.value.collections };
    for (const c of collectionNames) {
      const at = saved.caughtUpAt[c];
      if (typeof at === 'number') collections[c] = { ...collections[c], caughtUpAt: at };
    }
    this.patch({ collections });
  }

  private persist(): Promise<void> {
    return this.persistLock.run(async () => {
      if (this.dbs.ledger.closed) return;
      const caughtUpAt: PersistedSyncState['caughtUpAt'] = {};
      for (const c of collectionNames) {
        const at = this.state$.value.collections[c].caughtUpAt;
        if (at !== null) caughtUpAt[c] = at;
      }
      await this.dbs.ledger.upsertLocal<PersistedSyncState>(LOCAL_SYNC_STATE, { caughtUpAt });
    });
  }
}

/** Writes a pulled page: HQ's documents replace the stored ones; deleted ones are removed. */
async function storePage<T extends object>(
  collection: RxCollection<T>,
  docs: WithDeleted<T>[],
  id: (doc: T) => string,
): Promise<void> {
  const live: T[] = [];
  const deleted: string[] = [];
  for (const { _deleted, ...row } of docs) {
    if (_deleted) deleted.push(id(row as T));
    else live.push(row as T);
  }
  if (live.length > 0) throwOnErrors(await collection.bulkUpsert(live));
  if (deleted.length > 0) {
    const found = await collection.findByIds(deleted).exec();
    if (found.size > 0) throwOnErrors(await collection.bulkRemove([...found.keys()]));
  }
}

/** RxDB's bulk writes report failed documents instead of throwing: a failed page is retried. */
function throwOnErrors(result: { error: readonly { documentId?: string; status?: number }[] }): void {
  const first = result.error[0];
  if (first)
    throw new Error(
      `${result.error.length} document(s) could not be stored (${first.documentId ?? '?'}: ${first.status ?? '?'})`,
    );
}

/** The latest instant at which every catalog collection had caught up: the oldest of their catch-ups. */
function lastCompletePull(collections: Record<CollectionName, CollectionProgress>): number | null {
  let oldest: number | null = null;
  for (const c of CATALOG_COLLECTIONS) {
    const at = collections[c].caughtUpAt;
    if (at === null) return null;
    oldest = oldest === null ? at : Math.min(oldest, at);
  }
  return oldest;
}

// Replication with HQ through TerminalApi (docs/architecture.md section 6): starts and stops the replication of every
// collection, follows HQ's event stream, and answers syncNow() and flush(). HTTP runs in the host
// (api.pull / api.push): the renderer never sees HQ's address or the credential.
//
// - Catalog collections are pulled by CatalogPull loops (catalog-pull.ts, catalog-pages.ts); events are
//   pushed and pulled by RxDB (event-replication.ts).
// - Live: the host's HQ event stream (api.onHqStream) becomes a 'RESYNC' of the collections concerned
//   (every reconnect, and every `changed` for a collection), and wakes requests held back by the backoff.
// - Retry: failed requests wait in an HqGate (hq-gate.ts: the kernel's backoff, woken by stream news or
//   syncNow()); every request goes through HqRequests (hq-requests.ts).
// - The status the UI shows is kept by src-renderer/sync-status.
import { Subject, filter, firstValueFrom, type Observable, type Subscription } from 'rxjs';
import type { HqApi } from '../../src-shared/ipc/hq-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';
import { collectionNames, type CollectionName } from '../../src-shared/sync/wire.js';
import type { CatalogReader } from '../db/catalog.js';
import type { TerminalDatabases } from '../db/databases.js';
import { followLocalCounts } from '../sync-status/local-counts.js';
import { PersistedCatchUps } from '../sync-status/persisted-catch-ups.js';
import { SyncStatusTracker, type SyncStatus } from '../sync-status/sync-status.js';
import { CatalogPages } from './catalog-pages.js';
import { CatalogPull, type CollectionReplication } from './catalog-pull.js';
import { replicateEvents } from './event-replication.js';
import { HqGate, type BackoffOptions } from './hq-gate.js';
import { HqRequestError, HqRequests } from './hq-requests.js';

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

export class TerminalSync {
  readonly gate: HqGate;
  private readonly api: HqApi;
  private readonly dbs: TerminalDatabases;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly pullBatchSize: number;
  private readonly pushBatchSize: number;
  private readonly refreshIntervalMs: number;
  private readonly status: SyncStatusTracker;
  private readonly catchUps: PersistedCatchUps;
  private readonly requests: HqRequests;
  private readonly pages: CatalogPages;
  private readonly streams = new Map<CollectionName, Subject<'RESYNC'>>();
  private readonly replications = new Map<CollectionName, CollectionReplication>();
  private readonly subscriptions: Subscription[] = [];
  private unsubscribeStream: (() => void) | null = null;
  private refreshTimer: TimerHandle | null = null;
  private stopped = false;
  /** Each pull that caught up: the collection and the number of the request that did it. */
  private readonly caughtUp$ = new Subject<{ collection: CollectionName; request: number }>();
  /** The sync status, recomputed on every change (and when the replica's mode changes). */
  readonly status$: Observable<SyncStatus>;

  constructor(options: SyncOptions) {
    this.api = options.api;
    this.dbs = options.databases;
    this.clock = options.clock;
    this.timers = options.timers;
    this.pullBatchSize = options.pullBatchSize ?? 2_000;
    this.pushBatchSize = options.pushBatchSize ?? 200;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.gate = new HqGate(options.timers, options.backoff);
    this.status = new SyncStatusTracker(options.catalog, options.clock, options.timers);
    this.status$ = this.status.status$;
    this.catchUps = new PersistedCatchUps(this.dbs.ledger, this.status);
    this.requests = new HqRequests(this.api, this.gate, this.status);
    this.pages = new CatalogPages({
      catalog: this.dbs.catalog,
      requests: this.requests,
      status: this.status,
      clock: this.clock,
      batchSize: this.pullBatchSize,
      caughtUp: (collection, at, request) => this.caughtUp(collection, at, request),
      stopped: () => this.stopped,
    });
  }

  /** The sync status now (the replica mode computed at this instant). */
  snapshot(): SyncStatus {
    return this.status.snapshot();
  }

  // ---- starting and stopping -------------------------------------------------------------------------

  async start(): Promise<void> {
    await this.catchUps.load();
    await this.refreshIdentity();
    this.subscriptions.push(
      followLocalCounts(
        this.dbs.ledger,
        () => ({ pending: this.status.state.pending, attention: this.status.state.attention }),
        (counts) => this.status.patch(counts),
      ),
    );
    this.unsubscribeStream = this.api.onHqStream((message) => {
      if (message.type === 'DISCONNECTED') {
        this.status.noteDisconnected();
        return;
      }
      this.status.noteContact();
      this.gate.wake();
      const targets = message.type === 'RESYNC' ? collectionNames : message.collections;
      for (const c of targets) this.streams.get(c)?.next('RESYNC');
    });
    const key = await this.api.replicationKey();
    await this.pages.load(key);
    for (const collection of collectionNames) {
      const stream = new Subject<'RESYNC'>();
      this.streams.set(collection, stream);
      if (collection === 'events') {
        const events = replicateEvents(key, stream.asObservable(), {
          api: this.api,
          ledger: this.dbs.ledger,
          requests: this.requests,
          status: this.status,
          clock: this.clock,
          pullBatchSize: this.pullBatchSize,
          pushBatchSize: this.pushBatchSize,
          caughtUp: (at, request) => this.caughtUp('events', at, request),
        });
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
            () => this.pages.pull(collection),
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
    this.status.stop();
    this.unsubscribeStream?.();
    for (const s of this.subscriptions) s.unsubscribe();
    if (this.refreshTimer !== null) this.timers.clearTimeout(this.refreshTimer);
    await Promise.allSettled([...this.replications.values()].map((r) => r.cancel()));
    await this.catchUps.idle();
  }

  private scheduleRefresh(): void {
    if (this.refreshIntervalMs <= 0 || this.stopped) return;
    this.refreshTimer = this.timers.setTimeout(() => {
      for (const r of this.replications.values()) r.reSync();
      this.scheduleRefresh();
    }, this.refreshIntervalMs);
  }

  /** Records a catch-up, once its documents are stored (whoever waits for it finds them in the database). */
  private caughtUp(collection: CollectionName, at: number, request: number): void {
    if (this.stopped) return;
    this.status.patchCollection(collection, { done: true, caughtUpAt: at });
    void this.catchUps.save();
    this.caughtUp$.next({ collection, request });
  }

  // ---- identity --------------------------------------------------------------------------------------

  /** Asks HQ who this terminal is (the host knows, even offline) and records it. */
  async refreshIdentity(): Promise<{ terminalId: string; storeId: string } | null> {
    try {
      const status = await this.api.hqStatus();
      this.status.patch({
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
    return this.status.identity();
  }

  /** Who this terminal is: what the host said last, asked again when not known (not enrolled yet). */
  identity(): Promise<{ terminalId: string; storeId: string } | null> {
    const known = this.status.identity();
    return known ? Promise.resolve(known) : this.refreshIdentity();
  }

  // ---- on demand -------------------------------------------------------------------------------------

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
    const failed = firstValueFrom(this.status.failures$).then((error) => {
      throw new HqRequestError(error);
    });
    failed.catch(() => undefined);
    this.gate.wake();
    // Every event HQ has not answered for, answered (a fresh count query reads the stored state).
    const unanswered = this.dbs.ledger.events.count({ selector: { status: 'local' } }).$;
    await Promise.race([firstValueFrom(unanswered.pipe(filter((n) => n === 0))), failed]);
    // Then one complete pull of every collection, requested after the push was through.
    const since = this.requests.lastRequest;
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
    this.status.patch({
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
}

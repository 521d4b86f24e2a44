// The sync status the UI shows (online, last contact, the replica's age under the offline policy, pending
// and flagged events, initial replication progress), kept as one state and recomputed on every change. The
// replica's mode changes with time alone (fresh → stale → expired), so the status is also re-emitted when
// it does, on the injected timers, for the countdown on screen.
import { BehaviorSubject, Subject, combineLatest, map, type Observable } from 'rxjs';
import { replicaMode, type ReplicaStatus } from '../../src-shared/engine/offline.js';
import type { HqError } from '../../src-shared/ipc/hq-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import { collectionNames, type CollectionName } from '../../src-shared/sync/wire.js';
import type { CatalogReader } from '../db/catalog.js';
import type { EventSyncStatus } from '../db/schemas.js';

/** The catalog collections whose freshness makes the replica's age (docs/architecture.md section 5). */
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
export type SyncState = Omit<SyncStatus, 'replica' | 'lastPullAt' | 'initialDone'>;

/** The status's state, what it is computed from, and the failures a flush gives up on. */
export class SyncStatusTracker {
  private readonly state$: BehaviorSubject<SyncState>;
  private readonly tick$ = new BehaviorSubject<number>(0);
  private modeTimer: TimerHandle | null = null;
  private stopped = false;
  /** The sync status, recomputed on every change (and when the replica's mode changes). */
  readonly status$: Observable<SyncStatus>;
  /** Every HQ failure, for flush() to give up on. */
  readonly failures$ = new Subject<HqError>();

  constructor(
    private readonly catalog: CatalogReader,
    private readonly clock: Clock,
    private readonly timers: Timers,
  ) {
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

  /** The state now (without what is computed). */
  get state(): SyncState {
    return this.state$.value;
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

  patch(change: Partial<SyncState>): void {
    this.state$.next({ ...this.state$.value, ...change });
    this.scheduleModeChange();
  }

  patchCollection(collection: CollectionName, change: Partial<CollectionProgress>): void {
    const collections = { ...this.state$.value.collections };
    collections[collection] = { ...collections[collection], ...change };
    this.patch({ collections });
  }

  /** Counts the documents received; a page shorter than the batch means the collection caught up. */
  pulled(collection: CollectionName, count: number, batchSize: number): boolean {
    const progress = this.state$.value.collections[collection];
    this.patchCollection(collection, { documents: progress.documents + count });
    return count < batchSize;
  }

  /** How many times HQ's stream has gone down: taken before a request, handed back with its answer. */
  private outages = 0;

  /** The token of "now", for noteContact: take it before sending a request. */
  contactToken(): number {
    return this.outages;
  }

  /**
   * HQ answered. `sentAt` (contactToken() when the request left) tells an answer to a request sent before
   * HQ's stream last went down: that one proves nothing about now, so it does not mark the till online (a
   * pull in flight when HQ stopped would otherwise say "Online" through the outage).
   */
  noteContact(sentAt?: number): void {
    if (sentAt !== undefined && sentAt < this.outages) {
      this.patch({ lastContactAt: this.clock.now() });
      return;
    }
    this.patch({ online: true, lastError: null, lastContactAt: this.clock.now() });
  }

  /** HQ's event stream went down: offline until HQ answers a request sent after this, or the stream is back. */
  noteDisconnected(): void {
    this.outages += 1;
    this.patch({ online: false });
  }

  noteFailure(error: HqError): void {
    // An answer from HQ (even a refusal) is contact; only 'offline' means HQ was not reached.
    this.patch({
      online: error.code !== 'offline',
      lastError: error,
      ...(error.code === 'offline' ? {} : { lastContactAt: this.clock.now() }),
      ...(error.code === 'not-enrolled' ? { enrolled: false } : {}),
    });
    this.failures$.next(error);
  }

  /** Who this terminal is, when the host said it is enrolled. */
  identity(): { terminalId: string; storeId: string } | null {
    const s = this.state$.value;
    return s.enrolled && s.terminalId && s.storeId ? { terminalId: s.terminalId, storeId: s.storeId } : null;
  }

  /** No more re-emission on mode changes (the replication is stopping). */
  stop(): void {
    this.stopped = true;
    if (this.modeTimer !== null) this.timers.clearTimeout(this.modeTimer);
    this.modeTimer = null;
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
}

/** The latest instant at which every catalog collection had caught up: the oldest of their catch-ups. */
export function lastCompletePull(collections: Record<CollectionName, CollectionProgress>): number | null {
  let oldest: number | null = null;
  for (const c of CATALOG_COLLECTIONS) {
    const at = collections[c].caughtUpAt;
    if (at === null) return null;
    oldest = oldest === null ? at : Math.min(oldest, at);
  }
  return oldest;
}

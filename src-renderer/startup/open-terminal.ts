// One call opens everything the cashier UI needs: the two databases, replication with HQ, the sync status,
// the counter services and the day close. Opened once per process per name (React StrictMode's double
// effects get the same terminal); the kiosk keeps it for the life of the window, tests close it.
import { distinctUntilChanged, map, type Subscription } from 'rxjs';
import type { HqApi } from '../../src-shared/ipc/hq-api.js';
import type { TerminalApi } from '../../src-shared/ipc/terminal-api.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { uuidv7Factory, type RandomBytes } from '../../src-shared/kernel/ids.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { systemTimers, type Timers } from '../../src-shared/kernel/timers.js';
import { CatalogReader } from '../db/catalog.js';
import { openDatabases, type DatabaseOptions, type TerminalDatabases } from '../db/databases.js';
import { Ledger } from '../db/ledger.js';
import { CloseScheduler } from '../day-close/close-schedule.js';
import { DayCloser } from '../day-close/day-closer.js';
import type { BackoffOptions } from '../replication/hq-gate.js';
import { TerminalSync } from '../replication/terminal-sync.js';
import type { PeerEventsSource } from '../services/peer-events.js';
import { TerminalServices } from '../services/terminal-services.js';

/**
 * What the terminal needs of its host: the HQ link, main's phone lookup keys and, where the host has them,
 * main's store-LAN peers' events (issue 16; without them no peer's event is counted, as before).
 */
export type TerminalHostApi = HqApi &
  Pick<TerminalApi, 'phoneLookupKey'> &
  Partial<Pick<TerminalApi, 'peerEvents' | 'onPeerEvents' | 'keepOwnEvents'>>;

export interface TerminalOptions extends DatabaseOptions {
  /** The host's HQ link and phone lookup (`window.terminal`, or an in-process TerminalApi in tests). */
  api: TerminalHostApi;
  /** Country calling code for phone numbers typed without one, e.g. `33` or `+353`. */
  phoneCountryCode: string;
  /** The store's IANA zone for the business day; default: the current program's. */
  timeZone?: string;
  /** Local time of the nightly close, `HH:MM`; null or omitted: no schedule (close on demand only). */
  nightlyCloseAt?: string | null;
  clock?: Clock;
  timers?: Timers;
  /** Random bytes for UUIDv7 ids (default: crypto.getRandomValues). */
  randomBytes?: RandomBytes;
  pullBatchSize?: number;
  pushBatchSize?: number;
  backoff?: BackoffOptions;
  refreshIntervalMs?: number;
  /** After a failed nightly close, try again this much later (default 15 min). */
  closeRetryMs?: number;
}

export interface Terminal {
  databases: TerminalDatabases;
  catalog: CatalogReader;
  ledger: Ledger;
  sync: TerminalSync;
  services: TerminalServices;
  closer: DayCloser;
  /** The nightly close schedule, when `nightlyCloseAt` was given. */
  scheduler: CloseScheduler | null;
  /** Stops replication and the schedule, waits for recordings under way, closes the databases. */
  close(): Promise<void>;
}

/** The host's store-LAN entries for the services, when it has both. */
function lanOf(api: TerminalHostApi): { lan?: PeerEventsSource } {
  const { peerEvents, onPeerEvents } = api;
  if (!peerEvents || !onPeerEvents) return {};
  return {
    lan: {
      peerEvents: (memberId) => peerEvents.call(api, memberId),
      onPeerEvents: (listener) => onPeerEvents.call(api, listener),
    },
  };
}

/**
 * Hands each recorded event to main at once, where the host has the store LAN (issue 16): peers get it while
 * HQ is down, without waiting for the push's backoff. A failure is not the sale's: the push carries the event
 * to main again.
 */
function keepOwnOf(api: TerminalHostApi): ((event: LedgerEvent) => void) | undefined {
  const { keepOwnEvents } = api;
  if (!keepOwnEvents) return undefined;
  return (event) => void keepOwnEvents.call(api, [event]).catch(() => undefined);
}

const webRandomBytes: RandomBytes = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

async function createTerminal(options: TerminalOptions): Promise<Terminal> {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const databases = await openDatabases(options);
  const catalog = new CatalogReader(databases.catalog);
  const ledger = new Ledger(databases.ledger.events, keepOwnOf(options.api));
  const sync = new TerminalSync({
    api: options.api,
    databases,
    catalog,
    clock,
    timers,
    ...(options.pullBatchSize === undefined ? {} : { pullBatchSize: options.pullBatchSize }),
    ...(options.pushBatchSize === undefined ? {} : { pushBatchSize: options.pushBatchSize }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: options.refreshIntervalMs }),
  });
  const services = new TerminalServices({
    catalog,
    catalogDb: databases.catalog,
    ledger,
    sync,
    clock,
    newId: uuidv7Factory(clock, options.randomBytes ?? webRandomBytes),
    phoneCountryCode: options.phoneCountryCode,
    phoneLookupKey: (normalised) => options.api.phoneLookupKey(normalised),
    hqLookup: (query) => options.api.lookup(query),
    ...lanOf(options.api),
  });
  const closer = new DayCloser({
    api: options.api,
    ledger,
    ledgerDb: databases.ledger,
    sync,
    catalog,
    clock,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
  });
  const scheduler = options.nightlyCloseAt
    ? new CloseScheduler({
        closer,
        clock,
        timers,
        at: options.nightlyCloseAt,
        ...(options.closeRetryMs === undefined ? {} : { retryMs: options.closeRetryMs }),
      })
    : null;
  let zoneWatch: Subscription | null = null;
  try {
    await catalog.start();
    await sync.start();
    await services.repairLocalIndex();
    // A close that waited for HQ (before a reload or a restart) runs as soon as HQ answers.
    await closer.start();
    if (scheduler) {
      // The schedule follows the store's zone, known once a program is there.
      zoneWatch = catalog.program$
        .pipe(
          map((p) => p?.timeZone ?? null),
          distinctUntilChanged(),
        )
        .subscribe(() => scheduler.reschedule());
    }
  } catch (error) {
    closer.stop();
    zoneWatch?.unsubscribe();
    scheduler?.stop();
    services.close();
    await sync.stop();
    catalog.stop();
    await databases.close();
    throw error;
  }
  return {
    databases,
    catalog,
    ledger,
    sync,
    services,
    closer,
    scheduler,
    async close() {
      closer.stop();
      zoneWatch?.unsubscribe();
      scheduler?.stop();
      services.close();
      await sync.stop();
      await ledger.idle();
      catalog.stop();
      await databases.close();
    },
  };
}

const open = new Map<string, Promise<Terminal>>();

/**
 * Opens the terminal named `options.name` (default `loyalty`), or returns it if this process already
 * opened it. `close()` forgets it, so the next call opens it again (a restart).
 */
export function openTerminal(options: TerminalOptions): Promise<Terminal> {
  const name = options.name ?? 'loyalty';
  const existing = open.get(name);
  if (existing) return existing;
  const opening = createTerminal(options).then((t): Terminal => ({
    ...t,
    async close() {
      if (open.get(name) === opening) open.delete(name);
      await t.close();
    },
  }));
  open.set(name, opening);
  opening.catch(() => {
    if (open.get(name) === opening) open.delete(name);
  });
  return opening;
}

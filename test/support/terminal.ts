// A terminal's local databases for Node tests and benches: the renderer's RxDB replica (src-renderer/db) on a
// fresh fake-indexeddb IDBFactory, wired to an HqApi, with a restart that closes everything and reopens it on
// the SAME IDBFactory (what a killed and restarted kiosk process sees: committed data, nothing in memory).
//
//   const hq = await startTestHq({ cashiers: [MANAGER] });        // test/support/hq.ts
//   const link = await connectTestLink(hq, { name: 'Till 1' });    // real HTTP, enrolled, in-process host API
//   const till = await openTestTerminal({ api: link.api, clock });
//   const shown = await till.terminal.services.lookupByCard('0400000000017');
//   await till.restart();                                          // same IndexedDB, new process state
//   await till.close(); await link.stop(); await hq.close();
//
// Each test terminal opens 6 RxDB collections; RxDB's open-source build allows 13 open at once per process,
// so at most two terminals may be open together in a test file: close them in afterEach/afterAll.
// `dev` defaults to true here (RxDB dev mode and schema validation), which production never uses.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { filter, firstValueFrom, map } from 'rxjs';
import { createHostApi } from '../../src-main/host/host-api.js';
import type { CredentialStore, Credential } from '../../src-main/hq/credential-store.js';
import type { FetchLike } from '../../src-main/hq/hq-client.js';
import { TerminalLink } from '../../src-main/hq/terminal-link.js';
import {
  openTerminal,
  type Terminal,
  type TerminalOptions,
} from '../../src-renderer/startup/open-terminal.js';
import type { EventRow } from '../../src-renderer/db/schemas.js';
import type { SyncStatus } from '../../src-renderer/sync-status/sync-status.js';
import type { TerminalApi } from '../../src-shared/ipc/terminal-api.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestHq, type TestHq, type TestHqOptions } from './hq.js';

let counter = 0;

export type TestTerminalOptions = Omit<TerminalOptions, 'indexedDB' | 'IDBKeyRange' | 'phoneCountryCode'> & {
  /** Default `353` (Ireland, the grocery-chain example program's country). */
  phoneCountryCode?: string;
};

export interface TestTerminal {
  /** The terminal as currently open (a new object after each restart). */
  readonly terminal: Terminal;
  /** The IndexedDB both databases live in; it survives restarts. */
  readonly indexedDB: IDBFactory;
  /** The database name prefix (unique per test terminal). */
  readonly name: string;
  /**
   * Closes the terminal (replication stopped, databases closed) and opens it again on the same IndexedDB,
   * as after a killed process. Options given replace the first ones (e.g. another api or clock).
   */
  restart(options?: Partial<TestTerminalOptions>): Promise<Terminal>;
  /** Closes the terminal for good (do it in afterEach/afterAll: RxDB counts open collections). */
  close(): Promise<void>;
  /** Resolves with the first sync status that satisfies `check` (now or later). */
  until(check: (status: SyncStatus) => boolean): Promise<SyncStatus>;
  /** Resolves with the event's row once it satisfies `check` (default: HQ has answered for it). */
  untilEvent(id: string, check?: (row: EventRow) => boolean): Promise<EventRow>;
}

/** Opens a terminal's databases on a fresh fake IndexedDB, wired to `options.api`. */
export async function openTestTerminal(options: TestTerminalOptions): Promise<TestTerminal> {
  const indexedDB = new IDBFactory();
  counter += 1;
  const name = options.name ?? `test-terminal-${process.pid}-${counter}`;
  let current: TestTerminalOptions = { ...options };
  const open = (): Promise<Terminal> =>
    openTerminal({
      dev: true,
      phoneCountryCode: '353',
      ...current,
      name,
      indexedDB,
      IDBKeyRange,
    });
  let terminal: Terminal | null = await open();
  const live = (): Terminal => {
    if (!terminal) throw new Error(`test terminal ${name} is closed`);
    return terminal;
  };
  return {
    get terminal() {
      return live();
    },
    indexedDB,
    name,
    async restart(changes = {}) {
      await terminal?.close();
      terminal = null;
      current = { ...current, ...changes };
      terminal = await open();
      return terminal;
    },
    async close() {
      const t = terminal;
      terminal = null;
      await t?.close();
    },
    until(check) {
      return firstValueFrom(live().sync.status$.pipe(filter(check)));
    },
    untilEvent(id, check = (row) => row.status !== 'local') {
      return firstValueFrom(
        live()
          .databases.ledger.events.findOne(id)
          .$.pipe(
            map((doc) => (doc ? (doc.toJSON() as EventRow) : null)),
            filter((row): row is EventRow => row !== null && check(row)),
          ),
      );
    },
  };
}

/** A credential kept in memory (tests): what the file store keeps on disk. */
export function memoryCredentialStore(): CredentialStore & { credential: Credential | null } {
  const store = {
    credential: null as Credential | null,
    load: () => Promise.resolve(store.credential),
    save: (credential: Credential) => {
      store.credential = credential;
      return Promise.resolve();
    },
    clear: () => {
      store.credential = null;
      return Promise.resolve();
    },
  };
  return store;
}

export interface TestLink {
  /** The in-process TerminalApi (createHostApi over the link), as the renderer sees it. */
  api: TerminalApi;
  link: TerminalLink;
  terminalId: string;
  storeId: string;
  credentials: CredentialStore;
  /** Stops the link's event stream. */
  stop(): Promise<void>;
}

/**
 * A terminal's real link to a test HQ (TerminalLink over HTTP), enrolled with a fresh code, behind the
 * in-process host API. Pass `fetch` to inject faults (test/support/fetch-fakes.ts).
 */
export async function connectTestLink(
  /** Any HQ that hands out enrollment codes (the console's e2e HQ too). */
  hq: Pick<TestHq, 'url' | 'enrollmentCode'>,
  options: { name?: string; fetch?: FetchLike } = {},
): Promise<TestLink> {
  const credentials = memoryCredentialStore();
  const link = new TerminalLink({
    hqUrl: hq.url,
    credentials,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    timeoutMs: 10_000,
    stream: { initialDelayMs: 20, maxDelayMs: 200 },
  });
  const enrolled = await link.enroll({ code: await hq.enrollmentCode(), name: options.name ?? 'Till' });
  if (!enrolled.ok) throw new Error(`enrollment failed: ${enrolled.error.message}`);
  const api = createHostApi({ link, hostInfo: { host: 'browser', version: 'test' } });
  return {
    api,
    link,
    terminalId: enrolled.value.terminalId,
    storeId: enrolled.value.storeId,
    credentials,
    stop: () => link.stop(),
  };
}

// Fixtures shared by the terminal's database tests (HQ's test cashier, a manager for overrides, a quick
// retry schedule, and a one-line basket priced in euros: 1 point per euro in the grocery-chain program).
export const TEST_CASHIER = 'c-1';
export const TEST_MANAGER = { id: 'mgr-1', name: 'Mia K.', role: 'manager' as const, pin: '2468' };
export const FAST_RETRY = { initialMs: 20, maxMs: 200 };
export const breadBasket = (euros: number) => ({
  currency: 'EUR',
  lines: [{ sku: 'GB-BREAD', category: 'bakery', quantity: 1, unitPrice: euros * 100 }],
});

/**
 * One lifecycle for tests of tills against a real in-process HQ: HQ starts once per file (with the test
 * manager), every test's tills and links (pushed onto `tills` and `links`) are closed after it, and HQ is
 * started again should a test have stopped it. Call it inside a `describe`.
 */
export function realHqLifecycle(options: TestHqOptions = { cashiers: [TEST_MANAGER] }): {
  readonly hq: TestHq;
  links: TestLink[];
  tills: TestTerminal[];
} {
  let started: TestHq | undefined;
  const links: TestLink[] = [];
  const tills: TestTerminal[] = [];
  beforeAll(async () => {
    started = await startTestHq(options);
  }, 60_000);
  afterEach(async () => {
    for (const t of tills.splice(0)) await t.close();
    for (const l of links.splice(0)) await l.stop();
    await started?.start();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get hq(): TestHq {
      if (!started) throw new Error('HQ is started in beforeAll: use it inside a test');
      return started;
    },
    links,
    tills,
  };
}

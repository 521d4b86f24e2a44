// A whole counter for end-to-end tests and benchmarks, composed as `npm start` composes it (scripts/start.ts)
// but with everything a test needs to reach into:
//
//   HQ        src-hq's HTTP API on REAL PostgreSQL (a fresh schema in TEST_DATABASE_URL), listening on
//             127.0.0.1 at a fixed port so stopHq()/startHq() is an outage and a recovery at the same address;
//             a store, the coffee-shop program (weekend double points), a few products, a cashier and a
//             manager with known PINs, and members with cards and balances (HQ events: member-enrolled +
//             points-adjusted, dated a month before the counter's clock).
//   terminal  the terminal host as Electron main and `npm start` compose it (src-main/host/compose.ts): its
//             HQ link enrolled with that HQ (credential in a temp folder), its DeviceManager on one end of a
//             socat pty pair with a writer (serialport) on the other, serial frames classified with the
//             card patterns of the program main pulls from HQ, and the browser host serving the real
//             renderer (built as `npm start` builds it: Vite's build() with electron.vite.config.ts's
//             renderer section; cached in the temp folder per state of its sources).
//   browser   Debian's Chromium through playwright-core, 1280×800, its clock fixed at a Saturday 10:00 in
//             Europe/Paris (the program's zone) so the weekend rule applies.
//
// Everything written goes to one temp folder (credential, pty links, HQ / terminal / page logs), so a test can
// prove that something (a payment card number) was written nowhere. close() stops it all in reverse order.
//
//   const counter = await startCounter({ browser });
//   await signIn(counter.page, counter.cashier);
//   await counter.scanCard(counter.members[0].card);
//   await counter.stopHq(); … await counter.startHq();
//   expect(await counter.hqEvents()).toHaveLength(…);
//   await counter.close();
//
// Tests may import src-hq; src-main and src-renderer never do.
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { SerialPort } from 'serialport';
import { payloads, SUFFIXES, TEST_PAN } from '../../scripts/scanner.js';
import { createSocatPair, type SocatPair } from '../../scripts/socat.js';
import { buildRenderer } from '../../scripts/start.js';
import { buildServer } from '../../src-hq/api/server.js';
import type { Db } from '../../src-hq/db/database.js';
import { withCheckDigit } from '../../src-hq/import/gtin.js';
import { displayName } from '../../src-hq/import/members.js';
import { addCashier, upsertProducts, type ProductInput } from '../../src-hq/store/catalog.js';
import { appendHqEvents, type HqEventDraft } from '../../src-hq/store/hq-events.js';
import { phoneLookupKeys } from '../../src-hq/store/phone-key.js';
import { getMember } from '../../src-hq/store/members.js';
import { publishProgram } from '../../src-hq/store/programs.js';
import { createStore, setStoreSettings } from '../../src-hq/store/stores.js';
import { createEnrollmentCode } from '../../src-hq/store/terminals.js';
import { parseTerminalConfig } from '../../src-main/config.js';
import type { DeviceManager } from '../../src-main/devices/index.js';
import { composeTerminalHost } from '../../src-main/host/compose.js';
import { StopList } from '../../src-main/host/stop-list.js';
import { fileCredentialStore } from '../../src-main/hq/credential-store.js';
import { basketSchema } from '../../src-shared/engine/basket.js';
import { quote } from '../../src-shared/engine/quote.js';
import { ManualClock, systemClock } from '../../src-shared/kernel/clock.js';
import { normalisePhone, phoneLast4 } from '../../src-shared/ledger/phone.js';
import type { Program } from '../../src-shared/program/schema.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import { postgresDatabase, type TestDatabase } from './databases.js';
import { openFakePrinter, type FakePrinter } from './fake-printer.js';
import { exampleProgram, freePort, type TestCashier } from './hq.js';

export { TEST_PAN };

export const COUNTER_STORE_ID = 'paris-marais';
/** The screen size of the counter (and of every screenshot). */
export const VIEWPORT = { width: 1280, height: 800 } as const;
const DEFAULT_DATABASE_URL = 'postgres://loyalty:loyalty@127.0.0.1:5432/loyalty_test';

export const CASHIER: TestCashier = { id: 'camille', name: 'Camille D.', role: 'cashier', pin: '2468' };
export const MANAGER: TestCashier = { id: 'manon', name: 'Manon L.', role: 'manager', pin: '1357' };

export interface CounterMember {
  id: string;
  firstName: string;
  lastName: string;
  /** What the counter shows: first name and last initial (`Alice M.`). */
  displayName: string;
  /** EAN-13 loyalty card number (GS1 restricted-circulation prefix 04, so the default card pattern). */
  card: string;
  phone: string;
  /** HQ balance after seeding. */
  balance: number;
}

/** The card number `04` + 10 digits + check digit. */
export const cardNumber = (n: number): string => withCheckDigit(`04${String(n).padStart(10, '0')}`);

function member(
  n: number,
  firstName: string,
  lastName: string,
  phone: string,
  balance: number,
): CounterMember {
  return {
    id: randomUUID(),
    firstName,
    lastName,
    displayName: displayName(firstName, lastName),
    card: cardNumber(n),
    phone,
    balance,
  };
}

/** Fresh members (new ids each call): Alice has plenty of points, Bruno a few, Chloé none yet. */
export const defaultMembers = (): CounterMember[] => [
  member(1001, 'Alice', 'Martin', '06 12 34 56 78', 1240),
  member(1002, 'Bruno', 'Lefèvre', '06 98 76 54 32', 160),
  member(1003, 'Chloé', 'Dubois', '07 11 22 33 44', 0),
];

/** Coffee-shop products with valid EAN-13s (French prefix 3); the gift card's category earns nothing. */
export const COUNTER_PRODUCTS = [
  {
    sku: 'BT-CAPPUCCINO',
    gtin: withCheckDigit('376000000101'),
    name: 'Cappuccino',
    category: 'drinks',
    price: 420,
  },
  {
    sku: 'BT-CROISSANT',
    gtin: withCheckDigit('376000000102'),
    name: 'Croissant',
    category: 'bakery',
    price: 180,
  },
  {
    sku: 'BT-BEANS-250',
    gtin: withCheckDigit('376000000103'),
    name: 'House beans 250 g',
    category: 'retail',
    price: 990,
  },
  {
    sku: 'BT-GIFT-20',
    gtin: withCheckDigit('376000000104'),
    name: 'Gift card 20 EUR',
    category: 'gift-cards',
    price: 2000,
  },
] as const;

/** The most recent Saturday at 10:00 in Europe/Paris, at or before `now` (weekend double points apply). */
export function saturdayMorning(now = Date.now()): Date {
  const paris = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    weekday: 'short',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Date(now);
  for (let back = 0; back < 8; back += 1) {
    const y = day.getUTCFullYear();
    const m = day.getUTCMonth();
    const d = day.getUTCDate() - back;
    // 10:00 in Paris is 08:00 or 09:00 UTC (summer / winter time).
    for (const utcHour of [8, 9]) {
      const at = new Date(Date.UTC(y, m, d, utcHour));
      const parts = Object.fromEntries(paris.formatToParts(at).map((p) => [p.type, p.value]));
      if (parts.weekday === 'Sat' && parts.hour === '10' && at.getTime() <= now) return at;
    }
  }
  throw new Error('no Saturday in the last 8 days');
}

// ---- the renderer, built once per source state ----------------------------------------------------------

const ROOT = resolve(import.meta.dirname, '../..');
/** What the renderer build depends on (as scripts/start.ts's staleness check, plus the lock file). */
const RENDERER_INPUTS = [
  'src-renderer',
  'src-shared',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
];
/** Builds for other source states are removed once this old (a run still serving one has long loaded it). */
const STALE_BUILD_MS = 60 * 60 * 1000;

/** A digest of every file the renderer is built from (paths and contents). */
function rendererSourcesDigest(): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) if (entry !== 'node_modules') visit(join(path, entry));
    } else if (stat.isFile()) {
      hash
        .update(`${relative(ROOT, path)}\0`)
        .update(readFileSync(path))
        .update('\0');
    }
  };
  for (const input of RENDERER_INPUTS) visit(join(ROOT, input));
  return hash.digest('hex').slice(0, 16);
}

let rendererBuild: Promise<string> | null = null;

/**
 * The real renderer, built as `npm start` builds it (scripts/start.ts buildRenderer: Vite's build() with
 * electron.vite.config.ts's renderer section), cached in the temp folder under a digest of its sources: the
 * test files and the benchmark of a run share one build, and a run after an edit builds again. Builds of
 * older sources are removed after an hour.
 */
export function counterRenderer(): Promise<string> {
  rendererBuild ??= (async () => {
    const cache = join(
      tmpdir(),
      `loyalty-counter-renderer-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`,
    );
    mkdirSync(cache, { recursive: true });
    const digest = rendererSourcesDigest();
    const dir = join(cache, digest);
    if (!existsSync(join(dir, 'index.html'))) {
      const staging = mkdtempSync(join(cache, 'building-'));
      try {
        await buildRenderer(join(staging, 'renderer'));
        try {
          renameSync(join(staging, 'renderer'), dir);
        } catch (error) {
          // Another process built the same sources first: theirs is as good.
          if (!existsSync(join(dir, 'index.html'))) throw error;
        }
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    }
    // In use: not stale for another hour, whatever other runs build meanwhile.
    const now = new Date();
    utimesSync(dir, now, now);
    for (const entry of readdirSync(cache)) {
      if (entry === digest) continue;
      const path = join(cache, entry);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > STALE_BUILD_MS) rmSync(path, { recursive: true, force: true });
    }
    return dir;
  })();
  return rendererBuild;
}

// ---- the counter --------------------------------------------------------------------------------------

export interface CounterOptions {
  /** A Chromium to open the page in (shared by a test file); default: one of its own, closed by close(). */
  browser?: Browser;
  /** Default: defaultMembers(). */
  members?: CounterMember[];
  /** The page's fixed time; default saturdayMorning(); null: the real clock. */
  fixedTime?: Date | null;
  /** Enroll the terminal before the page opens (default true); false shows the enrollment screen. */
  enrolled?: boolean;
  /** Open the page (default true). */
  open?: boolean;
  /**
   * A receipt printer on a second socat pair (default false): the terminal's DeviceManager prints on one
   * end, a FakePrinter (test/support/fake-printer.ts) answers its status and keeps the bytes on the other.
   */
  printer?: boolean;
  /** The page's size; default VIEWPORT (a test may change it later with page.setViewportSize). */
  viewport?: { width: number; height: number };
  /** The program HQ publishes; default the coffee-shop example (weekend double points). */
  program?: Program;
  /** Products for HQ's catalog besides COUNTER_PRODUCTS (priced in the program's currency). */
  extraProducts?: readonly CounterProduct[];
  /** The store's locale (store settings at HQ, followed by the till); default HQ's (en-IE). */
  locale?: string;
}

/** A product as the harness seeds it (the currency is the program's). */
export interface CounterProduct {
  sku: string;
  gtin: string;
  name: string;
  category: string;
  price: number;
}

export interface HqEventRow {
  id: string;
  terminalId: string;
  terminalSeq: number;
  memberId: string;
  type: string;
  status: string;
  pointsDelta: number;
  body: Record<string, unknown>;
}

export interface Counter {
  page: Page;
  context: BrowserContext;
  /** The page's URL (the browser host). */
  url: string;
  hqUrl: string;
  db: Db;
  program: Program;
  storeId: string;
  /** Set once enrolled (at start, or through the UI: read it again). */
  terminalId(): Promise<string | null>;
  cashier: TestCashier;
  manager: TestCashier;
  members: CounterMember[];
  /** The page's fixed time (null: real). */
  fixedTime: Date | null;
  /**
   * Moves the page's fixed time and main's PIN-lockout clock together to `at` (a fixed-time counter
   * only): a lockout ends for both sides at once, with no waiting.
   */
  setTime(at: Date): Promise<void>;
  /** Where everything this counter wrote lives (logs, credential, pty links). */
  dir: string;
  /** Uncaught errors of the page. */
  pageErrors: string[];
  /** The terminal's serial devices (the host side of the scanner, and of the printer when there is one). */
  devices: DeviceManager;
  /** The far end of the receipt printer's pair (`printer: true`), or null. */
  printer: FakePrinter | null;
  /** A fresh one-time enrollment code for the store. */
  enrollmentCode(): Promise<string>;
  /** Writes a loyalty card, as its EAN-13 barcode, to the scanner's pty. */
  scanCard(number: string): Promise<void>;
  /** Writes a product's EAN-13 barcode. */
  scanProduct(ean13: string): Promise<void>;
  /** Swipes the test payment card (tracks 1 and 2 of 4111111111111111) on the reader. */
  swipePayment(): Promise<void>;
  /** Writes any bytes (a CR is not added). */
  writeRaw(bytes: Buffer): Promise<void>;
  /** Kills socat: the terminal's port goes away as on an unplugged USB cable. */
  unplugScanner(): Promise<void>;
  /** A new socat pair at the same paths: the terminal's DeviceManager reconnects by itself. */
  replugScanner(): Promise<void>;
  /** HQ stops listening (its data stays): the terminal is offline. */
  stopHq(): Promise<void>;
  /** HQ listens again on the same port, over the same data. */
  startHq(): Promise<void>;
  /** HQ's events table, in the order HQ stored them. */
  hqEvents(): Promise<HqEventRow[]>;
  /** Every row of every HQ table, as JSON text (for "this was stored nowhere" checks). */
  hqDatabaseText(): Promise<string>;
  /** Every file under `dir`, as text (logs, credential…). */
  filesText(): string;
  /** Opens the page (when `open: false` was given, or after closing it). */
  openPage(): Promise<Page>;
  close(): Promise<void>;
}

/** What startCounterHq seeds HQ with. */
export interface CounterHqOptions {
  stops: StopList;
  /** The folder HQ's log (`hq.log`) goes to. */
  logs: string;
  seededAt: Date;
  program: Program;
  members: CounterMember[];
  locale?: string;
  extraProducts?: readonly CounterProduct[];
}

/** HQ as the e2e harnesses run it, on PostgreSQL: started, and stoppable to play "HQ out of reach". */
export interface CounterHq {
  db: Db;
  program: Program;
  members: CounterMember[];
  hqUrl: string;
  startHq: () => Promise<void>;
  stopHq: () => Promise<void>;
}

/**
 * HQ for the e2e harnesses (this file's counter, store-lan.ts's store): a fresh PostgreSQL schema seeded
 * with the counter's store, program, products, cashier and manager and members, served on a free port, its
 * log in `logs/hq.log`. Registers its stops on `stops`.
 */
export async function startCounterHq(options: CounterHqOptions): Promise<CounterHq> {
  const { stops, logs, seededAt, program, members } = options;
  const database: TestDatabase = await postgresDatabase();
  stops.push({ what: 'the HQ database', stop: () => database.close() });
  const { db } = database;
  await createStore(db, { id: COUNTER_STORE_ID, name: 'Bean There, Le Marais', timeZone: program.timeZone });
  if (options.locale) await setStoreSettings(db, COUNTER_STORE_ID, { locale: options.locale });
  await publishProgram(db, program);
  const products: ProductInput[] = [...COUNTER_PRODUCTS, ...(options.extraProducts ?? [])].map((p) => ({
    ...p,
    currency: program.currency,
  }));
  await upsertProducts(db, products);
  for (const c of [CASHIER, MANAGER])
    await addCashier(db, { ...c, storeId: COUNTER_STORE_ID }, { pinCost: 16 });
  // Each member's phone as HQ keys it (the chain's phone key, made by the migrations).
  const lookups = await phoneLookupKeys(
    db,
    members.map((m) => normalisePhone(m.phone, '33')),
  );
  await appendHqEvents(
    db,
    members.flatMap((m, i) => memberDrafts(m, seededAt, lookups[i] ?? null)),
    systemClock,
  );

  const hqLog = fileLogger(join(logs, 'hq.log'), 'info');
  const port = await freePort();
  const hqUrl = `http://127.0.0.1:${port}`;
  let app: FastifyInstance | null = null;
  const startHq = async (): Promise<void> => {
    if (app) return;
    const server = buildServer({
      db,
      clock: systemClock,
      logger: hqLog,
      config: { stream: { retryMs: 50 } },
    });
    await server.listen({ host: '127.0.0.1', port });
    app = server;
  };
  const stopHq = async (): Promise<void> => {
    const server = app;
    app = null;
    await server?.close();
  };
  await startHq();
  stops.push({ what: 'HQ', stop: stopHq });
  return { db, program, members, hqUrl, startHq, stopHq };
}

/** HQ's events table, in the order HQ stored them (the e2e harnesses' view of what HQ holds). */
export async function hqEventRows(db: Db): Promise<HqEventRow[]> {
  const { rows } = await db.query<{
    id: string;
    terminal_id: string;
    terminal_seq: string | number;
    member_id: string;
    type: string;
    status: string;
    points_delta: string | number;
    body: Record<string, unknown>;
  }>(
    `SELECT id, terminal_id, terminal_seq, member_id, type, status, points_delta, body
       FROM events ORDER BY change_seq, terminal_id, terminal_seq`,
  );
  return rows.map((r) => ({
    id: r.id,
    terminalId: r.terminal_id,
    terminalSeq: Number(r.terminal_seq),
    memberId: r.member_id,
    type: r.type,
    status: r.status,
    pointsDelta: Number(r.points_delta),
    body: r.body,
  }));
}

/** A pino logger writing to `path` (synchronously, so a killed run keeps its lines). */
export function fileLogger(path: string, level: string): Logger {
  return pino({ level }, pino.destination({ dest: path, sync: true, mkdir: true }));
}

/** Opens the writer's end of a scanner's socat pair. */
export function openWriter(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
    // An unplug closes the port under the writer: nothing to report, the next replug opens a new one.
    port.on('error', () => undefined);
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

/** Writes bytes to the scanner's pty and waits until they are drained. */
export function writeFrame(port: SerialPort, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(bytes, (error) => {
      if (error) reject(error);
      else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
    });
  });
}

/** Closes a writer (nothing when it is not open). */
export function closePort(port: SerialPort | null): Promise<void> {
  if (!port?.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}

/** The member-enrolled and opening-balance drafts of a counter member, a month before `at`. */
export function memberDrafts(m: CounterMember, at: Date, phoneLookup: string | null): HqEventDraft[] {
  const phone = normalisePhone(m.phone, '33');
  const occurredAt = new Date(at.getTime() - 30 * 24 * 3_600_000).toISOString();
  const drafts: HqEventDraft[] = [
    {
      type: 'member-enrolled',
      memberId: m.id,
      occurredAt,
      payload: {
        displayName: m.displayName,
        phoneHash: phoneLookup,
        phoneLast4: phone ? phoneLast4(phone) : null,
        birthMonth: 4,
        cards: [m.card],
        referredBy: null,
        welcomeBonus: 0,
        profile: {
          firstName: m.firstName,
          lastName: m.lastName,
          email: `${m.firstName.toLowerCase()}@example.fr`.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
          phone,
        },
      },
    },
  ];
  if (m.balance > 0) {
    drafts.push({
      type: 'points-adjusted',
      memberId: m.id,
      occurredAt,
      payload: { points: m.balance, reasonCode: 'migration', managerId: 'hq', note: 'Opening balance' },
    });
  }
  return drafts;
}

export async function startCounter(options: CounterOptions = {}): Promise<Counter> {
  process.env.TEST_DATABASE_URL ??= DEFAULT_DATABASE_URL;
  const stops = new StopList();
  const close = async (): Promise<void> => {
    const failures = await stops.stopAll();
    if (failures.length > 0) throw new Error(`closing the counter: ${failures.join('; ')}`);
  };

  try {
    return await assemble(options, stops, close);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

async function assemble(
  options: CounterOptions,
  stops: StopList,
  close: () => Promise<void>,
): Promise<Counter> {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-counter-'));
  stops.push({ what: 'the temp folder', stop: () => rmSync(dir, { recursive: true, force: true }) });
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const fixedTime = options.fixedTime === undefined ? saturdayMorning() : options.fixedTime;
  const seededAt = fixedTime ?? new Date();

  // HQ ------------------------------------------------------------------------------------------------
  const rendererReady = counterRenderer();
  const { db, program, members, hqUrl, startHq, stopHq } = await startCounterHq({
    stops,
    logs,
    seededAt,
    program: options.program ?? exampleProgram('coffee-shop'),
    members: options.members ?? defaultMembers(),
    ...(options.locale ? { locale: options.locale } : {}),
    extraProducts: options.extraProducts ?? [],
  });

  // The terminal host, composed as Electron main and `npm start` compose it (src-main/host/compose.ts),
  // with its scanner on a socat pair: the host's DeviceManager on one end, a writer on the other ----------
  const serialDir = join(dir, 'serial');
  mkdirSync(serialDir);
  const names = ['terminal', 'scanner'] as const;
  let pair: SocatPair | null = await createSocatPair(serialDir, { names });
  let writer: SerialPort | null = await openWriter(pair.b);
  stops.push({
    what: 'the scanner',
    stop: async () => {
      await closePort(writer);
      await pair?.kill();
    },
  });
  // The receipt printer, when asked for: on before the till opens its end, so its first status query has
  // an answer. Asked again every 2 s while idle, so a test sees paper-out reach the status bar.
  let printer: FakePrinter | null = null;
  const printerDevices: unknown[] = [];
  if (options.printer) {
    const printerPair = await createSocatPair(serialDir, { names: ['till-printer', 'printer'] });
    const far = await openFakePrinter(printerPair.b);
    printer = far;
    stops.push({
      what: 'the printer',
      stop: async () => {
        await far.close();
        await printerPair.kill();
      },
    });
    printerDevices.push({
      id: 'printer-1',
      role: 'printer',
      path: printerPair.a,
      baudRate: 19200,
      columns: 42,
      statusIntervalMs: 2_000,
    });
  }
  const config = parseTerminalConfig({
    hqUrl,
    devices: [
      {
        id: 'scanner-1',
        role: 'barcode',
        path: pair.a,
        baudRate: 9600,
        framing: { kind: 'suffix', suffix: 'CR' },
      },
      ...printerDevices,
    ],
  });
  if (!config.ok) throw new Error('the terminal configuration is invalid');
  // Main's PIN lockout runs on the page's time, so its countdown and main's answers agree.
  const hostClock = fixedTime ? new ManualClock(fixedTime.getTime()) : systemClock;
  const terminal = composeTerminalHost({
    clock: hostClock,
    config: config.value,
    credentials: fileCredentialStore(join(dir, 'terminal', 'credential.json')),
    dataDir: join(dir, 'terminal'),
    version: 'e2e',
    logger: fileLogger(join(logs, 'terminal.log'), 'debug'),
    link: { timeoutMs: 5_000, stream: { initialDelayMs: 50, maxDelayMs: 500 } },
    deviceTiming: { backoff: { initialMs: 50, maxMs: 400, factor: 2 } },
  });
  stops.push({ what: 'the terminal host', stop: () => terminal.close() });
  const { link, devices } = terminal;
  const enrollmentCode = async (): Promise<string> =>
    (await createEnrollmentCode(db, COUNTER_STORE_ID, systemClock, { ttlHours: 1 })).code;
  if (options.enrolled ?? true) {
    const enrolled = await link.enroll({ code: await enrollmentCode(), name: 'Till 1' });
    if (!enrolled.ok) throw new Error(`the terminal could not enroll: ${enrolled.error.message}`);
  }
  const { browser: browserHost } = await terminal.start({
    kind: 'browser',
    rendererDir: await rendererReady,
    logger: fileLogger(join(logs, 'browser-host.log'), 'debug'),
  });
  if (!browserHost) throw new Error('the terminal host serves no browser page');
  // Serial scans are classified with the program main pulled from HQ, not one handed over by the harness:
  // before the page opens, main has it (or, not enrolled, will have it once the page enrolls the till).
  await terminal.cardPatterns.refresh();
  // Likewise the staff PIN hashes main checks sign-ins with.
  await terminal.staffPins.refresh();

  const browser = options.browser ?? (await launchChromium());
  if (!options.browser) stops.push({ what: 'Chromium', stop: () => browser.close() });
  const context = await browser.newContext({
    viewport: options.viewport ?? VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  stops.push({ what: 'the browser context', stop: () => context.close() });
  if (fixedTime) await context.clock.setFixedTime(fixedTime);
  const pageErrors: string[] = [];
  const pageLog = fileLogger(join(logs, 'page.log'), 'debug');
  let page: Page | null = null;
  const openPage = async (): Promise<Page> => {
    const opened = await context.newPage();
    opened.on('console', (message) => pageLog.info({ type: message.type() }, message.text()));
    opened.on('pageerror', (error) => {
      pageErrors.push(error.message);
      pageLog.error(error.message);
    });
    // Through a launch URL, as `npm start` opens it: the context gets this launch's session cookie.
    await opened.goto(browserHost.launchUrl());
    page = opened;
    return opened;
  };
  if (options.open ?? true) await openPage();

  const write = async (bytes: Buffer): Promise<void> => {
    if (!writer) throw new Error('the scanner is unplugged: replugScanner() first');
    await writeFrame(writer, bytes);
  };
  const frame = (text: string): Buffer => Buffer.from(text + SUFFIXES.CR, 'latin1');

  return {
    get page(): Page {
      if (!page) throw new Error('the page is not open: openPage() first');
      return page;
    },
    context,
    url: browserHost.url,
    hqUrl,
    db,
    program,
    storeId: COUNTER_STORE_ID,
    async terminalId() {
      return (await link.hqStatus()).terminalId;
    },
    cashier: CASHIER,
    manager: MANAGER,
    members,
    fixedTime,
    async setTime(at) {
      if (!(hostClock instanceof ManualClock))
        throw new Error('setTime: this counter runs on the real clock');
      hostClock.set(at.getTime());
      await context.clock.setFixedTime(at);
    },
    dir,
    pageErrors,
    devices,
    printer,
    enrollmentCode,
    scanCard: (number) => write(frame(payloads.ean13(number))),
    scanProduct: (ean13) => write(frame(payloads.ean13(ean13))),
    swipePayment: () => write(frame(payloads.payment())),
    writeRaw: write,
    async unplugScanner() {
      const [w, p] = [writer, pair];
      writer = null;
      pair = null;
      await closePort(w);
      await p?.kill();
    },
    async replugScanner() {
      if (pair) return;
      for (const name of names) rmSync(join(serialDir, name), { force: true });
      pair = await createSocatPair(serialDir, { names });
      writer = await openWriter(pair.b);
    },
    stopHq,
    startHq,
    hqEvents: () => hqEventRows(db),
    async hqDatabaseText() {
      const { rows: tables } = await db.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      const parts: string[] = [];
      for (const { name } of tables) {
        const { rows } = await db.query<{ row: string }>(
          `SELECT row_to_json(t)::text AS row FROM "${name}" t`,
        );
        parts.push(`${name}:`, ...rows.map((r) => r.row));
      }
      return parts.join('\n');
    },
    filesText() {
      const texts: string[] = [];
      const visit = (path: string): void => {
        const stat = statSync(path, { throwIfNoEntry: false });
        if (!stat) return;
        if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
        else if (stat.isFile()) texts.push(`${path}:\n${readFileSync(path, 'latin1')}`);
      };
      visit(dir);
      return texts.join('\n');
    },
    openPage,
    close,
  };
}

// ---- waiting on the screen (playwright-core's auto-waiting locators; no sleeps) ---------------------------

/** What the screen shows, for an error message: its headings, alerts, statuses and open dialogs. */
export async function describeScreen(page: Page): Promise<string> {
  const selectors = {
    headings: 'h1, h2',
    alerts: '[role="alert"]',
    statuses: '[role="status"]',
    dialogs: 'dialog[open]',
  };
  try {
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const shown = await page.evaluate(
      (wanted) =>
        Object.entries(wanted).map(([what, selector]) => [
          what,
          [...document.querySelectorAll(selector)].map((e) =>
            (e as HTMLElement).innerText.replace(/\s+/g, ' '),
          ),
        ]),
      selectors,
    );
    return JSON.stringify(Object.fromEntries(shown));
  } catch (error) {
    return `(the page could not be read: ${(error as Error).message})`;
  }
}

/**
 * Waits until `locator` is visible and holds `text` (a substring, case-insensitive, or a RegExp). On a time
 * out the error says what the element held instead, and what the screen showed.
 */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    const held = await locator
      .first()
      .innerText({ timeout: 1_000 })
      .catch(() => '(no such element)');
    throw new Error(
      `waiting for ${String(text)} in ${locator.toString()}; it shows: ${JSON.stringify(held)}; ` +
        `the screen: ${await describeScreen(locator.page())}`,
      { cause: error },
    );
  }
}

/** Waits until `locator` is visible; on a time out the error says what the screen showed. */
export async function waitVisible(locator: Locator, timeout = 30_000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch (error) {
    throw new Error(
      `waiting for ${locator.toString()}; the screen: ${await describeScreen(locator.page())}`,
      {
        cause: error,
      },
    );
  }
}

/** Where a failed test leaves a screenshot of its counter (test-results is not committed). */
export const FAILURE_SCREENSHOTS = join(ROOT, 'test-results', 'failures');

/** Saves what the page shows as test-results/failures/<test name>.png; never throws. Returns the path. */
export async function failureScreenshot(page: Page, testName: string): Promise<string | null> {
  try {
    mkdirSync(FAILURE_SCREENSHOTS, { recursive: true });
    const path = join(FAILURE_SCREENSHOTS, `${testName.replace(/[^\w.-]+/g, '-').slice(0, 120)}.png`);
    await page.screenshot({ path, timeout: 5_000 });
    return path;
  } catch {
    return null;
  }
}

// ---- the cashier's moves, by the accessible names of the UI ---------------------------------------------

/** The status bar. */
export const statusBar = (page: Page): Locator => page.getByRole('status', { name: 'Terminal status' });

export const IDLE_HEADING = 'Scan a card or enter a phone number';

/** Signs in from the sign-in screen (waiting for the initial replication to end). */
export async function signIn(page: Page, who: TestCashier): Promise<void> {
  await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
  await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: who.name });
  await page.getByLabel('PIN', { exact: true }).fill(who.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
}

/**
 * For a test file where each test starts its own counter: registers the hooks that launch one Chromium for
 * the file, close every counter after its test (with a screenshot when the test failed), and close the
 * browser at the end. Returns the function a test calls to start its counter.
 */
export function counterPerTest(
  limitMs = 120_000,
): (options?: Omit<CounterOptions, 'browser'>) => Promise<Counter> {
  let browser: Browser | undefined;
  const counters: Counter[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  }, limitMs);
  afterEach(async ({ task }) => {
    const failed = task.result?.state === 'fail';
    for (const c of counters.splice(0)) {
      if (failed) await failureScreenshot(c.page, task.name);
      await c.close();
    }
  }, limitMs);
  afterAll(async () => {
    await browser?.close();
  }, limitMs);
  return async (options = {}) => {
    if (!browser) throw new Error('counterPerTest: the browser did not start');
    const started = await startCounter({ ...options, browser });
    counters.push(started);
    return started;
  };
}

/**
 * Redeems a reward from the member screen as a cashier does: Redeem, the reward, then "Redeem" in the
 * confirmation sheet that shows the cost and the balance after (a manager's approval may follow).
 */
export async function redeemReward(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'Redeem', exact: true }).click();
  await waitVisible(page.getByRole('heading', { name: 'Redeem points' }));
  await page.getByRole('button', { name: label }).click();
  const sheet = page.getByRole('dialog', { name: 'Redeem this reward?' });
  await waitVisible(sheet);
  await sheet.getByRole('button', { name: 'Redeem', exact: true }).click();
}

/** A basket line at the counter: a product of the counter's catalog and how many. */
export interface CounterLine {
  product: { sku: string; category: string; price: number };
  quantity: number;
}

/**
 * The points the engine gives `lines` for this member as HQ holds them, at the counter's fixed time: what a
 * sale of that basket must show and credit (the tests compare with it instead of a number written down).
 */
export async function expectedPoints(
  c: Counter,
  memberId: string,
  lines: readonly CounterLine[],
): Promise<number> {
  const member = await getMember(c.db, memberId);
  if (!member) throw new Error(`member ${memberId} is not at HQ`);
  const basket = basketSchema.parse({
    currency: 'EUR',
    lines: lines.map(({ product, quantity }) => ({
      sku: product.sku,
      category: product.category,
      quantity,
      unitPrice: product.price,
    })),
  });
  return quote(basket, member, c.program, (c.fixedTime ?? new Date()).getTime()).points;
}

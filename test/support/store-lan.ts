// Several tills of ONE store on the store LAN, with one HQ, for end-to-end tests of issue 16 (store-LAN sync):
//
//   HQ      src-hq on REAL PostgreSQL (a fresh schema in TEST_DATABASE_URL), seeded as test/support/counter.ts
//           seeds it (the coffee-shop program, products, a cashier and a manager, members with balances),
//           listening on 127.0.0.1 at a fixed port so stopHq()/startHq() is an outage and a recovery.
//   tills   each a terminal host composed as `npm start` composes it (src-main/host/compose.ts), with its own
//           data folder, credential file, scanner (a socat pty pair) and browser host serving the real
//           renderer to its own Chromium context. Each is enrolled with a key (HQ signs its store-LAN
//           credential) and then started with the LAN ON in its terminal configuration: listening on
//           127.0.0.1 at a port of its own, its peers the store's other tills by hand (terminal id and
//           host:port; the credential each must prove is the one in HQ's peer list).
//
// Enrolling comes first because a till's terminal id is HQ's answer to its enrollment and the manual peer
// list names it: each host is composed with the LAN off, enrolled, closed, then composed again over the same
// data folder with the full configuration — a till restarting with a new configuration.
//
// Loopback addresses are not LAN addresses for HQ (isLanAddress: private IPv4, ULA IPv6, LAN names), so the
// tills' reports to HQ carry none and the manual list is what connects them here.
//
// kill(till) closes its page and host and deletes its folder: the till and everything it kept are gone.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SerialPort } from 'serialport';
import { payloads, SUFFIXES } from '../../scripts/scanner.js';
import { createSocatPair, type SocatPair } from '../../scripts/socat.js';
import type { Db } from '../../src-hq/db/database.js';
import { createEnrollmentCode } from '../../src-hq/store/terminals.js';
import { parseTerminalConfig, type TerminalConfig } from '../../src-main/config.js';
import { composeTerminalHost, type TerminalHost } from '../../src-main/host/compose.js';
import { StopList } from '../../src-main/host/stop-list.js';
import { fileCredentialStore } from '../../src-main/hq/credential-store.js';
import { ManualClock, systemClock } from '../../src-shared/kernel/clock.js';
import type { Program } from '../../src-shared/program/schema.js';
import { launchChromium } from './chromium.js';
import {
  CASHIER,
  closePort,
  COUNTER_STORE_ID,
  counterRenderer,
  defaultMembers,
  fileLogger,
  hqEventRows,
  MANAGER,
  openWriter,
  saturdayMorning,
  startCounterHq,
  VIEWPORT,
  writeFrame,
  type CounterMember,
  type HqEventRow,
} from './counter.js';
import { exampleProgram, freePort, type TestCashier } from './hq.js';

const DEFAULT_DATABASE_URL = 'postgres://loyalty:loyalty@127.0.0.1:5432/loyalty_test';

/** The store-LAN timing of every till's terminal configuration (src-main/lan/lan-config.ts). */
export interface StoreLanTiming {
  /** Time between pull rounds; default the configuration's (2 s). */
  intervalMs?: number;
  /** How long a peer must be out of sight before a till relays its events to HQ (default 10 min). */
  relayAfterMs: number;
  /** Time between relay checks while HQ is reachable (default 1 min). */
  relayCheckMs: number;
}

export interface StoreLanOptions {
  /** A Chromium to open the pages in (shared by a test file); default: one of its own. */
  browser?: Browser;
  /** The tills' names, one till each; default A, B and C. */
  tills?: readonly string[];
  lan: StoreLanTiming;
  members?: CounterMember[];
  /** The pages' fixed time; default saturdayMorning(). */
  fixedTime?: Date;
}

export interface StoreLanTill {
  name: string;
  terminalId: string;
  /** The till's LAN server as `host:port`. */
  lanAddress: string;
  page: Page;
  context: BrowserContext;
  host: TerminalHost;
  /** The till's folder (data, credential, pty links, logs). */
  dir: string;
  pageErrors: string[];
  scanCard(number: string): Promise<void>;
  /** Whether kill() took it away. */
  killed: boolean;
}

export interface StoreLan {
  db: Db;
  hqUrl: string;
  program: Program;
  storeId: string;
  cashier: TestCashier;
  manager: TestCashier;
  members: CounterMember[];
  tills: StoreLanTill[];
  /** Where the HQ log and every till's folder live. */
  dir: string;
  stopHq(): Promise<void>;
  startHq(): Promise<void>;
  /** HQ's events table, in the order HQ stored them. */
  hqEvents(): Promise<HqEventRow[]>;
  /** HQ's log lines (pino JSON), parsed. */
  hqLog(): Array<Record<string, unknown>>;
  /** The till dies: its page and host stop at once and its folder (data, credential, LAN log) is deleted. */
  kill(till: StoreLanTill): Promise<void>;
  close(): Promise<void>;
}

export async function startStoreLan(options: StoreLanOptions): Promise<StoreLan> {
  process.env.TEST_DATABASE_URL ??= DEFAULT_DATABASE_URL;
  const stops = new StopList();
  const close = async (): Promise<void> => {
    const failures = await stops.stopAll();
    if (failures.length > 0) throw new Error(`closing the store: ${failures.join('; ')}`);
  };
  try {
    return await assemble(options, stops, close);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

interface TillParts {
  name: string;
  dir: string;
  dataDir: string;
  port: number;
  terminalId: string;
}

async function assemble(
  options: StoreLanOptions,
  stops: StopList,
  close: () => Promise<void>,
): Promise<StoreLan> {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-store-lan-'));
  stops.push({ what: 'the temp folder', stop: () => rmSync(dir, { recursive: true, force: true }) });
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const fixedTime = options.fixedTime ?? saturdayMorning();

  // HQ, seeded as the counter's -----------------------------------------------------------------------
  const rendererReady = counterRenderer();
  const { db, program, members, hqUrl, startHq, stopHq } = await startCounterHq({
    stops,
    logs,
    seededAt: fixedTime,
    program: exampleProgram('coffee-shop'),
    members: options.members ?? defaultMembers(),
  });

  // Enroll every till first (its terminal id is HQ's answer), each with the key main makes --------------
  const parts: TillParts[] = [];
  for (const name of options.tills ?? ['A', 'B', 'C']) {
    const tillDir = join(dir, `till-${name}`);
    const dataDir = join(tillDir, 'terminal');
    mkdirSync(dataDir, { recursive: true });
    const config = parseTerminalConfig({ hqUrl });
    if (!config.ok) throw new Error('the enrollment configuration is invalid');
    const enrolling = composeTerminalHost({
      clock: systemClock,
      config: config.value,
      credentials: fileCredentialStore(join(dataDir, 'credential.json')),
      dataDir,
      version: 'e2e',
      logger: fileLogger(join(tillDir, 'logs', 'enroll.log'), 'debug'),
      link: { timeoutMs: 5_000 },
    });
    try {
      const { code } = await createEnrollmentCode(db, COUNTER_STORE_ID, systemClock, { ttlHours: 1 });
      const enrolled = await enrolling.link.enroll({ code, name: `Till ${name}` });
      if (!enrolled.ok) throw new Error(`till ${name} could not enroll: ${enrolled.error.message}`);
      const terminalId = (await enrolling.link.hqStatus()).terminalId;
      if (!terminalId) throw new Error(`till ${name} has no terminal id after enrolling`);
      if (!(await enrolling.link.lanIdentity())) throw new Error(`till ${name} has no LAN identity`);
      parts.push({ name, dir: tillDir, dataDir, port: await freePort(), terminalId });
    } finally {
      await enrolling.close();
    }
  }

  // Then start each with the LAN on and the others as its peers ----------------------------------------
  const browser = options.browser ?? (await launchChromium());
  if (!options.browser) stops.push({ what: 'Chromium', stop: () => browser.close() });
  const rendererDir = await rendererReady;
  const tills: StoreLanTill[] = [];
  for (const part of parts) {
    const config = parseTerminalConfig({
      hqUrl,
      devices: [
        {
          id: 'scanner-1',
          role: 'barcode',
          path: join(part.dir, 'serial', 'terminal'),
          baudRate: 9600,
          framing: { kind: 'suffix', suffix: 'CR' },
        },
      ],
      lan: {
        enabled: true,
        host: '127.0.0.1',
        port: part.port,
        peers: parts
          .filter((p) => p !== part)
          .map((p) => ({ terminalId: p.terminalId, address: `127.0.0.1:${p.port}` })),
        ...(options.lan.intervalMs === undefined ? {} : { intervalMs: options.lan.intervalMs }),
        relayAfterMs: options.lan.relayAfterMs,
        relayCheckMs: options.lan.relayCheckMs,
      },
    });
    if (!config.ok) throw new Error(`till ${part.name}'s configuration is invalid`);
    tills.push(await startTill(part, config.value, { browser, rendererDir, fixedTime, stops }));
  }

  const kill = async (till: StoreLanTill): Promise<void> => {
    if (till.killed) return;
    till.killed = true;
    await till.context.close();
    await till.host.close();
    rmSync(till.dir, { recursive: true, force: true });
  };

  return {
    db,
    hqUrl,
    program,
    storeId: COUNTER_STORE_ID,
    cashier: CASHIER,
    manager: MANAGER,
    members,
    tills,
    dir,
    stopHq,
    startHq,
    hqEvents: () => hqEventRows(db),
    hqLog() {
      return readFileSync(join(logs, 'hq.log'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    kill,
    close,
  };
}

async function startTill(
  part: TillParts,
  config: TerminalConfig,
  env: { browser: Browser; rendererDir: string; fixedTime: Date; stops: StopList },
): Promise<StoreLanTill> {
  const { stops } = env;
  const logs = join(part.dir, 'logs');
  const serialDir = join(part.dir, 'serial');
  mkdirSync(serialDir, { recursive: true });
  const pair: SocatPair = await createSocatPair(serialDir, { names: ['terminal', 'scanner'] });
  const writer: SerialPort = await openWriter(pair.b);
  stops.push({
    what: `till ${part.name}'s scanner`,
    stop: async () => {
      await closePort(writer);
      await pair.kill();
    },
  });
  const host = composeTerminalHost({
    clock: new ManualClock(env.fixedTime.getTime()),
    config,
    credentials: fileCredentialStore(join(part.dataDir, 'credential.json')),
    dataDir: part.dataDir,
    version: 'e2e',
    logger: fileLogger(join(logs, 'terminal.log'), 'debug'),
    link: { timeoutMs: 5_000, stream: { initialDelayMs: 50, maxDelayMs: 500 } },
    deviceTiming: { backoff: { initialMs: 50, maxMs: 400, factor: 2 } },
  });
  // close() is safe twice: kill() may have closed it already.
  stops.push({ what: `till ${part.name}'s host`, stop: () => host.close() });
  const { browser: browserHost } = await host.start({
    kind: 'browser',
    rendererDir: env.rendererDir,
    logger: fileLogger(join(logs, 'browser-host.log'), 'debug'),
  });
  if (!browserHost) throw new Error(`till ${part.name}'s host serves no browser page`);
  await host.cardPatterns.refresh();
  await host.staffPins.refresh();

  const context = await env.browser.newContext({
    viewport: VIEWPORT,
    locale: 'en-GB',
    timezoneId: 'Europe/Paris',
  });
  stops.push({ what: `till ${part.name}'s browser context`, stop: () => context.close() });
  await context.clock.setFixedTime(env.fixedTime);
  const pageErrors: string[] = [];
  const pageLog = fileLogger(join(logs, 'page.log'), 'debug');
  const page = await context.newPage();
  page.on('console', (message) => pageLog.info({ type: message.type() }, message.text()));
  page.on('pageerror', (error) => {
    pageErrors.push(error.message);
    pageLog.error(error.message);
  });
  await page.goto(browserHost.launchUrl());
  return {
    name: part.name,
    terminalId: part.terminalId,
    lanAddress: `127.0.0.1:${part.port}`,
    page,
    context,
    host,
    dir: part.dir,
    pageErrors,
    scanCard: (number) => writeFrame(writer, Buffer.from(payloads.ean13(number) + SUFFIXES.CR, 'latin1')),
    killed: false,
  };
}

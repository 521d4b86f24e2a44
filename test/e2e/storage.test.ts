// The terminal's local storage in real Chromium (Debian's, through playwright-core), against a real HQ:
// the harness page (test/e2e/harness) runs the real src-renderer/db code, served by the browser host, and
// its window.terminal (the browser transport over the host's WebSocket) reaches the host side
// (createHostApi over a TerminalLink) of a terminal enrolled with an in-process HQ on PGlite.
//
// - The ledger database commits with strict IndexedDB durability: every readwrite transaction on it asks
//   for and reports 'strict' (the catalog database is relaxed: anything lost there is pulled again).
// - Recorded events survive a page reload, and a Chromium killed with SIGKILL (the persistent profile is
//   reopened): every event the page reported committed is there, on an intact hash chain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { RecordedSummary, TransactionRecord } from './harness/api.js';
import {
  enrollHarnessTerminal,
  killChromium,
  launchPersistent,
  membersBackend,
  openHarnessPage,
  serveHarness,
  type HarnessServer,
  type HarnessTerminal,
} from '../support/browser-harness.js';
import { startTestHq, type TestHq } from '../support/hq.js';

const LIMIT = { timeout: 90_000 };
/** Every collection replication, so recording starts with the program and the terminal's identity. */
const ALL = ['members', 'products', 'programs', 'cashiers', 'events'] as const;

let hq: TestHq;
let server: HarnessServer;
const folders: string[] = [];
const contexts: BrowserContext[] = [];
const terminals: HarnessTerminal[] = [];

/** A newly enrolled terminal behind the page's window.terminal (each test's ledger is its own chain). */
async function newTerminal(): Promise<void> {
  const terminal = await enrollHarnessTerminal(hq);
  terminals.push(terminal);
  server.setBackend(terminal.api);
}

/** A Chromium with a profile on disk (IndexedDB is kept in memory in Playwright's incognito contexts). */
async function browserWithProfile(dir?: string): Promise<{ context: BrowserContext; dir: string }> {
  const profile = dir ?? mkdtempSync(join(tmpdir(), 'loyalty-e2e-profile-'));
  if (!dir) folders.push(profile);
  const context = await launchPersistent(profile);
  contexts.push(context);
  return { context, dir: profile };
}

beforeAll(async () => {
  hq = await startTestHq();
  // Every test puts its own enrolled terminal behind the host (newTerminal) before opening a page.
  server = await serveHarness(membersBackend(0));
}, LIMIT.timeout);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await server?.close();
  for (const terminal of terminals) await terminal.close();
  await hq?.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
}, LIMIT.timeout);

describe('IndexedDB durability in Chromium', () => {
  it('commits every ledger write with strict durability; catalog writes are relaxed', LIMIT, async () => {
    await newTerminal();
    const { context } = await browserWithProfile();
    const page = await openHarnessPage(context, server.url);
    const names = await page.evaluate(() => window.harness!.open('durability'));
    await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);

    // Opening and the first sync, then (separately) recording an enrollment and two earns.
    const opening = await page.evaluate(() => window.harness!.transactions());
    await page.evaluate(() => window.harness!.clearTransactions());
    const recorded = await page.evaluate(() => window.harness!.recordEvents(3, { members: 1 }));
    expect(recorded.events.map((e) => e.type)).toEqual(['member-enrolled', 'points-earned', 'points-earned']);
    const during = await page.evaluate(() => window.harness!.transactions());
    const all = [...opening, ...during];

    // RxDB's Dexie storage keeps each collection in an IndexedDB database named rxdb-dexie-<db>--<v>--<c>.
    const of = (records: TransactionRecord[], db: string) =>
      records.filter((r) => r.database.startsWith(`rxdb-dexie-${db}--`));
    const ledgerDuring = of(during, names.ledger);
    // The recording itself: the events collection's insert, one per event at least.
    expect(ledgerDuring.filter((r) => r.database.endsWith('--events')).length).toBeGreaterThanOrEqual(3);
    for (const records of [ledgerDuring, of(all, names.ledger)]) {
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect({ database: r.database, requested: r.requested, durability: r.durability }).toEqual({
          database: r.database,
          requested: 'strict',
          durability: 'strict',
        });
      }
    }
    // The recording also wrote the catalog (card index, provisional member): relaxed is allowed there.
    const catalogDuring = of(during, names.catalog);
    expect(catalogDuring.some((r) => r.database.endsWith('--cards'))).toBe(true);
    expect(new Set(of(all, names.catalog).map((r) => r.durability))).toEqual(new Set(['relaxed']));
    // Nothing else in the page writes to IndexedDB, so the probe saw every write of the terminal.
    expect(all.length).toBe(of(all, names.ledger).length + of(all, names.catalog).length);
    expect(all.every((r) => !r.forced)).toBe(true);
    await page.evaluate(() => window.harness!.close());
    await context.close();
  });
});

describe('recorded events survive', () => {
  it('a page reload: same events, same chain', LIMIT, async () => {
    await newTerminal();
    const { context } = await browserWithProfile();
    const page = await openHarnessPage(context, server.url);
    await page.evaluate(() => window.harness!.open('reload'));
    await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
    await page.evaluate(() => window.harness!.recordEvents(6, { members: 2 }));
    const before = await page.evaluate(() => window.harness!.events());
    const chainBefore = await page.evaluate(() => window.harness!.verifyChain());
    expect(chainBefore).toMatchObject({ ok: true, count: 6 });

    await page.reload();
    await page.waitForFunction(() => window.harness !== undefined);
    await page.evaluate(() => window.harness!.open('reload'));
    const after = await page.evaluate(() => window.harness!.events());
    // The content is what was recorded (HQ's verdict may have arrived meanwhile: only the status moves).
    expect(after.map((r) => r.event)).toEqual(before.map((r) => r.event));
    expect(await page.evaluate(() => window.harness!.verifyChain())).toEqual(chainBefore);
    await page.evaluate(() => window.harness!.close());
    await context.close();
  });

  it('Chromium killed while recording: every committed event is there, chain intact', LIMIT, async () => {
    await newTerminal();
    const first = await browserWithProfile();
    const page = await openHarnessPage(first.context, server.url);
    await page.evaluate(() => window.harness!.open('kill'));
    await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);

    // The page reports each event once its insert has resolved (committed); the test kills Chromium
    // after the 25th report, while later recordings are still under way.
    const committed: RecordedSummary[] = [];
    let enough!: () => void;
    const reachedEnough = new Promise<void>((resolve) => (enough = resolve));
    await page.exposeFunction('harnessCommitted', (event: RecordedSummary) => {
      committed.push(event);
      if (committed.length === 25) enough();
    });
    const recording = page
      .evaluate(() => window.harness!.recordEvents(10_000, { members: 5, report: true }))
      .then(
        () => 'finished',
        () => 'killed',
      );
    await reachedEnough;
    const pids = await killChromium(first.context);
    expect(pids.length).toBeGreaterThan(0);
    expect(await recording).toBe('killed');

    const second = await browserWithProfile(first.dir);
    const reopened = await openHarnessPage(second.context, server.url);
    await reopened.evaluate(() => window.harness!.open('kill'));
    const events = await reopened.evaluate(() => window.harness!.events());
    const byId = new Map(events.map((r) => [r.event.id, r.event]));
    for (const c of committed) {
      expect(byId.get(c.id), `event ${c.terminalSeq}`).toMatchObject({
        terminalSeq: c.terminalSeq,
        hash: c.hash,
      });
    }
    expect(events.length).toBeGreaterThanOrEqual(committed.length);
    expect(await reopened.evaluate(() => window.harness!.verifyChain())).toMatchObject({
      ok: true,
      count: events.length,
    });
    await reopened.evaluate(() => window.harness!.close());
    await second.context.close();
  });
});

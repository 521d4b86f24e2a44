// The terminal's local data in Chromium (Debian's, through playwright-core), with the real src-renderer/db
// code in the browser harness (test/e2e/harness) on a persistent profile on disk:
//   1. initial replication of 100,000 members into the catalog database: the bootstrap from HQ's snapshot
//      (real TerminalSync and member-bootstrap.ts; a fake host serving pre-generated member documents in
//      HQ's snapshot format through main's real SnapshotRelay: checksums, one zod check per document),
//      beside a plain Dexie bulkPut of the same rows with the app's own indexes, and RxDB's bulkInsert of
//      the same rows (what RxDB's storage format costs); alternating runs, medians;
//   2. member lookup by card (services.lookupByCard), beside a plain Dexie multi-entry index lookup;
//   3. record an event, confirm → committed, strict ledger durability, beside the same with relaxed;
//   4. drain 10,000 events recorded during an HQ outage to a real HQ (HQ's HTTP API on PGlite, through
//      the host's createHostApi and TerminalLink), exactly once, beside a replay of the same events.
// Writes bench/results/terminal.json (BENCH_ONLY=replication runs part 1 alone and writes nothing).
// BENCH_LOOKUP_MEMBERS=1000000 grows the replica to a million members for the lookup;
// it also bootstraps a till of a million members (time, docs/s: issue 15's 1,000,000-member scope;
// BENCH_BOOTSTRAP_MEMBERS sets another size, 0 skips it);
// BENCH_REPLICATION_RUNS (default 2) sets the alternating runs of part 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { median, percentile, writeResult } from './support.js';
import {
  cardFor,
  enrollHarnessTerminal,
  launchPersistent,
  membersBackend,
  openHarnessPage,
  serveHarness,
  type HarnessServer,
  type HarnessTerminal,
} from '../test/support/browser-harness.js';
import { startTestHq, type TestHq } from '../test/support/hq.js';
import type { LedgerEvent } from '../src-shared/ledger/events.js';

const MEMBERS = 100_000;
const LOOKUP_MEMBERS = Number(process.env.BENCH_LOOKUP_MEMBERS ?? MEMBERS);
const LOOKUPS = 500;
const RECORDS = 200;
const DRAIN_EVENTS = 10_000;
const DRAIN_MEMBERS = 1_000;
/** TerminalSync's default pull batch (what the terminal ships with); BENCH_PULL_BATCH to try others. */
const PULL_BATCH = Number(process.env.BENCH_PULL_BATCH ?? 2_000);
/** The bootstrap's snapshot page (CatalogPages' default); the peers write in batches of the same size. */
const BOOTSTRAP_PAGE = 5_000;
const REPLICATION_RUNS = Number(process.env.BENCH_REPLICATION_RUNS ?? 2);
const BOOTSTRAP_MEMBERS = Number(process.env.BENCH_BOOTSTRAP_MEMBERS ?? 1_000_000);
const ALL = ['members', 'products', 'programs', 'cashiers', 'events'] as const;
/** BENCH_ONLY=replication: only the initial replication and its peer, printed, no result file written. */
const ONLY_REPLICATION = process.env.BENCH_ONLY === 'replication';

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const stats = (samples: readonly number[]) => ({
  samples: samples.length,
  p50Ms: round(median(samples)),
  p95Ms: round(percentile(samples, 95)),
});
const log = (message: string): void => console.log(`[terminal bench] ${message}`);

/** A small deterministic PRNG (mulberry32), so every run looks up the same cards. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const randomCards = (count: number, members: number, seed: number): string[] => {
  const next = prng(seed);
  return Array.from({ length: count }, () => cardFor(Math.floor(next() * members)));
};

async function lookups(page: Page, members: number, seed: number) {
  await page.evaluate((c) => window.harness!.lookupCards(c), randomCards(50, members, seed + 1)); // warm-up
  const result = await page.evaluate(
    (c) => window.harness!.lookupCards(c),
    randomCards(LOOKUPS, members, seed),
  );
  if (result.found !== LOOKUPS) throw new Error(`only ${result.found} of ${LOOKUPS} cards were found`);
  return result.samples;
}

async function main(): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'loyalty-bench-profile-'));
  const backend = membersBackend(MEMBERS);
  let server: HarnessServer | null = null;
  let context: BrowserContext | null = null;
  let hq: TestHq | null = null;
  let terminal: HarnessTerminal | null = null;
  const started = performance.now();
  const loadAtStart = loadavg().map((l) => round(l));
  try {
    server = await serveHarness(backend);
    context = await launchPersistent(profile);
    const chromiumVersion = context.browser()?.version() ?? 'unknown';
    let page = await openHarnessPage(context, server.url);

    // ---- 1. initial replication: the bootstrap, plain Dexie, RxDB bulkInsert, alternating runs ---------
    const bootstrapMs: number[] = [];
    const rawMs: number[] = [];
    const rxdbMs: number[] = [];
    let transportMs = 0;
    for (let run = 0; run < REPLICATION_RUNS; run += 1) {
      if (run > 0) await page.evaluate(() => window.harness!.close());
      log(`run ${run + 1}: bootstrapping ${MEMBERS} members…`);
      await page.evaluate(([name, n]) => window.harness!.open(name, { pullBatchSize: n }), [
        `bench-${run}`,
        PULL_BATCH,
      ] as const);
      const replicated = await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
      if (replicated.members !== MEMBERS) throw new Error(`replicated ${replicated.members} members`);
      const check = await page.evaluate((n) => window.harness!.checkReplica(n), MEMBERS);
      if (check.differing > 0 || check.bootstrapping)
        throw new Error(`replica wrong: ${JSON.stringify(check)}`);
      bootstrapMs.push(replicated.sinceOpenMs);
      // The peers in alternating order, so drift on a busy machine weighs on both alike.
      const peers = run % 2 === 0 ? (['raw', 'rxdb'] as const) : (['rxdb', 'raw'] as const);
      for (const peer of peers) {
        if (peer === 'raw') {
          const raw = await page.evaluate((n) => window.harness!.rawBulkPut(n), BOOTSTRAP_PAGE);
          if (raw.docs !== MEMBERS) throw new Error(`plain Dexie got ${raw.docs} members`);
          rawMs.push(raw.ms);
          transportMs = raw.fetchMs;
        } else {
          const rx = await page.evaluate((n) => window.harness!.rxdbBulkInsert(n), BOOTSTRAP_PAGE);
          if (rx.docs !== MEMBERS) throw new Error(`RxDB bulkInsert got ${rx.docs} members`);
          rxdbMs.push(rx.ms);
        }
      }
      log(
        `run ${run + 1}: bootstrap ${(replicated.sinceOpenMs / 1000).toFixed(1)} s, plain Dexie ` +
          `${(rawMs[run]! / 1000).toFixed(1)} s, RxDB bulkInsert ${(rxdbMs[run]! / 1000).toFixed(1)} s`,
      );
    }
    const replicationSeconds = median(bootstrapMs) / 1000;
    const raw = { ms: median(rawMs), fetchMs: transportMs };
    const rxdbSeconds = median(rxdbMs) / 1000;
    log(
      `medians: bootstrap ${replicationSeconds.toFixed(1)} s, plain Dexie ${(raw.ms / 1000).toFixed(1)} s ` +
        `(×${(replicationSeconds / (raw.ms / 1000)).toFixed(2)}), RxDB bulkInsert ${rxdbSeconds.toFixed(1)} s`,
    );

    let million: { members: number; seconds: number; docsPerSecond: number } | null = null;
    if (BOOTSTRAP_MEMBERS > 0) {
      await page.evaluate(() => window.harness!.close());
      backend.count = BOOTSTRAP_MEMBERS;
      log(`bootstrapping ${BOOTSTRAP_MEMBERS} members…`);
      await page.evaluate(() => window.harness!.open('bench-million'));
      const big = await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
      if (big.members !== BOOTSTRAP_MEMBERS) throw new Error(`bootstrapped ${big.members} members`);
      const seconds = big.sinceOpenMs / 1000;
      million = {
        members: big.members,
        seconds: round(seconds),
        docsPerSecond: Math.round(big.members / seconds),
      };
      log(`${BOOTSTRAP_MEMBERS} members: ${seconds.toFixed(1)} s (${million.docsPerSecond} members/s)`);
      await page.evaluate(() => window.harness!.close());
      backend.count = MEMBERS;
      await page.evaluate((name) => window.harness!.open(name), `bench-${REPLICATION_RUNS - 1}`);
      await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
    }
    if (ONLY_REPLICATION) {
      log('BENCH_ONLY=replication: nothing written');
      return;
    }

    // ---- 2. lookup by card --------------------------------------------------------------------------
    log('lookups…');
    const lookupAt100k = await lookups(page, MEMBERS, 7);
    const rawLookup = await page.evaluate(
      (c) => window.harness!.rawLookups(c),
      randomCards(LOOKUPS, MEMBERS, 7),
    );
    await page.evaluate(() => window.harness!.rawDrop());
    let grown: { members: number; fillSeconds: number; samples: number[] } | null = null;
    if (LOOKUP_MEMBERS > MEMBERS) {
      log(`growing the replica to ${LOOKUP_MEMBERS} members…`);
      const fill = await page.evaluate(([from, to]) => window.harness!.fillMembers(from, to, 5_000), [
        MEMBERS,
        LOOKUP_MEMBERS,
      ] as const);
      grown = {
        members: fill.members,
        fillSeconds: fill.ms / 1000,
        samples: await lookups(page, LOOKUP_MEMBERS, 11),
      };
    }

    // ---- 3. record an event: strict, and relaxed as the peer ------------------------------------------
    log('recording events…');
    await page.evaluate(() => window.harness!.recordEvents(20, { members: 10 })); // warm-up, and members
    const strict = { callMs: [] as number[], commitMs: [] as number[] };
    const relaxed = { callMs: [] as number[], commitMs: [] as number[] };
    // Alternating blocks, so drift on a busy machine weighs on both alike.
    for (let block = 0; block < 4; block += 1) {
      const target = block % 2 === 0 ? strict : relaxed;
      const force: 'relaxed' | null = block % 2 === 0 ? null : 'relaxed';
      await page.evaluate((d) => window.harness!.forceLedgerDurability(d), force);
      const r = await page.evaluate((n) => window.harness!.recordEvents(n, { members: 0 }), RECORDS / 2);
      target.callMs.push(...r.callMs);
      target.commitMs.push(...r.commitMs);
    }
    await page.evaluate(() => window.harness!.forceLedgerDurability(null));
    const rawStrict = await page.evaluate(() => window.harness!.rawPuts(200, 'strict'));
    const rawRelaxed = await page.evaluate(() => window.harness!.rawPuts(200, 'relaxed'));
    await page.evaluate(() => window.harness!.close());
    await page.close();

    // ---- 4. drain after an outage, to a real HQ -----------------------------------------------------
    log('starting HQ…');
    hq = await startTestHq();
    terminal = await enrollHarnessTerminal(hq, 'Bench till');
    server.setBackend(terminal.api);
    page = await openHarnessPage(context, server.url);
    await page.evaluate(() => window.harness!.open('drain'));
    await page.evaluate((c) => window.harness!.waitInSync([...c]), ALL);
    await hq.stop();
    log(`HQ down; recording ${DRAIN_EVENTS} events…`);
    const offline = await page.evaluate(([n, m]) => window.harness!.recordEvents(n, { members: m }), [
      DRAIN_EVENTS,
      DRAIN_MEMBERS,
    ] as const);
    const pendingBefore = await page.evaluate(() => window.harness!.pending());
    if (pendingBefore !== DRAIN_EVENTS)
      throw new Error(`${pendingBefore} events pending, not ${DRAIN_EVENTS}`);
    await hq.start();
    log('HQ back; draining…');
    const drained = await page.evaluate(() => window.harness!.drain());
    const chain = await page.evaluate(() => window.harness!.verifyChain());
    const atHq = async () => {
      const { rows } = await hq!.db.query<{ n: number; distinct_seq: number; max_seq: number | null }>(
        'SELECT count(*)::int AS n, count(DISTINCT terminal_seq)::int AS distinct_seq, max(terminal_seq)::int AS max_seq FROM events WHERE terminal_id = $1',
        [terminal!.terminalId],
      );
      const quarantine = await hq!.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM quarantine WHERE terminal_id = $1',
        [terminal!.terminalId],
      );
      return {
        ...(rows[0] as { n: number; distinct_seq: number; max_seq: number | null }),
        quarantined: quarantine.rows[0]?.n ?? 0,
      };
    };
    const afterDrain = await atHq();
    // The peer, and a second exactly-once check: the same events pushed again straight from Node through
    // the terminal's link, in the same batches (HQ must answer every one as a duplicate).
    log('replaying the same events from Node…');
    const events: LedgerEvent[] = (await page.evaluate(() => window.harness!.events())).map((r) => r.event);
    const replayStarted = performance.now();
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < events.length; i += 200) {
      const result = await terminal.link.push(events.slice(i, i + 200));
      if (!result.ok) throw new Error(`replay failed: ${result.error.message}`);
      for (const r of result.value.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    }
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    const afterReplay = await atHq();
    const exactlyOnce =
      afterDrain.n === DRAIN_EVENTS &&
      afterDrain.distinct_seq === DRAIN_EVENTS &&
      afterDrain.max_seq === DRAIN_EVENTS &&
      afterDrain.quarantined === 0 &&
      afterReplay.n === DRAIN_EVENTS &&
      outcomes.duplicate === DRAIN_EVENTS &&
      chain.ok;
    await page.evaluate(() => window.harness!.close());

    // ---- results ------------------------------------------------------------------------------------
    const lookupStats = stats(grown?.samples ?? lookupAt100k);
    const lookupMembers = grown?.members ?? MEMBERS;
    const strictCommit = stats(strict.commitMs);
    const drainSeconds = drained.ms / 1000;
    const path = writeResult('terminal', {
      chromium: chromiumVersion,
      setup:
        'Debian Chromium (headless, playwright-core) with a persistent profile on the local disk (IndexedDB ' +
        'on disk; incognito contexts keep it in memory). The harness page (test/e2e/harness, built with ' +
        'Vite) runs the real src-renderer/db code (openTerminal); its window.terminal is an HTTP bridge to a ' +
        'Node-side backend (test/support/browser-harness.ts).',
      initialReplication: {
        members: MEMBERS,
        runs: REPLICATION_RUNS,
        seconds: round(replicationSeconds),
        samplesSeconds: bootstrapMs.map((ms) => round(ms / 1000)),
        docsPerSecond: Math.round(MEMBERS / replicationSeconds),
        budget: { seconds: 30, peerRatio: 2 },
        withinBudget: replicationSeconds < 30,
        bootstrapPage: BOOTSTRAP_PAGE,
        measured:
          'openTerminal() until every collection is in sync (members through the bootstrap): real ' +
          'TerminalSync, HQ snapshot pages of 5,000 verified members (main: SnapshotRelay reads the NDJSON ' +
          'snapshot, checks each block’s SHA-256 and each document once with zod; renderer: no zod, ' +
          'bulkInsert per page with no pre-read, members’ first card as the indexed cardKey, progress kept ' +
          'per page, then the pull from the checkpoint), into the relaxed catalog database. The host is a fake ' +
          "generating HQ's snapshot body, so HQ's SQL is not in the figure (test/hq/api/snapshot.test.ts " +
          'checks the real endpoint).',
        peer: {
          name:
            'plain Dexie bulkPut of the same rows with the app’s own indexes (id, nameKey, phoneKey, ' +
            'cards multi-entry), batches of 5,000, relaxed, transport excluded',
          seconds: round(raw.ms / 1000),
          samplesSeconds: rawMs.map((ms) => round(ms / 1000)),
          docsPerSecond: Math.round(MEMBERS / (raw.ms / 1000)),
        },
        rxdbStorageFormat: {
          name:
            'RxDB bulkInsert of the same rows into a fresh catalog database (openDatabases: Dexie storage, ' +
            'relaxed, members schema: indexes nameKey, phoneKey, cardKey, plus RxDB’s own), batches of ' +
            '5,000, transport excluded',
          seconds: round(rxdbSeconds),
          samplesSeconds: rxdbMs.map((ms) => round(ms / 1000)),
          docsPerSecond: Math.round(MEMBERS / rxdbSeconds),
          slowerThanPlainDexie: round(rxdbSeconds / (raw.ms / 1000), 2),
        },
        transportOnly: { seconds: round(raw.fetchMs / 1000), what: 'fetching every batch over the bridge' },
        slowerThanPeer: round(replicationSeconds / (raw.ms / 1000), 2),
        withinPeerRatio: replicationSeconds / (raw.ms / 1000) <= 2,
        ...(million
          ? {
              million: {
                ...million,
                measured: `the same bootstrap of a till of ${BOOTSTRAP_MEMBERS} members (issue 15: a 1,000,000-member scope)`,
              },
            }
          : { million: 'not run: BENCH_BOOTSTRAP_MEMBERS=0 skipped it' }),
        couchDbBaseline: 'not measured: no CouchDB on this machine',
      },
      lookupByCard: {
        members: lookupMembers,
        lookups: LOOKUPS,
        ...lookupStats,
        budget: { p95Ms: 10, atMembers: 1_000_000 },
        withinBudget: lookupStats.p95Ms < 10,
        measured:
          'services.lookupByCard (the card index and the members’ cardKey index → member → this ' +
          'terminal’s pending events projected with the program), random existing cards, after 50 warm-up lookups.',
        ...(grown
          ? {
              at100k: stats(lookupAt100k),
              grownBy: `fillMembers: RxDB bulkUpsert into members (cardKey), ${round(grown.fillSeconds, 0)} s`,
            }
          : {
              note:
                `Measured at ${MEMBERS.toLocaleString('en')} members, not the budget's 1,000,000: growing the ` +
                'replica to a million through RxDB takes about six more minutes on this machine, beyond ' +
                'the benchmark’s time. Run with BENCH_LOOKUP_MEMBERS=1000000 for the million.',
            }),
        peer: {
          name: 'plain Dexie lookup through a multi-entry card index, same cards',
          ...stats(rawLookup.samples),
        },
      },
      recordEvent: {
        events: RECORDS,
        durability: 'strict',
        confirmToCommitted: strictCommit,
        confirmToShown: stats(strict.callMs),
        budget: { p95Ms: 50, of: 'confirmToCommitted' },
        withinBudget: strictCommit.p95Ms < 50,
        measured:
          'services.recordEnroll/recordEarn (quote, seal onto the hash chain, one insert) in a terminal ' +
          `with ${lookupMembers.toLocaleString('en')} members and replication running. confirmToCommitted ` +
          'ends when the ledger insert has committed (RxDB postInsert hook: Dexie resolves after ' +
          'IndexedDB’s complete event); confirmToShown when the call returns (card index and the member ' +
          're-read included). Alternating blocks of 100 strict and 100 relaxed.',
        peer: {
          durability: 'relaxed (the same code, the transactions forced to relaxed)',
          confirmToCommitted: stats(relaxed.commitMs),
          confirmToShown: stats(relaxed.callMs),
        },
        plainDexiePut: { strict: stats(rawStrict), relaxed: stats(rawRelaxed) },
      },
      drain: {
        events: DRAIN_EVENTS,
        seconds: round(drainSeconds),
        eventsPerSecond: Math.round(DRAIN_EVENTS / drainSeconds),
        budget: { seconds: 20 },
        withinBudget: drainSeconds < 20,
        exactlyOnce,
        checks: {
          hqEvents: afterDrain.n,
          hqDistinctTerminalSeq: afterDrain.distinct_seq,
          hqLastTerminalSeq: afterDrain.max_seq,
          hqQuarantined: afterDrain.quarantined,
          localStatuses: drained.statuses,
          localChain: chain.ok ? 'intact' : chain,
          hqEventsAfterReplay: afterReplay.n,
          replayOutcomes: outcomes,
        },
        runsIn:
          'Chromium: the harness page’s TerminalSync pushes through the HTTP bridge to createHostApi and a ' +
          'TerminalLink enrolled with a real in-process HQ (startTestHq: HQ’s HTTP API on PGlite).',
        measured:
          `${DRAIN_EVENTS.toLocaleString('en')} events (${DRAIN_MEMBERS} enrollments, then earns) recorded while HQ was stopped; ` +
          'HQ started, then from syncNow() (what the event stream’s RESYNC does) until no event is pending; ' +
          `push batches of 200. Recording them offline took ${round(offline.callMs.reduce((a, b) => a + b, 0) / 1000, 1)} s.`,
        peer: {
          name: 'the same events pushed again straight from Node through the TerminalLink, batches of 200 (all duplicates)',
          seconds: round(replaySeconds),
        },
      },
      totalSeconds: round((performance.now() - started) / 1000, 0),
      loadAverage: {
        start: loadAtStart,
        end: loadavg().map((l) => round(l)),
        note: 'load averages (1, 5, 15 min) on this 2-core machine: other work running beside the benchmark shows here',
      },
    });
    log(`wrote ${path}`);
    if (!exactlyOnce) throw new Error('the drain was not exactly once: see the checks in the result');
  } finally {
    await context?.close().catch(() => undefined);
    await server?.close();
    await terminal?.close();
    await hq?.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();

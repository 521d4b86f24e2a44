// Store-LAN benchmark (issue 16, docs/architecture.md section 6 "Store LAN"): three tills of one store on
// 127.0.0.1, each with its signed log in a temp folder, its LAN server and its LAN client (src-main/lan), as the
// host runs them. Measured in the same run:
// - the floor: a plain HTTP round trip on loopback (a tiny GET to a bare node:http server);
// - one pull round: till A makes an event, B runs a round (challenge, proof, heads, one page, checks, fsync);
//   what propagation costs when a till pulls at once;
// - propagation as the host runs it (src-main/host/lan-host.ts): A makes an event at a random moment and
//   pokes B and C, which pull at once (and on their own every `intervalMs`, the configuration's default);
//   the time until B's and C's clients announce it;
// - the exchange of 10,000 events: a new till D pulls all of A's from A.
// Budget (docs/architecture.md section 9): propagation p95 < 1 s.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lanConfigSchema } from '../src-main/lan/lan-config.js';
import type { PeerEvents } from '../src-main/lan/lan-peers.js';
import { closeTill, openTill, peerOf, removeDir, type LanTill } from '../test/main/lan/harness.js';
import { till, type Till } from '../test/shared/lan/builders.js';
import { median, percentile, writeResult } from './support.js';

const BUDGET_P95_MS = 1_000;
const FLOOR_SAMPLES = 300;
const ROUND_SAMPLES = 60;
const PROPAGATIONS = 30;
const EXCHANGE_EVENTS = 10_000;
const INTERVAL_MS = lanConfigSchema.parse({}).intervalMs;

const round = (ms: number): number => Math.round(ms * 10) / 10;
const timing = (samples: readonly number[]) => ({
  p50: round(median(samples)),
  p95: round(percentile(samples, 95)),
  max: round(Math.max(...samples)),
  samples: samples.length,
});

interface BenchTill extends LanTill {
  /** Who hears the till's client announce peers' events (the propagation timer). */
  listeners: ((batch: PeerEvents) => void)[];
}

const tills = [till('t-a', 71), till('t-b', 72), till('t-c', 73), till('t-d', 74)];
const credentials = () => tills.map((t) => t.credential);

/**
 * A till as the LAN tests open it (test/main/lan/harness.ts), wired as the host wires it
 * (src-main/host/lan-host.ts): it pulls every `intervalMs`, a poke makes it pull at once, and a round that
 * stored peers' events pokes its own peers in turn.
 */
async function openBenchTill(t: Till): Promise<BenchTill> {
  const listeners: ((batch: PeerEvents) => void)[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'lan-bench-'));
  const self: { till: LanTill | null } = { till: null };
  const opened = await openTill(t, dir, {
    credentials,
    server: { onPoke: () => self.till?.client.nudge() },
    client: {
      intervalMs: INTERVAL_MS,
      onPeerEvents: (batch) => listeners.forEach((l) => l(batch)),
      onRound: (report) => {
        if (report.accepted > 0) void self.till?.client.pokePeers();
      },
    },
  });
  self.till = opened;
  return { ...opened, listeners };
}

async function closeBenchTill(t: BenchTill): Promise<void> {
  await closeTill(t);
  await removeDir(t.dir);
}

/** Makes and appends `n` own events (earns and redemptions over a few members), pokes the till's peers as the
 * host does after storing its own events; returns the last hash. */
async function makeEvents(t: BenchTill, n: number): Promise<string> {
  const before = t.events.events.length;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) t.events.earned(`m-${i % 50}`, 10 + (i % 90));
    else t.events.redeemed(`m-${i % 50}`, 5 + (i % 40));
  }
  const made = t.events.events.slice(before);
  for (let i = 0; i < made.length; i += 1_000) await t.log.appendOwn(made.slice(i, i + 1_000));
  void t.client.pokePeers();
  return (made[made.length - 1] as { hash: string }).hash;
}

/** Resolves with the moment `t`'s client announces the event of `hash`. */
function heardAt(t: BenchTill, hash: string): Promise<number> {
  return new Promise((resolve) => {
    const listener = (batch: PeerEvents) => {
      if (!batch.events.some((s) => s.event.hash === hash)) return;
      t.listeners.splice(t.listeners.indexOf(listener), 1);
      resolve(performance.now());
    };
    t.listeners.push(listener);
  });
}

async function loopbackFloor(): Promise<number[]> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const samples: number[] = [];
  for (let i = 0; i < FLOOR_SAMPLES + 30; i++) {
    const t0 = performance.now();
    await (await fetch(url)).text();
    if (i >= 30) samples.push(performance.now() - t0);
  }
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return samples;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  const floor = await loopbackFloor();

  const [a, b, c] = [
    await openBenchTill(tills[0] as Till),
    await openBenchTill(tills[1] as Till),
    await openBenchTill(tills[2] as Till),
  ];
  // During the pull-round figures nobody pokes B: A knows no peer yet, and B pokes only A.
  b.peerList.push(peerOf(a));
  c.peerList.push(peerOf(a), peerOf(b));

  // One round with one new event, B pulling at once.
  const roundSamples: number[] = [];
  for (let i = 0; i < ROUND_SAMPLES + 5; i++) {
    await makeEvents(a, 1);
    const t0 = performance.now();
    const report = await b.client.syncRound();
    if (report.accepted !== 1) throw new Error(`a round took ${report.accepted} events, not 1`);
    if (i >= 5) roundSamples.push(performance.now() - t0);
  }
  await c.client.syncRound();

  // Propagation as the tills run: A pokes B and C, which pull at once, and on their own rounds too.
  a.peerList.push(peerOf(b), peerOf(c));
  b.peerList.push(peerOf(c));
  b.client.start();
  c.client.start();
  const toB: number[] = [];
  const toBoth: number[] = [];
  for (let i = 0; i < PROPAGATIONS; i++) {
    // A random moment within the pull interval, so the phase of the peers' rounds is sampled too.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MS));
    const hash = await makeEvents(a, 1);
    const made = performance.now();
    const [atB, atC] = await Promise.all([heardAt(b, hash), heardAt(c, hash)]);
    toB.push(atB - made);
    toBoth.push(Math.max(atB, atC) - made);
  }
  await b.client.stop();
  await c.client.stop();

  // The exchange of 10,000 events: a new till D pulls all of A's.
  const d = await openBenchTill(tills[3] as Till);
  d.peerList.push(peerOf(a));
  const before = a.events.events.length;
  await makeEvents(a, EXCHANGE_EVENTS - before);
  const t0 = performance.now();
  let rounds = 0;
  let taken = 0;
  while (taken < EXCHANGE_EVENTS) {
    const report = await d.client.syncRound();
    rounds += 1;
    taken += report.accepted;
    if (report.accepted === 0) throw new Error(`the exchange stalled at ${taken} events`);
  }
  const exchangeSeconds = (performance.now() - t0) / 1000;

  for (const t of [a, b, c, d]) await closeBenchTill(t);

  const floorTiming = timing(floor);
  const roundTiming = timing(roundSamples);
  const propagation = timing(toBoth);
  const file = writeResult('lan', {
    what:
      `three tills of one store on 127.0.0.1 (src-main/lan: signed log in a temp folder, LAN server, LAN client), ` +
      `as the host runs them; then a fourth pulls ${EXCHANGE_EVENTS} events. The machine is shared: see loadAverage.`,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
    budget: { propagationP95Ms: BUDGET_P95_MS },
    floor: { what: 'a plain HTTP GET round trip on loopback (node:http, keep-alive fetch)', ms: floorTiming },
    pullRound: {
      what: 'A makes one event, B runs one round at once: challenge, proof, heads of 2 peers, one page, checks, fsync',
      ms: roundTiming,
      toFloor: round(roundTiming.p50 / floorTiming.p50),
    },
    propagation: {
      what:
        `A makes an event at a random moment and pokes B and C (as the host does); time until both announce ` +
        `it, each pulling when poked and on its own every ${INTERVAL_MS} ms (the configuration's default)`,
      intervalMs: INTERVAL_MS,
      toBothMs: propagation,
      toOneMs: timing(toB),
      withinBudget: propagation.p95 < BUDGET_P95_MS,
    },
    exchange: {
      events: EXCHANGE_EVENTS,
      seconds: round(exchangeSeconds),
      eventsPerSecond: Math.round(EXCHANGE_EVENTS / exchangeSeconds),
      rounds,
    },
  });
  console.log(
    `lan: loopback p50 ${floorTiming.p50} ms; one pull round p50 ${roundTiming.p50} ms (x${round(roundTiming.p50 / floorTiming.p50)}); ` +
      `propagation to two peers (poked) p50 ${propagation.p50} / p95 ${propagation.p95} ms ` +
      `(budget p95 < ${BUDGET_P95_MS}: ${propagation.p95 < BUDGET_P95_MS ? 'met' : 'NOT met'}); ` +
      `${EXCHANGE_EVENTS} events exchanged in ${round(exchangeSeconds)} s → ${file}`,
  );
}

await main();

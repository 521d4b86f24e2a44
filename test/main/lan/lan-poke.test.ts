// Pokes on the store LAN (issue 16): a till that stores new events pokes its peers, whose servers answer
// 202 and run a pull round at once, so an event crosses the store without any timer firing (ManualTimers:
// the periodic round never runs here). A poke carries nothing and proves nothing: beyond the per-address
// limit it is a 429 and no round; a burst during a round queues one more round only; a stranger's poke
// causes a pull that finds nothing new; without onPoke (a host that does not wire it) there is no route.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import type { RoundReport } from '../../../src-main/lan/lan-peers.js';
import type { LanServerOptions } from '../../../src-main/lan/lan-server.js';
import { till } from '../../shared/lan/builders.js';
import {
  closeTill,
  held,
  makeEvents,
  openTill,
  peerOf,
  removeDir,
  tempDir,
  type LanTill,
} from './harness.js';

const a = till('t-a', 71);
const b = till('t-b', 72);
const c = till('t-c', 73);
const credentials = () => [a.credential, b.credential, c.credential];

const open: LanTill[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await closeTill(t).catch(() => undefined);
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

interface PokedTill extends LanTill {
  rounds: RoundReport[];
  /** Resolves with the next round's report that satisfies `accept` (any round by default). */
  nextRound(accept?: (report: RoundReport) => boolean): Promise<RoundReport>;
  timers: ManualTimers;
  clock: ManualClock;
  pokes: number;
}

interface PokedOptions {
  server?: Partial<LanServerOptions>;
  fetch?: typeof fetch;
}

/** A till whose server's pokes nudge its client, rounds recorded, on ManualTimers that nothing advances. */
async function pokedTill(t: typeof a, options: PokedOptions = {}): Promise<PokedTill> {
  const dir = await tempDir();
  dirs.push(dir);
  const clock = new ManualClock(Date.parse('2026-12-07T09:00:00.000Z'));
  const timers = new ManualTimers(clock);
  const rounds: RoundReport[] = [];
  const waiters: Array<{ accept: (r: RoundReport) => boolean; resolve: (r: RoundReport) => void }> = [];
  const self: { till: PokedTill | null } = { till: null };
  const opened = await openTill(t, dir, {
    credentials,
    server: {
      clock,
      onPoke: () => {
        if (!self.till) return;
        self.till.pokes += 1;
        self.till.client.nudge();
      },
      ...options.server,
    },
    client: {
      clock,
      timers,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onRound: (report) => {
        rounds.push(report);
        for (const waiter of waiters.splice(0)) {
          if (waiter.accept(report)) waiter.resolve(report);
          else waiters.push(waiter);
        }
      },
    },
  });
  const poked: PokedTill = {
    ...opened,
    rounds,
    timers,
    clock,
    pokes: 0,
    nextRound: (accept = () => true) => new Promise((resolve) => waiters.push({ accept, resolve })),
  };
  self.till = poked;
  open.push(poked);
  return poked;
}

const hashes = async (t: LanTill, origin: string) => (await held(t.log, origin)).map((e) => e.hash);

const poke = (t: LanTill, init: RequestInit = { method: 'POST' }) => fetch(`${t.url}/v1/lan/poke`, init);

describe('pokes on the store LAN', () => {
  it('a new event on A reaches B and C through pokes, with no timer firing', async () => {
    const [ta, tb, tc] = [await pokedTill(a), await pokedTill(b), await pokedTill(c)];
    ta.peerList.push(peerOf(tb), peerOf(tc));
    tb.peerList.push(peerOf(ta), peerOf(tc));
    tc.peerList.push(peerOf(ta), peerOf(tb));

    await makeEvents(ta, 2);
    const gotB = tb.nextRound((r) => r.accepted > 0);
    const gotC = tc.nextRound((r) => r.accepted > 0);
    expect(await ta.client.pokePeers()).toBe(2);
    expect((await gotB).accepted).toBe(2);
    expect((await gotC).accepted).toBe(2);
    const mine = ta.events.events.map((e) => e.hash);
    expect(await hashes(tb, 't-a')).toEqual(mine);
    expect(await hashes(tc, 't-a')).toEqual(mine);
    // Nothing ran on a timer: no round was ever scheduled, and the pokes' time limits were cleared.
    for (const t of [ta, tb, tc]) expect(t.timers.size).toBe(0);
    expect(tb.heard.flatMap((h) => h.events).map((s) => s.event.hash)).toEqual(mine);
  });

  it('a till that stored peers’ events pokes on, so a relay reaches a till that cannot see the origin', async () => {
    const [ta, tb, tc] = [await pokedTill(a), await pokedTill(b), await pokedTill(c)];
    // C cannot see A; B sees both.
    ta.peerList.push(peerOf(tb));
    tb.peerList.push(peerOf(ta), peerOf(tc));
    tc.peerList.push(peerOf(tb));
    // What a host does (lan-host.ts): a round that stored something pokes the till's peers.
    const relayed = tb.nextRound((r) => r.accepted > 0).then(() => tb.client.pokePeers());
    const gotC = tc.nextRound((r) => r.accepted > 0);

    await makeEvents(ta, 3);
    await ta.client.pokePeers();
    expect(await relayed).toBe(2);
    const round = await gotC;
    expect(round.peers).toEqual([expect.objectContaining({ terminalId: 't-b', accepted: 3 })]);
    expect(await hashes(tc, 't-a')).toEqual(ta.events.events.map((e) => e.hash));
  });

  it('answers pokes beyond the per-address limit with 429 and no round', async () => {
    const tb = await pokedTill(b, { server: { limits: { pokesPerAddress: { max: 3, windowMs: 60_000 } } } });
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await poke(tb);
      statuses.push(response.status);
      bodies.push(await response.json());
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(bodies[0]).toEqual({ poked: true });
    expect(bodies[3]).toMatchObject({ code: 'rate-limited' });
    expect(tb.pokes).toBe(3);
    // Settle what the three pokes started (B has no peers: each round ends before the next poke) and one more.
    await tb.client.syncRound();
    const rounds = tb.rounds.length;
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(rounds).toBeLessThanOrEqual(tb.pokes + 1);
    // Still over the limit: refused, and no round follows.
    expect((await poke(tb)).status).toBe(429);
    expect(tb.pokes).toBe(3);
    await tb.client.stop();
    expect(tb.rounds).toHaveLength(rounds);
    // The window over, pokes are taken again.
    tb.clock.advance(60_000);
    expect((await poke(tb)).status).toBe(202);
    expect(tb.pokes).toBe(4);
  });

  it('many pokes during a round queue one more round, not one each', async () => {
    let release: () => void = () => undefined;
    let gate: Promise<void> | null = new Promise((resolve) => (release = resolve));
    const entered: { resolve: () => void; promise: Promise<void> } = (() => {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { resolve, promise };
    })();
    const gated: typeof fetch = async (input, init) => {
      if (gate) {
        const wait = gate;
        gate = null;
        entered.resolve();
        await wait;
      }
      return globalThis.fetch(input, init);
    };
    const ta = await pokedTill(a);
    const tb = await pokedTill(b, { fetch: gated });
    tb.peerList.push(peerOf(ta));
    await makeEvents(ta, 2);

    const first = tb.client.syncRound();
    await entered.promise;
    // The round is held in its first request: ten pokes arrive meanwhile, all taken.
    for (let i = 0; i < 10; i++) expect((await poke(tb)).status).toBe(202);
    expect(tb.pokes).toBe(10);
    expect(tb.rounds).toHaveLength(0);
    const second = tb.nextRound(() => tb.rounds.length === 2);
    release();
    expect((await first).accepted).toBe(2);
    expect((await second).accepted).toBe(0);
    await tb.client.stop();
    expect(tb.rounds).toHaveLength(2);
  });

  it('a stranger’s poke only causes a pull that finds nothing new', async () => {
    const ta = await pokedTill(a);
    const tb = await pokedTill(b);
    tb.peerList.push(peerOf(ta));
    await makeEvents(ta, 4);
    await tb.client.syncRound();
    const before = await hashes(tb, 't-a');
    const heard = tb.heard.length;

    // No credential, no proof, a body of rubbish: still only a hint.
    const round = tb.nextRound();
    const response = await poke(tb, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ forged: true }], origin: 't-a' }),
    });
    expect(response.status).toBe(202);
    expect(await round).toMatchObject({ accepted: 0, equivocations: [] });
    expect(await hashes(tb, 't-a')).toEqual(before);
    expect(tb.heard).toHaveLength(heard);
    expect(tb.log.heads().map((h) => h.origin)).toEqual(['t-a']);
    // A body over the bound is refused before any round.
    const pokes = tb.pokes;
    expect((await poke(tb, { method: 'POST', body: 'x'.repeat(4_096) })).status).toBe(413);
    expect((await poke(tb, { method: 'GET' })).status).toBe(405);
    expect(tb.pokes).toBe(pokes);
  });

  it('a failed poke changes nothing, and a stopped till neither pokes nor pulls', async () => {
    const tb = await pokedTill(b);
    const gone = await pokedTill(c);
    await closeTill(gone);
    tb.peerList.push(peerOf(gone), { url: 'http://127.0.0.1:9', credential: a.credential });
    expect(await tb.client.pokePeers()).toBe(0);
    expect(tb.timers.size).toBe(0);
    await tb.client.stop();
    tb.client.nudge();
    expect(await tb.client.pokePeers()).toBe(0);
    expect(tb.rounds).toHaveLength(0);
  });

  it('has no poke route on a server without onPoke', async () => {
    const tb = await pokedTill(b, { server: { onPoke: undefined } });
    const response = await poke(tb);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not-found' });
    expect(tb.rounds).toHaveLength(0);
  });
});

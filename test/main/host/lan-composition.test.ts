// The store LAN as the terminal host composes it (issue 16), against a real HQ (src-hq on PGlite over HTTP)
// and real LAN servers on 127.0.0.1: two tills of one store, enrolled with fixed-seed keys (HQ signs their
// credentials), each composed with composeTerminalHost from its temp data folder and configured with the
// other as its manual peer. HQ is cut off for one till by its fetch; the LAN is real. Rounds, refreshes and
// relay checks are awaited (ManualTimers: nothing runs on its own), never slept for; a poke's effect is
// awaited through the peer's onPeerEvents.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTerminalConfig } from '../../../src-main/config.js';
import { fileCredentialStore } from '../../../src-main/hq/credential-store.js';
import type { FetchLike } from '../../../src-main/hq/hq-client.js';
import { TerminalLink } from '../../../src-main/hq/terminal-link.js';
import { composeTerminalHost, type TerminalHost } from '../../../src-main/host/compose.js';
import type { LanStatus, PeerEventsChanged } from '../../../src-shared/ipc/index.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { eventFactory, type EventFactory } from '../../support/events.js';
import { freePort, startTestHq, type TestHq } from '../../support/hq.js';

let hq: TestHq;
const dirs: string[] = [];
const hosts: TerminalHost[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lan-host-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  hq = await startTestHq();
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});
afterAll(async () => {
  await hq.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const seed = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

interface Till {
  terminalId: string;
  storeId: string;
  dir: string;
  port: number;
  /** Whether this till's HQ requests fail as if HQ were unreachable. */
  net: { down: boolean };
  fetch: FetchLike;
}

/** Enrolls a till with HQ (its key from a fixed seed) in its own data folder; not composed yet. */
async function enrollTill(name: string, seedByte: number): Promise<Till> {
  const dir = tempDir();
  const net = { down: false };
  const fetch: FetchLike = (input, init) =>
    net.down ? Promise.reject(new TypeError('fetch failed (HQ cut off)')) : globalThis.fetch(input, init);
  const link = new TerminalLink({
    hqUrl: hq.url,
    credentials: fileCredentialStore(join(dir, 'credential.json')),
    fetch,
    newSeed: () => seed(seedByte),
  });
  const enrolled = await link.enroll({ code: await hq.enrollmentCode(), name });
  await link.stop();
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const identity = await link.lanIdentity();
  expect(identity?.credential.terminalId).toBe(enrolled.value.terminalId);
  return { ...enrolled.value, dir, port: await freePort(), net, fetch };
}

interface Composed {
  host: TerminalHost;
  clock: ManualClock;
  statuses: LanStatus[];
  changes: PeerEventsChanged[];
}

/** Composes and starts `till`'s host with the LAN on (or off), `peers` as its manual peers. */
async function compose(till: Till, options: { lan: boolean; peers?: Till[] }): Promise<Composed> {
  const config = parseTerminalConfig({
    hqUrl: hq.url,
    lan: {
      enabled: options.lan,
      host: '127.0.0.1',
      port: till.port,
      peers: (options.peers ?? []).map((peer) => ({
        terminalId: peer.terminalId,
        address: `127.0.0.1:${peer.port}`,
      })),
    },
  });
  if (!config.ok) throw new Error(JSON.stringify(config.error));
  const clock = new ManualClock(Date.parse('2026-12-07T09:00:00.000Z'));
  const host = composeTerminalHost({
    config: config.value,
    credentials: fileCredentialStore(join(till.dir, 'credential.json')),
    dataDir: join(till.dir, 'main'),
    version: 'test',
    logger: pino({ level: 'silent' }),
    link: { fetch: till.fetch, timeoutMs: 5_000, stream: { initialDelayMs: 10, maxDelayMs: 100 } },
    lanTiming: {
      clock,
      timers: new ManualTimers(clock),
      random: () => 0.5,
      peers: { backoff: { initialMs: 1_000, maxMs: 1_000, jitter: 0 }, requestTimeoutMs: 5_000 },
    },
  });
  hosts.push(host);
  const statuses: LanStatus[] = [];
  const changes: PeerEventsChanged[] = [];
  host.api.onLanStatus((status) => statuses.push(status));
  host.api.onPeerEvents((change) => changes.push(change));
  await host.start({ kind: 'electron', attach: () => () => undefined });
  return { host, clock, statuses, changes };
}

const eventsOf = (till: Till): EventFactory =>
  eventFactory({ terminalId: till.terminalId, storeId: till.storeId, start: '2026-12-07T09:00:00.000Z' });

/** A till's first sale: a member enrolled with HQ's welcome bonus, then points earned. */
const sale = (events: EventFactory, memberId: string): LedgerEvent[] => [
  events.enrolled(memberId, { welcomeBonus: hq.program.bonuses.welcome }),
  events.earned(memberId, 12),
];

/** Whether something can listen on 127.0.0.1:port (nothing else holds it). */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe('the composed host with the store LAN', () => {
  it('gets a till’s own events, pushed while HQ is down, to its peer; the peer relays them to HQ once the till is gone', async () => {
    const a = await enrollTill('Till A', 0xa1);
    const b = await enrollTill('Till B', 0xb2);
    const hostA = await compose(a, { lan: true, peers: [b] });
    const hostB = await compose(b, { lan: true, peers: [a] });
    const lanA = hostA.host.lan;
    const lanB = hostB.host.lan;
    if (!lanA || !lanB) throw new Error('the LAN is configured on');
    await lanA.refreshPeers();
    await lanB.refreshPeers();
    // Each knows the other (HQ's list names it, the configuration says where); the first rounds may have run.
    expect(await hostB.host.api.lanStatus()).toMatchObject({ enabled: true, known: 1 });

    // HQ is out of A's reach: the renderer's push fails offline, and the events are in A's signed log.
    a.net.down = true;
    const events = sale(eventsOf(a), 'm-lan-1');
    const pushed = await hostA.host.api.push(events);
    expect(pushed).toMatchObject({ ok: false, error: { code: 'offline' } });

    // A poked B (its round may have taken them already); a round awaited now ends after that one.
    await lanB.syncRound();
    expect(await hostB.host.api.peerEvents('m-lan-1')).toEqual(events);
    expect(await hostB.host.api.peerEvents('m-other')).toEqual([]);
    // A's own events are not its peers' events.
    expect(await hostA.host.api.peerEvents('m-lan-1')).toEqual([]);
    expect(hostB.changes).toEqual([{ memberIds: ['m-lan-1'] }]);
    expect(await hostB.host.api.lanStatus()).toEqual({ enabled: true, reachable: 1, known: 1 });
    expect(hostB.statuses.at(-1)).toEqual({ enabled: true, reachable: 1, known: 1 });
    expect(hostB.statuses[0]?.enabled).toBe(true);

    // B has seen A just now: nothing to relay yet.
    expect((await lanB.relayRound()).origins).toEqual([]);

    // A goes away for good; B's next round finds it gone, and after ten minutes B relays its events.
    // A round a poke queued behind the one awaited above ends first (so the next round is the first to
    // find A gone, not one waiting out the backoff that one started).
    await lanB.syncRound();
    await hostA.host.close();
    const gone = await lanB.syncRound();
    expect(gone?.peers[0]?.outcome).toBe('unreachable');
    expect(await hostB.host.api.lanStatus()).toEqual({ enabled: true, reachable: 0, known: 1 });
    hostB.clock.advance(9 * 60_000);
    expect((await lanB.relayRound()).origins).toEqual([]);
    hostB.clock.advance(60_000);
    const relayed = await lanB.relayRound();
    expect(relayed).toEqual({
      online: true,
      origins: [{ origin: a.terminalId, sent: 2, answered: 2 }],
    });
    // HQ acknowledged them: the next check sends nothing.
    expect((await lanB.relayRound()).origins).toEqual([]);

    // HQ holds A's events, stored once: A, back with HQ, pushes them again and hears "duplicate".
    a.net.down = false;
    const again = await compose(a, { lan: true, peers: [b] });
    const answer = await again.host.api.push(events);
    expect(answer).toMatchObject({
      ok: true,
      value: { results: events.map((e) => ({ id: e.id, outcome: 'duplicate' })) },
    });
  });

  it('pokes: an event A records reaches B at once, with no round on a timer and none asked for', async () => {
    const a = await enrollTill('Till poking', 0xa3);
    const b = await enrollTill('Till poked', 0xb4);
    const hostA = await compose(a, { lan: true, peers: [b] });
    const hostB = await compose(b, { lan: true, peers: [a] });
    await hostA.host.lan?.refreshPeers();
    await hostB.host.lan?.refreshPeers();
    // Let the first rounds (run at start) end: what follows is the pokes' doing alone.
    await hostA.host.lan?.syncRound();
    await hostB.host.lan?.syncRound();
    const heard = new Promise<PeerEventsChanged>((resolve) => {
      const off = hostB.host.api.onPeerEvents((change) => {
        off();
        resolve(change);
      });
    });

    a.net.down = true;
    const events = sale(eventsOf(a), 'm-poked');
    expect(await hostA.host.api.push(events)).toMatchObject({ ok: false, error: { code: 'offline' } });
    // No timer advances (ManualTimers) and nobody calls syncRound: A's poke made B pull.
    expect(await heard).toEqual({ memberIds: ['m-poked'] });
    expect(await hostB.host.api.peerEvents('m-poked')).toEqual(events);

    // B stored new peers' events, so it pokes A in turn: A pulls and finds nothing it lacks.
    const url = hostB.host.lan?.url;
    if (!url) throw new Error('B serves');
    const answer = await fetch(`${url}/v1/lan/poke`, { method: 'POST' });
    expect(answer.status).toBe(202);
  });

  it('records the till’s events from its signed log across a restart, and a break in the chain never stops the push to HQ', async () => {
    const a = await enrollTill('Till chain', 0xc3);
    const first = await compose(a, { lan: true });
    const events = eventsOf(a);
    const [enrolled, earned] = sale(events, 'm-chain');
    if (!enrolled || !earned) throw new Error('two events');
    expect(await first.host.api.push([enrolled])).toMatchObject({ ok: true });
    await first.host.close();

    const second = await compose(a, { lan: true });
    // An event that skips a seq cannot go into the log, yet HQ gets it (and judges it).
    const skipped = eventFactory({
      terminalId: a.terminalId,
      storeId: a.storeId,
      from: { terminalSeq: 2, hash: earned.hash },
      start: '2026-12-07T10:00:00.000Z',
    }).earned('m-chain', 5);
    const answer = await second.host.api.push([skipped]);
    expect(answer.ok).toBe(true);
    // The gap sends the log to HQ for the missing link, which HQ does not have: nothing is appended.
    await second.host.lan?.backfillOwn();
    // The chain continues where it stood: earned follows enrolled (the log kept it across the restart).
    expect(await second.host.api.push([earned])).toMatchObject({ ok: true });

    // A third host of the store pulls A's log: exactly the two events of the chain, not the skipped one.
    const b = await enrollTill('Till chain peer', 0xd4);
    const peer = await compose(b, { lan: true, peers: [a] });
    await second.host.lan?.refreshPeers();
    await peer.host.lan?.refreshPeers();
    await peer.host.lan?.syncRound();
    expect(await peer.host.api.peerEvents('m-chain')).toEqual([enrolled, earned]);
  });

  it('fills the log from HQ when the LAN is turned on for a till already in service', async () => {
    const a = await enrollTill('Till in service', 0xa7);
    const events = eventsOf(a);
    const before = sale(events, 'm-service');
    const off = await compose(a, { lan: false });
    expect(await off.host.api.push(before)).toMatchObject({ ok: true });
    await off.host.close();

    const on = await compose(a, { lan: true });
    const lan = on.host.lan;
    if (!lan) throw new Error('the LAN is configured on');
    // The next event does not follow the (empty) log: HQ still gets it, and the log is filled from HQ.
    const next = events.earned('m-service', 7);
    expect(await on.host.api.push([next])).toMatchObject({ ok: true });
    await lan.backfillOwn();

    const b = await enrollTill('Till in service peer', 0xb8);
    const peer = await compose(b, { lan: true, peers: [a] });
    await lan.refreshPeers();
    await peer.host.lan?.refreshPeers();
    await peer.host.lan?.syncRound();
    expect(await peer.host.api.peerEvents('m-service')).toEqual([...before, next]);
  });

  it('does not offer HQ again the events of an origin HQ refused to take by relay (revoked)', async () => {
    const a = await enrollTill('Till revoked', 0xa9);
    const b = await enrollTill('Till relaying', 0xba);
    const hostA = await compose(a, { lan: true, peers: [b] });
    const hostB = await compose(b, { lan: true, peers: [a] });
    await hostA.host.lan?.refreshPeers();
    await hostB.host.lan?.refreshPeers();
    a.net.down = true;
    await hostA.host.api.push(sale(eventsOf(a), 'm-revoked'));
    await hostB.host.lan?.syncRound();
    expect(await hostB.host.api.peerEvents('m-revoked')).toHaveLength(2);
    await hostA.host.close();
    await hq.revoke(a.terminalId);
    hostB.clock.advance(10 * 60_000);
    const refused = await hostB.host.lan?.relayRound();
    expect(refused?.origins).toEqual([
      {
        origin: a.terminalId,
        sent: 2,
        answered: 0,
        error: expect.not.stringMatching(/offline|server-error/),
      },
    ]);
    expect((await hostB.host.lan?.relayRound())?.origins).toEqual([]);
  });

  it('with the LAN off: enabled false, no port opened, no peers’ events, and pushes still reach HQ', async () => {
    const a = await enrollTill('Till off', 0xe5);
    const off = await compose(a, { lan: false });
    expect(off.host.lan).toBeNull();
    expect(await off.host.api.lanStatus()).toEqual({ enabled: false, reachable: 0, known: 0 });
    expect(await off.host.api.peerEvents('m-1')).toEqual([]);
    expect(await portIsFree(a.port)).toBe(true);
    // Nothing to poke: no server answers at the till's port.
    await expect(fetch(`http://127.0.0.1:${a.port}/v1/lan/poke`, { method: 'POST' })).rejects.toThrow();
    const events = sale(eventsOf(a), 'm-off');
    expect(await off.host.api.push(events)).toMatchObject({ ok: true });
    expect(off.statuses).toEqual([]);
    expect(off.changes).toEqual([]);
  });

  it('turns the LAN on when a till configured for it enrolls after start', async () => {
    const dir = tempDir();
    const port = await freePort();
    const config = parseTerminalConfig({ hqUrl: hq.url, lan: { enabled: true, host: '127.0.0.1', port } });
    if (!config.ok) throw new Error('config');
    const clock = new ManualClock(0);
    const host = composeTerminalHost({
      config: config.value,
      credentials: fileCredentialStore(join(dir, 'credential.json')),
      dataDir: join(dir, 'main'),
      version: 'test',
      logger: pino({ level: 'silent' }),
      link: { newSeed: () => seed(0xf6) },
      lanTiming: { clock, timers: new ManualTimers(clock) },
    });
    hosts.push(host);
    const statuses: LanStatus[] = [];
    host.api.onLanStatus((status) => statuses.push(status));
    await host.start({ kind: 'electron', attach: () => () => undefined });
    expect(await host.api.lanStatus()).toEqual({ enabled: false, reachable: 0, known: 0 });
    expect(await portIsFree(port)).toBe(true);

    const opened = new Promise<LanStatus>((resolve) => {
      const stop = host.api.onLanStatus((status) => {
        if (status.enabled) {
          stop();
          resolve(status);
        }
      });
    });
    expect(await host.api.enroll({ code: await hq.enrollmentCode(), name: 'Till late' })).toMatchObject({
      ok: true,
    });
    expect((await opened).enabled).toBe(true);
    expect(await portIsFree(port)).toBe(false);
    await host.close();
    expect(await portIsFree(port)).toBe(true);
    expect(statuses.at(-1)).toEqual({ enabled: false, reachable: 0, known: 0 });
  });
});

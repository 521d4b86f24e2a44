// The LAN client against peers that lie (issue 16): altered, unsigned, foreign or re-signed events, an
// equivocation, garbage and oversized answers; none of it reaches the log, and an equivocation is
// reported. Then its rounds on injected timers: backoff per failing peer, the reachable count, a forged
// peer never contacted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';
import type { SignedEvent } from '../../../src-shared/lan/signature.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { LanPeers, type RoundReport } from '../../../src-main/lan/lan-peers.js';
import { answerKey, sealAnswer } from '../../../src-main/lan/lan-seal.js';
import type { SignedLog } from '../../../src-main/lan/signed-log.js';
import { OTHER_HQ, OTHER_STORE, chainOf, headOf, seed, signAll, till } from '../../shared/lan/builders.js';
import { closeTill, openLog, openTill, peerOf, removeDir, tempDir, trust, type LanTill } from './harness.js';

const a = till('t-a', 61);
const b = till('t-b', 62);
const c = till('t-c', 63);
const credentials = () => [a.credential, b.credential, c.credential];
const chainA = chainOf(a, 6).events;
const signedA = signAll(chainA, a.keys);

type Handler = (req: IncomingMessage, url: URL) => { status?: number; body: unknown } | string;
let fake: Server;
let fakeUrl = '';
let handler: Handler;
/** The key the fake seals its answers to C with: B's (a B that lies), unless a test says otherwise. */
let sealWith: Uint8Array | null;
const requests: string[] = [];
const CHALLENGE = 'cd'.repeat(32);

function answerOf(req: IncomingMessage, url: URL): { status: number; text: string } {
  if (url.pathname === '/v1/lan/challenge')
    return { status: 200, text: JSON.stringify({ challenge: CHALLENGE, expiresInMs: 30_000 }) };
  const answer = handler(req, url);
  if (typeof answer === 'string') return { status: 200, text: answer };
  const status = answer.status ?? 200;
  if (status !== 200 || sealWith === null) return { status, text: JSON.stringify(answer.body) };
  const key = answerKey(sealWith, c.keys.publicKey, {
    challenge: CHALLENGE,
    serverTerminalId: 't-b',
    clientTerminalId: 't-c',
    path: req.url ?? '',
  });
  return { status, text: JSON.stringify(sealAnswer(JSON.stringify(answer.body), key)) };
}

beforeEach(async () => {
  requests.length = 0;
  sealWith = b.keys.secretKey;
  fake = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    req.resume();
    const { status, text } = answerOf(req, url);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterEach(async () => {
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

/** A fake B serving heads of A at `seq` (`hash`) and `page` for any events read. */
function serving(page: unknown[], head: { terminalSeq: number; hash: string } = headOf(chainA[5]!)): void {
  handler = (_req, url) =>
    url.pathname === '/v1/lan/heads'
      ? { body: { terminalId: 't-b', heads: [{ origin: 't-a', ...head }] } }
      : { body: { origin: 't-a', after: Number(url.searchParams.get('after')), events: page } };
}

describe('LanPeers against a lying peer', () => {
  let dir: string;
  let log: SignedLog;
  let equivocations: unknown[];
  let client: LanPeers;
  beforeEach(async () => {
    dir = await tempDir();
    log = await openLog(c, dir);
    equivocations = [];
    client = new LanPeers({
      log,
      identity: { credential: c.credential, secretKey: c.keys.secretKey },
      trust,
      peers: () => [{ url: fakeUrl, credential: b.credential }],
      credentials,
      onEquivocation: (e) => equivocations.push(e),
      maxAnswerBytes: 200_000,
    });
  });
  afterEach(async () => {
    await client.stop();
    await log.close();
    await removeDir(dir);
  });

  const alter = (s: SignedEvent): SignedEvent => ({
    ...s,
    event: { ...s.event, payload: { ...s.event.payload, points: 999_999 } } as LedgerEvent,
  });
  const thief = keyPairFromSeed(seed(64));
  const foreignA = till('t-a', 61, OTHER_STORE);
  const lies: [string, () => unknown[]][] = [
    ['altered events with their original signatures', () => signedA.map(alter)],
    ['events signed by another key', () => signAll(chainA, thief)],
    ['events without a signature', () => chainA.map((event) => ({ event }))],
    ['envelopes that are not events', () => [{ event: 1, signature: 'x' }, null, 'a', 42]],
    ["another store's events under A's name", () => signAll(chainOf(foreignA, 6).events, a.keys)],
    ['A-signed events with a gap', () => signedA.slice(1)],
  ];
  it.each(lies)('%s: nothing stored', async (_, page) => {
    serving(page());
    const round = await client.syncRound();
    expect(round.accepted).toBe(0);
    expect(round.peers[0]).toMatchObject({ outcome: 'synced', accepted: 0 });
    expect(round.peers[0]!.rejected).toBeGreaterThan(0);
    expect(log.heads()).toEqual([]);
  });

  it('an equivocation is reported with its evidence, nothing of it stored, and the origin no longer pulled', async () => {
    await log.ingestPeerPage(a.credential, signedA);
    // A's key (stolen, or A's software broken) signed another history from seq 3.
    const fork = chainOf(a, 0, headOf(chainA[1]!));
    for (let i = 0; i < 4; i++) fork.earned('m-fork', 900 + i);
    const forked = signAll(fork.events, a.keys);
    serving(forked, headOf(fork.events[3]!));
    const round = await client.syncRound();
    expect(round.equivocations).toEqual([
      expect.objectContaining({ terminalId: 't-a', terminalSeq: 3, heldHash: chainA[2]!.hash, via: 't-b' }),
    ]);
    expect(equivocations).toHaveLength(1);
    expect(log.head('t-a')).toEqual(headOf(chainA[5]!));
    expect(await log.readPage('t-a', 0, 100)).toEqual(signedA);
    expect(client.equivocatedOrigins).toEqual(new Set(['t-a']));
    requests.length = 0;
    await client.syncRound();
    expect(requests.filter((r) => r.includes('/v1/lan/events'))).toEqual([]);
  });

  it('a peer at the same seq with another hash is asked for that one event, which proves the equivocation', async () => {
    await log.ingestPeerPage(a.credential, signedA);
    const fork = chainOf(a, 0, headOf(chainA[4]!));
    fork.earned('m-fork', 901);
    serving(signAll(fork.events, a.keys), headOf(fork.events[0]!));
    const round = await client.syncRound();
    expect(requests).toContain('GET /v1/lan/events?origin=t-a&after=5&limit=200');
    expect(round.equivocations).toEqual([expect.objectContaining({ terminalSeq: 6 })]);
  });

  it.each<[string, Handler]>([
    ['not JSON', () => 'not json'],
    ['a body outside the protocol', () => ({ body: { heads: 'all of them' } })],
    ['another till answering at the address', () => ({ body: { terminalId: 't-x', heads: [] } })],
    ['an error status', () => ({ status: 500, body: { code: 'internal', message: 'no' } })],
    ['an answer too large', () => ({ body: { terminalId: 't-b', heads: [], pad: 'x'.repeat(300_000) } })],
  ])('%s: the peer is unreachable, nothing stored', async (_, answer) => {
    handler = answer;
    const round = await client.syncRound();
    expect(round.peers[0]).toMatchObject({ outcome: 'unreachable', error: expect.any(String) });
    expect(round.reachable).toBe(0);
    expect(log.heads()).toEqual([]);
  });

  it.each<[string, Uint8Array | null]>([
    ["answers sealed without B's key (a device posing as B with its public credential)", seed(66)],
    ['plain answers, not sealed at all', null],
  ])('%s: the peer is unreachable, nothing stored', async (_, key) => {
    sealWith = key === null ? null : keyPairFromSeed(key).secretKey;
    serving(signedA);
    const round = await client.syncRound();
    expect(round.peers[0]).toMatchObject({ outcome: 'unreachable' });
    expect(log.heads()).toEqual([]);
  });

  it('a page other than the one asked ends the visit, nothing stored', async () => {
    handler = (_req, url) =>
      url.pathname === '/v1/lan/heads'
        ? { body: { terminalId: 't-b', heads: [{ origin: 't-a', ...headOf(chainA[5]!) }] } }
        : { body: { origin: 't-c', after: 0, events: signedA } };
    expect((await client.syncRound()).peers[0]).toMatchObject({ outcome: 'unreachable' });
    expect(log.heads()).toEqual([]);
  });

  it('heads of an origin the store does not list, or of this till itself, are not pulled', async () => {
    handler = () => ({
      body: {
        terminalId: 't-b',
        heads: [
          { origin: 't-x', terminalSeq: 3, hash: 'ab'.repeat(32) },
          { origin: 't-c', terminalSeq: 3, hash: 'ab'.repeat(32) },
        ],
      },
    });
    expect(await client.syncRound()).toMatchObject({ accepted: 0, reachable: 1 });
    expect(requests.filter((r) => r.includes('/v1/lan/events'))).toEqual([]);
  });
});

describe('LanPeers rounds', () => {
  const clock = new ManualClock(Date.parse('2026-12-07T09:00:00.000Z'));
  const tills: LanTill[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const t of tills.splice(0)) await closeTill(t).catch(() => undefined);
    for (const d of dirs.splice(0)) await removeDir(d);
  });
  async function openOne(t: typeof a, options: Parameters<typeof openTill>[2]) {
    const d = await tempDir();
    dirs.push(d);
    const opened = await openTill(t, d, options);
    tills.push(opened);
    return opened;
  }

  it('run on the timers: a failing peer waits its backoff, the reachable count follows', async () => {
    const timers = new ManualTimers(clock);
    const reports: RoundReport[] = [];
    let roundDone: (() => void) | null = null;
    const nextRound = () => new Promise<void>((resolve) => (roundDone = resolve));
    const reachable: number[] = [];
    const asked: string[] = [];
    const ta = await openOne(a, { credentials });
    const tb = await openOne(b, {
      credentials,
      client: {
        clock,
        timers,
        intervalMs: 2_000,
        backoff: { initialMs: 1_000, maxMs: 8_000, jitter: 0 },
        onReachable: (n) => reachable.push(n),
        onRound: (r) => {
          reports.push(r);
          roundDone?.();
        },
        fetch: (input, init) => {
          asked.push(input instanceof Request ? input.url : input.toString());
          return fetch(input, init);
        },
      },
    });
    // C's address answers nothing (a port just closed).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    tb.peerList.push(peerOf(ta), { url: deadUrl, credential: c.credential });
    await ta.log.appendOwn(chainA.slice(0, 3));

    let round = nextRound();
    let scheduled = timers.whenSet(1_000);
    tb.client.start();
    await round;
    await scheduled;
    expect(reports[0]?.peers.map((p) => p.outcome)).toEqual(['synced', 'unreachable']);
    expect(reachable).toEqual([1]);
    expect(tb.log.head('t-a')?.terminalSeq).toBe(3);

    // Before its backoff ends C is not contacted.
    clock.advance(500);
    expect(timers.fireDue()).toBe(0);
    round = nextRound();
    void tb.client.syncRound();
    await round;
    expect(reports[1]?.peers.map((p) => p.outcome)).toEqual(['synced', 'waiting']);
    expect(asked.filter((u) => u.startsWith(deadUrl))).toHaveLength(1);

    // Then it is, fails again, and waits twice as long.
    clock.advance(500);
    round = nextRound();
    scheduled = timers.whenSet(2_000);
    expect(timers.fireDue()).toBe(1);
    await round;
    await scheduled;
    expect(reports[2]?.peers.map((p) => p.outcome)).toEqual(['synced', 'unreachable']);
    expect(asked.filter((u) => u.startsWith(deadUrl))).toHaveLength(2);

    // A stops: no peer reachable.
    await ta.server.stop();
    clock.advance(2_000);
    round = nextRound();
    timers.fireDue();
    await round;
    expect(reports[3]?.reachable).toBe(0);
    expect(reachable).toEqual([1, 0]);
    await tb.client.stop();
    expect(timers.size).toBe(0);
  });

  it("a peer whose credential HQ did not sign, or another store's, is never contacted", async () => {
    const asked: string[] = [];
    const tb = await openOne(b, {
      credentials,
      client: {
        fetch: (input, init) => {
          asked.push(input instanceof Request ? input.url : input.toString());
          return fetch(input, init);
        },
      },
    });
    const selfSigned = till('t-a', 61, undefined, OTHER_HQ);
    const foreign = till('t-f', 65, OTHER_STORE);
    tb.peerList.push(
      { url: fakeUrl, credential: selfSigned.credential },
      { url: fakeUrl, credential: foreign.credential },
    );
    const round = await tb.client.syncRound();
    expect(round.peers.map((p) => [p.outcome, p.error])).toEqual([
      ['refused', 'not-signed-by-hq'],
      ['refused', 'other-store'],
    ]);
    expect(asked).toEqual([]);
    expect(requests).toEqual([]);
  });
});

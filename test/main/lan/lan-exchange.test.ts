// Three tills of one store on the LAN (issue 16), real HTTP on 127.0.0.1 and real files: each serves its
// signed events and pulls its peers'; a till relays a silent till's events; re-pulls change nothing; a
// till restarted from its data folder resumes from its checkpoints. Every wait is a sync round awaited.
import { afterEach, describe, expect, it } from 'vitest';
import { signatureVerifies } from '../../../src-shared/lan/signature.js';
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

const a = till('t-a', 41);
const b = till('t-b', 42);
const c = till('t-c', 43);
const credentials = () => [a.credential, b.credential, c.credential];

const open: LanTill[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await closeTill(t).catch(() => undefined);
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

async function store(): Promise<[LanTill, LanTill, LanTill]> {
  const tills: LanTill[] = [];
  for (const t of [a, b, c]) {
    const dir = await tempDir();
    dirs.push(dir);
    tills.push(await openTill(t, dir, { credentials }));
  }
  open.push(...tills);
  const [ta, tb, tc] = tills as [LanTill, LanTill, LanTill];
  return [ta, tb, tc];
}

const hashes = async (t: LanTill, origin: string) => (await held(t.log, origin)).map((e) => e.hash);

describe('store-LAN exchange', () => {
  it("A's events reach B and C, and a re-pull changes nothing", async () => {
    const [ta, tb, tc] = await store();
    tb.peerList.push(peerOf(ta));
    tc.peerList.push(peerOf(ta), peerOf(tb));
    await makeEvents(ta, 25);
    await makeEvents(tb, 4);

    const roundB = await tb.client.syncRound();
    expect(roundB).toMatchObject({ accepted: 25, reachable: 1, equivocations: [] });
    expect(roundB.peers).toEqual([
      expect.objectContaining({ terminalId: 't-a', outcome: 'synced', accepted: 25 }),
    ]);
    const roundC = await tc.client.syncRound();
    expect(roundC).toMatchObject({ accepted: 29, reachable: 2 });

    const mine = ta.events.events.map((e) => e.hash);
    expect(await hashes(tb, 't-a')).toEqual(mine);
    expect(await hashes(tc, 't-a')).toEqual(mine);
    expect(await hashes(tc, 't-b')).toEqual(tb.events.events.map((e) => e.hash));
    // Stored with A's signature, as A made them.
    const page = await tc.log.readPage('t-a', 0, 100);
    expect(page.every((s) => signatureVerifies(s, a.keys.publicKey))).toBe(true);
    expect(tb.heard.flatMap((h) => h.events).map((s) => s.event.hash)).toEqual(mine);
    expect(tb.heard.every((h) => h.origin === 't-a' && h.via === 't-a')).toBe(true);

    // Again: nothing new, nothing announced, nothing written twice.
    const heardBefore = tc.heard.length;
    expect(await tc.client.syncRound()).toMatchObject({ accepted: 0, reachable: 2 });
    expect(tc.heard).toHaveLength(heardBefore);
    expect(await hashes(tc, 't-a')).toEqual(mine);

    // New events come in the next round, from the checkpoint.
    await makeEvents(ta, 3);
    expect(await tb.client.syncRound()).toMatchObject({ accepted: 3 });
    expect(await hashes(tb, 't-a')).toEqual(ta.events.events.map((e) => e.hash));
  });

  it("B relays A's events to C when A is stopped, C having never talked to A", async () => {
    const [ta, tb, tc] = await store();
    tb.peerList.push(peerOf(ta));
    await makeEvents(ta, 12);
    await tb.client.syncRound();
    await closeTill(ta);

    tc.peerList.push(peerOf(ta), peerOf(tb));
    const round = await tc.client.syncRound();
    expect(round.reachable).toBe(1);
    expect(round.peers).toEqual([
      expect.objectContaining({ terminalId: 't-a', outcome: 'unreachable', accepted: 0 }),
      expect.objectContaining({ terminalId: 't-b', outcome: 'synced', accepted: 12 }),
    ]);
    expect(await hashes(tc, 't-a')).toEqual(ta.events.events.map((e) => e.hash));
    expect(tc.heard).toEqual([expect.objectContaining({ origin: 't-a', via: 't-b' })]);
  });

  it('pages through a long chain in pages of the asked size', async () => {
    const [ta, tb] = await store();
    const dir = await tempDir();
    dirs.push(dir);
    await closeTill(tb);
    const small = await openTill(b, dir, { credentials, client: { pageLimit: 7 } });
    open.push(small);
    small.peerList.push(peerOf(ta));
    await makeEvents(ta, 30);
    expect(await small.client.syncRound()).toMatchObject({ accepted: 30 });
    expect(small.heard.map((h) => h.events.length)).toEqual([7, 7, 7, 7, 2]);
  });

  it('a till restarted from its data folder resumes from its checkpoints', async () => {
    const [ta, tb] = await store();
    tb.peerList.push(peerOf(ta));
    await makeEvents(ta, 10);
    await makeEvents(tb, 3);
    await tb.client.syncRound();
    await closeTill(tb);
    open.splice(open.indexOf(tb), 1);

    await makeEvents(ta, 5);
    const asked: string[] = [];
    const recording: typeof fetch = (input, init) => {
      asked.push(input instanceof Request ? input.url : input.toString());
      return fetch(input, init);
    };
    const restarted = await openTill(b, tb.dir, {
      credentials,
      events: tb.events,
      client: { fetch: recording },
    });
    open.push(restarted);
    restarted.peerList.push(peerOf(ta));
    expect(restarted.log.head('t-a')?.terminalSeq).toBe(10);
    expect(await restarted.client.syncRound()).toMatchObject({ accepted: 5 });
    expect(asked.filter((u) => u.includes('/v1/lan/events'))).toEqual([
      expect.stringContaining('origin=t-a&after=10&'),
    ]);
    expect(await hashes(restarted, 't-a')).toEqual(ta.events.events.map((e) => e.hash));
    // Its own chain continues too, from its last own event.
    expect(restarted.log.head('t-b')?.terminalSeq).toBe(3);
    await makeEvents(restarted, 2);
    expect(await hashes(restarted, 't-b')).toEqual(restarted.events.events.map((e) => e.hash));
    expect(restarted.log.head('t-b')?.terminalSeq).toBe(5);
  });
});

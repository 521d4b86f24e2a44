// The till's signed log (issue 16): own events signed and appended durably, peers' pages taken apart per
// origin, bounded page reads, and a crash mid-write (a torn last line) or a damaged line repaired at open.
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signatureVerifies } from '../../../src-shared/lan/signature.js';
import { originFileName, type SignedLog } from '../../../src-main/lan/signed-log.js';
import { chainOf, headOf, signAll, till, wire } from '../../shared/lan/builders.js';
import { held, openLog, removeDir, tempDir } from './harness.js';

const a = till('t-a', 31);
const b = till('t-b', 32);
const chainA = chainOf(a, 12).events;
const chainB = chainOf(b, 9).events;

let dir: string;
let log: SignedLog;
beforeEach(async () => {
  dir = await tempDir();
  log = await openLog(a, dir);
});
afterEach(async () => {
  await log.close().catch(() => undefined);
  await removeDir(dir);
});

const fileOf = (origin: string) => join(dir, originFileName(origin));
const lines = async (origin: string) => (await readFile(fileOf(origin), 'utf8')).split('\n');

describe('SignedLog', () => {
  it("signs and appends the till's own events, reads them back by page, and reopens where it stood", async () => {
    const appended = await log.appendOwn(chainA.slice(0, 7));
    expect(appended.map((s) => s.event.terminalSeq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(appended.every((s) => signatureVerifies(s, a.keys.publicKey))).toBe(true);
    expect(log.head('t-a')).toEqual(headOf(chainA[6]!));

    const page = await log.readPage('t-a', 2, 3);
    expect(page.map((s) => s.event.terminalSeq)).toEqual([3, 4, 5]);
    expect(page).toEqual(appended.slice(2, 5));
    expect(await log.readPage('t-a', 7, 10)).toEqual([]);
    expect(await log.readPage('t-a', 5, 0)).toEqual([]);
    expect(await log.readPage('t-unknown', 0, 10)).toEqual([]);
    // Never more than MAX_PAGE, whatever is asked.
    expect((await log.readPage('t-a', 0, 1e9)).length).toBe(7);

    await log.close();
    log = await openLog(a, dir);
    expect(log.repairs).toEqual([]);
    expect(log.heads()).toEqual([{ origin: 't-a', ...headOf(chainA[6]!) }]);
    await log.appendOwn(chainA.slice(7));
    expect((await held(log, 't-a')).map((e) => e.hash)).toEqual(chainA.map((e) => e.hash));
  });

  it('skips own events it holds already, and refuses, appending none, an event that is not the next link', async () => {
    await log.appendOwn(chainA.slice(0, 3));
    expect(await log.appendOwn(chainA.slice(0, 4))).toHaveLength(1);
    await expect(log.appendOwn([chainA[5]!])).rejects.toThrow(/does not follow event 4/);
    await expect(log.appendOwn([chainB[4]!])).rejects.toThrow(/not this till's/);
    const forked = chainOf(a, 1, headOf(chainA[1]!));
    forked.earned('m-fork', 500);
    await expect(log.appendOwn([forked.events.at(-1)!])).rejects.toThrow(/differs/);
    const altered = { ...chainA[4]!, occurredAt: '2030-01-01T00:00:00.000Z' };
    await expect(log.appendOwn([altered])).rejects.toThrow(/hash/);
    expect(log.head('t-a')?.terminalSeq).toBe(4);
    expect((await lines('t-a')).filter(Boolean)).toHaveLength(4);
  });

  it("keeps a peer's accepted events apart in its origin's file, and never writes an event twice", async () => {
    const signedB = wire(signAll(chainB, b.keys)) as unknown[];
    // Two peers relaying B's page at once: one queue, so the second finds them held.
    const [first, second] = await Promise.all([
      log.ingestPeerPage(b.credential, signedB.slice(0, 6)),
      log.ingestPeerPage(b.credential, signedB.slice(0, 6)),
    ]);
    expect(first.accepted).toHaveLength(6);
    expect(second).toMatchObject({ accepted: [], duplicates: 6 });
    const third = await log.ingestPeerPage(b.credential, signedB);
    expect(third).toMatchObject({ duplicates: 6 });
    expect(third.accepted).toHaveLength(3);
    expect((await lines('t-b')).filter(Boolean)).toHaveLength(9);
    expect(await readdir(dir)).toEqual([originFileName('t-b')]);
    expect(log.head('t-a')).toBeNull();
    expect(log.heldHash('t-b', 4)).toBe(chainB[3]!.hash);
    await expect(log.ingestPeerPage(a.credential, [])).rejects.toThrow(/own events/);
  });

  it("answers a member's peers' events by origin then seq, never the till's own, the same after a reopen", async () => {
    const c = till('t-c', 33);
    const chainC = chainOf(c, 7).events;
    await log.appendOwn(chainA);
    // C's page first: the answer's order is the origins' (then seq), not the order of arrival.
    await log.ingestPeerPage(c.credential, wire(signAll(chainC, c.keys)) as unknown[]);
    await log.ingestPeerPage(b.credential, wire(signAll(chainB, b.keys)) as unknown[]);
    const expected = (member: string) => [...chainB, ...chainC].filter((e) => e.memberId === member);
    for (const member of ['m-0', 'm-1', 'm-3']) {
      expect(expected(member).length, member).toBeGreaterThan(0);
      expect(await log.peerEventsOf(member), member).toEqual(expected(member));
    }
    // A's own events for m-2 are not peers' events; B's and C's are.
    expect(chainA.some((e) => e.memberId === 'm-2')).toBe(true);
    expect(await log.peerEventsOf('m-2')).toEqual(expected('m-2'));
    expect(await log.peerEventsOf('m-unknown')).toEqual([]);
    expect(log.membersOf('t-b', 0, 3).sort()).toEqual(
      [...new Set(chainB.slice(0, 3).map((e) => e.memberId))].sort(),
    );

    await log.close();
    log = await openLog(a, dir);
    expect(await log.peerEventsOf('m-0')).toEqual(expected('m-0'));
    // Indexed as they are appended too.
    const more = chainOf(b, 0, headOf(chainB.at(-1)!));
    more.earned('m-0', 99);
    const fresh = more.events.slice(-1);
    await log.ingestPeerPage(b.credential, wire(signAll(fresh, b.keys)) as unknown[]);
    expect(await log.peerEventsOf('m-0')).toEqual([
      ...chainB.filter((e) => e.memberId === 'm-0'),
      ...fresh,
      ...chainC.filter((e) => e.memberId === 'm-0'),
    ]);
  });

  it('drops a torn last line at open (a write cut by a crash) and appends after the last whole line', async () => {
    await log.appendOwn(chainA.slice(0, 3));
    await log.close();
    const whole = await readFile(fileOf('t-a'));
    const fourth = JSON.stringify(signAll([chainA[3]!], a.keys)[0]);
    await appendFile(fileOf('t-a'), fourth.slice(0, 150));

    log = await openLog(a, dir);
    expect(log.repairs).toEqual([{ origin: 't-a', tornBytes: 150, quarantinedLines: 0, problem: null }]);
    expect(log.head('t-a')).toEqual(headOf(chainA[2]!));
    expect(await readFile(fileOf('t-a'))).toEqual(whole);
    expect(await log.readPage('t-a', 0, 10)).toHaveLength(3);
    await log.appendOwn(chainA.slice(3, 5));
    await log.close();
    log = await openLog(a, dir);
    expect(log.repairs).toEqual([]);
    expect((await held(log, 't-a')).map((e) => e.terminalSeq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a whole line that fails its checks ends the valid prefix: it and what follows go to quarantine', async () => {
    await log.ingestPeerPage(b.credential, wire(signAll(chainB.slice(0, 5), b.keys)) as unknown[]);
    await log.close();
    const text = await lines('t-b');
    text[2] = text[2]!.replace('"terminalSeq":3', '"terminalSeq":33');
    await writeFile(fileOf('t-b'), text.join('\n'));

    log = await openLog(a, dir);
    expect(log.repairs).toEqual([
      expect.objectContaining({ origin: 't-b', tornBytes: 0, quarantinedLines: 3 }),
    ]);
    expect(log.head('t-b')).toEqual(headOf(chainB[1]!));
    const quarantine = await readFile(`${fileOf('t-b')}.quarantine`, 'utf8');
    expect(quarantine.split('\n').filter(Boolean)).toHaveLength(3);
    // The rest is pulled again, from the checkpoint.
    const again = await log.ingestPeerPage(b.credential, wire(signAll(chainB, b.keys)) as unknown[]);
    expect(again.accepted.map((s) => s.event.terminalSeq)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('a line that is not JSON, or a file of another origin, is not served', async () => {
    await log.appendOwn(chainA.slice(0, 2));
    await log.close();
    await appendFile(fileOf('t-a'), 'not json\n');
    // B's events in the file named for C.
    await writeFile(fileOf('t-c'), `${JSON.stringify(signAll([chainB[0]!], b.keys)[0])}\n`);
    log = await openLog(a, dir);
    expect(log.heads()).toEqual([{ origin: 't-a', ...headOf(chainA[1]!) }]);
    expect(log.repairs.map((r) => [r.origin, r.quarantinedLines])).toEqual(
      expect.arrayContaining([
        ['t-a', 1],
        ['t-c', 1],
      ]),
    );
  });
});

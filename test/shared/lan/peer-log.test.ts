// What a till keeps from a peer's page of events (issue 16): the next links of the origin's chain, signed by it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptPeerPage, type PeerPageInput } from '../../../src-shared/lan/peer-log.js';
import { signEvent, type SignedEvent } from '../../../src-shared/lan/signature.js';
import { verifyChain } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { OTHER_STORE, STORE, chainOf, headOf, signAll, till, wire } from './builders.js';

const a = till('t-a', 21);
const b = till('t-b', 22);
const c = till('t-c', 23);
const chainA = chainOf(a, 8).events;
const signedA = signAll(chainA, a.keys);
/** A's event at seq n (1-based). */
const evA = (n: number): LedgerEvent => chainA[n - 1] as LedgerEvent;
const sA = (n: number): SignedEvent => signedA[n - 1] as SignedEvent;
const seqs = (signed: readonly SignedEvent[]) => signed.map((s) => s.event.terminalSeq);
const reasons = (r: ReturnType<typeof acceptPeerPage>) => r.rejections.map((x) => [x.terminalSeq, x.reason]);

const page = (envelopes: readonly unknown[], input: Partial<PeerPageInput> = {}) =>
  acceptPeerPage({ checkpoint: null, credential: a.credential, storeId: STORE, envelopes, ...input });

/** A's key signing a history that leaves A's chain after seq `after`. */
function forkOfA(after: number, n: number): SignedEvent[] {
  const fork = chainOf(a, 0, after === 0 ? null : headOf(evA(after)));
  for (let i = 0; i < n; i++) fork.earned('m-fork', 999 + i);
  return signAll(fork.events, a.keys);
}

describe('acceptPeerPage', () => {
  it("takes a first page from the start of the chain and says where the till's copy now stands", () => {
    const r = page(wire(signedA.slice(0, 5)) as unknown[]);
    expect(seqs(r.accepted)).toEqual([1, 2, 3, 4, 5]);
    expect(r.checkpoint).toEqual(headOf(evA(5)));
    expect(r).toMatchObject({ duplicates: 0, unchecked: 0, rejections: [], equivocation: null });
    expect(verifyChain(r.accepted.map((s) => s.event)).ok).toBe(true);
  });

  it('continues from a checkpoint', () => {
    const r = page(signedA.slice(5), { checkpoint: headOf(evA(5)) });
    expect(seqs(r.accepted)).toEqual([6, 7, 8]);
    expect(r.checkpoint).toEqual(headOf(evA(8)));
  });

  it('takes nothing from an empty page and keeps the checkpoint', () => {
    expect(page([])).toMatchObject({ accepted: [], checkpoint: null, rejections: [] });
    expect(page([], { checkpoint: headOf(evA(3)) }).checkpoint).toEqual(headOf(evA(3)));
  });

  it('skips the held events of a page that starts before the checkpoint, and takes the rest', () => {
    const held = new Map(chainA.slice(0, 5).map((e) => [e.terminalSeq, e.hash]));
    const r = page(signedA.slice(1), { checkpoint: headOf(evA(5)), heldHash: (s) => held.get(s) });
    expect(seqs(r.accepted)).toEqual([6, 7, 8]);
    expect(r).toMatchObject({ duplicates: 4, unchecked: 0, rejections: [], equivocation: null });
  });

  it('skips events below the checkpoint unchecked when the till cannot say what it holds there', () => {
    const r = page(signedA.slice(1), { checkpoint: headOf(evA(5)) });
    expect(seqs(r.accepted)).toEqual([6, 7, 8]);
    // seq 5 is the checkpoint itself, compared without heldHash
    expect(r).toMatchObject({ duplicates: 1, unchecked: 3, rejections: [] });
  });

  it('skips a copy of a held event whatever its signature: nothing of it is taken', () => {
    const reSigned = { ...sA(3), signature: signEvent(evA(3), b.keys.secretKey).signature };
    const r = page([reSigned, sA(4)], { checkpoint: headOf(evA(3)) });
    expect(r).toMatchObject({ duplicates: 1, rejections: [], equivocation: null });
    expect(seqs(r.accepted)).toEqual([4]);
  });

  it('takes each event once from a page that repeats it', () => {
    const r = page([sA(1), sA(1), sA(2), sA(1), sA(2), sA(3)]);
    expect(seqs(r.accepted)).toEqual([1, 2, 3]);
    expect(r.duplicates).toBe(3);
    expect(r.rejections).toEqual([]);
  });

  it('stops at a gap: what follows cannot be linked; the next pull resumes at the checkpoint', () => {
    const r = page([sA(1), sA(2), sA(4), sA(5)]);
    expect(seqs(r.accepted)).toEqual([1, 2]);
    expect(r.checkpoint).toEqual(headOf(evA(2)));
    expect(reasons(r)).toEqual([
      [4, 'gap'],
      [5, 'gap'],
    ]);
    expect(r.rejections[0]?.message).toBe('event 3 missing');
    expect(page([sA(6)], { checkpoint: headOf(evA(2)) }).rejections[0]?.message).toBe('events 3–5 missing');
  });

  it('takes an out-of-order page only as far as it links, in chain order', () => {
    const r = page([sA(2), sA(1), sA(3)]);
    // 2 comes before 1 is held; after 1, 3 leaves 2 missing
    expect(seqs(r.accepted)).toEqual([1]);
    expect(reasons(r)).toEqual([
      [2, 'gap'],
      [3, 'gap'],
    ]);
    expect(r.checkpoint).toEqual(headOf(evA(1)));
    expect(seqs(page([sA(1), sA(3), sA(2), sA(3)]).accepted)).toEqual([1, 2, 3]);
  });

  it('refuses a chain break: the next seq, not following the held event', () => {
    const broken = chainOf(a, 1, { terminalSeq: 3, hash: 'f'.repeat(64) }).events[0] as LedgerEvent;
    const r = page([signEvent(broken, a.keys.secretKey), sA(5)], { checkpoint: headOf(evA(3)) });
    expect(r.accepted).toEqual([]);
    expect(reasons(r)).toEqual([
      [4, 'chain-break'],
      [5, 'gap'],
    ]);
    expect(r.checkpoint).toEqual(headOf(evA(3)));
    const fromGenesis = chainOf(a, 1, { terminalSeq: 0, hash: 'e'.repeat(64) }).events[0] as LedgerEvent;
    expect(reasons(page([signEvent(fromGenesis, a.keys.secretKey)]))).toEqual([[1, 'chain-break']]);
  });

  it('reports an equivocation at the checkpoint and takes nothing more from the page', () => {
    const [fork4, fork5] = forkOfA(3, 2) as [SignedEvent, SignedEvent];
    const r = page([fork4, fork5, sA(5)], { checkpoint: headOf(evA(4)) });
    expect(r.accepted).toEqual([]);
    expect(reasons(r)).toEqual([
      [4, 'equivocation'],
      [5, 'after-equivocation'],
      [5, 'after-equivocation'],
    ]);
    expect(r.equivocation).toEqual({
      terminalId: 't-a',
      terminalSeq: 4,
      heldHash: evA(4).hash,
      offered: fork4,
    });
    expect(r.checkpoint).toEqual(headOf(evA(4)));
  });

  it('reports an equivocation below the checkpoint through what the till holds', () => {
    const [fork2] = forkOfA(1, 1) as [SignedEvent];
    const held = new Map(chainA.map((e) => [e.terminalSeq, e.hash]));
    const r = page([fork2, sA(7)], { checkpoint: headOf(evA(6)), heldHash: (s) => held.get(s) });
    expect(reasons(r)).toEqual([
      [2, 'equivocation'],
      [7, 'after-equivocation'],
    ]);
    expect(r.equivocation?.heldHash).toBe(evA(2).hash);
  });

  it('reports an equivocation within one page, against an event accepted from it', () => {
    const [fork3] = forkOfA(2, 1) as [SignedEvent];
    const r = page([sA(1), sA(2), sA(3), fork3, sA(4)]);
    expect(seqs(r.accepted)).toEqual([1, 2, 3]);
    expect(reasons(r)).toEqual([
      [3, 'equivocation'],
      [4, 'after-equivocation'],
    ]);
    expect(r.checkpoint).toEqual(headOf(evA(3)));
    // and below the head, where heldHash (the caller's store) does not know this page's events yet
    const [fork2] = forkOfA(1, 1) as [SignedEvent];
    expect(reasons(page([sA(1), sA(2), sA(3), fork2]))).toEqual([[2, 'equivocation']]);
  });

  it('does not take an unsigned conflicting event as proof of equivocation', () => {
    const [fork4] = forkOfA(3, 1) as [SignedEvent];
    const forged = { ...fork4, signature: signEvent(fork4.event, b.keys.secretKey).signature };
    const r = page([forged, sA(5)], { checkpoint: headOf(evA(4)) });
    expect(r.equivocation).toBeNull();
    expect(seqs(r.accepted)).toEqual([5]);
    expect(reasons(r)).toEqual([[4, 'bad-signature']]);
  });

  it('injects nothing from a forged peer: events signed by its own key, altered events, garbage', () => {
    const forgedKey = till('t-a', 99, STORE, till('x', 98).keys);
    const altered = wire(sA(1)) as { event: { payload: { points: number } } };
    altered.event.payload.points = 5000;
    const r = page([
      ...signAll(chainA.slice(0, 2), forgedKey.keys),
      altered,
      { event: evA(1) },
      'hello',
      null,
    ]);
    expect(r.accepted).toEqual([]);
    expect(r.checkpoint).toBeNull();
    expect(reasons(r)).toEqual([
      [1, 'bad-signature'],
      [2, 'gap'],
      [1, 'altered'],
      [1, 'malformed'],
      [null, 'malformed'],
      [null, 'malformed'],
    ]);
  });

  it("refuses another terminal's events in the origin's page and keeps linking the origin's", () => {
    const [bEvent] = signAll(chainOf(b, 1).events, b.keys);
    const r = page([sA(1), bEvent, sA(2)]);
    expect(seqs(r.accepted)).toEqual([1, 2]);
    expect(r.rejections).toMatchObject([{ index: 1, terminalSeq: 1, reason: 'other-terminal' }]);
  });

  it("refuses every event when the origin's credential is for another store than the till's", () => {
    const elsewhere = till('t-a', 21, OTHER_STORE);
    const r = page(signedA.slice(0, 2), { credential: elsewhere.credential });
    expect(r.accepted).toEqual([]);
    expect(reasons(r)).toEqual([
      [1, 'other-store'],
      [2, 'other-store'],
    ]);
  });

  it("takes a third till's events relayed by a peer, checked against that till's credential", () => {
    const signedC = signAll(chainOf(c, 3).events, c.keys);
    // B serves C's page: who serves does not matter, C's credential and signatures do.
    expect(seqs(page(wire(signedC) as unknown[], { credential: c.credential }).accepted)).toEqual([1, 2, 3]);
    expect(page(signedC, { credential: b.credential }).accepted).toEqual([]);
  });

  it('is grow-only: over random pages, the checkpoint never goes back and what is taken links to it', () => {
    const [fork5] = forkOfA(4, 1) as [SignedEvent];
    const [bEvent] = signAll(chainOf(b, 1).events, b.keys);
    const pool: unknown[] = [...signedA, fork5, bEvent, { event: evA(3), signature: sA(4).signature }];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.constantFrom(...pool), { maxLength: 12 }),
        (at, envelopes) => {
          const checkpoint = at === 0 ? null : headOf(evA(at));
          const held = new Map(chainA.slice(0, at).map((e) => [e.terminalSeq, e.hash]));
          const r = page(envelopes, { checkpoint, heldHash: (s) => held.get(s) });
          const before = checkpoint?.terminalSeq ?? 0;
          expect(r.checkpoint?.terminalSeq ?? 0).toBeGreaterThanOrEqual(before);
          const events = r.accepted.map((s) => s.event);
          expect(verifyChain(events, checkpoint ?? undefined).ok).toBe(true);
          // only events A's key signed are ever taken (its chain, or the fork it signed), and the head is
          // the last one taken
          for (const e of events)
            expect(e.hash === fork5.event.hash ? fork5.event : evA(e.terminalSeq)).toEqual(e);
          if (events.length > 0)
            expect(r.checkpoint).toEqual(headOf(events[events.length - 1] as LedgerEvent));
          expect(r.accepted.length + r.duplicates + r.unchecked + r.rejections.length).toBe(envelopes.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

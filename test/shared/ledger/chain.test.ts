// The per-terminal hash chain: sealing, and verification that names the first problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventHash, sealEvent, verifyChain } from '../../../src-shared/ledger/chain.js';
import { GENESIS_HASH, ledgerEventSchema, type LedgerEvent } from '../../../src-shared/ledger/events.js';
import { eventFactory } from '../../support/events.js';

const M = 'member-1';

function chain(length: number, terminalId = 't-1'): LedgerEvent[] {
  const f = eventFactory({ terminalId });
  f.enrolled(M);
  for (let i = 1; i < length; i++) {
    if (i % 3 === 0) f.redeemed(M, 5 + i);
    else f.earned(M, 10 * i);
  }
  return [...f.events];
}

const at = (events: readonly LedgerEvent[], i: number): LedgerEvent => {
  const e = events[i];
  if (!e) throw new Error(`no event ${i}`);
  return e;
};

describe('sealEvent and eventHash', () => {
  it('numbers events from 1, links them and hashes their content', () => {
    const events = chain(3);
    expect(events.map((e) => e.terminalSeq)).toEqual([1, 2, 3]);
    expect(at(events, 0).prevHash).toBe(GENESIS_HASH);
    expect(at(events, 1).prevHash).toBe(at(events, 0).hash);
    for (const e of events) {
      expect(eventHash(e)).toBe(e.hash);
      expect(ledgerEventSchema.safeParse(e).success).toBe(true);
    }
  });

  it('hashes the same whatever the key order, and ignores the hash field itself', () => {
    const e = at(chain(2), 1);
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as LedgerEvent;
    expect(eventHash(reordered)).toBe(e.hash);
    expect(eventHash({ ...e, hash: 'f'.repeat(64) })).toBe(e.hash);
    expect(eventHash({ ...e, occurredAt: '2030-01-01T00:00:00.000Z' })).not.toBe(e.hash);
  });

  it('continues from a given head and refuses an invalid event', () => {
    const first = at(chain(1), 0);
    const { hash: _h, prevHash: _p, terminalSeq: _s, ...unsealed } = first;
    const next = sealEvent(
      { ...unsealed, id: '00000000-0000-7000-8000-000000000099' },
      {
        terminalSeq: 41,
        hash: first.hash,
      },
    );
    expect(next.terminalSeq).toBe(42);
    expect(next.prevHash).toBe(first.hash);
    expect(() => sealEvent({ ...unsealed, id: 'not-a-uuid' }, null)).toThrow();
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ ok: true, last: { terminalSeq: 5, hash: at(events, 4).hash } });
    expect(verifyChain([])).toEqual({ ok: true, last: null });
    const from = { terminalSeq: 2, hash: at(events, 1).hash };
    expect(verifyChain(events.slice(2), from)).toEqual({
      ok: true,
      last: { terminalSeq: 5, hash: at(events, 4).hash },
    });
    expect(verifyChain([], from)).toEqual({ ok: true, last: from });
  });

  it('reports missing events as a gap', () => {
    const events = chain(45);
    const verdict = verifyChain([...events.slice(0, 40), ...events.slice(42)]);
    expect(verdict).toEqual({
      ok: false,
      problem: { kind: 'gap', terminalSeq: 41, message: 'events 41–42 missing' },
    });
    const one = verifyChain([...events.slice(0, 3), ...events.slice(4)]);
    expect(one).toMatchObject({
      ok: false,
      problem: { kind: 'gap', terminalSeq: 4, message: 'event 4 missing' },
    });
    // A slice that does not start where the head says.
    expect(verifyChain(events.slice(3), { terminalSeq: 1, hash: at(events, 0).hash })).toMatchObject({
      ok: false,
      problem: { kind: 'gap', terminalSeq: 2 },
    });
  });

  it('reports swapped and repeated events as out of order', () => {
    const events = chain(5);
    const swapped = [at(events, 0), at(events, 2), at(events, 1), at(events, 3)];
    expect(verifyChain(swapped)).toMatchObject({
      ok: false,
      problem: { kind: 'out-of-order', terminalSeq: 2 },
    });
    const repeated = [at(events, 0), at(events, 1), at(events, 1), at(events, 2)];
    expect(verifyChain(repeated)).toMatchObject({
      ok: false,
      problem: { kind: 'out-of-order', terminalSeq: 3 },
    });
  });

  it('reports changed content as altered', () => {
    const events = chain(4);
    const e = at(events, 2);
    const altered = { ...e, occurredAt: '2031-01-01T00:00:00.000Z' };
    expect(verifyChain([at(events, 0), at(events, 1), altered, at(events, 3)])).toMatchObject({
      ok: false,
      problem: { kind: 'altered', terminalSeq: 3 },
    });
  });

  it('reports a replaced event with a recomputed hash as a break after it', () => {
    const events = chain(4);
    const { hash: _h, ...rest } = at(events, 1);
    const forged = { ...rest, occurredAt: '2031-01-01T00:00:00.000Z' };
    const replaced = { ...forged, hash: eventHash(forged) };
    expect(verifyChain([at(events, 0), replaced, at(events, 2), at(events, 3)])).toMatchObject({
      ok: false,
      problem: { kind: 'break', terminalSeq: 3 },
    });
    // A first event that does not start from the genesis.
    expect(verifyChain(events.slice(1), { terminalSeq: 1, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      problem: { kind: 'break', terminalSeq: 2 },
    });
  });

  it('reports events of another terminal', () => {
    const mine = chain(3, 't-1');
    const theirs = chain(3, 't-2');
    expect(verifyChain([at(mine, 0), at(theirs, 1)])).toMatchObject({
      ok: false,
      problem: { kind: 'mixed-terminals', terminalSeq: 2 },
    });
  });

  it('detects any removed or altered event at its position', () => {
    const mutations = ['remove', 'alter-field', 'alter-payload', 'alter-and-rehash'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.nat(),
        fc.constantFrom(...mutations),
        (length, pick, mutation) => {
          const events = chain(length);
          // The last event can only be removed or replaced unseen by the chain; the day close catches that.
          const i = pick % (length - 1);
          const e = at(events, i);
          const broken = [...events];
          let kind: string;
          let seq = e.terminalSeq;
          if (mutation === 'remove') {
            broken.splice(i, 1);
            kind = 'gap';
          } else if (mutation === 'alter-field') {
            broken[i] = { ...e, cashierId: 'c-evil' };
            kind = 'altered';
          } else if (mutation === 'alter-payload') {
            broken[i] = {
              ...e,
              payload: { ...e.payload, displayName: 'Eve', points: 999_999, cost: 1 },
            } as unknown as LedgerEvent;
            kind = 'altered';
          } else {
            const { hash: _h, ...rest } = { ...e, storeId: 's-evil' };
            broken[i] = { ...rest, hash: eventHash(rest) };
            kind = 'break';
            seq += 1;
          }
          expect(verifyChain(events).ok).toBe(true);
          const verdict = verifyChain(broken);
          expect(verdict).toMatchObject({ ok: false, problem: { kind, terminalSeq: seq } });
        },
      ),
      { numRuns: 300 },
    );
  });
});

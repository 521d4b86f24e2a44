// One offline allowance per store (issue 16): the store bound's rules by example — own only is today's
// per-till bound, peers' redemptions take the shared allowance down, the override cap is one per store,
// never above the per-till bound, a redemption counted once by id, expired and stale — and its invariants
// over random inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offlineBound, overridePoints } from '../../../src-shared/engine/offline-bound.js';
import type { ReplicaMode } from '../../../src-shared/engine/offline.js';
import {
  storeOfflineBound,
  storeRedemptionOf,
  type StoreBoundInput,
  type StoreRedemption,
} from '../../../src-shared/engine/store-bound.js';
import { makeProgram, offlinePolicy } from './builders.js';

// The figures: an allowance of 1,000 and an override cap of 500, half the allowance when stale.
const program = makeProgram({
  offline: { ...offlinePolicy, allowanceCap: 1000, managerOverrideCap: 500, staleAllowancePercent: 50 },
});

let serial = 0;
const r = (terminalId: string, cost: number, overridePoints = 0, id = `e-${++serial}`): StoreRedemption => ({
  id,
  terminalId,
  cost,
  overridePoints,
});
const at = (
  own: StoreRedemption[],
  peers: StoreRedemption[],
  mode: ReplicaMode = 'fresh',
  allowance = 1000,
): StoreBoundInput => ({ terminalId: 't1', mode, allowance, own, peers });

describe('storeOfflineBound', () => {
  it('own only: exactly the per-till bound of today', () => {
    const own = [r('t1', 850)];
    expect(storeOfflineBound(program, at(own, []))).toEqual({
      allowance: 1000,
      limit: 1500,
      used: 850,
      left: 650,
      allowanceLeft: 150,
      own: 850,
      peers: 0,
      peerTerminals: 0,
      overrideUsed: 0,
      overrideLeft: 500,
    });
    // After a manager's approval of 300 (1,300 used), 200 of the one cap is left.
    const approved = [r('t1', 1000), r('t1', 300, 300)];
    expect(storeOfflineBound(program, at(approved, []))).toMatchObject(
      offlineBound(program, { mode: 'fresh', allowance: 1000, usedOffline: 1300 }),
    );
    expect(storeOfflineBound(program, at(approved, []))).toMatchObject({ left: 200, overrideLeft: 200 });
  });

  it("peers' redemptions take the store's one allowance down, and are shown apart", () => {
    const bound = storeOfflineBound(program, at([r('t1', 200)], [r('t2', 300), r('t3', 100), r('t2', 50)]));
    expect(bound).toMatchObject({
      used: 650,
      allowanceLeft: 350,
      left: 850,
      own: 200,
      peers: 450,
      peerTerminals: 2,
    });
    // The per-till bound alone would still let this till spend 800 without a manager.
    expect(offlineBound(program, { mode: 'fresh', allowance: 1000, usedOffline: 200 }).allowanceLeft).toBe(
      800,
    );
  });

  it("the store's whole allowance spent at other tills: only the one override cap is left, with a manager", () => {
    const bound = storeOfflineBound(program, at([], [r('t2', 600), r('t3', 400)]));
    expect(bound).toMatchObject({ used: 1000, allowanceLeft: 0, left: 500, overrideLeft: 500 });
  });

  it('the override cap is one per store: approvals at other tills use it up', () => {
    // t2 spent the allowance and a manager approved 300 more there: 200 of the cap is left at t1.
    const peers = [r('t2', 1000), r('t2', 300, 300)];
    expect(storeOfflineBound(program, at([], peers))).toMatchObject({
      used: 1300,
      allowanceLeft: 0,
      left: 200,
      overrideUsed: 300,
      overrideLeft: 200,
    });
    // And the whole cap approved across two tills: nothing more, even with a manager.
    const spent = [...peers, r('t3', 200, 200)];
    expect(storeOfflineBound(program, at([], spent))).toMatchObject({ left: 0, overrideLeft: 0 });
  });

  it('approvals at a peer with a smaller allowance are charged to the one cap, so the store never gets two', () => {
    // t2, stale (500), redeemed 800 with a manager approving the 300 above its allowance. At t1 (fresh,
    // 1,000) the limit less the use would leave 700, but only 200 of the cap is left: 200 + 200.
    const bound = storeOfflineBound(program, at([], [r('t2', 500), r('t2', 300, 300)]));
    expect(bound).toMatchObject({ used: 800, allowanceLeft: 200, left: 400, overrideLeft: 200 });
    // The most a manager approves here then completes the cap, not a second one.
    expect(overridePoints(bound, bound.left) + bound.overrideUsed).toBe(500);
  });

  it("never above this till's per-till bound, whatever the peers say", () => {
    // A partition: this till alone spent its allowance and cap; peers it hears from add nothing to it.
    const own = [r('t1', 1000), r('t1', 500, 500)];
    expect(storeOfflineBound(program, at(own, []))).toMatchObject({ left: 0, allowanceLeft: 0 });
    expect(storeOfflineBound(program, at(own, [r('t2', 0)]))).toMatchObject({ left: 0, allowanceLeft: 0 });
    // Nothing at the peers: the per-till figures, never more.
    const mine = storeOfflineBound(program, at([r('t1', 400)], []));
    const till = offlineBound(program, { mode: 'fresh', allowance: 1000, usedOffline: 400 });
    expect([mine.left, mine.allowanceLeft]).toEqual([till.left, till.allowanceLeft]);
  });

  it('counts a redemption once, however often it was received', () => {
    const once = r('t2', 300, 0, 'e-dup');
    const twice = storeOfflineBound(program, at([], [once, { ...once }, r('t3', 100, 0, 'e-3'), once]));
    expect(twice).toMatchObject({ used: 400, peers: 400, allowanceLeft: 600 });
    // This till's own event relayed back by a peer is already counted in `own`.
    const mine = r('t1', 250, 0, 'e-mine');
    expect(storeOfflineBound(program, at([mine], [{ ...mine }]))).toMatchObject({ used: 250, peers: 0 });
    // Nor does this till count, from a peer, its own redemptions of an earlier period (the allowance took them off).
    expect(storeOfflineBound(program, at([], [r('t1', 700)]))).toMatchObject({ used: 0 });
    // Two copies that disagree (which a verified chain rules out): the larger, in either order.
    const low = r('t2', 100, 0, 'e-x');
    const high = { ...low, cost: 400, overridePoints: 50 };
    const one = storeOfflineBound(program, at([], [low, high]));
    expect(one).toMatchObject({ used: 400, overrideUsed: 50 });
    expect(storeOfflineBound(program, at([], [high, low]))).toEqual(one);
  });

  it('expired: nothing, the use still shown', () => {
    expect(storeOfflineBound(program, at([r('t1', 100)], [r('t2', 200, 0)], 'expired'))).toEqual({
      allowance: 0,
      limit: 0,
      used: 300,
      left: 0,
      allowanceLeft: 0,
      own: 100,
      peers: 200,
      peerTerminals: 1,
      overrideUsed: 0,
      overrideLeft: 0,
    });
  });

  it('stale: the allowance share of this till scaled down, the one cap not', () => {
    // 301 → 150 stale; 100 used at a peer.
    expect(storeOfflineBound(program, at([], [r('t2', 100)], 'stale', 301))).toMatchObject({
      allowance: 150,
      limit: 650,
      used: 100,
      allowanceLeft: 50,
      left: 550,
    });
  });

  it('never counts an allowance above the program cap', () => {
    expect(storeOfflineBound(program, at([], [r('t2', 1000)], 'fresh', 5000))).toMatchObject({
      allowance: 1000,
      allowanceLeft: 0,
      left: 500,
    });
  });

  it('refuses figures that are not points', () => {
    expect(() => storeOfflineBound(program, at([], [r('t2', -1)]))).toThrow(RangeError);
    expect(() => storeOfflineBound(program, at([r('t1', 1.5)], []))).toThrow(RangeError);
    expect(() => storeOfflineBound(program, at([], [r('t2', 100, 101)]))).toThrow(RangeError);
    expect(() => storeOfflineBound(program, at([], [], 'fresh', Number.NaN))).toThrow(RangeError);
  });
});

describe('storeRedemptionOf', () => {
  const event = (mode: 'online' | 'offline', override: { managerId: string; points: number } | null) => ({
    id: 'ev-1',
    terminalId: 't2',
    payload: { rewardId: 'bag', quantity: 2, cost: 300, mode, override },
  });
  it("an offline redemption: its id, terminal, cost and the manager's points", () => {
    expect(storeRedemptionOf(event('offline', { managerId: 'mgr-1', points: 120 }))).toEqual({
      id: 'ev-1',
      terminalId: 't2',
      cost: 300,
      overridePoints: 120,
    });
    expect(storeRedemptionOf(event('offline', null))?.overridePoints).toBe(0);
  });
  it('an online one bounds no offline risk', () => {
    expect(storeRedemptionOf(event('online', null))).toBeNull();
  });
});

describe('storeOfflineBound over random inputs', () => {
  const modeArb = fc.constantFrom<ReplicaMode>('fresh', 'stale', 'expired');
  const redemptionArb = (terminals: string[]) =>
    fc
      .record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
        terminalId: fc.constantFrom(...terminals),
        cost: fc.integer({ min: 0, max: 800 }),
        manager: fc.boolean(),
        share: fc.integer({ min: 0, max: 100 }),
      })
      .map(({ id, terminalId, cost, manager, share }) => ({
        id: `${terminalId}-${id}`,
        terminalId,
        cost,
        overridePoints: manager ? Math.floor((cost * share) / 100) : 0,
      }));
  const inputArb = fc.record({
    mode: modeArb,
    allowance: fc.integer({ min: 0, max: 1500 }),
    own: fc.array(redemptionArb(['t1']), { maxLength: 5 }),
    peers: fc.array(redemptionArb(['t1', 't2', 't3', 't4']), { maxLength: 10 }),
  });

  it('never negative, no manager needed only within what is left, never above the per-till bound', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const bound = storeOfflineBound(program, { terminalId: 't1', ...i });
        // This till's own use, each id once (the larger copy, should two differ).
        const ownUsed = new Map<string, number>();
        for (const x of i.own) ownUsed.set(x.id, Math.max(ownUsed.get(x.id) ?? 0, x.cost));
        const usedOffline = [...ownUsed.values()].reduce((a, b) => a + b, 0);
        const till = offlineBound(program, { mode: i.mode, allowance: i.allowance, usedOffline });
        expect(bound.own).toBe(usedOffline);
        expect(bound.allowanceLeft).toBeGreaterThanOrEqual(0);
        expect(bound.allowanceLeft).toBeLessThanOrEqual(bound.left);
        expect(bound.left).toBeLessThanOrEqual(Math.max(0, bound.limit - bound.used));
        expect(bound.left).toBeLessThanOrEqual(till.left);
        expect(bound.allowanceLeft).toBeLessThanOrEqual(till.allowanceLeft);
        expect(bound.used).toBe(bound.own + bound.peers);
        expect(bound.overrideLeft).toBeLessThanOrEqual(program.offline.managerOverrideCap);
        // The most a manager may approve here stays within the store's cap left.
        expect(overridePoints(bound, bound.left)).toBeLessThanOrEqual(bound.overrideLeft);
        // Received in another order, or twice: the same bound.
        const again = { terminalId: 't1', ...i, peers: [...i.peers].reverse().concat(i.peers) };
        expect(storeOfflineBound(program, again)).toEqual(bound);
      }),
    );
  });

  it('own only, as the per-till rule records them: the same figures as offlineBound', () => {
    const stepArb = fc.record({ cost: fc.integer({ min: 1, max: 700 }), manager: fc.boolean() });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(stepArb, { maxLength: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (allowance, steps, staleFrom) => {
          const own: StoreRedemption[] = [];
          let used = 0;
          steps.forEach((s, k) => {
            // The replica only ages: stale from some visit on.
            const mode: ReplicaMode = k >= staleFrom ? 'stale' : 'fresh';
            const today = offlineBound(program, { mode, allowance, usedOffline: used });
            const store = storeOfflineBound(program, { terminalId: 't1', mode, allowance, own, peers: [] });
            expect(store).toMatchObject(today);
            // The till's decision (checkRedemption's): within the allowance left, or a manager within left.
            if (s.cost <= today.allowanceLeft) own.push(r('t1', s.cost));
            else if (s.manager && s.cost <= today.left)
              own.push(r('t1', s.cost, overridePoints(today, s.cost)));
            else return;
            used += s.cost;
          });
        },
      ),
    );
  });
});

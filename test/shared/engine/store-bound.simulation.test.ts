// A simulated offline day of one store (issue 16's acceptance): 2–5 tills cannot reach HQ all day, members
// visit random tills and ask to redeem random amounts, sometimes with a manager, and each till decides with
// storeOfflineBound from what it knows. The store's LAN is either up all day (a redemption reaches every
// peer before the next visit) or partitioned into groups that change over the day (a redemption reaches the
// tills of its group; when the groups change, the tills of each new group exchange everything they hold:
// grow-only sets, so a till can receive one redemption several times and its own back).
// LAN up: per member, the store never redeems more than one allowance + one override cap, nor approves more
// than one cap. Partitioned: per member and till, never more than the per-till limit nor one cap approved,
// so the store never more than their sum. At every till and visit: the bound is never negative, never above the per-till bound,
// and an accepted redemption never takes what is left below zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../src-shared/kernel/clock.js';
import { offlineAllowance } from '../../../src-shared/engine/allowance.js';
import {
  offlineBound,
  offlinePeriodLimit,
  overridePoints,
} from '../../../src-shared/engine/offline-bound.js';
import { replicaMode } from '../../../src-shared/engine/offline.js';
import { storeOfflineBound, type StoreRedemption } from '../../../src-shared/engine/store-bound.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { makeMember, makeProgram, offlinePolicy } from './builders.js';

const MAX_TILLS = 5;
const DAY_START = Date.parse('2026-03-11T07:00:00Z');

const visitArb = fc.record({
  member: fc.nat(),
  till: fc.nat(),
  cost: fc.integer({ min: 1, max: 700 }),
  manager: fc.boolean(),
  /** Minutes since the previous visit: the replicas age over the day. */
  after: fc.integer({ min: 0, max: 90 }),
  /** A partitioned LAN's new groups from this visit on (a group number per till), or no change. */
  regroup: fc.option(
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: MAX_TILLS, maxLength: MAX_TILLS }),
    {
      freq: 4,
      nil: null,
    },
  ),
});

const dayArb = fc.record({
  tills: fc.integer({ min: 2, max: MAX_TILLS }),
  offline: fc.record({
    allowanceCap: fc.integer({ min: 0, max: 1500 }),
    allowancePercentOfBalance: fc.integer({ min: 0, max: 100 }),
    managerOverrideCap: fc.integer({ min: 0, max: 600 }),
    staleAllowancePercent: fc.integer({ min: 0, max: 100 }),
  }),
  members: fc.array(
    fc.record({
      balance: fc.integer({ min: 0, max: 3000 }),
      /**
       * Per till, the share of HQ's allowance its period started with: 100 for tills that pulled with
       * the latest figure, less for one that pulled before an earn raised it.
       */
      shares: fc.array(fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 100 })), {
        minLength: MAX_TILLS,
        maxLength: MAX_TILLS,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  /** Hours before the day starts that each till last pulled from HQ: fresh, stale or expired over the day. */
  pulledHoursBefore: fc.array(fc.integer({ min: 0, max: 80 }), {
    minLength: MAX_TILLS,
    maxLength: MAX_TILLS,
  }),
  firstGroups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: MAX_TILLS, maxLength: MAX_TILLS }),
  visits: fc.array(visitArb, { minLength: 1, maxLength: 40 }),
});
type Day = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

/** A redemption as the store's tills pass it around: the bound's figures and the member's id. */
interface Held {
  memberId: string;
  redemption: StoreRedemption;
}

interface Till {
  id: string;
  lastPullAt: number;
  /** Its own offline redemptions of the day (one offline period: HQ is unreachable all day). */
  own: Held[];
  /** What it received from peers, in arrival order, duplicates and its own relayed back included. */
  inbox: Held[];
  group: number;
}

interface Outcome {
  program: Program;
  tills: Till[];
  /** Per member: its balance at HQ and each till's period allowance. */
  members: { id: string; balance: number; allowances: number[] }[];
  /** Overrides approved (points) and redemptions refused by the bound, for the coverage checks. */
  approvals: number;
  refusedByBound: number;
  /** Of those, refused only for what other tills redeemed (the per-till bound alone would allow it). */
  refusedForPeers: number;
}

/** The most one till may let a member redeem in its period whatever its mode (the fresh figure). */
const tillLimit = (o: Outcome, m: number, t: number): number =>
  offlinePeriodLimit(o.program, o.members[m]?.allowances[t] ?? 0);

const sumCost = (held: readonly Held[]) => held.reduce((s, h) => s + h.redemption.cost, 0);
const sumOverride = (held: readonly Held[]) => held.reduce((s, h) => s + h.redemption.overridePoints, 0);

/** Each id once: what a till actually knows. */
function distinctHeld(held: readonly Held[]): Held[] {
  return [...new Map(held.map((h) => [h.redemption.id, h])).values()];
}

/** Plays one offline day: every till decides with storeOfflineBound; checks the per-visit properties. */
function playDay(day: Day, lan: 'up' | 'partitioned'): Outcome {
  const program = makeProgram({ offline: { ...offlinePolicy, ...day.offline } });
  const tills: Till[] = Array.from({ length: day.tills }, (_, t) => ({
    id: `till-${t + 1}`,
    lastPullAt: DAY_START - (day.pulledHoursBefore[t] ?? 0) * HOUR_MS,
    own: [],
    inbox: [],
    group: lan === 'up' ? 0 : (day.firstGroups[t] ?? 0),
  }));
  const members = day.members.map((m, i) => {
    const hq = offlineAllowance(makeMember({ id: `m-${i}`, balance: m.balance }), program);
    return {
      id: `m-${i}`,
      balance: m.balance,
      allowances: tills.map((_, t) => Math.floor((hq * (m.shares[t] ?? 100)) / 100)),
    };
  });
  let now = DAY_START;
  let serial = 0;
  let approvals = 0;
  let refusedByBound = 0;
  let refusedForPeers = 0;

  for (const visit of day.visits) {
    now += visit.after * 60_000;
    if (lan === 'partitioned' && visit.regroup) {
      // The LAN changes: each new group's tills exchange everything they hold (a heal merges sets).
      tills.forEach((till, t) => (till.group = visit.regroup?.[t] ?? 0));
      const groups = new Set(tills.map((till) => till.group));
      for (const g of groups) {
        const inGroup = tills.filter((till) => till.group === g);
        const held = distinctHeld(inGroup.flatMap((till) => [...till.own, ...till.inbox]));
        for (const till of inGroup) till.inbox.push(...held);
      }
    }

    const m = visit.member % members.length;
    const t = visit.till % tills.length;
    const member = members[m];
    const till = tills[t];
    if (!member || !till) throw new Error('unreachable');
    const forMember = (held: readonly Held[]) =>
      held.filter((h) => h.memberId === member.id).map((h) => h.redemption);
    const { mode } = replicaMode(till.lastPullAt, now, program.offline);
    const allowance = member.allowances[t] ?? 0;
    const own = forMember(till.own);
    const bound = storeOfflineBound(program, {
      terminalId: till.id,
      mode,
      allowance,
      own,
      peers: forMember(till.inbox),
    });

    // Never negative, no manager only within what is left, never above this till's own bound.
    const perTill = offlineBound(program, {
      mode,
      allowance,
      usedOffline: sumCost(till.own.filter((h) => h.memberId === member.id)),
    });
    expect(bound.allowanceLeft).toBeGreaterThanOrEqual(0);
    expect(bound.allowanceLeft).toBeLessThanOrEqual(bound.left);
    expect(bound.left).toBeLessThanOrEqual(perTill.left);

    // The till's decision, as checkRedemption takes it from a bound: within the allowance left, no
    // manager; within what is left, a manager approves the part above; beyond, never. The member's balance
    // is left out on purpose (a till checks it too, and would only refuse more): the bound alone stands
    // between the member and an overdraft here.
    if (mode === 'expired') expect(bound.left).toBe(0);
    let override: number;
    if (visit.cost <= bound.allowanceLeft) override = 0;
    else if (visit.manager && visit.cost <= bound.left) override = overridePoints(bound, visit.cost);
    else {
      refusedByBound += 1;
      // Refused for what the peers redeemed: the till alone would have allowed it.
      if (visit.cost <= perTill.allowanceLeft || (visit.manager && visit.cost <= perTill.left))
        refusedForPeers += 1;
      continue;
    }
    approvals += override;
    const held: Held = {
      memberId: member.id,
      redemption: { id: `r-${++serial}`, terminalId: till.id, cost: visit.cost, overridePoints: override },
    };
    till.own.push(held);
    // It reaches the till's group now (the whole store when the LAN is up).
    for (const peer of tills) if (peer !== till && peer.group === till.group) peer.inbox.push(held);

    // Accepted: nothing left went below zero, as this till now knows the store.
    const after = storeOfflineBound(program, {
      terminalId: till.id,
      mode,
      allowance,
      own: forMember(till.own),
      peers: forMember(till.inbox),
    });
    expect(after.used).toBe(bound.used + visit.cost);
    expect(after.limit - after.used).toBeGreaterThanOrEqual(0);
    expect(program.offline.managerOverrideCap - after.overrideUsed).toBeGreaterThanOrEqual(0);
  }
  return { program, tills, members, approvals, refusedByBound, refusedForPeers };
}

/** Per member, every offline redemption of the store that day. */
const storeRedemptions = (o: Outcome, memberId: string): Held[] =>
  o.tills.flatMap((till) => till.own.filter((h) => h.memberId === memberId));

// Enough runs to cover partitions healing and managers at several tills, in a second or two.
const RUNS = 400;

describe('a simulated offline day of one store, each till deciding with storeOfflineBound', () => {
  it('LAN up: per member, the store redeems at most one allowance + one override cap, approving at most one cap', () => {
    let overdrawn = 0;
    let refusedForPeers = 0;
    fc.assert(
      fc.property(dayArb, (drawn) => {
        const o = playDay(drawn, 'up');
        refusedForPeers += o.refusedForPeers;
        o.members.forEach((member, m) => {
          const all = storeRedemptions(o, member.id);
          // The store's allowance: the tills' period figure (the largest, should they have pulled apart).
          const storeLimit = Math.max(...o.tills.map((_, t) => tillLimit(o, m, t)));
          expect(sumCost(all)).toBeLessThanOrEqual(storeLimit);
          expect(sumOverride(all)).toBeLessThanOrEqual(o.program.offline.managerOverrideCap);
          // So the member is never overdrawn by more than one override cap (an allowance ≤ the balance).
          expect(sumCost(all) - member.balance).toBeLessThanOrEqual(o.program.offline.managerOverrideCap);
          if (sumCost(all) > member.balance) overdrawn += 1;
        });
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: the store bound refused what a till alone would have allowed, and some members were
    // taken past their balance (within the one cap).
    expect(refusedForPeers).toBeGreaterThan(0);
    expect(overdrawn).toBeGreaterThan(0);
  });

  it('LAN partitioned: per member and till, at most the per-till limit; the store at most their sum', () => {
    let pastOneStoreLimit = 0;
    fc.assert(
      fc.property(dayArb, (drawn) => {
        const o = playDay(drawn, 'partitioned');
        o.members.forEach((member, m) => {
          const limits = o.tills.map((_, t) => tillLimit(o, m, t));
          o.tills.forEach((till, t) => {
            const mine = till.own.filter((h) => h.memberId === member.id);
            expect(sumCost(mine)).toBeLessThanOrEqual(limits[t] ?? 0);
            expect(sumOverride(mine)).toBeLessThanOrEqual(o.program.offline.managerOverrideCap);
          });
          const total = sumCost(storeRedemptions(o, member.id));
          expect(total).toBeLessThanOrEqual(limits.reduce((s, l) => s + l, 0));
          if (total > Math.max(...limits)) pastOneStoreLimit += 1;
        });
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: split groups did each spend the allowance, which the per-store bound cannot prevent.
    expect(pastOneStoreLimit).toBeGreaterThan(0);
  });

  it('the bound refuses, and managers approve, on these days (the simulation reaches both)', () => {
    let approvals = 0;
    let refused = 0;
    fc.assert(
      fc.property(dayArb, (drawn) => {
        for (const lan of ['up', 'partitioned'] as const) {
          const o = playDay(drawn, lan);
          approvals += o.approvals;
          refused += o.refusedByBound;
        }
      }),
      { numRuns: 100 },
    );
    expect(approvals).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

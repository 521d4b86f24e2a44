// The offline bound (issue 11): one terminal lets a member redeem at most the period's allowance plus ONE
// manager override cap offline, however many approvals; the running total, the stale share, the limit HQ
// checks, and checkRedemption enforcing it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  offlineBound,
  offlinePeriodLimit,
  offlineUsedInPeriod,
  type PeriodRedemption,
} from '../../../src-shared/engine/offline-bound.js';
import type { OfflineState, ReplicaMode } from '../../../src-shared/engine/offline.js';
import { checkRedemption } from '../../../src-shared/engine/redemption.js';
import { makeMember, makeProgram, offlinePolicy, WEDNESDAY } from './builders.js';

// The figures: an allowance of 1,000 and an override cap of 500.
const program = makeProgram({
  offline: { ...offlinePolicy, allowanceCap: 1000, managerOverrideCap: 500, staleAllowancePercent: 50 },
  rewards: [
    { id: 'ten-off', label: '10.00 EUR off', kind: 'fixed-discount', amount: 1000, cost: 1000 },
    { id: 'bag', label: 'Bag for life', kind: 'free-product', sku: 'bag', cost: 150, maxPerTransaction: 4 },
    { id: 'five-off', label: '5.00 EUR off', kind: 'fixed-discount', amount: 500, cost: 500 },
  ],
});
const member = makeMember({ balance: 10_000, offlineAllowance: 1000 });
const offline = (usedOffline: number, mode: ReplicaMode = 'fresh', allowance = 1000): OfflineState => ({
  online: false,
  mode,
  allowance,
  usedOffline,
});
const redeem = (rewardId: string, state: OfflineState, managerId: string | null = 'mgr-1', quantity = 1) =>
  checkRedemption({
    rewardId,
    quantity,
    member,
    program,
    offline: state,
    at: WEDNESDAY,
    override: managerId ? { managerId } : null,
  });

describe('offlinePeriodLimit', () => {
  it('is the allowance at the period start plus one override cap', () => {
    expect(offlinePeriodLimit(program, 1000)).toBe(1500);
    expect(offlinePeriodLimit(program, 300)).toBe(800);
    expect(offlinePeriodLimit(program, 0)).toBe(500);
  });

  it('never counts an allowance above the program cap, nor below zero', () => {
    expect(offlinePeriodLimit(program, 5000)).toBe(1500);
    expect(offlinePeriodLimit(program, -20)).toBe(500);
  });

  it('refuses an allowance that is not a whole number of points', () => {
    expect(() => offlinePeriodLimit(program, 1.5)).toThrow(RangeError);
    expect(() => offlinePeriodLimit(program, Number.NaN)).toThrow(RangeError);
  });
});

describe('offlineBound', () => {
  it('fresh: the whole allowance, then one override cap, less what was used', () => {
    expect(offlineBound(program, { mode: 'fresh', allowance: 1000, usedOffline: 850 })).toEqual({
      allowance: 1000,
      limit: 1500,
      used: 850,
      left: 650,
      allowanceLeft: 150,
    });
    expect(offlineBound(program, { mode: 'fresh', allowance: 1000, usedOffline: 1600 })).toMatchObject({
      left: 0,
      allowanceLeft: 0,
    });
  });

  it('stale: the allowance share rounded down, the override cap unscaled', () => {
    expect(offlineBound(program, { mode: 'stale', allowance: 301, usedOffline: 100 })).toEqual({
      allowance: 150,
      limit: 650,
      used: 100,
      left: 550,
      allowanceLeft: 50,
    });
  });

  it('expired: nothing', () => {
    expect(offlineBound(program, { mode: 'expired', allowance: 1000, usedOffline: 200 })).toEqual({
      allowance: 0,
      limit: 0,
      used: 200,
      left: 0,
      allowanceLeft: 0,
    });
  });
});

describe('offlineUsedInPeriod', () => {
  const since = '2026-03-11T08:00:00.000Z';
  const period = { since, allowance: 1000 };
  it('adds the offline redemptions of that period only', () => {
    const redemptions: PeriodRedemption[] = [
      { cost: 500, mode: 'offline', offlinePeriod: period },
      { cost: 150, mode: 'offline', offlinePeriod: period },
      { cost: 70, mode: 'offline', offlinePeriod: { since: '2026-03-10T08:00:00.000Z', allowance: 1000 } },
      { cost: 40, mode: 'offline' },
      { cost: 1000, mode: 'online' },
    ];
    expect(offlineUsedInPeriod(redemptions, since)).toBe(650);
    expect(offlineUsedInPeriod([], since)).toBe(0);
  });
});

describe('checkRedemption under the offline bound', () => {
  it("the issue's scenario: after the allowance, a fourth manager approval is refused", () => {
    // 1,000 within the allowance, no manager needed.
    const first = redeem('ten-off', offline(0), null);
    expect(first.ok && first.value.override).toBeNull();
    let used = 1000;
    // Three approvals of 150 fit in the one override cap of 500 (450 in all).
    for (let i = 0; i < 3; i++) {
      expect(redeem('bag', offline(used), null)).toMatchObject({
        ok: false,
        error: { reason: 'needs-manager-override' },
      });
      const approved = redeem('bag', offline(used));
      expect(approved.ok && approved.value).toMatchObject({
        mode: 'offline',
        override: { managerId: 'mgr-1', points: 150 },
      });
      used += 150;
    }
    // The fourth would take the total to 1,600 > 1,000 + 500: refused, even with a manager.
    const fourth = redeem('bag', offline(used));
    expect(fourth).toEqual({
      ok: false,
      error: {
        reason: 'over-offline-allowance',
        message:
          'Offline limit for this member reached: 1,450 of 1,500 points used since HQ became unreachable ("Bag for life" needs 150)',
        cost: 150,
        available: 50,
        // What the message names, for the counter to say it in the store's language.
        figures: { used: 1450, limit: 1500, reward: 'Bag for life', cost: 150 },
      },
    });
    expect(used).toBeLessThanOrEqual(offlinePeriodLimit(program, 1000));
  });

  it('counts only the part past the allowance as the override', () => {
    const r = redeem('five-off', offline(800));
    expect(r.ok && r.value.override).toEqual({ managerId: 'mgr-1', points: 300 });
  });

  it('stale: the halved allowance plus one override cap', () => {
    // 500 allowance + 500 cap; 600 used (100 of it already approved).
    const approved = redeem('bag', offline(600, 'stale'), 'mgr-1', 2);
    expect(approved.ok && approved.value.override?.points).toBe(300);
    expect(redeem('five-off', offline(600, 'stale'))).toMatchObject({
      ok: false,
      error: { reason: 'over-offline-allowance', available: 400 },
    });
  });

  it('says the limit is reached even once nothing is left', () => {
    const r = redeem('bag', offline(1500));
    expect(!r.ok && r.error.message).toBe(
      'Offline limit for this member reached: 1,500 of 1,500 points used since HQ became unreachable ("Bag for life" needs 150)',
    );
  });

  it('property: whatever is approved in a period, the total stays within the bound and the overrides within one cap', () => {
    const step = fc.record({
      rewardId: fc.constantFrom('ten-off', 'bag', 'five-off'),
      quantity: fc.integer({ min: 1, max: 4 }),
      manager: fc.boolean(),
      stale: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(step, { maxLength: 30 }),
        (allowance, steps) => {
          let used = 0;
          let overrides = 0;
          // The replica only ages: once stale it stays stale for the rest of the period.
          let mode: ReplicaMode = 'fresh';
          for (const s of steps) {
            if (s.stale) mode = 'stale';
            const state = offline(used, mode, allowance);
            const r = redeem(
              s.rewardId,
              state,
              s.manager ? 'mgr-1' : null,
              s.rewardId === 'bag' ? s.quantity : 1,
            );
            const bound = offlineBound(program, { mode, allowance, usedOffline: used });
            if (r.ok) {
              used += r.value.cost;
              overrides += r.value.override?.points ?? 0;
              // Only the manager lets a redemption past the allowance left.
              if (r.value.override) expect(s.manager).toBe(true);
            } else if (r.error.reason === 'over-offline-allowance') {
              // Refused only when it would really pass the bound.
              expect(used + (r.error.cost ?? 0)).toBeGreaterThan(bound.limit);
            }
          }
          expect(used).toBeLessThanOrEqual(offlinePeriodLimit(program, allowance));
          expect(overrides).toBeLessThanOrEqual(program.offline.managerOverrideCap);
        },
      ),
    );
  });
});

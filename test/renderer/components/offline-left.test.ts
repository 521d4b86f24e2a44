// What the counter shows against the offline bound: the running total left of the period's limit, and each
// reward's state when a manager's approval can only use what is left of the period's one override cap.
import { describe, expect, it } from 'vitest';
import type { OfflineBound } from '../../../src-shared/engine/offline-bound.js';
import type { Reward } from '../../../src-shared/program/schema.js';
import { offlineLeftText, rewardStateOffline } from '../../../src-renderer/components/rewards-overview.js';

const bag: Reward = {
  id: 'bag',
  label: 'Bag for life',
  kind: 'free-product',
  sku: 'bag',
  cost: 150,
  maxPerTransaction: 1,
  active: true,
};
const member = { tier: null };
// Allowance 1,000 and override cap 500; 850 used offline in this period.
const bound: OfflineBound = { allowance: 1000, limit: 1500, used: 850, left: 650, allowanceLeft: 150 };

describe('offlineLeftText', () => {
  it('says what is left of the limit for this member', () => {
    expect(offlineLeftText(bound)).toBe('Offline: 650 of 1,500 points left for this member');
    expect(offlineLeftText({ ...bound, used: 1500, left: 0, allowanceLeft: 0 })).toBe(
      'Offline: 0 of 1,500 points left for this member',
    );
  });
});

describe('rewardStateOffline', () => {
  it('online: the balance decides', () => {
    expect(rewardStateOffline({ ...bag, cost: 5000 }, member, 6000, null)).toEqual({ kind: 'available' });
  });

  it('within the allowance left, then a manager within what is left of the period, then nothing', () => {
    expect(rewardStateOffline(bag, member, 5000, bound)).toEqual({ kind: 'available' });
    const used = (n: number): OfflineBound => ({
      ...bound,
      used: n,
      left: Math.max(0, 1500 - n),
      allowanceLeft: Math.max(0, 1000 - n),
    });
    expect(rewardStateOffline(bag, member, 5000, used(1200))).toEqual({ kind: 'needs-manager' });
    expect(rewardStateOffline(bag, member, 5000, used(1350))).toEqual({ kind: 'needs-manager' });
    // 1,450 used: 50 left, a manager cannot approve another 150 this period.
    expect(rewardStateOffline(bag, member, 5000, used(1450))).toEqual({ kind: 'offline-limit' });
  });
});

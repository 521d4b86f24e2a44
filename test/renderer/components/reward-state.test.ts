// What the counter says about a reward: affordable, short of points, tier-only, and offline: within the
// allowance, needing a manager up to the override cap, or over the offline limit.
import { describe, expect, it } from 'vitest';
import type { Reward } from '../../../src-shared/program/schema.js';
import { rewardState, rewardStateText } from '../../../src-renderer/components/rewards-overview.js';

const reward: Reward = {
  id: 'ten-off',
  label: '10.00 EUR off',
  kind: 'fixed-discount',
  cost: 1000,
  amount: 1000,
  maxPerTransaction: 1,
  active: true,
};
const member = { tier: null };

describe('rewardState', () => {
  it('online: the balance decides', () => {
    expect(rewardState(reward, member, 1000, null, 500)).toEqual({ kind: 'available' });
    expect(rewardState(reward, member, 600, null, 500)).toEqual({ kind: 'short', missing: 400 });
    expect(rewardStateText({ kind: 'short', missing: 400 })).toBe('400 points more needed');
  });

  it('offline: the allowance, then a manager up to the cap', () => {
    expect(rewardState(reward, member, 2000, 1000, 500)).toEqual({ kind: 'available' });
    expect(rewardState(reward, member, 2000, 500, 500)).toEqual({ kind: 'needs-manager' });
    expect(rewardState(reward, member, 2000, 499, 500)).toEqual({ kind: 'offline-limit' });
    expect(rewardState(reward, member, 2000, 0, 0)).toEqual({ kind: 'offline-limit' });
  });

  it('tier-only rewards say which tiers, before any points are counted', () => {
    const gold = { ...reward, tiers: ['gold'] };
    expect(rewardState(gold, member, 2000, null, 500)).toEqual({ kind: 'tier-only', tiers: ['gold'] });
    // Short of points too: the tier is what stands in the way, not "400 points more needed".
    expect(rewardState(gold, { tier: 'silver' }, 600, null, 500)).toEqual({
      kind: 'tier-only',
      tiers: ['gold'],
    });
    expect(rewardState(gold, { tier: 'gold' }, 2000, null, 500)).toEqual({ kind: 'available' });
    expect(rewardState(gold, { tier: 'gold' }, 600, null, 500)).toEqual({ kind: 'short', missing: 400 });
    const label = (id: string) => ({ gold: 'Gold', platinum: 'Platinum' })[id] ?? id;
    expect(rewardStateText({ kind: 'tier-only', tiers: ['gold'] }, label)).toBe('Gold only');
    expect(rewardStateText({ kind: 'tier-only', tiers: ['gold', 'platinum'] }, label)).toBe(
      'Gold or Platinum only',
    );
  });
});

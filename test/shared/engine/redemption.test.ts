import { describe, it, expect } from 'vitest';
import { checkRedemption, type RedemptionInput } from '../../../src-shared/engine/redemption.js';
import type { OfflineState } from '../../../src-shared/engine/offline.js';
import { makeMember, makeProgram, WEDNESDAY } from './builders.js';
import { SILVER_GOLD_TIERS } from '../../support/events.js';

// managerOverrideCap 200, staleAllowancePercent 50
const program = makeProgram({
  tiers: SILVER_GOLD_TIERS,
  rewards: [
    {
      id: 'coffee',
      label: 'Free coffee',
      kind: 'free-product',
      sku: 'coffee-1',
      cost: 100,
      maxPerTransaction: 3,
    },
    { id: 'ten-off', label: '10.00 EUR off', kind: 'fixed-discount', amount: 1000, cost: 500 },
    { id: 'lounge', label: 'Lounge pass', kind: 'gift-card', amount: 2000, cost: 200, tiers: ['gold'] },
    { id: 'old', label: 'Old mug', kind: 'free-product', sku: 'mug', cost: 50, active: false },
  ],
});
const online: OfflineState = { online: true };
const member = makeMember({ balance: 1000, offlineAllowance: 300 });

const check = (over: Partial<RedemptionInput> = {}) =>
  checkRedemption({
    rewardId: 'coffee',
    quantity: 1,
    member,
    program,
    offline: online,
    at: WEDNESDAY,
    ...over,
  });
const refusal = (over: Partial<RedemptionInput> = {}) => {
  const r = check(over);
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
};
const approval = (over: Partial<RedemptionInput> = {}) => {
  const r = check(over);
  if (!r.ok) throw new Error(`expected an approval, got ${r.error.reason}: ${r.error.message}`);
  return r.value;
};

describe('checkRedemption refusals, in check order', () => {
  it('refuses an unknown reward', () => {
    expect(refusal({ rewardId: 'nope' })).toMatchObject({
      reason: 'reward-unknown',
      message: 'Unknown reward "nope"',
    });
  });

  it('refuses an inactive reward', () => {
    expect(refusal({ rewardId: 'old' })).toMatchObject({ reason: 'reward-inactive' });
  });

  it('refuses a blocked or closed member', () => {
    expect(refusal({ member: { ...member, status: 'blocked' } })).toMatchObject({
      reason: 'member-inactive',
      message: 'This member account is blocked: no redemption',
    });
    expect(refusal({ member: { ...member, status: 'closed' } }).reason).toBe('member-inactive');
    // Before the tier or the balance are looked at.
    expect(refusal({ rewardId: 'lounge', member: { ...member, status: 'blocked', balance: 0 } }).reason).toBe(
      'member-inactive',
    );
  });

  it('refuses a tier-only reward to other tiers and to members with no tier', () => {
    expect(refusal({ rewardId: 'lounge', member: { ...member, tier: 'silver' } })).toMatchObject({
      reason: 'tier-only',
      message: '"Lounge pass" is for Gold members only',
    });
    expect(refusal({ rewardId: 'lounge' }).reason).toBe('tier-only');
    expect(approval({ rewardId: 'lounge', member: { ...member, tier: 'gold' } }).cost).toBe(200);
  });

  it('refuses more than maxPerTransaction', () => {
    expect(refusal({ quantity: 4 })).toMatchObject({
      reason: 'over-transaction-limit',
      message: 'At most 3 × "Free coffee" per transaction',
    });
    expect(refusal({ rewardId: 'ten-off', quantity: 2 }).reason).toBe('over-transaction-limit'); // default 1
  });

  it('refuses when net points (balance − debt) are short, saying how short', () => {
    expect(refusal({ rewardId: 'ten-off', member: { ...member, balance: 320 } })).toEqual({
      reason: 'insufficient-points',
      message: 'Not enough points: needs 500, has 320',
      cost: 500,
      available: 320,
      figures: { cost: 500, available: 320 },
    });
    expect(refusal({ rewardId: 'ten-off', member: { ...member, balance: 600, debt: 200 } })).toMatchObject({
      reason: 'insufficient-points',
      available: 400,
    });
    // Checked before the offline policy: the cashier learns the real problem first.
    expect(
      refusal({
        quantity: 3,
        member: { ...member, balance: 250 },
        offline: { online: false, mode: 'expired', allowance: 300, usedOffline: 0 },
      }).reason,
    ).toBe('insufficient-points');
  });

  it('refuses any redemption offline with an expired replica: earn only', () => {
    expect(
      refusal({ offline: { online: false, mode: 'expired', allowance: 300, usedOffline: 0 } }),
    ).toMatchObject({
      reason: 'earn-only-mode',
      cost: 100,
      available: 0,
    });
  });

  it('asks for a manager above the offline allowance, up to the override cap', () => {
    // allowance 300, 150 used → 150 left; 3 coffees = 300: 150 above, within the cap of 200.
    expect(
      refusal({ quantity: 3, offline: { online: false, mode: 'fresh', allowance: 300, usedOffline: 150 } }),
    ).toEqual({
      reason: 'needs-manager-override',
      message: 'Offline limit is 150 points: a manager can approve the other 150 points',
      cost: 300,
      available: 150,
      figures: { allowanceLeft: 150, above: 150 },
    });
  });

  it('refuses beyond the allowance plus the override cap, even with a manager', () => {
    const stale: OfflineState = { online: false, mode: 'stale', allowance: 300, usedOffline: 0 }; // 150 + 200
    const big = { rewardId: 'ten-off', offline: stale };
    expect(refusal(big)).toMatchObject({ reason: 'over-offline-allowance', cost: 500, available: 350 });
    expect(refusal({ ...big, override: { managerId: 'mgr-1' } }).reason).toBe('over-offline-allowance');
    expect(refusal(big).message).toBe(
      'Offline limit for this member reached: 0 of 350 points used since HQ became unreachable ("10.00 EUR off" needs 500)',
    );
  });

  it('takes the allowance from the offline period, not from the member document', () => {
    // The member's current figure (300) is ignored: the period started with 100.
    const period: OfflineState = { online: false, mode: 'fresh', allowance: 100, usedOffline: 0 };
    expect(refusal({ quantity: 2, offline: period })).toMatchObject({
      reason: 'needs-manager-override',
      available: 100,
    });
  });
});

describe('checkRedemption approvals', () => {
  it('approves online with the total cost and no override', () => {
    expect(approval({ quantity: 2 })).toEqual({
      reward: program.rewards[0],
      quantity: 2,
      cost: 200,
      mode: 'online',
      override: null,
    });
  });

  it('approves online whatever the offline allowance, ignoring a manager override', () => {
    const m = { ...member, offlineAllowance: 0 };
    expect(approval({ rewardId: 'ten-off', member: m, override: { managerId: 'mgr-1' } })).toMatchObject({
      mode: 'online',
      override: null,
    });
  });

  it('approves offline within the allowance left', () => {
    expect(
      approval({ quantity: 3, offline: { online: false, mode: 'fresh', allowance: 300, usedOffline: 0 } }),
    ).toMatchObject({
      mode: 'offline',
      cost: 300,
      override: null,
    });
    expect(
      approval({ offline: { online: false, mode: 'stale', allowance: 300, usedOffline: 50 } }),
    ).toMatchObject({
      mode: 'offline',
      cost: 100,
    });
  });

  it('approves offline above the allowance with a manager, recording the points above', () => {
    const r = approval({
      quantity: 3,
      offline: { online: false, mode: 'fresh', allowance: 300, usedOffline: 150 },
      override: { managerId: 'mgr-1' },
    });
    expect(r).toMatchObject({ mode: 'offline', cost: 300, override: { managerId: 'mgr-1', points: 150 } });
    // Exactly at the cap: 100 available (stale 150 − 50 used), 300 cost, 200 above.
    const atCap = approval({
      quantity: 3,
      offline: { online: false, mode: 'stale', allowance: 300, usedOffline: 50 },
      override: { managerId: 'm' },
    });
    expect(atCap.override).toEqual({ managerId: 'm', points: 200 });
  });

  it('needs no override when the cost fits, even if a manager is present', () => {
    expect(
      approval({
        offline: { online: false, mode: 'fresh', allowance: 300, usedOffline: 0 },
        override: { managerId: 'mgr-1' },
      }).override,
    ).toBeNull();
  });

  it('rejects a quantity that is not a positive integer as a programming error', () => {
    expect(() => check({ quantity: 0 })).toThrow(RangeError);
    expect(() => check({ quantity: 1.5 })).toThrow(RangeError);
  });
});

// Segment rules on hand-built members: each threshold holds at its edge and a member just outside it is
// left out; the expiring segment agrees with the nightly job's rule (dueExpiry) about what lapses.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import { dueExpiry } from '../../../src-shared/engine/expiry.js';
import { cheapestReward, matchSegment, type SegmentMember } from '../../../src-shared/engagement/segments.js';
import type { Batch } from '../../../src-shared/ledger/member.js';
import { SILVER_GOLD_TIERS, testProgram } from '../../support/events.js';

const AT = Date.parse('2025-03-10T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const member = (over: Partial<SegmentMember> = {}): SegmentMember => ({
  status: 'active',
  balance: 320,
  debt: 0,
  tier: null,
  batches: [],
  lastActivityAt: null,
  enrolledAt: '2024-01-01T10:00:00.000Z',
  lastVisitAt: '2025-01-01T10:00:00.000Z',
  ...over,
});

const batch = (eventId: string, points: number, expiresAt: string | null, remaining = points): Batch => ({
  eventId,
  earnedAt: '2024-04-01T10:00:00.000Z',
  expiresAt,
  points,
  remaining,
});

describe('dormant', () => {
  const program = testProgram();
  const rule = { segment: 'dormant' as const, days: 60 };

  it('takes a member whose last visit is exactly the days ago, and not one a millisecond later', () => {
    const edge = matchSegment(rule, member({ lastVisitAt: iso(AT - 60 * DAY_MS) }), program, AT);
    expect(edge).toEqual({
      text: '320 points unused, last visit 2025-01-09 (60 days ago)',
      points: 320,
      date: '2025-01-09',
      rewardId: null,
    });
    expect(matchSegment(rule, member({ lastVisitAt: iso(AT - 60 * DAY_MS + 1) }), program, AT)).toBeNull();
  });

  it('needs points to spend (net of debt) and an active member', () => {
    const old = iso(AT - 100 * DAY_MS);
    expect(matchSegment(rule, member({ lastVisitAt: old, balance: 0 }), program, AT)).toBeNull();
    expect(matchSegment(rule, member({ lastVisitAt: old, balance: 50, debt: 50 }), program, AT)).toBeNull();
    expect(matchSegment(rule, member({ lastVisitAt: old, status: 'blocked' }), program, AT)).toBeNull();
    expect(matchSegment(rule, member({ lastVisitAt: old, balance: 51, debt: 50 }), program, AT)?.points).toBe(
      1,
    );
  });

  it('counts from the enrolment when the member never visited a store, 90 days by default', () => {
    const never = member({ lastVisitAt: null, enrolledAt: iso(AT - 90 * DAY_MS) });
    expect(matchSegment({ segment: 'dormant' }, never, program, AT)?.date).toBe('2024-12-10');
    expect(
      matchSegment({ segment: 'dormant' }, { ...never, enrolledAt: iso(AT - 89 * DAY_MS) }, program, AT),
    ).toBeNull();
  });
});

describe('expiring', () => {
  const rolling = testProgram({ expiry: { mode: 'rolling', months: 12 } });
  const rule = { segment: 'expiring' as const, days: 30 };

  it('counts the rolling batches that lapse by the horizon, to the millisecond', () => {
    const horizon = AT + 30 * DAY_MS;
    const m = member({
      balance: 500,
      batches: [
        batch('e1', 120, iso(AT + 5 * DAY_MS)),
        batch('e2', 200, iso(horizon)),
        batch('e3', 180, iso(horizon + 1)),
      ],
    });
    expect(matchSegment(rule, m, rolling, AT)).toEqual({
      text: '320 points expire between 2025-03-15 and 2025-04-09',
      points: 320,
      date: '2025-03-15',
      rewardId: null,
    });
    // Only the batch a millisecond past the horizon: not in the segment.
    const outside = member({ balance: 180, batches: [batch('e3', 180, iso(horizon + 1))] });
    expect(matchSegment(rule, outside, rolling, AT)).toBeNull();
  });

  it('leaves out spent batches and those earned without expiry, and names one date when there is one', () => {
    const m = member({
      balance: 70,
      batches: [
        batch('spent', 100, iso(AT + DAY_MS), 0),
        batch('forever', 30, null),
        batch('soon', 40, '2025-03-31T22:30:00.000Z'),
      ],
    });
    // 22:30 UTC on 31 March is 1 April in Paris: the program's local date.
    expect(matchSegment(rule, m, rolling, AT)?.text).toBe('40 points expire on 2025-04-01');
  });

  it('agrees with the nightly job: what it says lapses by the horizon is what dueExpiry expires then', () => {
    const m = member({
      balance: 500,
      batches: [
        batch('e1', 120, iso(AT + 5 * DAY_MS)),
        batch('e2', 200, iso(AT + 30 * DAY_MS)),
        batch('e3', 180, iso(AT + 31 * DAY_MS)),
      ],
    });
    const reason = matchSegment(rule, m, rolling, AT);
    expect(reason?.points).toBe(dueExpiry(m, rolling, AT + 30 * DAY_MS)?.points);
  });

  it('takes the whole balance under inactivity expiry when the deadline falls by the horizon', () => {
    const inactivity = testProgram({ expiry: { mode: 'inactivity', months: 6 } });
    // Last activity 2024-10-09T12:00Z + 6 months = 2025-04-09T12:00Z = AT + 30 days: in.
    const edge = member({ lastActivityAt: '2024-10-09T12:00:00.000Z' });
    expect(matchSegment(rule, edge, inactivity, AT)).toMatchObject({ points: 320, date: '2025-04-09' });
    expect(
      matchSegment(rule, member({ lastActivityAt: '2024-10-09T12:00:00.001Z' }), inactivity, AT),
    ).toBeNull();
  });

  it('finds nothing under a program without expiry', () => {
    const m = member({ batches: [batch('e1', 320, iso(AT + DAY_MS))] });
    expect(matchSegment(rule, m, testProgram(), AT)).toBeNull();
  });
});

describe('near-reward', () => {
  const rewards = [
    { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'C', cost: 250 },
    { id: 'cake', label: 'Cake', kind: 'free-product', sku: 'K', cost: 200, active: false },
    { id: 'gold-gift', label: 'Gold gift', kind: 'free-product', sku: 'G', cost: 100, tiers: ['gold'] },
    { id: 'bag', label: 'Bag', kind: 'free-product', sku: 'B', cost: 1000 },
  ] as const;
  const program = testProgram({
    tiers: SILVER_GOLD_TIERS,
    rewards: rewards.map((r) => ({ ...r })) as never,
  });

  it('measures against the cheapest reward the member may redeem (active, their tier)', () => {
    expect(cheapestReward({ tier: null }, program.rewards)?.id).toBe('coffee');
    expect(cheapestReward({ tier: 'gold' }, program.rewards)?.id).toBe('gold-gift');
  });

  it('is within X points: at X short yes, at X + 1 short no', () => {
    const rule = { segment: 'near-reward' as const, withinPoints: 50 };
    expect(matchSegment(rule, member({ balance: 200 }), program, AT)).toEqual({
      text: '50 points from "Free coffee" (250 points)',
      points: 50,
      date: null,
      rewardId: 'coffee',
    });
    expect(matchSegment(rule, member({ balance: 199 }), program, AT)).toBeNull();
    // Enough for it already: not "one reward away".
    expect(matchSegment(rule, member({ balance: 250 }), program, AT)).toBeNull();
  });

  it('is within Y percent of the cost: 10 % of 250 is 25 points', () => {
    const rule = { segment: 'near-reward' as const, withinPercent: 10 };
    expect(matchSegment(rule, member({ balance: 225 }), program, AT)?.points).toBe(25);
    expect(matchSegment(rule, member({ balance: 224 }), program, AT)).toBeNull();
    // Neither bound given: 10 % by default.
    expect(matchSegment({ segment: 'near-reward' }, member({ balance: 225 }), program, AT)).not.toBeNull();
    expect(matchSegment({ segment: 'near-reward' }, member({ balance: 224 }), program, AT)).toBeNull();
  });

  it('takes either bound when both are given', () => {
    const rule = { segment: 'near-reward' as const, withinPoints: 10, withinPercent: 20 };
    expect(matchSegment(rule, member({ balance: 200 }), program, AT)?.points).toBe(50);
    expect(matchSegment(rule, member({ balance: 199 }), program, AT)).toBeNull();
  });

  it('a gold member is measured against the gold gift', () => {
    const rule = { segment: 'near-reward' as const, withinPoints: 10 };
    expect(matchSegment(rule, member({ balance: 90, tier: 'gold' }), program, AT)?.rewardId).toBe(
      'gold-gift',
    );
    expect(matchSegment(rule, member({ balance: 90, tier: 'silver' }), program, AT)).toBeNull();
  });
});

// The ROI method (src-shared/reports/roi.ts): its identities hold for any figures (properties), and its
// pieces on worked examples: reward values, visit rates, the break-even share.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAYS_PER_MONTH,
  DEFAULT_ROI_ASSUMPTIONS,
  programRoi,
  rewardCostKind,
  rewardValue,
  roiAssumptionsSchema,
  visitsPerMonth,
  type RoiAssumptions,
  type RoiFacts,
} from '../../../src-shared/reports/roi.js';

const money = fc.integer({ min: 0, max: 10_000_000 });
const small = fc.integer({ min: 0, max: 100_000 });
const frequency = fc.record({ members: small, visits: small, memberDays: small, spend: money });

const facts: fc.Arbitrary<RoiFacts> = fc
  .record({
    issued: small,
    redeemed: small,
    expired: small,
    products: money,
    discounts: money,
    giftCards: money,
    donations: money,
    other: money,
    planFees: money,
    planJoins: small,
    spend: money,
    visits: small,
    days: fc.integer({ min: 1, max: 732 }),
    all: frequency,
  })
  .map((f) => ({
    currency: 'EUR',
    pointValue: { points: 100, value: 100 },
    days: f.days,
    points: { issued: f.issued, redeemed: f.redeemed, expired: f.expired },
    pointsMoney: { issued: f.issued, redeemed: f.redeemed, expired: f.expired },
    rewardsFaceValue: {
      products: f.products,
      discounts: f.discounts,
      giftCards: f.giftCards,
      donations: f.donations,
      other: f.other,
    },
    planFees: f.planFees,
    planJoins: f.planJoins,
    spend: f.spend,
    visits: f.visits,
    all: f.all,
    cohorts: [],
    tiers: [],
    firstReward: { members: 0, before: f.all, after: f.all },
  }));

const assumptions: fc.Arbitrary<RoiAssumptions> = fc.record({
  grossMarginPercent: fc.integer({ min: 0, max: 100 }),
  method: fc.constantFrom('incremental-share' as const, 'baseline-visits' as const),
  incrementalSharePercent: fc.integer({ min: 0, max: 100 }),
  baselineVisitsPerMonth: fc.double({ min: 0, max: 20, noNaN: true }),
  expectedBreakagePercent: fc.integer({ min: 0, max: 100 }),
  fixedCostPerMonth: money,
});

describe('programRoi', () => {
  it('adds up: cost = rewards + liability change + fixed, net = benefit − cost, ROI = net / cost', () => {
    fc.assert(
      fc.property(facts, assumptions, (f, a) => {
        const r = programRoi(f, a);
        expect(r.cost.total).toBe(r.cost.rewards.total + r.cost.liabilityChange + r.cost.fixed);
        expect(r.cost.rewards.total).toBe(
          r.cost.rewards.products +
            r.cost.rewards.discounts +
            r.cost.rewards.giftCards +
            r.cost.rewards.donations +
            r.cost.rewards.other,
        );
        expect(r.benefit.total).toBe(r.benefit.incrementalMargin + f.planFees);
        expect(r.net).toBe(r.benefit.total - r.cost.total);
        if (r.cost.total > 0) expect(r.roiPercent).toBeCloseTo((r.net / r.cost.total) * 100, 1);
        else expect(r.roiPercent).toBeNull();
        expect(r.assumptions).toEqual(a);
        expect(r.facts).toBe(f);
      }),
    );
  });

  it('is the brief’s formula when rewards cost their points’ value: (issued − expired) at the point value', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const atPointValue: RoiFacts = {
          ...f,
          rewardsFaceValue: {
            products: 0,
            discounts: f.pointsMoney.redeemed,
            giftCards: 0,
            donations: 0,
            other: 0,
          },
        };
        const r = programRoi(atPointValue, { ...DEFAULT_ROI_ASSUMPTIONS, expectedBreakagePercent: 0 });
        expect(r.cost.total).toBe(f.pointsMoney.issued - f.pointsMoney.expired);
        expect(r.cost.breakage).toBe(f.pointsMoney.expired);
      }),
    );
  });

  it('never gains from a lower margin or a smaller incremental share, nor loses from a higher one', () => {
    fc.assert(
      fc.property(facts, assumptions, fc.integer({ min: 0, max: 100 }), (f, a, more) => {
        const low = programRoi(f, { ...a, method: 'incremental-share' });
        const share = Math.max(a.incrementalSharePercent, more);
        const high = programRoi(f, { ...a, method: 'incremental-share', incrementalSharePercent: share });
        expect(high.benefit.incrementalSpend).toBeGreaterThanOrEqual(low.benefit.incrementalSpend);
        const baseline = programRoi(f, { ...a, method: 'baseline-visits' });
        const noBaseline = programRoi(f, { ...a, method: 'baseline-visits', baselineVisitsPerMonth: 0 });
        expect(noBaseline.benefit.incrementalSpend).toBeGreaterThanOrEqual(baseline.benefit.incrementalSpend);
      }),
    );
  });

  it('breaks even at the break-even share', () => {
    const spending = fc.record({ f: facts, spend: fc.integer({ min: 100_000, max: 10_000_000 }) });
    const margins = fc.record({ a: assumptions, margin: fc.integer({ min: 10, max: 100 }) });
    fc.assert(
      fc.property(spending, margins, ({ f: base, spend }, { a: given, margin }) => {
        const f = { ...base, spend };
        const a = { ...given, method: 'incremental-share' as const, grossMarginPercent: margin };
        const share = programRoi(f, a).breakEvenSharePercent;
        fc.pre(share !== null && share > 0);
        const even = programRoi(f, { ...a, incrementalSharePercent: share });
        // Within the rounding of the share to 0.01 % and of money to minor units.
        expect(Math.abs(even.net)).toBeLessThanOrEqual(spend * 0.0001 + 2);
      }),
    );
  });

  it('works a small program through by hand', () => {
    const f: RoiFacts = {
      currency: 'EUR',
      pointValue: { points: 100, value: 100 },
      days: 61,
      points: { issued: 10_000, redeemed: 6_000, expired: 1_000 },
      pointsMoney: { issued: 10_000, redeemed: 6_000, expired: 1_000 },
      rewardsFaceValue: { products: 2_000, discounts: 3_000, giftCards: 500, donations: 500, other: 0 },
      planFees: 1_000,
      planJoins: 2,
      spend: 1_000_000,
      visits: 400,
      all: { members: 100, visits: 400, memberDays: 6_087, spend: 1_000_000 },
      cohorts: [{ cohort: '2025-01', members: 100, visits: 400, memberDays: 6_087, spend: 1_000_000 }],
      tiers: [
        { tier: null, label: 'No tier', members: 100, visits: 400, memberDays: 6_087, spend: 1_000_000 },
      ],
      firstReward: {
        members: 10,
        before: { members: 10, visits: 10, memberDays: 304, spend: 0 },
        after: { members: 10, visits: 20, memberDays: 304, spend: 0 },
      },
    };
    const r = programRoi(f, {
      ...DEFAULT_ROI_ASSUMPTIONS,
      grossMarginPercent: 30,
      incrementalSharePercent: 10,
      expectedBreakagePercent: 20,
      fixedCostPerMonth: 1_000,
    });
    // Products at cost price (70 % of 2,000); liability up 3,000, 20 % of it expected to lapse.
    expect(r.cost.rewards).toEqual({
      products: 1_400,
      discounts: 3_000,
      giftCards: 500,
      donations: 500,
      other: 0,
      total: 5_400,
    });
    expect(r.cost.liabilityChange).toBe(2_400);
    expect(r.cost.fixed).toBe(Math.round((1_000 * 61) / DAYS_PER_MONTH)); // 2,004
    expect(r.cost.total).toBe(5_400 + 2_400 + 2_004);
    // 10 % of 10,000.00 is incremental, at 30 % margin: 300.00; plus 10.00 of fees.
    expect(r.benefit).toEqual({
      averageBasket: 2_500,
      incrementalSpend: 100_000,
      incrementalMargin: 30_000,
      planFees: 1_000,
      total: 31_000,
    });
    expect(r.net).toBe(31_000 - 9_804);
    expect(r.roiPercent).toBe(216.2);
    expect(r.breakEvenSharePercent).toBe(2.93); // (9,804 − 1,000) / (1,000,000 × 0.3)
    expect(r.frequency.all).toBe(2); // 400 visits over 6,087 member-days = 200 member-months
    expect(r.frequency.firstReward).toEqual({ members: 10, before: 1, after: 2 });
    expect(r.frequency.cohorts).toEqual([
      { cohort: '2025-01', members: 100, visitsPerMonth: 2, spendPerMember: 10_000 },
    ]);
    // Baseline: 1.5 visits a month would have happened anyway over 200 member-months: 100 of 400 are extra.
    const baseline = programRoi(f, {
      ...DEFAULT_ROI_ASSUMPTIONS,
      method: 'baseline-visits',
      baselineVisitsPerMonth: 1.5,
    });
    expect(baseline.benefit.incrementalSpend).toBeCloseTo(100 * 2_500, -3);
  });

  it('releases a falling liability in full and has no ROI when nothing cost anything', () => {
    const f: RoiFacts = {
      currency: 'EUR',
      pointValue: { points: 1, value: 1 },
      days: 30,
      points: { issued: 0, redeemed: 500, expired: 0 },
      pointsMoney: { issued: 0, redeemed: 500, expired: 0 },
      rewardsFaceValue: { products: 0, discounts: 500, giftCards: 0, donations: 0, other: 0 },
      planFees: 0,
      planJoins: 0,
      spend: 0,
      visits: 0,
      all: { members: 0, visits: 0, memberDays: 0, spend: 0 },
      cohorts: [],
      tiers: [],
      firstReward: {
        members: 0,
        before: { members: 0, visits: 0, memberDays: 0, spend: 0 },
        after: { members: 0, visits: 0, memberDays: 0, spend: 0 },
      },
    };
    const r = programRoi(f, { ...DEFAULT_ROI_ASSUMPTIONS, expectedBreakagePercent: 50 });
    expect(r.cost.liabilityChange).toBe(-500);
    expect(r.cost.total).toBe(0);
    expect(r.roiPercent).toBeNull();
    expect(r.breakEvenSharePercent).toBeNull();
    expect(r.benefit.averageBasket).toBeNull();
    expect(r.frequency.all).toBeNull();
  });
});

describe('rewardValue and its cost line', () => {
  it('values each kind of reward', () => {
    expect(rewardValue({ kind: 'free-product', price: 280 }, 2, 99)).toBe(560);
    expect(rewardValue({ kind: 'free-product', price: null }, 2, 99)).toBe(99);
    expect(rewardValue({ kind: 'fixed-discount', amount: 500 }, 3, 1)).toBe(1_500);
    expect(rewardValue({ kind: 'gift-card', amount: 1_000 }, 1, 1)).toBe(1_000);
    expect(rewardValue({ kind: 'donation', amount: 200 }, 2, 1)).toBe(400);
    expect(rewardValue({ kind: 'percent-discount', cap: 1_000 }, 1, 300)).toBe(300);
    expect(rewardValue({ kind: 'percent-discount', cap: 100 }, 2, 300)).toBe(200);
    expect(rewardValue(null, 1, 42)).toBe(42);
    expect(
      ['free-product', 'fixed-discount', 'percent-discount', 'gift-card', 'donation', null].map(
        rewardCostKind,
      ),
    ).toEqual(['products', 'discounts', 'discounts', 'giftCards', 'donations', 'other']);
  });
});

describe('assumptions and rates', () => {
  it('defaults every assumption and takes them from a query string', () => {
    expect(DEFAULT_ROI_ASSUMPTIONS).toEqual({
      grossMarginPercent: 30,
      method: 'incremental-share',
      incrementalSharePercent: 10,
      baselineVisitsPerMonth: 2,
      expectedBreakagePercent: 0,
      fixedCostPerMonth: 0,
    });
    expect(
      roiAssumptionsSchema.parse({ grossMarginPercent: '45.5', fixedCostPerMonth: '1200' }),
    ).toMatchObject({
      grossMarginPercent: 45.5,
      fixedCostPerMonth: 1_200,
    });
    expect(roiAssumptionsSchema.safeParse({ grossMarginPercent: '101' }).success).toBe(false);
    expect(roiAssumptionsSchema.safeParse({ method: 'magic' }).success).toBe(false);
    expect(roiAssumptionsSchema.safeParse({ fixedCostPerMonth: '1.5' }).success).toBe(false);
  });

  it('turns visits and member-days into visits per member-month', () => {
    expect(visitsPerMonth({ visits: 3, memberDays: DAYS_PER_MONTH })).toBe(3);
    expect(visitsPerMonth({ visits: 1, memberDays: 3 * DAYS_PER_MONTH })).toBe(0.33);
    expect(visitsPerMonth({ visits: 5, memberDays: 0 })).toBeNull();
  });
});

// Random programs, members and baskets for the engine's property tests (the earn quote, returns): one
// generator of each, shared so every property runs over the same shapes.
import fc from 'fast-check';
import type { Basket, BasketLine } from '../../../src-shared/engine/basket.js';
import type { QuoteMember } from '../../../src-shared/engine/conditions.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { makeProgram, type RuleInput } from './builders.js';

export const CATEGORIES = ['coffee', 'tea', 'food', 'fruit', 'toys', 'tobacco'];
export const SKUS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'];

const subset = <T>(pool: readonly T[]) => fc.subarray([...pool], { minLength: 1 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const scopeArb = maybe(
  fc.record(
    {
      categories: subset(CATEGORIES),
      skus: subset(SKUS),
      excludeCategories: subset(CATEGORIES),
      excludeSkus: subset(SKUS),
    },
    { requiredKeys: [] },
  ),
);

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

const conditionsArb = (withMinBasket: boolean) =>
  maybe(
    fc.record(
      {
        daysOfWeek: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        timeWindow: fc.record({ from: hhmm, to: hhmm }),
        tiers: fc.constantFrom(['gold'], ['silver', 'gold']).map((t) => [...t]),
        firstPurchase: fc.constant(true as const),
        birthdayMonth: fc.constant(true as const),
        ...(withMinBasket ? { minBasket: fc.integer({ min: 0, max: 20_000 }) } : {}),
      },
      { requiredKeys: [] },
    ),
  );

type RuleShape = Omit<RuleInput, 'id' | 'label'>;
const ruleArb = (withMinBasket: boolean, withFixedBonus: boolean): fc.Arbitrary<RuleShape> => {
  const common = { scope: scopeArb, conditions: conditionsArb(withMinBasket) };
  const kinds: fc.Arbitrary<RuleShape>[] = [
    fc.record({
      kind: fc.constant('per-amount' as const),
      points: fc.integer({ min: 1, max: 10 }),
      per: fc.integer({ min: 1, max: 1000 }),
      ...common,
    }),
    fc.record({ kind: fc.constant('per-item' as const), points: fc.integer({ min: 1, max: 10 }), ...common }),
    fc.record({
      kind: fc.constant('per-visit' as const),
      points: fc.integer({ min: 1, max: 100 }),
      ...common,
    }),
    fc.record({
      kind: fc.constant('multiplier' as const),
      factor: fc.integer({ min: 100, max: 500 }).map((h) => h / 100),
      ...common,
    }),
  ];
  if (withFixedBonus)
    kinds.push(
      fc.record({
        kind: fc.constant('fixed-bonus' as const),
        points: fc.integer({ min: 1, max: 100 }),
        minQuantity: fc.integer({ min: 1, max: 10 }),
        ...common,
      }),
    );
  return fc.oneof(...kinds);
};

export const programArb = (
  options: { minBasket?: boolean; fixedBonus?: boolean } = {},
): fc.Arbitrary<Program> =>
  fc
    .record({
      rules: fc.array(ruleArb(options.minBasket ?? true, options.fixedBonus ?? true), {
        minLength: 1,
        maxLength: 12,
      }),
      rounding: fc.constantFrom('floor' as const, 'round' as const, 'ceil' as const),
      stacking: fc.constantFrom('add' as const, 'highest' as const),
      excludedSkus: subset(SKUS.slice(6)),
      goldFactor: fc.integer({ min: 100, max: 300 }).map((h) => h / 100),
      planFactor: fc.integer({ min: 100, max: 300 }).map((h) => h / 100),
      referral: fc.integer({ min: 0, max: 100 }),
    })
    .map((p) =>
      makeProgram({
        rounding: p.rounding,
        earning: {
          multiplierStacking: p.stacking,
          excluded: { categories: ['tobacco'], skus: p.excludedSkus },
        },
        rules: p.rules.map((r, i) => ({ ...r, id: `r${i}`, label: `Rule ${i}` }) as RuleInput),
        tiers: {
          basis: 'points',
          windowMonths: 12,
          levels: [
            { id: 'silver', label: 'Silver', threshold: 0 },
            { id: 'gold', label: 'Gold', threshold: 100, multiplier: p.goldFactor },
          ],
        },
        plans: [{ id: 'plus', label: 'Plus', fee: 0, durationDays: 30, multiplier: p.planFactor }],
        bonuses: { referral: { referrer: 10, newMember: p.referral } },
      }),
    );

export const lineArb: fc.Arbitrary<BasketLine> = fc
  .record({
    sku: fc.constantFrom(...SKUS),
    category: fc.constantFrom(...CATEGORIES.slice(0, 5)),
    quantity: fc.integer({ min: 1, max: 20 }),
    unitPrice: fc.integer({ min: 0, max: 5000 }),
    discountShare: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ discountShare, ...l }) => ({
    ...l,
    discount: Math.floor((l.quantity * l.unitPrice * discountShare) / 400),
  }));

export const basketArb: fc.Arbitrary<Basket> = fc
  .array(lineArb, { maxLength: 15 })
  .map((lines) => ({ currency: 'EUR', lines }));

export const memberArb: fc.Arbitrary<QuoteMember> = fc.record({
  tier: fc.constantFrom(null, 'silver', 'gold'),
  birthMonth: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
  purchases: fc.integer({ min: 0, max: 2 }),
  plan: fc.option(
    fc.record({
      id: fc.constantFrom('plus', 'other'),
      until: fc.constantFrom('2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'),
    }),
    { nil: null },
  ),
  referredBy: fc.constantFrom(null, 'm-0'),
});

// All of 2026, so plans run out, days, hours and months vary.
export const atArb = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) });

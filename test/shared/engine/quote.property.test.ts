// Properties of the earn quote over random programs, members and baskets, plus a plain re-statement of
// the stacking rules (the reference below) that the optimised quote must agree with.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { divide } from '../../../src-shared/kernel/money.js';
import {
  inScope,
  isExcluded,
  lineTotal,
  type Basket,
  type BasketLine,
} from '../../../src-shared/engine/basket.js';
import { conditionsHold, type QuoteMember } from '../../../src-shared/engine/conditions.js';
import { quote } from '../../../src-shared/engine/quote.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { type RuleInput } from './builders.js';
import { SKUS, atArb, basketArb, memberArb, programArb } from './arbitraries.js';

/** The stacking rules of program/schema.ts written plainly, one line and one rule at a time. */
function reference(b: Basket, m: QuoteMember, p: Program, at: number): number {
  const eligibleLines = b.lines.filter((l) => !isExcluded(l, p));
  const basketEligible = eligibleLines.reduce((s, l) => s + lineTotal(l), 0);
  const holds = (r: RuleInput | Program['earning']['rules'][number]) =>
    conditionsHold(r.conditions, { at, timeZone: p.timeZone, basketEligible, member: m });
  const rules = p.earning.rules;
  const bases = rules.filter((r) => (r.kind === 'per-amount' || r.kind === 'per-item') && holds(r));
  type Mult = { f: number; covers: (l: BasketLine) => boolean };
  const mults: Mult[] = [];
  for (const r of rules)
    if (r.kind === 'multiplier' && holds(r))
      mults.push({ f: Math.round(r.factor * 100), covers: (l) => inScope(l, r.scope) });
  const tier = p.tiers?.levels.find((t) => t.id === m.tier);
  if (tier && tier.multiplier > 1) mults.push({ f: Math.round(tier.multiplier * 100), covers: () => true });
  const plan = m.plan && Date.parse(m.plan.until) > at ? p.plans.find((x) => x.id === m.plan?.id) : undefined;
  if (plan && plan.multiplier > 1) mults.push({ f: Math.round(plan.multiplier * 100), covers: () => true });
  const winner = (l: BasketLine): Mult | undefined => {
    let best: Mult | undefined;
    for (const x of mults) if (x.covers(l) && (!best || x.f > best.f)) best = x;
    return best;
  };
  let points = 0;
  const fired = bases.filter((r) => {
    const lines = eligibleLines.filter((l) => inScope(l, r.scope));
    const earned =
      r.kind === 'per-amount'
        ? divide(lines.reduce((s, l) => s + lineTotal(l), 0) * r.points, r.per, p.rounding)
        : r.kind === 'per-item'
          ? lines.reduce((s, l) => s + l.quantity, 0) * r.points
          : 0;
    points += earned;
    return earned > 0;
  });
  for (const x of mults) {
    for (const r of fired) {
      const lines = eligibleLines.filter(
        (l) =>
          inScope(l, r.scope) && x.covers(l) && (p.earning.multiplierStacking === 'add' || winner(l) === x),
      );
      if (r.kind === 'per-amount')
        points += divide(
          lines.reduce((s, l) => s + lineTotal(l), 0) * r.points * (x.f - 100),
          r.per * 100,
          p.rounding,
        );
      else if (r.kind === 'per-item')
        points += divide(lines.reduce((s, l) => s + l.quantity, 0) * r.points * (x.f - 100), 100, p.rounding);
    }
  }
  for (const r of rules) {
    if (!holds(r)) continue;
    const lines = eligibleLines.filter((l) => inScope(l, r.scope));
    if (r.kind === 'per-visit' && lines.length > 0) points += r.points;
    if (r.kind === 'fixed-bonus' && lines.reduce((s, l) => s + l.quantity, 0) >= r.minQuantity)
      points += r.points;
  }
  const referral = p.bonuses.referral?.newMember ?? 0;
  if (m.referredBy && m.purchases === 0 && referral > 0) points += referral;
  return points;
}

const runs = { numRuns: 300 };

describe('quote properties', () => {
  it('agrees with the plain statement of the stacking rules', () => {
    fc.assert(
      fc.property(programArb(), basketArb, memberArb, atArb, (p, b, m, at) => {
        expect(quote(b, m, p, at).points).toBe(reference(b, m, p, at));
      }),
      runs,
    );
  });

  it('gives a non-negative integer equal to the sum of its explanation lines, each positive', () => {
    fc.assert(
      fc.property(programArb(), basketArb, memberArb, atArb, (p, b, m, at) => {
        const q = quote(b, m, p, at);
        expect(Number.isSafeInteger(q.points) && q.points >= 0).toBe(true);
        expect(q.points).toBe(q.explanation.reduce((s, l) => s + l.points, 0));
        for (const l of q.explanation) expect(Number.isInteger(l.points) && l.points > 0).toBe(true);
        expect(q.summary.eligible).toBeLessThanOrEqual(q.summary.total);
      }),
      runs,
    );
  });

  it('never changes the points when an excluded line is added', () => {
    const excludedLine = fc.record({
      sku: fc.constantFrom(...SKUS),
      category: fc.constant('tobacco'),
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPrice: fc.integer({ min: 0, max: 5000 }),
      discount: fc.constant(0),
    });
    fc.assert(
      fc.property(
        programArb(),
        basketArb,
        memberArb,
        atArb,
        excludedLine,
        fc.nat(),
        (p, b, m, at, extra, pos) => {
          const before = quote(b, m, p, at);
          const lines = [...b.lines];
          lines.splice(pos % (lines.length + 1), 0, extra);
          const after = quote({ ...b, lines }, m, p, at);
          expect(after.points).toBe(before.points);
          expect(after.explanation).toEqual(before.explanation);
          expect(after.summary.eligible).toBe(before.summary.eligible);
        },
      ),
      runs,
    );
  });

  it('is monotone in quantity when no rule has minBasket or a fixed bonus', () => {
    fc.assert(
      fc.property(
        programArb({ minBasket: false, fixedBonus: false }),
        basketArb.filter((b) => b.lines.length > 0),
        memberArb,
        atArb,
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        (p, b, m, at, pick, more) => {
          const i = pick % b.lines.length;
          const lines = b.lines.map((l, j) => (j === i ? { ...l, quantity: l.quantity + more } : l));
          expect(quote({ ...b, lines }, m, p, at).points).toBeGreaterThanOrEqual(quote(b, m, p, at).points);
        },
      ),
      runs,
    );
  });

  it("earns at least as much with 'add' stacking as with 'highest'", () => {
    fc.assert(
      fc.property(programArb(), basketArb, memberArb, atArb, (p, b, m, at) => {
        const add = { ...p, earning: { ...p.earning, multiplierStacking: 'add' as const } };
        const highest = { ...p, earning: { ...p.earning, multiplierStacking: 'highest' as const } };
        expect(quote(b, m, add, at).points).toBeGreaterThanOrEqual(quote(b, m, highest, at).points);
      }),
      runs,
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(programArb(), basketArb, memberArb, atArb, (p, b, m, at) => {
        const reversed = { ...b, lines: [...b.lines].reverse() };
        expect(quote(reversed, m, p, at).points).toBe(quote(b, m, p, at).points);
      }),
      runs,
    );
  });
});

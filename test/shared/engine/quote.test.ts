import { describe, it, expect } from 'vitest';
import { earnsNothing, formatFactor, mulDivide, quote } from '../../../src-shared/engine/quote.js';
import {
  basket,
  line,
  makeProgram,
  perEuro,
  quoteMember,
  SATURDAY,
  WEDNESDAY,
  type RuleInput,
} from './builders.js';

const member = quoteMember();
const byRule = (q: ReturnType<typeof quote>) =>
  Object.fromEntries(q.explanation.map((l) => [l.ruleId, l.points]));
const sumOf = (q: ReturnType<typeof quote>) => q.explanation.reduce((s, l) => s + l.points, 0);

const double: RuleInput = { id: 'double', label: 'Double points', kind: 'multiplier', factor: 2 };
const triple: RuleInput = {
  id: 'triple-coffee',
  label: 'Coffee ×3',
  kind: 'multiplier',
  factor: 3,
  scope: { categories: ['coffee'] },
};

describe('quote: base rules', () => {
  it('earns per amount, with a cashier-readable explanation and a basket summary', () => {
    const q = quote(basket(line('food', 1250)), member, makeProgram(), WEDNESDAY);
    expect(q.points).toBe(12);
    expect(q.explanation).toEqual([
      { ruleId: 'base', label: 'Base points', points: 12, detail: '1 pt per 1.00 EUR on 12.50 EUR' },
    ]);
    expect(q.summary).toEqual({ currency: 'EUR', total: 1250, eligible: 1250, lines: 1, items: 1 });
  });

  it('applies line discounts and sums the in-scope lines before rounding (once per rule)', () => {
    // 3 × 0.99 = 2.97 each rule total, not per line: 3 lines of 99 cents earn 2, not 0.
    const b = basket(
      line('food', 99),
      line('food', 99),
      line('food', 99),
      line('food', 500, 2, { discount: 100 }),
    );
    expect(quote(b, member, makeProgram(), WEDNESDAY).points).toBe(11); // 297 + 900 = 11.97
  });

  it('rounds with the program rounding: floor, round (half up), ceil', () => {
    const rounding = (r: 'floor' | 'round' | 'ceil', cents: number) =>
      quote(basket(line('food', cents)), member, makeProgram({ rounding: r }), WEDNESDAY).points;
    expect([rounding('floor', 1250), rounding('round', 1250), rounding('ceil', 1250)]).toEqual([12, 13, 13]);
    expect([rounding('floor', 1240), rounding('round', 1240), rounding('ceil', 1240)]).toEqual([12, 12, 13]);
    expect([rounding('floor', 1200), rounding('round', 1200), rounding('ceil', 1200)]).toEqual([12, 12, 12]);
  });

  it('earns per amount at any rate: 5 points per 2.00', () => {
    const p = makeProgram({ rules: [{ id: 'r', label: 'Rate', kind: 'per-amount', points: 5, per: 200 }] });
    const q = quote(basket(line('food', 1999)), member, p, WEDNESDAY);
    expect(q.points).toBe(49); // 1999 × 5 / 200 = 49.975
    expect(q.explanation[0]?.detail).toBe('5 pts per 2.00 EUR on 19.99 EUR');
  });

  it('earns per item on in-scope quantities', () => {
    const p = makeProgram({
      rules: [
        { id: 'cups', label: 'Coffee cups', kind: 'per-item', points: 2, scope: { categories: ['coffee'] } },
      ],
    });
    const q = quote(basket(line('coffee', 300, 3), line('tea', 300, 4)), member, p, WEDNESDAY);
    expect(q.points).toBe(6);
    expect(q.explanation[0]?.detail).toBe('2 pts per item on 3 items');
    expect(q.summary.items).toBe(7);
  });

  it('does not fire a rule that earns nothing or whose conditions fail', () => {
    const p = makeProgram({
      rules: [
        perEuro,
        {
          id: 'weekend',
          label: 'Weekend extra',
          kind: 'per-item',
          points: 5,
          conditions: { daysOfWeek: [6, 7] },
        },
      ],
    });
    expect(quote(basket(line('food', 50)), member, p, SATURDAY).explanation.map((l) => l.ruleId)).toEqual([
      'weekend',
    ]);
    expect(quote(basket(line('food', 50)), member, p, WEDNESDAY)).toMatchObject({
      points: 0,
      explanation: [],
    });
  });

  it('handles an empty basket', () => {
    expect(quote(basket(), member, makeProgram(), WEDNESDAY)).toEqual({
      points: 0,
      explanation: [],
      terms: [],
      summary: { currency: 'EUR', total: 0, eligible: 0, lines: 0, items: 0 },
    });
  });

  it('refuses a basket in another currency', () => {
    expect(() =>
      quote({ currency: 'USD', lines: [line('food', 100)] }, member, makeProgram(), WEDNESDAY),
    ).toThrow(/USD.*EUR/);
  });

  it('formats amounts in the currency minor digits', () => {
    const p = makeProgram({
      currency: 'JPY',
      rules: [{ id: 'yen', label: 'Yen', kind: 'per-amount', points: 1, per: 100 }],
    });
    const q = quote({ currency: 'JPY', lines: [line('food', 1250)] }, member, p, WEDNESDAY);
    expect(q.explanation[0]?.detail).toBe('1 pt per 100 JPY on 1250 JPY');
  });
});

describe('quote: exclusions and scopes', () => {
  const program = makeProgram({ earning: { excluded: { categories: ['tobacco'], skus: ['gift-card-50'] } } });

  it('never earns on excluded lines and leaves them out of the eligible amount', () => {
    const b = basket(
      line('food', 1000),
      line('tobacco', 1200),
      line('gifts', 5000, 1, { sku: 'gift-card-50' }),
    );
    const q = quote(b, member, program, WEDNESDAY);
    expect(q.points).toBe(10);
    expect(q.summary).toEqual({ currency: 'EUR', total: 7200, eligible: 1000, lines: 3, items: 3 });
  });

  it('marks the lines that earn nothing (excluded category or SKU), as the counter shows them', () => {
    expect(earnsNothing(program, { category: 'tobacco', sku: 'cigs-20' })).toBe(true);
    expect(earnsNothing(program, { category: 'gifts', sku: 'gift-card-50' })).toBe(true);
    expect(earnsNothing(program, { category: 'gifts', sku: 'gift-wrap' })).toBe(false);
    expect(earnsNothing(program, { category: 'food', sku: 'bread' })).toBe(false);
  });

  it('does not let a rule scope bring an excluded line back', () => {
    const p = makeProgram({
      earning: { excluded: { categories: ['tobacco'], skus: [] } },
      rules: [
        { id: 'smoke', label: 'Tobacco', kind: 'per-item', points: 10, scope: { categories: ['tobacco'] } },
      ],
    });
    expect(quote(basket(line('tobacco', 1000)), member, p, WEDNESDAY).points).toBe(0);
  });

  it('uses the eligible amount (not the total) for minBasket', () => {
    const p = makeProgram({
      earning: { excluded: { categories: ['tobacco'], skus: [] } },
      rules: [
        perEuro,
        { id: 'big', label: 'Big basket', kind: 'per-visit', points: 50, conditions: { minBasket: 2000 } },
      ],
    });
    expect(
      byRule(quote(basket(line('food', 1500), line('tobacco', 1000)), member, p, WEDNESDAY)).big,
    ).toBeUndefined();
    expect(byRule(quote(basket(line('food', 2000), line('tobacco', 1000)), member, p, WEDNESDAY)).big).toBe(
      50,
    );
  });

  it('applies allow-lists and exclusions of rule scopes', () => {
    const p = makeProgram({
      rules: [
        {
          id: 'fresh',
          label: 'Fresh food',
          kind: 'per-amount',
          points: 2,
          per: 100,
          scope: { categories: ['fruit', 'veg'], skus: ['bread-1'], excludeSkus: ['banana'] },
        },
      ],
    });
    const b = basket(
      line('fruit', 300),
      line('fruit', 1000, 1, { sku: 'banana' }),
      line('veg', 200),
      line('bakery', 100, 1, { sku: 'bread-1' }),
      line('bakery', 1000),
    );
    expect(quote(b, member, p, WEDNESDAY).points).toBe(12); // 2 × (3 + 2 + 1)
  });

  it('sees the same SKU in a new category as a different product', () => {
    const p = makeProgram({
      rules: [{ id: 'c', label: 'C', kind: 'per-item', points: 1, scope: { categories: ['coffee'] } }],
    });
    expect(quote(basket(line('coffee', 100, 1, { sku: 'same' })), member, p, WEDNESDAY).points).toBe(1);
    expect(quote(basket(line('tea', 100, 1, { sku: 'same' })), member, p, WEDNESDAY).points).toBe(0);
  });
});

describe('quote: multipliers', () => {
  it('adds (factor − 1) × base points on covered lines', () => {
    const q = quote(basket(line('food', 1250)), member, makeProgram({ rules: [perEuro, double] }), WEDNESDAY);
    expect(q.points).toBe(24);
    expect(q.explanation[1]).toEqual({
      ruleId: 'double',
      label: 'Double points',
      points: 12,
      detail: '×2 on 12.50 EUR',
    });
  });

  it('keeps fractional factors exact in hundredths', () => {
    const p = makeProgram({
      rules: [perEuro, { id: 'half', label: 'Half more', kind: 'multiplier', factor: 1.5 }],
    });
    // 1250 × 1 × 50 / 10000 = 6.25 → 6
    expect(byRule(quote(basket(line('food', 1250)), member, p, WEDNESDAY))).toEqual({ base: 12, half: 6 });
    const q = quote(
      basket(line('food', 1250)),
      member,
      makeProgram({ rules: [perEuro, { id: 'x', label: 'X', kind: 'multiplier', factor: 1.15 }] }),
      WEDNESDAY,
    );
    expect(q.explanation[1]?.detail).toBe('×1.15 on 12.50 EUR');
    expect(q.points).toBe(12 + 1); // 1250 × 15 / 10000 = 1.875 → 1
  });

  it('rounds each multiplier extra with the program rounding', () => {
    const p = (rounding: 'floor' | 'round' | 'ceil') =>
      makeProgram({
        rounding,
        rules: [perEuro, { id: 'half', label: 'Half more', kind: 'multiplier', factor: 1.5 }],
      });
    const extra = (r: 'floor' | 'round' | 'ceil') =>
      byRule(quote(basket(line('food', 1250)), member, p(r), WEDNESDAY)).half;
    expect([extra('floor'), extra('round'), extra('ceil')]).toEqual([6, 6, 7]); // 6.25
  });

  it('multiplies per-item base points', () => {
    const p = makeProgram({
      rules: [
        { id: 'item', label: 'Per item', kind: 'per-item', points: 3 },
        { ...double, factor: 1.5 },
      ],
    });
    expect(byRule(quote(basket(line('food', 100, 3)), member, p, WEDNESDAY))).toEqual({ item: 9, double: 4 }); // 4.5
  });

  it('only multiplies lines in the multiplier scope, and only when its conditions hold', () => {
    const weekendTriple: RuleInput = { ...triple, conditions: { daysOfWeek: [6, 7] } };
    const p = makeProgram({ rules: [perEuro, weekendTriple] });
    const b = basket(line('coffee', 1000), line('food', 1000));
    expect(byRule(quote(b, member, p, SATURDAY))).toEqual({ base: 20, 'triple-coffee': 20 });
    expect(byRule(quote(b, member, p, WEDNESDAY))).toEqual({ base: 20 });
  });

  it('never multiplies additive bonuses, nor base rules that did not fire', () => {
    const p = makeProgram({
      rules: [
        { ...perEuro, conditions: { tiers: ['gold'] } },
        { id: 'visit', label: 'Visit', kind: 'per-visit', points: 50 },
        double,
      ],
      tiers: {
        basis: 'points',
        windowMonths: 12,
        levels: [
          { id: 'base', label: 'Base', threshold: 0 },
          { id: 'gold', label: 'Gold', threshold: 1000 },
        ],
      },
    });
    expect(byRule(quote(basket(line('food', 1000)), member, p, WEDNESDAY))).toEqual({ visit: 50 });
    expect(byRule(quote(basket(line('food', 1000)), quoteMember({ tier: 'gold' }), p, WEDNESDAY))).toEqual({
      base: 10,
      double: 10,
      visit: 50,
    });
  });

  describe('stacking', () => {
    const b = basket(line('coffee', 1000), line('food', 1000));
    it("'highest' gives each line only its largest factor", () => {
      const q = quote(b, member, makeProgram({ rules: [perEuro, double, triple] }), WEDNESDAY);
      // coffee: ×3 wins (+20); food: ×2 (+10)
      expect(byRule(q)).toEqual({ base: 20, double: 10, 'triple-coffee': 20 });
      expect(q.points).toBe(50);
      expect(q.explanation.find((l) => l.ruleId === 'double')?.detail).toBe('×2 on 10.00 EUR');
    });

    it("'add' counts every factor on every line it covers", () => {
      const p = makeProgram({ rules: [perEuro, double, triple], earning: { multiplierStacking: 'add' } });
      const q = quote(b, member, p, WEDNESDAY);
      expect(byRule(q)).toEqual({ base: 20, double: 20, 'triple-coffee': 20 });
      expect(q.points).toBe(60);
    });

    it("'highest' breaks ties by order: rules in program order, then tier, then plan", () => {
      const other: RuleInput = { ...double, id: 'also-double', label: 'Also double' };
      const p = makeProgram({
        rules: [perEuro, double, other],
        tiers: {
          basis: 'points',
          windowMonths: 12,
          levels: [{ id: 'gold', label: 'Gold', threshold: 0, multiplier: 2 }],
        },
        plans: [{ id: 'plus', label: 'Plus', fee: 0, durationDays: 30, multiplier: 2 }],
      });
      const m = quoteMember({ tier: 'gold', plan: { id: 'plus', until: '2030-01-01T00:00:00.000Z' } });
      expect(byRule(quote(b, m, p, WEDNESDAY))).toEqual({ base: 20, double: 20 });
    });
  });
});

describe('quote: tier and plan multipliers', () => {
  const tiers = {
    basis: 'points' as const,
    windowMonths: 12,
    levels: [
      { id: 'silver', label: 'Silver', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 1000, multiplier: 1.5 },
    ],
  };
  const plans = [{ id: 'plus', label: 'Plus membership', fee: 999, durationDays: 365, multiplier: 2 }];
  const program = makeProgram({ tiers, plans, earning: { multiplierStacking: 'add' } });
  const b = basket(line('food', 2000));

  it('applies the member tier multiplier on all eligible lines, labelled with the tier', () => {
    const q = quote(b, quoteMember({ tier: 'gold' }), program, WEDNESDAY);
    expect(q.explanation[1]).toEqual({
      ruleId: 'tier:gold',
      label: 'Gold',
      points: 10,
      detail: '×1.5 on 20.00 EUR',
    });
    expect(q.points).toBe(30);
  });

  it('ignores a tier without multiplier or unknown to the program', () => {
    expect(quote(b, quoteMember({ tier: 'silver' }), program, WEDNESDAY).points).toBe(20);
    expect(quote(b, quoteMember({ tier: 'platinum' }), program, WEDNESDAY).points).toBe(20);
  });

  it('applies a running paid plan, not an ended or unknown one', () => {
    const until = '2026-03-11T11:00:00.001Z'; // 1 ms after WEDNESDAY
    const q = quote(b, quoteMember({ plan: { id: 'plus', until } }), program, WEDNESDAY);
    expect(q.explanation[1]).toEqual({
      ruleId: 'plan:plus',
      label: 'Plus membership',
      points: 20,
      detail: '×2 on 20.00 EUR',
    });
    expect(quote(b, quoteMember({ plan: { id: 'plus', until } }), program, WEDNESDAY + 1).points).toBe(20);
    expect(quote(b, quoteMember({ plan: { id: 'gone', until } }), program, WEDNESDAY).points).toBe(20);
  });

  it('stacks tier and plan: both with add, the larger with highest', () => {
    const m = quoteMember({ tier: 'gold', plan: { id: 'plus', until: '2030-01-01T00:00:00.000Z' } });
    expect(byRule(quote(b, m, program, WEDNESDAY))).toEqual({ base: 20, 'tier:gold': 10, 'plan:plus': 20 });
    const highest = makeProgram({ tiers, plans });
    expect(byRule(quote(b, m, highest, WEDNESDAY))).toEqual({ base: 20, 'plan:plus': 20 });
  });

  it('does not multiply excluded lines', () => {
    const p = makeProgram({ tiers, earning: { excluded: { categories: ['tobacco'], skus: [] } } });
    const q = quote(
      basket(line('food', 2000), line('tobacco', 5000)),
      quoteMember({ tier: 'gold' }),
      p,
      WEDNESDAY,
    );
    expect(byRule(q)).toEqual({ base: 20, 'tier:gold': 10 });
  });
});

describe('quote: additive bonuses', () => {
  it('adds a per-visit bonus once when an eligible line is in scope', () => {
    const p = makeProgram({
      rules: [
        perEuro,
        {
          id: 'visit',
          label: 'Coffee visit',
          kind: 'per-visit',
          points: 25,
          scope: { categories: ['coffee'] },
        },
      ],
      earning: { excluded: { categories: ['tobacco'], skus: [] } },
    });
    const q = quote(basket(line('coffee', 100, 2), line('coffee', 100)), member, p, WEDNESDAY);
    expect(q.explanation[1]).toEqual({ ruleId: 'visit', label: 'Coffee visit', points: 25, detail: '+25' });
    expect(q.points).toBe(28);
    expect(byRule(quote(basket(line('food', 100)), member, p, WEDNESDAY)).visit).toBeUndefined();
  });

  it('adds a fixed bonus from minQuantity eligible units', () => {
    const p = makeProgram({
      rules: [{ id: 'five', label: 'Five items', kind: 'fixed-bonus', points: 40, minQuantity: 5 }],
    });
    expect(quote(basket(line('food', 100, 4)), member, p, WEDNESDAY).points).toBe(0);
    const q = quote(basket(line('food', 100, 3), line('drinks', 100, 2)), member, p, WEDNESDAY);
    expect(q.explanation).toEqual([
      { ruleId: 'five', label: 'Five items', points: 40, detail: '+40 for 5 items or more' },
    ]);
  });

  it('adds the referral welcome on a referred member first purchase', () => {
    const p = makeProgram({ bonuses: { referral: { referrer: 100, newMember: 50 } } });
    const referred = quoteMember({ referredBy: 'm-0', purchases: 0 });
    const q = quote(basket(line('food', 1000)), referred, p, WEDNESDAY);
    expect(q.explanation.at(-1)).toEqual({
      ruleId: 'bonus:referral',
      label: 'Referral welcome',
      points: 50,
      detail: '+50',
    });
    expect(q.points).toBe(60);
    expect(quote(basket(line('food', 1000)), { ...referred, purchases: 1 }, p, WEDNESDAY).points).toBe(10);
    expect(quote(basket(line('food', 1000)), { ...referred, referredBy: null }, p, WEDNESDAY).points).toBe(
      10,
    );
    expect(quote(basket(line('food', 1000)), referred, makeProgram(), WEDNESDAY).points).toBe(10);
  });

  it('lists explanation lines in stacking order and sums them', () => {
    const p = makeProgram({
      rules: [
        { id: 'visit', label: 'Visit', kind: 'per-visit', points: 5 },
        double,
        perEuro,
        { id: 'cups', label: 'Cups', kind: 'per-item', points: 1 },
      ],
    });
    const q = quote(basket(line('food', 1000, 2)), member, p, WEDNESDAY);
    expect(q.explanation.map((l) => l.ruleId)).toEqual(['base', 'cups', 'double', 'visit']);
    expect(q.points).toBe(sumOf(q));
    expect(q.points).toBe(20 + 2 + 22 + 5);
  });
});

describe('quote: caching', () => {
  it('gives the same answer when programs and members alternate', () => {
    const p1 = makeProgram({ rules: [perEuro, double] });
    const p2 = makeProgram({ rules: [perEuro, triple] });
    const b = basket(line('coffee', 1000), line('food', 500));
    const first = [quote(b, member, p1, WEDNESDAY), quote(b, member, p2, WEDNESDAY)];
    for (let i = 0; i < 3; i++) {
      expect(quote(b, member, p1, WEDNESDAY)).toEqual(first[0]);
      expect(quote(b, member, p2, WEDNESDAY)).toEqual(first[1]);
    }
    expect(first.map((q) => q.points)).toEqual([30, 35]);
  });
});

describe('helpers', () => {
  it('formats factors', () => {
    expect([
      formatFactor(200),
      formatFactor(150),
      formatFactor(125),
      formatFactor(1000),
      formatFactor(105),
    ]).toEqual(['×2', '×1.5', '×1.25', '×10', '×1.05']);
  });

  it('divides large products exactly', () => {
    const big = 2 ** 40;
    expect(mulDivide(big, 3, 1000, 1000, 'floor')).toBe(big * 3);
    expect(mulDivide(big + 1, 9999, 9900, 990000, 'floor')).toBe(
      Number((BigInt(big + 1) * 9999n * 9900n) / 990000n),
    );
    const odd = (2n ** 52n + 1n) * 21n; // beyond 2^53, and odd: the division by 2 leaves a half
    expect(mulDivide(2 ** 52 + 1, 3, 7, 2, 'floor')).toBe(Number((odd - 1n) / 2n));
    expect(mulDivide(2 ** 52 + 1, 3, 7, 2, 'ceil')).toBe(Number((odd + 1n) / 2n));
    expect(mulDivide(2 ** 52 + 1, 3, 7, 2, 'round')).toBe(Number((odd + 1n) / 2n));
  });
});

// The example programs, run through the earn engine with baskets a cashier would actually ring up. Every
// expected total is worked out by hand from the stacking rules (docs/program-format.md), so a change in the
// engine or in an example that moves a customer's points shows up here as a concrete basket.
//
// Stacking, as the engine applies it:
//   base     = divide(eligible amount in scope × points, per, rounding) per per-amount rule, + per-item points;
//   multiply = divide(covered amount × points × (factor − 1), per, rounding) per multiplier (rule, tier, plan);
//              'highest': each line goes to its largest factor only; 'add': every factor counts;
//   bonus    = per-visit and fixed-bonus points, added last, never multiplied.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basketSchema, type Basket } from '../../../src-shared/engine/basket.js';
import type { QuoteMember } from '../../../src-shared/engine/conditions.js';
import { quote } from '../../../src-shared/engine/quote.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import { formatProblems, parseProgramJson } from '../../../src-shared/program/parse.js';
import type { Program } from '../../../src-shared/program/schema.js';

function example(file: string): Program {
  const result = parseProgramJson(
    readFileSync(resolve(import.meta.dirname, '../../../examples/programs', file), 'utf8'),
  );
  if (!result.ok) throw new Error(`${file}:\n${formatProblems(result.error)}`);
  return result.value;
}

type LineInput = [sku: string, category: string, quantity: number, unitPrice: number, discount?: number];

/** A basket through the same schema the terminal uses, so defaults (discount 0) are the real ones. */
const basket = (...lines: LineInput[]): Basket =>
  basketSchema.parse({
    currency: 'EUR',
    lines: lines.map(([sku, category, quantity, unitPrice, discount]) => ({
      sku,
      category,
      quantity,
      unitPrice,
      discount,
    })),
  });

/** A member with an earlier purchase and no tier, plan, birthday or referrer, unless told otherwise. */
const member = (facts: Partial<QuoteMember> = {}): QuoteMember => {
  const { tier, birthMonth, purchases, plan, referredBy } = emptyMember('m-0001', '2025-01-15T10:00:00Z');
  return { tier, birthMonth, purchases: purchases + 1, plan, referredBy, ...facts };
};

/** An instant written as the store's wall clock with its UTC offset on that date. */
const at = (isoWithOffset: string): number => Date.parse(isoWithOffset);

/** The explanation as [ruleId, points] pairs: what the receipt shows, without the wording. */
function earned(
  b: Basket,
  m: QuoteMember,
  p: Program,
  when: number,
): { points: number; lines: [string, number][] } {
  const q = quote(b, m, p, when);
  // The total is always the sum of what the cashier is shown.
  expect(q.points).toBe(q.explanation.reduce((sum, l) => sum + l.points, 0));
  return { points: q.points, lines: q.explanation.map((l) => [l.ruleId, l.points]) };
}

describe('coffee shop: Bean There (Europe/Paris, highest)', () => {
  const p = example('coffee-shop.json');
  const cappuccino: LineInput = ['BT-CAPPUCCINO-M', 'coffee', 1, 350];
  const croissant: LineInput = ['BT-CROISSANT', 'pastry', 1, 180];
  const giftCard: LineInput = ['BT-GIFTCARD-20', 'gift-cards', 1, 2000];

  it('Saturday 10:00: 2 × 3.50 coffee + a 20.00 gift card → 7 base + 7 weekend = 14', () => {
    const b = basket(['BT-CAPPUCCINO-M', 'coffee', 2, 350], giftCard);
    const q = quote(b, member(), p, at('2026-11-21T10:00:00+01:00'));
    expect(q.points).toBe(14);
    expect(q.explanation).toEqual([
      {
        ruleId: 'base',
        label: '1 point per 1.00 EUR',
        points: 7,
        detail: expect.stringContaining('7.00 EUR'),
      },
      {
        ruleId: 'weekend-double',
        label: 'Weekend double points',
        points: 7,
        detail: expect.stringContaining('×2'),
      },
    ]);
    // The gift card is in the total but not in what earns.
    expect(q.summary).toEqual({ currency: 'EUR', total: 2700, eligible: 700, lines: 2, items: 3 });
  });

  it('Tuesday 08:15: 3.50 + 1.80 → 5 base + 5 early bird = 10', () => {
    expect(earned(basket(cappuccino, croissant), member(), p, at('2026-11-24T08:15:00+01:00'))).toEqual({
      points: 10,
      lines: [
        ['base', 5],
        ['early-bird', 5],
      ],
    });
  });

  it('the early-bird window includes 07:00 and ends before 09:00', () => {
    const b = basket(cappuccino, croissant);
    expect(earned(b, member(), p, at('2026-11-24T07:00:00+01:00')).points).toBe(10);
    expect(earned(b, member(), p, at('2026-11-24T08:59:00+01:00')).points).toBe(10);
    expect(earned(b, member(), p, at('2026-11-24T09:00:00+01:00')).points).toBe(5);
    expect(earned(b, member(), p, at('2026-11-24T06:59:00+01:00')).points).toBe(5);
  });

  it('Saturday 08:00: weekend double, but no early bird (weekdays only)', () => {
    expect(earned(basket(cappuccino, croissant), member(), p, at('2026-11-21T08:00:00+01:00'))).toEqual({
      points: 10,
      lines: [
        ['base', 5],
        ['weekend-double', 5],
      ],
    });
  });

  it('the early-bird window follows the Paris wall clock across the daylight-saving change', () => {
    const b = basket(cappuccino);
    // 05:30 UTC is 06:30 in Paris before 29 March 2026 (UTC+1) and 07:30 after it (UTC+2).
    expect(earned(b, member(), p, Date.UTC(2026, 2, 23, 5, 30)).lines).toEqual([['base', 3]]);
    expect(earned(b, member(), p, Date.UTC(2026, 2, 30, 5, 30)).lines).toEqual([
      ['base', 3],
      ['early-bird', 5],
    ]);
    // After the change back on 25 October 2026, 07:30 local is 06:30 UTC again.
    expect(earned(b, member(), p, Date.UTC(2026, 9, 26, 6, 30)).points).toBe(8);
  });

  it('a gift card alone earns nothing, not even the visit bonus', () => {
    const q = quote(basket(giftCard), member(), p, at('2026-11-24T08:00:00+01:00'));
    expect(q.points).toBe(0);
    expect(q.explanation).toEqual([]);
    expect(q.summary.eligible).toBe(0);
  });

  it('rounds down on the base and on the weekend multiplier alike: 3.99 → 3 + 3', () => {
    expect(
      earned(basket(['BT-MOCHA-L', 'coffee', 1, 399]), member(), p, at('2026-11-22T15:00:00+01:00')).points,
    ).toBe(6);
  });

  it('earns on the price after a line discount', () => {
    // 2 × 3.50 less 1.00 off = 6.00 → 6 points on a Wednesday afternoon.
    const q = quote(
      basket(['BT-CAPPUCCINO-M', 'coffee', 2, 350, 100]),
      member(),
      p,
      at('2026-11-25T15:00:00+01:00'),
    );
    expect(q.points).toBe(6);
    expect(q.summary.total).toBe(600);
  });
});

describe('fashion chain: Nordlicht Style Club (Europe/Berlin, spend tiers, highest)', () => {
  const p = example('fashion-chain.json');
  // Tuesday 12 May 2026, 15:00 Berlin (UTC+2).
  const may12 = at('2026-05-12T15:00:00+02:00');
  const jeansAndShirt = basket(['NL-JEANS-SLIM-32', 'denim', 1, 8995], ['NL-SHIRT-OXF-M', 'shirts', 1, 3995]);

  it('Silver: 1 point per euro; gift cards, alterations and the paper bag never earn', () => {
    const b = basket(
      ['NL-JEANS-SLIM-32', 'denim', 1, 8995],
      ['NL-TEE-BASIC-M', 'tops', 1, 1999],
      ['NL-GIFTCARD-50', 'gift-cards', 1, 5000],
      ['NL-ALTERATION-STD', 'alterations', 1, 1200],
      ['NL-SHOPPING-BAG', 'accessories', 1, 20],
    );
    const q = quote(b, member({ tier: 'silver', birthMonth: 3 }), p, may12);
    // 89.95 + 19.99 = 109.94 eligible → 109; Silver's ×1 adds nothing and shows no line.
    expect(q.points).toBe(109);
    expect(q.explanation.map((l) => l.ruleId)).toEqual(['base']);
    expect(q.summary).toMatchObject({ total: 17214, eligible: 10994 });
  });

  it('Gold outside the birthday month: 129 base + 64 (×1.5, rounded down from 64.95) = 193', () => {
    const q = quote(jeansAndShirt, member({ tier: 'gold', birthMonth: 9 }), p, may12);
    expect(q.points).toBe(193);
    expect(q.explanation).toEqual([
      expect.objectContaining({ ruleId: 'base', points: 129 }),
      { ruleId: 'tier:gold', label: 'Gold', points: 64, detail: '×1.5 on 129.90 EUR' },
    ]);
  });

  it('Gold in the birthday month: the ×2 birthday multiplier beats ×1.5 (highest), 129 + 129 = 258', () => {
    expect(earned(jeansAndShirt, member({ tier: 'gold', birthMonth: 5 }), p, may12)).toEqual({
      points: 258,
      lines: [
        ['base', 129],
        ['birthday-month-double', 129],
      ],
    });
  });

  it('Platinum in the birthday month: ×2 and ×2 do not stack, 258', () => {
    const { points, lines } = earned(jeansAndShirt, member({ tier: 'platinum', birthMonth: 5 }), p, may12);
    expect(points).toBe(258);
    // A tie goes to the program's rule, then the tier: one multiplier line, never two.
    expect(lines).toEqual([
      ['base', 129],
      ['birthday-month-double', 129],
    ]);
  });

  it('Platinum outside the birthday month: ×2 from the tier, 258', () => {
    expect(earned(jeansAndShirt, member({ tier: 'platinum', birthMonth: 12 }), p, may12).lines).toEqual([
      ['base', 129],
      ['tier:platinum', 129],
    ]);
  });

  it('the birthday month is the Berlin calendar month: 1 June 00:30 Berlin is still 31 May in UTC', () => {
    // 2026-05-31T22:30Z is 00:30 on 1 June in Berlin: a June birthday counts, a May one no longer does.
    const when = Date.UTC(2026, 4, 31, 22, 30);
    expect(earned(jeansAndShirt, member({ tier: 'silver', birthMonth: 6 }), p, when).points).toBe(258);
    expect(earned(jeansAndShirt, member({ tier: 'silver', birthMonth: 5 }), p, when).points).toBe(129);
  });

  it('a referred member earns the referral welcome (100) on the first purchase only', () => {
    const dress = basket(['NL-DRESS-WRAP-38', 'dresses', 1, 5000]);
    const first = earned(dress, member({ tier: 'silver', referredBy: 'm-0042', purchases: 0 }), p, may12);
    expect(first).toEqual({
      points: 150,
      lines: [
        ['base', 50],
        ['bonus:referral', 100],
      ],
    });
    expect(
      earned(dress, member({ tier: 'silver', referredBy: 'm-0042', purchases: 1 }), p, may12).points,
    ).toBe(50);
  });
});

describe('grocery chain: GreenBasket (Europe/Dublin, add)', () => {
  const p = example('grocery-chain.json');
  // Wednesday 18 November 2026, 17:30 in Dublin (UTC+0 in winter).
  const nov18 = at('2026-11-18T17:30:00Z');

  it('a weekly shop: restricted goods excluded, category multipliers, per-item promo and buy-3 bonus → 98', () => {
    const b = basket(
      ['GB-APPLES-1KG', 'fresh-produce', 1, 249],
      ['GB-BANANAS', 'fresh-produce', 1, 189],
      ['GB-OWN-FUSILLI-500G', 'own-brand', 2, 125],
      ['GB-OAT-DRINK-1L', 'dairy-alternatives', 2, 219],
      ['GB-PASTA-SAUCE-500G', 'pantry', 3, 229],
      ['IE-WHISKEY-70CL', 'alcohol', 1, 3200],
      ['IE-CIGARETTES-20', 'tobacco', 1, 1500],
      ['GB-INFANT-FORMULA-800G', 'infant-formula', 1, 1850],
      ['IE-LOTTO-TICKET', 'lottery', 1, 500],
      ['GB-CARRIER-BAG', 'household', 1, 22],
    );
    // Eligible: 4.38 fresh + 2.50 own brand + 4.38 oat drink + 6.87 sauce = 18.13 → 18 base.
    // Oat drink: 2 × 10 = 20. Fresh ×3: 4.38 × 2 = 8.76 → 8. Own brand ×2: 2.50 → 2. Buy 3 sauces: 50.
    // Big shop: the basket is 88.85 but only 18.13 is eligible, below 60.00: no bonus.
    const q = quote(b, member(), p, nov18);
    expect(q.points).toBe(98);
    expect(q.explanation.map((l) => [l.ruleId, l.points])).toEqual([
      ['base', 18],
      ['oat-drink-promo', 20],
      ['fresh-produce-triple', 8],
      ['own-brand-double', 2],
      ['pasta-sauce-3', 50],
    ]);
    expect(q.summary).toEqual({ currency: 'EUR', total: 8885, eligible: 1813, lines: 10, items: 14 });
  });

  it('the buy-3 bonus counts units across lines, once per basket, and not below 3', () => {
    const sauce = (quantity: number): LineInput => ['GB-PASTA-SAUCE-500G', 'pantry', quantity, 229];
    const bonus = (b: Basket) =>
      earned(b, member(), p, nov18).lines.find(([id]) => id === 'pasta-sauce-3')?.[1] ?? 0;
    expect(bonus(basket(sauce(2)))).toBe(0);
    expect(bonus(basket(sauce(1), sauce(2)))).toBe(50);
    expect(bonus(basket(sauce(6)))).toBe(50);
  });

  it('the big-shop bonus needs 60.00 of eligible spend and is never multiplied', () => {
    const pantry = (unitPrice: number): LineInput => ['GB-OLIVE-OIL-1L', 'pantry', 4, unitPrice];
    expect(earned(basket(pantry(1500)), member(), p, nov18)).toEqual({
      points: 85,
      lines: [
        ['base', 60],
        ['big-shop', 25],
      ],
    });
    // 4 × 14.99 = 59.96: one cent short is no bonus.
    expect(earned(basket(pantry(1499)), member(), p, nov18).points).toBe(59);
  });

  it('Summer BBQ Saturday: multipliers add, so fresh produce earns ×4 (1 + 2 + 1) → 80', () => {
    const b = basket(
      ['GB-TOMATOES-VINE', 'fresh-produce', 2, 500],
      ['GB-SAUSAGES-BBQ', 'meat', 3, 500],
      ['GB-OWN-BURGER-BUNS', 'own-brand', 2, 250],
    );
    // Base 30.00 → 30. Fresh ×3 on 10.00 → +20. Own brand ×2 on 5.00 → +5. BBQ ×2 on 25.00 → +25.
    expect(earned(b, member(), p, at('2026-06-20T11:00:00+01:00'))).toEqual({
      points: 80,
      lines: [
        ['base', 30],
        ['fresh-produce-triple', 20],
        ['own-brand-double', 5],
        ['summer-bbq', 25],
      ],
    });
  });

  it('the same BBQ basket under "highest" would earn 70: fresh produce keeps only its ×3', () => {
    const highest: Program = { ...p, earning: { ...p.earning, multiplierStacking: 'highest' } };
    const b = basket(
      ['GB-TOMATOES-VINE', 'fresh-produce', 2, 500],
      ['GB-SAUSAGES-BBQ', 'meat', 3, 500],
      ['GB-OWN-BURGER-BUNS', 'own-brand', 2, 250],
    );
    // The BBQ ×2 now only wins on the meat (15.00 → +15); the tomatoes go to the larger ×3.
    expect(earned(b, member(), highest, at('2026-06-20T11:00:00+01:00'))).toEqual({
      points: 70,
      lines: [
        ['base', 30],
        ['fresh-produce-triple', 20],
        ['own-brand-double', 5],
        ['summer-bbq', 15],
      ],
    });
  });

  it('the campaign dates are Dublin calendar dates, both ends included', () => {
    const b = basket(['GB-SAUSAGES-BBQ', 'meat', 2, 500]);
    const bbq = (when: number) => earned(b, member(), p, when).lines.some(([id]) => id === 'summer-bbq');
    expect(bbq(at('2026-06-14T23:30:00+01:00'))).toBe(false); // 14 June, 23:30
    expect(bbq(at('2026-06-15T00:30:00+01:00'))).toBe(true); // 15 June, still 14 June in UTC
    expect(bbq(at('2026-07-12T23:30:00+01:00'))).toBe(true); // last day, late evening
    expect(bbq(at('2026-07-13T00:30:00+01:00'))).toBe(false); // 13 July local, still 12 July in UTC
  });

  it('a basket of only restricted goods earns nothing', () => {
    const b = basket(
      ['IE-CIGARETTES-20', 'tobacco', 2, 1500],
      ['GB-INFANT-FORMULA-800G', 'infant-formula', 4, 1850],
    );
    const q = quote(b, member(), p, nov18);
    expect(q.points).toBe(0);
    expect(q.explanation).toEqual([]);
  });
});

describe('paid membership: Leaf & Ledger Readers (Europe/Amsterdam, highest)', () => {
  const p = example('paid-membership.json');
  // Friday 20 November 2026, 14:00 in Amsterdam (UTC+1).
  const nov20 = at('2026-11-20T14:00:00+01:00');
  const books = basket(
    ['9780141439518', 'books', 1, 2499],
    ['9780099590088', 'books', 1, 1250],
    ['LL-GIFTCARD-25', 'gift-cards', 1, 2500],
  );
  const plus = (until: string): Partial<QuoteMember> => ({ plan: { id: 'readers-plus-annual', until } });

  it('without a plan: 37.49 of books → 37 points, the gift card excluded', () => {
    expect(earned(books, member(), p, nov20)).toEqual({ points: 37, lines: [['base', 37]] });
  });

  it('with Readers Plus running: the plan doubles the base, 37 + 37 = 74', () => {
    const q = quote(books, member(plus('2027-03-01T00:00:00Z')), p, nov20);
    expect(q.points).toBe(74);
    expect(q.explanation[1]).toEqual({
      ruleId: 'plan:readers-plus-annual',
      label: 'Readers Plus (1 year)',
      points: 37,
      detail: '×2 on 37.49 EUR',
    });
  });

  it('a plan that has ended, or ends at that instant, doubles nothing', () => {
    expect(earned(books, member(plus('2026-11-01T00:00:00Z')), p, nov20).points).toBe(37);
    expect(earned(books, member(plus('2026-11-20T13:00:00Z')), p, nov20).points).toBe(37);
  });

  it('a plan the program does not know doubles nothing', () => {
    expect(
      earned(books, member({ plan: { id: 'old-plan', until: '2027-03-01T00:00:00Z' } }), p, nov20).points,
    ).toBe(37);
  });
});

// The explanation's terms: quote() returns, beside each recorded line, the same line as data, and the
// recorded English detail is exactly explanationDetail(terms), word for word as quote() always wrote it
// (events and HQ's re-quote compare it), so the counter can word the terms in another language without
// the two ever telling different stories.
import { describe, expect, it } from 'vitest';
import { explanationDetail, type ExplanationTerms } from '../../../src-shared/engine/explanation.js';
import { quote } from '../../../src-shared/engine/quote.js';
import { basket, line, makeProgram, perEuro, quoteMember, WEDNESDAY, type RuleInput } from './builders.js';

const rules: RuleInput[] = [
  perEuro,
  { id: 'bottles', label: 'Per bottle', kind: 'per-item', points: 5, scope: { categories: ['wine'] } },
  {
    id: 'coffee-x3',
    label: 'Coffee ×3',
    kind: 'multiplier',
    factor: 3,
    scope: { categories: ['coffee'] },
  },
  { id: 'visit', label: 'Visit', kind: 'per-visit', points: 20 },
  { id: 'three', label: 'Three or more', kind: 'fixed-bonus', points: 50, minQuantity: 3 },
];
const program = makeProgram({
  rules,
  earning: { multiplierStacking: 'add' },
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'silver', label: 'Silver', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 1000, multiplier: 1.5 },
    ],
  },
  bonuses: { referral: { referrer: 100, newMember: 30 } },
});
// A referred gold member's first purchase: every kind of line at once.
const member = quoteMember({ tier: 'gold', referredBy: 'm-0', purchases: 0 });
const sale = basket(line('coffee', 499), line('wine', 1200, 2), line('food', 311));

describe('quote: the explanation terms', () => {
  const q = quote(sale, member, program, WEDNESDAY);

  it('gives every line its terms, in the same order, each kind with its figures', () => {
    expect(q.terms.map((t, i) => [q.explanation[i]?.ruleId, t])).toEqual([
      ['base', { kind: 'per-amount', points: 1, per: 100, amount: 3210, currency: 'EUR' }],
      ['bottles', { kind: 'per-item', points: 5, quantity: 2 }],
      ['coffee-x3', { kind: 'multiplier', factor: 300, amount: 499, quantity: 0, currency: 'EUR' }],
      // The tier covers both base rules: the spend and the units.
      ['tier:gold', { kind: 'multiplier', factor: 150, amount: 3210, quantity: 2, currency: 'EUR' }],
      ['visit', { kind: 'visit-bonus', points: 20 }],
      ['three', { kind: 'threshold-bonus', points: 50, minQuantity: 3 }],
      ['bonus:referral', { kind: 'referral', points: 30 }],
    ]);
  });

  it('records the English detail as before, and it is the terms written in English', () => {
    expect(q.explanation.map((l) => l.detail)).toEqual([
      '1 pt per 1.00 EUR on 32.10 EUR',
      '5 pts per item on 2 items',
      '×3 on 4.99 EUR',
      '×1.5 on 32.10 EUR and 2 items',
      '+20',
      '+50 for 3 items or more',
      '+30',
    ]);
    expect(q.terms.map(explanationDetail)).toEqual(q.explanation.map((l) => l.detail));
  });

  it('writes singulars and units-only multipliers the way quote() always did', () => {
    const cases: [ExplanationTerms, string][] = [
      [{ kind: 'per-item', points: 1, quantity: 1 }, '1 pt per item on 1 item'],
      [
        { kind: 'per-amount', points: 2, per: 500, amount: 5, currency: 'EUR' },
        '2 pts per 5.00 EUR on 0.05 EUR',
      ],
      [
        { kind: 'per-amount', points: 1, per: 100, amount: 1240, currency: 'JPY' },
        '1 pt per 100 JPY on 1240 JPY',
      ],
      [{ kind: 'multiplier', factor: 125, amount: 0, quantity: 4, currency: 'EUR' }, '×1.25 on 4 items'],
      [{ kind: 'threshold-bonus', points: 10, minQuantity: 1 }, '+10 for 1 item or more'],
    ];
    for (const [terms, text] of cases) expect(explanationDetail(terms)).toBe(text);
  });

  it('has no terms when nothing earns', () => {
    const none = quote(basket(line('food', 50)), quoteMember(), makeProgram(), WEDNESDAY);
    expect(none.explanation).toEqual([]);
    expect(none.terms).toEqual([]);
  });
});

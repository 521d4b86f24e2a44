// Partial returns: the one rule the till and HQ use to take back the points of returned lines.
import { describe, expect, it } from 'vitest';
import type { Basket } from '../../../src-shared/engine/basket.js';
import type { QuoteMember } from '../../../src-shared/engine/conditions.js';
import { quote } from '../../../src-shared/engine/quote.js';
import type { EventOf, ReturnedLine } from '../../../src-shared/ledger/events.js';
import {
  mayReturn,
  remainingLines,
  remainingQuote,
  returnClawback,
  returnedUnits,
} from '../../../src-shared/ledger/returns.js';
import { mayVoid } from '../../../src-shared/ledger/voids.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { eventFactory } from '../../support/events.js';
import { basket, line, makeProgram, perEuro, quoteMember, WEDNESDAY } from '../engine/builders.js';

const M = 'member-1';

/** A sale as the till records it: the quote of `b` for `m` under `p` at `at`. */
export function saleOf(
  p: Program,
  b: Basket,
  m: QuoteMember = quoteMember(),
  at: number = WEDNESDAY,
  f = eventFactory(),
): EventOf<'points-earned'> {
  const q = quote(b, m, p, at);
  return f.seal(
    'points-earned',
    M,
    { basket: q.summary, lines: b.lines, points: q.points, explanation: q.explanation },
    at,
  );
}

const none = new Map<number, number>();

describe('returnClawback', () => {
  const coffee = line('coffee', 450, 2, { sku: 'coffee' });
  const cake = line('food', 1000, 1, { sku: 'cake' });

  it('takes back what the original gave minus what the rest earns, with multipliers', () => {
    const p = makeProgram({
      rules: [
        perEuro,
        {
          id: 'coffee-x2',
          label: 'Coffee ×2',
          kind: 'multiplier',
          factor: 2,
          scope: { categories: ['coffee'] },
        },
      ],
    });
    const sale = saleOf(p, basket(coffee, cake));
    // 19.00 EUR → 19 base, + 9 for the coffee doubled = 28.
    expect(sale.payload.points).toBe(28);
    const back = returnClawback({
      original: sale,
      program: p,
      applied: 28,
      returnedBefore: none,
      takenBefore: 0,
      lines: [{ line: 0, sku: 'coffee', quantity: 1 }],
    });
    // The rest: 4.50 coffee + 10.00 cake = 14 base + 4 doubled = 18; 28 − 18 = 10.
    expect(back).toEqual({ points: 10, spend: 450, remaining: 18 });
  });

  it('respects thresholds: a return that drops the basket below a minimum takes the bonus back', () => {
    const p = makeProgram({
      rules: [
        perEuro,
        { id: 'big', label: 'Big basket', kind: 'per-visit', points: 50, conditions: { minBasket: 1500 } },
      ],
    });
    const sale = saleOf(p, basket(coffee, cake));
    expect(sale.payload.points).toBe(69);
    const back = returnClawback({
      original: sale,
      program: p,
      applied: 69,
      returnedBefore: none,
      takenBefore: 0,
      lines: [{ line: 1, sku: 'cake', quantity: 1 }],
    });
    expect(back.points).toBe(69 - 9);
  });

  it("uses the sale's tier and referral welcome, not the member's today", () => {
    const p = makeProgram({
      tiers: {
        basis: 'points',
        windowMonths: 12,
        levels: [{ id: 'gold', label: 'Gold', threshold: 0, multiplier: 2 }],
      },
      bonuses: { referral: { referrer: 10, newMember: 30 } },
    });
    const member = quoteMember({ tier: 'gold', purchases: 0, referredBy: 'm-0' });
    const sale = saleOf(p, basket(coffee, cake), member);
    // 19 base, 19 gold, 30 referral welcome.
    expect(sale.payload.points).toBe(68);
    expect(remainingQuote(sale, sale.payload.lines, p)).toBe(68);
    const back = returnClawback({
      original: sale,
      program: p,
      applied: 68,
      returnedBefore: none,
      takenBefore: 0,
      lines: [{ line: 1, sku: 'cake', quantity: 1 }],
    });
    // The rest (9.00 coffee) keeps 9 + 9 + the welcome.
    expect(back.points).toBe(68 - 48);
  });

  it('takes back exactly what the sale was applied at once every line is back, in one or several returns', () => {
    const p = makeProgram({ rounding: 'ceil' });
    const sale = saleOf(p, basket(line('tea', 333, 3, { sku: 'tea', discount: 100 })));
    const applied = sale.payload.points;
    const one = returnClawback({
      original: sale,
      program: p,
      applied,
      returnedBefore: none,
      takenBefore: 0,
      lines: [{ line: 0, sku: 'tea', quantity: 3 }],
    });
    expect(one.points).toBe(applied);
    let taken = 0;
    const before = new Map<number, number>();
    for (let i = 0; i < 3; i++) {
      taken += returnClawback({
        original: sale,
        program: p,
        applied,
        returnedBefore: before,
        takenBefore: taken,
        lines: [{ line: 0, sku: 'tea', quantity: 1 }],
      }).points;
      before.set(0, i + 1);
    }
    expect(taken).toBe(applied);
  });

  it('uses the figure the sale was applied at (HQ: its ruling), never taking back more than it', () => {
    const p = makeProgram();
    const sale = saleOf(p, basket(coffee, cake));
    const back = returnClawback({
      original: sale,
      program: p,
      applied: 5,
      returnedBefore: none,
      takenBefore: 0,
      lines: [{ line: 1, sku: 'cake', quantity: 1 }],
    });
    // The rest quotes 9, more than the 5 applied: nothing is due for the cake.
    expect(back.points).toBe(0);
  });
});

describe('remainingLines', () => {
  it("keeps a line's units left with its discount following them, rounded down", () => {
    const p = makeProgram();
    const sale = saleOf(p, basket(line('tea', 100, 3, { sku: 'tea', discount: 100 }), line('food', 50)));
    const rest = remainingLines(
      sale,
      new Map([
        [0, 1],
        [1, 1],
      ]),
    );
    expect(rest).toEqual([{ ...sale.payload.lines[0], quantity: 2, discount: 66 }]);
  });
});

describe('mayReturn', () => {
  const p = makeProgram();
  const sale = saleOf(p, basket(line('tea', 100, 3, { sku: 'tea' }), line('food', 50, 1, { sku: 'bun' })));
  const ask = (lines: ReturnedLine[], extra: Partial<Parameters<typeof mayReturn>[0]> = {}) => {
    const r = mayReturn({ original: sale, voided: false, returnedBefore: none, lines, ...extra });
    return r.ok ? 'allowed' : r.error.reason;
  };

  it('allows lines within their quantities left', () => {
    expect(ask([{ line: 0, sku: 'tea', quantity: 3 }])).toBe('allowed');
    expect(ask([{ line: 0, sku: 'tea', quantity: 1 }], { returnedBefore: new Map([[0, 2]]) })).toBe(
      'allowed',
    );
  });

  it('refuses a line twice beyond its quantity, unknown lines, a voided or refused sale, another member', () => {
    expect(ask([{ line: 0, sku: 'tea', quantity: 2 }], { returnedBefore: new Map([[0, 2]]) })).toBe(
      'beyond-quantity',
    );
    expect(ask([{ line: 0, sku: 'tea', quantity: 4 }])).toBe('beyond-quantity');
    expect(ask([{ line: 2, sku: 'tea', quantity: 1 }])).toBe('unknown-line');
    expect(ask([{ line: 1, sku: 'tea', quantity: 1 }])).toBe('unknown-line');
    expect(
      ask([
        { line: 0, sku: 'tea', quantity: 1 },
        { line: 0, sku: 'tea', quantity: 1 },
      ]),
    ).toBe('unknown-line');
    expect(ask([])).toBe('unknown-line');
    expect(ask([{ line: 0, sku: 'tea', quantity: 1 }], { voided: true })).toBe('voided');
    expect(ask([{ line: 0, sku: 'tea', quantity: 1 }], { counted: false })).toBe('not-counted');
    expect(ask([{ line: 0, sku: 'tea', quantity: 1 }], { memberId: 'member-2' })).toBe('other-member');
    const altered = { ...sale, payload: { ...sale.payload, points: 999 } };
    expect(ask([{ line: 0, sku: 'tea', quantity: 1 }], { held: altered })).toBe('differs-from-held');
    const f = eventFactory({ terminalId: 't-2' });
    expect(
      mayReturn({
        original: f.adjusted(M, 10),
        voided: false,
        returnedBefore: none,
        lines: [{ line: 0, sku: 'x', quantity: 1 }],
      }).ok,
    ).toBe(false);
  });

  it('counts only returns that count, and a returned sale can no longer be voided', () => {
    const f = eventFactory({ terminalId: 't-3' });
    const ret = f.seal('points-returned', M, {
      original: sale,
      lines: [{ line: 0, sku: 'tea', quantity: 2 }],
      points: 2,
      spend: 200,
      reason: 'returned',
      managerId: 'm-1',
    });
    const refused = { ...ret, id: f.nextId() };
    const units = returnedUnits([
      { event: ret, counted: true },
      { event: refused, counted: false },
    ]);
    expect([...(units.get(sale.id) ?? [])]).toEqual([[0, 2]]);
    const verdict = mayVoid({ original: sale, alreadyVoided: false, returned: units.has(sale.id) });
    expect(verdict.ok ? 'allowed' : verdict.error.reason).toBe('returned');
  });
});

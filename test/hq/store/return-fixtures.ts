// Sales and returns as a till records them, for the HQ return tests: the sale is the program's quote of its
// basket, a return takes back what returnClawback says from the sale's points and the till's earlier returns.
import type { BasketLine } from '../../../src-shared/engine/basket.js';
import { quote } from '../../../src-shared/engine/quote.js';
import type { EventOf, ReturnedLine } from '../../../src-shared/ledger/events.js';
import { returnClawback, returnedUnits } from '../../../src-shared/ledger/returns.js';
import type { Program, ProgramInput } from '../../../src-shared/program/schema.js';
import type { EventFactory } from '../../support/events.js';
import { storeTestProgram } from './helpers.js';

/** 1 point per 1.00 EUR, coffee doubled. */
export const RETURNS_PROGRAM: Partial<ProgramInput> = {
  earning: {
    rules: [
      { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
      {
        id: 'coffee-x2',
        label: 'Coffee ×2',
        kind: 'multiplier',
        factor: 2,
        scope: { categories: ['coffee'] },
      },
    ],
  },
};
export const program: Program = storeTestProgram(RETURNS_PROGRAM);

const line = (sku: string, category: string, unitPrice: number, quantity = 1): BasketLine => ({
  sku,
  category,
  quantity,
  unitPrice,
  discount: 0,
});
/** 2 coffees at 4.50 (line 0), a cake at 10.00 (line 1), 3 teas at 3.00 (line 2): 28 base + 9 coffee = 37. */
export const BASKET = [
  line('coffee', 'coffee', 450, 2),
  line('cake', 'food', 1000),
  line('tea', 'tea', 300, 3),
];

/** A sale as the till records it: the quote of `lines` under the program, at the instant it is sealed. */
export function saleOf(
  f: EventFactory,
  memberId: string,
  lines: BasketLine[] = BASKET,
  claim?: number,
  p: Program = program,
): EventOf<'points-earned'> {
  const last = f.events.at(-1)?.occurredAt;
  const at = last ? Date.parse(last) + 60_000 : Date.parse('2025-03-03T09:00:00.000Z');
  const q = quote(
    { currency: 'EUR', lines },
    { tier: null, birthMonth: null, purchases: 1, plan: null, referredBy: null },
    p,
    at,
  );
  return f.seal(
    'points-earned',
    memberId,
    { basket: q.summary, lines, points: claim ?? q.points, explanation: q.explanation },
    at,
  );
}

/**
 * A return's payload as the till makes it: returnClawback from the sale's points and the till's earlier
 * returns of it (`prior`); `claim` replaces the figure (a till that computes otherwise).
 */
export function returnPayload(
  sale: EventOf<'points-earned'>,
  lines: ReturnedLine[],
  prior: readonly EventOf<'points-returned'>[] = [],
  claim?: number,
  p: Program = program,
): EventOf<'points-returned'>['payload'] {
  const returnedBefore =
    returnedUnits(prior.map((event) => ({ event, counted: true }))).get(sale.id) ?? new Map();
  const back = returnClawback({
    original: sale,
    program: p,
    applied: sale.payload.points,
    returnedBefore,
    takenBefore: prior.reduce((n, r) => n + r.payload.points, 0),
    lines,
  });
  return {
    original: sale,
    lines,
    points: claim ?? back.points,
    spend: back.spend,
    reason: 'Goods returned',
    managerId: 'm-1',
  };
}

/** A return sealed on the till's chain (see returnPayload). */
export function returnOf(
  f: EventFactory,
  sale: EventOf<'points-earned'>,
  lines: ReturnedLine[],
  prior: readonly EventOf<'points-returned'>[] = [],
  claim?: number,
): EventOf<'points-returned'> {
  return f.seal('points-returned', sale.memberId, returnPayload(sale, lines, prior, claim));
}

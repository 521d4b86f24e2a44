// Properties of the return rule over random programs, members, baskets and ways of returning them: every
// unit returned, in one return or several, takes back exactly the points the sale was applied at, each
// return allowed by mayReturn on its way and one unit more refused; and the member then stands exactly as
// after a void of the sale (balance, debt, batches, totals, qualifying), whatever was spent in between.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BasketLine } from '../../../src-shared/engine/basket.js';
import { quote } from '../../../src-shared/engine/quote.js';
import { applyEvents } from '../../../src-shared/ledger/apply-event.js';
import type { EventOf, LedgerEvent } from '../../../src-shared/ledger/events.js';
import { mayReturn, returnClawback, type ReturnedUnits } from '../../../src-shared/ledger/returns.js';
import { eventFactory } from '../../support/events.js';
import { atArb, lineArb, memberArb, programArb } from '../engine/arbitraries.js';
import { MAX_RETURNS, pointsState, splitReturns } from './return-helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const M = 'member-1';
const scenarioArb = fc.record({
  program: programArb(),
  member: memberArb,
  lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  at: atArb,
  assign: fc.array(fc.nat(MAX_RETURNS - 1), { minLength: 160, maxLength: 160 }),
  opening: fc.integer({ min: 0, max: 300 }),
  /** Share (%) of the balance after the sale redeemed before the returns. */
  spent: fc.integer({ min: 0, max: 100 }),
});

describe('returning every line of a sale', () => {
  it('takes back exactly what the sale was applied at, and leaves the member as a void does', () => {
    fc.assert(
      fc.property(scenarioArb, ({ program, member, lines, at, assign, opening, spent }) => {
        const q = quote({ currency: 'EUR', lines }, member, program, at);
        const start = at - 3_600_000;
        const twin = (terminalId: string) => {
          const f = eventFactory({ terminalId, start });
          const prelude: LedgerEvent[] = [f.enrolled(M)];
          if (opening > 0) prelude.push(f.adjusted(M, opening));
          const sale = f.seal(
            'points-earned',
            M,
            { basket: q.summary, lines, points: q.points, explanation: q.explanation },
            at,
          );
          prelude.push(sale);
          // Some of the balance spent (oldest batches first), so returns may leave debt as a void does.
          const redeem = Math.floor(((opening + q.points) * spent) / 100);
          if (redeem > 0) prelude.push(f.redeemed(M, redeem));
          return { f, prelude, sale };
        };

        // Returned in parts, each computed as the till does from the returns before it.
        const a = twin('t-a');
        const returns: EventOf<'points-returned'>[] = [];
        let before: ReturnedUnits = new Map();
        let taken = 0;
        for (const part of splitReturns(lines, assign)) {
          const allowed = mayReturn({ original: a.sale, voided: false, returnedBefore: before, lines: part });
          expect(allowed.ok).toBe(true);
          const back = returnClawback({
            original: a.sale,
            program,
            applied: q.points,
            returnedBefore: before,
            takenBefore: taken,
            lines: part,
          });
          expect(back.points).toBeGreaterThanOrEqual(0);
          returns.push(
            a.f.seal('points-returned', M, {
              original: a.sale,
              lines: part,
              points: back.points,
              spend: back.spend,
              reason: 'returned',
              managerId: 'm-1',
            }),
          );
          taken += back.points;
          const next = new Map(before);
          for (const r of part) next.set(r.line, (next.get(r.line) ?? 0) + r.quantity);
          before = next;
        }
        expect(taken).toBe(q.points);
        // Nothing is left: one more unit of the first line is beyond its quantity.
        const more = mayReturn({
          original: a.sale,
          voided: false,
          returnedBefore: before,
          lines: [{ line: 0, sku: (lines[0] as BasketLine).sku, quantity: 1 }],
        });
        expect(more.ok ? 'allowed' : more.error.reason).toBe('beyond-quantity');

        // The twin voids its sale.
        const b = twin('t-b');
        const voided = b.f.voided(b.sale);
        const ids = new Map<string, string>();
        a.prelude.forEach((e, i) => {
          ids.set(e.id, `event-${i}`);
          ids.set((b.prelude[i] as LedgerEvent).id, `event-${i}`);
        });
        const returned = applyEvents(null, [...a.prelude, ...returns], program);
        const asVoided = applyEvents(null, [...b.prelude, voided], program);
        expect(pointsState(returned, ids)).toEqual(pointsState(asVoided, ids));
        expect(returned?.purchases).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });
});

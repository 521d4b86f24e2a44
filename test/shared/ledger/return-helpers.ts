// Helpers for the return properties (the shared rule's, HQ's): every unit of a sale split among returns,
// and what a full return and a void of the sale must leave alike.
import type { BasketLine } from '../../../src-shared/engine/basket.js';
import type { ReturnedLine } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';

/** At most this many returns of one sale. */
export const MAX_RETURNS = 4;

/**
 * Every unit of every line handed to one of up to MAX_RETURNS returns (`assign`, one return index per
 * unit, in line order); empty returns are left out, and each return lists its lines in line order.
 */
export function splitReturns(lines: readonly BasketLine[], assign: readonly number[]): ReturnedLine[][] {
  const returns: Map<number, number>[] = Array.from({ length: MAX_RETURNS }, () => new Map());
  let k = 0;
  lines.forEach((l, i) => {
    for (let u = 0; u < l.quantity; u++) {
      const r = returns[(assign[k++] ?? 0) % MAX_RETURNS] as Map<number, number>;
      r.set(i, (r.get(i) ?? 0) + 1);
    }
  });
  return returns
    .filter((r) => r.size > 0)
    .map((r) => [...r].map(([line, quantity]) => ({ line, sku: (lines[line] as BasketLine).sku, quantity })));
}

/** What a return and a void must leave alike (a return keeps the purchase, a void does not). */
export function pointsState(m: Member | null, ids: ReadonlyMap<string, string>) {
  if (!m) return null;
  return {
    balance: m.balance,
    debt: m.debt,
    totals: m.totals,
    qualifying: m.qualifying,
    tier: m.tier,
    batches: m.batches.map((b) => ({ ...b, eventId: ids.get(b.eventId) ?? b.eventId })),
  };
}

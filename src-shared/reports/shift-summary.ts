// The store manager's shift summary (issue 13): what one till did on one store day, per cashier. Pure, from
// the till's own events, so it works offline and the screen and the printed slip cannot disagree.
//
// Counting rules (docs/decisions.md, "The shift summary's counting rules"):
// - the day is the store's calendar day of `occurredAt` in the program's zone, as the day close counts it;
// - only this till's events (HQ's jobs and other tills are not this till's shift);
// - an event HQ refused (conflict, rejected, quarantined: `counted: false`) counts nowhere, it is only
//   reported as left out; the till's own view of what HQ will count, like the balance shown;
// - points issued and redeemed are the day close's flows (closePointFlows), so the rows of a day add up to
//   the close's figures over the counted events: a void gives back what its original moved, a return
//   takes back its points;
// - a row belongs to the cashier signed in at the till (the event's cashierId); a manager's approval
//   (an override, an adjustment, a void, a return) counts on the row of the shift it happened in.
import { localTime } from '../kernel/zoned-time.js';
import type { LedgerEvent } from '../ledger/events.js';
import { closePointFlows } from '../sync/wire.js';

/** One cashier's (or the till's) figures for the day. */
export interface ShiftFigures {
  /** Sales recorded for a member (points-earned events), and their basket totals in minor units. */
  sales: number;
  spend: number;
  /** Points credited and debited, as the day close counts them. */
  pointsIssued: number;
  pointsRedeemed: number;
  enrollments: number;
  /** Redemptions a manager approved above the member's offline allowance. */
  overrides: number;
  /** Points adjustments (always a manager's). */
  adjustments: number;
  voids: number;
  /** Returns of lines of an earlier sale. */
  returns: number;
}

export interface CashierShift extends ShiftFigures {
  cashierId: string;
}

export interface ShiftSummary {
  businessDay: string;
  terminalId: string;
  /** One row per cashier with a counted event that day, in the order their first event was recorded. */
  cashiers: CashierShift[];
  /** The till's figures: the sum of the rows. */
  totals: ShiftFigures;
  /** Events of the day counted. */
  counted: number;
  /** Events of the day HQ refused (conflict, rejected, quarantined): left out of every figure. */
  notCounted: number;
}

/** An event of the till with whether HQ will count it (false: HQ refused it). */
export interface ShiftEvent {
  event: LedgerEvent;
  counted: boolean;
}

export interface ShiftSummaryInput {
  /** `YYYY-MM-DD` in the store's zone. */
  businessDay: string;
  /** The store's IANA zone (the program's). */
  timeZone: string;
  /** This till: events of other sources are left out. */
  terminalId: string;
  /** The till's events, in any order; those of other days are left out. */
  events: readonly ShiftEvent[];
}

export const emptyShiftFigures = (): ShiftFigures => ({
  sales: 0,
  spend: 0,
  pointsIssued: 0,
  pointsRedeemed: 0,
  enrollments: 0,
  overrides: 0,
  adjustments: 0,
  voids: 0,
  returns: 0,
});

const FIELDS = Object.keys(emptyShiftFigures()) as (keyof ShiftFigures)[];

/** Adds one event's contribution to a set of figures. */
function count(figures: ShiftFigures, event: LedgerEvent): void {
  const flows = closePointFlows(event);
  figures.pointsIssued += flows.issued;
  figures.pointsRedeemed += flows.redeemed;
  switch (event.type) {
    case 'points-earned':
      figures.sales += 1;
      figures.spend += event.payload.basket.total;
      break;
    case 'member-enrolled':
      figures.enrollments += 1;
      break;
    case 'points-redeemed':
      if (event.payload.override !== null) figures.overrides += 1;
      break;
    case 'points-adjusted':
      figures.adjustments += 1;
      break;
    case 'event-voided':
      figures.voids += 1;
      break;
    case 'points-returned':
      figures.returns += 1;
      break;
    default:
      break;
  }
}

/** The till's summary of a store day, per cashier. */
export function shiftSummary(input: ShiftSummaryInput): ShiftSummary {
  const { businessDay, timeZone, terminalId } = input;
  const ofDay = input.events
    .filter((e) => e.event.terminalId === terminalId)
    .filter((e) => localTime(Date.parse(e.event.occurredAt), timeZone).date === businessDay)
    .sort((a, b) => a.event.terminalSeq - b.event.terminalSeq);
  const rows = new Map<string, CashierShift>();
  let counted = 0;
  for (const { event, counted: isCounted } of ofDay) {
    if (!isCounted) continue;
    counted += 1;
    let row = rows.get(event.cashierId);
    if (!row) {
      row = { cashierId: event.cashierId, ...emptyShiftFigures() };
      rows.set(event.cashierId, row);
    }
    count(row, event);
  }
  const cashiers = [...rows.values()];
  return {
    businessDay,
    terminalId,
    cashiers,
    totals: sumShiftFigures(cashiers),
    counted,
    notCounted: ofDay.length - counted,
  };
}

/** The field-by-field sum of several figures. */
export function sumShiftFigures(rows: readonly ShiftFigures[]): ShiftFigures {
  const total = emptyShiftFigures();
  for (const row of rows) for (const field of FIELDS) total[field] += row[field];
  return total;
}

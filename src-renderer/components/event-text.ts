// One line of words for a recorded event, as the counter lists it (the void panel, the member's history):
// what happened and its points, the reward by its label. Pure, so both lists say the same.
import { formatMoney } from '../../src-shared/kernel/money.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { EventSyncStatus } from '../db/schemas.js';
import { signedPointsText } from '../hooks/format.js';

export function eventText(event: LedgerEvent, program: Program | null): string {
  switch (event.type) {
    case 'member-enrolled':
      return event.payload.welcomeBonus
        ? `Enrolled: ${signedPointsText(event.payload.welcomeBonus)} welcome`
        : 'Enrolled';
    case 'points-earned':
      return `Sale ${formatMoney(event.payload.basket.total, event.payload.basket.currency)}: ${signedPointsText(event.payload.points)}`;
    case 'points-redeemed': {
      const label =
        program?.rewards.find((r) => r.id === event.payload.rewardId)?.label ?? event.payload.rewardId;
      return `Redeemed ${label}: ${signedPointsText(-event.payload.cost)}`;
    }
    case 'points-adjusted':
      return `Adjustment (${event.payload.reasonCode}): ${signedPointsText(event.payload.points)}`;
    case 'bonus-awarded':
      return `${event.payload.kind} bonus: ${signedPointsText(event.payload.points)}`;
    case 'event-voided':
      return `Void of ${eventText(event.payload.original, program).toLowerCase()}`;
    case 'points-returned': {
      const units = event.payload.lines.reduce((n, l) => n + l.quantity, 0);
      return `Return of ${units} ${units === 1 ? 'item' : 'items'}: ${signedPointsText(-event.payload.points)}`;
    }
    case 'member-updated':
      return 'Details updated';
    default:
      return event.type;
  }
}

/** Where HQ stands on one of this terminal's events, in the cashier's words. */
export function syncStatusText(status: EventSyncStatus): string {
  switch (status) {
    case 'local':
      return 'pending';
    case 'posted':
      return 'posted';
    case 'flagged':
      return 'flagged for review';
    case 'quarantined':
    case 'conflict':
    case 'rejected':
      return 'refused by HQ';
  }
}

// One line of words for a recorded event, as the counter lists it (the void panel, the member's history):
// what happened and its points, the reward by its label, in the counter's language. Pure, so both lists
// say the same.
import { cardOfPlaceholder } from '../../src-shared/ledger/card-earn.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { EventSyncStatus } from '../db/schemas.js';
import { moneyText, signedPointsText } from '../hooks/format.js';
import { maskedCard } from '../hooks/scan-outcome.js';
import { i18n } from '../i18n/index.js';

export function eventText(event: LedgerEvent, program: Program | null): string {
  switch (event.type) {
    case 'member-enrolled':
      return event.payload.welcomeBonus
        ? i18n.t('events.enrolledWelcome', { points: signedPointsText(event.payload.welcomeBonus) })
        : i18n.t('events.enrolled');
    case 'points-earned': {
      // An earn on a card this till did not know (src-shared/ledger/card-earn.ts) says so, and which card.
      const card = cardOfPlaceholder(event.memberId);
      if (card !== null)
        return i18n.t('events.earnedOnCard', {
          total: moneyText(event.payload.basket.total, event.payload.basket.currency),
          card: maskedCard(card),
          points: signedPointsText(event.payload.points),
        });
      return i18n.t('events.earned', {
        total: moneyText(event.payload.basket.total, event.payload.basket.currency),
        points: signedPointsText(event.payload.points),
      });
    }
    case 'points-redeemed': {
      // The reward's label is the program's own (from HQ), as HQ wrote it.
      const label =
        program?.rewards.find((r) => r.id === event.payload.rewardId)?.label ?? event.payload.rewardId;
      return i18n.t('events.redeemed', { reward: label, points: signedPointsText(-event.payload.cost) });
    }
    case 'points-adjusted':
      return i18n.t('events.adjusted', {
        reason: i18n.t(`events.reasons.${event.payload.reasonCode}`),
        points: signedPointsText(event.payload.points),
      });
    case 'bonus-awarded':
      return i18n.t(`events.bonus.${event.payload.kind}`, { points: signedPointsText(event.payload.points) });
    case 'event-voided':
      return i18n.t('events.voided', { what: eventText(event.payload.original, program).toLowerCase() });
    case 'points-returned': {
      const units = event.payload.lines.reduce((n, l) => n + l.quantity, 0);
      return i18n.t('events.returned', { count: units, points: signedPointsText(-event.payload.points) });
    }
    case 'member-updated':
      return i18n.t('events.updated');
    default:
      return event.type;
  }
}

/** Where HQ stands on one of this terminal's events, in the cashier's words. */
export function syncStatusText(status: EventSyncStatus): string {
  switch (status) {
    case 'local':
    case 'posted':
    case 'flagged':
      return i18n.t(`events.sync.${status}`);
    case 'quarantined':
    case 'conflict':
    case 'rejected':
      return i18n.t('events.sync.refused');
  }
}

// A member's history as the console shows it: what became of each event at HQ (its state) and one line
// saying what it was. Pure: the store hands in HQ's bookkeeping (status, applied, whether a void or a
// held claim names it).
import type { EventState } from '../console/members.js';
import type { LedgerEvent } from '../ledger/events.js';

export interface EventBookkeeping {
  status: 'posted' | 'flagged' | 'quarantined';
  applied: boolean;
  /** Null: waiting for its member (never applied yet). */
  memberSeq: number | null;
  /** An applied void names it. */
  voided: boolean;
  /** An open review item holds part of its claim. */
  held: boolean;
}

export function eventState(b: EventBookkeeping): EventState {
  if (b.status === 'quarantined') return 'quarantined';
  if (!b.applied) return b.memberSeq === null ? 'waiting' : 'refused';
  if (b.voided) return 'voided';
  if (b.held) return 'held';
  return 'applied';
}

/** The points an event claims (null: it moves none, or its figure is the program's, as a plan's bonus). */
export function claimedPoints(event: LedgerEvent): number | null {
  switch (event.type) {
    case 'member-enrolled':
      return event.payload.welcomeBonus;
    case 'points-earned':
    case 'points-adjusted':
    case 'bonus-awarded':
      return event.payload.points;
    case 'points-redeemed':
      return -event.payload.cost;
    case 'points-expired':
    case 'points-returned':
      return -event.payload.points;
    case 'event-voided': {
      const original = claimedPoints(event.payload.original);
      return original === null ? null : -original;
    }
    default:
      return null;
  }
}

const money = (minor: number, currency: string): string => `${(minor / 100).toFixed(2)} ${currency}`;

/** One line saying what the event was (no personal data: names and phones are not repeated here). */
export function eventDetail(event: LedgerEvent): string {
  switch (event.type) {
    case 'member-enrolled':
      return event.payload.welcomeBonus > 0
        ? `enrolled, welcome bonus ${event.payload.welcomeBonus}`
        : 'enrolled';
    case 'member-updated': {
      const p = event.payload;
      const parts = [
        p.displayName !== undefined ? 'name' : null,
        p.phoneHash !== undefined ? 'phone' : null,
        p.birthMonth !== undefined ? 'birthday' : null,
        p.addCards?.length ? `card added ${p.addCards.join(', ')}` : null,
        p.removeCards?.length ? `card removed ${p.removeCards.join(', ')}` : null,
        p.status !== undefined ? `status ${p.status}` : null,
      ].filter((x): x is string => x !== null);
      return parts.length > 0 ? `updated: ${parts.join('; ')}` : 'updated';
    }
    case 'points-earned':
      return `basket ${money(event.payload.basket.total, event.payload.basket.currency)}, ${event.payload.basket.items} items`;
    case 'points-redeemed':
      return `reward ${event.payload.rewardId} × ${event.payload.quantity} (${event.payload.mode})`;
    case 'points-adjusted':
      return `${event.payload.reasonCode}${event.payload.note ? `: ${event.payload.note}` : ''}`;
    case 'bonus-awarded':
      return `${event.payload.kind} bonus${event.payload.note ? `: ${event.payload.note}` : ''}`;
    case 'points-expired':
      return `expired (${event.payload.reason})`;
    case 'tier-changed':
      return `tier ${event.payload.from ?? 'none'} → ${event.payload.to ?? 'none'}`;
    case 'plan-joined':
      return `joined plan ${event.payload.planId} until ${event.payload.until.slice(0, 10)}`;
    case 'event-voided':
      return `void of ${event.payload.original.type} ${event.payload.original.id}: ${event.payload.reason}`;
    case 'points-returned':
      return `return of ${event.payload.lines.length} line(s): ${event.payload.reason}`;
  }
}

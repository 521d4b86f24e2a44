// Points expiry under the program's policy: what HQ's nightly job should expire now (it turns the answer
// into a `points-expired` event), and what will expire soon (for the member screen's warning).
// Rolling: each earned batch lapses on its own `expiresAt`. Inactivity: the whole balance lapses
// `months` after the last earn or redemption (or enrolment, if none).
import { DAY_MS } from '../kernel/clock.js';
import { addMonthsToInstant } from '../kernel/zoned-time.js';
import type { Member } from '../ledger/member.js';
import type { Program } from '../program/schema.js';

export interface DueExpiry {
  points: number;
  reason: 'rolling' | 'inactivity';
  /** Under rolling expiry, the event ids of the expired batches; empty under inactivity. */
  batches: string[];
}

type ExpiryMember = Pick<Member, 'balance' | 'batches' | 'lastActivityAt' | 'enrolledAt'>;

/** When the whole balance lapses under inactivity expiry, epoch ms. */
export function inactivityDeadline(
  member: Pick<Member, 'lastActivityAt' | 'enrolledAt'>,
  months: number,
): number {
  return Date.parse(addMonthsToInstant(member.lastActivityAt ?? member.enrolledAt, months));
}

/** Points due to expire at `at`, or null when nothing is due. */
export function dueExpiry(
  member: ExpiryMember,
  program: Pick<Program, 'expiry'>,
  at: number,
): DueExpiry | null {
  const expiry = program.expiry;
  switch (expiry.mode) {
    case 'none':
      return null;
    case 'rolling': {
      let points = 0;
      const batches: string[] = [];
      for (const b of member.batches) {
        // A batch earned while the program had no expiry carries no date and never lapses.
        if (b.expiresAt === null || b.remaining <= 0 || Date.parse(b.expiresAt) > at) continue;
        points += b.remaining;
        batches.push(b.eventId);
      }
      return points > 0 ? { points, reason: 'rolling', batches } : null;
    }
    case 'inactivity':
      if (member.balance <= 0 || inactivityDeadline(member, expiry.months) > at) return null;
      return { points: member.balance, reason: 'inactivity', batches: [] };
  }
}

/**
 * Points that will have expired `withinDays` days from `at` (points already due but not yet expired by
 * HQ's job count too: they will be gone by then).
 */
export function expiringSoon(
  member: ExpiryMember,
  program: Pick<Program, 'expiry'>,
  at: number,
  withinDays: number,
): number {
  const horizon = at + withinDays * DAY_MS;
  const expiry = program.expiry;
  switch (expiry.mode) {
    case 'none':
      return 0;
    case 'rolling': {
      let points = 0;
      for (const b of member.batches)
        if (b.expiresAt !== null && b.remaining > 0 && Date.parse(b.expiresAt) <= horizon)
          points += b.remaining;
      return points;
    }
    case 'inactivity':
      return member.balance > 0 && inactivityDeadline(member, expiry.months) <= horizon ? member.balance : 0;
  }
}

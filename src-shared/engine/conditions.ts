// When an earn rule applies: days of the week, a local time window, a date range, a minimum basket,
// member tiers, the birthday month, the first purchase. Days, times and dates are the store's wall clock
// (the program's IANA zone), so "7:00–10:00" stays 7:00–10:00 across daylight-saving changes.
import { localTime, type LocalTime } from '../kernel/zoned-time.js';
import type { Member } from '../ledger/member.js';
import type { Conditions } from '../program/schema.js';

/** The member facts the earn engine needs; a terminal may hold no more than this. */
export type QuoteMember = Pick<Member, 'tier' | 'birthMonth' | 'purchases' | 'plan' | 'referredBy'>;

export interface ConditionContext {
  /** The instant of the purchase, epoch ms. */
  at: number;
  /** The store's IANA zone (the program's). */
  timeZone: string;
  /** The basket's eligible amount (excluded lines left out), minor units: what `minBasket` compares with. */
  basketEligible: number;
  member: QuoteMember;
}

/** Minutes since midnight of an `HH:MM` string (validated by the program schema). */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/**
 * Whether a local minute falls in a window; `to` is exclusive. A window whose end is before its start
 * crosses midnight (22:00–02:00); equal ends mean the whole day.
 */
export function inTimeWindow(minuteOfDay: number, from: number, to: number): boolean {
  if (from === to) return true;
  if (from < to) return minuteOfDay >= from && minuteOfDay < to;
  return minuteOfDay >= from || minuteOfDay < to;
}

// A quote evaluates many rules at one instant, and Intl formatting is the slowest step; one remembered
// answer covers all of them (and repeated quotes of the same basket).
let lastAt = Number.NaN;
let lastZone = '';
let lastLocal: LocalTime | null = null;

/** `localTime`, remembering the last answer. */
export function localTimeCached(at: number, timeZone: string): LocalTime {
  if (lastLocal === null || at !== lastAt || timeZone !== lastZone) {
    lastLocal = localTime(at, timeZone);
    lastAt = at;
    lastZone = timeZone;
  }
  return lastLocal;
}

/** True when every condition present holds (no conditions: always). */
export function conditionsHold(conditions: Conditions | undefined, ctx: ConditionContext): boolean {
  if (!conditions) return true;
  const { daysOfWeek, timeWindow, dateRange, minBasket, tiers, birthdayMonth, firstPurchase } = conditions;
  // Cheap member and basket checks first: they need no calendar.
  if (minBasket !== undefined && ctx.basketEligible < minBasket) return false;
  if (tiers && (ctx.member.tier === null || !tiers.includes(ctx.member.tier))) return false;
  if (firstPurchase && ctx.member.purchases !== 0) return false;
  if (!daysOfWeek && !timeWindow && !dateRange && !birthdayMonth) return true;
  const local = localTimeCached(ctx.at, ctx.timeZone);
  // Days apply to the calendar day of the instant: with a 22:00–02:00 window on Fridays, Saturday 01:00
  // is a Saturday.
  if (daysOfWeek && !daysOfWeek.includes(local.weekday)) return false;
  if (timeWindow && !inTimeWindow(local.minuteOfDay, minutesOf(timeWindow.from), minutesOf(timeWindow.to)))
    return false;
  if (dateRange && (local.date < dateRange.from || local.date > dateRange.to)) return false;
  if (birthdayMonth && ctx.member.birthMonth !== local.monthNumber) return false;
  return true;
}

// Re-engagement segments: which members to bring back, and why, decided here without I/O so HQ's SQL only
// narrows the candidates and every threshold is tested on hand-built members.
//   dormant      points to spend (net balance > 0) and no visit for `days` days: the last visit (an event
//                at a store's terminal, or the enrolment when there is none) at or before now − days.
//   expiring     points that will have lapsed `days` days from now under the program's expiry, by the same
//                rule HQ's nightly job expires them with (engine/expiry.ts expiringSoon): rolling batches
//                whose expiresAt ≤ now + days, or the whole balance when the inactivity deadline is by then.
//   near-reward  net points below the cheapest reward the member may redeem (active, and their tier's if
//                tier-only) and no further from it than `withinPoints` points or `withinPercent` % of its cost.
// Every segment needs points to spend: a member with none has nothing that could bring them back.
import { DAY_MS } from '../kernel/clock.js';
import { localTime } from '../kernel/zoned-time.js';
import { expiringSoon, inactivityDeadline } from '../engine/expiry.js';
import { netPoints, type Member } from '../ledger/member.js';
import type { Program, Reward } from '../program/schema.js';

export const SEGMENTS = ['dormant', 'expiring', 'near-reward'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** A segment's own parameters (the filters, store, tier and minimum points, come on top). */
export interface SegmentRule {
  segment: Segment;
  /** Dormant: days without a visit; expiring: the horizon in days. */
  days?: number | undefined;
  /** Near-reward: at most this many points short. */
  withinPoints?: number | undefined;
  /** Near-reward: at most this share of the reward's cost short, in percent. */
  withinPercent?: number | undefined;
}

export const DEFAULT_DAYS: Record<Exclude<Segment, 'near-reward'>, number> = { dormant: 90, expiring: 30 };
/** Near-reward with neither bound given: within 10 % of the reward's cost. */
export const DEFAULT_WITHIN_PERCENT = 10;

/** What a segment reads of a member: the projection plus the last visit HQ found in the events. */
export type SegmentMember = Pick<
  Member,
  'status' | 'balance' | 'debt' | 'tier' | 'batches' | 'lastActivityAt' | 'enrolledAt'
> & {
  /** The member's latest event at a store's terminal (not HQ's own events), or null. */
  lastVisitAt: string | null;
};

/** Why a member is in the segment, in words and in figures. */
export interface SegmentReason {
  /** "320 points expire on 2025-04-01". */
  text: string;
  /** Dormant: the balance; expiring: the points that lapse; near-reward: the points still needed. */
  points: number;
  /** Dormant: the last visit; expiring: the first lapse; near-reward: null. Local date in the program's zone. */
  date: string | null;
  /** Near-reward: the reward in reach. */
  rewardId: string | null;
}

const plural = (n: number, one: string): string => `${n} ${n === 1 ? one : `${one}s`}`;
const pts = (n: number): string => plural(n, 'point');

/** The days a rule runs with (its own, or the segment's default). */
export function ruleDays(rule: SegmentRule): number {
  if (rule.segment === 'near-reward') return 0;
  return rule.days ?? DEFAULT_DAYS[rule.segment];
}

/** Whether and why a member belongs to the segment at `at`; null when not. */
export function matchSegment(
  rule: SegmentRule,
  member: SegmentMember,
  program: Pick<Program, 'expiry' | 'rewards' | 'timeZone'>,
  at: number,
): SegmentReason | null {
  const net = netPoints(member);
  if (member.status !== 'active' || net <= 0) return null;
  const day = (ms: number): string => localTime(ms, program.timeZone).date;
  switch (rule.segment) {
    case 'dormant': {
      const days = ruleDays(rule);
      const last = Date.parse(member.lastVisitAt ?? member.enrolledAt);
      if (last > at - days * DAY_MS) return null;
      const idle = Math.floor((at - last) / DAY_MS);
      return {
        text: `${pts(net)} unused, last visit ${day(last)} (${plural(idle, 'day')} ago)`,
        points: net,
        date: day(last),
        rewardId: null,
      };
    }
    case 'expiring': {
      const horizon = at + ruleDays(rule) * DAY_MS;
      const points = expiringSoon(member, program, at, ruleDays(rule));
      const lapses = lapseDates(member, program, horizon);
      if (points <= 0 || lapses === null) return null;
      const [first, last] = [day(lapses.first), day(lapses.last)];
      const when = first === last ? `on ${first}` : `between ${first} and ${last}`;
      return { text: `${pts(points)} expire ${when}`, points, date: first, rewardId: null };
    }
    case 'near-reward': {
      const reward = cheapestReward(member, program.rewards);
      if (!reward || net >= reward.cost) return null;
      const short = reward.cost - net;
      const withinPercent =
        rule.withinPercent ?? (rule.withinPoints === undefined ? DEFAULT_WITHIN_PERCENT : undefined);
      const byPoints = rule.withinPoints !== undefined && short <= rule.withinPoints;
      // short / cost ≤ percent / 100, in integers.
      const byPercent = withinPercent !== undefined && short * 100 <= reward.cost * withinPercent;
      if (!byPoints && !byPercent) return null;
      return {
        text: `${pts(short)} from "${reward.label}" (${pts(reward.cost)})`,
        points: short,
        date: null,
        rewardId: reward.id,
      };
    }
  }
}

/**
 * The cheapest reward this member may redeem: active, and for their tier when tier-only (the checks
 * engine/redemption.ts makes before the points); ties go to the first listed.
 */
export function cheapestReward(member: Pick<Member, 'tier'>, rewards: readonly Reward[]): Reward | null {
  let best: Reward | null = null;
  for (const r of rewards) {
    if (!r.active) continue;
    if (r.tiers && (member.tier === null || !r.tiers.includes(member.tier))) continue;
    if (best === null || r.cost < best.cost) best = r;
  }
  return best;
}

/**
 * The first and last instants at which points of this member lapse by `horizon`: the rolling batches
 * still holding points that expire by then (each on its own date, as the nightly job expires them), or the
 * inactivity deadline. Null when nothing lapses by then.
 */
export function lapseDates(
  member: Pick<Member, 'balance' | 'batches' | 'lastActivityAt' | 'enrolledAt'>,
  program: Pick<Program, 'expiry'>,
  horizon: number,
): { first: number; last: number } | null {
  const expiry = program.expiry;
  switch (expiry.mode) {
    case 'none':
      return null;
    case 'rolling': {
      const dates = member.batches
        .filter((b) => b.expiresAt !== null && b.remaining > 0)
        .map((b) => Date.parse(b.expiresAt!))
        .filter((t) => t <= horizon);
      return dates.length === 0 ? null : { first: Math.min(...dates), last: Math.max(...dates) };
    }
    case 'inactivity': {
      const deadline = inactivityDeadline(member, expiry.months);
      return member.balance > 0 && deadline <= horizon ? { first: deadline, last: deadline } : null;
    }
  }
}

// HQ reports for the program administrator: the points liability (members' balances less their debt, and
// what that is worth in money at the program's point value), points issued, redeemed and expired per local
// day, and the review queue. Points come from what HQ applied (events.points_delta, members' balances),
// never from event payloads, so the daily flows add up to the liability's change exactly.
// Read-only queries, so in a scaled deployment they can run on a read replica (docs/operations.md).
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { Queryable } from '../db/database.js';
import { listReviews, type ReviewItem } from '../store/reviews.js';

/** `points × value / per` in minor units, half rounded up (away from zero), exact for any size. */
export function pointsToMoney(points: number | bigint, pointValue: Program['pointValue']): number {
  const n = BigInt(points) * BigInt(pointValue.value);
  const d = BigInt(pointValue.points);
  const sign = n < 0n ? -1n : 1n;
  const abs = n * sign;
  return Number(sign * ((abs * 2n + d) / (2n * d)));
}

// Sums are taken as numeric in SQL and read as text: the driver refuses an int8 beyond 2^53 (and a sum of
// int8 can pass 2^63), so a large program's totals would make the report fail. The arithmetic is exact in
// BigInt; a figure becomes a JS number only at the end, exact up to 2^53 points (beyond, the nearest
// double: shown, never a failure).
const big = (text: string | null): bigint => BigInt(text ?? '0');

export interface LiabilityLine {
  tier: string | null;
  members: number;
  /** Net points of the tier's members: balances less debt. */
  points: number;
  liability: number;
}

export interface LiabilityReport {
  programId: string;
  programVersion: number;
  currency: string;
  pointValue: Program['pointValue'];
  members: number;
  membersWithPoints: number;
  /** Spendable points held by members (Σ balance). */
  outstandingPoints: number;
  /** Points owed by members after overdrafts (Σ debt), recovered from their future credits. */
  debtPoints: number;
  /** What HQ owes in points: outstandingPoints − debtPoints. */
  netPoints: number;
  /** netPoints at the program's point value, minor units of `currency`. */
  liability: number;
  byTier: LiabilityLine[];
}

/**
 * The points liability of every member who is not deleted, at the current program's point value: the
 * members' balances less their debt, i.e. the sum of every points_delta HQ applied to them.
 */
export async function liabilityReport(db: Queryable, program: Program): Promise<LiabilityReport> {
  const { rows } = await db.query<{
    tier: string | null;
    members: string;
    with_points: string;
    points: string;
    debt: string;
  }>(
    `SELECT tier, count(*)::text AS members, count(*) FILTER (WHERE balance > 0)::text AS with_points,
            coalesce(sum(balance::numeric), 0)::text AS points, coalesce(sum(debt::numeric), 0)::text AS debt
     FROM members WHERE NOT deleted GROUP BY tier ORDER BY tier NULLS FIRST`,
  );
  const order = new Map((program.tiers?.levels ?? []).map((l, i) => [l.id, i]));
  const byTier = rows
    .map((r) => {
      const net = big(r.points) - big(r.debt);
      return {
        tier: r.tier,
        members: Number(r.members),
        points: Number(net),
        liability: pointsToMoney(net, program.pointValue),
      };
    })
    .sort(
      (a, b) =>
        (a.tier === null ? -1 : (order.get(a.tier) ?? 99)) -
        (b.tier === null ? -1 : (order.get(b.tier) ?? 99)),
    );
  const outstanding = rows.reduce((s, r) => s + big(r.points), 0n);
  const debt = rows.reduce((s, r) => s + big(r.debt), 0n);
  return {
    programId: program.id,
    programVersion: program.version,
    currency: program.currency,
    pointValue: program.pointValue,
    members: rows.reduce((s, r) => s + Number(r.members), 0),
    membersWithPoints: rows.reduce((s, r) => s + Number(r.with_points), 0),
    outstandingPoints: Number(outstanding),
    debtPoints: Number(debt),
    netPoints: Number(outstanding - debt),
    liability: pointsToMoney(outstanding - debt, program.pointValue),
    byTier,
  };
}

export interface DailyFlow {
  /** Local date `YYYY-MM-DD` in the program's time zone. */
  day: string;
  /** Events stored for the day (applied or not; quarantined ones left out). */
  events: number;
  /**
   * Points HQ credited: each applied event's positive points_delta — earns, bonuses, welcome and join
   * bonuses, positive adjustments, voids of debits (a voided redemption gives points back).
   */
  issued: number;
  /**
   * Points HQ debited: each applied event's negative points_delta, as a positive figure — redemptions,
   * negative adjustments, voids of credits (a voided earn takes points back).
   */
  redeemed: number;
  /** Points that lapsed: what HQ's expiry events took, as a positive figure. */
  expired: number;
}

// Only what HQ applied counts: events.points_delta, the change of the member's balance − debt that HQ made
// for the event (0 when refused, waiting for its member, or otherwise not applied). Never the payload:
// HQ may apply an event at its own figure rather than the terminal's. The split by sign per event is the
// day close's (closePointFlows in src-shared/sync/wire.ts), expiries apart, so that
// issued − redeemed − expired = Σ points_delta = the change of the liability, exactly.
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The daily flows ($1 the zone, $2 the local days as a date[]), aggregated in SQL one day at a time: each
 * day is a range of occurred_at computed by PostgreSQL in the zone (23 or 25 hours on daylight-saving days),
 * the events' partition key (migration 0018), so each day reads only its month's partition, through the
 * covering index on occurred_at (migration 0010) without reading the events' bodies. Per day rather than one
 * GROUP BY over the range: the planner cannot estimate how many local days a range of instants holds, and
 * at 10 million events it sorted the whole range on disk to group it (bench/history.bench.ts: 3.1 s for 30
 * days against 1.2 s per day). Sums of bigint are numeric in PostgreSQL, read as text (exact).
 */
export const DAILY_FLOWS_SQL = `SELECT to_char(d, 'YYYY-MM-DD') AS day, f.events::text AS events, f.issued::text AS issued,
            f.redeemed::text AS redeemed, f.expired::text AS expired
     FROM unnest($2::date[]) AS d,
     LATERAL (
       SELECT count(*) AS events,
              coalesce(sum(greatest(delta, 0)) FILTER (WHERE NOT expiry), 0) AS issued,
              coalesce(sum(greatest(-delta, 0)) FILTER (WHERE NOT expiry), 0) AS redeemed,
              coalesce(sum(-delta) FILTER (WHERE expiry), 0) AS expired
       FROM (
         SELECT type = 'points-expired' AS expiry, CASE WHEN applied THEN points_delta ELSE 0 END AS delta
         FROM events
         WHERE status <> 'quarantined'
           AND occurred_at >= d::timestamp AT TIME ZONE $1 AND occurred_at < (d + 1)::timestamp AT TIME ZONE $1
       ) e
     ) f
     WHERE f.events > 0
     ORDER BY d`;

/** The local days from `from` to `to` inclusive (`YYYY-MM-DD`), none when `to` is before `from`. */
export function daysOf(range: { from: string; to: string }): string[] {
  const first = Date.parse(`${range.from}T00:00:00Z`);
  const last = Date.parse(`${range.to}T00:00:00Z`);
  if (!DAY.test(range.from) || !DAY.test(range.to) || Number.isNaN(first) || Number.isNaN(last))
    throw new RangeError('days are YYYY-MM-DD');
  const days: string[] = [];
  for (let t = first; t <= last; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Points issued, redeemed and expired per local day (the program's time zone, by when events happened)
 * from `from` to `to` inclusive (`YYYY-MM-DD`). Days without events are left out.
 */
export async function dailyFlows(
  db: Queryable,
  timeZone: string,
  range: { from: string; to: string },
): Promise<DailyFlow[]> {
  const { rows } = await db.query<{
    day: string;
    events: string;
    issued: string;
    redeemed: string;
    expired: string;
  }>(DAILY_FLOWS_SQL, [timeZone, daysOf(range)]);
  return rows.map((r) => ({
    day: r.day,
    events: Number(r.events),
    issued: Number(big(r.issued)),
    redeemed: Number(big(r.redeemed)),
    expired: Number(big(r.expired)),
  }));
}

/** The last `days` local days up to the day of `now` (inclusive), as a `dailyFlows` range. */
export function lastDays(now: number, timeZone: string, days: number): { from: string; to: string } {
  const to = localTime(now, timeZone).date;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export interface ReviewQueueReport {
  open: number;
  byKind: { kind: string; open: number; oldest: string }[];
  /** The oldest open items (the queue order), up to the limit asked. */
  items: ReviewItem[];
}

export async function reviewQueueReport(
  db: Queryable,
  options: { limit?: number } = {},
): Promise<ReviewQueueReport> {
  const { rows } = await db.query<{ kind: string; open: number; oldest: string }>(
    `SELECT kind, count(*)::bigint AS open, min(created_at) AS oldest FROM review_items
     WHERE status = 'open' GROUP BY kind ORDER BY count(*) DESC, kind`,
  );
  const items = await listReviews(db, { status: 'open', limit: options.limit ?? 20 });
  return { open: rows.reduce((s, r) => s + r.open, 0), byKind: rows, items };
}

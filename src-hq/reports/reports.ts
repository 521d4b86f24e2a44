// HQ reports for the program administrator: the points liability (what outstanding points are worth in
// money, at the program's point value), points issued vs redeemed per local day, and the review queue.
// Read-only queries, so in a scaled deployment they can run on a read replica (docs/operations.md).
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { Queryable } from '../db/database.js';
import { listReviews, type ReviewItem } from '../store/reviews.js';

/** `points × value / per` in minor units, half rounded up, exact for any size. */
export function pointsToMoney(points: number, pointValue: Program['pointValue']): number {
  const n = BigInt(points) * BigInt(pointValue.value);
  const d = BigInt(pointValue.points);
  const sign = n < 0n ? -1n : 1n;
  const abs = n * sign;
  return Number(sign * ((abs * 2n + d) / (2n * d)));
}

export interface LiabilityLine {
  tier: string | null;
  members: number;
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
  /** Spendable points held by members: what HQ owes. */
  outstandingPoints: number;
  /** Points owed by members after overdrafts, recovered from future earns (shown, never netted). */
  debtPoints: number;
  /** outstandingPoints at the program's point value, minor units of `currency`. */
  liability: number;
  byTier: LiabilityLine[];
}

/** The points liability of every member who is not deleted, at the current program's point value. */
export async function liabilityReport(db: Queryable, program: Program): Promise<LiabilityReport> {
  const { rows } = await db.query<{
    tier: string | null;
    members: number;
    with_points: number;
    points: number;
    debt: number;
  }>(
    `SELECT tier, count(*)::bigint AS members, count(*) FILTER (WHERE balance > 0)::bigint AS with_points,
            coalesce(sum(balance), 0)::bigint AS points, coalesce(sum(debt), 0)::bigint AS debt
     FROM members WHERE NOT deleted GROUP BY tier ORDER BY tier NULLS FIRST`,
  );
  const order = new Map((program.tiers?.levels ?? []).map((l, i) => [l.id, i]));
  const byTier = rows
    .map((r) => ({
      tier: r.tier,
      members: r.members,
      points: r.points,
      liability: pointsToMoney(r.points, program.pointValue),
    }))
    .sort(
      (a, b) =>
        (a.tier === null ? -1 : (order.get(a.tier) ?? 99)) -
        (b.tier === null ? -1 : (order.get(b.tier) ?? 99)),
    );
  const outstandingPoints = rows.reduce((s, r) => s + r.points, 0);
  return {
    programId: program.id,
    programVersion: program.version,
    currency: program.currency,
    pointValue: program.pointValue,
    members: rows.reduce((s, r) => s + r.members, 0),
    membersWithPoints: rows.reduce((s, r) => s + r.with_points, 0),
    outstandingPoints,
    debtPoints: rows.reduce((s, r) => s + r.debt, 0),
    liability: pointsToMoney(outstandingPoints, program.pointValue),
    byTier,
  };
}

export interface DailyFlow {
  /** Local date `YYYY-MM-DD` in the program's time zone. */
  day: string;
  events: number;
  /** Points credited: earns, bonuses, welcome bonuses, positive adjustments, voided debits given back. */
  issued: number;
  /** Points debited: redemptions, negative adjustments, voided credits taken back. */
  redeemed: number;
  /** Points that lapsed (HQ's expiry job). */
  expired: number;
}

// The same split as the day close (closePointFlows in src-shared/sync/wire.ts), in SQL, so the report and
// the terminals' close figures agree; quarantined events moved no points and are left out.
const POINTS_DELTA = `CASE type
  WHEN 'member-enrolled' THEN (p->>'welcomeBonus')::bigint
  WHEN 'points-earned' THEN (p->>'points')::bigint
  WHEN 'bonus-awarded' THEN (p->>'points')::bigint
  WHEN 'points-adjusted' THEN (p->>'points')::bigint
  WHEN 'points-redeemed' THEN -(p->>'cost')::bigint
  WHEN 'event-voided' THEN -(CASE p->'original'->>'type'
    WHEN 'points-earned' THEN (p->'original'->'payload'->>'points')::bigint
    WHEN 'bonus-awarded' THEN (p->'original'->'payload'->>'points')::bigint
    WHEN 'points-adjusted' THEN (p->'original'->'payload'->>'points')::bigint
    WHEN 'points-redeemed' THEN -(p->'original'->'payload'->>'cost')::bigint
    ELSE 0 END)
  ELSE 0 END`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Points issued, redeemed and expired per local day (the program's time zone, by when events happened)
 * from `from` to `to` inclusive (`YYYY-MM-DD`). Days without events are left out.
 */
export async function dailyFlows(
  db: Queryable,
  timeZone: string,
  range: { from: string; to: string },
): Promise<DailyFlow[]> {
  if (!DAY.test(range.from) || !DAY.test(range.to)) throw new RangeError('days are YYYY-MM-DD');
  // A UTC window wide enough for any zone's offset; the local date decides.
  const start = new Date(Date.parse(`${range.from}T00:00:00Z`) - 86_400_000).toISOString();
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + 2 * 86_400_000).toISOString();
  const { rows } = await db.query<{
    day: string;
    events: number;
    issued: number;
    redeemed: number;
    expired: number;
  }>(
    `WITH e AS (
       SELECT to_char(occurred_at AT TIME ZONE $1, 'YYYY-MM-DD') AS day, type, body->'payload' AS p
       FROM events
       WHERE status <> 'quarantined' AND occurred_at >= $2 AND occurred_at < $3
     ), d AS (
       SELECT day, ${POINTS_DELTA} AS delta,
              CASE WHEN type = 'points-expired' THEN (p->>'points')::bigint ELSE 0 END AS expired
       FROM e WHERE day BETWEEN $4 AND $5
     )
     SELECT day, count(*)::bigint AS events, coalesce(sum(greatest(delta, 0)), 0)::bigint AS issued,
            coalesce(sum(greatest(-delta, 0)), 0)::bigint AS redeemed, coalesce(sum(expired), 0)::bigint AS expired
     FROM d GROUP BY day ORDER BY day`,
    [timeZone, start, end, range.from, range.to],
  );
  return rows;
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

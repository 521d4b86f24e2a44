// The dashboard's rollup (migration 0016): the additive figures of the events per local day of the program's
// zone and store, the members active per day, and who was active on which day at which store, so the
// dashboard reads at most days × stores rows instead of every event of a range. Brought up to date on read
// (and by anyone who calls refreshRollup) from a watermark on events.change_seq:
//
// - Events take their change_seq from the change sequence (store/changes.ts, store/ingest/write.ts), and an
//   event HQ updates (applied late, voided, resolved) is renumbered the same way. Numbers do not commit in
//   order, so the watermark never goes past the visibility horizon (store/change-horizon.ts): every event
//   numbered at or below it is committed (and visible to a snapshot taken after the horizon was read) or
//   never to appear. The watermark is the highest number up to the horizon seen in the same statement (one
//   snapshot) that lists the days touched above the old watermark: nothing it covers can appear later.
// - Each touched day is recomputed whole from the raw events (delete, then insert), never incremented: an
//   event counted before and renumbered since is counted once, and a day recomputed twice is unchanged.
//   An event's day and store never change. (Erasure rewrites enrollment bodies without a new number, but
//   touches nothing rolled up.)
// - Refreshes are serialised by a transaction-level advisory lock (two HQ processes, or the dashboard's
//   queries side by side); the second finds the watermark moved and little or nothing to do.
// - A different zone than the rollup's rebuilds it from nothing (its days are other days).
import type { Db, Queryable } from '../db/database.js';
import { changeHorizon } from '../store/change-horizon.js';
import { HQ_SOURCE } from '../../src-shared/ledger/events.js';

/** The advisory lock of rollup refreshes (two-key form: class "LDas", key 1). */
const ROLLUP_LOCK_CLASS = 0x4c44_6173;

export interface RollupRefresh {
  /** Rebuilt from nothing (first use, or the program's zone changed). */
  rebuilt: boolean;
  /** Days recomputed. */
  days: number;
  watermark: number;
}

// The events of the days recomputed, not quarantined, with their local day. $1 zone; $2 the days (date[]),
// each read from the events_occurred index between its two local midnights.
const ALL_DAYS = `SELECT (occurred_at AT TIME ZONE $1)::date AS day, store_id, member_id, terminal_id, type, applied,
    points_delta, money_amount, reward_id, reward_quantity
  FROM events WHERE status <> 'quarantined'`;
const SOME_DAYS = `SELECT d.day, e.* FROM unnest($2::date[]) AS d(day) CROSS JOIN LATERAL (
    SELECT store_id, member_id, terminal_id, type, applied, points_delta, money_amount, reward_id, reward_quantity
    FROM events WHERE occurred_at >= (d.day::timestamp AT TIME ZONE $1)
      AND occurred_at < ((d.day + 1)::timestamp AT TIME ZONE $1) AND status <> 'quarantined') e`;

/** One statement (one snapshot) filling every rollup table for the days of `source`. */
const fill = (source: string, hq: string) => `WITH e AS MATERIALIZED (${source}),
  flows AS (
    INSERT INTO dashboard_rollup (day, store_id, events, issued, redeemed, expired, new_members, redemptions, active,
      visits, sales, voided, returned, plan_joins, plan_fees)
    SELECT day, store_id, count(*),
      coalesce(sum(greatest(delta, 0)) FILTER (WHERE NOT expiry), 0),
      coalesce(sum(greatest(-delta, 0)) FILTER (WHERE NOT expiry), 0),
      coalesce(sum(-delta) FILTER (WHERE expiry), 0),
      count(*) FILTER (WHERE type = 'member-enrolled' AND applied),
      count(*) FILTER (WHERE type = 'points-redeemed' AND applied),
      count(DISTINCT member_id) FILTER (WHERE terminal_id <> '${hq}'),
      count(*) FILTER (WHERE type = 'points-earned' AND applied),
      coalesce(sum(money_amount) FILTER (WHERE type = 'points-earned' AND applied), 0),
      coalesce(sum(money_amount) FILTER (WHERE type = 'event-voided' AND applied), 0),
      coalesce(sum(money_amount) FILTER (WHERE type = 'points-returned' AND applied), 0),
      count(*) FILTER (WHERE type = 'plan-joined' AND applied),
      coalesce(sum(money_amount) FILTER (WHERE type = 'plan-joined' AND applied), 0)
    FROM (SELECT *, type = 'points-expired' AS expiry, CASE WHEN applied THEN points_delta ELSE 0 END AS delta
          FROM e) x
    GROUP BY day, store_id RETURNING 1
  ), rewards AS (
    INSERT INTO dashboard_rollup_rewards (day, store_id, reward_id, redemptions, quantity, points)
    SELECT day, store_id, reward_id, count(*), coalesce(sum(reward_quantity), 0), coalesce(sum(-points_delta), 0)
    FROM e WHERE type = 'points-redeemed' AND applied GROUP BY day, store_id, reward_id RETURNING 1
  ), active AS (
    INSERT INTO dashboard_rollup_active (day, active)
    SELECT day, count(DISTINCT member_id) FROM e WHERE terminal_id <> '${hq}' GROUP BY day RETURNING 1
  ), member_days AS (
    INSERT INTO dashboard_member_days (day, store_id, member_id)
    SELECT DISTINCT day, store_id, member_id FROM e WHERE terminal_id <> '${hq}' RETURNING 1
  )
  SELECT (SELECT count(*) FROM flows) + (SELECT count(*) FROM rewards) + (SELECT count(*) FROM active)
    + (SELECT count(*) FROM member_days) AS rows`;

const TABLES = [
  'dashboard_rollup',
  'dashboard_rollup_rewards',
  'dashboard_rollup_active',
  'dashboard_member_days',
  'dashboard_member_years',
] as const;

/** Above this many members of the touched days, their years are recomputed whole. */
const WHOLE_YEARS_FROM = 10_000;

/** A year's worth of zero bits: the member-years' days start from it. */
export const NO_DAYS = `repeat('0', 366)::bit(366)`;

/**
 * The member-years recomputed from the member-days: per store and for every store (''), a bit per active
 * day. `days` is the member-days to read: of some years, or of some members (by the member index).
 */
const fillYears = (
  days: string,
) => `INSERT INTO dashboard_member_years (year, store_id, member_id, days, first_day, last_day)
  SELECT year, coalesce(store_id, ''), member_id, bit_or(set_bit(${NO_DAYS}, day - make_date(year, 1, 1), 1)),
    min(day), max(day)
  FROM (SELECT extract(year FROM day)::int AS year, store_id, member_id, day FROM (${days}) d) x
  GROUP BY GROUPING SETS ((year, store_id, member_id), (year, member_id))`;
/** $1 years (int[]; null: all). */
const YEARS_DAYS = `SELECT * FROM dashboard_member_days
  WHERE $1::int[] IS NULL OR extract(year FROM day)::int = ANY($1::int[])`;
/** $1 members (text[]), $2 and $3 the first day of the first year and of the year after the last: each
 * member's days through the member index (OFFSET 0 keeps the lateral from being flattened into a hash join
 * over every member-day). */
const MEMBERS_DAYS = `SELECT md.* FROM unnest($1::text[]) AS u(member_id) CROSS JOIN LATERAL (
    SELECT * FROM dashboard_member_days WHERE member_id = u.member_id AND day >= $2::date AND day < $3::date
    OFFSET 0) md`;

/** Brings the rollup up to date for the program's zone: the days touched since the watermark, recomputed. */
export async function refreshRollup(
  db: Db,
  timeZone: string,
  /** Above this many members of the touched days, their years are recomputed whole (tests lower it). */
  wholeYearsFrom = WHOLE_YEARS_FROM,
): Promise<RollupRefresh> {
  // Read before the transaction's snapshot: everything up to it is visible there.
  const horizon = (await changeHorizon(db).current()).seq;
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)");
    await tx.query('SELECT pg_advisory_xact_lock($1::int, 1)', [ROLLUP_LOCK_CLASS]);
    const { rows: states } = await tx.query<{ time_zone: string; watermark: string }>(
      'SELECT time_zone, watermark::text AS watermark FROM dashboard_rollup_state',
    );
    const state = states[0];
    const rebuilt = state === undefined || state.time_zone !== timeZone;
    const since = rebuilt ? 0 : Number(state.watermark);
    // One statement: the touched days and the new watermark from the same snapshot.
    const { rows } = await tx.query<{ days: string[] | null; top: string | null }>(
      `SELECT array_agg(DISTINCT (occurred_at AT TIME ZONE $1)::date::text) AS days, max(change_seq)::text AS top
       FROM events WHERE change_seq > $2 AND change_seq <= $3`,
      [timeZone, since, horizon],
    );
    const days = rows[0]?.days ?? [];
    const watermark = Math.max(since, Number(rows[0]?.top ?? 0));
    if (!rebuilt && days.length === 0) return { rebuilt, days: 0, watermark };
    if (rebuilt) {
      for (const table of TABLES) await tx.query(`DELETE FROM ${table}`);
      await tx.query(fill(ALL_DAYS, HQ_SOURCE), [timeZone]);
      await tx.query(fillYears(YEARS_DAYS), [null]);
    } else {
      // The members of the touched days, before and after: their years are recomputed.
      const members = async (text: string) =>
        (await tx.query<{ ids: string[] | null }>(text, [days])).rows[0]?.ids ?? [];
      const before =
        await members(`WITH gone AS (DELETE FROM dashboard_member_days WHERE day = ANY($1::date[])
        RETURNING member_id) SELECT array_agg(DISTINCT member_id) AS ids FROM gone`);
      for (const table of TABLES.slice(0, 3))
        await tx.query(`DELETE FROM ${table} WHERE day = ANY($1::date[])`, [days]);
      await tx.query(fill(SOME_DAYS, HQ_SOURCE), [timeZone, days]);
      const after = await members(
        'SELECT array_agg(DISTINCT member_id) AS ids FROM dashboard_member_days WHERE day = ANY($1::date[])',
      );
      // Many members (late events over weeks): their years whole, cheaper than member by member.
      const touched = [...new Set([...before, ...after])];
      const some = touched.length <= wholeYearsFrom ? touched : null;
      // Every year from the first touched to the last (the member path reads the days between them).
      const touchedYears = days.map((d) => Number(d.slice(0, 4)));
      const [first, last] = [Math.min(...touchedYears), Math.max(...touchedYears)];
      const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
      if (some === null) {
        await tx.query('DELETE FROM dashboard_member_years WHERE year = ANY($1::int[])', [years]);
        await tx.query(fillYears(YEARS_DAYS), [years]);
      } else {
        await tx.query(
          'DELETE FROM dashboard_member_years WHERE year = ANY($1::int[]) AND member_id = ANY($2::text[])',
          [years, some],
        );
        await tx.query(fillYears(MEMBERS_DAYS), [some, `${first}-01-01`, `${last + 1}-01-01`]);
      }
    }
    await tx.query(
      `INSERT INTO dashboard_rollup_state (id, time_zone, watermark) VALUES (true, $1, $2)
       ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, watermark = excluded.watermark`,
      [timeZone, watermark],
    );
    return { rebuilt, days: days.length, watermark };
  });
}

/** Empties the rollup: the next refresh rebuilds it from nothing. */
export async function clearRollup(db: Queryable): Promise<void> {
  await db.query('DELETE FROM dashboard_rollup_state');
}

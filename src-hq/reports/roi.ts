// The figures the program's ROI needs, gathered from what HQ applied for a range of local days and a set
// of stores; the method itself is pure (src-shared/reports/roi.ts programRoi). A visit is an applied sale
// (points-earned); spend is its basket total, less the sales voided and the spend returned in the range.
// Members are counted from their enrollment event (an import writes one too). Money comes from the events'
// money_amount column (migration 0010: derived from the body, covered by the indexes, so no body is read);
// the range's sums of sales, voids, returns and plan fees come from the dashboard's rollup (reports/rollup.ts).
import type { Program } from '../../src-shared/program/schema.js';
import { daysIn, type DayRange } from '../../src-shared/reports/day-range.js';
import {
  programRoi,
  rewardCostKind,
  rewardCostKinds,
  type Frequency,
  type RewardCostKind,
  type RoiAssumptions,
  type RoiFacts,
  type RoiResult,
} from '../../src-shared/reports/roi.js';
import type { Db } from '../db/database.js';
import {
  flowsByDayAndStore,
  redemptionsByReward,
  rewardLines,
  reportQuery,
  rewardPrices,
  storeNames,
  type StoreSet,
} from './dashboard.js';
import { pointsToMoney } from './reports.js';
import { refreshRollup } from './rollup.js';

const num = (text: string | null | undefined): number => Number(BigInt(text ?? '0'));
const days = (text: string | null | undefined): number => Math.round(Number(text ?? '0'));

// $1 zone, $2 from, $3 to, $4 stores: the instants that start and end the range, and the store filter.
const START = `($2::date::timestamp AT TIME ZONE $1)`;
const END = `(($3::date + 1)::timestamp AT TIME ZONE $1)`;
const STORES = `($4::text[] IS NULL OR store_id = ANY($4::text[]))`;
const params = (timeZone: string, range: DayRange, stores: StoreSet) => [
  timeZone,
  range.from,
  range.to,
  stores === null ? null : [...stores],
];
// Members enrolled (at the stores) before the range ends, with when.
const ENROLLED = `SELECT member_id, min(occurred_at) AS at FROM events
  WHERE type = 'member-enrolled' AND applied AND occurred_at < ${END} AND ${STORES} GROUP BY member_id`;
// Applied sales (at the stores) in the range.
const SALES = `SELECT member_id, occurred_at, money_amount AS total FROM events
  WHERE type = 'points-earned' AND applied AND status <> 'quarantined'
    AND occurred_at >= ${START} AND occurred_at < ${END} AND ${STORES}`;

/** Members' sales and visits, voided sales and returned spend, and paid-plan fees in the range (the rollup). */
export async function salesAndFees(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<{ spend: number; visits: number; planFees: number; planJoins: number }> {
  await refreshRollup(db, timeZone);
  const rows = await reportQuery<{
    visits: string;
    sales: string;
    voided: string;
    returned: string;
    plan_joins: string;
    plan_fees: string;
  }>(
    db,
    `SELECT coalesce(sum(visits), 0)::text AS visits, coalesce(sum(sales), 0)::text AS sales,
       coalesce(sum(voided), 0)::text AS voided, coalesce(sum(returned), 0)::text AS returned,
       coalesce(sum(plan_joins), 0)::text AS plan_joins, coalesce(sum(plan_fees), 0)::text AS plan_fees
     FROM dashboard_rollup
     WHERE day BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR store_id = ANY($3::text[]))`,
    [range.from, range.to, stores === null ? null : [...stores]],
  );
  const r = rows[0];
  return {
    spend: num(r?.sales) - num(r?.voided) - num(r?.returned),
    visits: num(r?.visits),
    planFees: num(r?.plan_fees),
    planJoins: num(r?.plan_joins),
  };
}

type Group = 'all' | 'cohort' | 'tier';

/**
 * Members enrolled by the range's end with their visits, spend and days of membership within the range:
 * all of them, by enrollment month (the program's zone) and by current tier.
 */
export async function visitFrequency(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<{ group: Group; key: string | null; frequency: Frequency }[]> {
  const rows = await reportQuery<{
    grp: Group;
    key: string | null;
    members: string;
    visits: string;
    spend: string;
    member_days: string;
  }>(
    db,
    `WITH enr AS (${ENROLLED}),
     v AS (SELECT member_id, count(*) AS visits, sum(total) AS spend FROM (${SALES}) s GROUP BY member_id),
     m AS (
       SELECT to_char(enr.at AT TIME ZONE $1, 'YYYY-MM') AS cohort, mem.tier,
              coalesce(v.visits, 0) AS visits, coalesce(v.spend, 0) AS spend,
              extract(epoch FROM ${END} - greatest(enr.at, ${START})) / 86400 AS days
       FROM enr LEFT JOIN v USING (member_id) LEFT JOIN members mem ON mem.id = enr.member_id
     )
     SELECT CASE WHEN grouping(cohort) = 0 THEN 'cohort' WHEN grouping(tier) = 0 THEN 'tier' ELSE 'all' END AS grp,
            CASE WHEN grouping(cohort) = 0 THEN cohort ELSE tier END AS key,
            count(*)::text AS members, sum(visits)::text AS visits, round(sum(spend))::text AS spend,
            sum(days)::text AS member_days
     FROM m GROUP BY GROUPING SETS ((cohort), (tier), ()) ORDER BY 1, 2`,
    params(timeZone, range, stores),
  );
  return rows.map((r) => ({
    group: r.grp,
    key: r.key,
    frequency: {
      members: num(r.members),
      visits: num(r.visits),
      spend: num(r.spend),
      memberDays: days(r.member_days),
    },
  }));
}

/**
 * Members whose first redemption (ever) fell in the range: their visits and days of membership within the
 * range before it and from it on.
 */
export async function firstRewardFrequency(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<RoiFacts['firstReward']> {
  const rows = await reportQuery<{
    members: string;
    days_before: string | null;
    days_after: string | null;
    visits_before: string;
    visits_after: string;
    spend_before: string | null;
    spend_after: string | null;
  }>(
    db,
    `WITH enr AS (${ENROLLED}),
     fr AS (
       SELECT member_id, min(occurred_at) AS first FROM events
       WHERE type = 'points-redeemed' AND applied AND status <> 'quarantined' GROUP BY member_id
     ),
     picked AS MATERIALIZED (
       SELECT fr.member_id, fr.first, greatest(enr.at, ${START}) AS since
       FROM fr JOIN enr USING (member_id) WHERE fr.first >= ${START} AND fr.first < ${END}
     ),
     v AS (
       SELECT s.total, s.occurred_at < p.first AS before FROM (${SALES}) s JOIN picked p USING (member_id)
     )
     SELECT (SELECT count(*) FROM picked)::text AS members,
            (SELECT sum(extract(epoch FROM first - since)) / 86400 FROM picked)::text AS days_before,
            (SELECT sum(extract(epoch FROM ${END} - first)) / 86400 FROM picked)::text AS days_after,
            count(*) FILTER (WHERE before)::text AS visits_before,
            count(*) FILTER (WHERE NOT before)::text AS visits_after,
            round(sum(total) FILTER (WHERE before))::text AS spend_before,
            round(sum(total) FILTER (WHERE NOT before))::text AS spend_after
     FROM v`,
    params(timeZone, range, stores),
  );
  const r = rows[0];
  const members = num(r?.members);
  return {
    members,
    before: {
      members,
      visits: num(r?.visits_before),
      spend: num(r?.spend_before),
      memberDays: days(r?.days_before),
    },
    after: {
      members,
      visits: num(r?.visits_after),
      spend: num(r?.spend_after),
      memberDays: days(r?.days_after),
    },
  };
}

const noFrequency: Frequency = { members: 0, visits: 0, spend: 0, memberDays: 0 };

/** Every figure the ROI method needs for the range and stores. */
export async function roiFacts(
  db: Db,
  program: Program,
  range: DayRange,
  stores: StoreSet,
): Promise<RoiFacts> {
  const tz = program.timeZone;
  const [flows, redemptions, prices, sales, frequency, firstReward] = await Promise.all([
    flowsByDayAndStore(db, tz, range, stores),
    redemptionsByReward(db, tz, range, stores),
    rewardPrices(db, program),
    salesAndFees(db, tz, range, stores),
    visitFrequency(db, tz, range, stores),
    firstRewardFrequency(db, tz, range, stores),
  ]);
  const points = {
    issued: flows.reduce((s, f) => s + f.issued, 0),
    redeemed: flows.reduce((s, f) => s + f.redeemed, 0),
    expired: flows.reduce((s, f) => s + f.expired, 0),
  };
  const money = (p: number) => pointsToMoney(p, program.pointValue);
  const lines = rewardLines(redemptions, program, prices);
  const face = Object.fromEntries(rewardCostKinds.map((k) => [k, 0])) as Record<RewardCostKind, number>;
  for (const line of [...lines.rewards, ...lines.donations]) face[rewardCostKind(line.kind)] += line.value;
  const label = new Map((program.tiers?.levels ?? []).map((l) => [l.id, l.label]));
  return {
    currency: program.currency,
    pointValue: program.pointValue,
    days: daysIn(range),
    points,
    pointsMoney: {
      issued: money(points.issued),
      redeemed: money(points.redeemed),
      expired: money(points.expired),
    },
    rewardsFaceValue: face,
    planFees: sales.planFees,
    planJoins: sales.planJoins,
    spend: sales.spend,
    visits: sales.visits,
    all: frequency.find((f) => f.group === 'all')?.frequency ?? noFrequency,
    cohorts: frequency
      .filter((f) => f.group === 'cohort')
      .map((f) => ({ cohort: f.key ?? '', ...f.frequency })),
    tiers: frequency
      .filter((f) => f.group === 'tier')
      .map((f) => ({
        tier: f.key,
        label: f.key === null ? 'No tier' : (label.get(f.key) ?? f.key),
        ...f.frequency,
      })),
    firstReward,
  };
}

/** The program's ROI for the range and stores under the assumptions given. */
export async function roiReport(
  db: Db,
  program: Program,
  range: DayRange,
  stores: StoreSet,
  storeId: string | null,
  assumptions: RoiAssumptions,
  visible: StoreSet = stores,
): Promise<RoiResult> {
  const [facts, names] = await Promise.all([roiFacts(db, program, range, stores), storeNames(db, visible)]);
  return {
    timeZone: program.timeZone,
    from: range.from,
    to: range.to,
    storeId,
    stores: names,
    ...programRoi(facts, assumptions),
  };
}

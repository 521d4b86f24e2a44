// The console dashboard's figures for a range of local days (the program's time zone) and a set of stores
// (null: every store). Points come from what HQ applied (events.points_delta) with the split of the CLI's
// daily report (src-hq/reports/reports.ts dailyFlows: positive deltas issued, negative redeemed, expiries
// apart). The liability at the end of the range is the CLI's (members' balances less debt) less what
// events after the range changed, and each day before it that less the days after, so a range ending
// today ends on the CLI's figure exactly (for some stores only: the running sum of their events' deltas).
// The figures over events are read from the rollup (migration 0016, reports/rollup.ts: per local day and
// store, brought up to date before each query), so a range reads at most days × stores rows, not every
// event of it; the same arithmetic over the raw events is in the rollup's fill. Each query is a function
// of its own so the bench times them one by one (bench/dashboard.bench.ts).
import type { Dashboard, DashboardDay, RewardLine, StoreLine } from '../../src-shared/console/dashboard.js';
import { HQ_SOURCE } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import { eachDay, type DayRange } from '../../src-shared/reports/day-range.js';
import { rewardValue, type RewardPrice } from '../../src-shared/reports/roi.js';
import type { Db, Queryable } from '../db/database.js';
import { pointsToMoney } from './reports.js';
import { NO_DAYS, refreshRollup } from './rollup.js';

/** The stores a query covers: null for every store (HQ's own events included). */
export type StoreSet = readonly string[] | null;

// Sums are numeric in SQL, read as text and made exact BigInts (a large program passes 2^53; see reports.ts).
const big = (text: string | null | undefined): bigint => BigInt(text ?? '0');
const num = (text: string | null | undefined): number => Number(big(text));

/**
 * Runs one report query in a read-only transaction set for it: no JIT (compiling costs more than it saves
 * on queries of well under a second) and room to aggregate in memory (a year of events grouped by day and
 * store or member would spill to disk at the default 4 MB). SET LOCAL: the pool's connections keep their
 * defaults.
 */
export async function reportQuery<R>(db: Db, text: string, params: unknown[]): Promise<R[]> {
  return db.transaction(async (tx) => {
    await tx.query(
      "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('transaction_read_only', 'on', true)",
    );
    return (await tx.query<R>(text, params)).rows;
  });
}

// $1 from, $2 to (local days), $3 stores (text[] or null): the rollup's rows of the range.
const IN_RANGE = `day BETWEEN $1::date AND $2::date AND ($3::text[] IS NULL OR store_id = ANY($3::text[]))`;
const rangeParams = (range: DayRange, stores: StoreSet) => [
  range.from,
  range.to,
  stores === null ? null : [...stores],
];

/** Runs a report query on the rollup, brought up to date for the zone first. */
async function rollupQuery<R>(db: Db, timeZone: string, text: string, params: unknown[]): Promise<R[]> {
  await refreshRollup(db, timeZone);
  return reportQuery<R>(db, text, params);
}

export interface FlowRow {
  day: string;
  storeId: string;
  events: number;
  issued: number;
  redeemed: number;
  expired: number;
  newMembers: number;
  redemptions: number;
}

/** Points issued, redeemed and expired, enrollments and redemptions, per local day and store. */
export async function flowsByDayAndStore(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<FlowRow[]> {
  const rows = await rollupQuery<{
    day: string;
    store_id: string;
    events: string;
    issued: string;
    redeemed: string;
    expired: string;
    new_members: string;
    redemptions: string;
  }>(
    db,
    timeZone,
    `SELECT day::text AS day, store_id, events::text, issued::text, redeemed::text, expired::text,
            new_members::text, redemptions::text
     FROM dashboard_rollup WHERE ${IN_RANGE}`,
    rangeParams(range, stores),
  );
  return rows
    .map((r) => ({
      day: r.day,
      storeId: r.store_id,
      events: num(r.events),
      issued: num(r.issued),
      redeemed: num(r.redeemed),
      expired: num(r.expired),
      newMembers: num(r.new_members),
      redemptions: num(r.redemptions),
    }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.storeId.localeCompare(b.storeId));
}

/**
 * Net points owed at the end of the range. For every store: the members' balances less their debt (the
 * CLI's liability) less what events after the range changed, so a range ending today ends on the CLI's
 * figure exactly. For some stores: the applied points_delta of their events up to the range's end (what
 * those stores' events added to the liability; a member's points are not a store's). A day's net change
 * is its issued less redeemed less expired: the sum of its applied points_delta.
 */
export async function closingLiability(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<bigint> {
  const rows = await rollupQuery<{ points: string }>(
    db,
    timeZone,
    stores === null
      ? `SELECT ((SELECT coalesce(sum(balance::numeric - debt::numeric), 0) FROM members WHERE NOT deleted)
                - (SELECT coalesce(sum(issued::numeric - redeemed - expired), 0) FROM dashboard_rollup
                   WHERE day > $1::date))::text AS points`
      : `SELECT coalesce(sum(issued::numeric - redeemed - expired), 0)::text AS points FROM dashboard_rollup
         WHERE day <= $1::date AND store_id = ANY($2::text[])`,
    [range.to, ...(stores === null ? [] : [[...stores]])],
  );
  return big(rows[0]?.points);
}

export interface ActiveMembers {
  byDay: Map<string, number>;
  byStore: Map<string, number>;
  total: number;
}

/**
 * Members with an event of their own (HQ's jobs' events left out) per day, per store and in the range.
 * Per day: the rollup's count for every store or one store, the member-days for several. Per store and in
 * the range (distinct members do not add up across days): the member-years whose day bits meet the range's
 * (one bit string per year of the range), so a year reads a row per member and store, not per active day.
 */
export async function activeMembers(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<ActiveMembers> {
  const byDay =
    stores === null
      ? `SELECT 'day' AS by, day::text AS key, active::text AS n FROM dashboard_rollup_active
         WHERE day BETWEEN $1::date AND $2::date`
      : stores.length === 1
        ? `SELECT 'day' AS by, day::text AS key, active::text AS n FROM dashboard_rollup WHERE ${IN_RANGE}`
        : `SELECT 'day' AS by, day::text AS key, count(DISTINCT member_id)::text AS n FROM dashboard_member_days
           WHERE ${IN_RANGE} GROUP BY day`;
  // Within one year a member has one row per store (and one for every store, ''): count(*) is distinct.
  const count = range.from.slice(0, 4) === range.to.slice(0, 4) ? 'count(*)' : 'count(DISTINCT member_id)';
  const several = stores !== null && stores.length > 1;
  const rows = await rollupQuery<{ by: 'day' | 'store' | 'all'; key: string; n: string }>(
    db,
    timeZone,
    `WITH masks AS (
       SELECT year, greatest($1::date, make_date(year, 1, 1)) AS lo, least($2::date, make_date(year, 12, 31)) AS hi,
              bit_or(set_bit(${NO_DAYS}, day - make_date(year, 1, 1), 1)) AS mask
       FROM (SELECT d::date AS day, extract(year FROM d)::int AS year
             FROM generate_series($1::date, $2::date, interval '1 day') d) g
       GROUP BY year
     ), met AS (
       SELECT m.store_id, m.member_id FROM dashboard_member_years m JOIN masks USING (year)
       WHERE m.first_day <= masks.hi AND m.last_day >= masks.lo
         AND ((m.first_day >= masks.lo AND m.last_day <= masks.hi) OR (m.days & masks.mask) <> ${NO_DAYS})
         AND ($3::text[] IS NULL OR m.store_id = ANY($3::text[]))
     )
     ${byDay}
     UNION ALL SELECT CASE store_id WHEN '' THEN 'all' ELSE 'store' END, store_id, ${count}::text FROM met
       GROUP BY store_id
     ${several ? `UNION ALL SELECT 'all', '', count(DISTINCT member_id)::text FROM met` : ''}`,
    rangeParams(range, stores),
  );
  const pick = (by: string) => new Map(rows.filter((r) => r.by === by).map((r) => [r.key, num(r.n)]));
  const byStore = pick('store');
  const total =
    stores?.length === 1 ? (byStore.get(stores[0]!) ?? 0) : num(rows.find((r) => r.by === 'all')?.n);
  return { byDay: pick('day'), byStore, total };
}

export interface RedemptionRow {
  rewardId: string;
  redemptions: number;
  quantity: number;
  points: number;
}

/** Applied redemptions in the range by reward: how many, how many units, and the points HQ debited. */
export async function redemptionsByReward(
  db: Db,
  timeZone: string,
  range: DayRange,
  stores: StoreSet,
): Promise<RedemptionRow[]> {
  const rows = await rollupQuery<{
    reward_id: string;
    redemptions: string;
    quantity: string;
    points: string;
  }>(
    db,
    timeZone,
    `SELECT reward_id, sum(redemptions)::text AS redemptions, sum(quantity)::text AS quantity,
            sum(points)::text AS points
     FROM dashboard_rollup_rewards WHERE ${IN_RANGE}
     GROUP BY reward_id ORDER BY sum(redemptions) DESC, reward_id`,
    rangeParams(range, stores),
  );
  return rows.map((r) => ({
    rewardId: r.reward_id,
    redemptions: num(r.redemptions),
    quantity: num(r.quantity),
    points: num(r.points),
  }));
}

/**
 * Members HQ holds now by their current tier (HQ keeps no tier history); for a set of stores, the members
 * who enrolled at them.
 */
export async function tierDistribution(
  db: Db,
  stores: StoreSet,
): Promise<{ tier: string | null; members: number }[]> {
  const rows = await reportQuery<{ tier: string | null; members: string }>(
    db,
    `SELECT tier, count(*)::text AS members FROM members
     WHERE NOT deleted AND ($1::text[] IS NULL OR id IN (
       SELECT member_id FROM events WHERE type = 'member-enrolled' AND applied AND store_id = ANY($1::text[])))
     GROUP BY tier ORDER BY tier NULLS FIRST`,
    [stores === null ? null : [...stores]],
  );
  return rows.map((r) => ({ tier: r.tier, members: num(r.members) }));
}

/**
 * Open review items by kind. For a set of stores: the items of their terminals or of their events (an item
 * about a member alone belongs to no store and is left out).
 */
export async function openReviewsByKind(db: Db, stores: StoreSet): Promise<{ kind: string; open: number }[]> {
  const rows = await reportQuery<{ kind: string; open: string }>(
    db,
    stores === null
      ? `SELECT kind, count(*)::text AS open FROM review_items WHERE status = 'open'
         GROUP BY kind ORDER BY count(*) DESC, kind`
      : `SELECT r.kind, count(*)::text AS open FROM review_items r
         LEFT JOIN terminals t ON t.id = r.terminal_id
         LEFT JOIN events e ON e.id = CASE WHEN r.event_id ~ '^[0-9a-f-]{36}$' THEN r.event_id::uuid END
         WHERE r.status = 'open' AND coalesce(t.store_id, e.store_id) = ANY($1::text[])
         GROUP BY r.kind ORDER BY count(*) DESC, r.kind`,
    stores === null ? [] : [[...stores]],
  );
  return rows.map((r) => ({ kind: r.kind, open: num(r.open) }));
}

/** Members HQ holds now; for a set of stores, the members who enrolled at them. */
export async function memberCount(db: Db, stores: StoreSet): Promise<number> {
  const rows = await reportQuery<{ n: string }>(
    db,
    stores === null
      ? 'SELECT count(*)::text AS n FROM members WHERE NOT deleted'
      : `SELECT count(*)::text AS n FROM members WHERE NOT deleted AND id IN (
           SELECT member_id FROM events WHERE type = 'member-enrolled' AND applied AND store_id = ANY($1::text[]))`,
    stores === null ? [] : [[...stores]],
  );
  return num(rows[0]?.n);
}

/** The stores HQ knows (of the set), by name. */
export async function storeNames(db: Queryable, stores: StoreSet): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    'SELECT id, name FROM stores WHERE $1::text[] IS NULL OR id = ANY($1::text[]) ORDER BY name, id',
    [stores === null ? null : [...stores]],
  );
  return rows;
}

/** The price list a reward's value needs: the program's rewards and the shelf prices of free products. */
export async function rewardPrices(db: Queryable, program: Program): Promise<Map<string, RewardPrice>> {
  const skus = program.rewards.flatMap((r) => (r.kind === 'free-product' ? [r.sku] : []));
  const { rows } = await db.query<{ sku: string; price: string }>(
    'SELECT sku, price::text AS price FROM products WHERE sku = ANY($1::text[]) AND NOT deleted',
    [skus],
  );
  const prices = new Map(rows.map((r) => [r.sku, num(r.price)]));
  return new Map(
    program.rewards.map((r): [string, RewardPrice] => {
      switch (r.kind) {
        case 'free-product':
          return [r.id, { kind: r.kind, price: prices.get(r.sku) ?? null }];
        case 'percent-discount':
          return [r.id, { kind: r.kind, cap: r.cap }];
        default:
          return [r.id, { kind: r.kind, amount: r.amount }];
      }
    }),
  );
}

/** Redemption rows with the program's labels and money values; donations in a list of their own. */
export function rewardLines(
  rows: readonly RedemptionRow[],
  program: Program,
  prices: ReadonlyMap<string, RewardPrice>,
): { rewards: RewardLine[]; donations: RewardLine[] } {
  const byId = new Map(program.rewards.map((r) => [r.id, r]));
  const lines = rows.map((row): RewardLine => {
    const reward = byId.get(row.rewardId);
    return {
      rewardId: row.rewardId,
      label: reward?.label ?? row.rewardId,
      kind: reward?.kind ?? null,
      charity: reward?.kind === 'donation' ? reward.charity : null,
      redemptions: row.redemptions,
      quantity: row.quantity,
      points: row.points,
      value: rewardValue(
        prices.get(row.rewardId) ?? null,
        row.quantity,
        pointsToMoney(row.points, program.pointValue),
      ),
    };
  });
  return {
    rewards: lines.filter((l) => l.kind !== 'donation'),
    donations: lines.filter((l) => l.kind === 'donation'),
  };
}

const HQ_STORE_NAME = 'HQ (expiries and other jobs)';

/** Every figure of the dashboard for the range and stores. */
export async function dashboardReport(
  db: Db,
  program: Program,
  range: DayRange,
  stores: StoreSet,
  storeId: string | null,
  /** The stores the user may see (the store filter's choices); default `stores`. */
  visible: StoreSet = stores,
): Promise<Dashboard> {
  const tz = program.timeZone;
  const [flows, closing, active, redemptions, tiers, reviews, members, names, prices] = await Promise.all([
    flowsByDayAndStore(db, tz, range, stores),
    closingLiability(db, tz, range, stores),
    activeMembers(db, tz, range, stores),
    redemptionsByReward(db, tz, range, stores),
    tierDistribution(db, stores),
    openReviewsByKind(db, stores),
    memberCount(db, stores),
    storeNames(db, visible),
    rewardPrices(db, program),
  ]);
  const money = (points: bigint | number) => pointsToMoney(points, program.pointValue);

  const byDay = new Map<string, FlowRow[]>();
  for (const f of flows) byDay.set(f.day, [...(byDay.get(f.day) ?? []), f]);
  const sum = (list: readonly FlowRow[], k: keyof Omit<FlowRow, 'day' | 'storeId'>) =>
    list.reduce((s, f) => s + f[k], 0);
  // The liability before the range: the closing figure less what the range's events changed.
  const opening = flows.reduce((s, f) => s - BigInt(f.issued - f.redeemed - f.expired), closing);
  let liability = opening;
  const days = eachDay(range).map((day): DashboardDay => {
    const list = byDay.get(day) ?? [];
    const issued = sum(list, 'issued');
    const redeemed = sum(list, 'redeemed');
    const expired = sum(list, 'expired');
    liability += BigInt(issued) - BigInt(redeemed) - BigInt(expired);
    return {
      day,
      events: sum(list, 'events'),
      issued,
      redeemed,
      expired,
      liabilityPoints: Number(liability),
      liabilityMoney: money(liability),
      activeMembers: active.byDay.get(day) ?? 0,
      newMembers: sum(list, 'newMembers'),
    };
  });

  const inScope = names.filter((s) => stores === null || stores.includes(s.id));
  const storeIds = [...new Set([...inScope.map((s) => s.id), ...flows.map((f) => f.storeId)])];
  const nameOf = new Map(names.map((s) => [s.id, s.name]));
  const perStore = storeIds
    .map((id): StoreLine => {
      const list = flows.filter((f) => f.storeId === id);
      const issued = sum(list, 'issued');
      const redeemed = sum(list, 'redeemed');
      const expired = sum(list, 'expired');
      return {
        storeId: id,
        name: nameOf.get(id) ?? (id === HQ_SOURCE ? HQ_STORE_NAME : id),
        events: sum(list, 'events'),
        issued,
        redeemed,
        expired,
        net: issued - redeemed - expired,
        activeMembers: active.byStore.get(id) ?? 0,
        newMembers: sum(list, 'newMembers'),
        redemptions: sum(list, 'redemptions'),
      };
    })
    .sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));

  const levels = program.tiers?.levels ?? [];
  const order = new Map(levels.map((l, i) => [l.id, i]));
  const label = new Map(levels.map((l) => [l.id, l.label]));
  const last = days[days.length - 1];
  return {
    timeZone: tz,
    from: range.from,
    to: range.to,
    currency: program.currency,
    pointValue: program.pointValue,
    storeId,
    stores: names,
    cards: {
      liabilityPoints: last?.liabilityPoints ?? Number(opening),
      liabilityMoney: last?.liabilityMoney ?? money(opening),
      members,
      activeMembers: active.total,
      newMembers: sum(flows, 'newMembers'),
      openReviews: reviews.reduce((s, r) => s + r.open, 0),
    },
    totals: {
      issued: sum(flows, 'issued'),
      redeemed: sum(flows, 'redeemed'),
      expired: sum(flows, 'expired'),
      events: sum(flows, 'events'),
    },
    days,
    ...rewardLines(redemptions, program, prices),
    tiers: tiers
      .map((t) => ({
        tier: t.tier,
        label: t.tier === null ? 'No tier' : (label.get(t.tier) ?? t.tier),
        members: t.members,
      }))
      .sort(
        (a, b) =>
          (a.tier === null ? -1 : (order.get(a.tier) ?? 99)) -
          (b.tier === null ? -1 : (order.get(b.tier) ?? 99)),
      ),
    perStore,
    reviews: { open: reviews.reduce((s, r) => s + r.open, 0), byKind: reviews },
  };
}

// Console dashboard benchmark (issue 14): on real PostgreSQL, 100,000 members and 1,000,000 events spread
// over one year and six stores, generated in SQL (generate_series, not through ingest: the figures read
// what ingest writes, columns and event bodies alike), then every dashboard and ROI query (the functions
// the handlers call) for a 30-day and a 365-day range, for every store and for one store, p50/p95 over
// repeated runs, beside a plain `SELECT count(*) FROM events` as the floor. Budget: p95 < 500 ms per query.
//
// TEST_DATABASE_URL selects the server (default postgres://loyalty:loyalty@127.0.0.1:5432/loyalty_test).
// Each run works in a fresh schema, dropped at the end.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  activeMembers,
  dashboardReport,
  flowsByDayAndStore,
  memberCount,
  closingLiability,
  openReviewsByKind,
  redemptionsByReward,
  rewardPrices,
  storeNames,
  tierDistribution,
  type StoreSet,
} from '../src-hq/reports/dashboard.js';
import { firstRewardFrequency, roiReport, salesAndFees, visitFrequency } from '../src-hq/reports/roi.js';
import { refreshRollup } from '../src-hq/reports/rollup.js';
import { publishProgram } from '../src-hq/store/programs.js';
import type { Program } from '../src-shared/program/schema.js';
import type { DayRange } from '../src-shared/reports/day-range.js';
import { DEFAULT_ROI_ASSUMPTIONS } from '../src-shared/reports/roi.js';
import { postgresDatabase, type TestDatabase } from '../test/support/databases.js';
import { SILVER_GOLD_TIERS, testProgram } from '../test/support/events.js';
import { requirePostgres, timeRuns, writeResult, type Timing } from './support.js';

const BUDGET_P95_MS = 500;
const MEMBERS = 100_000;
const EVENTS = 1_000_000;
const STORES = 6;
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = 2;
const ROLLUP_TABLES = [
  'dashboard_rollup',
  'dashboard_rollup_rewards',
  'dashboard_rollup_active',
  'dashboard_member_days',
  'dashboard_member_years',
];

const program: Program = testProgram({
  tiers: SILVER_GOLD_TIERS,
  rewards: [
    { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 100 },
    { id: 'five-off', label: '5 EUR off', kind: 'fixed-discount', amount: 500, cost: 500 },
    { id: 'ten-pct', label: '10% off', kind: 'percent-discount', percent: 10, cap: 1000, cost: 300 },
    { id: 'gift-10', label: 'Gift card 10 EUR', kind: 'gift-card', amount: 1000, cost: 1000 },
    { id: 'give-food', label: 'Food bank', kind: 'donation', charity: 'Food bank', amount: 200, cost: 200 },
    { id: 'give-trees', label: 'Plant a tree', kind: 'donation', charity: 'Trees', amount: 200, cost: 200 },
  ],
  plans: [{ id: 'club', label: 'Club', fee: 500, durationDays: 365 }],
});

async function open(): Promise<TestDatabase> {
  await requirePostgres('dashboard');
  return postgresDatabase({ max: 12 });
}

// The year's data, in SQL. Members enroll through the year at a home store; each other event picks a
// member, happens between their enrollment and the year's end (so later members have fewer), mostly at
// their home store. The mix: 74% sales, 12% redemptions (six rewards), 4% bonuses, 3% HQ expiries, 2%
// plan joins, 2% adjustments, 3% tier changes. Bodies carry what the reports read (basket total, reward,
// quantity, fee); points_delta is what HQ would have applied.
const SEED = `
SELECT setseed(0.42);
INSERT INTO stores (id, name, time_zone)
  SELECT 's-' || i, 'Store ' || i, 'Europe/Paris' FROM generate_series(1, ${STORES}) i;
INSERT INTO terminals (id, store_id, name)
  SELECT 't-' || s || '-' || k, 's-' || s, 'Till ' || k FROM generate_series(1, ${STORES}) s, generate_series(1, 2) k;
INSERT INTO products (sku, name, category, price, currency, change_seq) VALUES ('coffee', 'Coffee', 'drinks', 280, 'EUR', 1);

CREATE TEMP TABLE seed_members AS
  SELECT i, 'm-' || lpad(i::text, 6, '0') AS id, 1 + (i % ${STORES}) AS store,
         timestamptz '2025-01-01 07:00:00+00' + random() * interval '364 days' AS enrolled_at
  FROM generate_series(1, ${MEMBERS}) i;

CREATE TEMP TABLE seed_picks AS
  SELECT n, (1 + floor(random() * ${MEMBERS}))::int AS mi, random() AS r, random() AS r2, random() AS r3
  FROM generate_series(1, ${EVENTS - MEMBERS}) n;

CREATE TEMP TABLE seed_events AS
  SELECT m.i AS n, m.id AS member_id, 'member-enrolled' AS type, m.enrolled_at AS at, m.store,
         0::bigint AS delta, jsonb_build_object('displayName', 'Member', 'cards', '[]'::jsonb, 'welcomeBonus', 0) AS payload
  FROM seed_members m
  UNION ALL
  SELECT ${MEMBERS} + p.n, m.id,
    CASE WHEN p.r < 0.74 THEN 'points-earned' WHEN p.r < 0.86 THEN 'points-redeemed' WHEN p.r < 0.90 THEN 'bonus-awarded'
         WHEN p.r < 0.93 THEN 'points-expired' WHEN p.r < 0.95 THEN 'plan-joined' WHEN p.r < 0.97 THEN 'points-adjusted'
         ELSE 'tier-changed' END,
    m.enrolled_at + p.r2 * (timestamptz '2025-12-31 20:00:00+00' - m.enrolled_at),
    CASE WHEN p.r3 < 0.8 THEN m.store ELSE 1 + (p.n % ${STORES}) END,
    0, NULL
  FROM seed_picks p JOIN seed_members m ON m.i = p.mi;

UPDATE seed_events SET
  delta = CASE type
    WHEN 'points-earned' THEN (200 + (n::bigint * 7919) % 6000) / 100
    WHEN 'points-redeemed' THEN -(ARRAY[100, 500, 300, 1000, 200, 200])[1 + n % 6]
    WHEN 'bonus-awarded' THEN 50
    WHEN 'points-expired' THEN -(20 + n % 180)
    WHEN 'points-adjusted' THEN CASE WHEN n % 2 = 0 THEN 25 ELSE -25 END
    ELSE 0 END,
  payload = CASE type
    WHEN 'points-earned' THEN jsonb_build_object('basket', jsonb_build_object('currency', 'EUR',
        'total', 200 + (n::bigint * 7919) % 6000, 'eligible', 200 + (n::bigint * 7919) % 6000, 'lines', 1, 'items', 1),
        'lines', '[]'::jsonb, 'points', (200 + (n::bigint * 7919) % 6000) / 100, 'explanation', '[]'::jsonb)
    WHEN 'points-redeemed' THEN jsonb_build_object('rewardId',
        (ARRAY['coffee', 'five-off', 'ten-pct', 'gift-10', 'give-food', 'give-trees'])[1 + n % 6], 'quantity', 1,
        'cost', (ARRAY[100, 500, 300, 1000, 200, 200])[1 + n % 6], 'mode', 'online', 'override', NULL)
    WHEN 'bonus-awarded' THEN jsonb_build_object('kind', 'campaign', 'points', 50, 'actionId', NULL, 'note', NULL)
    WHEN 'points-expired' THEN jsonb_build_object('points', 20 + n % 180, 'reason', 'rolling', 'batches', '[]'::jsonb)
    WHEN 'plan-joined' THEN jsonb_build_object('planId', 'club', 'fee', 500, 'until', '2026-12-31T00:00:00.000Z')
    WHEN 'points-adjusted' THEN jsonb_build_object('points', CASE WHEN n % 2 = 0 THEN 25 ELSE -25 END,
        'reasonCode', 'goodwill', 'managerId', 'm-1', 'note', NULL)
    ELSE jsonb_build_object('from', 'silver', 'to', 'gold', 'qualifying', 1000) END
  WHERE type <> 'member-enrolled';

INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month, recorded_at,
    program_version, prev_hash, hash, body, member_seq, status, reason, points_delta, change_seq, applied)
  SELECT id, terminal_id, n, store_id, member_id, type, at, date_trunc('month', at AT TIME ZONE 'UTC')::date, at,
    1, repeat('0', 64), md5(id::text) || md5(n::text),
    jsonb_build_object('id', id, 'type', type, 'memberId', member_id, 'terminalId', terminal_id, 'storeId', store_id,
      'cashierId', CASE WHEN hq THEN 'hq' ELSE 'c-1' END, 'terminalSeq', n, 'occurredAt', at, 'programVersion', 1,
      'payload', payload),
    row_number() OVER (PARTITION BY member_id ORDER BY at, n), CASE WHEN n % 97 = 0 THEN 'flagged' ELSE 'posted' END,
    NULL, delta, n, true
  FROM (
    SELECT e.*, type IN ('points-expired', 'tier-changed') AS hq, gen_random_uuid() AS id,
      CASE WHEN type IN ('points-expired', 'tier-changed') THEN 'hq' ELSE 's-' || store END AS store_id,
      CASE WHEN type IN ('points-expired', 'tier-changed') THEN 'hq' ELSE 't-' || store || '-' || (1 + n % 2) END AS terminal_id
    FROM seed_events e
  ) x;

INSERT INTO members (id, doc, member_seq, balance, debt, tier, change_seq)
  SELECT m.id, jsonb_build_object('id', m.id), coalesce(t.events, 0), greatest(coalesce(t.net, 0), 0),
         greatest(-coalesce(t.net, 0), 0), CASE WHEN m.i % 5 = 0 THEN 'gold' ELSE 'silver' END, m.i
  FROM seed_members m
  LEFT JOIN (SELECT member_id, count(*) AS events, sum(points_delta) AS net FROM events GROUP BY member_id) t
    ON t.member_id = m.id;

INSERT INTO review_items (kind, member_id, terminal_id, status, created_at, resolved_at, decision, resolved_by)
  SELECT (ARRAY['overdraft', 'adjustment-over-cap', 'offline-allowance'])[1 + i % 3],
         'm-' || lpad((1 + i * 37 % ${MEMBERS})::text, 6, '0'), 't-' || (1 + i % ${STORES}) || '-1',
         CASE WHEN i % 4 = 0 THEN 'resolved' ELSE 'open' END, at,
         CASE WHEN i % 4 = 0 THEN at END, CASE WHEN i % 4 = 0 THEN 'resolved' END, CASE WHEN i % 4 = 0 THEN 'bench' END
  FROM generate_series(1, 600) i, LATERAL (SELECT timestamptz '2025-12-01 00:00:00+00' + i * interval '1 hour' AS at) a;

DROP TABLE seed_picks, seed_events, seed_members;
`;

// After the measurements: 10,000 more events above every change_seq so far (9,900 in the year's last week,
// 100 late ones over October and November) and 100 events of December renumbered (as ingest does when it
// updates one: applied late, voided).
const INCREMENT = `
INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month, recorded_at,
    program_version, prev_hash, hash, body, member_seq, status, reason, points_delta, change_seq, applied)
  SELECT id, 't-1-1', 10000000 + n, 's-1', 'm-' || lpad((1 + n * 7 % ${MEMBERS})::text, 6, '0'), 'points-earned', at,
    date_trunc('month', at AT TIME ZONE 'UTC')::date, at, 1, repeat('0', 64), md5(id::text) || md5(n::text),
    jsonb_build_object('id', id, 'type', 'points-earned', 'payload', jsonb_build_object('basket',
      jsonb_build_object('currency', 'EUR', 'total', 1000, 'eligible', 1000, 'lines', 1, 'items', 1))),
    NULL, 'posted', NULL, 10, ${EVENTS} + 1000 + n, true
  FROM (SELECT n, gen_random_uuid() AS id,
          CASE WHEN n <= 9900 THEN timestamptz '2025-12-24 08:00:00+00' + (n % 7) * interval '1 day' + (n % 600) * interval '1 minute'
               ELSE timestamptz '2025-10-01 08:00:00+00' + (n % 60) * interval '1 day' END AS at
        FROM generate_series(1, 10000) n) x;
UPDATE events SET change_seq = ${EVENTS} + 20000 + change_seq WHERE id IN (
  SELECT id FROM events WHERE occurred_at >= '2025-12-01' AND change_seq <= ${EVENTS} ORDER BY change_seq LIMIT 100);
`;

// 500 events of the year's last day at two stores, above every change_seq so far.
const TODAY = `
INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month, recorded_at,
    program_version, prev_hash, hash, body, member_seq, status, reason, points_delta, change_seq, applied)
  SELECT id, 't-' || s || '-2', 20000000 + n, 's-' || s, 'm-' || lpad((1 + n * 13 % ${MEMBERS})::text, 6, '0'),
    'points-earned', at, date_trunc('month', at AT TIME ZONE 'UTC')::date, at, 1, repeat('0', 64),
    md5(id::text) || md5(n::text),
    jsonb_build_object('id', id, 'type', 'points-earned', 'payload', jsonb_build_object('basket',
      jsonb_build_object('currency', 'EUR', 'total', 1000, 'eligible', 1000, 'lines', 1, 'items', 1))),
    NULL, 'posted', NULL, 10, ${EVENTS} + 2000000 + n, true
  FROM (SELECT n, 1 + n % 2 AS s, gen_random_uuid() AS id,
          timestamptz '2025-12-31 08:00:00+00' + (n % 600) * interval '1 minute' AS at
        FROM generate_series(1, 500) n) x;
`;

const time = (fn: () => Promise<unknown>): Promise<Timing> => timeRuns(fn, RUNS, WARMUP);

async function main(): Promise<void> {
  const atStart = loadavg().map((x) => Math.round(x * 100) / 100);
  const t = await open();
  const db = t.db;
  try {
    await publishProgram(db, program);
    const seedStart = performance.now();
    await db.exec(SEED);
    // As autovacuum would have by now: statistics, and the visibility map index-only scans rely on.
    for (const table of ['events', 'members', 'review_items']) await db.exec(`VACUUM ANALYZE ${table}`);
    const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
    const { rows } = await db.query<{ events: string; members: string }>(
      'SELECT (SELECT count(*) FROM events)::text AS events, (SELECT count(*) FROM members)::text AS members',
    );
    console.log(`seeded ${rows[0]?.events} events and ${rows[0]?.members} members in ${seedSeconds} s`);

    // The rollup's first build over the whole seed (what the first dashboard read after an upgrade pays).
    const fullStart = performance.now();
    const full = await refreshRollup(db, program.timeZone);
    const rollupFullMs = Math.round(performance.now() - fullStart);
    console.log(`rollup built: ${full.days} days in ${rollupFullMs} ms`);
    for (const table of ROLLUP_TABLES) await db.exec(`VACUUM ANALYZE ${table}`);
    const sizes = await db.query<{ table: string; rows: string }>(
      ROLLUP_TABLES.map((t) => `SELECT '${t}' AS table, count(*)::text AS rows FROM ${t}`).join(
        ' UNION ALL ',
      ),
    );
    const rollupRows = Object.fromEntries(sizes.rows.map((r) => [r.table, Number(r.rows)]));
    // What every dashboard query pays first when nothing is new: the lock and the look above the watermark.
    const noop = await time(() => refreshRollup(db, program.timeZone));

    const floor = await time(() => db.query('SELECT count(*) FROM events'));
    console.log(`floor SELECT count(*) FROM events: p50 ${floor.p50} ms, p95 ${floor.p95} ms`);
    const tz = program.timeZone;
    const ranges: Record<string, DayRange> = {
      '30 days': { from: '2025-12-02', to: '2025-12-31' },
      '365 days': { from: '2025-01-01', to: '2025-12-31' },
    };
    const scopes: Record<string, StoreSet> = { 'every store': null, 'one store': ['s-2'] };
    const queries: Record<string, (range: DayRange, stores: StoreSet) => Promise<unknown>> = {
      flowsByDayAndStore: (r, s) => flowsByDayAndStore(db, tz, r, s),
      closingLiability: (r, s) => closingLiability(db, tz, r, s),
      activeMembers: (r, s) => activeMembers(db, tz, r, s),
      redemptionsByReward: (r, s) => redemptionsByReward(db, tz, r, s),
      tierDistribution: (_r, s) => tierDistribution(db, s),
      openReviewsByKind: (_r, s) => openReviewsByKind(db, s),
      memberCount: (_r, s) => memberCount(db, s),
      storeNames: (_r, s) => storeNames(db, s),
      rewardPrices: () => rewardPrices(db, program),
      salesAndFees: (r, s) => salesAndFees(db, tz, r, s),
      visitFrequency: (r, s) => visitFrequency(db, tz, r, s),
      firstRewardFrequency: (r, s) => firstRewardFrequency(db, tz, r, s),
      'dashboard (whole handler answer)': (r, s) => dashboardReport(db, program, r, s, null),
      'roi (whole handler answer)': (r, s) => roiReport(db, program, r, s, null, DEFAULT_ROI_ASSUMPTIONS),
    };
    const ROI_QUERIES = new Set([
      'salesAndFees',
      'visitFrequency',
      'firstRewardFrequency',
      'rewardPrices',
      'roi (whole handler answer)',
    ]);
    const results: Record<string, Record<string, Timing & { vsFloor: number }>> = {};
    // The budget is the dashboard's (issue 14); the ROI page's per-member cohort queries are reported beside
    // it with their own worst figure, not rolled up (docs/decisions.md, the rollup).
    let worst = 0;
    let worstRoi = 0;
    for (const [rangeName, range] of Object.entries(ranges))
      for (const [scopeName, stores] of Object.entries(scopes)) {
        const key = `${rangeName}, ${scopeName}`;
        const lines: Record<string, Timing & { vsFloor: number }> = {};
        results[key] = lines;
        for (const [name, q] of Object.entries(queries)) {
          const timing = await time(() => q(range, stores));
          lines[name] = { ...timing, vsFloor: Math.round((timing.p95 / floor.p95) * 10) / 10 };
          if (ROI_QUERIES.has(name)) worstRoi = Math.max(worstRoi, timing.p95);
          else worst = Math.max(worst, timing.p95);
          console.log(`${key.padEnd(24)} ${name.padEnd(34)} p50 ${timing.p50} ms  p95 ${timing.p95} ms`);
        }
      }
    // An incremental refresh after INCREMENT.
    await db.exec(INCREMENT);
    const incStart = performance.now();
    const inc = await refreshRollup(db, program.timeZone);
    const rollupIncrementalMs = Math.round(performance.now() - incStart);
    console.log(
      `rollup refreshed after 10,000 new and 100 renumbered events: ${inc.days} days in ${rollupIncrementalMs} ms`,
    );
    // The usual case: a till's push of today's events (here 500 on the year's last day at two stores).
    // As autovacuum would after so many rows changed (the 91 days' rows were deleted and written again).
    for (const table of ['events', ...ROLLUP_TABLES]) await db.exec(`VACUUM ANALYZE ${table}`);
    await db.exec(TODAY);
    const todayStart = performance.now();
    const today = await refreshRollup(db, program.timeZone);
    const rollupTodayMs = Math.round(performance.now() - todayStart);
    console.log(
      `rollup refreshed after 500 new events of one day: ${today.days} day(s) in ${rollupTodayMs} ms`,
    );
    const path = writeResult('dashboard', {
      what:
        `${MEMBERS} members and ${EVENTS} events (one year, ${STORES} stores) generated in SQL on real PostgreSQL; ` +
        `each dashboard and ROI query function as the handlers call it, ${RUNS} runs after ${WARMUP} warm-ups, ` +
        'for a 30-day and a 365-day range, every store and one store; the two "whole" lines are the complete ' +
        'answers (their queries run side by side on the pool). Floor: SELECT count(*) FROM events in the same run. ' +
        'The machine is shared with whatever else runs on it: see loadAverage (1, 5, 15 min).',
      database: 'postgres',
      loadAverage: { atStart, atEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      seedSeconds,
      budget: { p95Ms: BUDGET_P95_MS },
      floor,
      rollup: {
        fullBuildMs: rollupFullMs,
        fullBuildDays: full.days,
        rows: rollupRows,
        noopRefresh: noop,
        today: {
          what: '500 new events on the last day of the year at two stores',
          ms: rollupTodayMs,
          daysRecomputed: today.days,
        },
        incremental: {
          what: '10,000 new events (9,900 over the last 7 days, 100 late ones over the 60 days before them) and 100 December events renumbered',
          ms: rollupIncrementalMs,
          daysRecomputed: inc.days,
        },
      },
      worstQueryP95Ms: worst,
      withinBudget: worst < BUDGET_P95_MS,
      roi: { worstQueryP95Ms: worstRoi, withinBudget: worstRoi < BUDGET_P95_MS },
      queries: results,
    });
    console.log(
      `worst dashboard query p95 ${worst} ms (budget ${BUDGET_P95_MS} ms); worst ROI query p95 ${worstRoi} ms; wrote ${path}`,
    );
    if (worst >= BUDGET_P95_MS) process.exitCode = 1;
  } finally {
    await t.close();
  }
}

await main();

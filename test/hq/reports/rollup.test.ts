// The dashboard's rollup (reports/rollup.ts) against the raw events, on both databases. After rounds of
// random pushes from three tills at two stores — earns before their member's enrollment (applied late and
// renumbered), voids, failed redemptions, events hours or days older than those already in (late), times
// around local midnight, HQ expiries — every rollup table equals a computation from the events table done
// here in TypeScript (local days by Intl, not SQL), the dashboard's days equal the CLI's daily report and its
// closing liability the CLI's, and the rollup kept up incrementally equals one rebuilt from nothing. A zone
// change rebuilds it. On PostgreSQL, refreshes racing each other and racing pushes end on the same tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { HQ_SOURCE } from '../../../src-shared/ledger/events.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { localTime } from '../../../src-shared/kernel/zoned-time.js';
import type { Db } from '../../../src-hq/db/database.js';
import { activeMembers, closingLiability, dashboardReport } from '../../../src-hq/reports/dashboard.js';
import { dailyFlows, liabilityReport } from '../../../src-hq/reports/reports.js';
import { salesAndFees } from '../../../src-hq/reports/roi.js';
import { clearRollup, refreshRollup } from '../../../src-hq/reports/rollup.js';
import { appendHqEvents } from '../../../src-hq/store/hq-events.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { databases, postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { STEP_REWARD, eventFactory, testProgram, type EventFactory } from '../../support/events.js';

const program = testProgram({
  bonuses: { welcome: 10, birthday: 0 },
  rewards: [
    STEP_REWARD,
    { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 40 },
    { id: 'trees', label: 'Plant a tree', kind: 'donation', charity: 'Trees for All', amount: 150, cost: 30 },
  ],
  plans: [{ id: 'club', label: 'Club', fee: 500, durationDays: 365 }],
});
const TZ = program.timeZone;
const RANGE = { from: '2025-05-30', to: '2025-06-12' };
const MEMBERS = ['ann', 'bob', 'carl', 'dora', 'eve', 'finn'];

/** A small seeded generator (mulberry32): the same rounds on every run and database. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Till {
  id: string;
  storeId: string;
  f: EventFactory;
  pushed: number;
}

/** Every rollup table, in one comparable shape. */
async function dump(db: Db) {
  const q = async (text: string) => (await db.query<Record<string, unknown>>(text)).rows;
  return {
    flows:
      await q(`SELECT day::text AS day, store_id, events, issued, redeemed, expired, new_members, redemptions,
        active, visits, sales, voided, returned, plan_joins, plan_fees FROM dashboard_rollup ORDER BY day, store_id`),
    rewards: await q(`SELECT day::text AS day, store_id, reward_id, redemptions, quantity, points
        FROM dashboard_rollup_rewards ORDER BY day, store_id, reward_id`),
    active: await q('SELECT day::text AS day, active FROM dashboard_rollup_active ORDER BY day'),
    memberDays: await q(`SELECT day::text AS day, store_id, member_id FROM dashboard_member_days
        ORDER BY day, store_id, member_id`),
    memberYears: await q(`SELECT year, store_id, member_id, days::text AS days FROM dashboard_member_years
        ORDER BY year, store_id, member_id`),
  };
}

/** The same tables computed here from the raw events: the local day by Intl, the sums in TypeScript. */
async function fromEvents(db: Db, timeZone: string) {
  const { rows } = await db.query<{
    occurred_at: string;
    store_id: string;
    member_id: string;
    terminal_id: string;
    type: string;
    status: string;
    applied: boolean;
    points_delta: number;
    money_amount: number | null;
    reward_id: string | null;
    reward_quantity: number | null;
  }>(
    `SELECT occurred_at, store_id, member_id, terminal_id, type, status, applied, points_delta, money_amount,
            reward_id, reward_quantity FROM events`,
  );
  const zero = {
    events: 0,
    issued: 0,
    redeemed: 0,
    expired: 0,
    new_members: 0,
    redemptions: 0,
    visits: 0,
    sales: 0,
    voided: 0,
    returned: 0,
    plan_joins: 0,
    plan_fees: 0,
  };
  const flows = new Map<string, typeof zero & { members: Set<string> }>();
  const rewards = new Map<string, { redemptions: number; quantity: number; points: number }>();
  const active = new Map<string, Set<string>>();
  const memberDays = new Set<string>();
  for (const e of rows) {
    if (e.status === 'quarantined') continue;
    const day = localTime(Date.parse(e.occurred_at), timeZone).date;
    const key = `${day}|${e.store_id}`;
    const f = flows.get(key) ?? { ...zero, members: new Set<string>() };
    flows.set(key, f);
    const delta = e.applied ? e.points_delta : 0;
    f.events += 1;
    if (e.type === 'points-expired') f.expired += -delta;
    else if (delta > 0) f.issued += delta;
    else f.redeemed += -delta;
    if (e.applied) {
      if (e.type === 'member-enrolled') f.new_members += 1;
      if (e.type === 'points-earned') [f.visits, f.sales] = [f.visits + 1, f.sales + (e.money_amount ?? 0)];
      if (e.type === 'event-voided') f.voided += e.money_amount ?? 0;
      if (e.type === 'points-returned') f.returned += e.money_amount ?? 0;
      if (e.type === 'plan-joined')
        [f.plan_joins, f.plan_fees] = [f.plan_joins + 1, f.plan_fees + (e.money_amount ?? 0)];
      if (e.type === 'points-redeemed') {
        f.redemptions += 1;
        const rk = `${key}|${e.reward_id}`;
        const r = rewards.get(rk) ?? { redemptions: 0, quantity: 0, points: 0 };
        rewards.set(rk, {
          redemptions: r.redemptions + 1,
          quantity: r.quantity + (e.reward_quantity ?? 0),
          points: r.points - e.points_delta,
        });
      }
    }
    if (e.terminal_id !== HQ_SOURCE) {
      f.members.add(e.member_id);
      active.set(day, (active.get(day) ?? new Set()).add(e.member_id));
      memberDays.add(`${key}|${e.member_id}`);
    }
  }
  const split = (k: string) => k.split('|') as [string, string, string];
  const sorted = <T>(m: Iterable<[string, T]>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    flows: sorted(flows).map(([k, { members, ...f }]) => {
      const [day, store_id] = split(k);
      return { day, store_id, ...f, active: members.size };
    }),
    rewards: sorted(rewards).map(([k, r]) => {
      const [day, store_id, reward_id] = split(k);
      return { day, store_id, reward_id, ...r };
    }),
    active: sorted(active).map(([day, set]) => ({ day, active: set.size })),
    memberDays: [...memberDays].sort().map((k) => {
      const [day, store_id, member_id] = split(k);
      return { day, store_id, member_id };
    }),
  };
}

/** The rollup tables in the order and key order of fromEvents, for toEqual. */
async function rolledUp(db: Db) {
  const d = await dump(db);
  const order = (list: Record<string, unknown>[], keys: string[]) =>
    list
      .map((r) => Object.fromEntries(Object.keys(r).map((k) => [k, r[k]])))
      .sort((a, b) => {
        const ka = keys.map((k) => String(a[k])).join('|');
        const kb = keys.map((k) => String(b[k])).join('|');
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
  return {
    flows: order(d.flows, ['day', 'store_id']),
    rewards: order(d.rewards, ['day', 'store_id', 'reward_id']),
    active: d.active,
    memberDays: order(d.memberDays, ['day', 'store_id', 'member_id']),
  };
}

const CLOCK = new ManualClock(Date.parse('2025-06-12T10:00:00Z'));

/** The program, two stores, a product and three tills (two at s-1, one at s-2). */
async function setUp(db: Db): Promise<Till[]> {
  await publishProgram(db, program);
  await createStore(db, { id: 's-1', name: 'Store one', timeZone: TZ });
  await createStore(db, { id: 's-2', name: 'Store two', timeZone: TZ });
  await db.query(
    `INSERT INTO products (sku, name, category, price, currency, change_seq) VALUES ('coffee', 'Coffee', 'drinks', 280, 'EUR', 1)`,
  );
  const tills: Till[] = [];
  for (const storeId of ['s-1', 's-1', 's-2']) {
    const { code } = await createEnrollmentCode(db, storeId, CLOCK);
    const { terminalId } = await enrollTerminal(db, code, `till ${tills.length}`, CLOCK);
    tills.push({ id: terminalId, storeId, f: eventFactory({ terminalId, storeId }), pushed: 0 });
  }
  return tills;
}

/** One round of random events on every till, pushed in random order, some late. */
async function round(db: Db, tills: readonly Till[], rng: () => number): Promise<void> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  // Around the days of the range, often near local midnight (22:00Z is midnight in Paris in June).
  // Some around the new year's local midnight (23:00Z on 31 December is midnight in Paris).
  const at = () =>
    new Date(
      rng() < 0.1
        ? Date.parse('2024-12-31T22:00:00Z') + Math.floor(rng() * 7_200_000)
        : Date.parse('2025-06-01T00:00:00Z') +
            Math.floor(rng() * 10) * 86_400_000 +
            (rng() < 0.4 ? 21 * 3_600_000 + Math.floor(rng() * 7_200_000) : Math.floor(rng() * 86_400_000)),
    ).toISOString();
  for (const till of tills) {
    const earns: LedgerEvent[] = till.f.events.filter((e) => e.type === 'points-earned');
    for (let i = 0; i < 6; i++) {
      const member = pick(MEMBERS);
      const r = rng();
      if (r < 0.15) till.f.enrolled(member, { welcomeBonus: 10 }, at());
      else if (r < 0.5)
        earns.push(till.f.earned(member, 1 + Math.floor(rng() * 80), at(), { total: 1000 + i }));
      else if (r < 0.65) {
        const reward = pick([STEP_REWARD.id, 'coffee', 'trees']);
        const cost = reward === 'coffee' ? 40 : reward === 'trees' ? 30 : 5 + Math.floor(rng() * 30);
        till.f.redeemed(member, cost, at(), {
          rewardId: reward,
          quantity: reward === STEP_REWARD.id ? cost : 1,
        });
      } else if (r < 0.75) till.f.adjusted(member, rng() < 0.5 ? 15 : -15, at());
      else if (r < 0.85 && earns.length > 0) till.f.voided(pick(earns) as never, at());
      else if (r < 0.9) till.f.planJoined(member, 'club', '2026-06-01T00:00:00Z', at(), 500);
      else till.f.bonus(member, 7, 'campaign', at());
    }
  }
  for (const till of [...tills].sort(() => rng() - 0.5)) {
    await pushEvents(db, { id: till.id, storeId: till.storeId }, till.f.events.slice(till.pushed), CLOCK);
    till.pushed = till.f.events.length;
  }
  if (rng() < 0.7)
    await appendHqEvents(
      db,
      [
        {
          type: 'points-expired',
          memberId: pick(MEMBERS),
          payload: { points: 3, reason: 'inactivity', batches: [] },
          occurredAt: at(),
        },
      ],
      CLOCK,
    );
}

/** The rollup (refreshed as the dashboard does) equals the raw events' figures and the CLI's. */
async function expectExact(db: Db, wholeYears = false): Promise<void> {
  await refreshRollup(db, TZ, wholeYears ? 0 : undefined);
  expect(await rolledUp(db)).toEqual(await fromEvents(db, TZ));
  const d = await dashboardReport(db, program, RANGE, null, null);
  const cli = await dailyFlows(db, TZ, RANGE);
  expect(
    d.days
      .filter((x) => x.events > 0)
      .map(({ day, events, issued, redeemed, expired }) => ({ day, events, issued, redeemed, expired })),
  ).toEqual(
    cli.map(({ day, events, issued, redeemed, expired }) => ({ day, events, issued, redeemed, expired })),
  );
  expect(d.cards.liabilityPoints).toBe((await liabilityReport(db, program)).netPoints);
  expect(Number(await closingLiability(db, TZ, { from: RANGE.from, to: '2025-06-04' }, null))).toBe(
    d.days.find((x) => x.day === '2025-06-04')!.liabilityPoints,
  );
  const members = new Set(
    (
      await db.query<{ member_id: string }>(`SELECT member_id FROM events
       WHERE status <> 'quarantined' AND terminal_id <> 'hq'`)
    ).rows.map((r) => r.member_id),
  );
  expect(d.cards.activeMembers).toBe(members.size);
  // Members active in a range, per store and in all, from the raw member-days, for a few ranges and scopes.
  const raw = await fromEvents(db, TZ);
  for (const range of [
    RANGE,
    { from: '2024-12-31', to: '2025-06-05' },
    { from: '2024-12-20', to: '2024-12-31' },
    { from: '2025-06-03', to: '2025-06-05' },
    { from: '2025-06-09', to: '2025-06-09' },
  ])
    for (const stores of [null, ['s-1', 's-2'], ['s-2']]) {
      const inScope = raw.memberDays.filter(
        (m) => m.day >= range.from && m.day <= range.to && (stores === null || stores.includes(m.store_id)),
      );
      const distinct = (list: typeof inScope) => new Set(list.map((m) => m.member_id)).size;
      const active = await activeMembers(db, TZ, range, stores);
      expect(active.total).toBe(distinct(inScope));
      expect(Object.fromEntries(active.byStore)).toEqual(
        Object.fromEntries(
          [...new Set(inScope.map((m) => m.store_id))].map((s) => [
            s,
            distinct(inScope.filter((m) => m.store_id === s)),
          ]),
        ),
      );
      expect(Object.fromEntries(active.byDay)).toEqual(
        Object.fromEntries(
          [...new Set(inScope.map((m) => m.day))].map((d) => [
            d,
            distinct(inScope.filter((m) => m.day === d)),
          ]),
        ),
      );
    }
}

describe.each(databases)('dashboard rollup on %s', { timeout: 300_000 }, (_name, open) => {
  let t: TestDatabase;
  let tills: Till[] = [];
  beforeAll(async () => {
    t = await open();
    tills = await setUp(t.db);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('equals the raw events and the CLI after random pushes, voids and late events; incremental = rebuilt', async () => {
    const rng = random(20261206);
    await expectExact(t.db);
    for (let i = 0; i < 5; i++) {
      await round(t.db, tills, rng);
      // Every other round, the touched members' years are recomputed whole (as for many members).
      await expectExact(t.db, i % 2 === 1);
    }
    const { rows } = await t.db.query<{ renumbered: string }>(
      `SELECT count(*)::text AS renumbered FROM events e WHERE EXISTS (SELECT 1 FROM events l
         WHERE l.terminal_id = e.terminal_id AND l.terminal_seq > e.terminal_seq AND l.change_seq < e.change_seq)`,
    );
    // Some events were updated (renumbered) after later ones of their till came in: the path that matters.
    expect(Number(rows[0]?.renumbered)).toBeGreaterThan(0);
    const incremental = await dump(t.db);
    await clearRollup(t.db);
    expect(await refreshRollup(t.db, TZ)).toMatchObject({ rebuilt: true });
    expect(await dump(t.db)).toEqual(incremental);
    // And the ROI's sums, from the rollup, equal the raw events' sums.
    const raw = await fromEvents(t.db, TZ);
    const sum = (k: 'visits' | 'sales' | 'voided' | 'returned' | 'plan_fees') =>
      raw.flows.filter((f) => f.day >= RANGE.from && f.day <= RANGE.to).reduce((s, f) => s + f[k], 0);
    expect(await salesAndFees(t.db, TZ, RANGE, null)).toEqual({
      spend: sum('sales') - sum('voided') - sum('returned'),
      visits: sum('visits'),
      planFees: sum('plan_fees'),
      planJoins: raw.flows.reduce(
        (s, f) => s + (f.day >= RANGE.from && f.day <= RANGE.to ? f.plan_joins : 0),
        0,
      ),
    });
  });

  it('is rebuilt in the new zone when the program’s zone changes', async () => {
    const other = 'America/New_York';
    expect(await refreshRollup(t.db, other)).toMatchObject({ rebuilt: true });
    expect(await rolledUp(t.db)).toEqual(await fromEvents(t.db, other));
    expect(await refreshRollup(t.db, TZ)).toMatchObject({ rebuilt: true });
    expect(await refreshRollup(t.db, TZ)).toMatchObject({ rebuilt: false, days: 0 });
    expect(await rolledUp(t.db)).toEqual(await fromEvents(t.db, TZ));
  });
});

describe('dashboard rollup on postgres, concurrently', { timeout: 300_000 }, () => {
  let t: TestDatabase;
  let tills: Till[] = [];
  beforeAll(async () => {
    t = await postgresDatabase();
    tills = await setUp(t.db);
    const rng = random(3);
    for (let i = 0; i < 2; i++) await round(t.db, tills, rng);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  }, 60_000);

  it('two refreshes at once, and refreshes racing pushes, end where one refresh would', async () => {
    await clearRollup(t.db);
    const both = await Promise.all([refreshRollup(t.db, TZ), refreshRollup(t.db, TZ)]);
    // One rebuilt; the other waited for the lock and found nothing new.
    expect(both.map((r) => r.rebuilt).sort()).toEqual([false, true]);
    expect(both.find((r) => !r.rebuilt)?.days).toBe(0);
    expect(await rolledUp(t.db)).toEqual(await fromEvents(t.db, TZ));

    const rng = random(7);
    let pushing = true;
    const pushes = (async () => {
      for (let i = 0; i < 3; i++) await round(t.db, tills, rng);
      pushing = false;
    })();
    let refreshes = 0;
    const refresher = async () => {
      while (pushing) {
        await refreshRollup(t.db, TZ);
        refreshes += 1;
      }
    };
    await Promise.all([pushes, refresher(), refresher()]);
    expect(refreshes).toBeGreaterThan(1);
    await expectExact(t.db);
  });
});

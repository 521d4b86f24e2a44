// The console dashboard and ROI endpoints on both databases: every figure the CLI's `report` prints (daily
// issued/redeemed/expired, the liability, the review queue) is the dashboard's too, on the same data; the
// per-store lines add up to the totals; a store manager sees only their store; the ROI's facts are the
// seeded sales, fees and rewards, under the assumptions given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import type { Dashboard } from '../../../src-shared/console/dashboard.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { runCli } from '../../../src-hq/cli/run.js';
import { pointsToMoney } from '../../../src-hq/reports/reports.js';
import { appendHqEvents } from '../../../src-hq/store/hq-events.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { STEP_REWARD, SILVER_GOLD_TIERS, eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { signedIn, type ConsoleClient } from '../console/session.js';
import { addManager } from '../store/helpers.js';

// 3 points are worth 0.10 EUR: money figures round, as the CLI's do.
const program = testProgram({
  pointValue: { points: 3, value: 10 },
  bonuses: { welcome: 10, birthday: 0 },
  tiers: SILVER_GOLD_TIERS,
  rewards: [
    STEP_REWARD,
    { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'coffee', cost: 40 },
    { id: 'trees', label: 'Plant a tree', kind: 'donation', charity: 'Trees for All', amount: 150, cost: 30 },
  ],
  plans: [{ id: 'club', label: 'Club', fee: 500, durationDays: 365 }],
});
const RANGE = { from: '2025-05-31', to: '2025-06-05' };
const { dashboard, roi } = CONSOLE_API;

interface CliReport {
  liability: { members: number; netPoints: number; liability: number };
  daily: { days: { day: string; events: number; issued: number; redeemed: number; expired: number }[] };
  reviews: { open: number; byKind: { kind: string; open: number }[] };
}

describe.each(databases)('console dashboard on %s', { timeout: 120_000 }, (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let admin: ConsoleClient;
  const sales: LedgerEvent[] = [];

  /** The CLI's `report --json` on the same database and clock. */
  async function cliReport(from: string, to: string): Promise<CliReport> {
    let out = '';
    const code = await runCli(['report', '--json', '--from', from, '--to', to], {
      env: {},
      stdout: { write: (s: string) => void (out += s) },
      stderr: { write: () => undefined },
      clock: h.clock,
      db: h.db,
    });
    expect(code).toBe(0);
    return JSON.parse(out) as CliReport;
  }

  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db); // store s-1 (Europe/Paris)
    h.clock.set('2025-06-05T10:00:00Z');
    await publishProgram(h.db, program);
    await createStore(h.db, { id: 's-2', name: 'Store two', timeZone: 'Europe/Paris' });
    await h.db.query(
      `INSERT INTO products (sku, name, category, price, currency, change_seq) VALUES ('coffee', 'Coffee', 'drinks', 280, 'EUR', 1)`,
    );
    await addManager(h.db, 's-1');
    const till = async (storeId: string) => {
      const { code } = await createEnrollmentCode(h.db, storeId, h.clock);
      const { terminalId } = await enrollTerminal(h.db, code, `till ${storeId}`, h.clock);
      return { id: terminalId, storeId, f: eventFactory({ terminalId, storeId }) };
    };
    const one = await till('s-1');
    const two = await till('s-2');
    const a = one.f;
    // Paris is UTC+2 in June: 21:30Z is still 1 June there, 22:30Z is 2 June.
    a.enrolled('ann', { welcomeBonus: 10 }, '2025-06-01T08:00:00Z');
    sales.push(a.earned('ann', 120, '2025-06-01T21:30:00Z', { total: 12_500, eligible: 12_000 }));
    a.redeemed('ann', 50, '2025-06-01T22:30:00Z');
    a.enrolled('bob', { welcomeBonus: 10 }, '2025-06-02T09:00:00Z');
    const bobEarn = a.earned('bob', 30, '2025-06-02T10:00:00Z');
    sales.push(bobEarn);
    a.adjusted('bob', -20, '2025-06-02T11:00:00Z');
    a.voided(bobEarn, '2025-06-03T09:00:00Z');
    a.redeemed('ann', 40, '2025-06-03T10:00:00Z', { rewardId: 'coffee', quantity: 1, cost: 40 });
    a.redeemed('ann', 100, '2025-06-03T10:30:00Z', { mode: 'offline' }); // overdraws Ann: a review item
    const b = two.f;
    b.enrolled('carl', { welcomeBonus: 10 }, '2025-06-03T11:00:00Z');
    sales.push(b.earned('carl', 191, '2025-06-03T12:00:00Z'));
    b.redeemed('carl', 30, '2025-06-04T09:00:00Z', { rewardId: 'trees', quantity: 1, cost: 30 });
    b.planJoined('carl', 'club', '2026-06-04T09:00:00Z', '2025-06-04T09:10:00Z', 500);
    sales.push(b.earned('carl', 12, '2025-06-04T15:00:00Z'));
    await pushEvents(h.db, { id: one.id, storeId: 's-1' }, a.events, h.clock);
    await pushEvents(h.db, { id: two.id, storeId: 's-2' }, b.events, h.clock);
    await appendHqEvents(
      h.db,
      [
        {
          type: 'points-expired',
          memberId: 'carl',
          payload: { points: 50, reason: 'inactivity', batches: [] },
          occurredAt: '2025-06-04T20:00:00Z',
        },
      ],
      h.clock,
    );
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  }, 60_000);

  it('shows every figure of the CLI report: daily issued/redeemed/expired, liability, members, reviews', async () => {
    const cli = await cliReport(RANGE.from, RANGE.to);
    const d = await admin.ok(dashboard, { query: RANGE });
    expect(d.days.map((x) => x.day)).toEqual([
      '2025-05-31',
      '2025-06-01',
      '2025-06-02',
      '2025-06-03',
      '2025-06-04',
      '2025-06-05',
    ]);
    expect(cli.daily.days.length).toBeGreaterThanOrEqual(4);
    for (const day of d.days) {
      const c = cli.daily.days.find((x) => x.day === day.day) ?? {
        events: 0,
        issued: 0,
        redeemed: 0,
        expired: 0,
      };
      expect({
        day: day.day,
        events: day.events,
        issued: day.issued,
        redeemed: day.redeemed,
        expired: day.expired,
      }).toEqual({
        day: day.day,
        events: c.events,
        issued: c.issued,
        redeemed: c.redeemed,
        expired: c.expired,
      });
    }
    expect(d.days.find((x) => x.day === '2025-06-04')?.expired).toBe(50);
    // The range ends today: its last liability is the CLI's (members' balances less debt).
    expect(d.cards.liabilityPoints).toBe(cli.liability.netPoints);
    expect(d.cards.liabilityMoney).toBe(cli.liability.liability);
    expect(d.cards.members).toBe(cli.liability.members);
    expect(d.cards.openReviews).toBe(cli.reviews.open);
    expect(d.reviews.byKind).toEqual(cli.reviews.byKind.map((k) => ({ kind: k.kind, open: k.open })));
    expect(d.reviews.byKind.map((k) => k.kind)).toContain('overdraft');
    expect(d.tiers.reduce((s, x) => s + x.members, 0)).toBe(cli.liability.members);
    expect(d.cards).toMatchObject({ newMembers: 3, activeMembers: 3 });
  });

  it('runs the liability day by day from what came before the range', async () => {
    const whole = await admin.ok(dashboard, { query: RANGE });
    const late = await admin.ok(dashboard, { query: { from: '2025-06-03', to: RANGE.to } });
    // The later range opens on the earlier days' liability and ends on the same figure.
    expect(late.days.map((x) => x.liabilityPoints)).toEqual(
      whole.days.slice(3).map((x) => x.liabilityPoints),
    );
    let running = 0;
    for (const day of whole.days) {
      running += day.issued - day.redeemed - day.expired;
      expect(day.liabilityPoints).toBe(running);
      expect(day.liabilityMoney).toBe(pointsToMoney(running, program.pointValue));
    }
    const cli = await cliReport('2025-06-03', '2025-06-03');
    const june3 = late.days[0]!;
    expect([june3.issued, june3.redeemed, june3.expired]).toEqual([
      cli.daily.days[0]!.issued,
      cli.daily.days[0]!.redeemed,
      cli.daily.days[0]!.expired,
    ]);
  });

  it('splits by store (HQ’s expiries on a line of their own) and the lines add up', async () => {
    const d = await admin.ok(dashboard, { query: RANGE });
    expect(d.perStore.map((s) => s.storeId).sort()).toEqual(['hq', 's-1', 's-2']);
    for (const k of ['issued', 'redeemed', 'expired', 'events'] as const)
      expect(d.perStore.reduce((s, x) => s + x[k], 0)).toBe(d.totals[k]);
    expect(d.perStore.find((s) => s.storeId === 'hq')).toMatchObject({ expired: 50, issued: 0 });
    expect(d.perStore.find((s) => s.storeId === 's-2')).toMatchObject({
      name: 'Store two',
      newMembers: 1,
      activeMembers: 1,
      redemptions: 1,
    });
    expect(d.totals.issued - d.totals.redeemed - d.totals.expired).toBe(d.cards.liabilityPoints);
  });

  it('lists redemptions by reward with donations apart, valued in money', async () => {
    const d = await admin.ok(dashboard, { query: RANGE });
    expect(d.donations).toEqual([
      {
        rewardId: 'trees',
        label: 'Plant a tree',
        kind: 'donation',
        charity: 'Trees for All',
        redemptions: 1,
        quantity: 1,
        points: 30,
        value: 150,
      },
    ]);
    const byId = new Map(d.rewards.map((r) => [r.rewardId, r]));
    // The coffee at its shelf price; the 1-point steps at the point value (150 points = 5.00 EUR).
    expect(byId.get('coffee')).toMatchObject({
      redemptions: 1,
      points: 40,
      value: 280,
      kind: 'free-product',
    });
    expect(byId.get('reward')).toMatchObject({ redemptions: 2, quantity: 150, points: 150, value: 150 });
    expect(d.rewards.some((r) => r.kind === 'donation')).toBe(false);
  });

  it('shows a store manager their store only, and refuses another', async () => {
    const manager = await signedIn(h.app, h.db, h.clock, 'store-manager', ['s-2']);
    const mine = await manager.ok(dashboard, { query: RANGE });
    const all = await admin.ok(dashboard, { query: RANGE });
    const s2 = all.perStore.find((s) => s.storeId === 's-2')!;
    expect(mine.stores).toEqual([{ id: 's-2', name: 'Store two' }]);
    expect(mine.perStore.map((s) => s.storeId)).toEqual(['s-2']);
    expect(mine.totals).toEqual({ issued: s2.issued, redeemed: s2.redeemed, expired: 0, events: s2.events });
    expect(mine.cards).toMatchObject({ members: 1, newMembers: 1, activeMembers: 1, openReviews: 0 });
    expect(mine.rewards).toEqual([]);
    expect(mine.donations.map((r) => r.rewardId)).toEqual(['trees']);
    // Ann's overdraft is store one's: not in this manager's count.
    const other = await manager.call(dashboard, { query: { ...RANGE, storeId: 's-1' } });
    expect(other.statusCode).toBe(403);
    expect((await manager.call(roi, { query: { ...RANGE, storeId: 's-1' } })).statusCode).toBe(403);
    // An admin may narrow to one store and gets the same figures.
    const narrowed = await admin.ok(dashboard, { query: { ...RANGE, storeId: 's-2' } });
    expect(narrowed.totals).toEqual(mine.totals);
    expect(narrowed.storeId).toBe('s-2');
    expect(narrowed.days).toEqual(mine.days);
  });

  it('refuses a range that ends before it starts or is too long, and defaults to the last 30 days', async () => {
    const backwards = await admin.call(dashboard, { query: { from: '2025-06-05', to: '2025-06-01' } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ error: 'invalid-request' });
    expect(
      (await admin.call(dashboard, { query: { from: '2020-01-01', to: '2025-06-01' } })).statusCode,
    ).toBe(400);
    expect((await admin.call(dashboard, { query: { from: '2025-02-30' } })).statusCode).toBe(400);
    const d: Dashboard = await admin.ok(dashboard);
    expect([d.from, d.to, d.days.length]).toEqual(['2025-05-07', '2025-06-05', 30]);
    const analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    expect((await analyst.call(dashboard, { query: RANGE })).statusCode).toBe(200);
  });

  it('gathers the ROI’s facts from the same events and applies the assumptions given', async () => {
    const r = await admin.ok(roi, { query: RANGE });
    const totals = sales.map((e) => (e.type === 'points-earned' ? e.payload.basket.total : 0));
    const bobTotal = totals[1]!;
    // Four sales, Bob's voided: its total is taken off the spend, the visit stays.
    expect(r.facts.visits).toBe(4);
    expect(r.facts.spend).toBe(totals.reduce((s, x) => s + x, 0) - bobTotal);
    expect(r.facts).toMatchObject({ planFees: 500, planJoins: 1, days: 6 });
    expect(r.facts.rewardsFaceValue).toEqual({
      products: 280,
      discounts: 150,
      giftCards: 0,
      donations: 150,
      other: 0,
    });
    expect(r.assumptions).toEqual({
      grossMarginPercent: 30,
      method: 'incremental-share',
      incrementalSharePercent: 10,
      baselineVisitsPerMonth: 2,
      expectedBreakagePercent: 0,
      fixedCostPerMonth: 0,
    });
    expect(r.facts.all.members).toBe(3);
    expect(r.facts.cohorts).toEqual([expect.objectContaining({ cohort: '2025-06', members: 3, visits: 4 })]);
    expect(r.facts.firstReward.members).toBe(2); // Ann and Carl redeemed for the first time in the range
    expect(r.cost.total).toBe(r.cost.rewards.total + r.cost.liabilityChange + r.cost.fixed);
    expect(r.net).toBe(r.benefit.total - r.cost.total);

    const changed = await admin.ok(roi, {
      query: { ...RANGE, grossMarginPercent: 50, method: 'baseline-visits', baselineVisitsPerMonth: 0 },
    });
    expect(changed.assumptions).toMatchObject({ grossMarginPercent: 50, method: 'baseline-visits' });
    // With no baseline every visit is incremental: the whole spend.
    expect(changed.benefit.incrementalSpend).toBe(Math.round(r.facts.spend / 4) * 4);
    const bad = await admin.call(roi, { query: { ...RANGE, grossMarginPercent: 150 } });
    expect(bad.statusCode).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { localTime } from '../../../src-shared/kernel/zoned-time.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { closePointFlows } from '../../../src-shared/sync/wire.js';
import {
  dailyFlows,
  lastDays,
  liabilityReport,
  pointsToMoney,
  reviewQueueReport,
} from '../../../src-hq/reports/reports.js';
import { appendHqEvents } from '../../../src-hq/store/hq-events.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import type { TerminalIdentity } from '../../../src-hq/store/ingest.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { STEP_REWARD, eventFactory, testProgram, type EventFactory } from '../../support/events.js';
import { addManager, addTerminal } from '../store/helpers.js';

// 3 points are worth 0.10 EUR, so 151 points are 5.0333… EUR: the liability rounds to 5.03.
const program = testProgram({ pointValue: { points: 3, value: 10 } });
/** The same program as the day-by-day fixture claims it: a welcome bonus of 10, and the 1-point reward its
 *  redemptions name (eventFactory redeems `cost` × STEP_REWARD), so HQ applies every claim as made and the
 *  only review item is the overdraft. */
const claimedProgram = testProgram({
  pointValue: program.pointValue,
  bonuses: { welcome: 10, birthday: 0 },
  rewards: [STEP_REWARD],
});
const clock = new ManualClock(Date.parse('2025-06-04T08:00:00Z'));

describe('pointsToMoney', () => {
  it('rounds half up, exactly, whatever the size', () => {
    expect(pointsToMoney(151, { points: 3, value: 10 })).toBe(503);
    expect(pointsToMoney(1, { points: 2, value: 1 })).toBe(1);
    expect(pointsToMoney(9_000_000_000_000, { points: 100, value: 1000 })).toBe(90_000_000_000_000);
  });
});

describe.each(databases)('reports on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  let terminalEvents: LedgerEvent[] = [];

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, claimedProgram);
    await createStore(t.db, { id: 's-1', name: 'One', timeZone: 'Europe/Paris' });
    await addManager(t.db, 's-1'); // m-1, who approves Bob's adjustment and void: a manager HQ knows
    const { code } = await createEnrollmentCode(t.db, 's-1', clock);
    const { terminalId } = await enrollTerminal(t.db, code, 'till', clock);
    const f = eventFactory({ terminalId, storeId: 's-1' });
    // Paris is UTC+2 in June: 21:30Z is still 1 June there, 22:30Z is 2 June.
    f.enrolled('ann', { welcomeBonus: 10 }, '2025-06-01T08:00:00Z');
    f.earned('ann', 120, '2025-06-01T21:30:00Z');
    f.redeemed('ann', 50, '2025-06-01T22:30:00Z');
    // Every enrollment claims the program's welcome bonus of 10. Bob: 10 + 30 − 20 = 20, and the void of his
    // 30-point earn leaves him a debt of 10; Carl: 10 + 191 − 50 expired = 151.
    f.enrolled('bob', { welcomeBonus: 10 }, '2025-06-02T09:00:00Z');
    const bobEarn = f.earned('bob', 30, '2025-06-02T10:00:00Z');
    f.adjusted('bob', -20, '2025-06-02T11:00:00Z');
    f.voided(bobEarn, '2025-06-03T09:00:00Z');
    f.redeemed('ann', 100, '2025-06-03T10:00:00Z', { mode: 'offline' }); // overdraws Ann: debt 20, a review item
    f.enrolled('carl', { welcomeBonus: 10 }, '2025-06-03T11:00:00Z');
    f.earned('carl', 191, '2025-06-03T12:00:00Z');
    terminalEvents = [...f.events];
    await pushEvents(t.db, { id: terminalId, storeId: 's-1' }, f.events, clock);
    await appendHqEvents(
      t.db,
      [
        {
          type: 'points-expired',
          memberId: 'carl',
          payload: { points: 50, reason: 'inactivity', batches: [] },
          occurredAt: '2025-06-03T20:00:00Z',
        },
      ],
      clock,
    );
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('values the net points (balances less debt) at the program point value', async () => {
    expect(await liabilityReport(t.db, claimedProgram)).toEqual({
      programId: 'test-program',
      programVersion: 1,
      currency: 'EUR',
      pointValue: { points: 3, value: 10 },
      members: 3,
      membersWithPoints: 1,
      outstandingPoints: 151, // Carl's
      debtPoints: 30, // Ann's 20 (10 + 120 − 50 − 100) and Bob's 10
      netPoints: 121,
      // 121 points × 10 / 3 = 403.33… cents.
      liability: 403,
      byTier: [{ tier: null, members: 3, points: 121, liability: 403 }],
    });
  });

  it('counts points issued, redeemed and expired per local day, as the day close does', async () => {
    const days = await dailyFlows(t.db, 'Europe/Paris', { from: '2025-06-01', to: '2025-06-03' });
    expect(days).toEqual([
      { day: '2025-06-01', events: 2, issued: 130, redeemed: 0, expired: 0 },
      // Ann's 50 (00:30 in Paris), Bob's welcome 10, earn 30 and adjustment −20.
      { day: '2025-06-02', events: 4, issued: 40, redeemed: 70, expired: 0 },
      // Bob's void (30 back), Ann's 100, Carl's welcome 10 and earn 191; HQ's expiry of 50.
      { day: '2025-06-03', events: 5, issued: 201, redeemed: 130, expired: 50 },
    ]);
    // The same figures from the shared close arithmetic, event by event.
    for (const d of days) {
      const mine = terminalEvents.filter(
        (e) => localTime(Date.parse(e.occurredAt), 'Europe/Paris').date === d.day,
      );
      const flows = mine.map(closePointFlows);
      expect(flows.reduce((s, f) => s + f.issued, 0)).toBe(d.issued);
      expect(flows.reduce((s, f) => s + f.redeemed, 0)).toBe(d.redeemed);
    }
    expect(await dailyFlows(t.db, 'Europe/Paris', { from: '2025-06-02', to: '2025-06-02' })).toHaveLength(1);
    expect(await dailyFlows(t.db, 'UTC', { from: '2025-06-01', to: '2025-06-01' })).toEqual([
      { day: '2025-06-01', events: 3, issued: 130, redeemed: 50, expired: 0 },
    ]);
    expect(lastDays(Date.parse('2025-06-03T23:30:00Z'), 'Europe/Paris', 3)).toEqual({
      from: '2025-06-02',
      to: '2025-06-04',
    });
  });

  it('lists the open review queue by kind', async () => {
    const queue = await reviewQueueReport(t.db);
    expect(queue.open).toBe(1);
    expect(queue.byKind).toEqual([{ kind: 'overdraft', open: 1, oldest: expect.any(String) }]);
    expect(queue.items[0]).toMatchObject({ kind: 'overdraft', memberId: 'ann', status: 'open' });
  });
});

describe.each(databases)('reports count only what HQ applied, on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  let terminal: TerminalIdentity;
  let f: EventFactory;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, program);
    terminal = await addTerminal(t.db);
    f = eventFactory({ terminalId: terminal.id, storeId: terminal.storeId });
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('leaves out refused events, and counts a waiting event on its own day once it is applied', async () => {
    f.enrolled('ann', {}, '2025-06-10T08:00:00Z');
    const earn = f.earned('ann', 120, '2025-06-10T09:00:00Z');
    f.enrolled('ann', { welcomeBonus: 50 }, '2025-06-10T10:00:00Z'); // a re-enrollment: refused
    f.voided(earn, '2025-06-10T11:00:00Z');
    f.voided(earn, '2025-06-10T12:00:00Z'); // a double void: refused
    f.earned('zed', 40, '2025-06-10T13:00:00Z'); // zed is unknown: waits
    await pushEvents(t.db, terminal, f.events, clock);
    const day = { from: '2025-06-10', to: '2025-06-11' };
    expect(await dailyFlows(t.db, 'Europe/Paris', day)).toEqual([
      { day: '2025-06-10', events: 6, issued: 120, redeemed: 120, expired: 0 },
    ]);

    // Enrolled on another terminal (the same terminal enrolling zed after its own earn for zed is a known
    // ingest fault: see reports.property.test.ts).
    const other = await addTerminal(t.db);
    const g = eventFactory({ terminalId: other.id, storeId: other.storeId });
    g.enrolled('zed', {}, '2025-06-11T08:00:00Z');
    await pushEvents(t.db, other, g.events, clock);
    expect(await dailyFlows(t.db, 'Europe/Paris', day)).toEqual([
      { day: '2025-06-10', events: 6, issued: 160, redeemed: 120, expired: 0 },
      { day: '2025-06-11', events: 1, issued: 0, redeemed: 0, expired: 0 },
    ]);
  });

  it('reads the points HQ applied, not the payload, so an event applied at HQ’s own figure counts at it', async () => {
    f.enrolled('rita', {}, '2025-06-12T08:00:00Z');
    const earn = f.earned('rita', 120, '2025-06-12T09:00:00Z');
    await pushEvents(t.db, terminal, f.events.slice(-2), clock);
    // As HQ will record an over-claim it applies at the program's figure (the claim says 120, HQ applies 70).
    await t.db.query('UPDATE events SET points_delta = 70 WHERE id = $1', [earn.id]);
    expect(await dailyFlows(t.db, 'Europe/Paris', { from: '2025-06-12', to: '2025-06-12' })).toEqual([
      { day: '2025-06-12', events: 2, issued: 70, redeemed: 0, expired: 0 },
    ]);
  });
});

describe.each(databases)('the liability on %s with totals past 2^63', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  }, 60_000);
  afterAll(async () => t?.close(), 60_000);

  it('does not fail, and nets the debt exactly', async () => {
    // Each balance fits a bigint column; their sum (1.2 × 10^19) fits neither int8 nor a safe JS integer.
    const rows: [string, bigint, bigint][] = [
      ['big-1', 4_000_000_000_000_000_000n, 0n],
      ['big-2', 4_000_000_000_000_000_000n, 0n],
      ['big-3', 4_000_000_000_000_000_000n, 0n],
      ['owes', 0n, 5_000_000_000_000_000_000n],
    ];
    for (const [id, balance, debt] of rows)
      await t.db.query(
        "INSERT INTO members (id, doc, balance, debt, change_seq) VALUES ($1, '{}'::jsonb, $2::bigint, $3::bigint, 0)",
        [id, balance.toString(), debt.toString()],
      );
    const net = 7_000_000_000_000_000_000n;
    const report = await liabilityReport(t.db, program);
    expect(report).toMatchObject({
      members: 4,
      membersWithPoints: 3,
      outstandingPoints: 12_000_000_000_000_000_000,
      debtPoints: 5_000_000_000_000_000_000,
      netPoints: Number(net),
      // 7 × 10^19 / 3 cents, rounded half up in BigInt before the one conversion to a number.
      liability: Number((net * 10n * 2n + 3n) / 6n),
    });
    expect(report.liability).toBe(pointsToMoney(net, program.pointValue));
  });
});

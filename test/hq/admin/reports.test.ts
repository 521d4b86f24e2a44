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
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';

// 3 points are worth 0.10 EUR, so 151 points are 5.0333… EUR: the liability rounds to 5.03.
const program = testProgram({ pointValue: { points: 3, value: 10 } });
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
    await publishProgram(t.db, program);
    await createStore(t.db, { id: 's-1', name: 'One', timeZone: 'Europe/Paris' });
    const { code } = await createEnrollmentCode(t.db, 's-1', clock);
    const { terminalId } = await enrollTerminal(t.db, code, 'till', clock);
    const f = eventFactory({ terminalId, storeId: 's-1' });
    // Paris is UTC+2 in June: 21:30Z is still 1 June there, 22:30Z is 2 June.
    f.enrolled('ann', { welcomeBonus: 10 }, '2025-06-01T08:00:00Z');
    f.earned('ann', 120, '2025-06-01T21:30:00Z');
    f.redeemed('ann', 50, '2025-06-01T22:30:00Z');
    f.enrolled('bob', {}, '2025-06-02T09:00:00Z');
    const bobEarn = f.earned('bob', 30, '2025-06-02T10:00:00Z');
    f.adjusted('bob', -10, '2025-06-02T11:00:00Z');
    f.voided(bobEarn, '2025-06-03T09:00:00Z');
    f.redeemed('ann', 100, '2025-06-03T10:00:00Z', { mode: 'offline' }); // overdraws Ann: debt 20, a review item
    f.enrolled('carl', {}, '2025-06-03T11:00:00Z');
    f.earned('carl', 201, '2025-06-03T12:00:00Z');
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

  it('values the outstanding points at the program point value, debt shown apart', async () => {
    expect(await liabilityReport(t.db, program)).toEqual({
      programId: 'test-program',
      programVersion: 1,
      currency: 'EUR',
      pointValue: { points: 3, value: 10 },
      members: 3,
      membersWithPoints: 1,
      outstandingPoints: 151,
      debtPoints: 30,
      liability: 503,
      byTier: [{ tier: null, members: 3, points: 151, liability: 503 }],
    });
  });

  it('counts points issued, redeemed and expired per local day, as the day close does', async () => {
    const days = await dailyFlows(t.db, 'Europe/Paris', { from: '2025-06-01', to: '2025-06-03' });
    expect(days).toEqual([
      { day: '2025-06-01', events: 2, issued: 130, redeemed: 0, expired: 0 },
      { day: '2025-06-02', events: 4, issued: 30, redeemed: 60, expired: 0 },
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

// A day close asked for while HQ cannot be reached waits for it instead of failing: it is kept as pending
// (surviving a restart; a damaged entry is dropped), and runs by itself as soon as the sync status says HQ
// answers again, with the events recorded meanwhile sent first. And the manager's shift summary, read from
// the replica alone while HQ is away, leaving out what HQ refused.
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_PENDING_CLOSES,
  businessDayOf,
  shiftSummary$,
  waitsForHq,
  type CloseRecord,
} from '../../../src-renderer/day-close/index.js';
import type { HqError, HqResult } from '../../../src-shared/ipc/hq-api.js';
import { err, ok } from '../../../src-shared/kernel/result.js';
import type { CloseFigures, CloseResponse } from '../../../src-shared/sync/wire.js';
import { exampleProgram } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  breadBasket as basket,
  type TestTerminal,
} from '../../support/terminal.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

/** The scripted HQ, whose close answers only while it is online, and keeps what it was sent. */
class ClosingHq extends FakeHq {
  readonly closed: CloseFigures[] = [];
  override close(figures: CloseFigures): Promise<HqResult<CloseResponse>> {
    if (!this.online) return Promise.resolve(err<HqError>({ code: 'offline', message: 'HQ unreachable' }));
    this.closed.push(figures);
    return Promise.resolve(ok({ status: 'match', hq: figures, differences: [], missing: [] }));
  }
}

const { open } = scriptedTill();

async function earn(t: TestTerminal, memberId: string, euros: number, cashierId = CASHIER): Promise<string> {
  const r = await t.terminal.services.recordEarn({ cashierId, memberId, basket: basket(euros) });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.event.id;
}

async function enroll(t: TestTerminal): Promise<string> {
  const r = await t.terminal.services.recordEnroll({ cashierId: CASHIER, displayName: 'Ann B.' });
  if (!r.ok) throw new Error(r.error.message);
  await t.untilEvent(r.value.event.id);
  return r.value.event.memberId;
}

async function goOffline(hq: FakeHq, t: TestTerminal): Promise<void> {
  hq.online = false;
  t.terminal.sync.syncNow();
  await t.until((s) => !s.online);
}

const nextClose = (t: TestTerminal, check: (r: CloseRecord) => boolean): Promise<CloseRecord[]> =>
  firstValueFrom(t.terminal.closer.closes$.pipe(filter((c) => c[0] !== undefined && check(c[0]))));

describe('a day close while HQ cannot be reached', () => {
  it('waits as a pending close and runs by itself, events first, when HQ answers again', async () => {
    const hq = new ClosingHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const memberId = await enroll(t);
    await earn(t, memberId, 12);
    await goOffline(hq, t);
    const offlineSale = await earn(t, memberId, 30);

    const record = await t.terminal.closer.closeDay();
    expect(waitsForHq(record)).toBe(true);
    expect(record.error?.code).toBe('offline');
    expect(t.terminal.closer.pending$.value).toEqual([
      { businessDay: record.businessDay, deferredAt: record.closedAt },
    ]);
    expect(hq.closed).toEqual([]);
    expect((await t.terminal.ledger.byId(offlineSale))?.status).toBe('local');

    // HQ answers again: the replication notices on its own, and the close follows.
    const matched = nextClose(t, (r) => r.status === 'match');
    hq.online = true;
    const [done] = await matched;
    expect(done).toMatchObject({ businessDay: record.businessDay, status: 'match' });
    expect(hq.closed).toHaveLength(1);
    expect(hq.closed[0]).toMatchObject({
      businessDay: record.businessDay,
      count: 3,
      firstSeq: 1,
      lastSeq: 3,
    });
    expect(hq.stored.has(offlineSale)).toBe(true);
    expect(t.terminal.closer.pending$.value).toEqual([]);
    const stored = await t.terminal.databases.ledger.getLocal<{ days: unknown[] }>(LOCAL_PENDING_CLOSES);
    expect(stored?.toJSON().data).toEqual({ days: [] });
  });

  it('keeps the pending close through a restart and runs it once HQ is back', async () => {
    const hq = new ClosingHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const memberId = await enroll(t);
    await goOffline(hq, t);
    await earn(t, memberId, 8);
    const record = await t.terminal.closer.closeDay();
    expect(waitsForHq(record)).toBe(true);

    await t.restart();
    expect(t.terminal.closer.pending$.value.map((p) => p.businessDay)).toEqual([record.businessDay]);
    expect(hq.closed).toEqual([]);

    const matched = nextClose(t, (r) => r.status === 'match');
    hq.online = true;
    await matched;
    expect(hq.closed.map((f) => [f.businessDay, f.count])).toEqual([[record.businessDay, 2]]);
    expect(t.terminal.closer.pending$.value).toEqual([]);
  });

  it('drops a damaged pending entry on reading it', async () => {
    const hq = new ClosingHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    await t.terminal.databases.ledger.upsertLocal(LOCAL_PENDING_CLOSES, {
      days: [{ businessDay: 'yesterday', deferredAt: -1 }],
    });
    await t.restart();
    expect(t.terminal.closer.pending$.value).toEqual([]);
  });

  it('settles the pending day when the close gets an answer, even a refusal', async () => {
    const hq = new ClosingHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    await goOffline(hq, t);
    const record = await t.terminal.closer.closeDay();
    expect(t.terminal.closer.pending$.value).toHaveLength(1);
    hq.close = () =>
      Promise.resolve(err<HqError>({ code: 'rejected', message: 'The figures do not fit the protocol' }));
    const refused = nextClose(t, (r) => r.status === 'failed' && r.error?.code === 'rejected');
    hq.online = true;
    const [failed] = await refused;
    expect(failed?.businessDay).toBe(record.businessDay);
    expect(t.terminal.closer.pending$.value).toEqual([]);
  });
});

describe('the shift summary from the replica', () => {
  it("counts this till's day per cashier while HQ is away, and leaves out what HQ refused", async () => {
    const hq = new ClosingHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const memberId = await enroll(t);
    hq.onPush = (events) =>
      ok({
        results: events.map((e) => ({
          id: e.id,
          outcome: 'conflict' as const,
          status: 'quarantined' as const,
          memberSeq: null,
          reason: 'other content',
        })),
      });
    const refusedSale = await earn(t, memberId, 20);
    expect((await t.untilEvent(refusedSale)).status).toBe('conflict');
    // A row per cashier; the manager's adjustment counts on the shift it was made in.
    await goOffline(hq, t);
    await earn(t, memberId, 30, 'c-2');
    const adjusted = await t.terminal.services.recordAdjust({
      cashierId: 'c-2',
      managerId: MANAGER.id,
      memberId,
      points: 5,
      reasonCode: 'goodwill',
    });
    expect(adjusted.ok).toBe(true);

    const zone = exampleProgram('grocery-chain').timeZone;
    const day = businessDayOf(Date.now(), zone);
    const summary = await firstValueFrom(
      shiftSummary$(t.terminal, day).pipe(filter((s) => s !== null && s.counted === 3)),
    );
    expect(summary?.notCounted).toBe(1);
    expect(
      summary?.cashiers.map((r) => [r.cashierId, r.sales, r.spend, r.enrollments, r.adjustments]),
    ).toEqual([
      [CASHIER, 0, 0, 1, 0],
      ['c-2', 1, 3000, 0, 1],
    ]);
    expect(summary?.totals.pointsIssued).toBe(
      (summary?.cashiers ?? []).reduce((s, r) => s + r.pointsIssued, 0),
    );
  });
});

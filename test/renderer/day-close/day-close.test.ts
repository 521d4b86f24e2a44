// The day close against a real HQ: on schedule at the configured local time (manual clock and timers),
// matching HQ's figures; and a red close that names the event deleted from the local ledger, whether HQ
// received it before (the local chain check names it) or not (HQ names the missing range too).
import { describe, expect, it } from 'vitest';
import type { TerminalServices } from '../../../src-renderer/services/terminal-services.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import { closeFiguresFromEvents } from '../../../src-shared/sync/wire.js';

import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  breadBasket as basket,
  connectTestLink,
  openTestTerminal,
  realHqLifecycle,
} from '../../support/terminal.js';

/** Records an enrollment and `earns` purchases for one member; returns the event ids in order. */
async function day(services: TerminalServices, card: string, earns: number): Promise<string[]> {
  const enrolled = await services.recordEnroll({ cashierId: CASHIER, displayName: 'Eve E.', cards: [card] });
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const ids = [enrolled.value.event.id];
  const memberId = enrolled.value.event.memberId;
  for (let i = 0; i < earns; i++) {
    const r = await services.recordEarn({ cashierId: CASHIER, memberId, basket: basket(30 + i) });
    if (!r.ok) throw new Error(r.error.message);
    ids.push(r.value.event.id);
  }
  return ids;
}

describe('the day close with a real HQ', () => {
  const env = realHqLifecycle();
  const { links, tills } = env;

  async function terminal(name: string, clock: ManualClock, timers?: ManualTimers) {
    const link = await connectTestLink(env.hq, { name });
    links.push(link);
    const till = await openTestTerminal({
      api: link.api,
      clock,
      nightlyCloseAt: '23:30',
      backoff: { initialMs: 20, maxMs: 200 },
      ...(timers ? { timers } : {}),
    });
    tills.push(till);
    await till.until((s) => s.initialDone && s.replica !== null);
    return { link, till };
  }

  it('closes the business day at 23:30 store time with figures that match HQ, and keeps the record', async () => {
    // Europe/Dublin is on UTC in early March.
    const clock = new ManualClock(Date.parse('2025-03-03T12:00:00.000Z'));
    const timers = new ManualTimers(clock);
    const { link, till } = await terminal('Till close', clock, timers);
    expect(till.terminal.scheduler?.next).toBe(Date.parse('2025-03-03T23:30:00.000Z'));

    const { services } = till.terminal;
    const ids = await day(services, '0400000033330', 3);
    const memberId = (await till.terminal.ledger.byId(ids[0] ?? ''))?.memberId ?? '';
    const redeemed = await services.recordRedeem({
      cashierId: CASHIER,
      memberId,
      rewardId: 'free-bag-for-life',
    });
    expect(redeemed.ok).toBe(true);
    const adjusted = await services.recordAdjust({
      cashierId: CASHIER,
      managerId: MANAGER.id,
      memberId,
      points: -7,
      reasonCode: 'correction',
    });
    expect(adjusted.ok).toBe(true);
    const voided = await services.recordVoid({
      cashierId: CASHIER,
      managerId: MANAGER.id,
      eventId: ids[1] ?? '',
      reason: 'refund',
    });
    expect(voided.ok).toBe(true);
    const again = await services.recordVoid({
      cashierId: CASHIER,
      managerId: MANAGER.id,
      eventId: ids[1] ?? '',
      reason: 'refund',
    });
    expect(!again.ok && again.error.reason).toBe('already-voided');

    clock.set('2025-03-03T23:30:00.000Z');
    expect(timers.fireDue()).toBeGreaterThanOrEqual(1);
    const record = await till.terminal.scheduler?.running;
    const local = await till.terminal.ledger.seqRange(link.terminalId, 1, 100);
    expect(record).toMatchObject({
      businessDay: '2025-03-03',
      status: 'match',
      figures: closeFiguresFromEvents(
        '2025-03-03',
        local.map((r) => r.event),
      ),
      chainProblem: null,
      problems: [],
    });
    expect(record?.figures).toMatchObject({ firstSeq: 1, lastSeq: 7, count: 7 });
    expect(till.terminal.scheduler?.next).toBe(Date.parse('2025-03-04T23:30:00.000Z'));
    const { rows } = await env.hq.db.query<{ status: string }>(
      'SELECT status FROM day_closes WHERE terminal_id = $1 AND business_day = $2',
      [link.terminalId, '2025-03-03'],
    );
    expect(rows).toEqual([{ status: 'match' }]);

    await till.restart();
    expect((await till.terminal.closer.closes()).map((c) => [c.businessDay, c.status])).toEqual([
      ['2025-03-03', 'match'],
    ]);
  }, 60_000);

  it('names an event deleted from the local ledger after HQ received it', async () => {
    const clock = new ManualClock(Date.parse('2025-03-05T10:00:00.000Z'));
    const { till } = await terminal('Till tampered', clock);
    const ids = await day(till.terminal.services, '0400000044440', 4);
    await till.terminal.sync.flush();

    const third = await till.terminal.databases.ledger.events.findOne(ids[2]).exec();
    await third?.remove();

    const record = await till.terminal.closer.closeDay();
    expect(record.status).toBe('mismatch');
    expect(record.chainProblem).toMatchObject({ kind: 'gap', terminalSeq: 3, message: 'event 3 missing' });
    expect(record.problems).toContain('Local ledger: event 3 missing');
    expect(record.hq?.differences).toContainEqual({ field: 'count', terminal: 4, hq: 5 });
    // The deletion is not pushed (HQ still holds the event), nor undone by the next pull.
    const { rows } = await env.hq.db.query('SELECT 1 FROM events WHERE id = $1', [ids[2]]);
    expect(rows).toHaveLength(1);
    expect(await till.terminal.databases.ledger.events.findOne(ids[2]).exec()).toBeNull();
  }, 60_000);

  it('names an event deleted before HQ received it, at both ends, and retries a close HQ could not take', async () => {
    const clock = new ManualClock(Date.parse('2025-03-06T10:00:00.000Z'));
    const timers = new ManualTimers(clock);
    const { till } = await terminal('Till lost', clock, timers);
    await env.hq.stop();
    await till.until((s) => !s.online);
    const ids = await day(till.terminal.services, '0400000055550', 2);
    const second = await till.terminal.databases.ledger.events.findOne(ids[1]).exec();
    await second?.remove();

    // The nightly close with HQ down fails, and is tried again 15 minutes later.
    clock.set('2025-03-06T23:30:00.000Z');
    timers.fireDue();
    const failed = await till.terminal.scheduler?.running;
    expect(failed).toMatchObject({ businessDay: '2025-03-06', status: 'failed', error: { code: 'offline' } });
    expect(till.terminal.scheduler?.next).toBe(Date.parse('2025-03-06T23:45:00.000Z'));

    await env.hq.start();
    till.terminal.sync.syncNow();
    clock.set('2025-03-06T23:45:00.000Z');
    timers.fireDue();
    const record = await till.terminal.scheduler?.running;
    expect(record?.status).toBe('mismatch');
    expect(record?.hq?.missing).toEqual([[2, 2]]);
    expect(record?.problems).toEqual(
      expect.arrayContaining(['Local ledger: event 2 missing', 'HQ has not received event 2']),
    );
    const closes = await till.terminal.closer.closes();
    expect(closes.map((c) => c.status)).toEqual(['mismatch']);
    expect(till.terminal.scheduler?.next).toBe(Date.parse('2025-03-07T23:30:00.000Z'));
  }, 60_000);
});

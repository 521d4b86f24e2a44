// Replication against a real in-process HQ (HTTP, PGlite) through TerminalLink and the host API: working
// through an HQ outage, a push whose reply is lost after HQ committed, and a process killed between the
// local commit and the push. One HQ for the file; at most one terminal open at a time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalServices } from '../../../src-renderer/services/terminal-services.js';
import { isPush, lossyFetch, once } from '../../support/fetch-fakes.js';
import { startTestHq, type TestHq } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  FAST_RETRY,
  breadBasket as basket,
  connectTestLink,
  openTestTerminal,
  type TestLink,
  type TestTerminal,
} from '../../support/terminal.js';

async function enroll(services: TerminalServices, name: string, card: string): Promise<string> {
  const r = await services.recordEnroll({ cashierId: CASHIER, displayName: name, cards: [card] });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.event.memberId;
}

async function earn(services: TerminalServices, memberId: string, euros: number): Promise<void> {
  const r = await services.recordEarn({ cashierId: CASHIER, memberId, basket: basket(euros) });
  if (!r.ok) throw new Error(r.error.message);
}

async function hqEventCount(hq: TestHq, terminalId: string): Promise<{ rows: number; ids: number }> {
  const { rows } = await hq.db.query<{ n: number; ids: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM events WHERE terminal_id = $1',
    [terminalId],
  );
  return { rows: rows[0]?.n ?? 0, ids: rows[0]?.ids ?? 0 };
}

describe('replication with a real HQ', () => {
  let hq: TestHq;
  let link: TestLink | null = null;
  let till: TestTerminal | null = null;

  beforeAll(async () => {
    hq = await startTestHq({ cashiers: [MANAGER] });
  }, 60_000);
  afterEach(async () => {
    await till?.close();
    await link?.stop();
    till = null;
    link = null;
    await hq.start();
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('records 1,000 earns and redemptions while HQ is down; HQ gets each exactly once and balances agree', async () => {
    link = await connectTestLink(hq, { name: 'Till outage' });
    till = await openTestTerminal({ api: link.api, backoff: FAST_RETRY, pushBatchSize: 250 });
    await till.until((s) => s.initialDone && s.online && s.replica?.mode === 'fresh');
    const { services } = till.terminal;

    // Online: ten members with 2,000 points each, so HQ ships an offline allowance of 1,000.
    const members: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = await enroll(services, `Member ${i}`, `04000000${String(i).padStart(5, '0')}`);
      await earn(services, id, 1_900);
      members.push(id);
    }
    await till.terminal.sync.flush();
    const allowances = await Promise.all(members.map((m) => services.member(m)));
    expect(allowances.map((m) => m?.hq?.offlineAllowance)).toEqual(members.map(() => 1_000));

    await hq.stop();
    await till.until((s) => !s.online);

    // Offline: 980 earns and 20 redemptions (two 500-point rewards per member, within the allowance).
    let recorded = 0;
    for (let round = 0; round < 100; round++) {
      for (const [i, memberId] of members.entries()) {
        if ((round === 10 || round === 60) && i < 10) {
          const r = await services.recordRedeem({ cashierId: CASHIER, memberId, rewardId: 'five-euro-off' });
          if (!r.ok) throw new Error(`${r.error.reason}: ${r.error.message}`);
          expect(r.value.event.payload.mode).toBe('offline');
        } else {
          await earn(services, memberId, 1 + ((round + i) % 7));
        }
        recorded += 1;
      }
    }
    expect(recorded).toBe(1_000);
    await till.until((s) => s.pending === 1_000);
    const before = await Promise.all(members.map((m) => services.member(m)));

    await hq.start();
    till.terminal.sync.syncNow();
    await till.terminal.sync.flush();

    const counted = await hqEventCount(hq, link.terminalId);
    expect(counted).toEqual({ rows: 1_020, ids: 1_020 });
    const local = await till.terminal.databases.ledger.events.count().exec();
    expect(local).toBe(1_020);
    const statuses = await till.terminal.databases.ledger.events.find().exec();
    expect(new Set(statuses.map((d) => d.status))).toEqual(new Set(['posted']));

    for (const [i, memberId] of members.entries()) {
      const { rows } = await hq.db.query<{ balance: number; debt: number }>(
        'SELECT balance::int, debt::int FROM members WHERE id = $1',
        [memberId],
      );
      const shown = await services.member(memberId);
      expect(shown?.pendingEvents).toBe(0);
      expect(shown?.balance.total).toBe((rows[0]?.balance ?? 0) - (rows[0]?.debt ?? 0));
      // Nothing changed for the cashier when HQ caught up: the pending balance was right all along.
      expect(shown?.balance.total).toBe(before[i]?.balance.total);
    }
  }, 180_000);

  it('retries a push whose reply was lost after HQ committed, and HQ holds the event once', async () => {
    const fetch = lossyFetch((url, init) => globalThis.fetch(url, init), {
      dropReplyAfterCommit: once(isPush),
    });
    link = await connectTestLink(hq, { name: 'Till lossy', fetch });
    till = await openTestTerminal({ api: link.api, backoff: FAST_RETRY });
    await till.until((s) => s.initialDone && s.replica !== null);
    const { services } = till.terminal;

    const enrolled = await services.recordEnroll({
      cashierId: CASHIER,
      displayName: 'Lossy L.',
      cards: ['0400000099991'],
    });
    if (!enrolled.ok) throw new Error(enrolled.error.message);
    const { memberId, id } = enrolled.value.event;
    const row = await till.untilEvent(id);
    expect(fetch.dropped).toBe(1);
    expect([row.status, row.memberSeq]).toEqual(['posted', 1]);

    const counted = await hqEventCount(hq, link.terminalId);
    expect(counted).toEqual({ rows: 1, ids: 1 });
    expect((await services.member(memberId))?.balance).toEqual({ confirmed: 0, pending: 100, total: 100 });
    await till.terminal.sync.flush();
    expect((await services.member(memberId))?.balance).toEqual({ confirmed: 100, pending: 0, total: 100 });
  }, 60_000);

  it('pushes, once, an event committed locally just before the process was killed', async () => {
    link = await connectTestLink(hq, { name: 'Till killed' });
    till = await openTestTerminal({ api: link.api, backoff: FAST_RETRY });
    await till.until((s) => s.initialDone && s.replica !== null);
    const memberId = await enroll(till.terminal.services, 'Kim K.', '0400000099992');
    await till.terminal.sync.flush();

    await hq.stop();
    await till.until((s) => !s.online);
    await earn(till.terminal.services, memberId, 42);
    await till.until((s) => s.pending === 1);

    // Killed before any push got through: only IndexedDB survives.
    await till.restart();
    expect((await till.terminal.services.member(memberId))?.balance.total).toBe(142);
    await hq.start();
    till.terminal.sync.syncNow();
    await till.terminal.sync.flush();

    const counted = await hqEventCount(hq, link.terminalId);
    expect(counted).toEqual({ rows: 2, ids: 2 });
    const { rows } = await hq.db.query<{ balance: number }>(
      'SELECT balance::int FROM members WHERE id = $1',
      [memberId],
    );
    expect(rows[0]?.balance).toBe(142);

    // And once more after another restart: nothing is pushed again.
    await till.restart();
    await till.until((s) => s.initialDone);
    await till.terminal.sync.flush();
    expect(await hqEventCount(hq, link.terminalId)).toEqual({ rows: 2, ids: 2 });
  }, 60_000);
});

// The offline bound against a real HQ (issue 11): in one offline period a terminal lets a member redeem at
// most the allowance at the period's start plus ONE manager override cap, however many managers approve;
// every offline redemption carries its period; a restart during the outage keeps the running total, and
// reaching HQ again starts a new period.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalServices } from '../../../src-renderer/db/services.js';
import { offlinePeriodLimit } from '../../../src-shared/engine/offline-bound.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
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

async function memberWith(services: TerminalServices, name: string, card: string, euros: number) {
  const enrolled = await services.recordEnroll({ cashierId: CASHIER, displayName: name, cards: [card] });
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const memberId = enrolled.value.event.memberId;
  const earned = await services.recordEarn({ cashierId: CASHIER, memberId, basket: basket(euros) });
  if (!earned.ok) throw new Error(earned.error.message);
  return memberId;
}

describe('the offline bound with a real HQ', () => {
  let hq: TestHq;
  const links: TestLink[] = [];
  const tills: TestTerminal[] = [];

  beforeAll(async () => {
    hq = await startTestHq({ cashiers: [MANAGER] });
  }, 60_000);
  afterEach(async () => {
    for (const t of tills.splice(0)) await t.close();
    for (const l of links.splice(0)) await l.stop();
    await hq.start();
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('refuses the approval that would pass allowance + one override cap, across a restart, until HQ is reached', async () => {
    const clock = new ManualClock(Date.now());
    const link = await connectTestLink(hq, { name: 'Till bound' });
    links.push(link);
    const till = await openTestTerminal({ api: link.api, clock, backoff: FAST_RETRY });
    tills.push(till);
    await till.until((s) => s.initialDone && s.replica !== null);

    // 100 welcome + 4,875 + 25 (big-shop bonus) = 5,000 points: an allowance of 1,000 (the program's cap);
    // the grocery program's manager override cap is 500, so the period's limit is 1,500.
    const cy = await memberWith(till.terminal.services, 'Cy C.', '0400000033331', 4_875);
    await till.terminal.sync.flush();
    const since = new Date(till.terminal.sync.snapshot().lastPullAt ?? 0).toISOString();
    expect((await till.terminal.services.member(cy))?.hq).toMatchObject({
      balance: 5_000,
      offlineAllowance: 1_000,
    });

    await hq.stop();
    await till.until((s) => !s.online);
    const { services } = till.terminal;
    const period = { since, allowance: 1_000 };

    // The allowance, without a manager.
    const big = await services.recordRedeem({ cashierId: CASHIER, memberId: cy, rewardId: 'ten-euro-off' });
    expect(big.ok && big.value.event.payload).toEqual({
      rewardId: 'ten-euro-off',
      quantity: 1,
      cost: 1_000,
      mode: 'offline',
      override: null,
      offlinePeriod: period,
    });

    // Three manager approvals of 150 fit in the one override cap…
    const approve = () =>
      services.recordRedeem({
        cashierId: CASHIER,
        memberId: cy,
        rewardId: 'free-bag-for-life',
        override: { managerId: MANAGER.id },
      });
    for (let i = 0; i < 3; i++) {
      const r = await approve();
      expect(r.ok && r.value.event.payload).toMatchObject({
        mode: 'offline',
        override: { managerId: MANAGER.id, points: 150 },
        offlinePeriod: period,
      });
    }
    expect(await services.offlineState(cy)).toEqual({
      online: false,
      mode: 'fresh',
      allowance: 1_000,
      usedOffline: 1_450,
    });

    // …the fourth would make 1,600: refused in words, even with a manager, and nothing recorded.
    const refusal = {
      reason: 'over-offline-allowance',
      message:
        'Offline limit for this member reached: 1,450 of 1,500 points used since HQ became unreachable ("Free bag for life" needs 150)',
      cost: 150,
      available: 50,
    };
    const fourth = await approve();
    expect(!fourth.ok && fourth.error).toEqual(refusal);
    const checked = await services.checkRedeem({
      memberId: cy,
      rewardId: 'free-bag-for-life',
      override: { managerId: MANAGER.id },
    });
    expect(!checked.ok && checked.error).toEqual(refusal);
    const redeemed = (await till.terminal.ledger.forMember(cy)).filter((r) => r.type === 'points-redeemed');
    expect(redeemed.map((r) => r.status)).toEqual(['local', 'local', 'local', 'local']);

    // A restart during the outage keeps the period and its running total (lastPullAt is persisted).
    await till.restart();
    await till.until((s) => !s.online && s.lastPullAt !== null);
    expect(await till.terminal.services.offlineState(cy)).toEqual({
      online: false,
      mode: 'fresh',
      allowance: 1_000,
      usedOffline: 1_450,
    });
    const afterRestart = await till.terminal.services.recordRedeem({
      cashierId: CASHIER,
      memberId: cy,
      rewardId: 'free-bag-for-life',
      override: { managerId: MANAGER.id },
    });
    expect(!afterRestart.ok && afterRestart.error.reason).toBe('over-offline-allowance');

    // HQ back: everything drains once, within the bound HQ will check with the same rule.
    clock.advance(60_000);
    await hq.start();
    till.terminal.sync.syncNow();
    await till.terminal.sync.flush();
    const { rows } = await hq.db.query<{ body: { payload: { cost: number; offlinePeriod?: unknown } } }>(
      "SELECT body FROM events WHERE member_id = $1 AND type = 'points-redeemed' ORDER BY terminal_seq",
      [cy],
    );
    expect(rows.map((r) => r.body.payload.offlinePeriod)).toEqual([period, period, period, period]);
    const total = rows.reduce((sum, r) => sum + r.body.payload.cost, 0);
    expect(total).toBe(1_450);
    expect(total).toBeLessThanOrEqual(offlinePeriodLimit(hq.program, period.allowance));

    // Offline again: a new period, from the new pull, with HQ's new allowance (3,550 points: 1,000).
    const nextSince = new Date(till.terminal.sync.snapshot().lastPullAt ?? 0).toISOString();
    expect(nextSince > since).toBe(true);
    await hq.stop();
    await till.until((s) => !s.online);
    expect(await till.terminal.services.offlineState(cy)).toEqual({
      online: false,
      mode: 'fresh',
      allowance: 1_000,
      usedOffline: 0,
    });
    const fresh = await till.terminal.services.recordRedeem({
      cashierId: CASHIER,
      memberId: cy,
      rewardId: 'five-euro-off',
    });
    expect(fresh.ok && fresh.value.event.payload.offlinePeriod).toEqual({
      since: nextSince,
      allowance: 1_000,
    });
  }, 90_000);
});

// The offline policy of docs/architecture.md section 5 against a real HQ: the allowance HQ ships, the replica age
// modes driven by a manual clock (fresh, stale, expired), the manager override, and two terminals spending
// the same points offline (both kept, debt and a review item at HQ, the same balance shown everywhere).
// The offline bound (issue 11): in one offline period a terminal lets a member redeem at most the
// allowance at the period's start plus ONE manager override cap, however many managers approve; every
// offline redemption carries its period; a restart during the outage keeps the running total, and
// reaching HQ again starts a new period.
import { describe, expect, it } from 'vitest';
import type { TerminalServices } from '../../../src-renderer/services/terminal-services.js';
import { offlinePeriodLimit } from '../../../src-shared/engine/offline-bound.js';
import { HOUR_MS, ManualClock } from '../../../src-shared/kernel/clock.js';
import { type TestHq } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  TEST_MANAGER as MANAGER,
  FAST_RETRY,
  breadBasket as basket,
  connectTestLink,
  openTestTerminal,
  realHqLifecycle,
} from '../../support/terminal.js';

/** Enrolls a member (100 welcome points) and earns `euros` more points. */
async function memberWith(services: TerminalServices, name: string, card: string, euros: number) {
  const enrolled = await services.recordEnroll({ cashierId: CASHIER, displayName: name, cards: [card] });
  if (!enrolled.ok) throw new Error(enrolled.error.message);
  const memberId = enrolled.value.event.memberId;
  const earned = await services.recordEarn({ cashierId: CASHIER, memberId, basket: basket(euros) });
  if (!earned.ok) throw new Error(earned.error.message);
  return memberId;
}

async function hqMember(hq: TestHq, id: string) {
  const { rows } = await hq.db.query<{ balance: number; debt: number }>(
    'SELECT balance::int, debt::int FROM members WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('the offline policy with a real HQ', () => {
  const env = realHqLifecycle();
  const { links, tills } = env;

  it('redeems within the allowance, then stale, then earn only, with a manager override above it', async () => {
    const clock = new ManualClock(Date.now());
    const link = await connectTestLink(env.hq, { name: 'Till policy' });
    links.push(link);
    const till = await openTestTerminal({ api: link.api, clock, backoff: FAST_RETRY });
    tills.push(till);
    await till.until((s) => s.initialDone && s.replica !== null);
    const { services, sync } = till.terminal;

    // 100 welcome + 1,875 + 25 (the big-shop bonus) = 2,000 points each: an allowance of 1,000.
    const ann = await memberWith(services, 'Ann A.', '0400000011110', 1_875);
    const bob = await memberWith(services, 'Bob B.', '0400000011127', 1_875);
    await sync.flush();
    const pulledAt = clock.now();
    expect(sync.snapshot().lastPullAt).toBe(pulledAt);
    expect((await services.member(ann))?.hq).toMatchObject({ balance: 2_000, offlineAllowance: 1_000 });

    await env.hq.stop();
    await till.until((s) => !s.online);
    expect(sync.snapshot().replica).toEqual({ mode: 'fresh', nextChangeAt: pulledAt + 24 * HOUR_MS });

    // Fresh: HQ's allowance (1,000) less what this terminal already redeemed offline for the member.
    expect(await services.offlineState(ann)).toEqual({
      online: false,
      mode: 'fresh',
      allowance: 1_000,
      usedOffline: 0,
    });
    for (let i = 0; i < 2; i++) {
      const r = await services.recordRedeem({ cashierId: CASHIER, memberId: ann, rewardId: 'five-euro-off' });
      expect(r.ok && r.value.event.payload).toMatchObject({ mode: 'offline', cost: 500, override: null });
    }
    expect(await services.offlineState(ann)).toEqual({
      online: false,
      mode: 'fresh',
      allowance: 1_000,
      usedOffline: 1_000,
    });
    const over = await services.checkRedeem({ memberId: ann, rewardId: 'five-euro-off' });
    expect(!over.ok && over.error).toMatchObject({
      reason: 'needs-manager-override',
      cost: 500,
      available: 0,
    });
    const tooFar = await services.checkRedeem({ memberId: ann, rewardId: 'ten-euro-off' });
    expect(!tooFar.ok && tooFar.error.reason).toBe('over-offline-allowance');
    const notManager = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: ann,
      rewardId: 'five-euro-off',
      override: { managerId: CASHIER },
    });
    expect(!notManager.ok && notManager.error.reason).toBe('manager-required');
    const approved = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: ann,
      rewardId: 'five-euro-off',
      override: { managerId: MANAGER.id },
    });
    expect(approved.ok && approved.value.event.payload.override).toEqual({
      managerId: MANAGER.id,
      points: 500,
    });
    expect(approved.ok && approved.value.member?.balance).toEqual({
      confirmed: 2_000,
      pending: -1_500,
      total: 500,
    });

    // Stale (over 24 h since the last pull): half the allowance.
    clock.advance(25 * HOUR_MS);
    expect(sync.snapshot().replica).toEqual({ mode: 'stale', nextChangeAt: pulledAt + 96 * HOUR_MS });
    const half = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: bob,
      rewardId: 'five-euro-off',
    });
    expect(half.ok).toBe(true);
    const bag = await services.checkRedeem({ memberId: bob, rewardId: 'free-bag-for-life' });
    expect(!bag.ok && bag.error).toMatchObject({ reason: 'needs-manager-override', available: 0 });

    // Expired (over 96 h): earn only.
    clock.advance(72 * HOUR_MS);
    expect(sync.snapshot().replica).toEqual({ mode: 'expired', nextChangeAt: null });
    const expired = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: bob,
      rewardId: 'free-bag-for-life',
      override: { managerId: MANAGER.id },
    });
    expect(!expired.ok && expired.error.reason).toBe('earn-only-mode');
    const earned = await services.recordEarn({ cashierId: CASHIER, memberId: bob, basket: basket(12) });
    expect(earned.ok).toBe(true);

    // HQ back: fresh again, and redemption is online (HQ decides, no allowance).
    await env.hq.start();
    sync.syncNow();
    await sync.flush();
    expect(sync.snapshot()).toMatchObject({ online: true, pending: 0, lastPullAt: clock.now() });
    expect(sync.snapshot().replica?.mode).toBe('fresh');
    const online = await services.recordRedeem({
      cashierId: CASHIER,
      memberId: ann,
      rewardId: 'five-euro-off',
    });
    expect(online.ok && online.value.event.payload.mode).toBe('online');
    await sync.flush();
    for (const id of [ann, bob]) {
      const hqRow = await hqMember(env.hq, id);
      expect((await services.member(id))?.balance.total).toBe((hqRow?.balance ?? 0) - (hqRow?.debt ?? 0));
    }
    expect((await services.member(ann))?.balance.total).toBe(0);
    expect((await services.member(bob))?.balance.total).toBe(
      2_000 - 500 + (earned.ok ? earned.value.event.payload.points : 0),
    );
  }, 90_000);

  it('keeps two offline redemptions of the same points: debt and a review item at HQ, one balance everywhere', async () => {
    const link1 = await connectTestLink(env.hq, { name: 'Till one' });
    const link2 = await connectTestLink(env.hq, { name: 'Till two' });
    links.push(link1, link2);
    const one = await openTestTerminal({ api: link1.api, backoff: FAST_RETRY });
    tills.push(one);
    const member = await (async () => {
      await one.until((s) => s.initialDone && s.replica !== null);
      const id = await memberWith(one.terminal.services, 'Dee D.', '0400000022220', 875);
      await one.terminal.sync.flush();
      return id;
    })();
    const two = await openTestTerminal({ api: link2.api, backoff: FAST_RETRY });
    tills.push(two);
    await two.until((s) => s.initialDone && s.replica !== null);
    expect((await two.terminal.services.member(member))?.hq?.offlineAllowance).toBe(1_000);

    await env.hq.stop();
    await Promise.all([one.until((s) => !s.online), two.until((s) => !s.online)]);
    for (const till of [one, two]) {
      const r = await till.terminal.services.recordRedeem({
        cashierId: CASHIER,
        memberId: member,
        rewardId: 'ten-euro-off',
      });
      expect(r.ok && r.value.event.payload.mode).toBe('offline');
      expect(r.ok && r.value.member?.balance.total).toBe(0);
    }

    await env.hq.start();
    one.terminal.sync.syncNow();
    two.terminal.sync.syncNow();
    await one.terminal.sync.flush();
    await two.terminal.sync.flush();
    await one.terminal.sync.flush();

    const { rows: redemptions } = await env.hq.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE member_id = $1 AND type = 'points-redeemed'",
      [member],
    );
    expect(redemptions[0]?.n).toBe(2);
    expect(await hqMember(env.hq, member)).toEqual({ balance: 0, debt: 1_000 });
    const { rows: reviews } = await env.hq.db.query<{ kind: string }>(
      'SELECT kind FROM review_items WHERE member_id = $1',
      [member],
    );
    expect(reviews.map((r) => r.kind)).toContain('overdraft');

    const shown = await Promise.all([one, two].map((t) => t.terminal.services.member(member)));
    expect(shown.map((m) => m?.balance)).toEqual([
      { confirmed: -1_000, pending: 0, total: -1_000 },
      { confirmed: -1_000, pending: 0, total: -1_000 },
    ]);
    // The terminal whose redemption HQ flagged shows why.
    const flagged = [one, two].flatMap((t) => t.terminal.sync.snapshot().attention);
    expect(flagged.some((a) => a.status === 'flagged' && (a.reason ?? '').includes('overdraft'))).toBe(true);
  }, 90_000);

  it('refuses the approval that would pass allowance + one override cap, across a restart, until HQ is reached', async () => {
    const clock = new ManualClock(Date.now());
    const link = await connectTestLink(env.hq, { name: 'Till bound' });
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

    await env.hq.stop();
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
      // Its words at the counter in the store's language (i18n/refusals.ts) and what they name.
      say: 'redemption.over-offline-allowance',
      figures: { used: 1450, limit: 1500, reward: 'Free bag for life', cost: 150 },
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
    await env.hq.start();
    till.terminal.sync.syncNow();
    await till.terminal.sync.flush();
    const { rows } = await env.hq.db.query<{ body: { payload: { cost: number; offlinePeriod?: unknown } } }>(
      "SELECT body FROM events WHERE member_id = $1 AND type = 'points-redeemed' ORDER BY terminal_seq",
      [cy],
    );
    expect(rows.map((r) => r.body.payload.offlinePeriod)).toEqual([period, period, period, period]);
    const total = rows.reduce((sum, r) => sum + r.body.payload.cost, 0);
    expect(total).toBe(1_450);
    expect(total).toBeLessThanOrEqual(offlinePeriodLimit(env.hq.program, period.allowance));

    // Offline again: a new period, from the new pull, with HQ's new allowance (3,550 points: 1,000).
    const nextSince = new Date(till.terminal.sync.snapshot().lastPullAt ?? 0).toISOString();
    expect(nextSince > since).toBe(true);
    await env.hq.stop();
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

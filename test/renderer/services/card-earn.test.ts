// An earn on a card the till does not know (issue 15, src-shared/ledger/card-earn.ts). Against a scripted HQ:
// offline, the card may earn, and the sale is recorded against the card's placeholder (no member made of
// it, nothing but an earn allowed: a redemption is refused); online, the till asks HQ first, and only a
// card HQ could not answer for may earn. Against a real HQ, end to end: an offline earn on a card outside
// the till's scope reaches the card's member at HQ once, and the member then reaches the till.
import { describe, expect, it, vi } from 'vitest';
import { eventText } from '../../../src-renderer/components/event-text.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { appendHqEvents } from '../../../src-hq/store/hq-events.js';
import { setScopeRules } from '../../../src-hq/store/scope.js';
import type { HqLookupQuery, HqResult } from '../../../src-shared/ipc/hq-api.js';
import { systemClock } from '../../../src-shared/kernel/clock.js';
import { ok } from '../../../src-shared/kernel/result.js';
import { cardEarnMemberId } from '../../../src-shared/ledger/card-earn.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';
import { exampleProgram } from '../../support/hq.js';
import {
  TEST_CASHIER as CASHIER,
  FAST_RETRY,
  breadBasket,
  connectTestLink,
  openTestTerminal,
  realHqLifecycle,
} from '../../support/terminal.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

const KNOWN = '0400000000999';
const UNKNOWN = '0400000000555';
const placeholder = (card: string): string => cardEarnMemberId(card) as string;

/** HQ holding one member outside the till's scope, answering lookups by card; `failing`: no answer. */
class LookupHq extends FakeHq {
  readonly asked: HqLookupQuery[] = [];
  failing = false;
  readonly outside: MemberDoc = {
    ...emptyMember('m-outside', '2025-01-05T10:00:00.000Z'),
    displayName: 'Olga P.',
    cards: [KNOWN],
    balance: 420,
    memberSeq: 7,
    _deleted: false,
  };
  override lookup(query?: HqLookupQuery): Promise<HqResult<never[]>> {
    if (query === undefined) throw new Error('a lookup without a query');
    this.asked.push(query);
    if (!this.online || this.failing)
      return Promise.resolve({ ok: false, error: { code: 'offline', message: 'HQ unreachable' } });
    const found = 'card' in query && this.outside.cards.includes(query.card) ? [this.outside] : [];
    return Promise.resolve(ok(found as never[]));
  }
}

describe('a card the till does not know, against a scripted HQ', () => {
  const { open } = scriptedTill();

  it('offline: earns against the card, makes no member of it, and refuses a redemption', async () => {
    const hq = new LookupHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const { services, catalog, sync } = t.terminal;
    hq.online = false;
    sync.syncNow();
    await t.until((s) => !s.online);

    expect(await services.lookupCard(UNKNOWN)).toEqual({ member: null, earnOnCard: true });
    expect(hq.asked).toEqual([]);

    const memberId = placeholder(UNKNOWN);
    const quoted = await services.quoteEarn(memberId, breadBasket(12));
    expect(quoted.ok && quoted.value.points).toBeGreaterThan(0);
    const earned = await services.recordEarn({ cashierId: CASHIER, memberId, basket: breadBasket(12) });
    if (!earned.ok) throw new Error(earned.error.message);
    expect(earned.value.member).toBeNull();
    expect(earned.value.event).toMatchObject({ type: 'points-earned', memberId: `card:${UNKNOWN}` });
    expect(earned.value.event.payload.points).toBe(quoted.ok ? quoted.value.points : -1);
    expect(earned.value.event.payload.attached).toBeUndefined();

    // Not a member anywhere at the till: not shown, not in the replica, the card still unknown.
    expect(await services.member(memberId)).toBeNull();
    expect(await catalog.member(memberId)).toBeNull();
    expect(await services.lookupByCard(UNKNOWN)).toBeNull();
    expect(await services.lookupByName('card', 5)).toEqual([]);

    // Nothing but an earn: no balance is known, so the offline bound could not hold.
    const redeem = await services.recordRedeem({ cashierId: CASHIER, memberId, rewardId: 'five-euro-off' });
    expect(redeem.ok ? null : redeem.error).toMatchObject({
      reason: 'member-unknown',
      say: 'counter.card-earn-only',
    });
    const check = await services.checkRedeem({ memberId, rewardId: 'five-euro-off' });
    expect(check.ok).toBe(false);
    const adjust = await services.recordAdjust({
      cashierId: CASHIER,
      memberId,
      points: 10,
      reasonCode: 'goodwill',
      managerId: 'mgr-1',
      note: null,
    });
    expect(adjust.ok).toBe(false);

    // The counter's lists say it is an earn on that card.
    expect(eventText(earned.value.event, hq.program)).toMatch(
      /^Sale €12\.00 on card …0555, for its member at HQ: \+\d+/,
    );

    // Pushed as recorded once HQ is back.
    hq.online = true;
    sync.syncNow();
    await t.until((s) => s.online && s.pending === 0);
    expect(hq.pushes.flat().map((e) => e.memberId)).toContain(memberId);
  });

  it('online: asks HQ first; a member HQ answers is shown, a card HQ does not know only enrolls', async () => {
    const hq = new LookupHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const { services } = t.terminal;

    const found = await services.lookupCard(KNOWN);
    expect(found.member?.member.id).toBe('m-outside');
    expect(await services.lookupCard(UNKNOWN)).toEqual({ member: null, earnOnCard: false });
    expect(hq.asked).toEqual([{ card: KNOWN }, { card: UNKNOWN }]);

    // HQ reachable but giving no answer: the card may earn, as offline.
    hq.failing = true;
    expect(await services.lookupCard('0400000000444')).toEqual({ member: null, earnOnCard: true });
    expect(hq.asked).toHaveLength(3);
  });

  it('never offers to earn on a card too long for a placeholder', async () => {
    const hq = new LookupHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    t.terminal.sync.syncNow();
    await t.until((s) => !s.online);
    expect(await t.terminal.services.lookupCard('7'.repeat(60))).toEqual({ member: null, earnOnCard: false });
  });
});

describe('a card outside the till’s scope, offline, end to end with a real HQ', () => {
  const env = realHqLifecycle();
  const { links, tills } = env;

  it('is credited to the card’s member at HQ once, and the member then reaches the till', async () => {
    const db = env.hq.db;
    const clock = systemClock;
    // Tills hold the members enrolled at their store: a member HQ enrolled is outside every till's scope.
    await setScopeRules(db, { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' }, clock);
    const card = '0400000077001';
    const memberId = 'm-hq-card-earn';
    await appendHqEvents(
      db,
      [
        {
          type: 'member-enrolled',
          memberId,
          payload: {
            displayName: 'Nora Q.',
            phoneHash: null,
            phoneLast4: null,
            birthMonth: null,
            cards: [card],
            referredBy: null,
            welcomeBonus: 0,
            profile: null,
          },
        },
      ],
      clock,
    );

    const link = await connectTestLink(env.hq, { name: 'Till card earn' });
    links.push(link);
    const till = await openTestTerminal({ api: link.api, backoff: FAST_RETRY });
    tills.push(till);
    await till.until((s) => s.initialDone && s.replica !== null);
    const { services, catalog, sync } = till.terminal;
    expect(await catalog.member(memberId)).toBeNull();

    await env.hq.stop();
    await till.until((s) => !s.online);
    expect(await services.lookupCard(card)).toEqual({ member: null, earnOnCard: true });
    const earned = await services.recordEarn({
      cashierId: CASHIER,
      memberId: placeholder(card),
      basket: breadBasket(12),
    });
    if (!earned.ok) throw new Error(earned.error.message);
    const points = earned.value.event.payload.points;
    expect(points).toBeGreaterThan(0);

    await env.hq.start();
    await sync.flush();
    const member = await db.query<{ balance: number }>('SELECT balance::int FROM members WHERE id = $1', [
      memberId,
    ]);
    expect(member.rows[0]?.balance).toBe(points);
    const credits = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE terminal_id = 'hq' AND body->'payload'->'attached'->>'eventId' = $1`,
      [earned.value.event.id],
    );
    expect(credits.rows[0]?.n).toBe(1);
    // A re-push (a reply lost) changes nothing.
    await pushEvents(db, { id: link.terminalId, storeId: link.storeId }, [earned.value.event], clock);
    expect(
      (await db.query<{ balance: number }>('SELECT balance::int FROM members WHERE id = $1', [memberId]))
        .rows[0]?.balance,
    ).toBe(points);

    // Active at the till's store now: the till's next pull brings the member, with the points.
    sync.syncNow();
    await vi.waitFor(async () => expect(await catalog.member(memberId)).not.toBeNull(), { timeout: 15_000 });
    expect((await services.lookupByCard(card))?.member).toMatchObject({ id: memberId, balance: points });
    expect(await catalog.member(placeholder(card))).toBeNull();
  });
});

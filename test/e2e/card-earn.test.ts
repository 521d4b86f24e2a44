// An earn on a card the till does not know, end to end (issue 15, src-shared/ledger/card-earn.ts): the real
// renderer in Chromium, a scanner over serial, HQ on PostgreSQL. HQ stopped, a card the till has never seen
// (a member HQ enrolled meanwhile) offers "Points on this card"; the sale says where the points go and is
// recorded against the card. HQ back, the queue drains, HQ credits the card's member once with its own earn,
// and the member then reaches the till, found by the same card.
import { describe, expect, it } from 'vitest';
import { appendHqEvents } from '../../src-hq/store/hq-events.js';
import { getMember } from '../../src-hq/store/members.js';
import { systemClock } from '../../src-shared/kernel/clock.js';
import {
  COUNTER_PRODUCTS,
  IDLE_HEADING,
  cardNumber,
  counterPerTest,
  signIn,
  statusBar,
  waitForText,
  waitVisible,
} from '../support/counter.js';

const [cappuccino] = COUNTER_PRODUCTS;
const LONG = 120_000;
const counter = counterPerTest(LONG);

describe('a card the till does not know, HQ out of reach', () => {
  it(
    'earns against the card, and HQ gives the points to the card’s member once',
    async () => {
      const c = await counter();
      const { page } = c;
      const bar = statusBar(page);
      await signIn(page, c.cashier);
      await waitForText(bar, 'Online');

      await c.stopHq();
      await waitForText(bar, /Offline since \d\d:\d\d/);
      // Enrolled at HQ while the till is cut off: a card this till has never seen.
      const card = cardNumber(4242);
      const memberId = 'e2e-card-earn-member';
      await appendHqEvents(
        c.db,
        [
          {
            type: 'member-enrolled',
            memberId,
            payload: {
              displayName: 'Denis R.',
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
        systemClock,
      );

      await c.scanCard(card);
      await waitVisible(page.getByText(/is not on this till and HQ cannot be reached/).first());
      await page.getByRole('button', { name: 'Points on this card' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      await waitVisible(page.getByText(`Card …${card.slice(-4)} · points will be added to its member`));
      await c.scanProduct(cappuccino.gtin);
      const quote = page.locator('section[aria-label="Points quote"][aria-busy="false"]');
      await waitForText(quote, /\d+ points/);
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: `Sale recorded on card …${card.slice(-4)}` }),
      );
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
      await waitForText(bar, 'Pending: 1');

      await c.startHq();
      await waitForText(bar, 'Online');
      await waitForText(bar, 'Pending: 0');
      const terminalId = await c.terminalId();
      const events = (await c.hqEvents()).filter((e) => e.terminalId === terminalId);
      expect(events.map((e) => [e.type, e.memberId, e.status])).toEqual([
        ['points-earned', `card:${card}`, 'posted'],
      ]);
      const claimed = (events[0]?.body as { payload: { points: number } }).payload.points;
      expect(claimed).toBeGreaterThan(0);
      const credits = (await c.hqEvents()).filter(
        (e) =>
          e.terminalId === 'hq' &&
          (e.body as { payload: { attached?: { eventId: string } } }).payload.attached?.eventId ===
            events[0]?.id,
      );
      expect(credits.map((e) => e.memberId)).toEqual([memberId]);
      expect((await getMember(c.db, memberId))?.balance).toBe(claimed);

      // The member is the store's now: the till has them, and the same card finds them.
      await c.scanCard(card);
      await waitVisible(page.getByRole('heading', { name: 'Denis R.' }));
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

// The counter end to end: the real renderer in Debian's Chromium, served by the browser host, a scanner on a
// socat pty read by the terminal's DeviceManager, and HQ on real PostgreSQL (test/support/counter.ts).
//
// - A sale: sign in, scan a loyalty card over serial, see the member and their balance, scan products and key
//   in an amount, read the quote and its explanation (Saturday: the weekend double points line), confirm; the
//   event reaches HQ's events table exactly once, posted with the quoted points, and the balance on screen
//   becomes HQ's. A member short of points for a reward is refused in words.
// - An outage: with HQ stopped the counter says so, earns, and redeems within the member's offline allowance;
//   above it a manager approves with their PIN; when HQ is back the queue drains ("Pending: 0"), HQ holds every
//   event once (the override recorded), and the counter shows "Online".
import { describe, expect, it } from 'vitest';
import { getMember } from '../../src-hq/store/members.js';
import { basketSchema } from '../../src-shared/engine/basket.js';
import { quote } from '../../src-shared/engine/quote.js';
import { DAY_MS } from '../../src-shared/kernel/clock.js';
import { DEFAULT_LOCALE } from '../../src-shared/kernel/locale.js';
import { formatPoints } from '../../src-renderer/hooks/format.js';
import {
  COUNTER_PRODUCTS,
  signIn,
  counterPerTest,
  redeemReward,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';

const [cappuccino, croissant, , giftCard] = COUNTER_PRODUCTS;
const LONG = 120_000;

const counter = counterPerTest(LONG);

/** Events this counter's terminal pushed, as HQ stored them. */
async function terminalEvents(c: Counter) {
  const terminalId = await c.terminalId();
  return (await c.hqEvents()).filter((e) => e.terminalId === terminalId);
}

describe('the counter', () => {
  it(
    'sells a weekend basket to a member scanned over serial: HQ gets the event once, the balance follows',
    async () => {
      const c = await counter();
      const { page } = c;
      const alice = c.members[0]!;
      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Online');
      await waitForText(statusBar(page), 'Scanner connected');

      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      const balance = page.getByRole('region', { name: 'Balance' });
      await waitForText(balance, '1,240 points');

      await page.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      for (const product of [cappuccino, cappuccino, croissant, giftCard]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitVisible(basket.getByRole('listitem').nth(2));
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }), '2 ×');
      await page.getByRole('textbox', { name: 'Amount' }).fill('5.00');
      await page.getByRole('combobox', { name: 'Category' }).selectOption('retail');
      await page.getByRole('button', { name: 'Add amount' }).click();
      await waitVisible(basket.getByRole('listitem').nth(3));

      // What the engine says for this basket and this member, on the page's Saturday and on the Monday after.
      const member = await getMember(c.db, alice.id);
      const lines = [
        { sku: cappuccino.sku, category: cappuccino.category, quantity: 2, unitPrice: cappuccino.price },
        { sku: croissant.sku, category: croissant.category, quantity: 1, unitPrice: croissant.price },
        { sku: giftCard.sku, category: giftCard.category, quantity: 1, unitPrice: giftCard.price },
        { sku: 'KEYED-retail', category: 'retail', quantity: 1, unitPrice: 500 },
      ];
      const basketValue = basketSchema.parse({ currency: 'EUR', lines });
      const saturday = quote(basketValue, member!, c.program, c.fixedTime!.getTime());
      const monday = quote(basketValue, member!, c.program, c.fixedTime!.getTime() + 2 * DAY_MS);
      expect(saturday.explanation.map((l) => l.ruleId)).toContain('weekend-double');
      expect(saturday.points).toBe(2 * monday.points);
      expect(saturday.points).toBe(30); // 15.20 EUR earns 15 (the gift card earns nothing), doubled

      const quotePanel = page.locator('section[aria-label="Points quote"][aria-busy="false"]');
      await waitForText(quotePanel, `${saturday.points} points`);
      await waitForText(quotePanel, 'Weekend double points');
      const explained = await quotePanel.getByRole('listitem').allInnerTexts();
      expect(explained.join('\n')).toContain('Weekend double points');
      for (const line of saturday.explanation) expect(explained.join('\n')).toContain(line.label);

      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: `Sale recorded: ${saturday.points} points` }),
      );
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // HQ: one points-earned event from this terminal, posted with the quoted points and explanation.
      await expect
        .poll(async () => (await terminalEvents(c)).filter((e) => e.status === 'posted'), { timeout: 30_000 })
        .toHaveLength(1);
      const [earned] = await terminalEvents(c);
      expect(earned).toMatchObject({
        type: 'points-earned',
        memberId: alice.id,
        terminalSeq: 1,
        pointsDelta: saturday.points,
      });
      const payload = earned!.body.payload as { points: number; explanation: { ruleId: string }[] };
      expect(payload.points).toBe(saturday.points);
      expect(payload.explanation.map((l) => l.ruleId)).toEqual(saturday.explanation.map((l) => l.ruleId));
      expect((await getMember(c.db, alice.id))?.balance).toBe(1240 + saturday.points);

      // The screen: HQ's balance, nothing pending any more.
      await waitForText(
        balance,
        `Confirmed by HQ: ${formatPoints(1240 + saturday.points, DEFAULT_LOCALE)} points`,
      );
      await waitVisible(balance.filter({ hasNotText: 'pending' }));
      await waitForText(statusBar(page), 'Pending: 0');

      // A member without the points for a reward is refused in words, and nothing is recorded.
      const chloe = c.members[2]!;
      await c.scanCard(chloe.card);
      await waitVisible(page.getByRole('heading', { name: chloe.displayName }));
      await page.getByRole('button', { name: 'Redeem', exact: true }).click();
      await page.getByRole('button', { name: 'Free coffee (any size)' }).click();
      await waitVisible(page.getByRole('alert').filter({ hasText: 'Not enough points' }));
      await waitForText(statusBar(page), 'Pending: 0');
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'keeps serving through an HQ outage within the offline policy, then drains exactly once',
    async () => {
      const c = await counter();
      const { page } = c;
      const alice = c.members[0]!;
      const bar = statusBar(page);
      await signIn(page, c.cashier);
      await waitForText(bar, 'Online');
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      const balance = page.getByRole('region', { name: 'Balance' });
      await waitForText(balance, '1,240 points');

      await c.stopHq();
      await waitForText(bar, /Offline since \d\d:\d\d/);
      await waitForText(bar, 'Fresh');
      // min(balance, cap 140): the program's offline allowance.
      await waitForText(balance, 'Offline allowance: 140 points');

      // Earning is always allowed.
      await page.getByRole('button', { name: 'New sale' }).click();
      await c.scanProduct(cappuccino.gtin);
      await waitForText(page.locator('section[aria-label="Points quote"][aria-busy="false"]'), '8 points');
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Sale recorded: 8 points' }));

      // Two redemptions within the allowance (70 + 40 of 140).
      const redeem = (label: string): Promise<void> => redeemReward(page, label);
      await redeem('Free coffee (any size)');
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await waitForText(balance, 'Offline allowance: 70 points');
      await redeem('2.00 EUR off');
      await waitVisible(page.getByRole('status').filter({ hasText: 'Reward redeemed: 2.00 EUR off' }));
      await waitForText(balance, 'Offline allowance: 30 points');

      // Above the allowance (70 > 30): a manager approves with their PIN.
      await redeem('Free coffee (any size)');
      const dialog = page.getByRole('dialog', { name: 'Manager approval' });
      await waitVisible(dialog);
      // It says why: what is left of the allowance, and what the manager approves.
      await waitForText(dialog, /30 points.*40 points/);
      await dialog.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
      await dialog.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await waitForText(bar, 'Pending: 4');
      await waitForText(balance, `${formatPoints(1240 + 8 - 70 - 40 - 70, DEFAULT_LOCALE)} points`);
      expect(await terminalEvents(c)).toEqual([]);

      // HQ is back: the queue drains, each event once.
      await c.startHq();
      await waitForText(bar, 'Online');
      await waitForText(bar, 'Pending: 0');
      const events = await terminalEvents(c);
      expect(events.map((e) => [e.terminalSeq, e.type, e.status])).toEqual([
        [1, 'points-earned', 'posted'],
        [2, 'points-redeemed', 'posted'],
        [3, 'points-redeemed', 'posted'],
        [4, 'points-redeemed', 'posted'],
      ]);
      expect(new Set(events.map((e) => e.id)).size).toBe(4);
      const redemptions = events.slice(1).map((e) => e.body.payload);
      expect(redemptions).toEqual([
        expect.objectContaining({ rewardId: 'free-coffee', cost: 70, mode: 'offline', override: null }),
        expect.objectContaining({ rewardId: 'two-euro-off', cost: 40, mode: 'offline', override: null }),
        expect.objectContaining({
          rewardId: 'free-coffee',
          cost: 70,
          mode: 'offline',
          override: { managerId: c.manager.id, points: 40 },
        }),
      ]);
      const finalBalance = 1240 + 8 - 70 - 40 - 70;
      expect((await getMember(c.db, alice.id))?.balance).toBe(finalBalance);
      await waitForText(balance, `Confirmed by HQ: ${formatPoints(finalBalance, DEFAULT_LOCALE)} points`);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

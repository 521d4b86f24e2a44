// The customer-facing display end to end: the cashier's page and the customer page (/customer) open in the
// same Chromium, served by the browser host of a whole counter (test/support/counter.ts: HQ on PostgreSQL,
// the scanner on a socat pair). The cashier scans a member and products; the customer page follows: the
// welcome, then the member's first name and points, the basket with the points this purchase earns, and a
// thank-you once the sale is recorded. It never shows a PIN pad (not at sign-in, not while a manager types
// theirs), nor the member's card, phone or last name. Each of its screens passes axe and is photographed
// (test/support/screenshots.ts) for the README.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { formatPoints, moneyText } from '../../src-renderer/hooks/format.js';
import { DEFAULT_LOCALE } from '../../src-shared/kernel/locale.js';
import { expectNoSeriousViolations } from '../support/axe.js';
import {
  COUNTER_PRODUCTS,
  expectedPoints,
  counterPerTest,
  signIn,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';
import { photograph } from '../support/screenshots.js';

const [cappuccino, croissant] = COUNTER_PRODUCTS;
const LONG = 120_000;
const counter = counterPerTest(LONG);

/** Opens the customer display in the counter's browser (same profile: the launch's session cookie). */
async function openCustomerPage(c: Counter): Promise<{ page: Page; errors: string[] }> {
  const page = await c.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(new URL('/customer', c.url).toString());
  return { page, errors };
}

/** The customer page never has anything to type into: no PIN field, no input at all. */
async function expectNoPinPad(page: Page): Promise<void> {
  expect(await page.getByLabel(/PIN/i).count()).toBe(0);
  expect(await page.locator('input, select, textarea, button, form').count()).toBe(0);
  expect(await page.getByText(/PIN/).count()).toBe(0);
}

describe('the customer display', () => {
  it(
    'shows the basket and the points this purchase earns as the cashier scans, and never a PIN pad',
    async () => {
      const c = await counter();
      const cashierPage = c.page;
      const alice = c.members[0]!;
      const { page, errors } = await openCustomerPage(c);
      const display = page.getByRole('main', { name: 'Customer display' });

      // Before anyone signs in: the welcome, while the cashier's page shows the PIN field.
      await waitForText(display, 'Welcome');
      await waitVisible(cashierPage.getByRole('heading', { name: 'Sign in' }), 60_000);
      await expectNoPinPad(page);
      await signIn(cashierPage, c.cashier);
      await waitForText(display, 'Welcome to Bean There Rewards');

      // A member scanned at the counter: their first name and points, nothing else of them.
      await c.scanCard(alice.card);
      await waitVisible(cashierPage.getByRole('heading', { name: alice.displayName }));
      const points = page.getByRole('region', { name: 'Your points' });
      await waitForText(points, `Hello, ${alice.firstName}`);
      await waitForText(points, '1,240');

      // The sale: lines as they are scanned, the total, and the points the purchase earns.
      await cashierPage.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(cashierPage.getByRole('heading', { name: 'New sale' }));
      for (const product of [cappuccino, cappuccino, croissant]) await c.scanProduct(product.gtin);
      const earned = await expectedPoints(c, alice.id, [
        { product: cappuccino, quantity: 2 },
        { product: croissant, quantity: 1 },
      ]);
      expect(earned).toBeGreaterThan(0);

      const purchase = page.getByRole('region', { name: 'Your purchase' });
      const basket = purchase.getByRole('list', { name: 'Basket' });
      // Money in the store's locale (HQ's default, en-IE: "€8.40").
      const money = (minor: number) => moneyText(minor, c.program.currency, DEFAULT_LOCALE);
      const total = (minor: number) => new RegExp(`Total\\s*${money(minor).replace('.', '\\.')}`);
      await waitForText(
        basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }),
        new RegExp(`× 2\\s*${money(2 * cappuccino.price).replace('.', '\\.')}`),
      );
      await waitForText(
        basket.getByRole('listitem').filter({ hasText: 'Croissant' }),
        money(croissant.price),
      );
      expect(await basket.getByRole('listitem').count()).toBe(2);
      await waitForText(purchase, total(2 * cappuccino.price + croissant.price));
      const earn = purchase.getByLabel('Points this purchase earns');
      await waitForText(earn, `This purchase earns ${earned} points`);
      await waitForText(earn, `then ${formatPoints(alice.balance + earned, DEFAULT_LOCALE)} points`);
      await expectNoSeriousViolations(page, 'customer-display-sale');
      await photograph(page, 'customer-display-sale');

      // A line removed at the counter leaves the customer's screen too; scanned again, it comes back.
      await cashierPage.getByRole('button', { name: 'Remove Croissant' }).click();
      await waitForText(purchase, total(2 * cappuccino.price));
      expect(await basket.getByRole('listitem').count()).toBe(1);
      await c.scanProduct(croissant.gtin);
      await waitForText(purchase, total(2 * cappuccino.price + croissant.price));
      await waitForText(earn, `This purchase earns ${earned} points`);

      // Confirmed: the purchase leaves the screen, the thank-you and the new balance come.
      await cashierPage.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(cashierPage.getByRole('heading', { name: alice.displayName }));
      await waitForText(points, `Thank you! You earned ${earned} points.`);
      await waitForText(points, formatPoints(alice.balance + earned, DEFAULT_LOCALE));
      expect(await purchase.count()).toBe(0);
      await expectNoSeriousViolations(page, 'customer-display-thanks');
      await photograph(page, 'customer-display-thanks');

      // A manager typing their PIN at the counter: no PIN pad on the customer's side.
      await cashierPage.getByRole('button', { name: 'Manager' }).click();
      await waitVisible(cashierPage.getByRole('dialog'));
      await waitVisible(cashierPage.getByLabel('Manager PIN', { exact: true }));
      await expectNoPinPad(page);

      // Nothing of the member beyond their first name and points ever reached the customer page.
      const shown = await page.locator('body').innerText();
      for (const secret of [alice.card, alice.card.slice(-4), alice.lastName, alice.displayName, '5678']) {
        expect(shown, secret).not.toContain(secret);
      }
      expect(errors).toEqual([]);
    },
    LONG,
  );

  it(
    'goes back to the welcome when the counter does: the member done, the idle screen',
    async () => {
      const c = await counter();
      const cashierPage = c.page;
      const bruno = c.members[1]!;
      await signIn(cashierPage, c.cashier);
      const { page } = await openCustomerPage(c);
      const display = page.getByRole('main', { name: 'Customer display' });
      await waitForText(display, 'Welcome to Bean There Rewards');
      await expectNoSeriousViolations(page, 'customer-display-welcome');
      await photograph(page, 'customer-display-welcome');

      await c.scanCard(bruno.card);
      await waitForText(page.getByRole('region', { name: 'Your points' }), `Hello, ${bruno.firstName}`);
      // Bruno has 160 points: the next reward is one he cannot have yet, or the dearest he can.
      await waitVisible(page.getByLabel('Next reward'));

      await cashierPage.getByRole('button', { name: 'Done' }).click();
      await waitForText(display, 'Welcome to Bean There Rewards');
      expect(await page.getByRole('region', { name: 'Your points' }).count()).toBe(0);
      await expectNoPinPad(page);
    },
    LONG,
  );
});

// Every counter screen, walked through once as a cashier would (test/support/counter.ts: the real renderer in
// Chromium through the browser host, a serial scanner, HQ on real PostgreSQL), with a screenshot of each
// written to test-results/screenshots/ (1280×800 PNG): sign in, idle, member, sale with its quote, the
// manager screen after a day close that matches HQ, the offline status, a redemption above the offline
// allowance with the manager approval dialog, and the enrollment form. On the way: a wrong PIN is refused.
//
// UPDATE_DOCS_SCREENSHOTS=1 also copies the ones the README shows to docs/screenshots/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cardNumber,
  COUNTER_PRODUCTS,
  failureScreenshot,
  redeemReward,
  signIn,
  startCounter,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-results', 'screenshots');
const DOCS = join(ROOT, 'docs', 'screenshots');
/** The screenshots the README shows. */
const FOR_DOCS = new Set(['sale-quote', 'offline', 'redeem-manager-approval', 'manager-day-close']);
const LONG = 120_000;

const [cappuccino, croissant, beans] = COUNTER_PRODUCTS;
let c: Counter;
const shots: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  c = await startCounter();
}, LONG);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && c) await failureScreenshot(c.page, task.name);
});

afterAll(async () => {
  await c?.close();
}, LONG);

/** A screenshot of the page as it is, once nothing moves (no focus ring, no caret). */
async function shoot(page: Page, name: string): Promise<void> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  shots.push(name);
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && FOR_DOCS.has(name)) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(path, join(DOCS, `${name}.png`));
  }
}

describe('the counter screens', () => {
  it(
    'shows each screen of a shift, and writes a screenshot of each',
    async () => {
      const { page } = c;
      const bar = statusBar(page);
      const alice = c.members[0]!;

      // Sign in.
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: c.cashier.name });
      await waitForText(bar, 'Scanner connected');
      await shoot(page, 'sign-in');
      // A wrong PIN is refused (one try: far from the keypad lockout).
      await page.getByLabel('PIN', { exact: true }).fill('0000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await waitVisible(page.getByRole('alert').filter({ hasText: 'Wrong PIN' }));
      await signIn(page, c.cashier);
      await waitForText(bar, 'Online');
      await shoot(page, 'idle');

      // The member, scanned.
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitForText(page.getByRole('region', { name: 'Balance' }), '1,240 points');
      await shoot(page, 'member');

      // A sale with its quote.
      await page.getByRole('button', { name: 'New sale' }).click();
      for (const product of [cappuccino, cappuccino, croissant, beans]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitVisible(basket.getByRole('listitem').nth(2));
      const quote = page.locator('section[aria-label="Points quote"][aria-busy="false"]');
      // 4.20 × 2 + 1.80 + 9.90 = 20.10 EUR: 20 points, doubled on Saturday.
      await waitForText(quote, '40 points');
      await waitForText(quote, 'Weekend double points');
      await shoot(page, 'sale-quote');
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Sale recorded: 40 points' }));
      await waitForText(bar, 'Pending: 0');

      // The manager screen, after a day close that matches HQ.
      await page.getByRole('button', { name: 'Manager', exact: true }).click();
      const approval = page.getByRole('dialog', { name: 'Manager approval' });
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
      await approval.getByRole('button', { name: 'Approve' }).click();
      for (const heading of ['Sync queue', 'Devices', 'Day close'])
        await waitVisible(page.getByRole('heading', { name: heading, exact: true }));
      await page.getByRole('button', { name: 'Run day close' }).click();
      await waitVisible(page.getByText('Day close matches HQ'));
      await shoot(page, 'manager-day-close');
      await page.getByRole('button', { name: 'Leave manager' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // HQ goes away: the status bar and the member's offline allowance say so.
      await c.stopHq();
      await waitForText(bar, 'Offline since');
      const balance = page.getByRole('region', { name: 'Balance' });
      await waitForText(balance, 'Offline allowance: 140 points');
      await shoot(page, 'offline');

      // Redeeming above what is left of the allowance asks for a manager.
      const redeem = (label: string): Promise<void> => redeemReward(page, label);
      await redeem('Free coffee (any size)');
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await redeem('2.00 EUR off');
      await waitVisible(page.getByRole('status').filter({ hasText: 'Reward redeemed: 2.00 EUR off' }));
      await redeem('Free coffee (any size)');
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
      await shoot(page, 'redeem-manager-approval');
      await approval.getByRole('button', { name: 'Approve' }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await waitForText(bar, 'Pending: 3');

      // Enrolling a new customer (offline too), the card scanned into the form.
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('button', { name: 'Enroll new member' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Enroll new member' }));
      await page.getByRole('textbox', { name: 'First name' }).fill('Dana');
      await page.getByRole('textbox', { name: 'Last name' }).fill('Roux');
      await page.getByRole('textbox', { name: 'Phone' }).fill('+33 6 55 44 33 22');
      await page.getByRole('combobox', { name: 'Birth month' }).selectOption({ label: 'March' });
      const card = cardNumber(2002);
      await c.scanCard(card);
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Card number' }).inputValue(), { timeout: 15_000 })
        .toBe(card);
      await page.getByRole('textbox', { name: 'First name' }).focus();
      await shoot(page, 'enroll');
      await page.getByRole('button', { name: 'Enroll member' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));

      expect(shots).toEqual([
        'sign-in',
        'idle',
        'member',
        'sale-quote',
        'manager-day-close',
        'offline',
        'redeem-manager-approval',
        'enroll',
      ]);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

// Every counter screen, walked through once as a cashier and a manager would (test/support/counter.ts: the
// real renderer in Chromium through the browser host, a serial scanner, HQ on real PostgreSQL), at the
// till's size (1024×768): each screen is checked with axe-core (test/support/axe.ts: no serious or
// critical violation) and photographed at 1024×768 and at 1920×1080 into test-results/screenshots/<width>/.
//
// The walk: the till before it is enrolled and while it waits for HQ the first time; sign in (a wrong PIN
// refused), idle, member, a sale with its quote and the cancel-sale sheet, the manager's PIN, the manager
// screen (devices, a day close that matches HQ, the void panel and its sheet), the offline status, the
// redeem screen with its confirmation sheet, a redemption above the offline allowance with the manager
// approval dialog, and the enrollment form.
//
// UPDATE_DOCS_SCREENSHOTS=1 also copies every screenshot to docs/screenshots/<width>/ (the README shows them).
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeReports, expectNoSeriousViolations } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
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
import { photograph, TILL } from '../support/screenshots.js';

const LONG = 120_000;

const [cappuccino, croissant, beans] = COUNTER_PRODUCTS;
let browser: Browser;
const counters: Counter[] = [];
const shots: string[] = [];
let current: Page | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, LONG);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && current) await failureScreenshot(current, task.name);
});

afterAll(async () => {
  for (const c of counters.splice(0)) await c.close();
  await browser?.close();
}, LONG);

async function counter(options: Parameters<typeof startCounter>[0] = {}): Promise<Counter> {
  const c = await startCounter({ browser, viewport: TILL, ...options });
  counters.push(c);
  return c;
}

/**
 * One screen as it is now: axe finds no serious or critical violation, and a screenshot at each size (once
 * nothing moves: no caret, no animation), the page back at the till's size after.
 */
async function screen(page: Page, name: string): Promise<void> {
  await expectNoSeriousViolations(page, name);
  await photograph(page, name);
  shots.push(name);
}

async function approveAsManager(page: Page, c: Counter): Promise<void> {
  const approval = page.getByRole('dialog', { name: 'Manager approval' });
  await waitVisible(approval);
  await approval.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
  await approval.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
}

describe('the counter screens', () => {
  it(
    'before it serves: the till to enroll, then waiting for HQ the first time',
    async () => {
      const fresh = await counter({ enrolled: false });
      current = fresh.page;
      await waitVisible(fresh.page.getByRole('heading', { name: 'Enroll this terminal' }), 60_000);
      await screen(fresh.page, 'enroll-terminal');

      // Enrolled, but HQ is away before the till has ever replicated: it says so and waits.
      const waiting = await counter({ open: false });
      await waiting.stopHq();
      current = await waiting.openPage();
      await waitVisible(
        waiting.page.getByRole('heading', { name: "Getting the store's data from HQ" }),
        60_000,
      );
      await waitForText(waiting.page.getByText('Waiting for HQ'), 'Waiting for HQ');
      await screen(waiting.page, 'boot-waiting-for-hq');
      // HQ back: the first replication ends at the sign-in screen.
      await waiting.startHq();
      await waitVisible(waiting.page.getByRole('heading', { name: 'Sign in' }), 60_000);
      expect(shots.splice(0)).toEqual(['enroll-terminal', 'boot-waiting-for-hq']);
      expect(waiting.pageErrors).toEqual([]);
      expect(fresh.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'shows each screen of a shift, checks it with axe, and writes a screenshot of each',
    async () => {
      const c = await counter();
      const { page } = c;
      current = page;
      const bar = statusBar(page);
      const alice = c.members[0]!;

      // Sign in.
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: c.cashier.name });
      await waitForText(bar, 'Scanner connected');
      await screen(page, 'sign-in');
      // A wrong PIN is refused (one try: far from the keypad lockout).
      await page.getByLabel('PIN', { exact: true }).fill('0000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await waitVisible(page.getByRole('alert').filter({ hasText: 'Wrong PIN' }));
      await screen(page, 'sign-in-wrong-pin');
      await signIn(page, c.cashier);
      await waitForText(bar, 'Online');
      await screen(page, 'idle');

      // The member, scanned.
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitForText(page.getByRole('region', { name: 'Balance' }), '1,240 points');
      await screen(page, 'member');

      // A sale with its quote.
      await page.getByRole('button', { name: 'New sale' }).click();
      for (const product of [cappuccino, cappuccino, croissant, beans]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitVisible(basket.getByRole('listitem').nth(2));
      const quote = page.locator('section[aria-label="Points quote"][aria-busy="false"]');
      // 4.20 × 2 + 1.80 + 9.90 = 20.10 EUR: 20 points, doubled on Saturday.
      await waitForText(quote, '40 points');
      await waitForText(quote, 'Weekend double points');
      await screen(page, 'sale-quote');
      // Cancel sale asks first (the basket has lines); keep the sale.
      await page.getByRole('button', { name: 'Cancel sale' }).click();
      const cancelSheet = page.getByRole('dialog', { name: 'Cancel this sale?' });
      await waitVisible(cancelSheet);
      await screen(page, 'sale-cancel-confirm');
      await cancelSheet.getByRole('button', { name: 'Keep the sale' }).click();
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Sale recorded: 40 points' }));
      await waitForText(bar, 'Pending: 0');
      await screen(page, 'member-after-sale');

      // The manager's PIN, then the manager screen: devices, a day close that matches HQ, the void panel.
      await page.getByRole('button', { name: 'Manager', exact: true }).click();
      const approval = page.getByRole('dialog', { name: 'Manager approval' });
      await approveAsManager(page, c);
      await screen(page, 'manager-approval');
      await approval.getByRole('button', { name: 'Approve' }).click();
      for (const heading of ['Sync queue', 'Devices', 'Day close', 'Adjust points', 'Void'])
        await waitVisible(page.getByRole('heading', { name: heading, exact: true }));
      await screen(page, 'manager');
      await page.getByRole('button', { name: 'Run day close' }).click();
      await waitVisible(page.getByText('Day close matches HQ'));
      await page.getByText('Day close matches HQ').scrollIntoViewIfNeeded();
      await screen(page, 'manager-day-close');
      const voids = page.getByRole('list', { name: 'Recent transactions' });
      await waitVisible(voids.getByRole('listitem').first());
      await page.getByRole('heading', { name: 'Void', exact: true }).scrollIntoViewIfNeeded();
      await screen(page, 'manager-void');
      await page.getByRole('textbox', { name: 'Void reason' }).fill('Goods returned');
      await voids.getByRole('button', { name: 'Void' }).first().click();
      const voidSheet = page.getByRole('dialog', { name: 'Void this transaction?' });
      await waitVisible(voidSheet);
      await screen(page, 'manager-void-confirm');
      // Not this time: the sale stays.
      await voidSheet.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Leave manager' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // HQ goes away: the status bar and the member's offline allowance say so.
      await c.stopHq();
      await waitForText(bar, 'Offline since');
      const balance = page.getByRole('region', { name: 'Balance' });
      await waitForText(balance, 'Offline allowance: 140 points');
      await screen(page, 'offline');

      // The redeem screen, and the sheet that asks before a reward is redeemed.
      await page.getByRole('button', { name: 'Redeem', exact: true }).click();
      await waitVisible(page.getByRole('heading', { name: 'Redeem points' }));
      await screen(page, 'redeem');
      await page.getByRole('button', { name: 'Free coffee (any size)' }).click();
      const sheet = page.getByRole('dialog', { name: 'Redeem this reward?' });
      await waitVisible(sheet);
      await screen(page, 'redeem-confirm');
      await sheet.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Back' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // Redeeming above what is left of the allowance asks for a manager.
      const redeem = (label: string): Promise<void> => redeemReward(page, label);
      await redeem('Free coffee (any size)');
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await redeem('2.00 EUR off');
      await waitVisible(page.getByRole('status').filter({ hasText: 'Reward redeemed: 2.00 EUR off' }));
      await redeem('Free coffee (any size)');
      await approveAsManager(page, c);
      await screen(page, 'redeem-manager-approval');
      await approval.getByRole('button', { name: 'Approve' }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Reward redeemed: Free coffee (any size)' }),
      );
      await waitForText(bar, 'Pending: 3');

      // A card this till does not know, HQ away: points can still go on the card (HQ gives them to its member).
      await page.getByRole('button', { name: 'Done' }).click();
      await c.scanCard(cardNumber(2003));
      await waitVisible(page.getByText(/is not on this till and HQ cannot be reached/).first());
      await waitVisible(page.getByRole('button', { name: 'Points on this card' }));
      await screen(page, 'offline-unknown-card');

      // Enrolling a new customer (offline too), the card scanned into the form.
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
      await screen(page, 'enroll');
      await page.getByRole('button', { name: 'Enroll member' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));

      expect(shots).toEqual([
        'sign-in',
        'sign-in-wrong-pin',
        'idle',
        'member',
        'sale-quote',
        'sale-cancel-confirm',
        'member-after-sale',
        'manager-approval',
        'manager',
        'manager-day-close',
        'manager-void',
        'manager-void-confirm',
        'offline',
        'redeem',
        'redeem-confirm',
        'redeem-manager-approval',
        'offline-unknown-card',
        'enroll',
      ]);
      // axe looked at every screen photographed.
      expect(axeReports.map((r) => r.screen).slice(-shots.length)).toEqual(shots);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

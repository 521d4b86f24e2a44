// A forgiving counter, in the real renderer in Chromium through the browser host with HQ on PostgreSQL
// (test/support/counter.ts):
// - a PIN typed at 20 ms a key (faster than the keyboard-wedge detector's gap) signs in: the detector holds
//   such a run as a possible scan and gives it back to the field;
// - a reload in the middle of a sale keeps the cashier signed in, the member and the basket;
// - after the store's idle time (90 s by default) without input the member leaves the screen and the sale
//   is cancelled; after 15 min the cashier is signed out.
// The page's fixed time moves (Counter.setTime) instead of anyone waiting: the idle check runs every second
// on the page's timers and reads the page's clock.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COUNTER_PRODUCTS,
  failureScreenshot,
  IDLE_HEADING,
  startCounter,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';

const LONG = 120_000;
const [cappuccino, croissant] = COUNTER_PRODUCTS;
let c: Counter;
/** The page's time, moved forward by the tests. */
let now: number;

beforeAll(async () => {
  c = await startCounter();
  now = c.fixedTime!.getTime();
}, LONG);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && c) await failureScreenshot(c.page, task.name);
});

afterAll(async () => {
  await c?.close();
}, LONG);

const later = async (ms: number): Promise<void> => {
  now += ms;
  await c.setTime(new Date(now));
};

describe('a forgiving counter', () => {
  it(
    'signs in with a PIN typed at 20 ms a key',
    async () => {
      const page = c.page;
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: c.cashier.name });
      const pin = page.getByLabel('PIN', { exact: true });
      await pin.focus();
      await page.keyboard.type(c.cashier.pin, { delay: 20 });
      // Every digit reached the field (the wedge detector gives back what it held), then Enter signs in.
      await expect.poll(() => pin.inputValue()).toBe(c.cashier.pin);
      await page.keyboard.press('Enter');
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
    },
    LONG,
  );

  it(
    'keeps the cashier, the member and the basket across a reload mid-sale',
    async () => {
      const page = c.page;
      const alice = c.members[0]!;
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await page.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      for (const product of [cappuccino, cappuccino, croissant]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }), '2 ×');
      await waitVisible(basket.getByRole('listitem').filter({ hasText: 'Croissant' }));

      await page.reload();

      // Straight back to the sale: no sign-in, the same member, the same lines.
      await waitVisible(page.getByRole('heading', { name: 'New sale' }), 60_000);
      expect(await page.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);
      await waitForText(page.locator('main'), alice.displayName);
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }), '2 ×');
      await waitVisible(basket.getByRole('listitem').filter({ hasText: 'Croissant' }));
      expect(await basket.getByRole('listitem').count()).toBe(2);
      // Nothing about a PIN was kept by the page.
      const kept = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
      expect(kept).toContain(c.cashier.name);
      expect(kept).not.toContain(c.cashier.pin);

      // The sale goes on where it was: one more scan adds to the restored basket.
      await c.scanProduct(croissant.gtin);
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Croissant' }), '2 ×');
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'clears the member and cancels the sale after the idle time, then signs the cashier out',
    async () => {
      const page = c.page;
      const alice = c.members[0]!;
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      // Past 90 s without input (the exact boundary is test/renderer/hooks/idle-watch.test.ts's): back to
      // the idle screen, the member's name gone, the basket forgotten.
      await later(91_000);
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
      expect(await page.getByText(alice.displayName).count()).toBe(0);
      const kept = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
      expect(kept).not.toContain('Cappuccino');

      // A reload now comes back to the idle screen, still signed in.
      await page.reload();
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }), 60_000);

      // 15 minutes without input: signed out.
      await later(15 * 60_000);
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }));
      await page.reload();
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

// PIN lockout survives a reload: five wrong PINs lock a cashier out in main (not in the page), so reloading
// the page gives no fresh tries: after the reload even the right PIN is refused, with the countdown main
// answers, until the lockout ends; then it signs in. The real renderer in Chromium through the browser host,
// HQ on real PostgreSQL (test/support/counter.ts); the page's fixed time and main's lockout clock move
// together (Counter.setTime), so the end of the lockout takes no waiting.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  failureScreenshot,
  IDLE_HEADING,
  startCounter,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';

const LONG = 120_000;
let c: Counter;

beforeAll(async () => {
  c = await startCounter();
}, LONG);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && c) await failureScreenshot(c.page, task.name);
});

afterAll(async () => {
  await c?.close();
}, LONG);

/** Chooses the cashier, types `pin` and submits (the sign-in screen is showing). */
async function tryPin(pin: string): Promise<void> {
  const page = c.page;
  await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: c.cashier.name });
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the PIN lockout', () => {
  it(
    'PIN lockout survives a reload',
    async () => {
      const page = c.page;
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      const wrong = c.cashier.pin === '9999' ? '9998' : '9999';

      // Four wrong PINs: main counts them down.
      for (let left = 4; left >= 1; left--) {
        await tryPin(wrong);
        await waitForText(page.locator('.pin-form'), `${left} ${left === 1 ? 'try' : 'tries'} left`);
      }
      // The fifth locks the cashier out for 30 s.
      await tryPin(wrong);
      const lockMessage = page.getByRole('alert').filter({ hasText: 'Too many wrong PINs' });
      await waitForText(lockMessage, 'try again in 30 s');

      // A reload forgets everything the page knew; main does not.
      await page.reload();
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      // The page itself has forgotten the lockout: it shows none until main answers.
      expect(await lockMessage.count()).toBe(0);
      // The right PIN, ten seconds later: refused, with main's countdown.
      await c.setTime(new Date(c.fixedTime!.getTime() + 10_000));
      await tryPin(c.cashier.pin);
      await waitForText(lockMessage, 'try again in 20 s');
      expect(await page.getByRole('heading', { name: IDLE_HEADING }).count()).toBe(0);
      await expect(page.getByRole('button', { name: 'Sign in' }).isDisabled()).resolves.toBe(true);

      // The lockout ends (both clocks 30 s on): the right PIN signs in.
      await c.setTime(new Date(c.fixedTime!.getTime() + 30_000));
      await lockMessage.waitFor({ state: 'detached', timeout: 10_000 });
      await tryPin(c.cashier.pin);
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

// A person typing fast is not a scanner: a PIN typed at 20 ms a key (faster than the scanner detector's
// first keys can tell apart) signs in, because keys held back as a possible scan are typed into the field
// after all. The real renderer in Chromium through the browser host, HQ on real PostgreSQL.
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import {
  failureScreenshot,
  IDLE_HEADING,
  startCounter,
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

describe('typing at the counter', () => {
  it(
    'signs in with a PIN typed at 20 ms a key and submitted with Enter',
    async () => {
      const page = c.page;
      await waitVisible(page.getByRole('heading', { name: 'Sign in' }), 60_000);
      await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: c.cashier.name });
      const pin = page.getByLabel('PIN', { exact: true });
      await pin.click();
      await page.keyboard.type(c.cashier.pin, { delay: 20 });
      await page.keyboard.press('Enter');
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
    },
    LONG,
  );
});

// The manager's end of day on a real counter (test/support/counter.ts: the renderer in Chromium, the host as
// `npm start` composes it, HQ on PostgreSQL, a receipt printer on a socat pair), with HQ away:
// - the shift summary lists the cashier's sale from the till's replica alone and prints on the receipt
//   printer (decoded from its bytes);
// - the day close says in plain words that it is saved and runs by itself, and does so once HQ is back.
import { describe, expect, it } from 'vitest';
import { moneyText } from '../../src-renderer/hooks/format.js';
import { DEFAULT_LOCALE } from '../../src-shared/kernel/locale.js';
import { formatMoney } from '../../src-shared/kernel/money.js';
import {
  COUNTER_PRODUCTS,
  counterPerTest,
  signIn,
  statusBar,
  VIEWPORT,
  waitForText,
  waitVisible,
} from '../support/counter.js';
import { photograph } from '../support/screenshots.js';

const [cappuccino] = COUNTER_PRODUCTS;
const LONG = 120_000;
const counter = counterPerTest(LONG);

describe("the manager's end of day with HQ away", () => {
  it(
    'prints the shift summary from the replica, and the day close waits for HQ then runs by itself',
    async () => {
      const c = await counter({ printer: true });
      const { page, printer } = c;
      const alice = c.members[0];
      if (!printer || !alice || !cappuccino) throw new Error('the counter has no printer or member');
      const bar = statusBar(page);
      await signIn(page, c.cashier);
      await waitForText(bar, 'Printer ready');

      // One sale, sent to HQ; then HQ goes away.
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await page.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      await c.scanProduct(cappuccino.gtin);
      await waitVisible(page.getByRole('list', { name: 'Basket' }).getByRole('listitem'));
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitForText(bar, 'Pending: 0');
      await c.stopHq();
      await waitForText(bar, 'Offline since');

      await page.getByRole('button', { name: 'Manager', exact: true }).click();
      const approval = page.getByRole('dialog', { name: 'Manager approval' });
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
      await approval.getByRole('button', { name: 'Approve' }).click();

      // The summary, from the replica alone: the cashier's one sale at the cappuccino's price.
      const summary = page.getByRole('region', { name: 'Shift summary', exact: true });
      // On screen in the store's locale (HQ's default, en-IE: "€4.20"); on paper the slips' fixed "4.20 EUR".
      const spend = moneyText(cappuccino.price, c.program.currency, DEFAULT_LOCALE);
      const slipSpend = formatMoney(cappuccino.price, c.program.currency);
      const row = summary.getByRole('row', { name: new RegExp(`^${c.cashier.name}`) });
      await waitForText(row, new RegExp(`^${c.cashier.name}\\s*1\\s*${spend.replace('.', '\\.')}`));
      await waitForText(
        summary.getByRole('row', { name: /^Till total/ }),
        new RegExp(`1\\s*${spend.replace('.', '\\.')}`),
      );
      await summary.scrollIntoViewIfNeeded();
      await photograph(page, 'manager-shift-summary');
      await page.setViewportSize(VIEWPORT);
      const day = await summary.getByLabel('Store day').inputValue();
      expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      // The sale printed the member's slip already: the summary is the next cut.
      const cutsBefore = printer.cuts();
      await summary.getByRole('button', { name: 'Print summary' }).click();
      await waitForText(summary, 'Printed.');
      await printer.until(() => printer.cuts() === cutsBefore + 1);
      const lines = printer.decoded().lines.map((l) => l.trim());
      expect(lines).toContain(`Shift summary ${day}`);
      expect(lines).toContain(c.cashier.name);
      expect(lines).toContain('Till total');
      expect(
        lines.filter((l) => new RegExp(`^Sales +1, ${slipSpend.replace('.', '\\.')}$`).test(l)),
      ).toHaveLength(2);

      // The day close with HQ away: plain words, not a red failure.
      const close = page.getByRole('region', { name: 'Day close' });
      await waitForText(close, "HQ can't be reached right now.");
      await close.getByRole('button', { name: 'Run day close' }).click();
      await waitForText(
        close,
        `HQ can't be reached. The close of ${day} is saved on this till and runs by itself when HQ answers; nothing is lost.`,
      );
      expect(await close.getByRole('alert').count()).toBe(0);

      // HQ back: the close runs by itself and matches.
      await c.startHq();
      await waitForText(close, `Day close matches HQ: ${day}`, 120_000);
      await expect
        .poll(async () => (await close.textContent()) ?? '', { timeout: 10_000 })
        .not.toContain("can't be reached");
    },
    LONG,
  );
});

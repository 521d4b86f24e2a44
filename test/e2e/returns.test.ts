// A partial return end to end: the real renderer in Chromium at the till's size (1024×768), the terminal
// host as `npm start` composes it, HQ on PostgreSQL. A 3-line sale at the counter; the manager returns one
// line of it from the manager screen (pick the sale, + on the line, the confirmation with the points back
// and the balance after); the till's balance drops by exactly what returnClawback says that line earned
// (computed here from the sale HQ stored, not written down), the return replicates, HQ applies the same
// figure and its balance equals the till's; a unit more than the line has is never offered, the slip
// says what came back, the panel passes axe, and the day close still matches HQ with the return counted.
import { describe, expect, it } from 'vitest';
import { getMember } from '../../src-hq/store/members.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import { returnClawback } from '../../src-shared/ledger/returns.js';
import { groupDigits } from '../../src-shared/receipt/slip.js';
import { expectNoSeriousViolations } from '../support/axe.js';
import {
  COUNTER_PRODUCTS,
  counterPerTest,
  expectedPoints,
  signIn,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';
import { photograph, TILL } from '../support/screenshots.js';

const [cappuccino, croissant, beans] = COUNTER_PRODUCTS;
const LONG = 150_000;

const counter = counterPerTest(LONG);

/** Events this counter's terminal pushed, as HQ stored them. */
async function terminalEvents(c: Counter) {
  const terminalId = await c.terminalId();
  return (await c.hqEvents()).filter((e) => e.terminalId === terminalId);
}

/** "1,240 points" as the till writes points. */
const pts = (n: number): string => `${groupDigits(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;

describe('returns at the till', () => {
  it(
    'returns one line of a 3-line sale: exactly its points back at the till and at HQ, no unit beyond the line',
    async () => {
      const c = await counter({ viewport: TILL });
      const { page } = c;
      const alice = c.members[0]!;
      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Online');

      // The sale: 2 cappuccinos, a croissant, a bag of beans.
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await page.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      for (const product of [cappuccino, cappuccino, croissant, beans]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitVisible(basket.getByRole('listitem').nth(2));
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }), '2 ×');
      const points = await expectedPoints(c, alice.id, [
        { product: cappuccino, quantity: 2 },
        { product: croissant, quantity: 1 },
        { product: beans, quantity: 1 },
      ]);
      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: `Sale recorded: ${points} points` }));

      // The sale as HQ stored it, and what returning its croissant takes back by the shared rule.
      await expect
        .poll(async () => (await terminalEvents(c)).filter((e) => e.status === 'posted'), { timeout: 30_000 })
        .toHaveLength(1);
      const [stored] = await terminalEvents(c);
      const sale = stored!.body as unknown as EventOf<'points-earned'>;
      expect(sale.type).toBe('points-earned');
      expect(sale.payload.points).toBe(points);
      const index = sale.payload.lines.findIndex((l) => l.sku === croissant.sku);
      const returned = [{ line: index, sku: croissant.sku, quantity: 1 }];
      const back = returnClawback({
        original: sale,
        program: c.program,
        applied: sale.payload.points,
        returnedBefore: new Map(),
        takenBefore: 0,
        lines: returned,
      }).points;
      expect(back).toBeGreaterThan(0);
      expect(back).toBeLessThan(points);
      const before = alice.balance + points;
      const after = before - back;

      // The manager screen: pick the sale, one croissant back.
      await page.getByRole('button', { name: 'Manager', exact: true }).click();
      const approval = page.getByRole('dialog', { name: 'Manager approval' });
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Manager' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Manager PIN', { exact: true }).fill(c.manager.pin);
      await approval.getByRole('button', { name: 'Approve' }).click();
      const panel = page.getByRole('region', { name: 'Return items' });
      await waitVisible(panel);
      const sales = panel.getByRole('list', { name: 'Recent sales' });
      await waitVisible(sales.getByRole('listitem').first());
      expect(await sales.getByRole('listitem').count()).toBe(1);
      await sales.getByRole('button', { name: 'Choose lines' }).click();
      const more = panel.getByRole('button', { name: `One more ${croissant.sku}` });
      await waitVisible(more);
      await more.click();
      // One croissant was sold: a second is not offered.
      expect(await more.isDisabled()).toBe(true);
      await waitForText(panel.getByText('Points back:'), pts(back));
      // At the till's size: the − / + are touch targets of 48 px at least, and nothing runs off the side.
      for (const button of [more, panel.getByRole('button', { name: `One less ${croissant.sku}` })]) {
        const box = await button.boundingBox();
        expect(box?.width).toBeGreaterThanOrEqual(48);
        expect(box?.height).toBeGreaterThanOrEqual(48);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(TILL.width);
      await panel.getByRole('list', { name: 'Lines of the sale' }).scrollIntoViewIfNeeded();
      await expectNoSeriousViolations(page, 'manager-return');
      await photograph(page, 'manager-return');
      await panel.getByRole('textbox', { name: 'Return reason' }).fill('Stale croissant');
      await panel.getByRole('button', { name: 'Return items' }).click();
      const sheet = page.getByRole('dialog', { name: 'Return these items?' });
      await waitVisible(sheet);
      await waitForText(sheet, `1 x ${croissant.sku}`);
      await waitForText(sheet, new RegExp(`Points back\\s*${pts(back)}`));
      await waitForText(sheet, new RegExp(`Balance after\\s*${pts(after)}`));
      await expectNoSeriousViolations(page, 'manager-return-confirm');
      await photograph(page, 'manager-return-confirm');
      await sheet.getByRole('button', { name: 'Return items' }).click();
      await waitVisible(panel.getByRole('status').filter({ hasText: `${pts(back)} taken back` }));
      await waitForText(panel.getByRole('status').filter({ hasText: 'taken back' }), pts(after));
      // The slip says what came back.
      const slip = panel.getByRole('region', { name: "Member's slip" });
      await waitForText(slip, new RegExp(`Points taken back +-${back}\\b`));
      await waitForText(slip, new RegExp(`1 x ${croissant.sku}`));

      // The croissant line has nothing left to return; the others keep theirs.
      await waitForText(panel.getByRole('list', { name: 'Lines of the sale' }), '0 left');
      expect(await more.isDisabled()).toBe(true);

      // HQ: the return posted at the till's figure; its balance is the till's.
      await expect
        .poll(async () => (await terminalEvents(c)).find((e) => e.type === 'points-returned')?.status, {
          timeout: 30_000,
        })
        .toBe('posted');
      const hqReturn = (await terminalEvents(c)).find((e) => e.type === 'points-returned')!;
      expect(hqReturn.pointsDelta).toBe(-back);
      expect((hqReturn.body.payload as { points: number }).points).toBe(back);
      expect((await getMember(c.db, alice.id))?.balance).toBe(after);

      // The day close counts the return like HQ does.
      await page.getByRole('button', { name: 'Run day close' }).click();
      await waitVisible(page.getByText('Day close matches HQ'));

      await page.getByRole('button', { name: 'Leave manager' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitForText(page.getByRole('region', { name: 'Balance' }), pts(after));
    },
    LONG,
  );
});

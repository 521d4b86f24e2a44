// The member's slip end to end: the real renderer in Chromium, the terminal host as `npm start` composes it,
// HQ on PostgreSQL, the scanner on one socat pair and an ESC/POS receipt printer on another
// (test/support/counter.ts `printer: true`; test/support/fake-printer.ts answers the printer's status and
// keeps its bytes, test/support/escpos.ts decodes them).
//
// - A sale: the slip shows on the member's screen with the points the sale earned and the new balance
//   (pending: HQ has not posted it yet), and the printer receives the same slip, decoded from its bytes.
// - Paper out: the status bar says so before anything is sold; a redemption still goes through, its slip
//   stays on screen with the reason, and nothing reaches the paper.
// - A French store (fr-FR): the slip on screen and on paper in French, money as "6,00 EUR" (code page 437
//   has no "€"), its accents printed as code page 437's bytes and read back, never a "?".
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../src-shared/receipt/slip.js';
import {
  COUNTER_PRODUCTS,
  expectedPoints,
  counterPerTest,
  redeemReward,
  signIn,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';

const [cappuccino, croissant] = COUNTER_PRODUCTS;
const LONG = 120_000;

const counter = counterPerTest(LONG);
const counterWithPrinter = () => counter({ printer: true });

const slipOnScreen = (c: Counter) => c.page.getByRole('region', { name: "Member's slip" });

describe("the member's slip", () => {
  it(
    'after a sale: on screen and on paper, with the points earned and the new (pending) balance',
    async () => {
      const c = await counterWithPrinter();
      const { page } = c;
      const printer = c.printer!;
      const alice = c.members[0]!;
      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Printer ready');

      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitForText(page.getByRole('region', { name: 'Balance' }), '1,240 points');
      await page.getByRole('button', { name: 'New sale' }).click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      for (const product of [cappuccino, cappuccino, croissant]) await c.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await waitForText(basket.getByRole('listitem').filter({ hasText: 'Cappuccino' }), '2 ×');
      await waitVisible(basket.getByRole('listitem').filter({ hasText: 'Croissant' }));

      // What the engine gives this basket for this member on the page's Saturday.
      const points = await expectedPoints(c, alice.id, [
        { product: cappuccino, quantity: 2 },
        { product: croissant, quantity: 1 },
      ]);
      expect(points).toBeGreaterThan(0);
      const balance = alice.balance + points;

      await page.getByRole('button', { name: 'Confirm sale' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // On screen: the slip's lines, and that it printed.
      const slip = slipOnScreen(c);
      await waitForText(slip, new RegExp(`Points earned +\\+${points}\\b`));
      await waitForText(slip, new RegExp(`Balance \\(pending\\) +${groupDigits(balance)} points`));
      await waitForText(slip, 'Printed.');

      // On paper: the same slip, decoded from the bytes the printer received.
      await printer.until(() => printer.cuts() === 1);
      const lines = printer.decoded().lines.map((l) => l.trim());
      expect(lines).toContain('Bean There Rewards');
      expect(lines).toContain(`Cashier: ${c.cashier.name}`);
      expect(
        lines.some((l) => l === `Member${' '.repeat(42 - 6 - alice.displayName.length)}${alice.displayName}`),
      ).toBe(true);
      expect(lines.some((l) => new RegExp(`^Points earned +\\+${points}$`).test(l))).toBe(true);
      expect(
        lines.some((l) => new RegExp(`^Balance \\(pending\\) +${groupDigits(balance)} points$`).test(l)),
      ).toBe(true);
      expect(lines).toContain('Pending: not yet confirmed by HQ.');
      expect(lines.some((l) => /^Card +ending \d{4}$/.test(l))).toBe(true);
      // The card's number itself is not on paper, only its last four digits.
      expect(Buffer.from(printer.received).toString('latin1')).not.toContain(alice.card);

      // Leaving the member's screen puts the slip away; the printer counted the slip.
      await page.getByRole('button', { name: 'Done' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Scan a card or enter a phone number' }));
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitVisible(page.getByRole('region', { name: 'Balance' }));
      expect(await slipOnScreen(c).count()).toBe(0);
      expect(c.devices.statuses().find((d) => d.role === 'printer')).toMatchObject({ frames: 1 });
    },
    LONG,
  );

  it(
    'out of paper: the status bar says so, a redemption still goes through, its slip stays on screen with the reason',
    async () => {
      const c = await counterWithPrinter();
      const { page } = c;
      const printer = c.printer!;
      const alice = c.members[0]!;
      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Printer ready');

      printer.paper = 'out';
      // The printer's idle status query (every 2 s here) finds the paper out before anything is sold.
      await waitForText(statusBar(page), 'Printer: out of paper');

      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await redeemReward(page, 'Free coffee (any size)');
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      const slip = slipOnScreen(c);
      await waitForText(slip, /Free coffee \(any size\) +-70/);
      await waitForText(slip, new RegExp(`Balance \\(pending\\) +${groupDigits(alice.balance - 70)} points`));
      await waitForText(slip, /Not printed\. Out of paper/);
      // The redemption is recorded whatever the paper: it reaches HQ.
      await expect
        .poll(async () => (await c.hqEvents()).filter((e) => e.type === 'points-redeemed').length, {
          timeout: 30_000,
        })
        .toBe(1);
      expect(printer.cuts()).toBe(0);

      // Closing the slip puts it away.
      await slip.getByRole('button', { name: 'Close slip' }).click();
      expect(await slipOnScreen(c).count()).toBe(0);
    },
    LONG,
  );

  it(
    "in a French store: on screen and on paper in French, money in the store's format, accents printed",
    async () => {
      const c = await counter({ printer: true, locale: 'fr-FR' });
      const { page } = c;
      const printer = c.printer!;
      const alice = c.members[0]!;
      await page.reload();
      await waitVisible(page.getByRole('heading', { name: 'Connexion' }), 60_000);
      await page.getByRole('combobox', { name: 'Caissier' }).selectOption({ label: c.cashier.name });
      await page.getByLabel('Code PIN', { exact: true }).fill(c.cashier.pin);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await waitForText(page.getByRole('status', { name: 'État du terminal' }), 'Imprimante prête');

      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await page.getByRole('button', { name: 'Nouvelle vente' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Nouvelle vente' }));
      await c.scanProduct(cappuccino.gtin);
      await c.scanProduct(croissant.gtin);
      await waitVisible(
        page.getByRole('list', { name: 'Panier' }).getByRole('listitem').filter({ hasText: 'Croissant' }),
      );
      const points = await expectedPoints(c, alice.id, [
        { product: cappuccino, quantity: 1 },
        { product: croissant, quantity: 1 },
      ]);
      expect(points).toBeGreaterThan(0);
      // The balance as French writes it ("1 320"), with a plain space: what the printer prints.
      const balance = new Intl.NumberFormat('fr-FR')
        .format(alice.balance + points)
        .replace(/[\u00a0\u202f]/g, ' ');
      const total = (cappuccino.price + croissant.price) / 100;
      const money = `${total.toFixed(2).replace('.', ',')} EUR`;
      await page.getByRole('button', { name: 'Valider la vente' }).click();
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      const slip = page.getByRole('region', { name: 'Ticket du membre' });
      await waitForText(slip, new RegExp(`Points gagnés +\\+${points}\\b`));
      await waitForText(slip, new RegExp(`Total des achats +${money}`));
      await waitForText(slip, 'Imprimé.');

      await printer.until(() => printer.cuts() === 1);
      const lines = printer.decoded().lines.map((l) => l.trim());
      expect(lines).toContain(`Caissier : ${c.cashier.name}`);
      expect(lines.some((l) => new RegExp(`^Membre +${alice.displayName}$`).test(l))).toBe(true);
      expect(lines.some((l) => /^Carte +finissant par \d{4}$/.test(l))).toBe(true);
      expect(lines.some((l) => new RegExp(`^Total des achats +${money}$`).test(l))).toBe(true);
      expect(lines.some((l) => new RegExp(`^Points gagnés +\\+${points}$`).test(l))).toBe(true);
      expect(lines.some((l) => new RegExp(`^Solde \\(en attente\\) +${balance} points$`).test(l))).toBe(true);
      expect(lines).toContain('En attente de confirmation du siège.');
      // Every character printed is one the printer has: no "?" for a letter its code page lacks, and "é"
      // went as code page 437's byte (0x82), not as UTF-8.
      expect(lines.filter((l) => l.includes('?'))).toEqual([]);
      const bytes = Buffer.from(printer.received);
      expect(bytes.includes(0x82)).toBe(true);
      expect(bytes.includes(Buffer.from('é', 'utf8'))).toBe(false);
    },
    LONG,
  );
});

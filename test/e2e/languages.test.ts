// The store's locale reaches the counter: HQ's store settings say fr-FR, main fetches them with the till's
// other settings, and the page speaks French from its start — the status bar (link, replica mode, pending
// events, scanner), signing in, the idle screen, the manager's approval and the manager's panels (devices,
// sync queue) — with no translation missing in the page's console. Then a French walk of a member's visit:
// the member screen, a sale of two products and its quote, the member after the sale with the slip, the
// redeem screen and its confirmation sheet, a member refused a reward for want of points, the store's money
// ("6,00 €"), and the customer display (/customer, beside the counter), which follows in French too. At
// each step the visible text holds none of the English the counter used to show; the program's own words
// (its name, rules, rewards, tiers) and the catalog's product names are HQ's and stay as HQ wrote them; the
// slip's paper and the quote's explanation details are checked too, now that they speak the store's language.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  COUNTER_PRODUCTS,
  counterPerTest,
  expectedPoints,
  waitForText,
  waitVisible,
} from '../support/counter.js';
import { moneyText } from '../../src-renderer/hooks/format.js';
import { englishIn, englishOn, missingTranslations } from '../support/french-walk.js';

const LONG = 180_000;
const counter = counterPerTest(LONG);
const [cappuccino, croissant] = COUNTER_PRODUCTS;

describe('the counter in the store’s language', () => {
  it(
    'speaks French in a store whose locale is fr-FR',
    async () => {
      const c = await counter({ locale: 'fr-FR' });
      const missing: string[] = [];
      missingTranslations(c.page, missing);
      // The page opened before this listener: open it again so its whole start is heard.
      await c.page.reload();
      const status = c.page.getByRole('status', { name: 'État du terminal' });
      await waitForText(status, 'En ligne');
      await waitForText(status, 'En attente : 0');
      await waitForText(status, 'Scanner connecté');
      await waitForText(status, /À jour|Ancien|Gain seulement/);

      // Signing in, the idle screen and the manager's approval speak French too.
      await waitVisible(c.page.getByRole('heading', { name: 'Connexion' }), 60_000);
      await c.page.getByRole('combobox', { name: 'Caissier' }).selectOption({ label: c.cashier.name });
      await c.page.getByLabel('Code PIN', { exact: true }).fill(c.cashier.pin);
      await c.page.getByRole('button', { name: 'Se connecter' }).click();
      await waitVisible(
        c.page.getByRole('heading', { name: 'Scannez une carte ou saisissez un numéro de téléphone' }),
      );
      await waitForText(status, 'Se déconnecter');
      await waitForText(c.page.locator('.how-to'), 'Saisissez les premières lettres du nom');
      await c.page.getByRole('button', { name: 'Responsable' }).click();
      const approval = c.page.getByRole('dialog', { name: 'Accord du responsable' });
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Responsable' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Code PIN du responsable', { exact: true }).fill(c.manager.pin);
      await approval.getByRole('button', { name: 'Approuver' }).click();
      await waitVisible(c.page.getByRole('heading', { name: 'Périphériques' }));
      await waitVisible(c.page.getByRole('heading', { name: "File d'envoi" }));
      await waitForText(c.page.locator('.devices'), 'Connecté');
      await waitForText(c.page.locator('body'), '0 événement attend le siège.');
      expect(missing).toEqual([]);
    },
    LONG,
  );

  it(
    "walks a member's visit in French, the customer display too: no English left, no translation missing",
    async () => {
      // The check itself: it finds the counter's English, whole words only, and leaves HQ's words alone.
      expect(englishIn('Balance 1,240 points · New sale · Redeemed · Free coffee', ['Free coffee'])).toEqual([
        'Balance',
        'New sale',
      ]);
      expect(englishIn('Solde · Bienvenue chez Welcome Club', ['Welcome Club'])).toEqual([]);
      expect(englishIn('Total 6.00 EUR · Total 6,00 €', [])).toEqual(['6.00 EUR']);
      const c = await counter({ locale: 'fr-FR' });
      const { page } = c;
      const alice = c.members[0]!;
      const missing: string[] = [];
      missingTranslations(page, missing);
      await page.reload();
      /** The English on the counter's screen at each step, by step: none is expected. */
      const english: Record<string, string[]> = {};
      const look = async (step: string, on: Page = page) => {
        english[step] = await englishOn(on, c);
      };

      await waitVisible(page.getByRole('heading', { name: 'Connexion' }), 60_000);
      await look('sign-in');
      // The customer display, beside the counter (same browser, the launch's session): the welcome.
      const customerPage = await c.context.newPage();
      const customerErrors: string[] = [];
      customerPage.on('pageerror', (error) => customerErrors.push(error.message));
      missingTranslations(customerPage, missing);
      await customerPage.goto(new URL('/customer', c.url).toString());
      const display = customerPage.getByRole('main', { name: 'Écran client' });
      // Before anyone signs in, the welcome in the store's language already.
      await waitForText(display, 'Bienvenue');
      await waitForText(display, 'Présentez votre carte de fidélité');
      expect(await customerPage.locator('html').getAttribute('lang')).toBe('fr');
      await look('customer: welcome before sign-in', customerPage);
      await page.getByRole('combobox', { name: 'Caissier' }).selectOption({ label: c.cashier.name });
      await page.getByLabel('Code PIN', { exact: true }).fill(c.cashier.pin);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await waitVisible(
        page.getByRole('heading', { name: 'Scannez une carte ou saisissez un numéro de téléphone' }),
      );
      await look('idle');
      await waitForText(display, 'Bienvenue chez Bean There Rewards');
      await look('customer: welcome', customerPage);

      // A member scanned: the member screen.
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitVisible(page.getByRole('region', { name: 'Solde' }));
      await waitVisible(page.getByRole('button', { name: 'Nouvelle vente' }));
      await look('member');
      const points = customerPage.getByRole('region', { name: 'Vos points' });
      await waitForText(points, `Bonjour ${alice.firstName}`);
      await waitVisible(customerPage.getByLabel('Prochaine récompense'));
      await look('customer: member', customerPage);

      // A sale of two products and its quote, on both screens.
      await page.getByRole('button', { name: 'Nouvelle vente' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Nouvelle vente' }));
      await c.scanProduct(cappuccino.gtin);
      await c.scanProduct(croissant.gtin);
      const earned = await expectedPoints(c, alice.id, [
        { product: cappuccino, quantity: 1 },
        { product: croissant, quantity: 1 },
      ]);
      expect(earned).toBeGreaterThan(0);
      const basket = page.getByRole('list', { name: 'Panier' });
      await waitVisible(basket.getByRole('listitem').filter({ hasText: 'Croissant' }));
      const quote = page.locator('section[aria-label="Devis de points"][aria-busy="false"]');
      await waitForText(quote, `${earned} points`);
      // The store's money: "6,00 €", on the counter and on the customer's screen.
      const total = moneyText(cappuccino.price + croissant.price, 'EUR', 'fr-FR');
      expect(total).toMatch(/^6,00\s€$/u);
      await waitForText(page.locator('main'), total);
      await look('sale and its quote');
      const purchase = customerPage.getByRole('region', { name: 'Votre achat' });
      await waitForText(
        purchase.getByLabel('Points gagnés avec cet achat'),
        `Cet achat vous rapporte ${earned} points`,
      );
      await waitForText(purchase, total);
      await look('customer: the purchase', customerPage);

      // Confirmed: the member again, with the slip on screen.
      await page.getByRole('button', { name: 'Valider la vente' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: `Vente enregistrée : ${earned} points` }));
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      const slip = page.getByRole('region', { name: 'Ticket du membre' });
      await waitVisible(slip);
      await waitVisible(slip.getByRole('heading', { name: 'Ticket' }));
      await waitVisible(slip.getByRole('button', { name: 'Fermer le ticket' }));
      await look('member after the sale, with its slip');
      await waitForText(points, `Merci ! Vous avez gagné ${earned} points.`);
      await look('customer: thanks for the sale', customerPage);

      // The redeem screen, its confirmation sheet, and the reward redeemed.
      const reward = c.program.rewards.find((r) => r.active && r.cost <= alice.balance + earned);
      if (!reward) throw new Error('the coffee-shop program has no reward Alice can afford');
      await page.getByRole('button', { name: 'Échanger', exact: true }).click();
      await waitVisible(page.getByRole('heading', { name: 'Échanger des points' }));
      await waitVisible(page.getByRole('list', { name: 'Catalogue des récompenses' }));
      await look('redeem');
      await page.getByRole('button', { name: reward.label }).click();
      const sheet = page.getByRole('dialog', { name: 'Échanger cette récompense ?' });
      await waitVisible(sheet);
      await waitForText(sheet, 'Solde après');
      await look('redeem: the confirmation sheet');
      await sheet.getByRole('button', { name: 'Échanger', exact: true }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: `Récompense échangée : ${reward.label}` }),
      );
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await waitVisible(page.getByRole('region', { name: 'Ticket du membre' }));
      await look('member after the reward');
      await waitForText(points, `Profitez bien de votre récompense : ${reward.label}.`);
      await look('customer: enjoy the reward', customerPage);

      // A member without the points for a reward: refused in French, nothing asked of the cashier in English.
      const chloe = c.members[2]!;
      await c.scanCard(chloe.card);
      await waitVisible(page.getByRole('heading', { name: chloe.displayName }));
      await page.getByRole('button', { name: 'Échanger', exact: true }).click();
      await waitVisible(page.getByRole('heading', { name: 'Échanger des points' }));
      await page.getByRole('button', { name: reward.label }).click();
      await waitVisible(page.getByRole('alert').filter({ hasText: 'Points insuffisants' }));
      await look('redeem refused');
      await waitForText(points, `Bonjour ${chloe.firstName}`);
      await look('customer: another member', customerPage);

      const none = Object.fromEntries(Object.keys(english).map((step) => [step, []]));
      expect(english).toEqual(none);
      expect(Object.keys(english)).toHaveLength(16);
      expect(missing).toEqual([]);
      expect(customerErrors).toEqual([]);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

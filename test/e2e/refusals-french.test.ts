// Refusals in the store's language, end to end: a fr-FR till (HQ's store settings) where the counter refuses
// on two screens — the redeem screen (a reward the member cannot afford) and the plans & actions screen (an
// action past its lifetime limit) — and says why in French, from the refusal's reason and figures
// (src-renderer/i18n/refusals.ts), with no translation missing in the page's console.
import { describe, expect, it } from 'vitest';
import { counterPerTest, waitForText, waitVisible } from '../support/counter.js';
import { TILL } from '../support/screenshots.js';

const LONG = 150_000;
const counter = counterPerTest(LONG);

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('refusals at a French till', () => {
  it(
    'says in French why a reward cannot be redeemed and why an action cannot be awarded again',
    async () => {
      const c = await counter({ locale: 'fr-FR', viewport: TILL });
      const { page } = c;
      const missing: string[] = [];
      page.on('console', (message) => {
        if (message.text().startsWith('missing translation')) missing.push(message.text());
      });
      await page.reload();
      const chloe = c.members.find((m) => m.balance === 0);
      const pastry = c.program.rewards.find((r) => r.id === 'free-pastry');
      const app = c.program.actions.find((a) => a.id === 'app-installed');
      if (!chloe || !pastry || !app)
        throw new Error('the counter has no member without points, reward or action');

      await waitVisible(page.getByRole('heading', { name: 'Connexion' }), 60_000);
      await page.getByRole('combobox', { name: 'Caissier' }).selectOption({ label: c.cashier.name });
      await page.getByLabel('Code PIN', { exact: true }).fill(c.cashier.pin);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await waitVisible(
        page.getByRole('heading', { name: 'Scannez une carte ou saisissez un numéro de téléphone' }),
      );
      await c.scanCard(chloe.card);
      await waitVisible(page.getByRole('heading', { name: chloe.displayName }));

      // The redeem screen: a reward of 40 points for a member with none.
      await page.getByRole('button', { name: 'Échanger', exact: true }).click();
      await waitVisible(page.getByRole('heading', { name: 'Échanger des points' }));
      await page.getByRole('button', { name: new RegExp(`^${escaped(pastry.label)},`) }).click();
      await waitForText(
        page.getByRole('alert'),
        `Points insuffisants : il en faut ${pastry.cost}, le membre en a 0`,
      );
      expect(await page.getByRole('dialog').count()).toBe(0);
      await page.getByRole('button', { name: 'Retour' }).click();
      await waitVisible(page.getByRole('heading', { name: chloe.displayName }));

      // The plans & actions screen: the app once in a lifetime, then once more.
      const open = page.getByRole('button', { name: 'Offres et actions' });
      await open.click();
      const award = page.getByRole('button', { name: new RegExp(`^Attribuer ${escaped(app.label)},`) });
      await award.click();
      const sheet = page.getByRole('dialog', { name: 'Attribuer cette action ?' });
      await waitVisible(sheet);
      await sheet.getByRole('button', { name: 'Attribuer', exact: true }).click();
      await waitVisible(page.getByRole('heading', { name: chloe.displayName }));
      await open.click();
      await award.click();
      await waitForText(
        page.getByRole('alert'),
        `« ${app.label} » déjà attribuée 1 fois au total (limite 1)`,
      );
      expect(await sheet.count()).toBe(0);
      expect(missing).toEqual([]);
    },
    LONG,
  );
});

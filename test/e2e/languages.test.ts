// The store's locale reaches the counter: HQ's store settings say fr-FR, main fetches them with the till's
// other settings, and the page speaks French from its start — the status bar (link, replica mode, pending
// events, scanner), signing in, the idle screen, the manager's approval and the manager's panels (devices,
// sync queue) — with no translation missing in the page's console. (The rest of the counter is translated
// screen by screen: test/tooling/untranslated.)
import { describe, expect, it } from 'vitest';
import { counterPerTest, waitForText, waitVisible } from '../support/counter.js';

const LONG = 120_000;
const counter = counterPerTest(LONG);

describe('the counter in the store’s language', () => {
  it(
    'speaks French in a store whose locale is fr-FR',
    async () => {
      const c = await counter({ locale: 'fr-FR' });
      const missing: string[] = [];
      c.page.on('console', (message) => {
        if (message.text().startsWith('missing translation')) missing.push(message.text());
      });
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
});

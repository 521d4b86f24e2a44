// The rest of the counter on a fr-FR till (test/e2e/languages.test.ts walks a member's visit): enrolling a new
// member from the idle screen (the form's problems when sent empty, the phone on the on-screen keypad, then
// enrolled), plans & actions (F4: a plan's sheet, then an action awarded), and the manager's screen after a
// manager's PIN (sync queue, devices, a day close run and its result, the shift summary, points adjusted with
// a reason, the void panel and its sheet cancelled, a return of one line of a sale with its sheet). At each
// step the page shows none of the counter's English (test/support/french-walk.ts) once HQ's own words are
// taken out (the program's names and labels, the plan's perks, the products, the members), and the page's
// console logs no missing translation. The slip's paper (the return's slip) is checked too.
import { describe, expect, it } from 'vitest';
import { moneyText } from '../../src-renderer/hooks/format.js';
import {
  cardNumber,
  COUNTER_PRODUCTS,
  counterPerTest,
  waitForText,
  waitVisible,
} from '../support/counter.js';
import { englishIn, englishOn, missingTranslations } from '../support/french-walk.js';
import { COFFEE_CLUB_PLAN, coffeeClubProgram } from '../support/hq.js';

const LONG = 180_000;
const counter = counterPerTest(LONG);
const [cappuccino, croissant] = COUNTER_PRODUCTS;

const PLAN = COFFEE_CLUB_PLAN;
const planProgram = coffeeClubProgram;

describe('the counter in French, beyond the visit', () => {
  it(
    "enrolls, runs plans & actions and the manager's screen in French: no English left, no translation missing",
    async () => {
      // The check finds this walk's English too (the enrollment form, plans & actions, the manager's panels).
      expect(
        englishIn(
          "Sync queue · File d'envoi · Run day close · Formules · Enroll member · Award this action?",
          [],
        ),
      ).toEqual(['Sync queue', 'Run day close', 'Enroll member', 'Award this action?']);
      const c = await counter({ locale: 'fr-FR', program: planProgram() });
      const { page } = c;
      const app = c.program.actions.find((a) => a.id === 'app-installed');
      if (!app || !cappuccino || !croissant) throw new Error('the counter has no app action or products');
      const missing: string[] = [];
      missingTranslations(page, missing);
      await page.reload();
      /** HQ's words this walk adds: the plan's perks and the member it enrolls. */
      const hqAlso = [...PLAN.perks, 'Dana R.'];
      const english: Record<string, string[]> = {};
      const look = async (step: string) => {
        english[step] = await englishOn(page, c, hqAlso);
      };

      await waitVisible(page.getByRole('heading', { name: 'Connexion' }), 60_000);
      await page.getByRole('combobox', { name: 'Caissier' }).selectOption({ label: c.cashier.name });
      await page.getByLabel('Code PIN', { exact: true }).fill(c.cashier.pin);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await waitVisible(
        page.getByRole('heading', { name: 'Scannez une carte ou saisissez un numéro de téléphone' }),
      );
      const status = page.getByRole('status', { name: 'État du terminal' });
      await waitForText(status, 'En ligne');

      // Enrolling: the form, its problems when sent empty, the phone keypad, then the member.
      await page.getByRole('button', { name: 'Inscrire un nouveau membre' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Inscrire un nouveau membre' }));
      await look('enroll');
      await page.getByRole('button', { name: 'Inscrire le membre' }).click();
      await waitVisible(page.getByText('Saisissez le prénom', { exact: true }));
      await waitVisible(page.getByText('Saisissez le nom', { exact: true }));
      await look('enroll: the empty form refused');
      await page.getByRole('textbox', { name: 'Prénom' }).fill('Dana');
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Roux');
      await page.getByRole('button', { name: 'Clavier' }).click();
      const keypad = page.getByRole('group', { name: 'Clavier du téléphone' });
      await waitVisible(keypad);
      for (const key of '+336554433229') await keypad.getByRole('button', { name: key, exact: true }).click();
      await keypad.getByRole('button', { name: 'Effacer le dernier caractère' }).click();
      expect(await page.getByRole('textbox', { name: 'Téléphone' }).inputValue()).toBe('+33655443322');
      await look('enroll: the phone keypad');
      await page.getByRole('combobox', { name: 'Mois de naissance' }).selectOption({ label: 'mars' });
      const card = cardNumber(2002);
      await c.scanCard(card);
      await expect
        .poll(() => page.getByRole('textbox', { name: 'Numéro de carte' }).inputValue(), { timeout: 15_000 })
        .toBe(card);
      await page.getByRole('button', { name: 'Inscrire le membre' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));
      await waitVisible(page.getByRole('status').filter({ hasText: 'Membre inscrit : Dana R.' }));
      await look('enrolled');

      // Plans & actions (F4): a plan's sheet, left; an action awarded.
      await page.keyboard.press('F4');
      await waitVisible(page.getByRole('heading', { name: 'Formules et actions' }));
      await waitForText(page.locator('main'), 'Aucune formule payante');
      await look('plans & actions');
      const fee = moneyText(PLAN.fee, c.program.currency, 'fr-FR');
      await page.getByRole('button', { name: `Vendre ${PLAN.label}, ${fee}` }).click();
      const planSheet = page.getByRole('dialog', { name: 'Vendre cette formule ?' });
      await waitVisible(planSheet);
      await waitForText(planSheet, `Encaissez le prix de ${fee}`);
      await look('plans & actions: the plan sheet');
      await planSheet.getByRole('button', { name: 'Annuler' }).click();
      await page.getByRole('button', { name: new RegExp(`^Attribuer ${app.label}, `) }).click();
      const actionSheet = page.getByRole('dialog', { name: 'Attribuer cette action ?' });
      await waitVisible(actionSheet);
      await waitForText(actionSheet, 'Solde après');
      await look('plans & actions: the action sheet');
      await actionSheet.getByRole('button', { name: 'Attribuer', exact: true }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: `Action attribuée : ${app.label}` }));
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));
      await look('action awarded');

      // A sale of two products, for the manager's void and return.
      await page.getByRole('button', { name: 'Nouvelle vente' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Nouvelle vente' }));
      await c.scanProduct(cappuccino.gtin);
      await c.scanProduct(croissant.gtin);
      await waitVisible(page.getByRole('list', { name: 'Panier' }).getByRole('listitem').nth(1));
      await waitVisible(page.locator('section[aria-label="Devis de points"][aria-busy="false"]'));
      await page.getByRole('button', { name: 'Valider la vente' }).click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Vente enregistrée' }));
      await waitForText(status, 'En attente : 0');

      // The manager's screen after a manager's PIN.
      await page.getByRole('button', { name: 'Responsable', exact: true }).click();
      const approval = page.getByRole('dialog', { name: 'Accord du responsable' });
      await waitVisible(approval);
      await approval.getByRole('combobox', { name: 'Responsable' }).selectOption({ label: c.manager.name });
      await approval.getByLabel('Code PIN du responsable', { exact: true }).fill(c.manager.pin);
      await approval.getByRole('button', { name: 'Approuver' }).click();
      for (const heading of [
        "File d'envoi",
        'Périphériques',
        'Clôture du jour',
        'Résumé de service',
        'Ajuster les points',
        'Annulation',
        'Retourner des articles',
      ])
        await waitVisible(page.getByRole('heading', { name: heading, exact: true }));
      await waitForText(page.locator('.devices'), 'Connecté');
      await waitForText(page.locator('main'), '0 événement attend le siège.');
      const summary = page.getByRole('region', { name: 'Résumé de service', exact: true });
      await waitVisible(summary.getByRole('row', { name: new RegExp(`^${c.cashier.name}`) }));
      await waitVisible(summary.getByRole('row', { name: /^Total de la caisse/ }));
      await look('manager');

      await page.getByRole('button', { name: 'Lancer la clôture' }).click();
      await waitVisible(page.getByText(/La clôture concorde avec le siège/));
      await look('manager: day close run');

      const adjust = page.getByRole('region', { name: 'Ajuster les points' });
      await adjust.getByRole('combobox', { name: 'Code motif' }).selectOption({ label: 'Geste commercial' });
      await adjust.getByRole('textbox', { name: 'Points', exact: true }).fill('+50');
      await adjust.getByRole('textbox', { name: 'Note' }).fill('Attente trop longue');
      await adjust.getByRole('button', { name: 'Ajuster', exact: true }).click();
      await waitVisible(adjust.getByRole('status').filter({ hasText: 'Points ajustés : +50' }));
      await look('manager: points adjusted');

      await page.getByRole('textbox', { name: "Motif d'annulation" }).fill('Marchandise rendue');
      const voids = page.getByRole('list', { name: 'Transactions récentes' });
      await voids.getByRole('button', { name: 'Annuler', exact: true }).first().click();
      const voidSheet = page.getByRole('dialog', { name: 'Annuler cette transaction ?' });
      await waitVisible(voidSheet);
      await look('manager: the void sheet');
      await voidSheet.getByRole('button', { name: 'Garder la transaction' }).click();
      await waitForText(page.locator('main'), 'Retourner des articles');
      expect(await voidSheet.count()).toBe(0);

      const returns = page.getByRole('region', { name: 'Retourner des articles' });
      await returns
        .getByRole('list', { name: 'Ventes récentes' })
        .getByRole('button', { name: 'Choisir les lignes' })
        .click();
      await returns.getByRole('button', { name: `Un ${croissant.sku} de plus` }).click();
      await waitVisible(returns.getByText('Points repris :'));
      await returns.getByRole('textbox', { name: 'Motif du retour' }).fill('Croissant rassis');
      await look('manager: a line to return');
      await returns.getByRole('button', { name: 'Retourner les articles' }).click();
      const returnSheet = page.getByRole('dialog', { name: 'Retourner ces articles ?' });
      await waitVisible(returnSheet);
      await waitForText(returnSheet, `1 x ${croissant.sku}`);
      await look('manager: the return sheet');
      await returnSheet.getByRole('button', { name: 'Retourner les articles' }).click();
      await waitVisible(returns.getByRole('status').filter({ hasText: 'Articles retournés' }));
      // The return's slip, on paper in French now (checked whole, nothing left out).
      const paper = returns.locator('.slip-paper');
      await waitForText(paper, /Points repris/);
      await waitForText(paper, `1 x ${croissant.sku}`);
      await look('manager: items returned');

      const none = Object.fromEntries(Object.keys(english).map((step) => [step, []]));
      expect(english).toEqual(none);
      expect(Object.keys(english)).toHaveLength(15);
      expect(missing).toEqual([]);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

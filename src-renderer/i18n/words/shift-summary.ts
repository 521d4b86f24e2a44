// The words of the manager's shift summary panel: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Shift summary',
  storeDay: 'Store day',
  print: 'Print summary',
  notReady: 'The summary shows once this till is enrolled and has its program.',
  printing: 'Printing…',
  printed_one: 'Printed.',
  printed_other: 'Printed on {{count}} slips.',
  notPrinted: 'Not printed: {{message}}',
  table: 'Shift summary by cashier',
  caption_one: '{{day}}, terminal {{terminal}}: {{count}} event',
  caption_other: '{{day}}, terminal {{terminal}}: {{count}} events',
  notCounted_one: ', {{count}} refused by HQ and not counted',
  notCounted_other: ', {{count}} refused by HQ and not counted',
  cashier: 'Cashier',
  columns: {
    sales: 'Sales',
    spend: 'Spend',
    issued: 'Points issued',
    redeemed: 'Points redeemed',
    enrolled: 'Enrolled',
    overrides: 'Overrides',
    adjustments: 'Adjustments',
    voids: 'Voids',
    returns: 'Returns',
  },
  none: 'No activity on this till.',
  total: 'Till total',
};

const fr: Translation<typeof en> = {
  title: 'Résumé de service',
  storeDay: 'Jour du magasin',
  print: 'Imprimer le résumé',
  notReady: 'Le résumé s’affiche quand cette caisse est inscrite et a reçu son programme.',
  printing: 'Impression…',
  ...frenchPlural('printed', 'Imprimé.', 'Imprimé sur {{count}} tickets.'),
  notPrinted: 'Non imprimé : {{message}}',
  table: 'Résumé de service par caissier',
  ...frenchPlural(
    'caption',
    '{{day}}, terminal {{terminal}} : {{count}} événement',
    '{{day}}, terminal {{terminal}} : {{count}} événements',
  ),
  ...frenchPlural(
    'notCounted',
    ', {{count}} refusé par le siège et non compté',
    ', {{count}} refusés par le siège et non comptés',
  ),
  cashier: 'Caissier',
  columns: {
    sales: 'Ventes',
    spend: 'Montant',
    issued: 'Points émis',
    redeemed: 'Points utilisés',
    enrolled: 'Inscriptions',
    overrides: 'Dérogations',
    adjustments: 'Ajustements',
    voids: 'Annulations',
    returns: 'Retours',
  },
  none: 'Aucune activité sur cette caisse.',
  total: 'Total de la caisse',
};

export const shiftSummaryWords = { en, fr };

// The words of the member's slip (src-shared/receipt/slip.ts SlipWords; hooks/use-slip.ts fills them in),
// English and French with exactly its keys. They are printed as well as shown: the printer's code page
// (437) has é, è, à, ç, ê and ô but no "€", no "œ" and no capital accented letters, so French here keeps to
// what it prints (docs/decisions.md "The slip in the store's language"). {{points}}, {{n}}: already
// formatted numbers; {{count}} picks the plural.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  points_one: '{{points}} point',
  points_other: '{{points}} points',
  storeTerminal: 'Store {{store}}, terminal {{terminal}}',
  cashier: 'Cashier: {{name}}',
  member: 'Member',
  card: 'Card',
  cardEnding: 'ending {{last}}',
  purchaseTotal: 'Purchase total',
  pointsEarned: 'Points earned',
  rewardRedeemed: 'Reward redeemed',
  welcome: 'Welcome to {{program}}!',
  welcomeBonus: 'Welcome bonus',
  itemsReturned: 'Items returned',
  fromSaleOf: 'From sale of',
  saleRef: 'Sale ref',
  line: 'line {{n}}',
  moreLines_one: 'and {{count}} more line',
  moreLines_other: 'and {{count}} more lines',
  pointsTakenBack: 'Points taken back',
  balance: 'Balance',
  balancePending: 'Balance (pending)',
  pendingNote: 'Pending: not yet confirmed by HQ.',
  expire_one: '{{points}} expire within {{days}} days',
  expire_other: '{{points}} expire within {{days}} days',
  ref: 'Ref {{id}}',
};

const fr: Translation<typeof en> = {
  ...frenchPlural('points', '{{points}} point', '{{points}} points'),
  storeTerminal: 'Magasin {{store}}, terminal {{terminal}}',
  cashier: 'Caissier : {{name}}',
  member: 'Membre',
  card: 'Carte',
  cardEnding: 'finissant par {{last}}',
  purchaseTotal: 'Total des achats',
  pointsEarned: 'Points gagnés',
  rewardRedeemed: 'Récompense utilisée',
  welcome: 'Bienvenue chez {{program}} !',
  welcomeBonus: 'Bonus de bienvenue',
  itemsReturned: 'Articles retournés',
  fromSaleOf: 'Vente du',
  saleRef: 'Réf. vente',
  line: 'ligne {{n}}',
  ...frenchPlural('moreLines', 'et {{count}} autre ligne', 'et {{count}} autres lignes'),
  pointsTakenBack: 'Points repris',
  balance: 'Solde',
  balancePending: 'Solde (en attente)',
  pendingNote: 'En attente de confirmation du siège.',
  ...frenchPlural(
    'expire',
    '{{points}} expire dans {{days}} jours',
    '{{points}} expirent dans {{days}} jours',
  ),
  ref: 'Réf. {{id}}',
};

export const slipWords = { en, fr };

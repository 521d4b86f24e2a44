// The words of a sale (the sale screen and its points quote): English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  otherCurrency: '{{product}} is priced in {{productCurrency}}, the program counts in {{currency}}.',
  chooseCategory: 'Choose the category of what was bought',
  notRecorded: 'The sale was not recorded: {{message}}',
  recorded: 'Sale recorded: {{points}}',
  recordedOnCard:
    'Sale recorded on card {{card}}: {{points}} will be added to its member when HQ is reached.',
  onCard: 'Card {{card}} · points will be added to its member when HQ is reached',
  title: 'New sale',
  confirm: 'Confirm sale',
  cancel: 'Cancel sale',
  amount: 'Amount',
  category: 'Category',
  choose: 'Choose…',
  addAmount: 'Add amount',
  keyedLine: 'Keyed amount ({{category}})',
  amountKeypad: 'Amount keypad',
  basket: 'Basket',
  noPoints: '· no points',
  remove: 'Remove',
  removeLine: 'Remove {{name}}',
  empty: 'The basket is empty.',
  total: 'Total:',
  cancelTitle: 'Cancel this sale?',
  discard: 'Discard sale',
  keep: 'Keep the sale',
  thrownAway: '{{basket}} ({{total}}) will be thrown away: no points are recorded for it.',
  // What cancelling (or signing out) throws away; the one line has no number.
  basketLines_one: "The basket's line",
  basketLines_other: "The basket's {{count}} lines",
  quote: {
    region: 'Points quote',
    title: 'Points',
    nothingEarns: 'Nothing in this basket earns points (excluded categories).',
    empty: 'Scan products or key in an amount.',
  },
};

const fr: Translation<typeof en> = {
  otherCurrency: '{{product}} est au prix en {{productCurrency}}, le programme compte en {{currency}}.',
  chooseCategory: "Choisissez la catégorie de l'achat",
  notRecorded: "La vente n'a pas été enregistrée : {{message}}",
  recorded: 'Vente enregistrée : {{points}}',
  recordedOnCard:
    'Vente enregistrée sur la carte {{card}} : {{points}} seront ajoutés à son membre quand le siège sera joint.',
  onCard: 'Carte {{card}} · les points seront ajoutés à son membre quand le siège sera joint',
  title: 'Nouvelle vente',
  confirm: 'Valider la vente',
  cancel: 'Annuler la vente',
  amount: 'Montant',
  category: 'Catégorie',
  choose: 'Choisir…',
  addAmount: 'Ajouter le montant',
  keyedLine: 'Montant saisi ({{category}})',
  amountKeypad: 'Pavé du montant',
  basket: 'Panier',
  noPoints: '· sans points',
  remove: 'Retirer',
  removeLine: 'Retirer {{name}}',
  empty: 'Le panier est vide.',
  total: 'Total :',
  cancelTitle: 'Annuler cette vente ?',
  discard: 'Abandonner la vente',
  keep: 'Garder la vente',
  thrownAway: '{{basket}} ({{total}}) sera abandonné : aucun point ne sera enregistré.',
  ...frenchPlural('basketLines', 'La ligne du panier', 'Les {{count}} lignes du panier'),
  quote: {
    region: 'Devis de points',
    title: 'Points',
    nothingEarns: 'Rien dans ce panier ne rapporte de points (catégories exclues).',
    empty: 'Scannez des produits ou saisissez un montant.',
  },
};

export const saleWords = { en, fr };

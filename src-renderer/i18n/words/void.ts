// The words of the manager's void panel: English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  title: 'Void',
  reason: 'Void reason',
  sayWhy: 'Say why, e.g. "Goods returned"',
  notVoided: 'Not voided: {{message}}',
  voided: 'Transaction voided',
  voidedBalance: 'Transaction voided. New balance {{balance}}',
  none: 'This terminal has no transactions for this member.',
  recent: 'Recent transactions',
  badges: {
    voided: 'Voided',
    returned: 'Lines returned',
    refused: 'Not accepted by HQ',
  },
  void: 'Void',
  confirmTitle: 'Void this transaction?',
  confirm: 'Void transaction',
  // The sheet's way out: in French "Annuler" would read as the void itself.
  keep: 'Cancel',
  facts: {
    transaction: 'Transaction',
    recorded: 'Recorded',
    reason: 'Reason',
  },
  warning: 'The void reverses its points exactly, and cannot be undone.',
};

const fr: Translation<typeof en> = {
  title: 'Annulation',
  reason: "Motif d'annulation",
  sayWhy: 'Indiquez pourquoi, par ex. « Marchandise rendue »',
  notVoided: 'Non annulée : {{message}}',
  voided: 'Transaction annulée',
  voidedBalance: 'Transaction annulée. Nouveau solde {{balance}}',
  none: "Cette caisse n'a aucune transaction pour ce membre.",
  recent: 'Transactions récentes',
  badges: {
    voided: 'Annulée',
    returned: 'Lignes retournées',
    refused: 'Refusée par le siège',
  },
  void: 'Annuler',
  confirmTitle: 'Annuler cette transaction ?',
  confirm: 'Annuler la transaction',
  keep: 'Garder la transaction',
  facts: {
    transaction: 'Transaction',
    recorded: 'Enregistrée',
    reason: 'Motif',
  },
  warning: "L'annulation reprend exactement ses points et ne peut pas être défaite.",
};

export const voidWords = { en, fr };

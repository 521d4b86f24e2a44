// The words of a recorded event as the counter lists it (the member's history, the void panel) and where
// HQ stands on it: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  enrolled: 'Enrolled',
  enrolledWelcome: 'Enrolled: {{points}} welcome',
  earned: 'Sale {{total}}: {{points}}',
  earnedOnCard: 'Sale {{total}} on card {{card}}, for its member at HQ: {{points}}',
  redeemed: 'Redeemed {{reward}}: {{points}}',
  adjusted: 'Adjustment ({{reason}}): {{points}}',
  // The reason codes of an adjustment (src-shared/ledger/events.ts adjustmentReasons).
  reasons: {
    goodwill: 'goodwill',
    correction: 'correction',
    fraud: 'fraud',
    migration: 'migration',
    other: 'other',
  },
  // One sentence per bonus kind (src-shared/ledger/events.ts bonusKinds).
  bonus: {
    welcome: 'welcome bonus: {{points}}',
    referral: 'referral bonus: {{points}}',
    birthday: 'birthday bonus: {{points}}',
    action: 'action bonus: {{points}}',
    plan: 'plan bonus: {{points}}',
    campaign: 'campaign bonus: {{points}}',
  },
  voided: 'Void of {{what}}',
  returned_one: 'Return of {{count}} item: {{points}}',
  returned_other: 'Return of {{count}} items: {{points}}',
  updated: 'Details updated',
  sync: {
    local: 'pending',
    posted: 'posted',
    flagged: 'flagged for review',
    refused: 'refused by HQ',
  },
};

const fr: Translation<typeof en> = {
  enrolled: 'Inscription',
  enrolledWelcome: 'Inscription : {{points}} de bienvenue',
  earned: 'Vente {{total}} : {{points}}',
  earnedOnCard: 'Vente {{total}} sur la carte {{card}}, pour son membre au siège : {{points}}',
  redeemed: 'Échange {{reward}} : {{points}}',
  adjusted: 'Ajustement ({{reason}}) : {{points}}',
  reasons: {
    goodwill: 'geste commercial',
    correction: 'correction',
    fraud: 'fraude',
    migration: 'reprise',
    other: 'autre',
  },
  bonus: {
    welcome: 'bonus de bienvenue : {{points}}',
    referral: 'bonus de parrainage : {{points}}',
    birthday: "bonus d'anniversaire : {{points}}",
    action: 'bonus action : {{points}}',
    plan: 'bonus de programme : {{points}}',
    campaign: 'bonus de campagne : {{points}}',
  },
  voided: 'Annulation : {{what}}',
  ...frenchPlural(
    'returned',
    'Retour de {{count}} article : {{points}}',
    'Retour de {{count}} articles : {{points}}',
  ),
  updated: 'Coordonnées modifiées',
  sync: {
    local: 'en attente',
    posted: 'transmis',
    flagged: 'signalé pour contrôle',
    refused: 'refusé par le siège',
  },
};

export const eventsWords = { en, fr };

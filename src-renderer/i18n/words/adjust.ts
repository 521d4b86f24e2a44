// The words of the manager's points adjustment: English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  title: 'Adjust points',
  reasonCode: 'Reason code',
  choose: 'Choose…',
  // The fixed reason codes HQ reports by (adjustmentReasons in src-shared/ledger/events.ts).
  reasons: {
    goodwill: 'Goodwill',
    correction: 'Correction',
    fraud: 'Fraud',
    migration: 'Migration',
    other: 'Other',
  },
  points: 'Points',
  pointsHint: '+50 adds points, -20 takes them away.',
  note: 'Note',
  chooseReason: 'Choose a reason code',
  pointsProblem: 'A whole number of points, not zero: +50 adds, -20 takes away',
  noteTooLong: 'At most 200 characters',
  notAdjusted: 'Not adjusted: {{message}}',
  adjusted: 'Points adjusted: {{change}}',
  adjustedBalance: 'Points adjusted: {{change}}. New balance {{balance}}',
  submit: 'Adjust',
};

const fr: Translation<typeof en> = {
  title: 'Ajuster les points',
  reasonCode: 'Code motif',
  choose: 'Choisir…',
  reasons: {
    goodwill: 'Geste commercial',
    correction: 'Correction',
    fraud: 'Fraude',
    migration: 'Migration',
    other: 'Autre',
  },
  points: 'Points',
  pointsHint: '+50 ajoute des points, -20 en retire.',
  note: 'Note',
  chooseReason: 'Choisissez un code motif',
  pointsProblem: 'Un nombre entier de points, pas zéro : +50 ajoute, -20 retire',
  noteTooLong: '200 caractères au plus',
  notAdjusted: 'Non ajusté : {{message}}',
  adjusted: 'Points ajustés : {{change}}',
  adjustedBalance: 'Points ajustés : {{change}}. Nouveau solde {{balance}}',
  submit: 'Ajuster',
};

export const adjustWords = { en, fr };

// The words of the manager's sync queue panel: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Sync queue',
  waiting_one: '{{count}} event waits for HQ.',
  waiting_other: '{{count}} events wait for HQ.',
  lastPull: 'Last complete pull {{when}}.',
  noPull: 'No complete pull yet.',
  lastProblem: 'Last problem: {{message}}',
  syncNow: 'Sync now',
  nothing: 'Nothing needs attention.',
  attention: 'Needs attention',
  noReason: 'HQ gave no reason.',
  statuses: {
    flagged: 'Flagged for review',
    quarantined: 'Quarantined',
    conflict: 'Conflict',
    rejected: 'Rejected',
  },
  types: {
    'bonus-awarded': 'Bonus awarded',
    'event-voided': 'Void',
    'member-enrolled': 'Member enrolled',
    'member-updated': 'Member updated',
    'plan-joined': 'Plan joined',
    'points-adjusted': 'Points adjusted',
    'points-earned': 'Points earned',
    'points-expired': 'Points expired',
    'points-redeemed': 'Points redeemed',
    'points-returned': 'Points returned',
    'tier-changed': 'Tier changed',
  },
};

const fr: Translation<typeof en> = {
  title: "File d'envoi",
  ...frenchPlural(
    'waiting',
    '{{count}} événement attend le siège.',
    '{{count}} événements attendent le siège.',
  ),
  lastPull: 'Dernière réception complète {{when}}.',
  noPull: 'Aucune réception complète pour le moment.',
  lastProblem: 'Dernier problème : {{message}}',
  syncNow: 'Synchroniser',
  nothing: "Rien n'attend votre attention.",
  attention: 'À traiter',
  noReason: "Le siège n'a pas donné de raison.",
  statuses: {
    flagged: 'Signalé pour contrôle',
    quarantined: 'En quarantaine',
    conflict: 'Conflit',
    rejected: 'Refusé',
  },
  types: {
    'bonus-awarded': 'Bonus attribué',
    'event-voided': 'Annulation',
    'member-enrolled': 'Membre inscrit',
    'member-updated': 'Membre modifié',
    'plan-joined': 'Formule souscrite',
    'points-adjusted': 'Points ajustés',
    'points-earned': 'Points gagnés',
    'points-expired': 'Points expirés',
    'points-redeemed': 'Points utilisés',
    'points-returned': 'Points repris',
    'tier-changed': 'Niveau changé',
  },
};

export const syncQueueWords = { en, fr };

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
};

export const syncQueueWords = { en, fr };

// The words of the manager's day close panel: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Day close',
  run: 'Run day close',
  offlineHint:
    "HQ can't be reached right now. A close run now is saved on this till and runs by itself when HQ answers.",
  running: 'Sending pending events and comparing with HQ…',
  couldNotRun: 'The day close could not run: {{message}}',
  and: '{{list}} and {{last}}',
  waiting_one:
    "HQ can't be reached. The close of {{days}} is saved on this till and runs by itself when HQ answers; nothing is lost. {{events}}",
  waiting_other:
    "HQ can't be reached. The closes of {{days}} are saved on this till and run by themselves when HQ answers; nothing is lost. {{events}}",
  allSent: 'Every event has been sent.',
  unsent_one: '{{count}} event waits to be sent.',
  unsent_other: '{{count}} events wait to be sent.',
  when: '{{day}}, run {{time}}',
  figures_one: '{{count}} event ({{first}}–{{last}}), {{issued}} issued, {{redeemed}} redeemed',
  figures_other: '{{count}} events ({{first}}–{{last}}), {{issued}} issued, {{redeemed}} redeemed',
  matches: 'Day close matches HQ: {{when}}',
  failed: 'Day close failed: {{when}}. Try again when HQ is reachable.',
  mismatch: 'Day close does not match HQ: {{when}}',
  differences: 'Close differences',
};

const fr: Translation<typeof en> = {
  title: 'Clôture du jour',
  run: 'Lancer la clôture',
  offlineHint:
    'Le siège est injoignable pour le moment. Une clôture lancée maintenant est gardée sur cette caisse et se fait toute seule quand le siège répond.',
  running: 'Envoi des événements en attente et comparaison avec le siège…',
  couldNotRun: "La clôture n'a pas pu se faire : {{message}}",
  and: '{{list}} et {{last}}',
  ...frenchPlural(
    'waiting',
    'Le siège est injoignable. La clôture du {{days}} est gardée sur cette caisse et se fera toute seule quand le siège répondra ; rien n’est perdu. {{events}}',
    'Le siège est injoignable. Les clôtures des {{days}} sont gardées sur cette caisse et se feront toutes seules quand le siège répondra ; rien n’est perdu. {{events}}',
  ),
  allSent: 'Tous les événements ont été envoyés.',
  ...frenchPlural(
    'unsent',
    '{{count}} événement attend d’être envoyé.',
    '{{count}} événements attendent d’être envoyés.',
  ),
  when: '{{day}}, faite à {{time}}',
  ...frenchPlural(
    'figures',
    '{{count}} événement ({{first}}–{{last}}), {{issued}} émis, {{redeemed}} utilisés',
    '{{count}} événements ({{first}}–{{last}}), {{issued}} émis, {{redeemed}} utilisés',
  ),
  matches: 'La clôture concorde avec le siège : {{when}}',
  failed: 'La clôture a échoué : {{when}}. Réessayez quand le siège sera joignable.',
  mismatch: 'La clôture ne concorde pas avec le siège : {{when}}',
  differences: 'Écarts de clôture',
};

export const dayCloseWords = { en, fr };

// The words of enrolling a terminal with HQ: English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  title: 'Enroll this terminal',
  lead: "This terminal is not linked to a store yet. Enter the one-time code from HQ's admin and a name for this till.",
  code: 'Enrollment code',
  name: 'Terminal name',
  codeMissing: 'Enter the enrollment code from HQ',
  codeShort: 'An enrollment code has at least 6 characters',
  nameMissing: 'Give this till a name, e.g. "Till 2"',
  enrolled: "Terminal enrolled. Getting the store's data…",
  submit: 'Enroll terminal',
  checkAgain: 'Check again',
  hostSilent: 'The terminal host did not answer: {{message}}',
  errors: {
    offline: 'HQ cannot be reached. Check the network and try again.',
    rejected: 'HQ did not accept this code. Check it, or ask HQ for a new one (codes work once and expire).',
    unauthorised: 'HQ did not accept this code. Ask HQ for a new one.',
    'upgrade-required': 'HQ needs a newer version of this terminal.',
    'server-error': 'HQ has a problem right now. Try again in a minute.',
  },
};

const fr: Translation<typeof en> = {
  title: 'Inscrire ce terminal',
  lead: "Ce terminal n'est encore rattaché à aucun magasin. Saisissez le code à usage unique donné par l'administration du siège et un nom pour cette caisse.",
  code: "Code d'inscription",
  name: 'Nom du terminal',
  codeMissing: "Saisissez le code d'inscription donné par le siège",
  codeShort: "Un code d'inscription a au moins 6 caractères",
  nameMissing: 'Donnez un nom à cette caisse, par ex. « Caisse 2 »',
  enrolled: 'Terminal inscrit. Réception des données du magasin…',
  submit: 'Inscrire le terminal',
  checkAgain: 'Vérifier à nouveau',
  hostSilent: "L'hôte du terminal n'a pas répondu : {{message}}",
  errors: {
    offline: 'Le siège est injoignable. Vérifiez le réseau et réessayez.',
    rejected:
      "Le siège n'a pas accepté ce code. Vérifiez-le, ou demandez-en un nouveau (un code ne sert qu'une fois et expire).",
    unauthorised: "Le siège n'a pas accepté ce code. Demandez-en un nouveau au siège.",
    'upgrade-required': 'Le siège demande une version plus récente de ce terminal.',
    'server-error': 'Le siège rencontre un problème. Réessayez dans une minute.',
  },
};

export const enrollTerminalWords = { en, fr };

// The counter's words in French (France and Belgium alike). Typed as en.ts's shape: a key missing here, or
// one en.ts does not have, fails to compile.
import type { Messages } from './en.js';

/**
 * A French plural: CLDR gives French a third form, "many", for millions ("1 000 000 de points"), which
 * i18next asks for and English lacks; the counter words it as the plural.
 */
const plural = <K extends string>(key: K, one: string, other: string) =>
  ({ [`${key}_one`]: one, [`${key}_other`]: other, [`${key}_many`]: other }) as Record<
    `${K}_one` | `${K}_other` | `${K}_many`,
    string
  >;

export const fr: Messages = {
  boot: {
    product: 'Terminal de fidélité',
    opening: 'Ouverture du terminal…',
    failedTitle: "Le terminal n'a pas pu démarrer",
    failedHint: "Réessayez. Si cela se reproduit, appelez votre responsable ou l'assistance informatique.",
    tryAgain: 'Réessayer',
    noHost:
      "Cette page fonctionne dans l'application du terminal. Lancez-la avec le terminal, pas dans un simple onglet de navigateur.",
    gettingData: 'Réception des données du magasin depuis le siège',
    arriving: 'Les membres, les produits, le programme et la liste du personnel arrivent.',
    waitingForHq:
      'En attente du siège : le terminal doit joindre le siège une première fois avant de pouvoir servir.',
  },
  enrollTerminal: {
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
  },
  replication: {
    bar: 'Réplication initiale',
    received: '{{formatted}} reçus',
    done: ' · terminé',
    collections: {
      members: 'Membres',
      products: 'Produits',
      programs: 'Programmes',
      cashiers: 'Caissiers',
    },
  },
  status: {
    bar: 'État du terminal',
    online: 'En ligne',
    offline: 'Hors ligne',
    offlineSince: 'Hors ligne depuis {{time}}',
    modes: { fresh: 'À jour', stale: 'Ancien', expired: 'Gain seulement' },
    nextModeIn: '{{mode}} dans {{countdown}}',
    pending: 'En attente : {{count}}',
    noSerialScanner: 'Pas de scanner série',
    scannerConnected: 'Scanner connecté',
    scannerDisconnected: 'Scanner déconnecté',
    cardReaderConnected: 'Lecteur de carte connecté',
    cardReaderDisconnected: 'Lecteur de carte déconnecté',
    printerPaperLow: 'Imprimante : papier bientôt épuisé',
    printerReady: 'Imprimante prête',
    printerConnecting: 'Imprimante en connexion',
    printerDisconnected: 'Imprimante déconnectée',
    printerProblem: 'Imprimante : {{problem}}',
    printerProblems: {
      'out-of-paper': 'plus de papier',
      'cover-open': 'capot ouvert',
      offline: 'hors ligne',
      'not-answering': 'ne répond pas',
      error: 'erreur',
    },
    manager: '{{name}} (responsable)',
    signOut: 'Se déconnecter',
    signOutTitle: 'Se déconnecter et annuler la vente ?',
    signOutConfirm: 'Abandonner et se déconnecter',
    keepSale: 'Garder la vente',
    thrownAway: '{{what}} sera abandonné : aucun point ne sera enregistré.',
    theSale: 'La vente',
    linkErrors: {
      'not-enrolled': 'Terminal non inscrit',
      unauthorised: 'Le siège refuse ce terminal : inscrivez-le à nouveau',
      'upgrade-required': 'Mise à jour nécessaire : le siège demande un terminal plus récent',
      'server-error': 'Le siège rencontre un problème : nouvel essai',
      other: 'Le siège a refusé une demande',
    },
  },
  devices: {
    title: 'Périphériques',
    none: "Aucun scanner série, lecteur de carte ni imprimante de tickets n'est configuré. Les scanners clavier fonctionnent sans réglage.",
    roles: { barcode: 'Scanner', card: 'Lecteur de carte', printer: 'Imprimante de tickets' },
    states: {
      connecting: 'Connexion',
      connected: 'Connecté',
      disconnected: 'Déconnecté',
      error: 'Erreur',
    },
    lastSlip: 'Dernier ticket : {{when}}',
    lastFrame: 'Dernière trame : {{when}}',
    noneYet: 'aucune pour le moment',
    ...plural('slipsPrinted', '{{count}} ticket imprimé', '{{count}} tickets imprimés'),
    frames: '{{frames}} trames, {{rejected}} illisibles',
  },
  syncQueue: {
    title: "File d'envoi",
    ...plural('waiting', '{{count}} événement attend le siège.', '{{count}} événements attendent le siège.'),
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
  },
};

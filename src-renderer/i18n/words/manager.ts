// The words of the manager's screen and what its member panels share (an event's standing with HQ):
// English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  title: 'Manager',
  approvedBy: 'Approved by {{name}}',
  leave: 'Leave manager',
  scansIgnored: 'Scans are ignored on the manager screen: leave it to serve a customer.',
  noMemberTitle: 'Adjust points',
  noMemberHint: 'Open a member first (scan their card), then choose Manager to adjust or void.',
  loadingMember: 'Loading the member…',
  // <name/> is the member's name, in bold.
  forMember: 'For <name/>: {{points}}',
  // Where one of this terminal's events stands with HQ, as the void and return lists show it.
  eventStatuses: {
    local: 'waiting for HQ',
    posted: 'posted',
    flagged: 'flagged',
    quarantined: 'quarantined',
    conflict: 'conflict',
    rejected: 'rejected',
  },
};

const fr: Translation<typeof en> = {
  title: 'Responsable',
  approvedBy: 'Autorisé par {{name}}',
  leave: "Quitter l'espace responsable",
  scansIgnored: "Les scans sont ignorés sur l'écran responsable : quittez-le pour servir un client.",
  noMemberTitle: 'Ajuster les points',
  noMemberHint:
    "Ouvrez d'abord un membre (scannez sa carte), puis choisissez Responsable pour ajuster ou annuler.",
  loadingMember: 'Chargement du membre…',
  forMember: 'Pour <name/> : {{points}}',
  eventStatuses: {
    local: 'en attente du siège',
    posted: 'enregistré',
    flagged: 'signalé',
    quarantined: 'en quarantaine',
    conflict: 'conflit',
    rejected: 'refusé',
  },
};

export const managerWords = { en, fr };

// The words of the member at the counter (the member screen, the balance, the tier, the recent
// transactions, the slip on screen): English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  productUnknown: 'Product {{code}} is not in the catalog. Start a sale and key in the amount.',
  loading: 'Loading the member…',
  notFound: 'Member not found',
  notKnown: 'This member is not known at this terminal any more.',
  done: 'Done',
  member: 'Member',
  provisional: 'New: waiting for HQ',
  // Only an account that is not active is named (src-shared/ledger/member.ts memberStatusSchema).
  accountBadge: { blocked: 'Account blocked', closed: 'Account closed' },
  accountStopped: {
    blocked:
      'This account is blocked: no points can be earned or redeemed. Ask the customer to contact customer service.',
    closed:
      'This account is closed: no points can be earned or redeemed. Ask the customer to contact customer service.',
  },
  newSale: 'New sale',
  redeem: 'Redeem',
  plans: 'Plans & actions',
  manager: 'Manager',
  offlineTooLong: 'Offline too long: points can be earned, not redeemed.',
  facts: {
    card: 'Card {{card}}',
    noCard: 'No card',
    phone: 'Phone …{{last4}}',
    since: 'Member since {{month}}',
  },
  balance: {
    title: 'Balance',
    pending: '({{points}} pending)',
    provisional: 'New member: HQ has not confirmed any points yet.',
    confirmed: 'Confirmed by HQ: {{points}}',
    owes: 'Owes {{points}}: taken from the next points earned.',
    expiring: '{{points}} expire within {{days}} days',
    offlineAllowance: 'Offline allowance: {{points}}',
  },
  tier: {
    title: 'Tier',
    label: 'Tier:',
    none: 'None yet',
    perks: 'Perks: {{perks}}',
    progress: 'Tier progress',
    toNext: '{{amount}} to {{tier}}',
    top: 'Top tier reached',
  },
  history: {
    none: 'No transactions at this till yet.',
    summary: 'Recent transactions ({{shown}})',
  },
  slip: {
    region: "Member's slip",
    title: 'Slip',
    printing: 'Printing…',
    printed: 'Printed.',
    close: 'Close slip',
  },
};

const fr: Translation<typeof en> = {
  productUnknown: "Le produit {{code}} n'est pas au catalogue. Commencez une vente et saisissez le montant.",
  loading: 'Chargement du membre…',
  notFound: 'Membre introuvable',
  notKnown: "Ce membre n'est plus connu de ce terminal.",
  done: 'Terminé',
  member: 'Membre',
  provisional: 'Nouveau : en attente du siège',
  accountBadge: { blocked: 'Compte bloqué', closed: 'Compte clôturé' },
  accountStopped: {
    blocked:
      'Ce compte est bloqué : aucun point ne peut être gagné ni échangé. Invitez le client à contacter le service client.',
    closed:
      'Ce compte est clôturé : aucun point ne peut être gagné ni échangé. Invitez le client à contacter le service client.',
  },
  newSale: 'Nouvelle vente',
  redeem: 'Échanger',
  plans: 'Offres et actions',
  manager: 'Responsable',
  offlineTooLong: "Hors ligne depuis trop longtemps : les points se gagnent, mais ne s'échangent pas.",
  facts: {
    card: 'Carte {{card}}',
    noCard: 'Aucune carte',
    phone: 'Tél. …{{last4}}',
    since: 'Membre depuis {{month}}',
  },
  balance: {
    title: 'Solde',
    pending: '({{points}} en attente)',
    provisional: "Nouveau membre : le siège n'a encore confirmé aucun point.",
    confirmed: 'Confirmé par le siège : {{points}}',
    owes: 'Doit {{points}} : déduits des prochains points gagnés.',
    expiring: "{{points}} expirent d'ici {{days}} jours",
    offlineAllowance: 'Plafond hors ligne : {{points}}',
  },
  tier: {
    title: 'Niveau',
    label: 'Niveau :',
    none: 'Aucun pour le moment',
    perks: 'Avantages : {{perks}}',
    progress: 'Progression vers le niveau suivant',
    toNext: '{{amount}} avant {{tier}}',
    top: 'Niveau le plus élevé atteint',
  },
  history: {
    none: 'Aucune transaction à cette caisse pour le moment.',
    summary: 'Transactions récentes ({{shown}})',
  },
  slip: {
    region: 'Ticket du membre',
    title: 'Ticket',
    printing: 'Impression…',
    printed: 'Imprimé.',
    close: 'Fermer le ticket',
  },
};

export const memberWords = { en, fr };

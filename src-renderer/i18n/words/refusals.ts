// The words of the counter's refusals: why something was not recorded, said from the refusal's reason and
// figures (i18n/refusals.ts), never from its English message. English is word for word the message the
// services and src-shared's rules write (HQ keeps those in its API and logs); French says the same. Every
// reason of every union has its text: the tables are typed as Records over the unions, so a reason added
// without words does not compile.
import type { ActionPeriod, ActionRefusal } from '../../../src-shared/engine/actions.js';
import type { PlanRefusal } from '../../../src-shared/engine/plans.js';
import type { RedemptionRefusalReason } from '../../../src-shared/engine/redemption.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { ReturnRefusalReason } from '../../../src-shared/ledger/returns.js';
import type { VoidRefusalReason } from '../../../src-shared/ledger/voids.js';
import type { RejectionReason } from '../../../src-shared/scan/result.js';
import type { EventSyncStatus } from '../../db/schemas.js';
import type { CounterSaying, RefusalReason } from '../../services/counter-types.js';
import { frenchPlural, type Translation } from '../translation.js';

/** What every language says: one text per reason of each union. */
interface RefusalTexts {
  counter: Record<CounterSaying, string>;
  redemption: Record<RedemptionRefusalReason, string>;
  plan: Record<PlanRefusal['reason'], string>;
  action: Record<ActionRefusal['reason'], string>;
  // 'no-line': the one unknown-line refusal without a line (a return naming none).
  return: Record<ReturnRefusalReason | 'no-line', string>;
  void: Record<VoidRefusalReason, string>;
  /** A refusal that came without its words (none today): the reason alone, in general terms. */
  reason: Record<RefusalReason, string>;
  /** A member's status as the messages name it. */
  status: Record<Member['status'], string>;
  /** Where an event stands with HQ, as "not accepted by HQ (conflict)" names it. */
  eventStatus: Record<EventSyncStatus, string>;
  /** An action's limit period: "already given 2 times this week". */
  period: Record<ActionPeriod, string>;
  /** A field's problem beside the field (enrollment): the services' two, and any other in general terms. */
  problems: { phone: string; displayName: string; invalid: string };
  /**
   * A scan the till could not take: src-shared/scan's rejections (word for word REJECTION_MESSAGES in
   * English), and a scan before any screen takes scans (hooks/use-scans.tsx).
   */
  scan: Record<RejectionReason | 'notReady', string>;
  /** A hotkey's name on a button where it is not the key's own (components/action-button.tsx). */
  keys: { escape: string };
}

const en = {
  counter: {
    'no-program': 'No loyalty program has been received from HQ yet',
    'member-unknown': 'This member is not known at this terminal',
    'card-earn-only': 'This card is not known at this terminal: only the points of a sale can be added to it',
    'not-enrolled': 'This terminal is not enrolled with HQ yet',
    'input-invalid': 'The input is not valid',
    'basket-invalid': 'The basket is not valid',
    'basket-currency': 'The basket is in {{basket}} but the program counts in {{program}}',
    'member-inactive-earn': 'This member account is {{status}}: no points',
    'phone-invalid': '"{{raw}}" is not a phone number',
    'phone-key-missing':
      'This terminal has no phone key from HQ: enroll it again to look up or record phone numbers',
    'card-in-use': 'Card {{card}} already belongs to {{holder}}',
    'card-in-use-unnamed': 'Card {{card}} already belongs to another member',
    'display-name': 'A display name is 1 to 40 characters',
    'nothing-to-change': 'Nothing to change',
    'adjust-zero': 'An adjustment is a whole number of points, never zero',
    'adjust-reason-code': 'Unknown reason code "{{code}}"',
    'manager-required': 'This needs a manager of this store',
    'void-event-unknown': 'This terminal has no such transaction',
    'void-already': 'This transaction was already voided',
    'void-not-counted': 'This transaction was not accepted by HQ ({{status}})',
    'void-not-voidable': 'Only earned, redeemed, adjusted or bonus points can be voided',
    'void-reason': 'A void needs a reason (at most 200 characters)',
    'return-event-unknown': 'This terminal has no such sale for this member',
    'return-reason': 'A return needs a reason (at most 200 characters)',
    'return-program': 'Program v{{version}} of this sale is not at this terminal',
    'return-voided': 'This sale was voided: its points were already taken back',
    'return-not-counted': 'This sale was not accepted by HQ ({{status}})',
    'return-not-returnable': 'Only the lines of a sale that earned points can be returned',
    'all-returned': 'Every line of this sale was returned',
  },
  redemption: {
    'reward-unknown': 'Unknown reward "{{rewardId}}"',
    'reward-inactive': '"{{reward}}" is not available any more',
    'member-inactive': 'This member account is {{status}}: no redemption',
    'tier-only': '"{{reward}}" is for {{tiers}} members only',
    'over-transaction-limit': 'At most {{max}} × "{{reward}}" per transaction',
    'insufficient-points': 'Not enough points: needs {{cost}}, has {{available}}',
    'earn-only-mode': 'Offline too long: points can be earned but not redeemed until HQ is reachable',
    'needs-manager-override': 'Offline limit is {{allowanceLeft}}: a manager can approve the other {{above}}',
    'over-offline-allowance':
      'Offline limit for this member reached: {{used}} of {{limit}} used since HQ became unreachable ("{{reward}}" needs {{cost}})',
  },
  plan: {
    'plan-unknown': 'Unknown plan "{{planId}}"',
    'member-inactive': 'This member account is {{status}}: no plan',
    'plan-active': 'Already a {{plan}} member until {{until}}: sell it again once it has ended',
  },
  action: {
    'action-unknown': 'Unknown action "{{actionId}}"',
    'member-inactive': 'This member account is {{status}}: no bonus',
    'limit-reached': '"{{action}}" already given {{times}} {{period}} (limit {{limit}})',
  },
  return: {
    'not-returnable': 'Only the lines of a sale that earned points can be returned',
    'not-counted': 'Sale {{id}} was not accepted by HQ: there is nothing to take back',
    'other-member': 'Sale {{id}} belongs to another member',
    'differs-from-held': 'The returned sale differs from the copy held of event {{id}}',
    voided: 'Sale {{id}} was voided: its points were already taken back',
    'unknown-line': 'Sale {{id}} has no line {{line}} with SKU {{sku}} to return',
    'no-line': 'A return names at least one line',
    'beyond-quantity': 'Line {{line}} ({{sku}}) has {{left}} of {{quantity}} left to return, not {{asked}}',
  },
  void: {
    'not-voidable': 'Only earned, redeemed, adjusted or bonus points can be voided',
    'not-counted': 'Event {{id}} was not accepted by HQ: there is nothing to void',
    'other-member': 'Event {{id}} belongs to another member',
    'differs-from-held': 'The voided event differs from the copy held of event {{id}}',
    'already-voided': 'Event {{id}} was already voided',
    returned: 'Lines of sale {{id}} were returned: return the lines left instead of voiding it',
  },
  reason: {
    'reward-unknown': 'This reward is not in the program',
    'reward-inactive': 'This reward is not available any more',
    'member-inactive': 'This member account is not active',
    'tier-only': "This reward is not for this member's tier",
    'over-transaction-limit': 'Too many of this reward in one transaction',
    'insufficient-points': 'Not enough points',
    'earn-only-mode': 'Offline too long: points can be earned but not redeemed until HQ is reachable',
    'over-offline-allowance': 'Offline limit for this member reached',
    'needs-manager-override': 'Above the offline limit: a manager can approve it',
    'not-enrolled': 'This terminal is not enrolled with HQ yet',
    'no-program': 'No loyalty program has been received from HQ yet',
    'member-unknown': 'This member is not known at this terminal',
    invalid: 'The input is not valid',
    'card-in-use': 'This card already belongs to another member',
    'manager-required': 'This needs a manager of this store',
    'event-unknown': 'This terminal has no such transaction',
    'not-voidable': 'This transaction cannot be voided',
    'already-voided': 'This transaction was already voided',
    'plan-unknown': 'This plan is not in the program',
    'plan-active': 'This member already has a plan running',
    'action-unknown': 'This action is not in the program',
    'limit-reached': "This action's limit is reached",
    'not-returnable': 'This sale cannot be returned',
    'beyond-quantity': 'More units than are left to return',
  },
  status: { active: 'active', blocked: 'blocked', closed: 'closed' },
  // English names the status as stored, as the services' messages always have.
  eventStatus: {
    local: 'local',
    posted: 'posted',
    flagged: 'flagged',
    quarantined: 'quarantined',
    conflict: 'conflict',
    rejected: 'rejected',
  },
  period: { day: 'today', week: 'this week', month: 'this month', year: 'this year', lifetime: 'in total' },
  problems: { phone: 'not a phone number', displayName: '1 to 40 characters', invalid: 'not valid' },
  scan: {
    garbage: 'The scan could not be read (check the scanner settings). Please scan again.',
    'too-long': 'The scan was too long to be a barcode or a card. Please scan again.',
    empty: 'Nothing was read. Please scan again.',
    'bad-check-digit': 'The barcode was misread. Please scan it again or key in the number.',
    'unknown-format': 'This code is not one the till recognises.',
    'bad-gs1': 'The barcode data is not valid. Please scan it again or key in the product.',
    'bad-track': 'The card was not read completely. Please swipe it again.',
    notReady: 'The till is not ready for scans yet: scan again once it is.',
  },
  keys: { escape: 'Esc' },
  times_one: '{{count}} time',
  times_other: '{{count}} times',
} satisfies RefusalTexts & { times_one: string; times_other: string };

const fr: Translation<typeof en> = {
  counter: {
    'no-program': "Aucun programme de fidélité n'a encore été reçu du siège",
    'member-unknown': "Ce membre n'est pas connu de ce terminal",
    'card-earn-only':
      "Cette carte n'est pas connue de ce terminal : seuls les points d'une vente peuvent y être ajoutés",
    'not-enrolled': "Ce terminal n'est pas encore enregistré auprès du siège",
    'input-invalid': 'La saisie est invalide',
    'basket-invalid': "Le panier n'est pas valide",
    'basket-currency': 'Le panier est en {{basket}} mais le programme compte en {{program}}',
    'member-inactive-earn': 'Ce compte membre est {{status}} : aucun point',
    'phone-invalid': "« {{raw}} » n'est pas un numéro de téléphone",
    'phone-key-missing':
      "Ce terminal n'a pas de clé téléphone du siège : enregistrez-le à nouveau pour rechercher ou saisir des numéros de téléphone",
    'card-in-use': 'La carte {{card}} appartient déjà à {{holder}}',
    'card-in-use-unnamed': 'La carte {{card}} appartient déjà à un autre membre',
    'display-name': 'Le nom affiché compte de 1 à 40 caractères',
    'nothing-to-change': 'Rien à modifier',
    'adjust-zero': 'Un ajustement est un nombre entier de points, jamais zéro',
    'adjust-reason-code': 'Code de motif inconnu « {{code}} »',
    'manager-required': 'Cette opération demande un responsable de ce magasin',
    'void-event-unknown': "Ce terminal n'a pas cette transaction",
    'void-already': 'Cette transaction a déjà été annulée',
    'void-not-counted': "Cette transaction n'a pas été acceptée par le siège ({{status}})",
    'void-not-voidable': 'Seuls des points gagnés, échangés, ajustés ou offerts peuvent être annulés',
    'void-reason': 'Une annulation demande un motif (200 caractères au plus)',
    'return-event-unknown': "Ce terminal n'a pas cette vente pour ce membre",
    'return-reason': 'Un retour demande un motif (200 caractères au plus)',
    'return-program': "Le programme v{{version}} de cette vente n'est pas sur ce terminal",
    'return-voided': 'Cette vente a été annulée : ses points ont déjà été repris',
    'return-not-counted': "Cette vente n'a pas été acceptée par le siège ({{status}})",
    'return-not-returnable':
      "Seules les lignes d'une vente qui a rapporté des points peuvent être retournées",
    'all-returned': 'Toutes les lignes de cette vente ont été retournées',
  },
  redemption: {
    'reward-unknown': 'Récompense inconnue « {{rewardId}} »',
    'reward-inactive': "« {{reward}} » n'est plus disponible",
    'member-inactive': 'Ce compte membre est {{status}} : aucun échange',
    'tier-only': '« {{reward}} » est réservé aux membres {{tiers}}',
    'over-transaction-limit': 'Au plus {{max}} × « {{reward}} » par transaction',
    'insufficient-points': 'Points insuffisants : il en faut {{cost}}, le membre en a {{available}}',
    'earn-only-mode':
      "Hors ligne depuis trop longtemps : les points se gagnent, mais ne s'échangent pas avant le retour du siège",
    'needs-manager-override':
      'Le plafond hors ligne est de {{allowanceLeft}} : un responsable peut autoriser les {{above}} restants',
    'over-offline-allowance':
      'Plafond hors ligne de ce membre atteint : {{used}} sur {{limit}} utilisés depuis que le siège est injoignable (« {{reward}} » en demande {{cost}})',
  },
  plan: {
    'plan-unknown': 'Formule inconnue « {{planId}} »',
    'member-inactive': 'Ce compte membre est {{status}} : aucune formule',
    'plan-active': "Déjà membre {{plan}} jusqu'au {{until}} : vendez-la à nouveau une fois terminée",
  },
  action: {
    'action-unknown': 'Action inconnue « {{actionId}} »',
    'member-inactive': 'Ce compte membre est {{status}} : aucun bonus',
    'limit-reached': '« {{action}} » déjà attribuée {{times}} {{period}} (limite {{limit}})',
  },
  return: {
    'not-returnable': "Seules les lignes d'une vente qui a rapporté des points peuvent être retournées",
    'not-counted': "La vente {{id}} n'a pas été acceptée par le siège : il n'y a rien à reprendre",
    'other-member': 'La vente {{id}} appartient à un autre membre',
    'differs-from-held': "La vente retournée diffère de la copie conservée de l'événement {{id}}",
    voided: 'La vente {{id}} a été annulée : ses points ont déjà été repris',
    'unknown-line': "La vente {{id}} n'a pas de ligne {{line}} avec le code article {{sku}} à retourner",
    'no-line': 'Un retour nomme au moins une ligne',
    'beyond-quantity':
      'Il reste {{left}} sur {{quantity}} à retourner sur la ligne {{line}} ({{sku}}), pas {{asked}}',
  },
  void: {
    'not-voidable': 'Seuls des points gagnés, échangés, ajustés ou offerts peuvent être annulés',
    'not-counted': "L'événement {{id}} n'a pas été accepté par le siège : il n'y a rien à annuler",
    'other-member': "L'événement {{id}} appartient à un autre membre",
    'differs-from-held': "L'événement annulé diffère de la copie conservée de l'événement {{id}}",
    'already-voided': "L'événement {{id}} a déjà été annulé",
    returned:
      "Des lignes de la vente {{id}} ont été retournées : retournez les lignes restantes au lieu de l'annuler",
  },
  reason: {
    'reward-unknown': "Cette récompense n'est pas au programme",
    'reward-inactive': "Cette récompense n'est plus disponible",
    'member-inactive': "Ce compte membre n'est pas actif",
    'tier-only': "Cette récompense n'est pas accessible au niveau de ce membre",
    'over-transaction-limit': 'Trop de fois cette récompense dans une même transaction',
    'insufficient-points': 'Points insuffisants',
    'earn-only-mode':
      "Hors ligne depuis trop longtemps : les points se gagnent, mais ne s'échangent pas avant le retour du siège",
    'over-offline-allowance': 'Plafond hors ligne de ce membre atteint',
    'needs-manager-override': "Au-delà du plafond hors ligne : un responsable peut l'autoriser",
    'not-enrolled': "Ce terminal n'est pas encore enregistré auprès du siège",
    'no-program': "Aucun programme de fidélité n'a encore été reçu du siège",
    'member-unknown': "Ce membre n'est pas connu de ce terminal",
    invalid: 'La saisie est invalide',
    'card-in-use': 'Cette carte appartient déjà à un autre membre',
    'manager-required': 'Cette opération demande un responsable de ce magasin',
    'event-unknown': "Ce terminal n'a pas cette transaction",
    'not-voidable': 'Cette transaction ne peut pas être annulée',
    'already-voided': 'Cette transaction a déjà été annulée',
    'plan-unknown': "Cette formule n'est pas au programme",
    'plan-active': 'Ce membre a déjà une formule en cours',
    'action-unknown': "Cette action n'est pas au programme",
    'limit-reached': 'La limite de cette action est atteinte',
    'not-returnable': 'Cette vente ne peut pas être retournée',
    'beyond-quantity': "Plus d'unités qu'il n'en reste à retourner",
  },
  status: { active: 'actif', blocked: 'bloqué', closed: 'clôturé' },
  eventStatus: {
    local: 'en attente du siège',
    posted: 'enregistré',
    flagged: 'signalé',
    quarantined: 'en quarantaine',
    conflict: 'conflit',
    rejected: 'refusé',
  },
  period: {
    day: "aujourd'hui",
    week: 'cette semaine',
    month: 'ce mois-ci',
    year: 'cette année',
    lifetime: 'au total',
  },
  problems: {
    phone: "n'est pas un numéro de téléphone",
    displayName: 'de 1 à 40 caractères',
    invalid: 'invalide',
  },
  scan: {
    garbage: "Le scan n'a pas pu être lu (vérifiez les réglages du scanner). Scannez à nouveau.",
    'too-long': 'Le scan était trop long pour un code-barres ou une carte. Scannez à nouveau.',
    empty: "Rien n'a été lu. Scannez à nouveau.",
    'bad-check-digit': 'Le code-barres a été mal lu. Scannez-le à nouveau ou saisissez le numéro.',
    'unknown-format': "Ce code n'est pas reconnu par la caisse.",
    'bad-gs1': "Les données du code-barres ne sont pas valides. Scannez-le à nouveau ou saisissez l'article.",
    'bad-track': "La carte n'a pas été lue entièrement. Passez-la à nouveau.",
    notReady: "La caisse n'est pas encore prête pour les scans : scannez à nouveau dès qu'elle l'est.",
  },
  keys: { escape: 'Échap' },
  ...frenchPlural('times', '{{count}} fois', '{{count}} fois'),
};

export const refusalsWords = { en, fr };

// The words of the idle screen (finding a member by card, phone or name, the list of members found) and of
// the way to the manager screen: English, and French with exactly its keys.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  title: 'Scan a card or enter a phone number',
  productFirst: "That was a product. Scan the customer's loyalty card first.",
  typeSomething: 'Type a phone number or the first letters of a name',
  notAPhone: 'That is not a phone number. Type it with its area code, e.g. 087 123 4567.',
  noPhoneMatch: 'No member has this phone number. Check it, or enroll the customer.',
  noNameMatch: 'No member\'s name starts with "{{text}}".',
  enroll: 'Enroll new member',
  earnOnCard: 'Points on this card',
  manager: 'Manager',
  managerPurpose:
    "A manager's PIN opens the manager screen: sync queue, devices, day close, adjustments and voids.",
  search: 'Phone number or name',
  find: 'Find',
  ways: 'Ways to find a member',
  wayCard: 'Scan or swipe the loyalty card, or tap it on the reader',
  wayPhone: 'Type a phone number, e.g. 087 123 4567',
  wayName: 'Type the first letters of the name, e.g. Aoife',
  results: 'Members found',
  tooMany: 'More than {{limit}} members: type more of the name',
  found_one: '{{count}} member found',
  found_other: '{{count}} members found',
  memberResult: {
    card: 'card {{card}}',
    phone: 'phone …{{last4}}',
    since: 'since {{when}}',
    member: 'Member',
  },
};

const fr: Translation<typeof en> = {
  title: 'Scannez une carte ou saisissez un numéro de téléphone',
  productFirst: "C'était un produit. Scannez d'abord la carte de fidélité du client.",
  typeSomething: "Saisissez un numéro de téléphone ou les premières lettres d'un nom",
  notAPhone: "Ce n'est pas un numéro de téléphone. Saisissez-le avec son indicatif, par ex. 087 123 4567.",
  noPhoneMatch: "Aucun membre n'a ce numéro de téléphone. Vérifiez-le, ou inscrivez le client.",
  noNameMatch: 'Aucun nom de membre ne commence par « {{text}} ».',
  enroll: 'Inscrire un nouveau membre',
  earnOnCard: 'Points sur cette carte',
  manager: 'Responsable',
  managerPurpose:
    "Le code PIN d'un responsable ouvre l'écran responsable : file d'envoi, périphériques, clôture de la journée, ajustements et annulations.",
  search: 'Numéro de téléphone ou nom',
  find: 'Chercher',
  ways: 'Façons de trouver un membre',
  wayCard: 'Scannez ou passez la carte de fidélité, ou posez-la sur le lecteur',
  wayPhone: 'Saisissez un numéro de téléphone, par ex. 087 123 4567',
  wayName: 'Saisissez les premières lettres du nom, par ex. Aoife',
  results: 'Membres trouvés',
  tooMany: 'Plus de {{limit}} membres : saisissez davantage du nom',
  ...frenchPlural('found', '{{count}} membre trouvé', '{{count}} membres trouvés'),
  memberResult: {
    card: 'carte {{card}}',
    phone: 'tél. …{{last4}}',
    since: 'depuis {{when}}',
    member: 'Membre',
  },
};

export const idleWords = { en, fr };

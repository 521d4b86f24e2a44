// Words shared by the counter's screens (the dialogs' Cancel, a message's Dismiss, the on-screen keypad) and
// the answers to a scan (hooks/scan-outcome.ts): English, and French with exactly its keys.
import { type Translation } from '../translation.js';

const en = {
  cancel: 'Cancel',
  dismiss: 'Dismiss',
  keypad: {
    toggle: 'Keypad',
    clear: 'Clear',
    deleteLast: 'Delete last character',
    phone: 'Phone keypad',
  },
  scan: {
    paymentCardRefused: 'A payment card was swiped: refused, nothing kept.',
    unknownCode: 'Not a card or product this till knows: {{code}}',
    cardNotRegistered: 'Card {{card}} is not registered. Enroll the customer with it, or scan another card.',
    cardNotHere:
      "Card {{card}} is not on this till and HQ cannot be reached. Add this sale's points to the card: they go to its member when HQ is reached (nothing can be redeemed with it until then). Or enroll a new customer with it.",
    cardDuringSale: 'A card was scanned: finish or cancel this sale before changing member.',
    productAtEnroll: "That was a product: scan the new member's card.",
    notInCatalog: 'Product {{code}} is not in the catalog. Key in its amount and category instead.',
  },
};

const fr: Translation<typeof en> = {
  cancel: 'Annuler',
  dismiss: 'Fermer',
  keypad: {
    toggle: 'Clavier',
    clear: 'Effacer',
    deleteLast: 'Effacer le dernier caractère',
    phone: 'Clavier du téléphone',
  },
  scan: {
    paymentCardRefused: 'Une carte de paiement a été passée : refusée, rien de conservé.',
    unknownCode: 'Ni une carte ni un produit connus de cette caisse : {{code}}',
    cardNotRegistered:
      "La carte {{card}} n'est pas enregistrée. Inscrivez le client avec elle, ou scannez une autre carte.",
    cardNotHere:
      "La carte {{card}} n'est pas sur cette caisse et le siège est injoignable. Ajoutez les points de cette vente à la carte : ils iront à son membre quand le siège sera joint (aucun échange de points avec elle d'ici là). Ou inscrivez un nouveau client avec elle.",
    cardDuringSale: 'Une carte a été scannée : terminez ou annulez cette vente avant de changer de membre.',
    productAtEnroll: "C'était un produit : scannez la carte du nouveau membre.",
    notInCatalog: "Le produit {{code}} n'est pas au catalogue. Saisissez plutôt son montant et sa catégorie.",
  },
};

export const commonWords = { en, fr };

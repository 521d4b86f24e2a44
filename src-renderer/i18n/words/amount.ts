// The words of an amount keyed in that cannot be read (hooks/amount.ts): English, and French with exactly
// its keys. {{example}} is an amount written the store's way ("12.50" in en-IE, "12,50" in fr-FR), so the
// hint shows the decimal separator the cashier's customers use; both are read either way.
import { frenchPlural, type Translation } from '../translation.js';

const en = {
  empty: 'Enter an amount',
  negative: 'An amount cannot be negative',
  digitsOnly: 'Use digits only, e.g. {{example}}',
  notANumber: 'The amount is not a number, e.g. {{example}}',
  noDecimals: 'This currency has no decimals',
  decimals_one: 'Use at most {{count}} decimal, e.g. {{example}}',
  decimals_other: 'Use at most {{count}} decimals, e.g. {{example}}',
  tooLarge: 'The amount is too large',
  zero: 'The amount must be more than zero',
};

const fr: Translation<typeof en> = {
  empty: 'Saisissez un montant',
  negative: 'Un montant ne peut pas être négatif',
  digitsOnly: 'Chiffres uniquement, par exemple {{example}}',
  notANumber: "Ce n'est pas un montant, par exemple {{example}}",
  noDecimals: "Cette devise n'a pas de décimales",
  ...frenchPlural(
    'decimals',
    '{{count}} décimale au plus, par exemple {{example}}',
    '{{count}} décimales au plus, par exemple {{example}}',
  ),
  tooLarge: 'Le montant est trop élevé',
  zero: 'Le montant doit être supérieur à zéro',
};

export const amountWords = { en, fr };

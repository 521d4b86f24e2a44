// The payment-card guard. A loyalty terminal that never stores, logs, sends or shows a card number stays out
// of PCI DSS scope, so any frame that carries one is turned into a refusal that keeps only the brand and the
// last four digits, before any parser gets a chance to copy the number into a result or a message.
import { isPaymentCardNumber, paymentBrand, type PaymentBrand } from './check-digits.js';

export interface PaymentCardHit {
  brand: PaymentBrand | 'unknown';
  last4?: string;
}

function hit(digits: string): PaymentCardHit {
  const h: PaymentCardHit = { brand: paymentBrand(digits) ?? 'unknown' };
  if (digits.length >= 4) h.last4 = digits.slice(-4);
  return h;
}

/**
 * A financial track 1 anywhere in `text`: `%B` and a digit (readers may prefix their own bytes, so not only
 * at the start). Format B is financial by definition, so it is refused even when its number fails Luhn
 * (a misread financial card is still a financial card).
 */
export function findFinancialTrack1(text: string): PaymentCardHit | undefined {
  const m = /%B([\d ]+)/.exec(text);
  return m === null ? undefined : hit((m[1] ?? '').replace(/ /g, ''));
}

/**
 * A card number anywhere in `text`: a whole run of 13–19 digits (bounded by non-digits, so a track 2 PAN
 * ended by `=` counts), or digit groups separated by single spaces or dashes (`4111 1111 1111 1111`, as
 * typed), that passes Luhn and falls in an IIN range. A number inside a longer digit run is not looked for:
 * every long number would then contain a "card number" somewhere.
 */
export function findCardNumber(text: string): PaymentCardHit | undefined {
  for (const m of text.matchAll(/\d+(?:[ -]\d+)*/g)) {
    const groups = m[0].split(/[ -]/);
    for (let i = 0; i < groups.length; i++) {
      // The longest number from this group on: `4036 2123 7941 0542 7` is one 17-digit card even if its
      // first 16 digits happen to pass Luhn as well (the last four shown must be the card's).
      let joined = '';
      let found: string | undefined;
      for (let j = i; j < groups.length && joined.length <= 19; j++) {
        joined += groups[j] ?? '';
        if (isPaymentCardNumber(joined)) found = joined;
      }
      if (found !== undefined) return hit(found);
    }
  }
  return undefined;
}

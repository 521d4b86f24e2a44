// An explanation line's terms as data: what the detail says ("1 pt per 1.00 EUR on 20.10 EUR") before it is
// put into words. The recorded event keeps the English detail exactly as it always was (hashes and HQ's
// re-quote compare it), so quote() builds that text from these terms with explanationDetail(); the counter
// writes the same terms in the store's language and money format instead. One source, so the two cannot
// drift.
import { formatMoney, type Currency } from '../kernel/money.js';

export type ExplanationTerms =
  /** `per-amount`: `points` per `per` of spend, on `amount` (minor units). */
  | { kind: 'per-amount'; points: number; per: number; amount: number; currency: Currency }
  /** `per-item`: `points` per item, on `quantity` items. */
  | { kind: 'per-item'; points: number; quantity: number }
  /**
   * A multiplier (rule, tier or plan): `factor` in hundredths (150 = ×1.5), on the largest covered spend
   * (`amount`, 0 when none) and the largest covered unit count (`quantity`, 0 when none).
   */
  | { kind: 'multiplier'; factor: number; amount: number; quantity: number; currency: Currency }
  /** A flat bonus for the visit (`per-visit`): `+points`. */
  | { kind: 'visit-bonus'; points: number }
  /** A bonus for buying at least `minQuantity` items (`fixed-bonus`). */
  | { kind: 'threshold-bonus'; points: number; minQuantity: number }
  /** The referral welcome on a referred member's first purchase. */
  | { kind: 'referral'; points: number };

const pts = (n: number): string => (n === 1 ? `${n} pt` : `${n} pts`);
const itemsWord = (n: number): string => (n === 1 ? `${n} item` : `${n} items`);

/** `×2`, `×1.5`, `×1.25` from hundredths. */
export function formatFactor(f: number): string {
  const whole = Math.floor(f / 100);
  const frac = f % 100;
  if (frac === 0) return `×${whole}`;
  return `×${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** The English detail the event records, word for word as quote() has always written it. */
export function explanationDetail(terms: ExplanationTerms): string {
  switch (terms.kind) {
    case 'per-amount':
      return `${pts(terms.points)} per ${formatMoney(terms.per, terms.currency)} on ${formatMoney(terms.amount, terms.currency)}`;
    case 'per-item':
      return `${pts(terms.points)} per item on ${itemsWord(terms.quantity)}`;
    case 'multiplier': {
      const on = [
        terms.amount > 0 ? formatMoney(terms.amount, terms.currency) : '',
        terms.quantity > 0 ? itemsWord(terms.quantity) : '',
      ]
        .filter(Boolean)
        .join(' and ');
      return `${formatFactor(terms.factor)} on ${on}`;
    }
    case 'visit-bonus':
    case 'referral':
      return `+${terms.points}`;
    case 'threshold-bonus':
      return `+${terms.points} for ${itemsWord(terms.minQuantity)} or more`;
  }
}

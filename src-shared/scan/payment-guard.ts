// The payment-card guard. A loyalty terminal that never stores, logs, sends or shows a card number stays out
// of PCI DSS scope, so any text that LOOKS LIKE one is turned into a refusal that keeps only the brand and the
// last four digits, before any parser gets a chance to copy the number into a result or a message. The same
// function runs at the terminal (first thing classifyFrame does with a frame) and at HQ (every card number
// it receives: enrollment, card link, lookup, import), through the shared card-number schema.
//
// "Looks like" is deliberately wider than "is": a swipe or a typed number with one misread digit fails Luhn
// but is still a customer's card, and digits arrive grouped by spaces, dots, dashes, slashes or underscores,
// or glued to the expiry. So Luhn is not required. What keeps ordinary numbers out is the scheme table: a
// run is a card number only if its IIN belongs to a scheme AND its length is one that scheme issues
// (Amex 15, Mastercard 16, Maestro 12–19…). The one exception a caller may make is for a frame a scanner
// decoded as an EAN/UPC symbol with a valid check digit: see classify.ts.
import { luhnValid, paymentBrand, type PaymentBrand } from './check-digits.js';

export interface PaymentCardHit {
  brand: PaymentBrand | 'unknown';
  /** The only digits of a card ever kept; absent when fewer than four digits were read. */
  last4?: string;
}

interface Scheme {
  brand: PaymentBrand;
  /** Whether `digits` (at least 6 of them) start in one of the scheme's IIN ranges. */
  iin: (digits: string) => boolean;
  min: number;
  max: number;
}

const prefix = (digits: string, n: number): number => Number(digits.slice(0, n));
const between = (digits: string, n: number, lo: number, hi: number): boolean =>
  prefix(digits, n) >= lo && prefix(digits, n) <= hi;

/**
 * IIN ranges and issued lengths per scheme (reference.md; ISO/IEC 7812 and the schemes' published ranges).
 * Order matters where ranges overlap: the first scheme that fits names the brand (UnionPay 62 at 16–19
 * digits, Maestro 62 at 12–15).
 */
const SCHEMES: readonly Scheme[] = [
  { brand: 'visa', iin: (d) => d.startsWith('4'), min: 13, max: 19 },
  {
    brand: 'mastercard',
    iin: (d) => between(d, 2, 51, 55) || between(d, 4, 2221, 2720),
    min: 16,
    max: 16,
  },
  { brand: 'amex', iin: (d) => d.startsWith('34') || d.startsWith('37'), min: 15, max: 15 },
  {
    brand: 'discover',
    iin: (d) => d.startsWith('6011') || between(d, 3, 644, 649) || d.startsWith('65'),
    min: 16,
    max: 19,
  },
  { brand: 'jcb', iin: (d) => between(d, 4, 3528, 3589), min: 16, max: 19 },
  {
    brand: 'diners',
    iin: (d) => ['36', '38', '39'].includes(d.slice(0, 2)) || between(d, 3, 300, 305),
    min: 14,
    max: 19,
  },
  { brand: 'unionpay', iin: (d) => d.startsWith('62'), min: 16, max: 19 },
  { brand: 'mir', iin: (d) => between(d, 4, 2200, 2204), min: 16, max: 19 },
  { brand: 'maestro', iin: (d) => d.startsWith('50') || between(d, 2, 56, 69), min: 12, max: 19 },
];

/**
 * The scheme a digit string would be a card number of. Without Luhn (a misread digit does not make a card
 * number anything else) it needs an IIN in the table and a length that scheme issues. A number that passes
 * Luhn needs only 13–19 digits and any scheme's IIN: two checks that rarely agree by chance are evidence
 * enough, and a card is a card even at a length its scheme does not (yet) issue.
 */
export function cardSchemeOf(digits: string): PaymentBrand | undefined {
  if (!/^\d{12,19}$/.test(digits)) return undefined;
  const fits = SCHEMES.find((s) => digits.length >= s.min && digits.length <= s.max && s.iin(digits));
  if (fits !== undefined) return fits.brand;
  return digits.length >= 13 && luhnValid(digits) ? SCHEMES.find((s) => s.iin(digits))?.brand : undefined;
}

/** The brand shown for a number read from a financial track: by IIN alone, whatever its length. */
const trackBrand = (digits: string): PaymentBrand | 'unknown' =>
  cardSchemeOf(digits) ?? paymentBrand(digits) ?? SCHEMES.find((s) => s.iin(digits))?.brand ?? 'unknown';

function hit(digits: string, brand: PaymentBrand | 'unknown' = trackBrand(digits)): PaymentCardHit {
  const h: PaymentCardHit = { brand };
  if (digits.length >= 4) h.last4 = digits.slice(-4);
  return h;
}

/**
 * A financial track 1 anywhere in `text`: `%B` and a digit (readers may prefix their own bytes, so not only
 * at the start), or, when the reader stripped the sentinel, `B` + 12 or more digits + `^`. Format B is
 * financial by definition, so it is refused even when its number fails Luhn or fits no IIN.
 */
export function findFinancialTrack1(text: string): PaymentCardHit | undefined {
  const m = /%B([\d ]+)/.exec(text) ?? /(?<![A-Za-z0-9])B(\d[\d ]{11,})\^/.exec(text);
  return m === null ? undefined : hit((m[1] ?? '').replace(/ /g, ''));
}

/**
 * A track 2 shape anywhere in `text`: 12–19 digits ended by the field separator `=` (or `D`, as EMV writes
 * track 2 equivalent data) with or without the `;` sentinel. Refused when the number starts in any scheme's
 * IIN range, whatever its Luhn and length; private-label stripes (7…, 8…, 9…) stay loyalty cards.
 */
export function findTrack2(text: string): PaymentCardHit | undefined {
  for (const m of text.matchAll(/(?<!\d)(\d{12,19})(?:=|D(?=\d))/g)) {
    const digits = m[1] ?? '';
    if (SCHEMES.some((s) => s.iin(digits)) || paymentBrand(digits) !== undefined) return hit(digits);
  }
  return undefined;
}

/** What may stand between the digit groups of one number: as typed, printed or embossed. */
const SEPARATED_RUN = /\d+(?:[\s._/-]+\d+)*/g;
const EXPIRY = /^(?:\d\d(?:0[1-9]|1[0-2])|(?:0[1-9]|1[0-2])\d\d)/;

/**
 * The best card number starting at the first digit of `groups[0]`, by rank: a Luhn-valid number ending at a
 * group boundary or followed by an expiry (the longest of them, so `4036 2123 7941 0542 7` is one 17-digit
 * card even if its first 16 digits pass Luhn too); else a number that fails Luhn (a misread) ending at a
 * group boundary, or glued to an expiry that ends one, the length closest to 16 (the commonest).
 */
function cardAt(groups: readonly string[]): PaymentCardHit | undefined {
  let digits = '';
  const boundaries = new Set<number>();
  for (const g of groups) {
    if (digits.length > 24) break;
    digits += g;
    boundaries.add(digits.length);
  }
  let best: { rank: number; length: number; brand: PaymentBrand } | undefined;
  for (let length = 12; length <= Math.min(19, digits.length); length++) {
    const candidate = digits.slice(0, length);
    const brand = cardSchemeOf(candidate);
    if (brand === undefined) continue;
    const atBoundary = boundaries.has(length);
    const expiryAfter = EXPIRY.test(digits.slice(length, length + 4)) && digits.length >= length + 4;
    const rank = luhnValid(candidate)
      ? atBoundary || expiryAfter
        ? 3
        : 0
      : atBoundary
        ? 2
        : expiryAfter && boundaries.has(length + 4)
          ? 1
          : 0;
    if (rank === 0) continue;
    const better =
      best === undefined ||
      rank > best.rank ||
      (rank === best.rank &&
        (rank === 3
          ? length > best.length
          : Math.abs(length - 16) < Math.abs(best.length - 16) ||
            (Math.abs(length - 16) === Math.abs(best.length - 16) && length > best.length)));
    if (better) best = { rank, length, brand };
  }
  return best === undefined ? undefined : hit(digits.slice(0, best.length), best.brand);
}

/**
 * A card number anywhere in `text`: a run of digit groups (separated by whitespace, dots, dashes, slashes or
 * underscores, one or several) from which a number of 12–19 digits, starting at a group, fits a scheme's IIN
 * and length (see cardAt). A number starting inside a longer group is not looked for: `9` + a card number
 * is some other number, and every long number would otherwise contain a "card number" somewhere.
 */
export function findCardNumber(text: string): PaymentCardHit | undefined {
  for (const m of text.matchAll(SEPARATED_RUN)) {
    const groups = m[0].split(/[\s._/-]+/);
    for (let i = 0; i < groups.length; i++) {
      const found = cardAt(groups.slice(i, i + 24));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The one payment-card guard HQ and the terminal share: whether `text` (a frame, a card number as typed or
 * imported, a query) looks like track data or a payment card number. Only the brand and last four come
 * back. Raw text gets no benefit of the doubt: a 13-digit number starting with 4 is refused here even
 * with a valid EAN check digit (only a scanner's EAN/UPC symbology makes it a product; see classify.ts).
 */
export function paymentCardIn(text: string): PaymentCardHit | undefined {
  if (typeof text !== 'string') return undefined;
  const check = (t: string) => findFinancialTrack1(t) ?? findTrack2(t) ?? findCardNumber(t);
  // Text that starts like an AIM id (`]C0`) is read both ways: the id's digit may belong to the scanner
  // (then it must not run into the number) or to the data.
  const aimless = text.replace(/^\][A-Za-z][0-9A-Za-z]/, '');
  return check(text) ?? (aimless !== text ? check(aimless) : undefined);
}

const BRAND_LABELS: Readonly<Record<PaymentBrand | 'unknown', string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
  mir: 'Mir',
  maestro: 'Maestro',
  unknown: 'unknown brand',
};

/** `Visa …1111`: how a refused card is named to a person; never more digits than the last four. */
export function paymentCardLabel(hit: PaymentCardHit): string {
  return `${BRAND_LABELS[hit.brand]}${hit.last4 !== undefined ? ` …${hit.last4}` : ''}`;
}

/** `looks like a payment card (Visa …1111)`: the words an error message uses. */
export function describePaymentCard(hit: PaymentCardHit): string {
  return `looks like a payment card (${paymentCardLabel(hit)})`;
}

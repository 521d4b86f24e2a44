// Check-digit arithmetic for GS1 numbers (EAN/UPC/ITF-14, SSCC, GLN) and payment card numbers (Luhn, IIN).
// Kept apart from parsing so the payment-card guard and the product path use the very same arithmetic.

const allDigits = (s: string): boolean => /^\d+$/.test(s);

/**
 * The GS1 mod-10 check digit for `data` (the digits without their check digit): weights 3,1,3,1… from the
 * rightmost data digit; check = (10 − sum mod 10) mod 10. `undefined` if `data` is not all digits.
 */
export function eanCheckDigit(data: string): number | undefined {
  if (!allDigits(data)) return undefined;
  let sum = 0;
  let weight = 3;
  for (let i = data.length - 1; i >= 0; i--) {
    sum += (data.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether the last digit of `digits` is the GS1 mod-10 check digit of the others (GTIN, SSCC, GLN). */
export function hasValidCheckDigit(digits: string): boolean {
  if (digits.length < 2) return false;
  const check = eanCheckDigit(digits.slice(0, -1));
  return check !== undefined && String(check) === digits.slice(-1);
}

/** A GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14 with a correct check digit. */
export function isValidGtin(digits: string): boolean {
  return [8, 12, 13, 14].includes(digits.length) && hasValidCheckDigit(digits);
}

/** Any GTIN padded with leading zeros to the 14 digits GS1 uses to compare them. */
export const toGtin14 = (gtin: string): string => gtin.padStart(14, '0');

/**
 * Expands a UPC-E code to its 12-digit UPC-A. Accepts 8 digits (number system 0 or 1, six data digits,
 * check digit: the check digit is kept as given, for the caller to verify with `isValidGtin`), 7 digits
 * (number system and data; the check digit is computed) or 6 (data only, number system 0).
 * `undefined` for anything else.
 */
export function expandUpcE(upcE: string): string | undefined {
  if (!allDigits(upcE) || upcE.length < 6 || upcE.length > 8) return undefined;
  const ns = upcE.length === 6 ? '0' : upcE.charAt(0);
  if (ns !== '0' && ns !== '1') return undefined;
  const d = upcE.length === 6 ? upcE : upcE.slice(1, 7);
  const last = d.charAt(5);
  let body: string;
  if (last === '0' || last === '1' || last === '2') body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d.charAt(4)}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  const data = ns + body;
  const check = upcE.length === 8 ? upcE.charAt(7) : String(eanCheckDigit(data));
  return data + check;
}

/** The Luhn (mod 10, ISO/IEC 7812) check over a digit string of two or more digits. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2 || !allDigits(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export const PAYMENT_BRANDS = [
  'visa',
  'mastercard',
  'amex',
  'discover',
  'jcb',
  'diners',
  'unionpay',
  'mir',
  'maestro',
] as const;
export type PaymentBrand = (typeof PAYMENT_BRANDS)[number];

/**
 * The card brand whose issuer identification number (IIN) range `digits` starts in, from the table in
 * reference.md; `undefined` outside every range. Looks at the prefix only: no length or Luhn check.
 */
export function paymentBrand(digits: string): PaymentBrand | undefined {
  if (!allDigits(digits) || digits.length < 4) return undefined;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits.charAt(0) === '4') return 'visa';
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return 'mastercard';
  if (p2 === 34 || p2 === 37) return 'amex';
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65) return 'discover';
  if (p4 >= 3528 && p4 <= 3589) return 'jcb';
  if (p2 === 36 || p2 === 38 || p2 === 39 || (p3 >= 300 && p3 <= 305)) return 'diners';
  if (p2 === 62) return 'unionpay';
  return undefined;
}

/** A payment card number as the guard sees one: 13–19 digits, Luhn-valid, in a known IIN range. */
export function isPaymentCardNumber(digits: string): boolean {
  return (
    digits.length >= 13 && digits.length <= 19 && luhnValid(digits) && paymentBrand(digits) !== undefined
  );
}

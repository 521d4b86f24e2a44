// GS1 check digits (mod 10, weights 3 and 1 from the right) for product GTINs (8, 12, 13 or 14 digits)
// and for the EAN-13 numbers printed on loyalty cards.

/** The check digit for `data` (a GTIN without its last digit). */
export function gs1CheckDigit(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const digit = data.charCodeAt(data.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True for an 8, 12, 13 or 14 digit GTIN whose last digit is its check digit. */
export function isValidGtin(text: string): boolean {
  if (!/^(\d{8}|\d{12,14})$/.test(text)) return false;
  return gs1CheckDigit(text.slice(0, -1)) === Number(text.at(-1));
}

/** Appends the check digit: `withCheckDigit('400638133393')` → `4006381333931`. */
export const withCheckDigit = (data: string): string => `${data}${gs1CheckDigit(data)}`;

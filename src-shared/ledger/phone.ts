// Phone numbers at the counter: the replica keeps only a hash of the normalised number and its last four
// digits (DESIGN.md section 4), so a number the cashier types is normalised the same way and matched by hash.
import { sha256Hex } from '../kernel/hash.js';

const MIN_DIGITS = 6;
/** E.164 allows at most 15 digits, country code included. */
const MAX_DIGITS = 15;

/**
 * Normalises a typed number to `+<digits>` (E.164-like): spaces, dots, dashes and parentheses are dropped,
 * a leading `00` becomes `+`, a leading trunk `0` (or no prefix at all) takes the default country code,
 * and an international number's `(0)` trunk hint is ignored. `defaultCountryCode` is digits, with or
 * without `+` (e.g. `33` or `+33`). Returns null for anything else: letters, fewer than 6 digits, too long.
 */
export function normalisePhone(raw: string, defaultCountryCode: string): string | null {
  const country = defaultCountryCode.trim().replace(/^\+/, '');
  if (!/^[1-9]\d{0,2}$/.test(country)) return null;
  let text = raw.trim();
  const international = text.startsWith('+') || text.startsWith('00');
  if (international) text = text.replace(/\(0\)/g, '');
  if (!/^\+?[\d\s.\-()]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  let full: string;
  if (text.startsWith('+')) full = digits;
  else if (digits.startsWith('00')) full = digits.slice(2);
  else if (digits.startsWith('0')) full = country + digits.slice(1);
  else full = country + digits;
  const subscriber = full.length - (international ? 0 : country.length);
  if (subscriber < MIN_DIGITS || full.length > MAX_DIGITS || full.startsWith('0')) return null;
  return `+${full}`;
}

/** The hash kept in the replica and in events; domain-separated so it is never a bare number hash. */
export const phoneHash = (normalised: string): string => sha256Hex(`phone:${normalised}`);

/** The last four digits, shown to confirm a match. */
export function phoneLast4(normalised: string): string {
  return normalised.replace(/\D/g, '').slice(-4);
}

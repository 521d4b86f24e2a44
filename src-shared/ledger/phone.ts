// Phone numbers at the counter: the replica keeps only a hash of the normalised number and its last four
// digits (docs/architecture.md section 4), so a number the cashier types is normalised the same way and matched by hash.
//
// Parsing is libphonenumber-js with its `min` metadata: each country's trunk prefix ("0" in Ireland and
// France, none in Italy, where the leading 0 is part of the number), its international dialling prefix
// ("00", "011" in North America) and its possible lengths. `min` checks length, not digit ranges: a range
// a regulator opens after this build is still accepted, and it is 80 kB against `max`'s 145 kB in the
// renderer's bundle. The E.164 form is what gets hashed, so it must not change for a number once stored.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';
import { sha256Hex } from '../kernel/hash.js';

/** An ISO 3166-1 alpha-2 country that has a telephone numbering plan (`IE`, `FR`, `US`…). */
export const phoneCountrySchema = z.string().refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), {
  message: 'an ISO 3166-1 alpha-2 country code with a phone numbering plan, e.g. IE',
});

/** Whether `code` is an upper-case ISO 3166-1 alpha-2 country with a phone numbering plan. */
export const isPhoneCountry = (code: string): boolean => phoneCountrySchema.safeParse(code).success;

type ParseOptions = Parameters<typeof parsePhoneNumberFromString>[1];

// Only the characters people type in a number: letters (or an extension) are a typo, not a number.
const TYPED = /^\+?[\d\s.\-()]+$/;

/**
 * Normalises a typed number to E.164 (`+<digits>`): spaces, dots, dashes and parentheses are dropped, an
 * international prefix (`+`, `00`, or the country's own such as `011`) keeps its country, and a national
 * number takes the default country's code after its trunk prefix is removed by that country's rule.
 *
 * `defaultCountry` is the store's ISO 3166-1 alpha-2 country (`IE`) or, as older callers give it, a
 * calling code (`353` or `+353`). Returns null for letters, an unknown country, or a length the
 * country's numbering plan does not allow.
 */
export function normalisePhone(raw: string, defaultCountry: string): string | null {
  const region = defaultCountry.trim();
  let options: ParseOptions;
  if (/^[A-Z]{2}$/.test(region) && isSupportedCountry(region)) options = { defaultCountry: region };
  else if (/^\+?[1-9]\d{0,2}$/.test(region)) options = { defaultCallingCode: region.replace(/^\+/, '') };
  else return null;
  let text = raw.trim();
  // `+33 (0)6…`: the `(0)` hints at the trunk prefix dialled at home and is not part of the number.
  if (text.startsWith('+') || text.startsWith('00')) text = text.replace(/\(0\)/g, '');
  if (!TYPED.test(text)) return null;
  let parsed = parse(text, options);
  // A calling code alone carries no international prefix, and `00` is the one most of the world dials:
  // read `0044…` as `+44…` when the country's own rules found no possible number.
  if (parsed === null && text.startsWith('00')) parsed = parse(`+${text.slice(2)}`, options);
  return parsed;
}

function parse(text: string, options: ParseOptions): string | null {
  const number = parsePhoneNumberFromString(text, options);
  return number?.isPossible() ? number.number : null;
}

/** The hash kept in the replica and in events; domain-separated so it is never a bare number hash. */
export const phoneHash = (normalised: string): string => sha256Hex(`phone:${normalised}`);

/** The last four digits, shown to confirm a match. */
export function phoneLast4(normalised: string): string {
  return normalised.replace(/\D/g, '').slice(-4);
}

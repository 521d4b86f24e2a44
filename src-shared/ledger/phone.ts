// Phone numbers at the counter: the replica keeps only a lookup key of the normalised number and its last
// four digits (docs/architecture.md section 4), so a number the cashier types is normalised the same way,
// turned into its lookup key by the terminal's main process, and matched by that key.
//
// The lookup key is keyed and slow (phoneLookupKey below; docs/architecture.md, "Phone lookup key: threat
// model and cost"): HMAC-SHA-256 under the chain's secret phone key, then scrypt. The key is made by HQ and
// held by HQ and by each terminal's main process, never by the renderer, so the replica alone cannot be
// reversed; and with the key, each guess costs one scrypt.
//
// Parsing is libphonenumber-js with its `min` metadata: each country's trunk prefix ("0" in Ireland and
// France, none in Italy, where the leading 0 is part of the number), its international dialling prefix
// ("00", "011" in North America) and its possible lengths. `min` checks length, not digit ranges: a range
// a regulator opens after this build is still accepted, and it is 80 kB against `max`'s 145 kB in the
// renderer's bundle. The E.164 form is what gets hashed, so it must not change for a number once stored.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';
import { hmac } from '@noble/hashes/hmac.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
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

/**
 * The legacy, unkeyed hash (`sha256('phone:' + E.164)`) that members and events carried before the phone
 * key: reversible by enumeration in milliseconds. Kept only so HQ can recognise such values when it
 * re-derives them (src-hq/store/phone-key.ts); nothing new is written with it.
 */
export const phoneHash = (normalised: string): string => sha256Hex(`phone:${normalised}`);

/** The chain's phone key as stored and handed to terminals: 32 random bytes in lowercase hex. */
export const phoneKeySchema = z.string().regex(/^[0-9a-f]{64}$/, '32 bytes in lowercase hex');

/** An E.164 number as normalisePhone gives it (what the renderer asks main to turn into a lookup key). */
export const e164Schema = z.string().regex(/^\+[1-9]\d{5,14}$/, 'an E.164 number, e.g. +353871234567');

/**
 * The one definition of the phone lookup derivation. scrypt N 2^13, r 8 (8 MiB): about 17 ms a
 * derivation with node:crypto on our 2-core build machine, 38 ms in pure JS (npx tsx bench/phone-lookup.ts).
 * A new version changes `label`, so old and new values never collide.
 */
export const PHONE_LOOKUP = {
  label: 'loyalty-terminal/phone-lookup/v1',
  N: 2 ** 13,
  r: 8,
  p: 1,
  dkLen: 32,
} as const;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  dkLen: number;
}
/** scrypt itself, injected: main and HQ pass node:crypto's (native, off the event loop). */
export type Scrypt = (password: Uint8Array, salt: Uint8Array, params: ScryptParams) => Promise<Uint8Array>;

/** The pure-JS scrypt (@noble/hashes): the reference, and what a platform without node:crypto would use. */
export const pureScrypt: Scrypt = (password, salt, { N, r, p, dkLen }) =>
  scryptAsync(password, salt, { N, r, p, dkLen });

/**
 * The lookup key of a normalised (E.164) number under the chain's phone key, 64 hex digits (the shape
 * members' and events' `phoneHash` field has always had). First HMAC-SHA-256 keyed with the phone key over
 * the label and the number — without the key nothing can be computed — then scrypt over that MAC with the
 * label as salt, so that even with the key each guessed number costs one scrypt.
 */
export async function phoneLookupKey(
  normalised: string,
  phoneKey: string,
  scrypt: Scrypt = pureScrypt,
): Promise<string> {
  if (!phoneKeySchema.safeParse(phoneKey).success) throw new RangeError('the phone key is 32 bytes in hex');
  const { label, ...params } = PHONE_LOOKUP;
  const mac = hmac(sha256, hexToBytes(phoneKey), utf8ToBytes(`${label}\0${normalised}`));
  return bytesToHex(await scrypt(mac, utf8ToBytes(label), params));
}

/** The last four digits, shown to confirm a match. */
export function phoneLast4(normalised: string): string {
  return normalised.replace(/\D/g, '').slice(-4);
}

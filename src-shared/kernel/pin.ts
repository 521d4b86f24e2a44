// Cashier and manager PINs: a salted scrypt hash in the text form `scrypt$N$r$p$saltB64$hashB64`, made
// at HQ and verified in the terminal's main process only (HQ hands the hashes to main, never to the
// renderer: docs/architecture.md section 3, "PINs").
// Pure: scrypt from @noble/hashes, base64 written here, and the salt passed in by the caller (HQ gives
// node:crypto random bytes). A 4–8 digit PIN is a weak secret whatever the hash: scrypt makes each guess
// cost tens of milliseconds, and the terminal's attempt limit does the rest.
import { scrypt } from '@noble/hashes/scrypt.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export const PIN_PATTERN = /^\d{4,8}$/;
/** Default cost: 2^14 × r 8 = 16 MiB and tens of milliseconds per hash in pure JS. */
export const PIN_SCRYPT_N = 2 ** 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const MIN_SALT_BYTES = 16;
/** Bounds on what a stored hash may ask for, so a forged document cannot make verification hang. */
const N_RANGE = { min: 2 ** 4, max: 2 ** 20 } as const;

export interface HashPinOptions {
  /** At least 16 random bytes; when omitted, taken from the platform CSPRNG (globalThis.crypto). */
  salt?: Uint8Array;
  /** scrypt cost, a power of two (default 2^14); tests use a small one. */
  N?: number;
}

/** Why a PIN is not acceptable, or null when it is 4–8 digits. */
export function pinProblem(pin: string): string | null {
  return PIN_PATTERN.test(pin) ? null : 'a PIN is 4 to 8 digits';
}

/** How many digits a chain's PINs have: its program's `staff.pinLength`, within 4–8. */
export interface PinLength {
  min: number;
  max: number;
}
/** The widest range, and the default when the program says nothing. */
export const PIN_LENGTH_LIMITS: PinLength = { min: 4, max: 8 };

/** In words: "4 digits", "4 to 6 digits". */
export const describePinLength = ({ min, max }: PinLength): string =>
  min === max ? `${min} digits` : `${min} to ${max} digits`;

/** Why a new PIN does not fit the chain's length, or null when it does (and is 4–8 digits). */
export function pinLengthProblem(pin: string, length: PinLength): string | null {
  if (!/^\d*$/.test(pin) || pin.length < length.min || pin.length > length.max || pinProblem(pin))
    return `a PIN is ${describePinLength(length)}`;
  return null;
}

const isPowerOfTwo = (n: number): boolean => Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;

/** Hashes a PIN; throws a RangeError for a PIN that is not 4–8 digits or bad options. */
export function hashPin(pin: string, options: HashPinOptions = {}): string {
  const problem = pinProblem(pin);
  if (problem) throw new RangeError(problem);
  const N = options.N ?? PIN_SCRYPT_N;
  if (!isPowerOfTwo(N) || N < N_RANGE.min || N > N_RANGE.max)
    throw new RangeError(`N must be a power of two between ${N_RANGE.min} and ${N_RANGE.max}`);
  const salt = options.salt ?? randomBytes(MIN_SALT_BYTES);
  if (salt.length < MIN_SALT_BYTES) throw new RangeError(`the salt must be at least ${MIN_SALT_BYTES} bytes`);
  const key = scrypt(utf8ToBytes(pin), salt, { N, r: R, p: P, dkLen: KEY_BYTES });
  return `scrypt$${N}$${R}$${P}$${toBase64(salt)}$${toBase64(key)}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  key: Uint8Array;
}

function parsePinHash(text: string): ParsedHash | null {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((x) => (/^\d{1,8}$/.test(x ?? '') ? Number(x) : NaN)) as [
    number,
    number,
    number,
  ];
  if (!isPowerOfTwo(N) || N < N_RANGE.min || N > N_RANGE.max) return null;
  if (!(r >= 1 && r <= 32 && p >= 1 && p <= 4)) return null;
  const salt = fromBase64(parts[4] ?? '');
  const key = fromBase64(parts[5] ?? '');
  if (!salt || !key || salt.length < MIN_SALT_BYTES || key.length < 16 || key.length > 64) return null;
  return { N, r, p, salt, key };
}

/** True when `text` has the shape of a PIN hash this module can verify. */
export const isPinHash = (text: string): boolean => parsePinHash(text) !== null;

/** Checks a PIN against a stored hash; false for a wrong PIN, a malformed PIN or a malformed hash. */
export function verifyPin(pin: string, hash: string): boolean {
  const parsed = parsePinHash(hash);
  if (!parsed || pinProblem(pin)) return false;
  const { N, r, p, salt, key } = parsed;
  const candidate = scrypt(utf8ToBytes(pin), salt, { N, r, p, dkLen: key.length });
  return constantTimeEqual(candidate, key);
}

/** Compares every byte whatever the first difference, so timing says nothing about where it is. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

// ---- base64 (RFC 4648, with padding): no Buffer, atob or btoa in src-shared ------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map(Array.from(ALPHABET, (c, i) => [c, i]));

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += b === undefined ? '=' : ALPHABET[(n >> 6) & 63]!;
    out += c === undefined ? '=' : ALPHABET[n & 63]!;
  }
  return out;
}

/** Decodes padded base64; null for anything else. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (LOOKUP.get(text[i + j] ?? '=') ?? 0);
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  // Reject non-canonical encodings (unused bits set), so one hash has one text form.
  return toBase64(out) === text ? out : null;
}

// One scanner or card-reader frame in, one ScanResult out: product, GS1 data, text, loyalty card, stripe,
// NFC UID, a refused payment card, or a rejection the cashier can act on. Pure and total: no clock (the
// reference year for GS1 dates is passed in), and no input makes it throw, since the kiosk feeds it
// whatever arrives on the wire.
//
// Order matters. The payment-card guard (paymentCardIn, the same function HQ runs on every card number)
// runs first, on the raw frame, before any parser that could copy content into a result; then length and
// garbage checks; then the format, from the AIM id if sent or else from the content.
//
// Where the line goes between a product barcode and a card number. paymentCardIn refuses any 12–19 digit run
// that fits a scheme's IIN and length, Luhn or not; but one EAN-13 in three starts with 4, 5 or 6 (Germany,
// the UK, Denmark, China…) and fits Visa or Maestro. A frame is therefore judged as a GTIN, not as raw text,
// when its shape says the scanner decoded a GTIN:
//   - an EAN/UPC symbology (`]E0`, `]E3`, `]E4`) or ITF-14 (`]I1`) with digits of a GTIN length (scanners do
//     not print card numbers as EAN symbols);
//   - a bare frame of exactly 12 or 13 digits (a scanner without AIM ids reading a UPC-A or an EAN-13):
//     13-digit Visa and 12-digit Maestro numbers are rare, EANs starting with 4, 5 or 6 are on every shelf.
// Such a frame is a product when its GTIN check digit is valid. When it is not, it is refused as a card only
// if it also passes Luhn in a scheme (a misread barcode passes Luhn one time in ten; a card always does),
// and otherwise rejected as a misread barcode, a result that carries none of its digits. Everything else is
// raw text: a bare 14–19 digit frame, a Code 128 or QR text, digits with separators, a card number typed at
// HQ. There the guard gives no benefit of the doubt.
// GS1 element strings are the other exception: their digits are AIs and values run together (a price AI
// 3922 followed by 12 digits looks like a Diners number), so the guard checks each parsed free-text value
// instead, and nothing is returned before that check.
import { parseAim, type Aim, type Symbology } from './aim.js';
import { matchCardPattern, type CardPattern } from './card-patterns.js';
import { expandUpcE, isValidGtin, luhnValid, toGtin14 } from './check-digits.js';
import { GS, parseGs1 } from './gs1.js';
import { parseTracks } from './magstripe.js';
import { NFC_PREFIX, parseNfcUid } from './nfc.js';
import { cardSchemeOf, findFinancialTrack1, paymentCardIn, type PaymentCardHit } from './payment-guard.js';
import {
  MAX_FRAME_LENGTH,
  PAYMENT_CARD_MESSAGE,
  REJECTION_MESSAGES,
  type RejectionReason,
  type ScanResult,
  type ScanResultOf,
} from './result.js';

export interface ClassifyOptions {
  /** The program's `cards.patterns`. */
  cardPatterns: readonly CardPattern[];
  /** The current year at the terminal, for GS1 two-digit years; passed in so classification stays pure. */
  referenceYear: number;
  /**
   * Where the frame came from. Both paths strip their own terminator (the serial layer its suffix, the
   * renderer the Enter), so the classification is the same; callers pass it for their logs.
   */
  source?: 'serial' | 'wedge';
}

const rejected = (reason: RejectionReason, detail?: string): ScanResultOf<'rejected'> => ({
  kind: 'rejected',
  reason,
  message: REJECTION_MESSAGES[reason],
  ...(detail !== undefined ? { detail } : {}),
});

const refused = (hit: PaymentCardHit): ScanResultOf<'refused'> => ({
  kind: 'refused',
  reason: 'payment-card',
  message: PAYMENT_CARD_MESSAGE,
  brand: hit.brand,
  ...(hit.last4 !== undefined ? { last4: hit.last4 } : {}),
});

/** `]E3` sends the main code and its add-on in one frame; the total length says which is which. */
const ADD_ON_SPLIT: Readonly<Record<number, [number, number]>> = {
  15: [13, 2],
  18: [13, 5],
  14: [12, 2],
  17: [12, 5],
  10: [8, 2],
  13: [8, 5],
};

interface EanRead {
  symbology: 'ean-13' | 'ean-8' | 'upc-a' | 'upc-e';
  /** The GTIN as 8, 12 or 13 digits, check digit included (UPC-E expanded to UPC-A). */
  gtin: string;
  addOn?: string;
}

/** The EAN/UPC an `]E…` frame holds, whether or not its check digit is right; undefined if none fits. */
function readEan(aim: Aim, data: string): EanRead | undefined {
  if (!/^\d+$/.test(data)) return undefined;
  const main = (code: string): EanRead | undefined => {
    if (aim.modifier === '4') return code.length === 8 ? { symbology: 'ean-8', gtin: code } : undefined;
    if (code.length === 13) return { symbology: 'ean-13', gtin: code };
    if (code.length === 12) return { symbology: 'upc-a', gtin: code };
    // UPC-E only as sent with AIM ids: number system, six digits, check digit (so the read is verified).
    const upcA = code.length === 8 ? expandUpcE(code) : undefined;
    return upcA !== undefined ? { symbology: 'upc-e', gtin: upcA } : undefined;
  };
  if (aim.modifier === '0' || aim.modifier === '4') return main(data);
  if (aim.modifier !== '3') return undefined;
  const split = ADD_ON_SPLIT[data.length];
  const read = split !== undefined ? main(data.slice(0, split[0])) : undefined;
  return read !== undefined ? { ...read, addOn: data.slice(split?.[0]) } : undefined;
}

/** Whether a frame shaped like a GTIN read (see header) has a valid check digit; undefined for any other. */
function gtinRead(aim: Aim | undefined, data: string): { valid: boolean } | undefined {
  if (aim === undefined) return /^\d{12,13}$/.test(data) ? { valid: isValidGtin(data) } : undefined;
  if (aim.code === 'E') {
    const ean = readEan(aim, data);
    return ean === undefined ? undefined : { valid: isValidGtin(ean.gtin) };
  }
  return aim.symbology === 'itf-14' && /^\d{14}$/.test(data) ? { valid: isValidGtin(data) } : undefined;
}

const isBracketedGs1 = (data: string): boolean => /^\(\d{2,4}\)/.test(data);
const startsTrack = (data: string): boolean => data.startsWith('%') || data.startsWith(';');

/** Without an AIM id, a frame is GS1 data if it is in the bracketed form or holds FNC1 (GS) among digits. */
const inferredGs1 = (data: string): boolean =>
  isBracketedGs1(data) || (data.includes(GS) && (data.startsWith(GS) || /^\d/.test(data)));

/** The payment-card guard over the whole frame; runs before anything else reads it. */
function guard(text: string, aim: Aim | undefined, data: string): PaymentCardHit | undefined {
  const track1 = findFinancialTrack1(text);
  if (track1 !== undefined) return track1;
  // An `NFC:` frame is hex bytes by construction (a reader setting), not a number; but 15 or more decimal
  // digits in a row cannot come from a 4- or 7-byte UID, and a 10-byte one is all-decimal about once in 10,000.
  if (aim === undefined && NFC_PREFIX.test(data) && !/\d{15}/.test(data)) return undefined;
  if (aim?.gs1 === true || (aim === undefined && inferredGs1(data))) return undefined;
  const gtin = gtinRead(aim, data);
  if (gtin !== undefined) {
    if (gtin.valid) return undefined;
    const brand = luhnValid(data) ? cardSchemeOf(data) : undefined;
    return brand === undefined ? undefined : { brand, last4: data.slice(-4) };
  }
  // The digits after the AIM id: with it, `]C0` + a card number would read as one longer run.
  return paymentCardIn(data);
}

function product(read: EanRead | { symbology: 'itf-14' | 'unknown'; gtin: string; addOn?: string }) {
  const gtin14 = toGtin14(read.gtin);
  const result: ScanResultOf<'product'> = { kind: 'product', symbology: read.symbology, gtin14 };
  if (read.symbology === 'ean-8' || !gtin14.startsWith('0')) return result;
  const gtin13 = gtin14.slice(1);
  result.gtin13 = gtin13;
  if (read.addOn !== undefined) result.addOn = read.addOn;
  const prefix = gtin13.slice(0, 2);
  if (prefix === '02' || prefix.startsWith('2')) result.variableMeasure = { prefix };
  if (prefix === '04') result.restrictedCirculation = true;
  return result;
}

function classifyEan(aim: Aim, data: string, options: ClassifyOptions): ScanResult {
  if (aim.modifier === '1' || aim.modifier === '2')
    return /^(\d{2}|\d{5})$/.test(data)
      ? { kind: 'text', symbology: 'ean-add-on', text: data }
      : rejected('unknown-format', 'an EAN add-on has 2 or 5 digits');
  const read = readEan(aim, data);
  if (read === undefined) return rejected('unknown-format', `no EAN/UPC of ${data.length} characters`);
  if (!isValidGtin(read.gtin)) return rejected('bad-check-digit');
  const card = read.addOn === undefined ? matchCardPattern(options.cardPatterns, data, 'barcode') : undefined;
  if (card !== undefined) return { kind: 'loyalty-card', via: 'barcode', ...card };
  return product(read);
}

/** Barcode text (no AIM id, or a non-EAN, non-GS1 AIM id): a card number, a bare GTIN, or text. */
function classifyBarcodeText(aim: Aim | undefined, data: string, options: ClassifyOptions): ScanResult {
  const card = matchCardPattern(options.cardPatterns, data, 'barcode');
  if (card !== undefined) return { kind: 'loyalty-card', via: 'barcode', ...card };
  if (aim?.symbology === 'itf-14' && /^\d{14}$/.test(data))
    return isValidGtin(data) ? product({ symbology: 'itf-14', gtin: data }) : rejected('bad-check-digit');
  if (aim === undefined && /^\d+$/.test(data)) {
    // Bare digits of a GTIN length: a scanner without AIM ids. EAN-8 before UPC-E: both are 8 digits,
    // and only a scanner sending AIM ids (`]E0` vs `]E4`) can say which.
    if (data.length === 8) {
      if (isValidGtin(data)) return product({ symbology: 'ean-8', gtin: data });
      const upcA = expandUpcE(data);
      if (upcA !== undefined && isValidGtin(upcA)) return product({ symbology: 'upc-e', gtin: upcA });
      return rejected('bad-check-digit');
    }
    const symbology = ({ 12: 'upc-a', 13: 'ean-13', 14: 'unknown' } as const)[data.length];
    if (symbology !== undefined)
      return isValidGtin(data) ? product({ symbology, gtin: data }) : rejected('bad-check-digit');
  }
  const symbology: Symbology = aim?.symbology ?? 'unknown';
  return { kind: 'text', symbology: symbology === 'itf-14' ? 'itf' : symbology, text: data };
}

/** AIs whose value passed a check digit: GTINs, SSCC, GLNs. Every other value is free data. */
const CHECKED_AI = /^(00|01|02|41\d)$/;

function classifyGs1(aim: Aim | undefined, data: string, options: ClassifyOptions): ScanResult {
  const parsed = parseGs1(data, {
    referenceYear: options.referenceYear,
    percentIsSeparator: aim?.id === ']Q3' && !data.includes(GS),
  });
  if (!parsed.ok) return rejected(parsed.error.reason, parsed.error.detail);
  for (const e of parsed.value) {
    const hit = CHECKED_AI.test(e.ai) ? undefined : paymentCardIn(e.value);
    if (hit !== undefined) return refused(hit);
  }
  const gtin = parsed.value.find((e) => e.ai === '01')?.value;
  return {
    kind: 'gs1',
    symbology: aim?.symbology ?? 'unknown',
    elements: parsed.value,
    ...(gtin !== undefined ? { gtin } : {}),
  };
}

function classifyTracks(data: string, options: ClassifyOptions): ScanResult {
  const parsed = parseTracks(data);
  if (!parsed.ok) return rejected('bad-track', parsed.error);
  let number: string | undefined;
  let name: string | undefined;
  for (const t of parsed.value) {
    if (t.financial) return refused(t);
    // Track 2 holds the account number in its plainest form; track 1 adds the holder's name.
    if (t.track === 2 || number === undefined) number = t.number;
    if (t.track === 1 && t.name !== undefined) name = t.name;
  }
  if (number === undefined) return rejected('bad-track', 'no number');
  const card = matchCardPattern(options.cardPatterns, number, 'magstripe');
  if (card !== undefined) return { kind: 'loyalty-card', via: 'magstripe', ...card };
  return { kind: 'magstripe-card', number, ...(name !== undefined ? { name } : {}) };
}

function classifyNfc(uid: string, options: ClassifyOptions): ScanResult {
  const card = matchCardPattern(options.cardPatterns, uid, 'nfc');
  if (card !== undefined) return { kind: 'loyalty-card', via: 'nfc', ...card };
  return { kind: 'nfc-uid', uid };
}

/**
 * The guard again, over what is about to be returned: a backstop that cannot change a correct result (every
 * string checked here was already checked as part of the frame) but would catch a parser that ever let a
 * card number through. Check-digit-verified GTINs and NFC UIDs are exempt, as in the frame guard.
 */
function leakedCardNumber(result: ScanResult): PaymentCardHit | undefined {
  const free: string[] = [];
  if (result.kind === 'text') free.push(result.text);
  else if (result.kind === 'gs1')
    free.push(...result.elements.filter((e) => !CHECKED_AI.test(e.ai)).map((e) => e.value));
  else if (result.kind === 'magstripe-card') free.push(result.number, result.name ?? '');
  else if (result.kind === 'loyalty-card' && result.via !== 'nfc' && !isValidGtin(result.number))
    free.push(result.number);
  for (const s of free) {
    const hit = paymentCardIn(s);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function classify(frame: string, options: ClassifyOptions): ScanResult {
  // Terminators and padding are not data: a wedge may leave a CR, a reader pads with spaces.
  const text = frame.replace(/^[\r\n ]+|[\r\n ]+$/g, '');
  if (text === '') return rejected('empty');
  const { aim, rest: data } = parseAim(text);

  const hit = guard(text, aim, data);
  if (hit !== undefined) return refused(hit);

  if (text.length > MAX_FRAME_LENGTH) return rejected('too-long', `${text.length} characters`);
  const gs1 = aim !== undefined ? aim.gs1 : inferredGs1(data);
  const printable = gs1 ? data.replaceAll(GS, '') : text;
  if (/[^\x20-\x7e]/.test(printable)) return rejected('garbage', 'control or non-ASCII characters');
  if (data === '') return rejected('empty', 'symbology identifier only');

  if (gs1) return classifyGs1(aim, data, options);
  if (aim === undefined) {
    if (startsTrack(data)) return classifyTracks(data, options);
    const nfc = parseNfcUid(data);
    if (nfc !== undefined)
      return nfc.ok ? classifyNfc(nfc.value, options) : rejected('unknown-format', nfc.error);
  }
  if (aim?.code === 'E') return classifyEan(aim, data, options);
  return classifyBarcodeText(aim, data, options);
}

/** Classifies one frame (its terminator already stripped). Never throws, whatever `frame` holds. */
export function classifyFrame(frame: string, options: ClassifyOptions): ScanResult {
  try {
    const result = classify(frame, options);
    const leak = leakedCardNumber(result);
    return leak !== undefined ? refused(leak) : result;
  } catch {
    // Unreachable for string input; a JavaScript caller may still pass anything.
    return rejected('unknown-format', 'unreadable input');
  }
}

/**
 * A description of a frame that is safe to log: its length and what it looked like, never its content
 * (so never a digit of a card number, nor a member's card number).
 */
export function redactForLog(frame: string): string {
  const length = typeof frame === 'string' ? frame.length : 0;
  const r = classifyFrame(frame, { cardPatterns: [], referenceYear: 2000 });
  const what =
    r.kind === 'refused'
      ? `payment card (${r.brand}), refused`
      : r.kind === 'rejected'
        ? `rejected (${r.reason})`
        : r.kind === 'product' || r.kind === 'gs1' || r.kind === 'text'
          ? `${r.kind} (${r.symbology})`
          : r.kind;
  return `${length} chars: ${what}`;
}

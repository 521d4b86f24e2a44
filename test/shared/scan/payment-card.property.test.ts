// Properties of the payment-card guard over generated card numbers of every scheme, valid and with one misread
// digit, however they arrive: grouped by any separator, glued to or followed by an expiry, inside track 1 or
// track 2 shapes, behind a text AIM id, inside a GS1 serial, inside surrounding text. No classified result
// ever holds a digit of the number beyond the last four, and the frame is refused; HQ's check on raw text
// (paymentCardIn, cardNumberSchema) refuses the same. Store cards (EAN-13 04…) stay loyalty cards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cardNumberSchema } from '../../../src-shared/ledger/member.js';
import { defaultCardPatterns } from '../../../src-shared/program/schema.js';
import { eanCheckDigit, isValidGtin, luhnValid } from '../../../src-shared/scan/check-digits.js';
import { classifyFrame, type ClassifyOptions } from '../../../src-shared/scan/classify.js';
import { GS } from '../../../src-shared/scan/gs1.js';
import { cardSchemeOf, paymentCardIn } from '../../../src-shared/scan/payment-guard.js';
import { scanResultSchema, type ScanResult } from '../../../src-shared/scan/result.js';

const options: ClassifyOptions = {
  cardPatterns: [
    ...defaultCardPatterns(),
    { id: 'mag', label: 'Stripe', kind: 'magstripe-prefix', prefix: '7' },
    { id: 're', label: 'Regex', kind: 'regex', pattern: '[A-Z0-9 ./_-]{4,40}' },
  ],
  referenceYear: 2025,
};
/** The default store-card pattern only: no catch-all regex turning every barcode into a card. */
const plain: ClassifyOptions = { cardPatterns: defaultCardPatterns(), referenceYear: 2025 };

const digitString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const range = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map(String);

/** Each scheme's IIN ranges and issued lengths, written out independently of the guard's own table. */
const schemes = {
  visa: { iin: fc.constant('4'), lengths: [13, 19] },
  mastercard: { iin: fc.oneof(range(51, 55), range(2221, 2720)), lengths: [16, 16] },
  amex: { iin: fc.constantFrom('34', '37'), lengths: [15, 15] },
  discover: { iin: fc.oneof(fc.constant('6011'), range(644, 649), fc.constant('65')), lengths: [16, 19] },
  jcb: { iin: range(3528, 3589), lengths: [16, 19] },
  diners: { iin: fc.oneof(fc.constantFrom('36', '38', '39'), range(300, 305)), lengths: [14, 19] },
  unionpay: { iin: fc.constant('62'), lengths: [16, 19] },
  mir: { iin: range(2200, 2204), lengths: [16, 19] },
  maestro: { iin: fc.oneof(fc.constant('50'), range(56, 69)), lengths: [12, 19] },
} as const;

interface Pan {
  digits: string;
  /** One digit after the IIN changed: the number fails Luhn, as a misread swipe or a typo does. */
  misread: boolean;
}

const panArb: fc.Arbitrary<Pan> = fc
  .constantFrom(...Object.values(schemes))
  .chain(({ iin, lengths }) =>
    fc.tuple(iin, fc.integer({ min: lengths[0], max: lengths[1] }), digitString(19, 19), fc.boolean()),
  )
  .chain(([iin, length, random, misread]): fc.Arbitrary<Pan> => {
    const partial = (iin + random).slice(0, length - 1);
    let valid = '';
    for (let c = 0; c <= 9 && valid === ''; c++) if (luhnValid(`${partial}${c}`)) valid = `${partial}${c}`;
    if (!misread) return fc.constant<Pan>({ digits: valid, misread });
    return fc
      .tuple(fc.integer({ min: iin.length, max: length - 1 }), fc.integer({ min: 1, max: 9 }))
      .map(([at, delta]) => ({
        digits: valid.slice(0, at) + String((Number(valid[at]) + delta) % 10) + valid.slice(at + 1),
        misread,
      }));
  });

const separator = fc.constantFrom(' ', '  ', '   ', '.', '-', '/', '_', ' - ', '\t', ' . ');
/** The number split into groups of 1–6 digits (4-4-4-4 as printed is one case among many). */
const grouped = (pan: string, sizes: number[], sep: string): string => {
  const groups: string[] = [];
  for (let at = 0, i = 0; at < pan.length; i++) {
    const size = sizes[i % sizes.length] ?? 4;
    groups.push(pan.slice(at, at + size));
    at += size;
  }
  return groups.join(sep);
};
/** Noise around a frame: reader prefixes, words, punctuation, control bytes; never a digit. */
const noise = fc.string({
  unit: fc.constantFrom(...'ABCXYZabcxyz:#*!,()[]{}<>', ' ', '\u0002', '\u0003', '\u001b'),
  maxLength: 12,
});
const expiry = fc
  .tuple(
    range(10, 49),
    fc.integer({ min: 1, max: 12 }).map((m) => String(m).padStart(2, '0')),
    fc.boolean(),
  )
  .map(([yy, mm, yymm]) => (yymm ? yy + mm : mm + yy));
const name = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ /'),
  minLength: 2,
  maxLength: 26,
});

const framings = [
  'grouped',
  'glued-expiry',
  'expiry-after',
  'track2',
  'track2-bare',
  'emv',
  'track1',
  'track1-bare',
  'both-tracks',
  'name-field',
  'in-text',
  'aim-text',
  'gs1-serial',
  'bare-long',
] as const;
type Framing = (typeof framings)[number];

const frameArb = fc.record({
  pan: panArb,
  how: fc.constantFrom(...framings),
  sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 }),
  sep: separator,
  expiry,
  svc: digitString(3, 10),
  name,
  before: noise,
  after: noise,
  aim: fc.constantFrom(']C0', ']A0', ']Q1', ']L0', ']E0', ']I0'),
});

/** The frame, and whether its last four digits are the card's (no digits follow the number). */
type FrameSpec = typeof frameArb extends fc.Arbitrary<infer T> ? T : never;

function frameOf(f: FrameSpec): {
  frame: string;
  exactLast4: boolean;
} {
  const pan = f.pan.digits;
  const track2Tail = (f.expiry + f.svc).slice(0, 37 - pan.length);
  const frames: Record<Framing, [string, boolean]> = {
    grouped: [grouped(pan, f.sizes, f.sep), true],
    'glued-expiry': [pan + f.expiry, false],
    'expiry-after': [
      `${grouped(pan, f.sizes, f.sep)}${f.sep}${f.expiry.slice(0, 2)}/${f.expiry.slice(2)}`,
      false,
    ],
    track2: [`${f.before};${pan}=${track2Tail}?`, true],
    'track2-bare': [`${pan}=${track2Tail}`, true],
    emv: [`${pan}D${track2Tail}`, true],
    track1: [`${f.before}%B${pan}^${f.name}^${f.expiry}${f.svc}?`, true],
    'track1-bare': [`B${pan}^${f.name}^${f.expiry}${f.svc}`, true],
    'both-tracks': [`%B${pan}^${f.name}^${f.expiry}${f.svc}?;${pan}=${track2Tail}?`, true],
    'name-field': [`%N7012345678^${pan}^9912?`, true],
    'in-text': [`${f.before}card ${grouped(pan, f.sizes, f.sep)} thanks${f.after}`, true],
    'aim-text': [`${f.aim}${f.before}${grouped(pan, f.sizes, f.sep)}`, true],
    'gs1-serial': [`]C10109501101020917${GS}21${pan}`, true],
    // 14+ digits bare, or 12/13 behind a reader's prefix: raw text either way.
    'bare-long': [pan.length >= 14 ? pan : `${f.before}#${pan}`, true],
  };
  const [frame, exactLast4] = frames[f.how];
  return { frame, exactLast4 };
}

/** Refused, valid on the IPC schema, and not one digit of the frame in the result beyond `last4`. */
function expectRefusedWithoutDigits(frame: string, pan: Pan, exactLast4: boolean): ScanResult {
  const result = classifyFrame(frame, options);
  expect(scanResultSchema.safeParse(result).success).toBe(true);
  expect(result).toMatchObject({ kind: 'refused', reason: 'payment-card' });
  const json = JSON.stringify(result);
  expect(json.replace(/"last4":"\d{4}"/, '')).not.toMatch(/\d/);
  expect(json).not.toContain(pan.digits.slice(0, -4));
  if (result.kind === 'refused') {
    expect(result.brand).not.toBe('unknown');
    if (exactLast4 && !pan.misread) expect(result.last4).toBe(pan.digits.slice(-4));
  }
  return result;
}

describe('payment card numbers of every scheme, however they arrive', () => {
  it('are refused by classifyFrame, which keeps no digit beyond the last four', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        const { frame, exactLast4 } = frameOf(f);
        expectRefusedWithoutDigits(frame, f.pan, exactLast4);
      }),
      { numRuns: 3000 },
    );
  });

  it('are refused by paymentCardIn and by the shared card-number schema, whose message has only the last four', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        const { frame } = frameOf(f);
        // Raw text, as HQ receives a card number: no barcode benefit of the doubt, bare 12/13 digits included.
        // (A GS1 element string is the one frame that is not raw text: its AI runs into the number.)
        for (const text of f.how === 'gs1-serial' ? [f.pan.digits] : [frame, f.pan.digits]) {
          const hit = paymentCardIn(text);
          expect(hit).toBeDefined();
          const parsed = cardNumberSchema.safeParse(text);
          expect(parsed.success).toBe(false);
          const message = JSON.stringify(parsed.error?.issues);
          expect(message).toMatch(/looks like a payment card \(.+\): payment cards cannot be loyalty cards/);
          expect(message.replace(/…\d{4}/, '')).not.toMatch(/\d{5}/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('as a bare 12 or 13 digit frame (a barcode shape) are refused, or rejected with no digits, or — with a valid GTIN check digit — a product (documented)', () => {
    const shortPan = panArb.filter((p) => p.digits.length <= 13);
    fc.assert(
      fc.property(shortPan, fc.constantFrom('', ']E0'), (pan, aim) => {
        const result = classifyFrame(aim + pan.digits, plain);
        if (isValidGtin(pan.digits)) expect(result.kind).toBe('product');
        else if (luhnValid(pan.digits) && cardSchemeOf(pan.digits) !== undefined)
          expect(result).toMatchObject({ kind: 'refused', last4: pan.digits.slice(-4) });
        else {
          expect(result).toMatchObject({ kind: 'rejected', reason: 'bad-check-digit' });
          expect(JSON.stringify(result)).not.toMatch(/\d/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

const withCheck = (data: string): string => `${data}${eanCheckDigit(data)}`;

describe('what must stay a loyalty card or a product', () => {
  it('a store card (EAN-13 04… with a valid check digit) is a loyalty card, bare or as ]E0, and a valid card number', () => {
    fc.assert(
      fc.property(digitString(10, 10), fc.constantFrom('', ']E0'), (random, aim) => {
        const ean = withCheck(`04${random}`);
        expect(classifyFrame(aim + ean, plain)).toEqual({
          kind: 'loyalty-card',
          via: 'barcode',
          number: ean,
          patternId: 'store-card-04',
        });
        expect(paymentCardIn(ean)).toBeUndefined();
        expect(cardNumberSchema.safeParse(ean).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('an EAN-13 starting 4, 5 or 6 is a product when scanned as EAN (]E0 or bare 13 digits), a card as raw text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('4', '50', '56', '62', '65', '69'),
        digitString(11, 11),
        (prefix, random) => {
          const ean = withCheck((prefix + random).slice(0, 12));
          for (const frame of [`]E0${ean}`, ean])
            expect(classifyFrame(frame, plain)).toMatchObject({ kind: 'product', gtin13: ean });
          // The same digits as Code 128 text, or typed at HQ: refused, last four only.
          expect(classifyFrame(`]C0${ean}`, plain)).toMatchObject({
            kind: 'refused',
            last4: ean.slice(-4),
          });
          expect(paymentCardIn(ean)).toMatchObject({ last4: ean.slice(-4) });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a private-label stripe (track 2 starting 7, 8 or 9) is not a payment card', () => {
    fc.assert(
      fc.property(fc.constantFrom('7', '8', '9'), digitString(11, 18), expiry, (mii, random, exp) => {
        const number = mii + random;
        const result = classifyFrame(`;${number}=${exp}101?`, options);
        expect(result.kind).not.toBe('refused');
        expect(paymentCardIn(number)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

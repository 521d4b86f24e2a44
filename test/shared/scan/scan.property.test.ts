// Properties over random frames: the classifier is total and its results always pass the IPC schema; random
// payment card numbers, however they arrive, are refused and never echoed; check digits catch every single
// wrong digit; every valid EAN/UPC is a product with the right GTIN-14; GS1 element strings round-trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFrame, type ClassifyOptions } from '../../../src-shared/scan/classify.js';
import { eanCheckDigit, isValidGtin, luhnValid } from '../../../src-shared/scan/check-digits.js';
import { GS, parseGs1 } from '../../../src-shared/scan/gs1.js';
import { scanResultSchema } from '../../../src-shared/scan/result.js';
import { defaultCardPatterns } from '../../../src-shared/program/schema.js';

const options: ClassifyOptions = {
  cardPatterns: [
    ...defaultCardPatterns(),
    { id: 'mag', label: 'Stripe', kind: 'magstripe-prefix', prefix: '7' },
    { id: 're', label: 'Regex', kind: 'regex', pattern: 'LC\\d{4,8}' },
  ],
  referenceYear: 2025,
};
const digitString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));

const expectTotalAndValid = (frame: string) => {
  const result = classifyFrame(frame, options);
  const parsed = scanResultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`${JSON.stringify(frame)} → ${JSON.stringify(result)}`);
};

describe('classifyFrame is total', () => {
  it('on arbitrary strings, including lone surrogates', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 700 }), expectTotalAndValid), {
      numRuns: 500,
    });
  });

  it('on arbitrary bytes 0–255 as characters', () => {
    fc.assert(fc.property(fc.string({ unit: byte, maxLength: 600 }), expectTotalAndValid), { numRuns: 500 });
  });

  it('on frames that start like real ones', () => {
    const prefix = fc.constantFrom(
      '',
      ']E0',
      ']E3',
      ']E4',
      ']C0',
      ']C1',
      ']Q3',
      ']I1',
      '%B',
      '%N',
      ';',
      'NFC:',
      '(01)',
    );
    const body = fc.string({ unit: fc.constantFrom(...'0123456789AF^=?%;:- /()', GS), maxLength: 120 });
    fc.assert(
      fc.property(prefix, body, (p, b) => expectTotalAndValid(p + b)),
      { numRuns: 1000 },
    );
  });
});

/** A random payment card number: a brand's IIN, random digits, the Luhn check digit. */
const panArb = fc
  .tuple(
    fc.constantFrom(
      '4',
      '51',
      '55',
      '2221',
      '2720',
      '34',
      '37',
      '6011',
      '644',
      '649',
      '65',
      '3528',
      '3589',
      '36',
      '38',
      '39',
      '300',
      '305',
      '62',
    ),
    fc.integer({ min: 13, max: 19 }),
    digitString(19, 19),
  )
  .map(([iin, length, random]) => {
    const partial = (iin + random).slice(0, length - 1);
    for (let c = 0; c <= 9; c++) if (luhnValid(`${partial}${c}`)) return `${partial}${c}`;
    throw new Error('unreachable');
  });

const nameArb = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ /'),
  minLength: 2,
  maxLength: 26,
});
const track1 = (pan: string, name: string, rest: string) => `%B${pan}^${name}^${rest}?`;
const track2 = (pan: string, rest: string) => `;${pan}=${rest}?`;
const withLrc = (track: string): string => {
  const t1 = track.startsWith('%');
  let x = 0;
  for (const c of track) x ^= (c.charCodeAt(0) - (t1 ? 0x20 : 0x30)) & (t1 ? 0x3f : 0x0f);
  return track + String.fromCharCode(x + (t1 ? 0x20 : 0x30));
};

describe('the payment-card guard', () => {
  it('refuses a card number in track 1, track 2, both, bare or behind a text AIM id, keeping only the last four', () => {
    const framing = fc.constantFrom(
      'track1',
      'track2',
      'both',
      'both-lrc',
      'bare',
      'grouped',
      'code128',
      'cut',
    );
    fc.assert(
      fc.property(panArb, nameArb, digitString(7, 12), framing, (pan, name, rest, how) => {
        // A bare 13-digit number with a valid EAN check digit is read as a product (documented).
        fc.pre(!(pan.length === 13 && isValidGtin(pan) && (how === 'bare' || how === 'grouped')));
        const frame = {
          track1: track1(pan, name, rest),
          track2: track2(pan, rest.slice(0, 40 - pan.length - 3)),
          both: track1(pan, name, rest) + track2(pan, rest.slice(0, 16)),
          'both-lrc': withLrc(track1(pan, name, rest)) + withLrc(track2(pan, rest.slice(0, 16))),
          bare: pan,
          grouped: pan.replace(/(\d{4})(?=\d)/g, '$1 '),
          code128: `]C0${pan}`,
          cut: `%B${pan}^${name}`,
        }[how];
        const result = classifyFrame(frame, options);
        expect(result).toMatchObject({ kind: 'refused', reason: 'payment-card', last4: pan.slice(-4) });
        const json = JSON.stringify(result);
        expect(json).not.toContain(pan);
        expect(json.replace('"last4"', '').replace(/\D/g, '')).toBe(pan.slice(-4));
      }),
      { numRuns: 1000 },
    );
  });
});

const withCheck = (data: string): string => `${data}${eanCheckDigit(data)}`;

describe('check digits', () => {
  it('corrupting one digit of a valid EAN makes the check fail, and the frame is no product', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(7, 11, 12).chain((n) => digitString(n, n)),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (data, at, delta) => {
          const ean = withCheck(data);
          const i = at % ean.length;
          const corrupted = ean.slice(0, i) + String((Number(ean[i]) + delta) % 10) + ean.slice(i + 1);
          expect(isValidGtin(ean)).toBe(true);
          expect(isValidGtin(corrupted)).toBe(false);
          const aim = ean.length === 8 ? ']E4' : ']E0';
          expect(classifyFrame(aim + corrupted, options).kind).not.toBe('product');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every valid EAN-13, EAN-8 and UPC-A is a product with its GTIN-14, with or without AIM id', () => {
    const kinds = fc.constantFrom(
      { n: 12, aim: ']E0', symbology: 'ean-13' },
      { n: 7, aim: ']E4', symbology: 'ean-8' },
      { n: 11, aim: ']E0', symbology: 'upc-a' },
    );
    fc.assert(
      fc.property(kinds, digitString(12, 12), fc.boolean(), ({ n, aim, symbology }, random, sendAim) => {
        const gtin = withCheck(random.slice(0, n));
        // Bare 8 digits may be a UPC-E too; only the EAN-8 reading is asserted without an AIM id when valid.
        const result = classifyFrame((sendAim ? aim : '') + gtin, { ...options, cardPatterns: [] });
        expect(result).toMatchObject({ kind: 'product', symbology, gtin14: gtin.padStart(14, '0') });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('GS1 round trip', () => {
  const alnum = fc.string({
    unit: fc.constantFrom(...'ABCXYZabc0123456789-./'),
    minLength: 1,
    maxLength: 20,
  });
  const element = fc.oneof(
    digitString(13, 13).map((d) => ['01', withCheck(d)]),
    alnum.map((v) => ['10', v]),
    alnum.map((v) => ['21', v]),
    fc.date({ min: new Date('1980-01-01'), max: new Date('2070-12-31'), noInvalidDate: true }).map((d) => {
      const iso = d.toISOString();
      return ['17', iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10)];
    }),
    fc.tuple(fc.integer({ min: 0, max: 5 }), digitString(6, 6)).map(([n, v]) => [`310${n}`, v]),
    fc.tuple(fc.integer({ min: 0, max: 3 }), digitString(1, 15)).map(([n, v]) => [`392${n}`, v]),
  );
  it('encoded with separators only after variable-length fields, every element parses back', () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 6 }), (elements) => {
        const data = elements
          .map(([ai, v], i) => {
            const fixed = ['01', '17'].includes(ai ?? '') || (ai ?? '').startsWith('310');
            return `${ai}${v}${fixed || i === elements.length - 1 ? '' : GS}`;
          })
          .join('');
        const r = parseGs1(data, { referenceYear: 2025 });
        expect(r.ok && r.value.map((e) => [e.ai, e.value])).toEqual(elements);
      }),
      { numRuns: 500 },
    );
  });
});

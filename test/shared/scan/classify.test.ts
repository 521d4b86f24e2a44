// classifyFrame over every format it knows: AIM ids or none, products, GS1, text, stripes, NFC, card
// patterns, and the rejections a cashier sees.
import { describe, expect, it } from 'vitest';
import { parseAim } from '../../../src-shared/scan/aim.js';
import { classifyFrame, redactForLog, type ClassifyOptions } from '../../../src-shared/scan/classify.js';
import { eanCheckDigit } from '../../../src-shared/scan/check-digits.js';
import { GS } from '../../../src-shared/scan/gs1.js';
import { REJECTION_MESSAGES, scanResultSchema, type ScanResult } from '../../../src-shared/scan/result.js';
import { defaultCardPatterns } from '../../../src-shared/program/schema.js';

const options: ClassifyOptions = { cardPatterns: defaultCardPatterns(), referenceYear: 2025 };
const classify = (frame: string, o: Partial<ClassifyOptions> = {}): ScanResult => {
  const result = classifyFrame(frame, { ...options, ...o });
  expect(scanResultSchema.parse(result)).toEqual(result);
  return result;
};
const withCheck = (data: string): string => `${data}${eanCheckDigit(data)}`;

describe('parseAim', () => {
  it('splits the identifier off and names the symbology', () => {
    expect(parseAim(']E04006381333931')).toEqual({
      aim: { id: ']E0', code: 'E', modifier: '0', symbology: 'ean-13', gs1: false },
      rest: '4006381333931',
    });
    expect(parseAim(']E412345670').aim?.symbology).toBe('ean-8');
    expect(parseAim(']C1010').aim).toMatchObject({ symbology: 'gs1-128', gs1: true });
    expect(parseAim(']C0ABC').aim).toMatchObject({ symbology: 'code-128', gs1: false });
    expect(parseAim(']A3ABC').aim?.symbology).toBe('code-39');
    expect(parseAim(']e0').aim).toMatchObject({ symbology: 'gs1-databar', gs1: true });
    expect(parseAim(']d2').aim).toMatchObject({ symbology: 'gs1-datamatrix', gs1: true });
    expect(parseAim(']d1').aim).toMatchObject({ symbology: 'data-matrix', gs1: false });
    expect(parseAim(']Q3').aim).toMatchObject({ symbology: 'gs1-qr', gs1: true });
    expect(parseAim(']J1').aim).toMatchObject({ symbology: 'gs1-dotcode', gs1: true });
    expect(parseAim(']I1').aim?.symbology).toBe('itf-14');
    expect(parseAim(']H0').aim?.symbology).toBe('other');
  });

  it('leaves frames without an identifier whole', () => {
    expect(parseAim('4006381333931')).toEqual({ rest: '4006381333931' });
    expect(parseAim(']')).toEqual({ rest: ']' });
    expect(parseAim('] 0x')).toEqual({ rest: '] 0x' });
  });
});

describe('EAN/UPC products', () => {
  it('EAN-13 with and without AIM id, normalised to GTIN-14', () => {
    const product = {
      kind: 'product',
      symbology: 'ean-13',
      gtin14: '04006381333931',
      gtin13: '4006381333931',
    };
    expect(classify('4006381333931')).toEqual(product);
    expect(classify(']E04006381333931')).toEqual(product);
  });

  it('a corrupted EAN-13 is a bad check digit', () => {
    expect(classify('4006381333935')).toMatchObject({ kind: 'rejected', reason: 'bad-check-digit' });
    expect(classify(']E04006381333935')).toMatchObject({
      kind: 'rejected',
      reason: 'bad-check-digit',
      message: REJECTION_MESSAGES['bad-check-digit'],
    });
  });

  it('EAN-8', () => {
    const product = { kind: 'product', symbology: 'ean-8', gtin14: '00000095012346' };
    expect(classify(']E495012346')).toEqual(product);
    expect(classify('95012346')).toEqual(product);
    expect(classify(']E495012347')).toMatchObject({ reason: 'bad-check-digit' });
  });

  it('UPC-A as 12 digits', () => {
    expect(classify('042100005264')).toEqual({
      kind: 'product',
      symbology: 'upc-a',
      gtin14: '00042100005264',
      gtin13: '0042100005264',
    });
    expect(classify(']E0042100005264')).toMatchObject({ symbology: 'upc-a', gtin14: '00042100005264' });
    expect(classify('042100005265')).toMatchObject({ reason: 'bad-check-digit' });
  });

  it('UPC-E expanded to UPC-A before the check', () => {
    const product = {
      kind: 'product',
      symbology: 'upc-e',
      gtin14: '00042100005264',
      gtin13: '0042100005264',
    };
    expect(classify(']E004252614')).toEqual(product);
    expect(classify('04252614')).toEqual(product); // not a valid EAN-8, a valid UPC-E
    expect(classify(']E004252615')).toMatchObject({ reason: 'bad-check-digit' });
    expect(classify(']E00425261')).toMatchObject({ reason: 'unknown-format' }); // no check digit sent
  });

  it('EAN-13 with add-on (]E3), and add-ons alone', () => {
    expect(classify(']E3400638133393112')).toMatchObject({ gtin13: '4006381333931', addOn: '12' });
    expect(classify(']E3400638133393112345')).toMatchObject({ gtin13: '4006381333931', addOn: '12345' });
    expect(classify(']E304210000526412')).toMatchObject({ symbology: 'upc-a', addOn: '12' });
    expect(classify(']E3400638133393212')).toMatchObject({ reason: 'bad-check-digit' });
    expect(classify(']E31234')).toMatchObject({ reason: 'unknown-format' });
    expect(classify(']E212345')).toEqual({ kind: 'text', symbology: 'ean-add-on', text: '12345' });
    expect(classify(']E2123')).toMatchObject({ reason: 'unknown-format' });
  });

  it('ITF-14 and bare GTIN-14', () => {
    expect(classify(']I110614141000415')).toEqual({
      kind: 'product',
      symbology: 'itf-14',
      gtin14: '10614141000415',
    });
    expect(classify(']I110614141000416')).toMatchObject({ reason: 'bad-check-digit' });
    expect(classify(']I11234')).toEqual({ kind: 'text', symbology: 'itf', text: '1234' });
    expect(classify('10614141000415')).toMatchObject({ kind: 'product', symbology: 'unknown' });
  });

  it('flags in-store variable-measure prefixes 02 and 20–29', () => {
    expect(classify(withCheck('201234567890'))).toMatchObject({ variableMeasure: { prefix: '20' } });
    expect(classify(withCheck('291234567890'))).toMatchObject({ variableMeasure: { prefix: '29' } });
    expect(classify(withCheck('21234567890'))).toMatchObject({
      symbology: 'upc-a',
      variableMeasure: { prefix: '02' },
    });
    expect(classify('4006381333931')).not.toHaveProperty('variableMeasure');
  });

  it('flags restricted circulation 040–049 when no card pattern claims it', () => {
    const ean = withCheck('041234567890');
    expect(classify(ean, { cardPatterns: [] })).toMatchObject({
      kind: 'product',
      restrictedCirculation: true,
    });
  });

  it('a non-EAN length under ]E0, or letters, is not a product', () => {
    expect(classify(']E012345')).toMatchObject({ reason: 'unknown-format' });
    expect(classify(']E0ABCDEFGHIJKLM')).toMatchObject({ reason: 'unknown-format' });
  });
});

describe('GS1 element strings', () => {
  it('from each GS1 AIM id', () => {
    for (const [id, symbology] of [
      [']C1', 'gs1-128'],
      [']e0', 'gs1-databar'],
      [']d2', 'gs1-datamatrix'],
      [']Q3', 'gs1-qr'],
      [']J1', 'gs1-dotcode'],
    ]) {
      expect(classify(`${id}0109501101020917${GS}10AB`)).toEqual({
        kind: 'gs1',
        symbology,
        gtin: '09501101020917',
        elements: [
          { ai: '01', label: 'GTIN', value: '09501101020917' },
          { ai: '10', label: 'BATCH/LOT', value: 'AB' },
        ],
      });
    }
  });

  it('a weighed item: GTIN, use-by with day 00, weight, price', () => {
    const r = classify(']C101095011010209171725080031030012503922499');
    expect(r).toMatchObject({ kind: 'gs1', gtin: '09501101020917' });
    expect(r.kind === 'gs1' && r.elements.map((e) => [e.ai, e.date ?? e.decimal])).toEqual([
      ['01', undefined],
      ['17', '2025-08-31'],
      ['3103', { units: 1250, decimals: 3 }],
      ['3922', { units: 499, decimals: 2 }],
    ]);
  });

  it('resolves dates against the reference year passed in', () => {
    const at = (referenceYear: number) => {
      const r = classify(']C117990101', { referenceYear });
      return r.kind === 'gs1' ? r.elements[0]?.date : r;
    };
    expect(at(2025)).toBe('1999-01-01');
    expect(at(2060)).toBe('2099-01-01');
  });

  it('% as FNC1 in GS1 QR only', () => {
    expect(classify(']Q30109501101020917' + '10AB%21CD')).toMatchObject({
      elements: [{ ai: '01' }, { ai: '10', value: 'AB' }, { ai: '21', value: 'CD' }],
    });
    expect(classify(']C10109501101020917' + '10AB%21CD')).toMatchObject({
      elements: [{ ai: '01' }, { ai: '10', value: 'AB%21CD' }],
    });
  });

  it('without AIM id: FNC1 among digits, or the bracketed form', () => {
    expect(classify(`0109501101020917${GS}10AB`)).toMatchObject({ kind: 'gs1', symbology: 'unknown' });
    expect(classify(`${GS}0109501101020917`)).toMatchObject({ kind: 'gs1' });
    expect(classify('(01)09501101020917(17)250800')).toMatchObject({ kind: 'gs1', gtin: '09501101020917' });
  });

  it('typed rejections: unknown AI, bad check digit, bad date', () => {
    expect(classify(']C1' + '0309501101020917')).toMatchObject({ kind: 'rejected', reason: 'bad-gs1' });
    expect(classify(']C1' + '0109501101020918')).toMatchObject({
      kind: 'rejected',
      reason: 'bad-check-digit',
    });
    expect(classify(']C1' + '17251301')).toMatchObject({ kind: 'rejected', reason: 'bad-gs1' });
    expect(classify(']C1')).toMatchObject({ kind: 'rejected', reason: 'empty' });
  });

  it('GS is garbage outside GS1 data', () => {
    expect(classify(`]C0AB${GS}CD`)).toMatchObject({ reason: 'garbage' });
    expect(classify(`AB${GS}CD`)).toMatchObject({ reason: 'garbage' });
    expect(classify(`;123${GS}=1?`)).toMatchObject({ reason: 'garbage' });
  });
});

describe('text symbologies', () => {
  it('Code 128 and Code 39 come back as text', () => {
    expect(classify(']C0ABC-123 x')).toEqual({ kind: 'text', symbology: 'code-128', text: 'ABC-123 x' });
    expect(classify(']A0CODE 39')).toEqual({ kind: 'text', symbology: 'code-39', text: 'CODE 39' });
    expect(classify(']A4CODE39')).toMatchObject({ symbology: 'code-39' });
    expect(classify(']Q1https://example.com')).toMatchObject({
      symbology: 'qr',
      text: 'https://example.com',
    });
    expect(classify(']C0')).toMatchObject({ kind: 'rejected', reason: 'empty' });
  });

  it('without AIM id, text that is no number and no UID', () => {
    expect(classify('HELLO WORLD')).toEqual({ kind: 'text', symbology: 'unknown', text: 'HELLO WORLD' });
    expect(classify('12345')).toEqual({ kind: 'text', symbology: 'unknown', text: '12345' });
  });
});

describe('loyalty cards by program pattern', () => {
  it('the default pattern takes EAN-13 04x, with or without AIM id, and UPC-A 4…', () => {
    const ean = withCheck('041234567890');
    const card = { kind: 'loyalty-card', number: ean, via: 'barcode', patternId: 'store-card-04' };
    expect(classify(ean)).toEqual(card);
    expect(classify(`]E0${ean}`)).toEqual(card);
    expect(classify(`]C0${ean}`)).toEqual(card);
    expect(classify(`]E0${ean.slice(1)}`)).toEqual(card);
    expect(classify(withCheck('051234567890'))).toMatchObject({ kind: 'product' });
  });

  it('a regex pattern, limited to one medium or not, first match wins', () => {
    const cardPatterns = [
      { id: 'plastic', label: 'Plastic card', kind: 'regex', pattern: 'LC\\d{8}', via: 'barcode' },
      { id: 'any', label: 'Any', kind: 'regex', pattern: '7\\d{9}' },
      { id: 'tags', label: 'Key fob', kind: 'regex', pattern: '04[0-9A-F]{12}', via: 'nfc' },
    ] as const;
    const o = { cardPatterns: [...cardPatterns] };
    expect(classify(']C0LC12345678', o)).toMatchObject({ kind: 'loyalty-card', patternId: 'plastic' });
    expect(classify('LC12345678', o)).toMatchObject({ kind: 'loyalty-card', number: 'LC12345678' });
    expect(classify('LC123456789', o)).toMatchObject({ kind: 'text' }); // the whole text must match
    expect(classify(';7012345678=9912?', o)).toMatchObject({ via: 'magstripe', patternId: 'any' });
    expect(classify('NFC:04A23B4C5D6E7F', o)).toEqual({
      kind: 'loyalty-card',
      number: '04A23B4C5D6E7F',
      via: 'nfc',
      patternId: 'tags',
    });
    expect(classify('NFC:05A23B4C5D6E7F', o)).toEqual({ kind: 'nfc-uid', uid: '05A23B4C5D6E7F' });
  });

  it('a magstripe prefix pattern', () => {
    const o = {
      cardPatterns: [{ id: 'mag', label: 'Stripe', kind: 'magstripe-prefix' as const, prefix: '70' }],
    };
    expect(classify('%N7012345678^SMITH/ANNA^9912?', o)).toMatchObject({
      kind: 'loyalty-card',
      number: '7012345678',
    });
    expect(classify('%N8012345678^SMITH/ANNA^9912?', o)).toMatchObject({ kind: 'magstripe-card' });
  });

  it('a pattern that does not compile never matches', () => {
    const o = { cardPatterns: [{ id: 'broken', label: 'Broken', kind: 'regex' as const, pattern: '(' }] };
    expect(classify('ABC', o)).toMatchObject({ kind: 'text' });
  });
});

describe('magstripe frames', () => {
  it('a non-financial track 1 + 2 is a magstripe card with a name', () => {
    expect(classify('%N7012345678^SMITH/ANNA^9912?;7012345678=9912?')).toEqual({
      kind: 'magstripe-card',
      number: '7012345678',
      name: 'SMITH/ANNA',
    });
  });

  it('track 2 alone, with an LRC', () => {
    expect(classify(';7012345678=9912?4')).toMatchObject({ kind: 'rejected', reason: 'bad-track' });
    expect(classify(';7012345678=9912?')).toEqual({ kind: 'magstripe-card', number: '7012345678' });
  });

  it('truncated tracks are bad tracks', () => {
    expect(classify('%N7012345678^SMITH/A')).toMatchObject({
      kind: 'rejected',
      reason: 'bad-track',
      message: REJECTION_MESSAGES['bad-track'],
    });
    expect(classify(';70123456')).toMatchObject({ reason: 'bad-track' });
  });
});

describe('NFC', () => {
  it('the documented forms', () => {
    expect(classify('NFC:04:a2:3b:4c:5d:6e:7f')).toEqual({ kind: 'nfc-uid', uid: '04A23B4C5D6E7F' });
    expect(classify('04-A2-3B-4C')).toEqual({ kind: 'nfc-uid', uid: '04A23B4C' });
    expect(classify('04a23b4c5d6e7f')).toEqual({ kind: 'nfc-uid', uid: '04A23B4C5D6E7F' });
    expect(classify('NFC:04A2')).toMatchObject({ kind: 'rejected', reason: 'unknown-format' });
  });

  it('an AIM id makes it a barcode, not a UID', () => {
    expect(classify(']C0DEADBEEF')).toMatchObject({ kind: 'text', text: 'DEADBEEF' });
  });
});

describe('garbage, length, empty', () => {
  it('empty and blank frames', () => {
    expect(classify('')).toEqual({ kind: 'rejected', reason: 'empty', message: REJECTION_MESSAGES.empty });
    expect(classify(' \r\n')).toMatchObject({ reason: 'empty' });
  });

  it('strips a stray terminator and padding', () => {
    expect(classify('4006381333931\r\n')).toMatchObject({ kind: 'product' });
    expect(classify(' 4006381333931 ')).toMatchObject({ kind: 'product' });
  });

  it('control bytes, DEL and non-ASCII are garbage', () => {
    for (const frame of [
      '\u0000',
      'AB\u0007C',
      '400638\u001b1333931',
      'AB\u007f',
      'caf\u00e9',
      '\u00ff\u00fe',
      '12\r34',
    ])
      expect(classify(frame)).toMatchObject({
        kind: 'rejected',
        reason: 'garbage',
        message: REJECTION_MESSAGES.garbage,
      });
  });

  it('frames over 512 characters are too long', () => {
    expect(classify('A'.repeat(512))).toMatchObject({ kind: 'text' });
    expect(classify('A'.repeat(513))).toMatchObject({ kind: 'rejected', reason: 'too-long' });
  });

  it('rejections never quote the frame', () => {
    for (const frame of ['SECRET\u0000', 'SECRET'.repeat(100), ']C110SECRET' + 'X'.repeat(30), '%NSECRET'])
      expect(JSON.stringify(classify(frame))).not.toContain('SECRET');
  });

  it('never throws, even when called from JavaScript with a non-string', () => {
    expect(classifyFrame(undefined as unknown as string, options)).toMatchObject({ kind: 'rejected' });
  });
});

describe('redactForLog', () => {
  it('gives the length and the kind, no content', () => {
    expect(redactForLog(']E04006381333931')).toBe('16 chars: product (ean-13)');
    expect(redactForLog('%B4111111111111111^DOE/JOHN^2512?')).toBe('33 chars: payment card (visa), refused');
    expect(redactForLog('%N7012345678^SMITH/ANNA^9912?')).toBe('29 chars: magstripe-card');
    expect(redactForLog('\u0000')).toBe('1 chars: rejected (garbage)');
  });
});

// The payment-card guard: every way a card number can arrive is refused with brand and last four only, and
// the product barcodes that merely look like card numbers are still products.
import { describe, expect, it } from 'vitest';
import { classifyFrame } from '../../../src-shared/scan/classify.js';
import { eanCheckDigit, luhnValid } from '../../../src-shared/scan/check-digits.js';
import { GS } from '../../../src-shared/scan/gs1.js';
import {
  describePaymentCard,
  findCardNumber,
  findFinancialTrack1,
  paymentCardIn,
} from '../../../src-shared/scan/payment-guard.js';
import { PAYMENT_CARD_MESSAGE, scanResultSchema, type ScanResult } from '../../../src-shared/scan/result.js';
import { defaultCardPatterns } from '../../../src-shared/program/schema.js';
import { cardNumberSchema } from '../../../src-shared/ledger/member.js';
import { eventFactory } from '../../support/events.js';

const classify = (frame: string): ScanResult => {
  const r = classifyFrame(frame, { cardPatterns: defaultCardPatterns(), referenceYear: 2025 });
  expect(scanResultSchema.safeParse(r).success).toBe(true);
  return r;
};
const luhnComplete = (partial: string): string => {
  for (let c = 0; c <= 9; c++) if (luhnValid(`${partial}${c}`)) return `${partial}${c}`;
  throw new Error('unreachable');
};
const PAN = '4111111111111111';
const refusal = (brand: string, last4: string) => ({
  kind: 'refused',
  reason: 'payment-card',
  message: PAYMENT_CARD_MESSAGE,
  brand,
  last4,
});
const expectRefused = (frame: string, pan: string, brand = 'visa') => {
  const r = classify(frame);
  expect(r).toEqual(refusal(brand, pan.slice(-4)));
  expect(JSON.stringify(r)).not.toContain(pan);
};

describe('payment cards are refused', () => {
  it('a financial track 1, track 2, both, with LRC', () => {
    expectRefused(`%B${PAN}^DOE/JOHN^25121010000000000000?`, PAN);
    expectRefused(`;${PAN}=25121010000000000?`, PAN);
    expectRefused(`%B${PAN}^DOE/JOHN^2512101?;${PAN}=2512101?`, PAN);
    expectRefused(`;${PAN}=2512101?:`, PAN);
  });

  it('cut-short, reader-prefixed, noisy or overlong swipes', () => {
    expectRefused(`%B${PAN}^DOE/J`, PAN);
    expectRefused(`%B${PAN}`, PAN);
    expectRefused(`;${PAN}=25`, PAN);
    expectRefused(`RDR1%B${PAN}^DOE/JOHN^2512?`, PAN);
    expectRefused(`\u0000\u0013;${PAN}=2512101?`, PAN);
    expectRefused(`%B${PAN}^DOE/JOHN^2512?${'x'.repeat(600)}`, PAN);
    expectRefused(`${PAN}=2512101`, PAN); // sentinels stripped by the reader
  });

  it('a bare number, typed or scanned, grouped or not', () => {
    expectRefused(PAN, PAN);
    expectRefused('4111 1111 1111 1111', PAN);
    expectRefused('4111-1111-1111-1111', PAN);
    expectRefused('4111 1111 1111 1111 12/25', PAN);
    expectRefused('4111 1111 1111 1111 1225', PAN);
    expectRefused('3782 822463 10005', '378282246310005', 'amex');
    expectRefused(`card ${PAN} thanks`, PAN);
  });

  it('behind a non-EAN AIM id: the modifier does not hide it', () => {
    expectRefused(`]C0${PAN}`, PAN);
    expectRefused(`]A0${PAN}`, PAN);
    expectRefused(`]Q1${PAN}`, PAN);
  });

  it('format B is refused even without a valid number, and the brand says unknown', () => {
    expect(classify('%B1234567890123^DOE/JOHN^2512?')).toEqual(refusal('unknown', '0123'));
    expect(classify('%B12^DOE?')).toEqual({
      kind: 'refused',
      reason: 'payment-card',
      message: PAYMENT_CARD_MESSAGE,
      brand: 'unknown',
    });
  });

  it('a non-financial track whose number looks like a payment card is refused too', () => {
    expectRefused(`%N${PAN}^SMITH/ANNA^9912?`, PAN);
    expectRefused(`%N7012345678^${PAN}^9912?`, PAN);
  });

  it('a card number in a GS1 free-text field', () => {
    expectRefused(`]C10109501101020917${GS}21${PAN}`, PAN);
    expectRefused(`]C110${PAN}`, PAN);
    expectRefused(`]Q3240${PAN}%10AB`, PAN);
  });

  it('every brand in the IIN table', () => {
    for (const [prefix, brand] of [
      ['4', 'visa'],
      ['51', 'mastercard'],
      ['2720', 'mastercard'],
      ['34', 'amex'],
      ['6011', 'discover'],
      ['645', 'discover'],
      ['65', 'discover'],
      ['3528', 'jcb'],
      ['36', 'diners'],
      ['39', 'diners'],
      ['305', 'diners'],
      ['62', 'unionpay'],
    ] as const) {
      const pan = luhnComplete(prefix.padEnd(15, '7'));
      expectRefused(pan, pan, brand);
    }
  });
});

describe('products that look like card numbers', () => {
  // A 13-digit EAN starting with 4 that also passes Luhn: Visa's IIN range.
  const both = (() => {
    for (let n = 400000000000; ; n++) {
      const data = String(n);
      const ean = `${data}${eanCheckDigit(data)}`;
      if (luhnValid(ean)) return ean;
    }
  })();

  it('an EAN-13 with ]E0 and a valid check digit is a product', () => {
    expect(luhnValid(both)).toBe(true);
    expect(classify(`]E0${both}`)).toMatchObject({ kind: 'product', gtin13: both });
  });

  it('a bare 13 digits with a valid EAN check digit is a product (documented ambiguity)', () => {
    expect(classify(both)).toMatchObject({ kind: 'product', gtin13: both });
  });

  it('the same digits as Code 128 text, or with a wrong EAN check digit, are a card', () => {
    expect(classify(`]C0${both}`)).toMatchObject({ kind: 'refused' });
    expect(classify('4006381333932')).toMatchObject({ kind: 'refused', last4: '3932' }); // EAN check 1, Luhn ok
    expect(classify(']E04006381333932')).toMatchObject({ kind: 'refused' });
  });

  it('a 16-digit number is a card even with a valid GTIN-style check digit', () => {
    const pan = luhnComplete('411111111111111');
    expect(classify(pan)).toMatchObject({ kind: 'refused' });
  });

  it('an EAN-13 with add-on under ]E3 stays a product though the digits run together', () => {
    const addOn = (() => {
      for (let n = 10; n < 100; n++) if (luhnValid(`${both}${n}`)) return String(n);
      throw new Error('unreachable');
    })();
    expect(classify(`]E3${both}${addOn}`)).toMatchObject({ kind: 'product', addOn });
  });

  it('ITF-14 with ]I1 and a valid check digit is a product', () => {
    for (let n = 4000000000000; ; n++) {
      const data = String(n);
      const gtin = `${data}${eanCheckDigit(data)}`;
      if (!luhnValid(gtin)) continue;
      expect(classify(`]I1${gtin}`)).toMatchObject({ kind: 'product', gtin14: gtin });
      expect(classify(gtin)).toMatchObject({ kind: 'refused' }); // bare GTIN-14: a card wins
      break;
    }
  });

  it('a GS1 price whose digits run like a Diners number is GS1 data', () => {
    const run = luhnComplete('392212345678901'); // AI 3922, price 12345678901 + 1 digit
    expect(classify(`]C10109501101020917${GS}${run}`)).toMatchObject({ kind: 'gs1' });
    expect(classify(`0109501101020917${GS}${run}`)).toMatchObject({ kind: 'gs1' });
  });

  it('an NFC: UID of decimal digits is a UID', () => {
    const uid = luhnComplete('3612345678901');
    expect(classify(`NFC:${uid}`)).toEqual({ kind: 'nfc-uid', uid });
  });
});

describe('the guard helpers', () => {
  it('findFinancialTrack1 and findCardNumber', () => {
    expect(findFinancialTrack1('%B4111 1111 1111 1111^X')).toEqual({ brand: 'visa', last4: '1111' });
    expect(findFinancialTrack1('%A4111')).toBeUndefined();
    expect(findCardNumber('no digits')).toBeUndefined();
    expect(findCardNumber(`9${PAN}`)).toBeUndefined(); // inside a longer number: not looked for
    expect(findCardNumber(`x${PAN}x`)).toEqual({ brand: 'visa', last4: '1111' });
  });
});

describe('what looks like a payment card is refused, Luhn or not (issue 11)', () => {
  it.each([
    ['a track 2 with one misread digit', ';4111111111111112=2512101?', 'visa', '1112'],
    ['a track 2 without sentinels, misread', '4111111111111112=2512101', 'visa', '1112'],
    ['EMV track 2 equivalent data', '4111111111111111D25121010000', 'visa', '1111'],
    ['a track 1 whose reader stripped the sentinel', 'B4111111111111111^DOE/JOHN^2512101?', 'visa', '1111'],
    ['a 12-digit Maestro behind a text AIM id', ']C0501234567890', 'maestro', '7890'],
    ['a 12-digit Maestro typed with spaces', '5012 3456 7890', 'maestro', '7890'],
    ['digits grouped by dots', '4111.1111.1111.1111', 'visa', '1111'],
    ['by slashes', '4111/1111/1111/1111', 'visa', '1111'],
    ['by underscores', '4111_1111_1111_1111', 'visa', '1111'],
    ['by double spaces', '4111  1111  1111  1111', 'visa', '1111'],
    ['glued to the expiry', `${PAN}1225`, 'visa', '1111'],
    ['misread and glued to the expiry', '41111111111111122512', 'visa', '1112'],
    ['misread, grouped, then the expiry', '4111 1111 1111 1112 12/25', 'visa', '1112'],
    ['an Amex with one misread digit', '3782 822463 10006', 'amex', '0006'],
    ['a Mir card', luhnComplete('220012345678901'), 'mir', undefined],
  ] as const)('%s', (_what, frame, brand, last4) => {
    const r = classify(frame);
    expect(r).toMatchObject({ kind: 'refused', brand, ...(last4 !== undefined ? { last4 } : {}) });
    expect(JSON.stringify(r).replace(/"last4":"\d{4}"/, '')).not.toMatch(/\d/);
    expect(paymentCardIn(frame)).toMatchObject({ brand });
  });

  it('a private-label track 2 stays a stripe card, and a store card stays a loyalty card', () => {
    expect(classify(';7012345678901234=2512101?')).toEqual({
      kind: 'magstripe-card',
      number: '7012345678901234',
    });
    expect(paymentCardIn('7012345678901234=2512101')).toBeUndefined();
    expect(classify('0490000000016')).toMatchObject({ kind: 'loyalty-card', number: '0490000000016' });
    expect(paymentCardIn('0490000000016')).toBeUndefined();
  });

  it('a number that fits no scheme length is not a card unless it passes Luhn', () => {
    expect(paymentCardIn('5394120000008')).toBeUndefined(); // Mastercard is 16 digits; 53… is no Maestro
    expect(paymentCardIn('376000000101')).toBeUndefined(); // Amex is 15 digits
    expect(paymentCardIn('34111111111111')).toBeUndefined(); // 14 digits, fails Luhn
    expect(paymentCardIn(luhnComplete('3411111111111'))).toMatchObject({ brand: 'amex' }); // 14, Luhn
  });
});

describe('the line between a scanned product and a card number', () => {
  const realProduct = '5394120000008';
  const visaShaped = '4006381333931'; // an EAN-13 of Germany, Visa's IIN and a Visa length

  it('an EAN-13 with ]E0 and a valid check digit is a product, whatever its first digits', () => {
    expect(classify(`]E0${realProduct}`)).toMatchObject({ kind: 'product', gtin13: realProduct });
    expect(classify(`]E0${visaShaped}`)).toMatchObject({ kind: 'product', gtin13: visaShaped });
  });

  it('so is a bare 13-digit frame with a valid check digit: a scanner without AIM ids', () => {
    expect(classify(realProduct)).toMatchObject({ kind: 'product', gtin13: realProduct });
    expect(classify(visaShaped)).toMatchObject({ kind: 'product', gtin13: visaShaped });
  });

  it('as raw text (Code 128, grouped, typed at HQ) the Visa-shaped one is a card', () => {
    expect(classify(`]C0${visaShaped}`)).toMatchObject({ kind: 'refused', brand: 'visa', last4: '3931' });
    expect(classify('4006 3813 3393 1')).toMatchObject({ kind: 'refused', last4: '3931' });
    expect(paymentCardIn(visaShaped)).toEqual({ brand: 'visa', last4: '3931' });
    expect(cardNumberSchema.safeParse(visaShaped).success).toBe(false);
    // 53… at 13 digits fits no scheme: a product everywhere, and a possible card number.
    expect(classify(`]C0${realProduct}`)).toMatchObject({ kind: 'text' });
    expect(cardNumberSchema.safeParse(realProduct).success).toBe(true);
  });
});

describe('the shared card-number schema', () => {
  it('refuses a payment card with a message that names brand and last four only', () => {
    const parsed = cardNumberSchema.safeParse('4111 1111 1111 1111');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      'looks like a payment card (Visa …1111): payment cards cannot be loyalty cards',
    ]);
    expect(JSON.stringify(parsed.error)).not.toContain('4111 1111 1111');
  });

  it('accepts loyalty numbers', () => {
    for (const card of ['0490000000016', 'card-12', 'LC123456', '7012345678901234', '2900000000017'])
      expect(cardNumberSchema.safeParse(card).success, card).toBe(true);
  });

  it('so a terminal cannot even seal an enrollment or a card link carrying one', () => {
    const f = eventFactory();
    expect(() => f.enrolled('m-1', { cards: [PAN] })).toThrow(/looks like a payment card \(Visa …1111\)/);
    expect(() => f.updated('m-1', { addCards: ['5555555555554444'] })).toThrow(/Mastercard …4444/);
    try {
      f.enrolled('m-2', { cards: [PAN] });
    } catch (e) {
      expect(String(e)).not.toContain(PAN);
    }
  });

  it('describes a card whose digits were too few for a last four', () => {
    expect(describePaymentCard({ brand: 'unknown' })).toBe('looks like a payment card (unknown brand)');
  });
});

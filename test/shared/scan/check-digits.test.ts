// GS1 and Luhn arithmetic against the reference examples and hand-checked values.
import { describe, expect, it } from 'vitest';
import {
  eanCheckDigit,
  expandUpcE,
  hasValidCheckDigit,
  isPaymentCardNumber,
  isValidGtin,
  luhnValid,
  paymentBrand,
  toGtin14,
} from '../../../src-shared/scan/check-digits.js';

describe('eanCheckDigit', () => {
  it('matches the reference examples', () => {
    expect(eanCheckDigit('950110153100')).toBe(0);
    expect(eanCheckDigit('9501234')).toBe(6);
    expect(eanCheckDigit('400638133393')).toBe(1);
  });

  it('weights from the rightmost data digit, whatever the length', () => {
    expect(eanCheckDigit('0950110153100')).toBe(0); // a leading zero changes nothing
    expect(eanCheckDigit('0000000000000')).toBe(0);
    expect(eanCheckDigit('1')).toBe(7); // 1×3 = 3 → 7
  });

  it('has no answer for non-digits', () => {
    expect(eanCheckDigit('')).toBeUndefined();
    expect(eanCheckDigit('12a4')).toBeUndefined();
  });
});

describe('isValidGtin', () => {
  it('accepts the reference EAN-13, EAN-8 and their GTIN-14 forms', () => {
    expect(isValidGtin('4006381333931')).toBe(true);
    expect(isValidGtin('95012346')).toBe(true);
    expect(isValidGtin('9501101531000')).toBe(true);
    expect(isValidGtin(toGtin14('4006381333931'))).toBe(true);
  });

  it('refuses a corrupted digit, a transposition and wrong lengths', () => {
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('4006381333913')).toBe(false);
    expect(isValidGtin('5006381333931')).toBe(false);
    expect(isValidGtin('95012346'.slice(1))).toBe(false);
    expect(isValidGtin('123456789012345')).toBe(false);
    expect(hasValidCheckDigit('7')).toBe(false);
  });
});

describe('expandUpcE', () => {
  // The four expansion rules, by the last of the six data digits.
  it.each([
    ['04252614', '042100005264'], // 0–2: manufacturer ends with it, product 00 + three digits
    ['01234531', '012300000451'], // 3
    ['01234541', '012340000051'], // 4
    ['01234565', '012345000065'], // 5–9
  ])('%s → %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
  });

  it('computes the check digit when it was not sent', () => {
    expect(expandUpcE('425261')).toBe('042100005264');
    expect(expandUpcE('0425261')).toBe('042100005264');
  });

  it('keeps a sent check digit for the caller to verify', () => {
    expect(expandUpcE('04252615')).toBe('042100005265');
    expect(isValidGtin(expandUpcE('04252615') ?? '')).toBe(false);
    expect(isValidGtin(expandUpcE('04252614') ?? '')).toBe(true);
  });

  it('knows only number systems 0 and 1', () => {
    expect(expandUpcE('24252614')).toBeUndefined();
    expect(expandUpcE('12345')).toBeUndefined();
    expect(expandUpcE('0425261a')).toBeUndefined();
  });
});

describe('luhnValid and paymentBrand', () => {
  it('checks well-known test card numbers', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('41x1')).toBe(false);
  });

  it.each([
    ['4111111111111111', 'visa'],
    ['5105105105105100', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000000', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6011111111111117', 'discover'],
    ['6440000000000000', 'discover'],
    ['6500000000000000', 'discover'],
    ['3530111333300000', 'jcb'],
    ['3589000000000000', 'jcb'],
    ['36000000000000', 'diners'],
    ['3800000000000000', 'diners'],
    ['3056930902590400', 'diners'],
    ['6200000000000005', 'unionpay'],
  ] as const)('%s is %s', (digits, brand) => {
    expect(paymentBrand(digits)).toBe(brand);
  });

  it.each([
    '2220999999999999',
    '2721000000000000',
    '5600000000000000',
    '3527000000000000',
    '3060000000000000',
    '6010000000000000',
    '6430000000000000',
    '1234567890123456',
    '0412345678903',
    '9501101531000',
  ])('%s is in no IIN range', (digits) => {
    expect(paymentBrand(digits)).toBeUndefined();
  });

  it('a payment card number has 13–19 digits, Luhn and an IIN', () => {
    expect(isPaymentCardNumber('4111111111111111')).toBe(true);
    expect(isPaymentCardNumber('4222222222222')).toBe(true);
    expect(isPaymentCardNumber('411111111111')).toBe(false); // 12 digits
    expect(isPaymentCardNumber('41111111111111111111')).toBe(false); // 20 digits
    expect(isPaymentCardNumber('4111111111111112')).toBe(false);
    expect(isPaymentCardNumber('1234567890123452')).toBe(false);
  });
});

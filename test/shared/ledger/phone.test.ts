// Phone matching: typed numbers normalise to one E.164 form per country's rules, hashed with a domain prefix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src-shared/kernel/hash.js';
import {
  isPhoneCountry,
  normalisePhone,
  phoneCountrySchema,
  phoneHash,
  phoneLast4,
} from '../../../src-shared/ledger/phone.js';

/**
 * The hand-written normaliser this module replaced (as of commit 45bf782), kept as the oracle for hash
 * compatibility: a number it normalised correctly must hash the same after the move to libphonenumber-js.
 */
function legacyNormalise(raw: string, defaultCountryCode: string): string | null {
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
  if (subscriber < 6 || full.length > 15 || full.startsWith('0')) return null;
  return `+${full}`;
}

describe('normalisePhone', () => {
  it('normalises the usual ways of typing one number to the same E.164 form', () => {
    const forms = [
      '06 12 34 56 78',
      '06-12-34-56-78',
      '06.12.34.56.78',
      '+33 6 12 34 56 78',
      '0033 6 12 34 56 78',
      '+33 (0)6 12 34 56 78',
      ' 0612345678 ',
    ];
    for (const raw of forms) {
      expect(normalisePhone(raw, 'FR')).toBe('+33612345678');
      // A calling code, as older callers give it, reads the same.
      expect(normalisePhone(raw, '33')).toBe('+33612345678');
    }
    expect(normalisePhone('(415) 555-0100', 'US')).toBe('+14155550100');
    expect(normalisePhone('(415) 555-0100', '+1')).toBe('+14155550100');
    expect(normalisePhone('+44 20 7946 0000', 'FR')).toBe('+442079460000');
  });

  it("applies the default country's own rules: trunk prefix, international prefix", () => {
    expect(normalisePhone('087 123 4567', 'IE')).toBe('+353871234567');
    // Italy has no trunk prefix: the leading 0 of a Rome number is part of it (the old code dropped it).
    expect(normalisePhone('06 1234 5678', 'IT')).toBe('+390612345678');
    // North America dials abroad with 011; `00` is still read as international everywhere.
    expect(normalisePhone('011 44 20 7946 0000', 'US')).toBe('+442079460000');
    expect(normalisePhone('0044 20 7946 0000', 'US')).toBe('+442079460000');
    expect(normalisePhone('0044 20 7946 0000', '1')).toBe('+442079460000');
    // Australia's 0011 is its international prefix, not `00` followed by 11.
    expect(normalisePhone('0011 44 20 7946 0000', 'AU')).toBe('+442079460000');
    // An international number keeps its own country whatever the store's.
    expect(normalisePhone('+353 87 123 4567', 'FR')).toBe('+353871234567');
  });

  it('refuses what is not a phone number, or not a length the country allows', () => {
    expect(normalisePhone('12345', 'FR')).toBeNull();
    expect(normalisePhone('+33 12', 'FR')).toBeNull();
    expect(normalisePhone('06 12 AB 56 78', 'FR')).toBeNull();
    expect(normalisePhone('call 0612345678', 'FR')).toBeNull();
    expect(normalisePhone('', 'FR')).toBeNull();
    expect(normalisePhone('+1234567890123456', 'FR')).toBeNull();
    expect(normalisePhone('+0612345678', 'FR')).toBeNull();
    // A French number is 9 digits after the trunk 0; the old code took 6 to 12.
    expect(legacyNormalise('06 12 34 56 78 9', '33')).toBe('+336123456789');
    expect(normalisePhone('06 12 34 56 78 9', 'FR')).toBeNull();
    expect(legacyNormalise('06 12 34 5', '33')).toBe('+33612345');
    expect(normalisePhone('06 12 34 5', 'FR')).toBeNull();
  });

  it('refuses a default country it does not know', () => {
    for (const country of ['XX', 'ie', 'UK', 'FRA', '', '0', '+', '1234'])
      expect(normalisePhone('0612345678', country)).toBeNull();
  });

  it('is idempotent and yields + and digits only', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0+]?[\d ()\-.]{0,20}$/),
        fc.constantFrom('1', '33', '+44', '353', 'IE', 'FR', 'IT', 'US'),
        (raw, country) => {
          const n = normalisePhone(raw, country);
          if (n === null) return;
          expect(n).toMatch(/^\+[1-9]\d{5,14}$/);
          expect(normalisePhone(n, country)).toBe(n);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('hash compatibility with the hand-written normaliser', () => {
  it("keeps the demo chain's phones (08x xxx xxxx, Ireland) and their hashes", () => {
    let checked = 0;
    for (let prefix = 3; prefix <= 9; prefix++) {
      for (const middle of [100, 555, 999]) {
        for (const last of [1000, 4321, 9999]) {
          const typed = `08${prefix} ${middle} ${last}`;
          const before = legacyNormalise(typed, '353');
          expect(before).not.toBeNull();
          expect(normalisePhone(typed, 'IE')).toBe(before);
          expect(normalisePhone(typed, '353')).toBe(before);
          expect(phoneHash(normalisePhone(typed, 'IE')!)).toBe(phoneHash(before!));
          checked += 1;
        }
      }
    }
    expect(checked).toBe(63);
  });

  it('agrees wherever both accept a number, in countries whose trunk prefix is 0 or none (property)', () => {
    const cases = [
      { country: 'IE', code: '353', national: fc.stringMatching(/^0[1-9]\d{7,8}$/) },
      { country: 'FR', code: '33', national: fc.stringMatching(/^0[1-9]\d{8}$/) },
      { country: 'GB', code: '44', national: fc.stringMatching(/^0[1-9]\d{8,9}$/) },
      { country: 'DE', code: '49', national: fc.stringMatching(/^0[1-9]\d{6,10}$/) },
      { country: 'US', code: '1', national: fc.stringMatching(/^[2-9]\d{2}[2-9]\d{6}$/) },
    ];
    for (const { country, code, national } of cases) {
      fc.assert(
        fc.property(national, fc.boolean(), (digits, international) => {
          const typed = international ? `+${code} ${digits.replace(/^0/, '')}` : digits;
          const now = normalisePhone(typed, country);
          if (now !== null) expect(now).toBe(legacyNormalise(typed, code));
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('phoneCountrySchema', () => {
  it('takes upper-case ISO 3166-1 alpha-2 countries with a numbering plan', () => {
    expect(isPhoneCountry('IE')).toBe(true);
    expect(isPhoneCountry('GB')).toBe(true);
    expect(phoneCountrySchema.safeParse('UK').success).toBe(false);
    expect(phoneCountrySchema.safeParse('ie').success).toBe(false);
    expect(phoneCountrySchema.safeParse('IRL').success).toBe(false);
  });
});

describe('phoneHash and phoneLast4', () => {
  it('hashes with a domain prefix and keeps the last four digits', () => {
    expect(phoneHash('+33612345678')).toBe(sha256Hex('phone:+33612345678'));
    expect(phoneHash('+33612345678')).not.toBe(sha256Hex('+33612345678'));
    expect(phoneLast4('+33612345678')).toBe('5678');
  });
});

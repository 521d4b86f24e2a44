// Phone matching: typed numbers normalise to one form, hashed with a domain prefix.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src-shared/kernel/hash.js';
import { normalisePhone, phoneHash, phoneLast4 } from '../../../src-shared/ledger/phone.js';

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
    for (const raw of forms) expect(normalisePhone(raw, '33')).toBe('+33612345678');
    expect(normalisePhone('(415) 555-0100', '+1')).toBe('+14155550100');
    expect(normalisePhone('+44 20 7946 0000', '33')).toBe('+442079460000');
  });

  it('refuses what is not a phone number', () => {
    expect(normalisePhone('12345', '33')).toBeNull();
    expect(normalisePhone('+33 12', '33')).toBeNull();
    expect(normalisePhone('06 12 AB 56 78', '33')).toBeNull();
    expect(normalisePhone('', '33')).toBeNull();
    expect(normalisePhone('+1234567890123456', '33')).toBeNull();
    expect(normalisePhone('0612345678', 'FR')).toBeNull();
    expect(normalisePhone('+0612345678', '33')).toBeNull();
  });

  it('is idempotent and yields + and digits only', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0+]?[\d ()\-.]{0,20}$/),
        fc.constantFrom('1', '33', '+44', '353'),
        (raw, cc) => {
          const n = normalisePhone(raw, cc);
          if (n === null) return;
          expect(n).toMatch(/^\+[1-9]\d{5,14}$/);
          expect(normalisePhone(n, cc)).toBe(n);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('phoneHash and phoneLast4', () => {
  it('hashes with a domain prefix and keeps the last four digits', () => {
    expect(phoneHash('+33612345678')).toBe(sha256Hex('phone:+33612345678'));
    expect(phoneHash('+33612345678')).not.toBe(sha256Hex('+33612345678'));
    expect(phoneLast4('+33612345678')).toBe('5678');
  });
});

// GS1 element strings: fixed-length AIs without separators, variable ones ended by GS or end of data, typed
// fields for dates, weights and prices, and refusals for anything that would be a guess.
import { describe, expect, it } from 'vitest';
import { GS, parseGs1, resolveGs1Date, type Gs1Element } from '../../../src-shared/scan/gs1.js';

const Y = { referenceYear: 2025 };
const parsed = (data: string, options: Parameters<typeof parseGs1>[1] = Y): Gs1Element[] => {
  const r = parseGs1(data, options);
  if (!r.ok) throw new Error(`${r.error.reason}: ${r.error.detail}`);
  return r.value;
};
const failure = (data: string) => {
  const r = parseGs1(data, Y);
  return r.ok ? undefined : r.error;
};

describe('parseGs1: separators', () => {
  it('needs no separator after predefined fixed-length AIs', () => {
    const els = parsed('01095011010209171725080010ABC123');
    expect(els.map((e) => [e.ai, e.value])).toEqual([
      ['01', '09501101020917'],
      ['17', '250800'],
      ['10', 'ABC123'],
    ]);
  });

  it('ends a variable-length AI at GS, and accepts a leading FNC1 and a GS after a fixed AI', () => {
    const els = parsed(`${GS}0109501101020917${GS}10ABC${GS}21S-42${GS}3922499`);
    expect(els.map((e) => [e.ai, e.value])).toEqual([
      ['01', '09501101020917'],
      ['10', 'ABC'],
      ['21', 'S-42'],
      ['3922', '499'],
    ]);
  });

  it('reads a variable-length AI to the end of the data when it is last', () => {
    expect(parsed('0109501101020917' + '21' + 'X'.repeat(20)).at(-1)).toMatchObject({
      ai: '21',
      value: 'X'.repeat(20),
    });
  });

  it('takes % as FNC1 only when asked (GS1 QR)', () => {
    expect(parsed('10AB%21CD', { referenceYear: 2025, percentIsSeparator: true })).toEqual([
      { ai: '10', label: 'BATCH/LOT', value: 'AB' },
      { ai: '21', label: 'SERIAL', value: 'CD' },
    ]);
    expect(parsed('10AB%21CD')).toEqual([{ ai: '10', label: 'BATCH/LOT', value: 'AB%21CD' }]);
  });

  it('reads the bracketed human-readable form', () => {
    expect(parsed('(01)09501101020917(10)ABC(3103)001250').map((e) => e.ai)).toEqual(['01', '10', '3103']);
  });

  it('refuses a variable field that overruns its maximum (a missing separator)', () => {
    expect(failure('10' + 'A'.repeat(21))).toMatchObject({ reason: 'bad-gs1' });
    expect(failure('21' + 'A'.repeat(21))).toMatchObject({ reason: 'bad-gs1' });
  });

  it('refuses a fixed-length AI outside the predefined table without its separator', () => {
    expect(parsed(`422250${GS}10A`).map((e) => e.ai)).toEqual(['422', '10']);
    expect(failure('42225010A')).toMatchObject({
      reason: 'bad-gs1',
      detail: 'AI 422 must be followed by a separator',
    });
  });

  it('refuses truncated fixed fields, empty values, unknown AIs and bad brackets', () => {
    expect(failure('0109501101')).toMatchObject({ reason: 'bad-gs1' });
    expect(failure(`10${GS}21A`)).toMatchObject({ reason: 'bad-gs1' });
    expect(failure('0109501101020917' + '9')).toMatchObject({ reason: 'bad-gs1' });
    expect(failure('0309501101020917')).toMatchObject({ reason: 'bad-gs1' }); // 03 has a length, not a meaning here
    expect(failure('(01)09501101020917(99')).toMatchObject({ reason: 'bad-gs1' });
    expect(failure('(04)123')).toMatchObject({ reason: 'bad-gs1', detail: 'unknown AI 04' });
    expect(failure('')).toMatchObject({ reason: 'bad-gs1' });
    expect(failure(GS)).toMatchObject({ reason: 'bad-gs1' });
  });

  it('refuses characters an AI does not allow', () => {
    expect(failure('30 12')).toMatchObject({ reason: 'bad-gs1' }); // numeric AI
    expect(failure('10AB~C')).toMatchObject({ reason: 'bad-gs1' }); // ~ is not in GS1's 82 characters
  });

  it('never puts the data into a failure detail', () => {
    expect(failure('10' + 'SECRET'.repeat(4))?.detail).not.toContain('SECRET');
  });
});

describe('parseGs1: the AIs', () => {
  it('00 SSCC and 01/02 GTIN with their check digits', () => {
    expect(parsed('00106141411234567897')[0]).toEqual({
      ai: '00',
      label: 'SSCC',
      value: '106141411234567897',
    });
    expect(failure('00106141411234567898')).toMatchObject({ reason: 'bad-check-digit' });
    expect(parsed('0209501101020917')[0]).toMatchObject({ ai: '02', label: 'CONTENT' });
    expect(failure('0109501101020918')).toMatchObject({
      reason: 'bad-check-digit',
      detail: 'AI 01 has a wrong check digit',
    });
  });

  it('10 batch and 21 serial up to 20 characters', () => {
    expect(parsed('10' + 'B'.repeat(20))[0]).toMatchObject({ ai: '10', value: 'B'.repeat(20) });
    expect(parsed('21abc-/.123')[0]).toMatchObject({ ai: '21', label: 'SERIAL', value: 'abc-/.123' });
  });

  it.each([
    ['11', 'PROD DATE'],
    ['13', 'PACK DATE'],
    ['15', 'BEST BEFORE'],
    ['17', 'USE BY'],
  ])('%s %s is a date', (ai, label) => {
    expect(parsed(`${ai}250314`)[0]).toEqual({ ai, label, value: '250314', date: '2025-03-14' });
  });

  it('310n net weight in kg with n decimals', () => {
    expect(parsed('3103001250')[0]).toEqual({
      ai: '3103',
      label: 'NET WEIGHT (kg)',
      value: '001250',
      decimal: { units: 1250, decimals: 3 },
      unit: 'kg',
    });
    expect(parsed('3100000007')[0]?.decimal).toEqual({ units: 7, decimals: 0 });
    expect(failure('3106001250')).toMatchObject({ reason: 'bad-gs1' }); // n goes to 5
  });

  it('392n price and 393n price with ISO currency', () => {
    expect(parsed('39221299')[0]).toEqual({
      ai: '3922',
      label: 'PRICE',
      value: '1299',
      decimal: { units: 1299, decimals: 2 },
    });
    expect(parsed('3932978599')[0]).toEqual({
      ai: '3932',
      label: 'PRICE',
      value: '978599',
      currency: '978',
      decimal: { units: 599, decimals: 2 },
    });
    expect(failure('3932978')).toMatchObject({ reason: 'bad-gs1' });
    expect(failure('3922' + '1'.repeat(16))).toMatchObject({ reason: 'bad-gs1' });
  });

  it('8200 product URL', () => {
    const url = 'https://example.com/p/123?x=1&y=%20';
    expect(parsed(`0109501101020917${GS}8200${url}`)[1]).toEqual({
      ai: '8200',
      label: 'PRODUCT URL',
      value: url,
    });
  });

  it('41x GLNs carry a check digit', () => {
    expect(parsed('4140614141000036')[0]).toMatchObject({ ai: '414', value: '0614141000036' });
    expect(failure('4140614141000037')).toMatchObject({ reason: 'bad-check-digit' });
  });
});

describe('resolveGs1Date', () => {
  it('keeps years within −49/+50 of the reference year', () => {
    expect(resolveGs1Date('750101', 2025)).toBe('2075-01-01'); // +50
    expect(resolveGs1Date('760101', 2025)).toBe('1976-01-01'); // +51 → previous century
    expect(resolveGs1Date('760101', 2026)).toBe('2076-01-01');
    expect(resolveGs1Date('300101', 2080)).toBe('2130-01-01'); // −50 → next century
    expect(resolveGs1Date('310101', 2080)).toBe('2031-01-01'); // −49
    expect(resolveGs1Date('990101', 2001)).toBe('1999-01-01');
    expect(resolveGs1Date('000101', 1999)).toBe('2000-01-01');
  });

  it('reads day 00 as the last day of the month, leap years included', () => {
    expect(resolveGs1Date('250800', 2025)).toBe('2025-08-31');
    expect(resolveGs1Date('250400', 2025)).toBe('2025-04-30');
    expect(resolveGs1Date('240200', 2025)).toBe('2024-02-29');
    expect(resolveGs1Date('250200', 2025)).toBe('2025-02-28');
    expect(resolveGs1Date('000200', 2025)).toBe('2000-02-29');
    expect(resolveGs1Date('000200', 2080)).toBe('2100-02-28'); // 2100 is not a leap year
  });

  it('refuses dates that do not exist and unusable reference years', () => {
    expect(resolveGs1Date('251301', 2025)).toBeUndefined();
    expect(resolveGs1Date('250001', 2025)).toBeUndefined();
    expect(resolveGs1Date('250230', 2025)).toBeUndefined();
    expect(resolveGs1Date('250229', 2025)).toBeUndefined();
    expect(resolveGs1Date('250101', Number.NaN)).toBeUndefined();
    expect(resolveGs1Date('2501', 2025)).toBeUndefined();
    expect(failure('17251301')).toMatchObject({ reason: 'bad-gs1', detail: 'AI 17 is not a valid date' });
  });
});

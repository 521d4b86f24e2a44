// Keyed amounts: minor units, comma or dot decimals, thousands separators, and refusals in words.
import { describe, expect, it } from 'vitest';
import { MAX_KEYED_AMOUNT, parseAmount } from '../../../src-renderer/hooks/amount.js';
import { formatNumber } from '../../../src-renderer/hooks/format.js';

const value = (text: string, digits?: number) => {
  const r = parseAmount(text, digits);
  if (!r.ok) throw new Error(`refused ${JSON.stringify(text)}: ${r.error}`);
  return r.value;
};
const refusal = (text: string, digits?: number) => {
  const r = parseAmount(text, digits);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(text)} as ${r.value}`);
  return r.error;
};

describe('parseAmount', () => {
  it('reads dot and comma decimals into minor units', () => {
    expect(value('12,50')).toBe(1250);
    expect(value('12.50')).toBe(1250);
    expect(value('12.5')).toBe(1250);
    expect(value('12,5')).toBe(1250);
    expect(value('12')).toBe(1200);
    expect(value('0.99')).toBe(99);
    expect(value(',99')).toBe(99);
    expect(value('  7.05 ')).toBe(705);
    expect(value('007.10')).toBe(710);
  });

  it('never goes through floating point', () => {
    expect(value('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 in floats
    expect(value('1.13')).toBe(113);
    expect(value('4.35')).toBe(435);
  });

  it('understands thousands separators', () => {
    expect(value('1,234.50')).toBe(123450);
    expect(value('1.234,50')).toBe(123450);
    expect(value('1 234,50')).toBe(123450);
    expect(value('1\u00a0234,50')).toBe(123450);
    // fr-FR's own grouping, as the screen writes it (hooks/format.ts): a narrow no-break space.
    expect(value(`${formatNumber(1234, 'fr-FR')},50`)).toBe(123450);
    expect(value('1\u202f234,50')).toBe(123450);
    expect(value('1,234,567', 0)).toBe(1234567);
    expect(value('1.234.567', 0)).toBe(1234567);
    expect(value('12,345.6')).toBe(1234560);
  });

  it('follows the currency’s decimals', () => {
    expect(value('1250', 0)).toBe(1250);
    expect(refusal('1,250', 0)).toMatch(/no decimals/);
    expect(refusal('12,5', 0)).toMatch(/no decimals/);
    expect(value('1.250', 3)).toBe(1250);
    expect(value('1,5', 3)).toBe(1500);
  });

  it('refuses negatives, zero and garbage in words', () => {
    expect(refusal('-5')).toMatch(/negative/);
    expect(refusal('\u22125')).toMatch(/negative/);
    expect(refusal('')).toMatch(/Enter an amount/);
    expect(refusal('   ')).toMatch(/Enter an amount/);
    expect(refusal('0')).toMatch(/more than zero/);
    expect(refusal('0,00')).toMatch(/more than zero/);
    expect(refusal('abc')).toMatch(/digits/);
    expect(refusal('12a')).toMatch(/digits/);
    expect(refusal('1e3')).toMatch(/digits/);
    expect(refusal('€12')).toMatch(/digits/);
    expect(refusal('12.')).toMatch(/not a number/);
    expect(refusal('1.2.3')).toMatch(/not a number/);
    expect(refusal('1,23,4')).toMatch(/not a number/);
    expect(refusal('1.234.5')).toMatch(/not a number/);
    expect(refusal('0,125')).toMatch(/at most 2 decimals/);
  });

  it('never guesses a lone separator with three digits after it', () => {
    // "1,234" may be a typo for 1.23 or mean 1234: refused, never a thousand times the amount.
    expect(refusal('1,234')).toMatch(/at most 2 decimals/);
    expect(refusal('1.234')).toMatch(/at most 2 decimals/);
    expect(refusal('12.345')).toMatch(/at most 2 decimals/);
  });

  it('caps one keyed line', () => {
    expect(value(String(MAX_KEYED_AMOUNT / 100))).toBe(MAX_KEYED_AMOUNT);
    expect(refusal(String(MAX_KEYED_AMOUNT / 100 + 1))).toMatch(/too large/);
    expect(refusal('9'.repeat(30))).toMatch(/too large/);
  });
});

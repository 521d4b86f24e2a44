// Keyed amounts: minor units, comma or dot decimals, thousands separators, and refusals in words.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_KEYED_AMOUNT, parseAmount } from '../../../src-renderer/hooks/amount.js';
import { amountExample, decimalSeparator, formatNumber } from '../../../src-renderer/hooks/format.js';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';

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

describe("an amount refused in the store's language", () => {
  afterEach(async () => {
    await speakLocale('en-IE');
  });

  it('says why in English with an example written the Irish way', () => {
    expect(refusal('abc')).toBe('Use digits only, e.g. 12.50');
    expect(refusal('12.')).toBe('The amount is not a number, e.g. 12.50');
    expect(refusal('0,125')).toBe('Use at most 2 decimals, e.g. 12.50');
    expect(refusal('0,1255', 3)).toBe('Use at most 3 decimals, e.g. 12.500');
    expect(refusal('12,5', 0)).toBe('This currency has no decimals');
    expect(refusal('')).toBe('Enter an amount');
  });

  it('says why in French, the example with a decimal comma, and reads either separator', async () => {
    await speakLocale('fr-FR');
    expect(refusal('abc')).toBe('Chiffres uniquement, par exemple 12,50');
    expect(refusal('12.')).toBe("Ce n'est pas un montant, par exemple 12,50");
    expect(refusal('0,125')).toBe('2 décimales au plus, par exemple 12,50');
    expect(refusal('12,5', 0)).toBe("Cette devise n'a pas de décimales");
    expect(refusal('')).toBe('Saisissez un montant');
    expect(refusal('-5')).toBe('Un montant ne peut pas être négatif');
    expect(refusal('0')).toBe('Le montant doit être supérieur à zéro');
    expect(refusal('9'.repeat(30))).toBe('Le montant est trop élevé');
    expect(value('12,50')).toBe(1250);
    expect(value('12.50')).toBe(1250);
    expect(missingKeys()).toEqual([]);
  });

  it("gives the amount keypad the locale's decimal key", () => {
    expect(decimalSeparator('en-IE')).toBe('.');
    expect(decimalSeparator('fr-FR')).toBe(',');
    expect(decimalSeparator('fr-BE')).toBe(',');
    expect(amountExample(0, 'fr-FR')).toBe('12');
    // No grouping in an example: "12,50", never a thousands space.
    expect(amountExample(2, 'fr-FR')).toBe('12,50');
  });
});

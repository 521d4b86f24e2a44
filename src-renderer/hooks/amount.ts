// Parsing an amount a cashier keys in, into integer minor units (never a float: 0.1 + 0.2 is not money).
// Cashiers type what their keyboard and habits give them: "12,50" and "12.50" both mean twelve fifty;
// "1,234.50", "1.234,50", "1 234,50" and "1,234,567" carry thousands separators. A single separator is the
// decimal one, so "1,234" in euros is refused (three decimals) rather than guessed; anything with more
// decimals than the currency has is refused rather than rounded. A refusal is said in the store's language,
// its example amount written the store's way (words/amount.ts).
import type { Result } from '../../src-shared/kernel/result.js';
import { i18n } from '../i18n/index.js';
import { amountExample } from './format.js';

/** The largest amount one keyed line may carry (minor units): a typo guard, far above any basket line. */
export const MAX_KEYED_AMOUNT = 100_000_000;

export function parseAmount(text: string, minorDigits = 2): Result<number, string> {
  const compact = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  const example = amountExample(minorDigits);
  if (compact.length === 0) return { ok: false, error: i18n.t('amount.empty') };
  if (compact.startsWith('-') || compact.startsWith('\u2212'))
    return { ok: false, error: i18n.t('amount.negative') };
  if (!/^\d[\d.,]*$/.test(compact) && !/^[.,]\d+$/.test(compact))
    return { ok: false, error: i18n.t('amount.digitsOnly', { example }) };
  const split = splitDecimal(compact);
  if (!split) return { ok: false, error: i18n.t('amount.notANumber', { example }) };
  const { whole, fraction } = split;
  if (fraction.length > minorDigits)
    return {
      ok: false,
      error:
        minorDigits === 0
          ? i18n.t('amount.noDecimals')
          : i18n.t('amount.decimals', { count: minorDigits, example }),
    };
  const digits = (whole.replace(/^0+(?=\d)/, '') || '0') + fraction.padEnd(minorDigits, '0');
  if (digits.length > 15) return { ok: false, error: i18n.t('amount.tooLarge') };
  const value = Number(digits);
  if (value === 0) return { ok: false, error: i18n.t('amount.zero') };
  if (value > MAX_KEYED_AMOUNT) return { ok: false, error: i18n.t('amount.tooLarge') };
  return { ok: true, value };
}

/** Splits into whole digits and decimal digits, validating thousands groups; null when malformed. */
function splitDecimal(text: string): { whole: string; fraction: string } | null {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot < 0 && lastComma < 0) return { whole: text, fraction: '' };
  let decimalAt: number;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both kinds: the last one is the decimal separator, the other groups thousands.
    decimalAt = Math.max(lastDot, lastComma);
  } else {
    // One kind only: repeated, it groups thousands ("1,234,567"); once, it is the decimal separator. A
    // lone "1,234" is refused below (too many decimals) rather than guessed: a typo must not become a
    // thousand times the amount.
    const sep = lastDot >= 0 ? '.' : ',';
    const count = text.split(sep).length - 1;
    decimalAt = count > 1 ? -1 : text.lastIndexOf(sep);
  }
  const wholePart = decimalAt < 0 ? text : text.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? '' : text.slice(decimalAt + 1);
  if (!/^\d*$/.test(fraction)) return null;
  if (decimalAt >= 0 && fraction.length === 0) return null;
  const groups = wholePart.split(/[.,]/);
  if (groups.length > 1) {
    // 1,234,567: a first group of 1–3 digits (no leading zero), then groups of exactly 3, one separator kind only.
    const separators = new Set(wholePart.replace(/\d/g, ''));
    if (separators.size > 1) return null;
    if (!/^[1-9]\d{0,2}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g)))
      return null;
  } else if (!/^\d*$/.test(wholePart)) {
    return null;
  }
  const whole = groups.join('');
  if (whole.length === 0 && fraction.length === 0) return null;
  return { whole: whole || '0', fraction };
}

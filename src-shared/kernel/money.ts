// Money is an integer count of minor units (cents) with an ISO 4217 currency; never a float.
import { z } from 'zod';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
export type Currency = z.infer<typeof currencySchema>;

/** An amount in minor units: an integer, possibly negative for refunds. */
export const minorSchema = z.number().int().safe();
export const nonNegativeMinorSchema = minorSchema.nonnegative();

export const moneySchema = z.object({ amount: minorSchema, currency: currencySchema });
export type Money = z.infer<typeof moneySchema>;

/** Minor-unit digits per currency; ISO 4217 exceptions only, everything else has two. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  ISK: 0,
  CLP: 0,
  BHD: 3,
  KWD: 3,
  JOD: 3,
  TND: 3,
};

export const minorDigits = (currency: Currency): number => MINOR_DIGITS[currency] ?? 2;

/** Formats for a cashier, e.g. `12.50 EUR`; no locale, so tests and receipts agree. */
export function formatMoney(amount: number, currency: Currency): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (digits === 0) return `${sign}${abs} ${currency}`;
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const frac = String(abs % scale).padStart(digits, '0');
  return `${sign}${whole}.${frac} ${currency}`;
}

export type Rounding = 'floor' | 'round' | 'ceil';

/** Integer division of non-negative integers with the program's rounding; exact, no float error. */
export function divide(numerator: number, denominator: number, rounding: Rounding): number {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  const q = Math.floor(numerator / denominator);
  const r = numerator - q * denominator;
  if (r === 0 || rounding === 'floor') return q;
  if (rounding === 'ceil') return q + 1;
  return 2 * r >= denominator ? q + 1 : q;
}

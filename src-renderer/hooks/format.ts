// Words, money, numbers and dates as the cashier reads them, in the store's locale (store settings from HQ,
// i18n/index.ts currentLocale()): "€5.00" and "1,240" in en-IE, "5,00 €" and "1 240" in fr-FR, dates in the
// locale's words and always in the store's zone. Each takes the locale last (the current one by default),
// so the formats are tested in Node for any locale; components call them with the default. HQ's CLI and an
// English store's slip keep src-shared's one fixed style (formatMoney, groupDigits); another store's slip
// writes money with the currency's code (hooks/use-slip.ts), as a printer's code page may have no "€".
// docs/decisions.md "Money, numbers and dates in the store's locale".
import { DEFAULT_LOCALE } from '../../src-shared/kernel/locale.js';
import { minorDigits, type Currency } from '../../src-shared/kernel/money.js';
import { currentLocale, i18n } from '../i18n/index.js';

// Building an Intl formatter costs far more than using one, and a basket re-renders on every scan.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A tag Intl cannot read (it throws RangeError) is written as the default locale's, not a blank screen. */
function withLocale<T>(locale: string, make: (locale: string) => T): T {
  try {
    return make(locale);
  } catch (error) {
    if (error instanceof RangeError && locale !== DEFAULT_LOCALE) return make(DEFAULT_LOCALE);
    throw error;
  }
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = withLocale(locale, (l) => new Intl.NumberFormat(l, options));
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
  timeZone: string | null | undefined,
): Intl.DateTimeFormat {
  // No zone known yet (before the program arrives): the machine's.
  const zoned = timeZone ? { ...options, timeZone } : options;
  const key = `${locale}|${JSON.stringify(zoned)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = withLocale(locale, (l) => new Intl.DateTimeFormat(l, zoned));
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * An amount in minor units as the store writes money: "€5.00", "-€12.50" (en-IE), "5,00 €" (fr-FR), "¥1,240"
 * for a currency without decimals. The digits are the program's (kernel/money.ts), and the amount goes to
 * Intl as an exact decimal string, never through a float.
 */
export function moneyText(
  amount: number,
  currency: Currency,
  locale: string = currentLocale(),
  /** 'code': "5,00 EUR", for paper whose code page has no "€" (the slip). */
  display: 'symbol' | 'code' = 'symbol',
): string {
  const digits = minorDigits(currency);
  const format = numberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: display,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // 1250 cents → "12.50": the digits moved by string, so no amount is ever a float on the way.
  const abs = String(Math.abs(amount)).padStart(digits + 1, '0');
  const unsigned = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  const decimal = `${amount < 0 ? '-' : ''}${unsigned}` as `${number}`;
  return format.format(decimal);
}

/** The decimal separator of the locale ("." in en-IE, "," in fr-FR): the amount keypad's extra key. */
export function decimalSeparator(locale: string = currentLocale()): string {
  const parts = numberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1.5);
  return parts.find((p) => p.type === 'decimal')?.value ?? '.';
}

/** "12.50" (en-IE), "12,50" (fr-FR), "12" with no decimals: an amount to key in, as a hint shows it. */
export function amountExample(digits: number, locale: string = currentLocale()): string {
  return numberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(digits === 0 ? 12 : 12.5);
}

/** A whole number grouped the store's way: "1,240" (en-IE), "1 240" (fr-FR); a minus sign when negative. */
export const formatNumber = (n: number, locale: string = currentLocale()): string =>
  numberFormat(locale, { maximumFractionDigits: 0 }).format(n);

/** "1,240" (a minus sign for negative figures), in the store's grouping. */
export const formatPoints = (points: number, locale: string = currentLocale()): string =>
  formatNumber(points, locale);

/** "1 point", "1,240 points". */
export const pointsText = (points: number): string =>
  // The plural follows the size of the figure: "-1 point" as "1 point".
  i18n.t('points.count', { count: Math.abs(points), formatted: formatPoints(points) });

/** "+50 points" / "-20 points": a change of balance. */
export const signedPointsText = (points: number): string => `${points > 0 ? '+' : ''}${pointsText(points)}`;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Time left until a change, coarse enough to read at a glance and to keep a live region quiet: days and
 * hours, hours and minutes, minutes, then seconds in the last minute. Never negative. The units are the
 * store's language's (words/countdown.ts: a day is "d" in English, "j" in French).
 */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return i18n.t('countdown.seconds', { seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return i18n.t('countdown.minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return i18n.t('countdown.hoursMinutes', { hours, minutes: pad2(minutes % 60) });
  return i18n.t('countdown.daysHours', { days: Math.floor(hours / 24), hours: hours % 24 });
}

/** "14:05" in the store's zone (or the machine's when none is known yet), 24-hour whatever the locale. */
export function formatClockTime(
  at: number,
  timeZone?: string | null,
  locale: string = currentLocale(),
): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(at);
}

/** "12 Mar, 14:05" (en-IE), "12 mars, 14:05" (fr-FR) in the store's zone. */
export function formatDateTime(
  at: number,
  timeZone?: string | null,
  locale: string = currentLocale(),
): string {
  return dateFormat(
    locale,
    { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
    timeZone,
  ).format(at);
}

/** "11 Mar 2027" (en-IE), "11 mars 2027" (fr-FR): a day in the store's zone. */
export function formatDay(at: number, timeZone?: string | null, locale: string = currentLocale()): string {
  return dateFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }, timeZone).format(at);
}

/** "fresh-produce" → "Fresh produce": program and catalog ids as words. */
export function humanise(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.length === 0 ? id : words[0]!.toUpperCase() + words.slice(1);
}

/**
 * The name shown at the counter (at most 40 characters, docs/architecture.md section 4: first name and initial):
 * "Aoife K." from "Aoife" and "Kelly".
 */
export function displayNameOf(firstName: string, lastName: string): string {
  const first = firstName.trim().replace(/\s+/g, ' ');
  const initial = lastName.trim().charAt(0).toUpperCase();
  const name = initial ? `${first.slice(0, 36)} ${initial}.` : first.slice(0, 40);
  return name.trim();
}

/** Text typed in the search box: a phone number (digits and phone punctuation) or a name. */
export function searchKind(text: string): 'phone' | 'name' | 'empty' {
  const t = text.trim();
  if (t.length === 0) return 'empty';
  return /^\+?[\d\s.\-()]+$/.test(t) ? 'phone' : 'name';
}

/** "12 Mar, 14:05:32": when seconds matter (the last frame from a scanner). */
export function formatDateTimeSeconds(
  at: number,
  timeZone?: string | null,
  locale: string = currentLocale(),
): string {
  return dateFormat(
    locale,
    {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    },
    timeZone,
  ).format(at);
}

/** A whole number of points, signed, as typed for an adjustment ("+50", "-20", "50"); null otherwise. */
export function parsePointsChange(text: string): number | null {
  const t = text
    .trim()
    .replace(/\s+/g, '')
    .replace(/^\u2212/, '-');
  if (!/^[+-]?\d{1,9}$/.test(t)) return null;
  const n = Number(t);
  return n === 0 ? null : n;
}

/** "Mar 2025" (en-IE), "mars 2025" (fr-FR). */
export function formatMonthYear(
  at: number,
  timeZone?: string | null,
  locale: string = currentLocale(),
): string {
  return dateFormat(locale, { month: 'short', year: 'numeric' }, timeZone).format(at);
}

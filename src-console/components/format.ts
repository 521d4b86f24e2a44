// Numbers, money, points and dates as the console shows them, through Intl (one cached formatter per
// shape). The console speaks English (en-IE: day-month-year, € as the chains use it); money arrives in
// integer minor units and is divided by the currency's own number of decimals (JPY has none).
const LOCALE = 'en-IE';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let formatter = cache.get(key) as F | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

const numberFormat = (): Intl.NumberFormat => cached('number', () => new Intl.NumberFormat(LOCALE));
const currencyFormat = (currency: string): Intl.NumberFormat =>
  cached(`currency:${currency}`, () => new Intl.NumberFormat(LOCALE, { style: 'currency', currency }));

/** 12345 → '12,345'. */
export const formatNumber = (value: number): string => numberFormat().format(value);

/** 0.1234 → '12.3%'. */
export const formatPercent = (ratio: number, digits = 1): string =>
  cached(
    `percent:${digits}`,
    () => new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: digits }),
  ).format(ratio);

/** Integer minor units in a currency: (123450, 'EUR') → '€1,234.50'. */
export function formatMoney(minor: number, currency = 'EUR'): string {
  const format = currencyFormat(currency);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** 1234 → '1,234 points'; 1 → '1 point'. */
export const formatPoints = (points: number): string =>
  `${formatNumber(points)} ${Math.abs(points) === 1 ? 'point' : 'points'}`;

const asDate = (value: string | number | Date): Date => (value instanceof Date ? value : new Date(value));

/** '2025-03-03T12:00:00Z' → '3 Mar 2025' (in the browser's time zone). */
export const formatDate = (value: string | number | Date): string =>
  cached('date', () => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium' })).format(asDate(value));

/** '2025-03-03T12:00:00Z' → '3 Mar 2025, 13:00' (in the browser's time zone). */
export const formatDateTime = (value: string | number | Date): string =>
  cached(
    'datetime',
    () => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(asDate(value));

/** A calendar day as written in a query ('2025-03-03'), which is not an instant: shown as '3 Mar 2025'. */
export const formatDay = (day: string): string =>
  cached('day', () => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' })).format(
    new Date(`${day}T00:00:00Z`),
  );

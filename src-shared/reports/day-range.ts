// A range of local days (`YYYY-MM-DD`, both ends inclusive) for the dashboard and ROI: the default range
// up to today, the checks on a range asked for, and every day in it. Pure calendar arithmetic on dates
// (no time zone needed: a local day is a calendar day).

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayText = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export interface DayRange {
  from: string;
  to: string;
}

export class DayRangeError extends Error {
  override name = 'DayRangeError';
}

/** Days from `from` to `to`, both inclusive (1 for a single day). */
export const daysIn = (range: DayRange): number => dayNumber(range.to) - dayNumber(range.from) + 1;

/** `day` moved by `count` days. */
export const addDays = (day: string, count: number): string => dayText(dayNumber(day) + count);

/**
 * The range asked for, with defaults: `to` is today, `from` is `defaultDays − 1` days before `to`.
 * Refuses a range that ends before it starts or is longer than `maxDays`.
 */
export function resolveDayRange(
  asked: { from?: string | undefined; to?: string | undefined },
  today: string,
  defaultDays: number,
  maxDays: number,
): DayRange {
  const to = asked.to ?? today;
  const from = asked.from ?? addDays(to, -(defaultDays - 1));
  const range = { from, to };
  if (from > to) throw new DayRangeError(`from (${from}) is after to (${to})`);
  if (daysIn(range) > maxDays) throw new DayRangeError(`at most ${maxDays} days at once`);
  return range;
}

/** Every day of the range, in order. */
export function eachDay(range: DayRange): string[] {
  const first = dayNumber(range.from);
  return Array.from({ length: daysIn(range) }, (_, i) => dayText(first + i));
}

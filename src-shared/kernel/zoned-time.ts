// Wall-clock parts of an instant in a store's IANA time zone, through Intl (the platform's tz database),
// so "weekends" and "7:00–10:00" mean the store's local time across daylight-saving changes.

export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** `YYYY-MM` in the zone. */
  month: string;
  /** 1 = Monday … 7 = Sunday (ISO 8601). */
  weekday: number;
  /** Minutes since local midnight, 0–1439. */
  minuteOfDay: number;
  monthNumber: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the platform knows the zone name. */
export function isTimeZone(name: string): boolean {
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

export function localTime(epochMs: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(epochMs)) parts[p.type] = p.value;
  const month = `${parts.year}-${parts.month}`;
  return {
    date: `${month}-${parts.day}`,
    month,
    monthNumber: Number(parts.month),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Adds whole months to a `YYYY-MM` key. */
export function addMonths(month: string, count: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Adds calendar months to an instant in UTC, clamping the day (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsToInstant(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString();
}

// Words and numbers as the cashier reads them. Pure, so they are tested in Node. One fixed grouping style
// ("1,240 points"): the till shows the same number whatever the browser's locale; the word "points" is in
// the counter's language (i18n/words/points.ts).
import { i18n } from '../i18n/index.js';

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,240" (a minus sign for negative figures). */
export const formatPoints = (points: number): string => grouping.format(points);

/** "1 point", "1,240 points". */
export const pointsText = (points: number): string =>
  // The plural follows the size of the figure: "-1 point" as "1 point".
  i18n.t('points.count', { count: Math.abs(points), formatted: formatPoints(points) });

/** "+50 points" / "-20 points": a change of balance. */
export const signedPointsText = (points: number): string => `${points > 0 ? '+' : ''}${pointsText(points)}`;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Time left until a change, coarse enough to read at a glance and to keep a live region quiet: days and
 * hours, hours and minutes, minutes, then seconds in the last minute. Never negative.
 */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${pad2(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "14:05" in the store's zone (or the machine's when none is known yet). */
export function formatClockTime(at: number, timeZone?: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
}

/** "12 Mar 14:05" in the store's zone. */
export function formatDateTime(at: number, timeZone?: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
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

/** The months for "Birth month". */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "12 Mar 14:05:32": when seconds matter (the last frame from a scanner). */
export function formatDateTimeSeconds(at: number, timeZone?: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
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

/** "Mar 2025". */
export function formatMonthYear(at: number, timeZone?: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    month: 'short',
    year: 'numeric',
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
}

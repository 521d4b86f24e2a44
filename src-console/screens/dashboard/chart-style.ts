// The charts' colours (distinct for colour-blind readers, each at least 3:1 against white) and the short
// day label of their axes.
export const COLORS = {
  issued: '#1f5fbf',
  redeemed: '#c2570c',
  expired: '#6b7280',
  money: '#1e6b3a',
  new: '#7c3aed',
} as const;

const short = new Intl.DateTimeFormat('en-IE', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** '2025-06-03' → '3 Jun' (a calendar day, so read in UTC: never shifted by the browser's zone). */
export const shortDay = (day: string): string => short.format(new Date(`${day}T00:00:00Z`));

/** A tooltip's label when it is a day (recharts hands the category as unknown). */
export const tooltipDay = (label: unknown): string =>
  typeof label === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(label)
    ? new Intl.DateTimeFormat('en-IE', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${label}T00:00:00Z`),
      )
    : '';

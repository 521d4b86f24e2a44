// The shift summary on the receipt printer: the manager's summary (src-shared/reports/shift-summary.ts) as
// slips of the generic shape main already prints (slip.ts, kind 'shift-summary'). A slip holds at most
// MAX_SLIP_LINES lines, so a day with many cashiers prints as several slips ("page 2 of 3"), each with the
// day's heading; the till's totals come last. Pure: the panel shows the same figures it prints.
import { formatMoney, type Currency } from '../kernel/money.js';
import type { ShiftFigures, ShiftSummary } from '../reports/shift-summary.js';
import {
  ENGLISH_SLIP_WORDS,
  groupDigits,
  MAX_SLIP_LINES,
  pair,
  rule,
  slipDateTime,
  text,
  type Slip,
  type SlipLine,
} from './slip.js';

export interface ShiftSlipInput {
  summary: ShiftSummary;
  /** The program's name (the slip's title), its currency (the spend) and zone (the print time). */
  program: { name: string; currency: Currency; timeZone: string };
  storeId: string;
  /** Cashiers' names by id; an unknown id prints as itself. */
  names: ReadonlyMap<string, string>;
  /** When it is printed (epoch ms). */
  printedAt: number;
  /** A fresh UUID per slip: a summary is for no single event, so each print names itself. */
  newId: () => string;
  /** The words it writes: English when not given. */
  words?: ShiftSlipWords;
}

/**
 * The words of the shift summary's slip, and how it writes money and numbers: the caller's, in the store's
 * language (the counter passes French, src-renderer/hooks/use-slip.ts), English by default. What is given
 * must print on the receipt printer's code page, as for the member's slip.
 */
export interface ShiftSlipWords {
  money: (amount: number, currency: Currency) => string;
  number: (n: number) => string;
  sales: string;
  pointsIssuedRedeemed: string;
  enrolledOverridesAdjust: string;
  voidsReturns: string;
  tillTotal: string;
  /** "12 events counted". */
  counted: (n: number) => string;
  /** "2 refused by HQ, not counted". */
  notCounted: (n: number) => string;
  noActivity: string;
  /** "Shift summary 2025-03-05", with ", 1 of 2" when it takes several slips. */
  heading: (day: string, page: { at: number; of: number } | null) => string;
  storeTerminal: (store: string, terminal: string) => string;
  printed: (when: string) => string;
}

/** The shift summary's slip in English: what every caller got before languages. */
export const ENGLISH_SHIFT_SLIP_WORDS: ShiftSlipWords = {
  money: formatMoney,
  number: groupDigits,
  sales: 'Sales',
  pointsIssuedRedeemed: 'Points issued / redeemed',
  enrolledOverridesAdjust: 'Enrolled / overrides / adjust',
  voidsReturns: 'Voids / returns',
  tillTotal: 'Till total',
  counted: (n) => `${n} ${n === 1 ? 'event' : 'events'} counted`,
  notCounted: (n) => `${n} refused by HQ, not counted`,
  noActivity: 'No activity on this till.',
  heading: (day, page) => `Shift summary ${day}${page ? `, ${page.at} of ${page.of}` : ''}`,
  storeTerminal: ENGLISH_SLIP_WORDS.storeTerminal,
  printed: (when) => `Printed ${when}`,
};

/** One block of figures: a heading and four lines. */
export function shiftFigureLines(
  heading: string,
  f: ShiftFigures,
  currency: Currency,
  w: ShiftSlipWords = ENGLISH_SHIFT_SLIP_WORDS,
): SlipLine[] {
  return [
    text(heading, 'strong'),
    pair(w.sales, `${w.number(f.sales)}, ${w.money(f.spend, currency)}`),
    pair(w.pointsIssuedRedeemed, `+${w.number(f.pointsIssued)} / -${w.number(f.pointsRedeemed)}`),
    pair(w.enrolledOverridesAdjust, `${f.enrollments} / ${f.overrides} / ${f.adjustments}`),
    pair(w.voidsReturns, `${f.voids} / ${f.returns}`),
    rule,
  ];
}

/** The summary as one or more slips, every one at most MAX_SLIP_LINES lines. */
export function buildShiftSlips(input: ShiftSlipInput): Slip[] {
  const { summary, program, names } = input;
  const w = input.words ?? ENGLISH_SHIFT_SLIP_WORDS;
  const blocks: SlipLine[][] = summary.cashiers.map((row) =>
    shiftFigureLines(names.get(row.cashierId) ?? row.cashierId, row, program.currency, w),
  );
  const totals = shiftFigureLines(w.tillTotal, summary.totals, program.currency, w);
  totals.push(
    text(w.counted(summary.counted), 'note'),
    ...(summary.notCounted > 0 ? [text(w.notCounted(summary.notCounted), 'note')] : []),
  );
  if (summary.cashiers.length === 0) blocks.push([text(w.noActivity), rule]);
  blocks.push(totals);

  const heading = (page: { at: number; of: number } | null): SlipLine[] => [
    text(program.name, 'title'),
    text(w.heading(summary.businessDay, page), 'strong'),
    text(w.storeTerminal(input.storeId, summary.terminalId)),
    text(w.printed(slipDateTime(new Date(input.printedAt).toISOString(), program.timeZone))),
    rule,
  ];
  // Pack whole blocks into pages (a heading of 5 lines leaves room for several blocks of 6).
  const room = MAX_SLIP_LINES - heading(null).length;
  const pages: SlipLine[][] = [];
  let page: SlipLine[] = [];
  for (const block of blocks) {
    if (page.length > 0 && page.length + block.length > room) {
      pages.push(page);
      page = [];
    }
    page.push(...block);
  }
  pages.push(page);
  return pages.map((lines, i) => ({
    kind: 'shift-summary',
    eventId: input.newId(),
    lines: [...heading(pages.length > 1 ? { at: i + 1, of: pages.length } : null), ...lines],
  }));
}

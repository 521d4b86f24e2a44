// The shift summary on the receipt printer: the manager's summary (src-shared/reports/shift-summary.ts) as
// slips of the generic shape main already prints (slip.ts, kind 'shift-summary'). A slip holds at most
// MAX_SLIP_LINES lines, so a day with many cashiers prints as several slips ("page 2 of 3"), each with the
// day's heading; the till's totals come last. Pure: the panel shows the same figures it prints.
import { formatMoney, type Currency } from '../kernel/money.js';
import type { ShiftFigures, ShiftSummary } from '../reports/shift-summary.js';
import {
  groupDigits,
  MAX_SLIP_LINES,
  MAX_SLIP_TEXT,
  slipDateTime,
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
}

const fit = (text: string): string => (text.length > MAX_SLIP_TEXT ? text.slice(0, MAX_SLIP_TEXT) : text);
const text = (value: string, style: 'title' | 'plain' | 'strong' | 'note' = 'plain'): SlipLine => ({
  kind: 'text',
  text: fit(value),
  style,
});
const pair = (label: string, value: string, strong = false): SlipLine => ({
  kind: 'pair',
  label: fit(label),
  value: fit(value),
  strong,
});
const rule: SlipLine = { kind: 'rule' };

/** One block of figures: a heading and four lines. */
export function shiftFigureLines(heading: string, f: ShiftFigures, currency: Currency): SlipLine[] {
  return [
    text(heading, 'strong'),
    pair('Sales', `${groupDigits(f.sales)}, ${formatMoney(f.spend, currency)}`),
    pair('Points issued / redeemed', `+${groupDigits(f.pointsIssued)} / -${groupDigits(f.pointsRedeemed)}`),
    pair('Enrolled / overrides / adjust', `${f.enrollments} / ${f.overrides} / ${f.adjustments}`),
    pair('Voids / returns', `${f.voids} / ${f.returns}`),
    rule,
  ];
}

/** The summary as one or more slips, every one at most MAX_SLIP_LINES lines. */
export function buildShiftSlips(input: ShiftSlipInput): Slip[] {
  const { summary, program, names } = input;
  const blocks: SlipLine[][] = summary.cashiers.map((row) =>
    shiftFigureLines(names.get(row.cashierId) ?? row.cashierId, row, program.currency),
  );
  const totals = shiftFigureLines('Till total', summary.totals, program.currency);
  totals.push(
    text(`${summary.counted} ${summary.counted === 1 ? 'event' : 'events'} counted`, 'note'),
    ...(summary.notCounted > 0 ? [text(`${summary.notCounted} refused by HQ, not counted`, 'note')] : []),
  );
  if (summary.cashiers.length === 0) blocks.push([text('No activity on this till.'), rule]);
  blocks.push(totals);

  const heading = (page: string): SlipLine[] => [
    text(program.name, 'title'),
    text(`Shift summary ${summary.businessDay}${page}`, 'strong'),
    text(`Store ${input.storeId}, terminal ${summary.terminalId}`),
    text(`Printed ${slipDateTime(new Date(input.printedAt).toISOString(), program.timeZone)}`),
    rule,
  ];
  // Pack whole blocks into pages (a heading of 5 lines leaves room for several blocks of 6).
  const room = MAX_SLIP_LINES - heading('').length;
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
    lines: [...heading(pages.length > 1 ? `, ${i + 1} of ${pages.length}` : ''), ...lines],
  }));
}

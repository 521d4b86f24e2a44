// The shift summary on paper: the figures of each cashier and the till's totals as slip lines, every slip
// valid for main (slipSchema) and within MAX_SLIP_LINES, a busy day split into numbered slips that keep
// every cashier whole.
import { describe, expect, it } from 'vitest';
import {
  emptyShiftFigures,
  sumShiftFigures,
  type ShiftSummary,
} from '../../../src-shared/reports/shift-summary.js';
import { buildShiftSlips } from '../../../src-shared/receipt/shift-slip.js';
import { layoutSlip, MAX_SLIP_LINES, slipSchema } from '../../../src-shared/receipt/slip.js';

const program = { name: 'Test program', currency: 'EUR', timeZone: 'Europe/Paris' };
let ids = 0;
const newId = (): string => `00000000-0000-7000-8000-${(++ids).toString(16).padStart(12, '0')}`;

function summaryOf(rows: number): ShiftSummary {
  const cashiers = Array.from({ length: rows }, (_, i) => ({
    cashierId: `c-${i + 1}`,
    ...emptyShiftFigures(),
    sales: 12 + i,
    spend: 34_567 + i,
    pointsIssued: 1234,
    pointsRedeemed: 300,
    enrollments: 2,
    overrides: 1,
    adjustments: 0,
    voids: 1,
    returns: 3,
  }));
  return {
    businessDay: '2025-03-03',
    terminalId: 't-1',
    cashiers,
    totals: sumShiftFigures(cashiers),
    counted: 40 * rows,
    notCounted: 2,
  };
}

/** A pair line at 48 columns: the label left, the value right. */
const row = (label: string, value: string): string => label + value.padStart(48 - label.length);

const base = {
  program,
  storeId: 's-1',
  names: new Map([['c-1', 'Ana B.']]),
  printedAt: Date.parse('2025-03-03T17:05:00.000Z'),
  newId,
};

describe('buildShiftSlips', () => {
  it("prints each cashier's figures and the till's totals on one slip for a small day", () => {
    const [slip, ...more] = buildShiftSlips({ ...base, summary: summaryOf(2) });
    expect(more).toEqual([]);
    expect(slipSchema.parse(slip)).toEqual(slip);
    const laid = layoutSlip(slip ?? { kind: 'shift-summary', eventId: newId(), lines: [] }, 48).map((l) =>
      l.text.trimEnd(),
    );
    expect(laid).toEqual([
      'Test program',
      'Shift summary 2025-03-03',
      'Store s-1, terminal t-1',
      'Printed 2025-03-03 18:05',
      '-'.repeat(48),
      'Ana B.',
      row('Sales', '12, 345.67 EUR'),
      row('Points issued / redeemed', '+1,234 / -300'),
      row('Enrolled / overrides / adjust', '2 / 1 / 0'),
      row('Voids / returns', '1 / 3'),
      '-'.repeat(48),
      'c-2',
      row('Sales', '13, 345.68 EUR'),
      row('Points issued / redeemed', '+1,234 / -300'),
      row('Enrolled / overrides / adjust', '2 / 1 / 0'),
      row('Voids / returns', '1 / 3'),
      '-'.repeat(48),
      'Till total',
      row('Sales', '25, 691.35 EUR'),
      row('Points issued / redeemed', '+2,468 / -600'),
      row('Enrolled / overrides / adjust', '4 / 2 / 0'),
      row('Voids / returns', '2 / 6'),
      '-'.repeat(48),
      '80 events counted',
      '2 refused by HQ, not counted',
    ]);
  });

  it('says so when the till did nothing that day', () => {
    const [slip] = buildShiftSlips({ ...base, summary: { ...summaryOf(0), notCounted: 0, counted: 0 } });
    const texts = (slip?.lines ?? []).flatMap((l) => (l.kind === 'text' ? [l.text] : []));
    expect(texts).toContain('No activity on this till.');
    expect(texts).toContain('0 events counted');
    expect(texts).not.toContain('0 refused by HQ, not counted');
  });

  it('splits a busy day into numbered slips within the line limit, every cashier whole, totals last', () => {
    const slips = buildShiftSlips({ ...base, summary: summaryOf(14) });
    expect(slips.length).toBeGreaterThan(1);
    expect(new Set(slips.map((s) => s.eventId)).size).toBe(slips.length);
    const names: string[] = [];
    slips.forEach((slip, i) => {
      expect(slipSchema.parse(slip)).toEqual(slip);
      expect(slip.lines.length).toBeLessThanOrEqual(MAX_SLIP_LINES);
      expect(slip.lines[1]).toEqual({
        kind: 'text',
        text: `Shift summary 2025-03-03, ${i + 1} of ${slips.length}`,
        style: 'strong',
      });
      for (const line of slip.lines)
        if (line.kind === 'text' && line.style === 'strong' && !line.text.startsWith('Shift'))
          names.push(line.text);
    });
    expect(names).toEqual(['Ana B.', ...Array.from({ length: 13 }, (_, i) => `c-${i + 2}`), 'Till total']);
  });
});

// The return panel's parts: a line's − / + never go below nothing or above what the line has left, and a
// choice becomes the returned lines in line order, clamped to what is left (zeros dropped).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { chosenLines, ReturnLineRow, saleText } from '../../../src-renderer/components/return-panel.js';
import type { ReturnCandidate, ReturnCandidateLine } from '../../../src-renderer/services/index.js';
import { eventFactory } from '../../support/events.js';

const line = (over: Partial<ReturnCandidateLine> = {}): ReturnCandidateLine => ({
  line: 0,
  sku: 'BT-CROISSANT',
  category: 'bakery',
  unitPrice: 180,
  sold: 3,
  returned: 1,
  returnable: 2,
  ...over,
});

const row = (l: ReturnCandidateLine, units: number) =>
  renderToStaticMarkup(<ReturnLineRow line={l} currency="EUR" units={units} onChange={() => undefined} />);

/** Whether the button with this accessible name is disabled in the markup. */
const disabled = (html: string, name: string): boolean => {
  const button = new RegExp(`<button[^>]*aria-label="${name}"[^>]*>`).exec(html)?.[0];
  if (!button) throw new Error(`no button ${name}`);
  return /\sdisabled=""/.test(button);
};

describe('ReturnLineRow', () => {
  it('says sold, returned and left, and bounds its buttons by what is left', () => {
    const l = line();
    const none = row(l, 0);
    expect(none).toContain('sold 3, returned 1 · 2 left');
    expect(none).toContain('1.80');
    expect(disabled(none, 'One less BT-CROISSANT')).toBe(true);
    expect(disabled(none, 'One more BT-CROISSANT')).toBe(false);
    const all = row(l, 2);
    expect(disabled(all, 'One less BT-CROISSANT')).toBe(false);
    expect(disabled(all, 'One more BT-CROISSANT')).toBe(true);
    const nothingLeft = row(line({ returned: 3, returnable: 0 }), 0);
    expect(nothingLeft).toContain('0 left');
    expect(disabled(nothingLeft, 'One more BT-CROISSANT')).toBe(true);
  });
});

describe('chosenLines', () => {
  it('returns the chosen units in line order, clamped to what is left, zeros dropped', () => {
    const f = eventFactory();
    const sale = f.earned('m-1', 12);
    const candidate: ReturnCandidate = {
      id: sale.id,
      terminalSeq: sale.terminalSeq,
      occurredAt: sale.occurredAt,
      status: 'posted',
      event: sale,
      lines: [
        line({ line: 0, sku: 'A', returnable: 2 }),
        line({ line: 1, sku: 'B', returnable: 1 }),
        line({ line: 2, sku: 'C', returnable: 4 }),
      ],
      returnedBefore: new Map(),
      takenBefore: 0,
      program: null,
      refusal: null,
    };
    const chosen = new Map([
      [2, 3],
      [0, 0],
      [1, 5],
    ]);
    expect(chosenLines(candidate, chosen)).toEqual([
      { line: 1, sku: 'B', quantity: 1 },
      { line: 2, sku: 'C', quantity: 3 },
    ]);
    expect(saleText(candidate)).toBe('Sale €12.00 · 12 points');
  });
});

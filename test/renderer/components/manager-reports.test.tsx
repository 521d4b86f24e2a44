// What the manager reads: the day close waiting for HQ in plain words (with the events still to send) above
// the last close HQ answered, and the shift summary's table of cashiers with the till's total.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DayCloseState, listOfDays, waitingText } from '../../../src-renderer/components/day-close-panel.js';
import { ShiftSummaryTable } from '../../../src-renderer/components/shift-summary-panel.js';
import type { CloseRecord } from '../../../src-renderer/day-close/index.js';
import { speakLocale } from '../../../src-renderer/i18n/index.js';
import { emptyShiftFigures, sumShiftFigures } from '../../../src-shared/reports/shift-summary.js';
import { textOf } from '../../support/render-text.js';

const text = textOf;

const figures = {
  businessDay: '2025-03-05',
  firstSeq: 1,
  lastSeq: 4,
  count: 4,
  lastHash: 'a'.repeat(64),
  pointsIssued: 120,
  pointsRedeemed: 30,
};
const matched: CloseRecord = {
  businessDay: '2025-03-05',
  closedAt: Date.parse('2025-03-05T22:30:00Z'),
  status: 'match',
  figures,
  hq: { status: 'match', hq: figures, differences: [], missing: [] },
  chainProblem: null,
  problems: [],
  error: null,
};
const waiting: CloseRecord = {
  businessDay: '2025-03-06',
  closedAt: Date.parse('2025-03-06T22:30:00Z'),
  status: 'failed',
  figures: null,
  hq: null,
  chainProblem: null,
  problems: ['HQ unreachable'],
  error: { code: 'offline', message: 'HQ unreachable' },
};

describe('the day close while HQ is away', () => {
  it('says what will happen, in plain words, with the events waiting', () => {
    expect(waitingText([{ businessDay: '2025-03-06', deferredAt: 0 }], 3)).toBe(
      "HQ can't be reached. The close of 2025-03-06 is saved on this till and runs by itself when HQ answers; nothing is lost. 3 events wait to be sent.",
    );
    expect(
      waitingText(
        [
          { businessDay: '2025-03-05', deferredAt: 0 },
          { businessDay: '2025-03-06', deferredAt: 1 },
        ],
        1,
      ),
    ).toBe(
      "HQ can't be reached. The closes of 2025-03-05 and 2025-03-06 are saved on this till and run by themselves when HQ answers; nothing is lost. 1 event waits to be sent.",
    );
    expect(waitingText([{ businessDay: '2025-03-06', deferredAt: 0 }], 0)).toMatch(
      /Every event has been sent\.$/,
    );
    expect(listOfDays(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('shows the waiting close instead of a red failure, above the last close HQ answered', () => {
    const html = renderToStaticMarkup(
      <DayCloseState
        closes={[waiting, matched]}
        pending={[{ businessDay: '2025-03-06', deferredAt: waiting.closedAt }]}
        unsent={2}
        zone="Europe/Dublin"
        freshAt={waiting.closedAt}
      />,
    );
    expect(html).toContain('close-waiting');
    expect(html).toContain('role="status"');
    expect(html).not.toContain('close-mismatch');
    expect(html).not.toContain('role="alert"');
    expect(text(html)).toContain('The close of 2025-03-06 is saved on this till');
    expect(text(html)).toContain('2 events wait to be sent.');
    expect(text(html)).toContain('Day close matches HQ: 2025-03-05');
    expect(text(html)).not.toContain('failed');
  });

  it('shows only the answer once the waiting close has run', () => {
    const ran: CloseRecord = { ...matched, businessDay: '2025-03-06', closedAt: waiting.closedAt + 60_000 };
    const html = renderToStaticMarkup(
      <DayCloseState
        closes={[ran, waiting, matched]}
        pending={[]}
        unsent={0}
        zone="Europe/Dublin"
        freshAt={null}
      />,
    );
    expect(html).not.toContain('close-waiting');
    expect(text(html)).toContain('Day close matches HQ: 2025-03-06');
    expect(text(html)).not.toContain("can't be reached");
  });
});

describe('ShiftSummaryTable', () => {
  it("lists each cashier by name (an unknown one by id) and the till's total, with what HQ refused", () => {
    const ana = {
      cashierId: 'c-1',
      ...emptyShiftFigures(),
      sales: 2,
      spend: 12_500,
      pointsIssued: 175,
      pointsRedeemed: 100,
      enrollments: 1,
      overrides: 1,
    };
    const ben = {
      cashierId: 'c-2',
      ...emptyShiftFigures(),
      sales: 1,
      spend: 3050,
      pointsIssued: 30,
      pointsRedeemed: 77,
      adjustments: 1,
      voids: 1,
      returns: 1,
    };
    const html = renderToStaticMarkup(
      <ShiftSummaryTable
        summary={{
          businessDay: '2025-03-03',
          terminalId: 't-1',
          cashiers: [ana, ben],
          totals: sumShiftFigures([ana, ben]),
          counted: 8,
          notCounted: 1,
        }}
        names={new Map([['c-1', 'Ana B.']])}
        currency="EUR"
      />,
    );
    const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => text(m[1] ?? ''));
    expect(rows).toEqual([
      'Cashier Sales Spend Points issued Points redeemed Enrolled Overrides Adjustments Voids Returns',
      'Ana B. 2 €125.00 +175 -100 1 1 0 0 0',
      'c-2 1 €30.50 +30 -77 0 0 1 1 1',
      'Till total 3 €155.50 +205 -177 1 1 1 1 1',
    ]);
    expect(text(html)).toContain('2025-03-03, terminal t-1: 8 events, 1 refused by HQ and not counted');
  });

  it('says when the till did nothing that day', () => {
    const html = renderToStaticMarkup(
      <ShiftSummaryTable
        summary={{
          businessDay: '2025-03-04',
          terminalId: 't-1',
          cashiers: [],
          totals: emptyShiftFigures(),
          counted: 0,
          notCounted: 0,
        }}
        names={new Map()}
        currency="EUR"
      />,
    );
    expect(text(html)).toContain('No activity on this till.');
    expect(text(html)).toContain('Till total 0 €0.00 +0 -0');
  });
  describe('in a French store', () => {
    afterEach(async () => {
      await speakLocale('en-IE');
    });

    it('writes the spend and the counts the French way (fr-FR)', async () => {
      await speakLocale('fr-FR');
      const big = {
        cashierId: 'c-1',
        ...emptyShiftFigures(),
        sales: 1_204,
        spend: 1_234_550,
        pointsIssued: 12_345,
        pointsRedeemed: 1_500,
      };
      const html = renderToStaticMarkup(
        <ShiftSummaryTable
          summary={{
            businessDay: '2025-03-03',
            terminalId: 't-1',
            cashiers: [big],
            totals: sumShiftFigures([big]),
            counted: 1_204,
            notCounted: 0,
          }}
          names={new Map([['c-1', 'Ana B.']])}
          currency="EUR"
        />,
      );
      // The raw markup keeps Intl's spaces: narrow no-break ones group, a no-break one stands before "€".
      expect(html).toContain('<td>12\u202f345,50\u00a0€</td>');
      const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => text(m[1] ?? ''));
      expect(rows.at(-1)).toBe('Total de la caisse 1 204 12 345,50 € +12 345 -1 500 0 0 0 0 0');
      expect(text(html)).not.toMatch(/EUR|12,345|Till total/);
    });
  });
});

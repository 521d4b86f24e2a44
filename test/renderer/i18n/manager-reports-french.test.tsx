// The manager's reports in French: the day close that waits for HQ (one close or several, the events
// still to send) and the shift summary's table, with no English left and no key missing.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DayCloseState, listOfDays, waitingText } from '../../../src-renderer/components/day-close-panel.js';
import { ShiftSummaryTable } from '../../../src-renderer/components/shift-summary-panel.js';
import { missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { emptyShiftFigures, sumShiftFigures } from '../../../src-shared/reports/shift-summary.js';
import { textOf } from '../../support/render-text.js';

const text = textOf;

afterEach(async () => {
  await speakLocale('en-IE');
});

describe('the manager’s reports in French', () => {
  it('says in French what the waiting close will do', async () => {
    await speakLocale('fr-FR');
    expect(waitingText([{ businessDay: '2025-03-06', deferredAt: 0 }], 1)).toBe(
      'Le siège est injoignable. La clôture du 2025-03-06 est gardée sur cette caisse et se fera toute seule quand le siège répondra ; rien n’est perdu. 1 événement attend d’être envoyé.',
    );
    expect(
      waitingText(
        [
          { businessDay: '2025-03-05', deferredAt: 0 },
          { businessDay: '2025-03-06', deferredAt: 1 },
        ],
        0,
      ),
    ).toMatch(
      /^Le siège est injoignable\. Les clôtures des 2025-03-05 et 2025-03-06 sont gardées .*envoyés\.$/,
    );
    expect(listOfDays(['a', 'b', 'c'])).toBe('a, b et c');
    const html = renderToStaticMarkup(
      <DayCloseState
        closes={[]}
        pending={[{ businessDay: '2025-03-06', deferredAt: 0 }]}
        unsent={2}
        zone="Europe/Paris"
        freshAt={null}
      />,
    );
    expect(text(html)).toContain('2 événements attendent d’être envoyés.');
    expect(missingKeys()).toEqual([]);
  });

  it('heads the shift summary in French', async () => {
    await speakLocale('fr-FR');
    const ana = { cashierId: 'c-1', ...emptyShiftFigures(), sales: 2, spend: 12_500 };
    const shown = text(
      renderToStaticMarkup(
        <ShiftSummaryTable
          summary={{
            businessDay: '2025-03-03',
            terminalId: 't-1',
            cashiers: [ana],
            totals: sumShiftFigures([ana]),
            counted: 2,
            notCounted: 1,
          }}
          names={new Map([['c-1', 'Ana B.']])}
          currency="EUR"
        />,
      ),
    );
    expect(shown).toContain('2025-03-03, terminal t-1 : 2 événements, 1 refusé par le siège et non compté');
    for (const heading of ['Caissier', 'Ventes', 'Points émis', 'Retours', 'Total de la caisse'])
      expect(shown).toContain(heading);
    expect(shown).not.toMatch(/\b(Cashier|Sales|Till total|events)\b/);
    expect(missingKeys()).toEqual([]);
  });
});

// The store manager's shift summary: for a store day (today unless another is picked), each cashier's sales,
// points issued and redeemed, enrollments, overrides, adjustments, voids and returns at this till, computed
// from the local replica only (day-close/shift-summaries.ts over src-shared's pure summary), so it works with
// HQ away. Print sends it to the receipt printer as one or more slips; a printer's refusal is shown with its
// reason, and nothing else waits on it.
import { useEffect, useId, useState } from 'react';
import type { Program } from '../../src-shared/program/schema.js';
import type { ShiftSummary } from '../../src-shared/reports/shift-summary.js';
import { buildShiftSlips } from '../../src-shared/receipt/shift-slip.js';
import type { PrintSlipAnswer } from '../../src-shared/receipt/slip.js';
import { businessDayOf, shiftSummary$ } from '../day-close/index.js';
import { formatNumber, moneyText } from '../hooks/format.js';
import { PRINT_NOT_SENT, shiftSlipWordsFor } from '../hooks/use-slip.js';
import { useCashiers } from '../hooks/use-cashiers.js';
import { useNow } from '../hooks/use-now.js';
import { useProgram } from '../hooks/use-program.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { currentLocale, useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { ErrorMessage, SuccessMessage } from './messages.js';

type PrintState =
  | { state: 'idle' }
  | { state: 'printing' }
  | { state: 'printed'; slips: number }
  | { state: 'refused'; message: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function ShiftSummaryPanel() {
  const { terminal, api } = useTerminal();
  const program = useProgram();
  const storeId = useSyncStatus().storeId;
  const staff = useCashiers();
  const now = useNow(60_000);
  const zone = program?.timeZone ?? null;
  const today = zone ? businessDayOf(now, zone) : null;
  const [picked, setPicked] = useState<string | null>(null);
  const day = picked ?? today;
  const [summary, setSummary] = useState<ShiftSummary | null>(null);
  const [print, setPrint] = useState<PrintState>({ state: 'idle' });
  const dayId = useId();
  const t = useCounterText();

  useEffect(() => {
    setSummary(null);
    if (day === null) return undefined;
    const subscription = shiftSummary$(terminal, day).subscribe(setSummary);
    return () => subscription.unsubscribe();
  }, [terminal, day]);

  const names = new Map(staff.map((s) => [s.id, s.name]));

  const printIt = async (shown: ShiftSummary, on: Program) => {
    setPrint({ state: 'printing' });
    const slips = buildShiftSlips({
      summary: shown,
      program: on,
      storeId: storeId ?? '?',
      names,
      printedAt: Date.now(),
      newId: () => globalThis.crypto.randomUUID(),
      words: shiftSlipWordsFor(currentLocale()),
    });
    // One slip after the other: a refusal stops the rest, so the paper never has a gap in the middle.
    for (const slip of slips) {
      const answer = await api
        .printSlip(slip)
        .catch((): PrintSlipAnswer => ({ printed: false, reason: 'failed', message: PRINT_NOT_SENT }));
      if (!answer.printed) {
        setPrint({ state: 'refused', message: answer.message });
        return;
      }
    }
    setPrint({ state: 'printed', slips: slips.length });
  };

  return (
    <section className="panel" aria-labelledby="shift-summary-title">
      <h2 id="shift-summary-title">{t('shiftSummary.title')}</h2>
      <div className="shift-day">
        <label htmlFor={dayId}>{t('shiftSummary.storeDay')}</label>
        <input
          id={dayId}
          type="date"
          value={day ?? ''}
          max={today ?? undefined}
          onChange={(e) => {
            setPrint({ state: 'idle' });
            setPicked(DAY.test(e.target.value) ? e.target.value : null);
          }}
        />
      </div>
      {summary && program ? (
        <>
          <ShiftSummaryTable summary={summary} names={names} currency={program.currency} />
          <ActionButton disabled={print.state === 'printing'} onClick={() => void printIt(summary, program)}>
            {t('shiftSummary.print')}
          </ActionButton>
        </>
      ) : (
        <p className="hint">{t('shiftSummary.notReady')}</p>
      )}
      {print.state === 'printing' ? <p className="hint">{t('shiftSummary.printing')}</p> : null}
      {print.state === 'printed' ? (
        <SuccessMessage>{t('shiftSummary.printed', { count: print.slips })}</SuccessMessage>
      ) : null}
      {print.state === 'refused' ? (
        <ErrorMessage>{t('shiftSummary.notPrinted', { message: print.message })}</ErrorMessage>
      ) : null}
    </section>
  );
}

const COLUMNS = [
  'sales',
  'spend',
  'issued',
  'redeemed',
  'enrolled',
  'overrides',
  'adjustments',
  'voids',
  'returns',
] as const;

/** The summary as a table: a row per cashier, the till's total last. */
export function ShiftSummaryTable(props: {
  summary: ShiftSummary;
  names: ReadonlyMap<string, string>;
  currency: string;
}) {
  const { summary, names, currency } = props;
  const t = useCounterText();
  const cells = (f: ShiftSummary['totals']) => [
    formatNumber(f.sales),
    moneyText(f.spend, currency),
    `+${formatNumber(f.pointsIssued)}`,
    `-${formatNumber(f.pointsRedeemed)}`,
    formatNumber(f.enrollments),
    formatNumber(f.overrides),
    formatNumber(f.adjustments),
    formatNumber(f.voids),
    formatNumber(f.returns),
  ];
  return (
    // The table may be wider than its panel: its own scroller, reachable by keyboard to scroll it.
    <div className="shift-table-wrap" tabIndex={0} role="region" aria-label={t('shiftSummary.table')}>
      <table className="shift-table">
        <caption>
          {t('shiftSummary.caption', {
            day: summary.businessDay,
            terminal: summary.terminalId,
            count: summary.counted,
          })}
          {summary.notCounted > 0 ? t('shiftSummary.notCounted', { count: summary.notCounted }) : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('shiftSummary.cashier')}</th>
            {COLUMNS.map((c) => (
              <th scope="col" key={c}>
                {t(`shiftSummary.columns.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.cashiers.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + 1}>{t('shiftSummary.none')}</td>
            </tr>
          ) : (
            summary.cashiers.map((row) => (
              <tr key={row.cashierId}>
                <th scope="row">{names.get(row.cashierId) ?? row.cashierId}</th>
                {cells(row).map((value, i) => (
                  <td key={COLUMNS[i]}>{value}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('shiftSummary.total')}</th>
            {cells(summary.totals).map((value, i) => (
              <td key={COLUMNS[i]}>{value}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

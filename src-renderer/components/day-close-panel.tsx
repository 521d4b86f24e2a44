// The end-of-day close on demand: flush, pull, and compare this terminal's day with HQ's. A match is
// green; anything else is red and names what differs (missing event ranges, differing figures, a broken
// local chain), so a lost or altered event is seen, never absorbed.
//
// HQ out of reach is not an error here: the close is kept on the till and runs by itself when HQ answers
// (DayCloser's pending closes), and the panel says so in plain words, with how many events wait to be sent.
import { useState } from 'react';
import { waitsForHq, type CloseRecord, type PendingClose } from '../day-close/index.js';
import { formatDateTime, pointsText } from '../hooks/format.js';
import { useObservable } from '../hooks/use-observable.js';
import { useProgram } from '../hooks/use-program.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { ActionButton } from './action-button.js';
import { ErrorMessage } from './messages.js';

export function DayClosePanel() {
  const { terminal } = useTerminal();
  const program = useProgram();
  const status = useSyncStatus();
  const closes = useObservable(terminal.closer.closes$, () => terminal.closer.closes$.value);
  const pending = useObservable(terminal.closer.pending$, () => terminal.closer.pending$.value);
  const [running, setRunning] = useState(false);
  const [ranAt, setRanAt] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const t = useCounterText();

  const run = async () => {
    setRunning(true);
    setFailure(null);
    try {
      setRanAt((await terminal.closer.closeDay()).closedAt);
    } catch (error) {
      setFailure(t('dayClose.couldNotRun', { message: (error as Error).message }));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="day-close-title">
      <h2 id="day-close-title">{t('dayClose.title')}</h2>
      <ActionButton variant="primary" disabled={running} onClick={() => void run()}>
        {t('dayClose.run')}
      </ActionButton>
      {!status.online && pending.length === 0 && !running ? (
        <p className="hint">{t('dayClose.offlineHint')}</p>
      ) : null}
      {running ? <p className="hint">{t('dayClose.running')}</p> : null}
      {failure ? <ErrorMessage>{failure}</ErrorMessage> : null}
      <DayCloseState
        closes={closes}
        pending={pending}
        unsent={status.pending}
        zone={program?.timeZone ?? null}
        freshAt={ranAt}
      />
    </section>
  );
}

/** "2025-03-05", "2025-03-05 and 2025-03-06", "2025-03-04, 2025-03-05 and 2025-03-06". */
export function listOfDays(days: readonly string[]): string {
  if (days.length <= 1) return days.join('');
  return i18n.t('dayClose.and', { list: days.slice(0, -1).join(', '), last: days[days.length - 1] ?? '' });
}

/** What the close will do while HQ is away, in words for the manager. */
export function waitingText(pending: readonly PendingClose[], unsent: number): string {
  const days = pending.map((p) => p.businessDay);
  const events = unsent === 0 ? i18n.t('dayClose.allSent') : i18n.t('dayClose.unsent', { count: unsent });
  // One close or several (the plural of the closes, not of a number shown).
  return i18n.t('dayClose.waiting', { count: days.length, days: listOfDays(days), events });
}

/**
 * The close's state: the closes waiting for HQ, if any, then the latest close that got an answer. `freshAt`
 * is when this panel last ran one: that result is announced (status or alert), older ones are not.
 */
export function DayCloseState(props: {
  closes: readonly CloseRecord[];
  pending: readonly PendingClose[];
  unsent: number;
  zone: string | null;
  freshAt: number | null;
}) {
  const { closes, pending } = props;
  const fresh = (record: CloseRecord | undefined): boolean =>
    record !== undefined && record.closedAt === props.freshAt;
  const waitedFor = closes.find((c) => waitsForHq(c));
  const answered = closes.find((c) => !waitsForHq(c));
  return (
    <>
      {pending.length > 0 ? (
        <div className="close-result close-waiting" role={fresh(waitedFor) ? 'status' : undefined}>
          <p className="close-title">{waitingText(pending, props.unsent)}</p>
        </div>
      ) : null}
      {answered ? <CloseResult record={answered} zone={props.zone} fresh={fresh(answered)} /> : null}
    </>
  );
}

function CloseResult(props: { record: CloseRecord; zone: string | null; fresh: boolean }) {
  const { record, zone } = props;
  const t = useCounterText();
  const when = t('dayClose.when', { day: record.businessDay, time: formatDateTime(record.closedAt, zone) });
  const figures = record.figures;
  const summary = figures
    ? t('dayClose.figures', {
        count: figures.count,
        first: figures.firstSeq,
        last: figures.lastSeq,
        issued: pointsText(figures.pointsIssued),
        redeemed: pointsText(figures.pointsRedeemed),
      })
    : null;
  if (record.status === 'match')
    return (
      <div className="close-result close-match" role={props.fresh ? 'status' : undefined}>
        <p className="close-title">{t('dayClose.matches', { when })}</p>
        {summary ? <p>{summary}</p> : null}
      </div>
    );
  const title =
    record.status === 'failed' ? t('dayClose.failed', { when }) : t('dayClose.mismatch', { when });
  return (
    <div className="close-result close-mismatch" role={props.fresh ? 'alert' : undefined}>
      <p className="close-title">{title}</p>
      {summary ? <p>{summary}</p> : null}
      {record.problems.length > 0 ? (
        <ul className="close-problems" aria-label={t('dayClose.differences')}>
          {record.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

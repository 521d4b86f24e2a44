// The end-of-day close on demand: flush, pull, and compare this terminal's day with HQ's. A match is
// green; anything else is red and names what differs (missing event ranges, differing figures, a broken
// local chain), so a lost or altered event is seen, never absorbed.
import { useState } from 'react';
import type { CloseRecord } from '../day-close/index.js';
import { formatDateTime, pointsText } from '../hooks/format.js';
import { useObservable } from '../hooks/use-observable.js';
import { useProgram } from '../hooks/use-program.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { ActionButton } from './action-button.js';
import { ErrorMessage } from './messages.js';

export function DayClosePanel() {
  const { terminal } = useTerminal();
  const program = useProgram();
  const closes = useObservable(terminal.closer.closes$, () => terminal.closer.closes$.value);
  const [running, setRunning] = useState(false);
  const [latest, setLatest] = useState<CloseRecord | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setFailure(null);
    try {
      setLatest(await terminal.closer.closeDay());
    } catch (error) {
      setFailure(`The day close could not run: ${(error as Error).message}`);
    } finally {
      setRunning(false);
    }
  };

  const shown = latest ?? closes[0] ?? null;
  return (
    <section className="panel" aria-labelledby="day-close-title">
      <h2 id="day-close-title">Day close</h2>
      <ActionButton variant="primary" disabled={running} onClick={() => void run()}>
        Run day close
      </ActionButton>
      {running ? <p className="hint">Sending pending events and comparing with HQ…</p> : null}
      {failure ? <ErrorMessage>{failure}</ErrorMessage> : null}
      {shown ? (
        <CloseResult record={shown} zone={program?.timeZone ?? null} fresh={shown === latest} />
      ) : null}
    </section>
  );
}

function CloseResult(props: { record: CloseRecord; zone: string | null; fresh: boolean }) {
  const { record, zone } = props;
  const when = `${record.businessDay}, run ${formatDateTime(record.closedAt, zone)}`;
  const figures = record.figures;
  const summary = figures
    ? `${figures.count} ${figures.count === 1 ? 'event' : 'events'} (${figures.firstSeq}–${figures.lastSeq}), ${pointsText(figures.pointsIssued)} issued, ${pointsText(figures.pointsRedeemed)} redeemed`
    : null;
  if (record.status === 'match')
    return (
      <div className="close-result close-match" role={props.fresh ? 'status' : undefined}>
        <p className="close-title">Day close matches HQ: {when}</p>
        {summary ? <p>{summary}</p> : null}
      </div>
    );
  const title =
    record.status === 'failed'
      ? `Day close failed: ${when}. Try again when HQ is reachable.`
      : `Day close does not match HQ: ${when}`;
  return (
    <div className="close-result close-mismatch" role={props.fresh ? 'alert' : undefined}>
      <p className="close-title">{title}</p>
      {summary ? <p>{summary}</p> : null}
      {record.problems.length > 0 ? (
        <ul className="close-problems" aria-label="Close differences">
          {record.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

// The member's recent events at this terminal, newest first, each with where HQ stands on it (pending,
// posted, flagged, refused): the cashier can answer "did my points from this morning go through?".
import { useEffect, useState } from 'react';
import type { EventRow } from '../db/schemas.js';
import { formatDateTime } from '../hooks/format.js';
import { useProgram } from '../hooks/use-program.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { useCounterText } from '../i18n/index.js';
import { eventText, syncStatusText } from './event-text.js';
import type { Program } from '../../src-shared/program/schema.js';

/** How many events the history lists. */
export const HISTORY_LENGTH = 8;

export function MemberHistoryList(props: { rows: readonly EventRow[]; program: Program | null }) {
  const t = useCounterText();
  const rows = props.rows.slice(0, HISTORY_LENGTH);
  if (rows.length === 0) return <p className="hint">{t('member.history.none')}</p>;
  const zone = props.program?.timeZone ?? null;
  return (
    <ul className="history-list">
      {rows.map((row) => (
        <li key={row.id} className={`history-line history-${row.status}`}>
          <span className="history-when">{formatDateTime(Date.parse(row.occurredAt), zone)}</span>
          <span className="history-what">{eventText(row.event, props.program)}</span>
          <span className="history-status">{syncStatusText(row.status)}</span>
        </li>
      ))}
    </ul>
  );
}

export function MemberHistory(props: { memberId: string }) {
  const { terminal } = useTerminal();
  const program = useProgram();
  const [rows, setRows] = useState<EventRow[]>([]);
  const t = useCounterText();
  useEffect(() => {
    const subscription = terminal.services.history$(props.memberId).subscribe(setRows);
    return () => subscription.unsubscribe();
  }, [terminal, props.memberId]);
  return (
    // Folded by default: the member view's actions stay on screen; one tap opens it.
    <details className="member-history">
      <summary>{t('member.history.summary', { shown: Math.min(rows.length, HISTORY_LENGTH) })}</summary>
      <MemberHistoryList rows={rows} program={program} />
    </details>
  );
}

// What waits for HQ and what HQ pushed back: the pending count, and every flagged, quarantined,
// conflicting or rejected event with HQ's reason, for the manager to act on.
import { formatDateTime, humanise } from '../hooks/format.js';
import { useProgram } from '../hooks/use-program.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { ActionButton } from './action-button.js';

const STATUS_WORDS: Record<string, string> = {
  flagged: 'Flagged for review',
  quarantined: 'Quarantined',
  conflict: 'Conflict',
  rejected: 'Rejected',
};

export function SyncQueuePanel() {
  const { terminal } = useTerminal();
  const status = useSyncStatus();
  const zone = useProgram()?.timeZone ?? null;
  return (
    <section className="panel" aria-labelledby="sync-queue-title">
      <h2 id="sync-queue-title">Sync queue</h2>
      <p>
        <strong>{status.pending}</strong> {status.pending === 1 ? 'event waits' : 'events wait'} for HQ.{' '}
        {status.lastPullAt !== null
          ? `Last complete pull ${formatDateTime(status.lastPullAt, zone)}.`
          : 'No complete pull yet.'}
      </p>
      {status.lastError ? <p className="hint hint-warn">Last problem: {status.lastError.message}</p> : null}
      <ActionButton onClick={() => terminal.sync.syncNow()}>Sync now</ActionButton>
      {status.attention.length === 0 ? (
        <p className="hint">Nothing needs attention.</p>
      ) : (
        <ul className="attention" aria-label="Needs attention">
          {status.attention.map((a) => (
            <li key={a.id} className="attention-item">
              <span className="attention-head">
                #{a.terminalSeq} {humanise(a.type)} · {formatDateTime(Date.parse(a.occurredAt), zone)} ·{' '}
                <strong>{STATUS_WORDS[a.status] ?? a.status}</strong>
              </span>
              <span className="attention-reason">{a.reason ?? 'HQ gave no reason.'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

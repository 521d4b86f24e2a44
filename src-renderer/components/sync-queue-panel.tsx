// What waits for HQ and what HQ pushed back: the pending count, and every flagged, quarantined,
// conflicting or rejected event with HQ's reason, for the manager to act on.
import { formatDateTime, humanise } from '../hooks/format.js';
import { useProgram } from '../hooks/use-program.js';
import { useSyncStatus } from '../hooks/use-sync-status.js';
import { useTerminal } from '../hooks/use-terminal.js';
import { i18n, useCounterText } from '../i18n/index.js';
import { syncQueueWords } from '../i18n/words/sync-queue.js';
import { ActionButton } from './action-button.js';

const ATTENTION_STATUSES = ['flagged', 'quarantined', 'conflict', 'rejected'] as const;
/** An event type in the counter's words ("Points earned"); one the counter does not know, as HQ wrote it. */
function eventTypeText(type: string): string {
  return type in syncQueueWords.en.types
    ? i18n.t(`syncQueue.types.${type as keyof typeof syncQueueWords.en.types}`)
    : humanise(type);
}

const isAttentionStatus = (status: string): status is (typeof ATTENTION_STATUSES)[number] =>
  (ATTENTION_STATUSES as readonly string[]).includes(status);

export function SyncQueuePanel() {
  const { terminal } = useTerminal();
  const status = useSyncStatus();
  const zone = useProgram()?.timeZone ?? null;
  const t = useCounterText();
  return (
    <section className="panel" aria-labelledby="sync-queue-title">
      <h2 id="sync-queue-title">{t('syncQueue.title')}</h2>
      <p>
        {t('syncQueue.waiting', { count: status.pending })}{' '}
        {status.lastPullAt !== null
          ? t('syncQueue.lastPull', { when: formatDateTime(status.lastPullAt, zone) })
          : t('syncQueue.noPull')}
      </p>
      {status.lastError ? (
        <p className="hint hint-warn">{t('syncQueue.lastProblem', { message: status.lastError.message })}</p>
      ) : null}
      <ActionButton onClick={() => terminal.sync.syncNow()}>{t('syncQueue.syncNow')}</ActionButton>
      {status.attention.length === 0 ? (
        <p className="hint">{t('syncQueue.nothing')}</p>
      ) : (
        <ul className="attention" aria-label={t('syncQueue.attention')}>
          {status.attention.map((a) => (
            <li key={a.id} className="attention-item">
              <span className="attention-head">
                #{a.terminalSeq} {eventTypeText(a.type)} · {formatDateTime(Date.parse(a.occurredAt), zone)} ·{' '}
                <strong>
                  {isAttentionStatus(a.status) ? t(`syncQueue.statuses.${a.status}`) : a.status}
                </strong>
              </span>
              <span className="attention-reason">{a.reason ?? t('syncQueue.noReason')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// The pending count and the attention list of the sync status, read from this terminal's ledger: at most
// every 50 ms while events are being written (a burst of recordings or verdicts costs one count, not one
// per write).
import { auditTime, from, startWith, switchMap, type Subscription } from 'rxjs';
import type { LedgerDatabase } from '../db/databases.js';
import type { AttentionEvent, SyncState } from './sync-status.js';

type LocalCounts = Pick<SyncState, 'pending' | 'attention'>;

const ATTENTION_STATUSES = ['flagged', 'quarantined', 'conflict', 'rejected'] as const;
const ATTENTION_LIMIT = 200;

/** Keeps the counts up to date through `update`; `current` is what to keep when a read cannot be made. */
export function followLocalCounts(
  ledger: LedgerDatabase,
  current: () => LocalCounts,
  update: (counts: LocalCounts) => void,
): Subscription {
  const events = ledger.events;
  return events.$.pipe(
    startWith(null),
    auditTime(50),
    switchMap(() => from(readLocalCounts(ledger, current))),
  ).subscribe(update);
}

async function readLocalCounts(ledger: LedgerDatabase, current: () => LocalCounts): Promise<LocalCounts> {
  const events = ledger.events;
  const unchanged = current();
  if (ledger.closed) return unchanged;
  const read = Promise.all([
    events.count({ selector: { status: 'local' } }).exec(),
    events
      .find({
        selector: { status: { $in: [...ATTENTION_STATUSES] } },
        sort: [{ status: 'asc' }, { terminalSeq: 'asc' }],
        limit: ATTENTION_LIMIT,
      })
      .exec(),
  ]);
  let pending: number;
  let flagged: Awaited<typeof read>[1];
  try {
    [pending, flagged] = await read;
  } catch {
    return unchanged; // closing
  }
  const attention = flagged
    .map((d): AttentionEvent => ({
      id: d.id,
      terminalSeq: d.terminalSeq,
      type: d.type,
      memberId: d.memberId,
      occurredAt: d.occurredAt,
      status: d.status as AttentionEvent['status'],
      reason: d.reason,
    }))
    .sort((a, b) => a.terminalSeq - b.terminalSeq);
  return { pending, attention };
}

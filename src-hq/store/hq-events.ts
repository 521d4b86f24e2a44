// Events HQ itself makes: nightly jobs (expiry, tier changes, birthday bonuses), the referrer's bonus,
// imports. They are sealed on HQ's own chain (terminal, store and cashier id `hq`), named after the
// current program version, and ingested through the same code path as a terminal's push, so they are
// projected, replicated and reported exactly like terminal events.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { EventOf, EventType } from '../../src-shared/ledger/events.js';
import type { PushResult } from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { IngestBatch, withBatchRetry } from './ingest.js';

/** One HQ event to append: its type, member and payload; HQ fills in the rest (ids, chain, program). */
export type HqEventDraft = {
  [T in EventType]: {
    type: T;
    memberId: string;
    payload: EventOf<T>['payload'];
    /** When it happened (ISO instant); defaults to now by the clock. */
    occurredAt?: string;
  };
}[EventType];

/**
 * Appends HQ events in one transaction, in the order given, and returns one result per draft. Throws
 * InvalidBatchError (nothing stored) when a draft does not make a valid event.
 */
export async function appendHqEvents(
  db: Db,
  drafts: readonly HqEventDraft[],
  clock: Clock,
): Promise<PushResult[]> {
  if (drafts.length === 0) return [];
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const batch = new IngestBatch(tx, db, clock);
      const results = await batch.appendHq(drafts);
      await batch.awardReferrals();
      await batch.flush();
      return results;
    }),
  );
}

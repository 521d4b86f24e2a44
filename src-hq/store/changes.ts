// Change sequence numbers for the replicated collections. Taking numbers locks the collection's counter
// row until the transaction ends, so numbers commit in order: a puller that has seen N can never later
// find a row below N appear (docs/architecture.md section 6, "checkpoints that never skip"). Take them as late in
// the transaction as possible, since the lock serialises the writers of that collection.
import type { CollectionName } from '../../src-shared/sync/wire.js';
import type { Queryable } from '../db/database.js';

/** The PostgreSQL notification channel that carries the name of each changed collection. */
export const CHANGES_CHANNEL = 'loyalty_changes';

/** Reserves `count` consecutive numbers; returns the first. */
export async function takeChangeSeqs(tx: Queryable, collection: CollectionName, count = 1): Promise<number> {
  if (count < 1) throw new RangeError('count must be at least 1');
  const { rows } = await tx.query<{ seq: number }>(
    'UPDATE change_counters SET seq = seq + $2 WHERE collection = $1 RETURNING seq',
    [collection, count],
  );
  const last = rows[0]?.seq;
  if (last === undefined) throw new Error(`no change counter for ${collection}`);
  // NOTIFY is transactional: listeners (the event stream) hear of the change only once it is committed.
  await tx.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, collection]);
  return last - count + 1;
}

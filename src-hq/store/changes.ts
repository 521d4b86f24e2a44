// Change sequence numbers for the replicated collections (docs/architecture.md section 6), from one PostgreSQL
// sequence, `change_seq` (migration 0017). Numbers are taken without an exclusive lock, so writers never
// queue behind each other for them, and they no longer commit in order: a later number may commit before an
// earlier one, and a rolled-back writer leaves a gap. Readers therefore stop at the visibility horizon
// (change-horizon.ts), below which every number is final. For the horizon to be sound, a writer holds the
// taker lock (a shared advisory lock: takers never wait for each other) from before its first number until
// its transaction ends; the horizon waits for the holders it saw.
import type { CollectionName } from '../../src-shared/sync/wire.js';
import type { Queryable } from '../db/database.js';

/** The PostgreSQL notification channel that carries the name of each changed collection. */
export const CHANGES_CHANNEL = 'loyalty_changes';

/** The sequence every replicated row's change_seq comes from. */
export const CHANGE_SEQUENCE = 'change_seq';

/**
 * The taker lock: advisory, two-key form, class "LChg", key the sequence's oid (so that two HQ schemas in
 * one database, as in tests, do not wait for each other's writers).
 */
export const TAKER_LOCK_CLASS = 0x4c43_6867;
export const TAKER_LOCK_KEY = `'${CHANGE_SEQUENCE}'::regclass::oid`;

/**
 * Takes the taker lock until the transaction ends, and has the change of `collections` notified on commit
 * (NOTIFY is transactional: listeners, the event stream, hear of it only once it is committed). Call it
 * before taking change numbers in any other way than takeChangeSeqs.
 */
export async function beginChanges(tx: Queryable, collections: readonly CollectionName[]): Promise<void> {
  await tx.query(
    `SELECT pg_advisory_xact_lock_shared($1::int, ${TAKER_LOCK_KEY}::int) AS locked,
       (SELECT count(pg_notify($2, c)) FROM unnest($3::text[]) AS c) AS notified`,
    [TAKER_LOCK_CLASS, CHANGES_CHANNEL, collections],
  );
}

/**
 * Takes `count` change numbers for rows of `collection`, ascending; they need not be consecutive (another
 * writer may take numbers in between). Rows written with them become visible to pulls once committed and
 * below the horizon.
 */
export async function takeChangeSeqs(
  tx: Queryable,
  collection: CollectionName,
  count = 1,
): Promise<number[]> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('count must be at least 1');
  // The lock first, in its own statement: within one statement the order of evaluation is the planner's.
  await beginChanges(tx, [collection]);
  const { rows } = await tx.query<{ seq: number }>(
    `SELECT nextval('${CHANGE_SEQUENCE}') AS seq FROM generate_series(1, $1::int) ORDER BY 1`,
    [count],
  );
  return rows.map((r) => r.seq);
}

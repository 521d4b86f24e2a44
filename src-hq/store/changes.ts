// Change sequence numbers for the replicated collections (docs/architecture.md section 6), from one PostgreSQL
// sequence, `change_seq` (migration 0017). Numbers are taken without an exclusive lock, so writers never
// queue behind each other for them, and they no longer commit in order: a later number may commit before an
// earlier one, and a rolled-back writer leaves a gap. Readers therefore stop at the visibility horizon
// (change-horizon.ts), below which every number is final. For the horizon to be sound, a writer holds the
// taker lock (a shared advisory lock: takers never wait for each other) from before its first number until
// its transaction ends; the horizon waits for the holders it saw.
//
// Listeners (the event streams of every HQ process) hear of changes through NOTIFY. A NOTIFY inside a
// transaction makes its commit take PostgreSQL's one notify-queue lock, held until the commit is flushed
// (PreCommit_Notify), so every notifying writer of the database commits one after the other: at 50
// terminals pushing it was the last lock ingest queued on. So ingest defers its notices
// (deferChangeNotices) and sends them after commit, coalesced over the batches committing meanwhile
// (notifyChanges); the other writers, rare, keep the transactional NOTIFY.
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

/** Transactions whose notices their caller sends after commit, with the collections they changed. */
const deferredNotices = new WeakMap<Queryable, Set<CollectionName>>();

/**
 * From now on the change notices of this transaction are only collected (deferredChanges): its caller
 * sends them once the transaction has committed (notifyChanges), so the commit does not queue on the
 * notify lock.
 */
export function deferChangeNotices(tx: Queryable): void {
  if (!deferredNotices.has(tx)) deferredNotices.set(tx, new Set());
}

/** The collections a transaction that defers its notices changed so far. */
export function deferredChanges(tx: Queryable): CollectionName[] {
  return [...(deferredNotices.get(tx) ?? [])];
}

/**
 * Takes the taker lock until the transaction ends, and has the change of `collections` notified on commit
 * (NOTIFY is transactional: listeners, the event stream, hear of it only once it is committed), or
 * collected for after commit if the transaction defers its notices. Call it before taking change numbers
 * in any other way than takeChangeSeqs.
 */
export async function beginChanges(tx: Queryable, collections: readonly CollectionName[]): Promise<void> {
  const deferred = deferredNotices.get(tx);
  if (deferred) {
    for (const c of collections) deferred.add(c);
    await tx.query(`SELECT pg_advisory_xact_lock_shared($1::int, ${TAKER_LOCK_KEY}::int) AS locked`, [
      TAKER_LOCK_CLASS,
    ]);
    return;
  }
  await tx.query(
    `SELECT pg_advisory_xact_lock_shared($1::int, ${TAKER_LOCK_KEY}::int) AS locked,
       (SELECT count(pg_notify($2, c)) FROM unnest($3::text[]) AS c) AS notified`,
    [TAKER_LOCK_CLASS, CHANGES_CHANNEL, collections],
  );
}

/**
 * Sends the notices of committed changes, outside any transaction: the collections asked for while one
 * notice is on its way go together in the next, so a burst of batches costs a few NOTIFYs, not one each.
 * Resolves once `collections` are notified (a failure rejects every caller waiting for that notice).
 */
export function notifyChanges(db: Queryable, collections: readonly CollectionName[]): Promise<void> {
  if (collections.length === 0) return Promise.resolve();
  let notices = noticesByDb.get(db);
  if (!notices) {
    notices = new CoalescedNotices(db);
    noticesByDb.set(db, notices);
  }
  return notices.send(collections);
}

const noticesByDb = new WeakMap<Queryable, CoalescedNotices>();

class CoalescedNotices {
  private readonly pending = new Set<CollectionName>();
  private next: Promise<void> | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly db: Queryable) {}

  send(collections: readonly CollectionName[]): Promise<void> {
    for (const c of collections) this.pending.add(c);
    // Joins the notice not sent yet, or makes one that goes once the one on its way is done.
    this.next ??= this.sending.then(
      () => this.flush(),
      () => this.flush(),
    );
    return this.next;
  }

  private flush(): Promise<void> {
    const collections = [...this.pending];
    this.pending.clear();
    this.next = null;
    this.sending = this.db
      .query('SELECT count(pg_notify($1, c)) FROM unnest($2::text[]) AS c', [CHANGES_CHANNEL, collections])
      .then(() => undefined);
    return this.sending;
  }
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

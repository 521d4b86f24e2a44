// Every writer that can touch a member (push batches, HQ jobs, admin actions) first takes that member's
// lock: a transaction-level advisory lock on the member id, held until commit. It works whether or not
// the member's row exists yet — under read committed, a row that does not exist cannot be locked, so two
// transactions each writing what the other cannot see (an earn waiting for its member, the member's
// enrollment) would both commit and the earn would never be applied. Locks are taken in key order, the
// same in every writer, so concurrent writers queue rather than deadlock (a deadlock that still happens,
// e.g. a referrer locked after the batch's members, is detected by PostgreSQL and the batch retried).
import type { Queryable } from '../db/database.js';

/** The advisory lock class of member locks (two-key form, so other advisory locks cannot collide). */
export const MEMBER_LOCK_CLASS = 0x4c4d_656d; // "LMem"

/** Takes the member locks of `ids` (duplicates ignored) until the transaction ends. */
export async function lockMemberIds(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `SELECT count(pg_advisory_xact_lock($2::int, k)) AS locked
     FROM (SELECT DISTINCT hashtext(id) AS k FROM unnest($1::text[]) AS id ORDER BY k) AS keys`,
    [[...new Set(ids)], MEMBER_LOCK_CLASS],
  );
}

// What every member action shares: the member locked and found live, and HQ events appended inside the
// action's own transaction (the same ingest path as a push, so projections, cards, change numbers and
// reports follow), refusing to commit an event HQ did not apply as made.
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { PushResult } from '../../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../../db/database.js';
import type { HqEventDraft } from '../hq-events.js';
import { IngestBatch } from '../ingest.js';
import { RetryBatch } from '../ingest/write.js';
import { lockMemberIds } from '../member-locks.js';
import { MemberActionError, UnknownMemberError } from './errors.js';
import { memberRow, type MemberRow } from './member-row.js';

/** Who acted, as an HQ event names its manager (the ledger keeps 64 characters). */
export const consoleActor = (username: string): string => `console:${username}`.slice(0, 64);

/** At most `max` characters (an event note keeps 200). */
export const clipText = (text: string, max = 200): string =>
  text.length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;

/** Refuses a member that is not (or no longer) someone: unknown, merged or erased. */
export function assertLive(row: MemberRow): void {
  if (row.deleted) throw new UnknownMemberError(row.id);
  if (row.merged_into !== null)
    throw new MemberActionError(
      'member-gone',
      `Member ${row.id} was merged into ${row.merged_into}: act on that member.`,
    );
  if (row.erased_at !== null) throw new MemberActionError('member-gone', `Member ${row.id} was erased.`);
}

/** Takes the members' locks (in the one global order) and reads their rows. */
export async function lockMembers(tx: Queryable, ids: readonly string[]): Promise<MemberRow[]> {
  await lockMemberIds(tx, ids);
  const rows: MemberRow[] = [];
  for (const id of ids) rows.push(await memberRow(tx, id, true));
  return rows;
}

/**
 * Appends HQ events in the caller's transaction; throws (rolling back) unless each was applied as made.
 * Call it inside withBatchRetry.
 */
export async function appendApplied(
  tx: Queryable,
  db: Db,
  clock: Clock,
  drafts: readonly HqEventDraft[],
): Promise<PushResult[]> {
  const batch = new IngestBatch(tx, db, clock);
  const results = await batch.appendHq(drafts);
  await batch.awardReferrals();
  await batch.flush();
  // Not applied as made: a concurrent write got in after the action's checks (e.g. linked the new card);
  // the action runs again (withBatchRetry) and its checks then refuse it in words.
  const failed = results.find((r) => r.status !== 'posted' || r.memberSeq === null);
  if (failed)
    throw new RetryBatch(`HQ event ${failed.id} was not applied as made: ${failed.reason ?? failed.status}`);
  return results;
}

// Two members merged into one (a customer enrolled twice). In one transaction, under both members' locks
// (taken in the one global order of src-hq/store/member-locks.ts, so a merge and a push touching the same
// members queue instead of deadlocking), HQ appends:
//   - the merged member's net points moved by a pair of adjustments (src-shared/members/merge.ts), so
//     both balances stay folds of their events and the liability does not change;
//   - the merged member closed and stripped of its cards and phone; the survivor given those cards (and
//     the phone lookup key and birth month when it has none).
// Then the merged member points at the survivor (`merged_into`): terminals receive it as a tombstone
// (pull.ts) and its cards in the survivor's document; its blocked cards follow; members merged into it
// before now point at the survivor; the survivor's contact details take any the merged member had and it
// lacked, and the merged member's are removed. Its events stay its own (they are sealed for its id) and
// are the survivor's history.
//
// An event for the merged member that reaches HQ after the merge (a till offline since before it) is
// applied to the merged member and its points moved on to the survivor by that push
// (IngestBatch.forwardMerged). Points HQ itself gives the merged member later (a review credit of one of
// its items) stay on it until it is merged again, which moves them and nothing else; the survivor's
// profile lists them (leftOnMerged).
import type { Clock } from '../../../src-shared/kernel/clock.js';
import { mergeTransfer } from '../../../src-shared/members/merge.js';
import type { Db, Queryable } from '../../db/database.js';
import type { HqEventDraft } from '../hq-events.js';
import { withBatchRetry } from '../ingest.js';
import { MemberActionError } from './errors.js';
import { appendApplied, assertLive, consoleActor, lockMembers } from './hq-write.js';

export interface Merge {
  survivorId: string;
  mergedId: string;
  /** Who merged (the adjustments name them). */
  username: string;
}

export interface MergeResult {
  survivor: string;
  merged: string;
  /** The net points moved to the survivor (negative: debt). */
  movedPoints: number;
  /** Cards moved. */
  cards: number;
}

export async function mergeMembers(db: Db, clock: Clock, m: Merge): Promise<MergeResult> {
  if (m.survivorId === m.mergedId)
    throw new MemberActionError('same-member', 'A member cannot be merged into itself.');
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const [survivor, merged] = await lockMembers(tx, [m.survivorId, m.mergedId]);
      if (!survivor || !merged) throw new Error('lockMembers returned no row');
      assertLive(survivor);
      const again = merged.merged_into === m.survivorId;
      if (!again) assertLive(merged);
      else if (merged.erased_at !== null)
        throw new MemberActionError('member-gone', `Member ${merged.id} was erased.`);

      const s = survivor.doc;
      const g = merged.doc;
      const transfer = mergeTransfer(g);
      const note = (text: string) => text.slice(0, 200);
      const drafts: HqEventDraft[] = [];
      if (transfer) {
        drafts.push(
          {
            type: 'points-adjusted',
            memberId: merged.id,
            payload: {
              points: transfer.merged,
              reasonCode: 'migration',
              managerId: consoleActor(m.username),
              note: note(`merged into member ${survivor.id}`),
            },
          },
          {
            type: 'points-adjusted',
            memberId: survivor.id,
            payload: {
              points: transfer.survivor,
              reasonCode: 'migration',
              managerId: consoleActor(m.username),
              note: note(`merge of member ${merged.id}`),
            },
          },
        );
      }
      if (!again) {
        drafts.push({
          type: 'member-updated',
          memberId: merged.id,
          payload: {
            ...(g.cards.length > 0 ? { removeCards: g.cards } : {}),
            ...(g.phoneHash !== null ? { phoneHash: null, phoneLast4: null } : {}),
            status: 'closed',
          },
        });
        const takesPhone = s.phoneHash === null && g.phoneHash !== null;
        const takesBirthday = s.birthMonth === null && g.birthMonth !== null;
        if (g.cards.length > 0 || takesPhone || takesBirthday)
          drafts.push({
            type: 'member-updated',
            memberId: survivor.id,
            payload: {
              ...(g.cards.length > 0 ? { addCards: g.cards } : {}),
              ...(takesPhone ? { phoneHash: g.phoneHash, phoneLast4: g.phoneLast4 } : {}),
              ...(takesBirthday ? { birthMonth: g.birthMonth } : {}),
            },
          });
      }
      if (drafts.length > 0) await appendApplied(tx, db, clock, drafts);
      if (!again) {
        await tx.query('UPDATE cards SET member_id = $1 WHERE member_id = $2 AND blocked_at IS NOT NULL', [
          survivor.id,
          merged.id,
        ]);
        await tx.query('UPDATE members SET merged_into = $1 WHERE id = $2 OR merged_into = $2', [
          survivor.id,
          merged.id,
        ]);
        await mergeProfiles(tx, survivor.id, merged.id);
      }
      return {
        survivor: survivor.id,
        merged: merged.id,
        movedPoints: transfer?.survivor ?? 0,
        cards: again ? 0 : g.cards.length,
      };
    }),
  );
}

/** The survivor's contact details, completed with the merged member's; the merged member's removed. */
async function mergeProfiles(tx: Queryable, survivorId: string, mergedId: string): Promise<void> {
  await tx.query(
    `INSERT INTO member_profiles (member_id, first_name, last_name, email, phone, updated_at)
     SELECT $1, first_name, last_name, email, phone, now() FROM member_profiles WHERE member_id = $2
     ON CONFLICT (member_id) DO UPDATE SET
       first_name = COALESCE(member_profiles.first_name, excluded.first_name),
       last_name = COALESCE(member_profiles.last_name, excluded.last_name),
       email = COALESCE(member_profiles.email, excluded.email),
       phone = COALESCE(member_profiles.phone, excluded.phone),
       updated_at = now()`,
    [survivorId, mergedId],
  );
  await tx.query('DELETE FROM member_profiles WHERE member_id = $1', [mergedId]);
}

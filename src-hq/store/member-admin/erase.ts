// Erasure of a member's personal data (GDPR art. 17), in one transaction under the member's lock:
//   - an HQ `member-updated` event gives the member its pseudonym (src-shared/members/erase.ts), removes
//     its phone lookup key, last four digits, birth month and cards, and closes it — so the projection stays
//     the fold of its events and its points stay in the ledger and the reports;
//   - the events HQ keeps of it (and of members merged into it), and any quarantined copies, lose their
//     personal fields (redactEvent): the enrollment's name, phone key, birth month, cards and contact
//     profile, and the same fields of later updates;
//   - its HQ contact details are deleted (the marketing consent goes with them), its cards unlinked
//     (a blocked card keeps blocking, still naming the pseudonymous member);
//   - `erased_at` is set: every terminal receives the member as a tombstone with no personal field
//     (pull.ts), so it leaves every replica.
// What stays: the member id (a random id, now a pseudonym), points, baskets (SKUs and prices), times and
// stores. A till that sealed the enrollment keeps its own copy of that event in its local log (terminals
// never rewrite their events' content); see docs/decisions.md, "Erasure: personal data leaves HQ and
// every till".
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { erasedName, redactEvent } from '../../../src-shared/members/erase.js';
import type { Db, Queryable } from '../../db/database.js';
import type { HqEventDraft } from '../hq-events.js';
import { withBatchRetry } from '../ingest.js';
import { MemberActionError, UnknownMemberError } from './errors.js';
import { appendApplied, lockMembers } from './hq-write.js';
import { mergedFrom } from './profile.js';

export async function eraseMember(
  db: Db,
  clock: Clock,
  memberId: string,
): Promise<{ pseudonym: string; redactedEvents: number }> {
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const ids = [memberId, ...(await mergedFrom(tx, memberId))];
      const rows = await lockMembers(tx, ids);
      const row = rows[0];
      if (!row || row.deleted) throw new UnknownMemberError(memberId);
      if (row.erased_at !== null)
        throw new MemberActionError('already-erased', `Member ${memberId} was erased already.`);
      const drafts = rows
        .filter((r) => r.erased_at === null)
        .map((r): HqEventDraft => ({
          type: 'member-updated',
          memberId: r.id,
          payload: {
            displayName: erasedName(r.id),
            phoneHash: null,
            phoneLast4: null,
            birthMonth: null,
            ...(r.doc.cards.length > 0 ? { removeCards: r.doc.cards } : {}),
            status: 'closed',
          },
        }));
      await appendApplied(tx, db, clock, drafts);
      const redactedEvents = await redactStored(tx, ids);
      await tx.query('DELETE FROM cards WHERE member_id = ANY($1::text[]) AND blocked_at IS NULL', [ids]);
      await tx.query('DELETE FROM member_profiles WHERE member_id = ANY($1::text[])', [ids]);
      await tx.query('UPDATE members SET erased_at = $2 WHERE id = ANY($1::text[])', [
        ids,
        new Date(clock.now()).toISOString(),
      ]);
      return { pseudonym: erasedName(memberId), redactedEvents };
    }),
  );
}

/** Redacts the members' stored events and quarantined copies in place; returns how many events changed. */
async function redactStored(tx: Queryable, ids: readonly string[]): Promise<number> {
  const { rows } = await tx.query<{ id: string; body: LedgerEvent }>(
    `SELECT id::text AS id, body FROM events
     WHERE member_id = ANY($1::text[]) AND type IN ('member-enrolled', 'member-updated')`,
    [ids],
  );
  const changed = rows
    .map((r) => ({ id: r.id, body: redactEvent(r.body, erasedName(r.body.memberId)) }))
    .filter((r, i) => JSON.stringify(r.body) !== JSON.stringify(rows[i]!.body));
  if (changed.length > 0)
    await tx.query(
      `UPDATE events e SET body = x.body FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, body jsonb)
       WHERE e.id = x.id`,
      [JSON.stringify(changed)],
    );
  const { rows: kept } = await tx.query<{ id: string; body: LedgerEvent }>(
    `SELECT id::text AS id, body FROM quarantine WHERE body->>'memberId' = ANY($1::text[])`,
    [ids],
  );
  if (kept.length > 0)
    await tx.query(
      `UPDATE quarantine q SET body = x.body FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, body jsonb)
       WHERE q.id = x.id`,
      [
        JSON.stringify(
          kept.map((k) => ({ id: k.id, body: redactEvent(k.body, erasedName(k.body.memberId)) })),
        ),
      ],
    );
  return changed.length;
}

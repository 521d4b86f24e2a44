// Reading the member projection HQ keeps (members.doc is applyEvent's output; ingest is the only writer).
// Lookups go by card (the cards table, which says which member a card belongs to) or by phone hash; full
// profiles stay in member_profiles and are never part of a member document.
import type { Member } from '../../src-shared/ledger/member.js';
import type { MemberDoc } from '../../src-shared/sync/wire.js';
import type { Queryable } from '../db/database.js';

/** A member as HQ has projected it, or null when unknown or deleted. */
export async function getMember(db: Queryable, id: string): Promise<Member | null> {
  const { rows } = await db.query<{ doc: Member }>('SELECT doc FROM members WHERE id = $1 AND NOT deleted', [
    id,
  ]);
  return rows[0]?.doc ?? null;
}

/** A member a till may find: not deleted, merged into another or erased (src-hq/store/member-admin). */
const FINDABLE = 'NOT m.deleted AND m.merged_into IS NULL AND m.erased_at IS NULL';

/**
 * Members matching a card number (at most one: a card belongs to one member; a blocked card finds no
 * one) or a phone hash (several members may share a phone), as replica documents. Deleted, merged and
 * erased members are not found.
 */
export async function findMembers(
  db: Queryable,
  by: { card: string } | { phoneHash: string },
): Promise<MemberDoc[]> {
  const { rows } =
    'card' in by
      ? await db.query<{ doc: Member }>(
          `SELECT m.doc FROM cards c JOIN members m ON m.id = c.member_id
           WHERE c.number = $1 AND c.blocked_at IS NULL AND ${FINDABLE}`,
          [by.card],
        )
      : await db.query<{ doc: Member }>(
          `SELECT doc FROM members m WHERE phone_hash = $1 AND ${FINDABLE} ORDER BY id LIMIT 50`,
          [by.phoneHash],
        );
  return rows.map((r) => ({ ...r.doc, _deleted: false }));
}

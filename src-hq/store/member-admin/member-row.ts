// A member as the console's store reads it: the projection (members.doc), what became of it (merged,
// erased), the HQ profile and the store it enrolled at, in one query shared by search, profile and export.
import type { MemberSummary } from '../../../src-shared/console/members.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import { HQ_SOURCE } from '../../../src-shared/ledger/events.js';
import type { Queryable } from '../../db/database.js';
import { UnknownMemberError } from './errors.js';

export interface MemberRow {
  id: string;
  doc: Member;
  deleted: boolean;
  merged_into: string | null;
  erased_at: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  has_profile: boolean;
  store_id: string | null;
}

/** The SELECT list of MemberRow over `members m` (profile `p` joined by the caller's FROM). */
export const MEMBER_COLUMNS = `m.id, m.doc, m.deleted, m.merged_into, m.erased_at,
  p.first_name, p.last_name, p.email, p.phone, p.member_id IS NOT NULL AS has_profile,
  (SELECT e.store_id FROM events e WHERE e.member_id = m.id AND e.type = 'member-enrolled' AND e.applied
   LIMIT 1) AS store_id`;

/**
 * `$n::text[]` is null (every store) or the member enrolled at one of those stores: its applied
 * enrollment (a refused second enrollment elsewhere does not make it that store's).
 */
export const inScope = (param: string): string =>
  `(${param}::text[] IS NULL OR EXISTS (SELECT 1 FROM events s WHERE s.member_id = m.id
     AND s.type = 'member-enrolled' AND s.applied AND s.store_id = ANY(${param}::text[])))`;

/** The member's row (deleted ones too: the caller decides); throws UnknownMemberError. */
export async function memberRow(db: Queryable, id: string, forUpdate = false): Promise<MemberRow> {
  const { rows } = await db.query<MemberRow>(
    `SELECT ${MEMBER_COLUMNS} FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id
     WHERE m.id = $1${forUpdate ? ' FOR UPDATE OF m' : ''}`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new UnknownMemberError(id);
  return row;
}

/** The store a member enrolled at (null: unknown member, or enrolled by HQ, e.g. imported). */
export async function memberStoreId(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ store_id: string }>(
    `SELECT store_id FROM events WHERE member_id = $1 AND type = 'member-enrolled' AND applied LIMIT 1`,
    [id],
  );
  const store = rows[0]?.store_id ?? null;
  return store === HQ_SOURCE ? null : store;
}

const fullName = (r: MemberRow): string | null => {
  const name = [r.first_name, r.last_name].filter((x) => x && x.trim()).join(' ');
  return name.length > 0 ? name : null;
};

export function toSummary(r: MemberRow): MemberSummary {
  return {
    id: r.id,
    displayName: r.doc.displayName,
    fullName: fullName(r),
    email: r.email,
    phoneLast4: r.doc.phoneLast4,
    cards: r.doc.cards,
    balance: r.doc.balance,
    debt: r.doc.debt,
    tier: r.doc.tier,
    status: r.doc.status,
    storeId: r.store_id === HQ_SOURCE ? null : r.store_id,
    mergedInto: r.merged_into,
    erased: r.erased_at !== null,
  };
}

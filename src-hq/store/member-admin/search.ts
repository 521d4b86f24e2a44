// The console's member search: one box, read as a card number, a phone, an e-mail or a name
// (src-shared/members/search-query.ts). A phone is looked up through the chain's phone lookup key — the
// typed number is normalised in each country the chain has stores in and keyed, never compared in plain —
// so the search finds exactly whom a till would. Merged and erased members are left out: a merged one's
// cards and points are its survivor's, an erased one is nobody any more.
import type { MemberSummary } from '../../../src-shared/console/members.js';
import { normalisePhone } from '../../../src-shared/ledger/phone.js';
import { likePrefix, planMemberSearch } from '../../../src-shared/members/search-query.js';
import type { Queryable } from '../../db/database.js';
import { phoneLookupKeys } from '../phone-key.js';
import { inScope, MEMBER_COLUMNS, toSummary, type MemberRow } from './member-row.js';

export interface MemberSearch {
  text: string;
  /** The stores the user may see (null: every store). */
  scope: readonly string[] | null;
  page: number;
  pageSize: number;
}

export async function searchMembers(
  db: Queryable,
  search: MemberSearch,
): Promise<{ members: MemberSummary[]; page: number; more: boolean }> {
  const plan = planMemberSearch(search.text);
  const phoneKeys = plan.phone === null ? [] : await phoneKeysOf(db, plan.phone);
  const [first, second] = plan.name ?? [];
  const { rows } = await db.query<MemberRow>(
    `WITH hits AS (
       SELECT member_id AS id FROM cards WHERE number = ANY($1::text[]) AND blocked_at IS NULL
       UNION SELECT id FROM members WHERE id = $8
       UNION SELECT id FROM members WHERE phone_hash = ANY($2::text[])
       UNION SELECT member_id FROM member_profiles WHERE $3::text IS NOT NULL AND lower(email) LIKE $3
       UNION SELECT member_id FROM member_profiles
         WHERE $4::text IS NOT NULL AND (
           ($5::text IS NULL AND (lower(first_name) LIKE $4 OR lower(last_name) LIKE $4))
           OR (lower(first_name) LIKE $4 AND lower(last_name) LIKE $5))
       UNION SELECT id FROM members
         WHERE $4::text IS NOT NULL AND lower(doc->>'displayName') LIKE $9
     )
     SELECT ${MEMBER_COLUMNS}
     FROM hits JOIN members m ON m.id = hits.id LEFT JOIN member_profiles p ON p.member_id = m.id
     WHERE NOT m.deleted AND m.merged_into IS NULL AND m.erased_at IS NULL AND ${inScope('$10')}
     ORDER BY m.doc->>'displayName', m.id
     LIMIT $6 OFFSET $7`,
    [
      plan.cards,
      phoneKeys,
      plan.email === null ? null : likePrefix(plan.email),
      first === undefined ? null : likePrefix(first),
      second === undefined ? null : likePrefix(second),
      search.pageSize + 1,
      (search.page - 1) * search.pageSize,
      search.text.trim(),
      plan.name === null ? null : likePrefix(plan.name.join(' ')),
      search.scope,
    ],
  );
  return {
    members: rows.slice(0, search.pageSize).map(toSummary),
    page: search.page,
    more: rows.length > search.pageSize,
  };
}

/** The lookup keys of a typed phone, read in each country the chain has stores in. */
async function phoneKeysOf(db: Queryable, typed: string): Promise<string[]> {
  const { rows } = await db.query<{ country: string }>('SELECT DISTINCT country FROM stores ORDER BY 1');
  const countries = rows.length > 0 ? rows.map((r) => r.country) : ['IE'];
  const numbers = [...new Set(countries.map((c) => normalisePhone(typed, c)))].filter(
    (n): n is string => n !== null,
  );
  const keys = await phoneLookupKeys(db, numbers);
  return keys.filter((k): k is string => k !== null);
}

// Members in a re-engagement segment, read from HQ's member projection. SQL only narrows: it keeps active
// members with points who could be in the segment (a superset), with their last visit, contact details and
// consent; the decision and its reason are matchSegment's (src-shared/engagement/segments.ts), the same
// expiry rule the nightly job applies. Pages go in member id order (keyset), so a scan never holds more
// than a chunk of members in memory, and an export or a delivery walks the whole segment the same way.
//
// A member belongs to the store they enrolled at (the members area's rule, so a store manager can open
// every member they are shown): the store filter and a store manager's scope both read it. Their last
// visit (latest event at any store's terminal) is what the dormant segment measures.
import type { Program } from '../../../src-shared/program/schema.js';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import type { Batch } from '../../../src-shared/ledger/member.js';
import {
  matchSegment,
  ruleDays,
  type SegmentReason,
  type SegmentRule,
} from '../../../src-shared/engagement/segments.js';
import type { SegmentFilter } from '../../../src-shared/console/engagement.js';
import type { Queryable } from '../../db/database.js';

export interface SegmentScope {
  /** The stores the reader may see; null for every store. */
  stores: readonly string[] | null;
  /** Only members who agreed to marketing and have an email or phone (export, delivery). */
  reachableOnly?: boolean;
}

export interface SegmentRow {
  memberId: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  consent: boolean;
  balance: number;
  tier: string | null;
  /** The store the member enrolled at (null: enrolled by HQ). */
  storeId: string | null;
  lastVisitAt: string | null;
  reason: SegmentReason;
}

interface CandidateRow {
  id: string;
  balance: number;
  debt: number;
  tier: string | null;
  batches: Batch[];
  last_activity_at: string | null;
  enrolled_at: string;
  display_name: string;
  last_visit_at: string | null;
  home_store: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  consent: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The WHERE clause that narrows to possible members of the segment; null when none can be. */
function narrowing(
  filter: SegmentFilter,
  program: Program,
  at: number,
  scope: SegmentScope,
): { where: string[]; params: unknown[] } | null {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length + 1}`; // $1 is the keyset cursor
  };
  // Erased and merged members keep their points in the ledger but are no one to bring back.
  const where = [
    'NOT m.deleted',
    'm.erased_at IS NULL',
    'm.merged_into IS NULL',
    "m.status = 'active'",
    'm.balance - m.debt > 0',
  ];
  switch (filter.segment) {
    case 'dormant':
      where.push(
        `COALESCE(v.occurred_at, (m.doc->>'enrolledAt')::timestamptz) <= ${p(iso(at - ruleDays(filter) * DAY_MS))}::timestamptz`,
      );
      break;
    case 'expiring': {
      const horizon = iso(at + ruleDays(filter) * DAY_MS);
      const expiry = program.expiry;
      if (expiry.mode === 'none') return null;
      if (expiry.mode === 'rolling')
        where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(m.doc->'batches') b
          WHERE (b->>'remaining')::bigint > 0 AND b->>'expiresAt' IS NOT NULL
            AND (b->>'expiresAt')::timestamptz <= ${p(horizon)}::timestamptz)`);
      // Month arithmetic differs at the ends of months between SQL and the rule: four days of slack keep
      // the candidates a superset, and matchSegment decides.
      else
        where.push(`COALESCE(m.doc->>'lastActivityAt', m.doc->>'enrolledAt')::timestamptz
          + make_interval(months => ${p(expiry.months)}::int) <= ${p(horizon)}::timestamptz + interval '4 days'`);
      break;
    }
    case 'near-reward': {
      const costs = program.rewards.filter((r) => r.active).map((r) => r.cost);
      if (costs.length === 0) return null;
      where.push(`m.balance - m.debt < ${p(Math.max(...costs))}::bigint`);
      break;
    }
  }
  if (filter.storeId !== undefined) where.push(`h.store_id = ${p(filter.storeId)}`);
  if (scope.stores !== null) where.push(`h.store_id = ANY(${p(scope.stores)}::text[])`);
  if (filter.tier !== undefined) where.push(`m.tier = ${p(filter.tier)}`);
  if (filter.minPoints !== undefined) where.push(`m.balance - m.debt >= ${p(filter.minPoints)}::bigint`);
  if (scope.reachableOnly) where.push('c.marketing IS TRUE AND (p.email IS NOT NULL OR p.phone IS NOT NULL)');
  return { where, params };
}

const ruleOf = (filter: SegmentFilter): SegmentRule => ({
  segment: filter.segment,
  days: filter.days,
  withinPoints: filter.withinPoints,
  withinPercent: filter.withinPercent,
});

/** Candidates a chunk at a time, matched; yields every member of the segment in id order after `after`. */
export async function* segmentMembers(
  db: Queryable,
  program: Program,
  filter: SegmentFilter,
  at: number,
  scope: SegmentScope,
  options: { after?: string; chunk?: number } = {},
): AsyncGenerator<SegmentRow> {
  const narrowed = narrowing(filter, program, at, scope);
  if (!narrowed) return;
  const chunk = options.chunk ?? 500;
  const rule = ruleOf(filter);
  let after = options.after ?? '';
  for (;;) {
    const { rows } = await db.query<CandidateRow>(
      `SELECT m.id, m.balance, m.debt, m.tier, m.doc->'batches' AS batches,
              m.doc->>'lastActivityAt' AS last_activity_at, m.doc->>'enrolledAt' AS enrolled_at,
              m.doc->>'displayName' AS display_name, v.occurred_at AS last_visit_at, h.store_id AS home_store,
              p.first_name, p.last_name, p.email, p.phone, COALESCE(c.marketing, false) AS consent
       FROM members m
       LEFT JOIN LATERAL (
         SELECT e.occurred_at FROM events e
         WHERE e.member_id = m.id AND e.terminal_id <> 'hq' AND e.status <> 'quarantined'
         ORDER BY e.occurred_at DESC LIMIT 1
       ) v ON true
       LEFT JOIN LATERAL (
         SELECT e.store_id FROM events e WHERE e.member_id = m.id AND e.type = 'member-enrolled'
         ORDER BY e.applied DESC, e.recorded_at LIMIT 1
       ) h ON true
       LEFT JOIN member_profiles p ON p.member_id = m.id
       LEFT JOIN member_consents c ON c.member_id = m.id
       WHERE m.id > $1 AND ${narrowed.where.join(' AND ')}
       ORDER BY m.id LIMIT ${chunk}`,
      [after, ...narrowed.params],
    );
    for (const r of rows) {
      const reason = matchSegment(
        rule,
        {
          status: 'active',
          balance: r.balance,
          debt: r.debt,
          tier: r.tier,
          batches: r.batches,
          lastActivityAt: r.last_activity_at,
          enrolledAt: r.enrolled_at,
          lastVisitAt: r.last_visit_at,
        },
        program,
        at,
      );
      if (!reason) continue;
      yield {
        memberId: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        displayName: r.display_name,
        email: r.email,
        phone: r.phone,
        consent: r.consent,
        balance: r.balance - r.debt,
        tier: r.tier,
        // Enrolled by HQ (an import): no store's.
        storeId: r.home_store === 'hq' ? null : r.home_store,
        lastVisitAt: r.last_visit_at,
        reason,
      };
    }
    if (rows.length < chunk) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** One page of the segment: up to `limit` members after `after`, and the cursor of the next page. */
export async function segmentPage(
  db: Queryable,
  program: Program,
  filter: SegmentFilter,
  at: number,
  scope: SegmentScope,
  page: { after?: string; limit: number },
): Promise<{ members: SegmentRow[]; next: string | null }> {
  const members: SegmentRow[] = [];
  const chunk = Math.max(page.limit, 100);
  for await (const row of segmentMembers(db, program, filter, at, scope, { after: page.after, chunk })) {
    if (members.length === page.limit) return { members, next: members[members.length - 1]!.memberId };
    members.push(row);
  }
  return { members, next: null };
}

/** The name to address a member by: their profile's full name, else the counter's display name. */
export const memberName = (row: Pick<SegmentRow, 'firstName' | 'lastName' | 'displayName'>): string =>
  [row.firstName, row.lastName].filter((part) => part !== null && part.trim() !== '').join(' ') ||
  row.displayName;

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
  DEFAULT_WITHIN_PERCENT,
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

/** Conditions with their parameters, numbered after `offset` fixed ones. */
class Conditions {
  /** LATERAL joins the conditions read (named, e.g. `v`). */
  readonly joins: string[] = [];
  readonly where: string[] = [];
  readonly params: unknown[] = [];
  constructor(private readonly offset: number) {}
  p(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length + this.offset}`;
  }
}

/**
 * What narrows the candidates: conditions on a member row, each answered from the row or by index probes
 * for that member (its last visit, enrollment store, consent), so the members table is walked in id order
 * and stops at the chunk's size. Null when no member can be in the segment.
 */
function narrowing(
  filter: SegmentFilter,
  program: Program,
  at: number,
  scope: SegmentScope,
): Conditions | null {
  // $1 is the keyset cursor.
  const member = new Conditions(1);
  // Erased and merged members keep their points in the ledger but are no one to bring back.
  member.where.push(
    'NOT m.deleted',
    'm.erased_at IS NULL',
    'm.merged_into IS NULL',
    "m.status = 'active'",
    'm.balance - m.debt > 0',
  );
  switch (filter.segment) {
    case 'dormant':
      // The last visit, found per member by one probe of events_member_visit (a LATERAL with LIMIT 1
      // keeps it a probe: an anti-join let the planner read every event instead).
      member.joins.push(`LEFT JOIN LATERAL (
          SELECT e.occurred_at FROM events e
          WHERE e.member_id = m.id AND e.terminal_id <> 'hq' AND e.status <> 'quarantined'
          ORDER BY e.occurred_at DESC LIMIT 1
        ) v ON true`);
      member.where.push(
        `COALESCE(v.occurred_at, (m.doc->>'enrolledAt')::timestamptz) <= ${member.p(iso(at - ruleDays(filter) * DAY_MS))}::timestamptz`,
      );
      break;
    case 'expiring': {
      const horizon = iso(at + ruleDays(filter) * DAY_MS);
      const expiry = program.expiry;
      if (expiry.mode === 'none') return null;
      if (expiry.mode === 'rolling')
        member.where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(m.doc->'batches') b
          WHERE (b->>'remaining')::bigint > 0 AND b->>'expiresAt' IS NOT NULL
            AND (b->>'expiresAt')::timestamptz <= ${member.p(horizon)}::timestamptz)`);
      // Month arithmetic differs at the ends of months between SQL and the rule: four days of slack keep
      // the candidates a superset, and matchSegment decides.
      else
        member.where.push(`COALESCE(m.doc->>'lastActivityAt', m.doc->>'enrolledAt')::timestamptz
          + make_interval(months => ${member.p(expiry.months)}::int) <= ${member.p(horizon)}::timestamptz + interval '4 days'`);
      break;
    }
    case 'near-reward': {
      const rewards = program.rewards
        .filter((r) => r.active)
        .map((r) => ({ cost: r.cost, tiers: r.tiers ?? null }));
      if (rewards.length === 0) return null;
      const withinPercent =
        filter.withinPercent ?? (filter.withinPoints === undefined ? DEFAULT_WITHIN_PERCENT : null);
      // The cheapest reward this member may redeem (cheapestReward's rule), and the distance to it.
      const cheapest = `(SELECT min(r.cost) FROM jsonb_to_recordset(${member.p(JSON.stringify(rewards))}::jsonb)
          AS r(cost bigint, tiers text[]) WHERE r.tiers IS NULL OR m.tier = ANY(r.tiers))`;
      member.where.push(`${cheapest} > m.balance - m.debt AND (
          ${cheapest} - (m.balance - m.debt) <= ${member.p(filter.withinPoints ?? null)}::bigint
          OR (${cheapest} - (m.balance - m.debt)) * 100 <= ${cheapest} * ${member.p(withinPercent)}::bigint)`);
      break;
    }
  }
  // The store a member enrolled at, as the members area reads it (index events_enrollment_store).
  const enrolledAt = (stores: string): string =>
    `EXISTS (SELECT 1 FROM events s WHERE s.member_id = m.id AND s.type = 'member-enrolled'
       AND s.store_id = ANY(${stores}::text[]))`;
  if (filter.storeId !== undefined) member.where.push(enrolledAt(member.p([filter.storeId])));
  if (scope.stores !== null) member.where.push(enrolledAt(member.p(scope.stores)));
  if (filter.tier !== undefined) member.where.push(`m.tier = ${member.p(filter.tier)}`);
  if (filter.minPoints !== undefined)
    member.where.push(`m.balance - m.debt >= ${member.p(filter.minPoints)}::bigint`);
  if (scope.reachableOnly)
    member.where
      .push(`EXISTS (SELECT 1 FROM member_consents c JOIN member_profiles p ON p.member_id = c.member_id
      WHERE c.member_id = m.id AND c.marketing AND (p.email IS NOT NULL OR p.phone IS NOT NULL))`);
  return member;
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
  const member = narrowing(filter, program, at, scope);
  if (!member) return;
  const chunk = options.chunk ?? 500;
  const rule = ruleOf(filter);
  let after = options.after ?? '';
  for (;;) {
    // First the chunk of candidates in id order, then what is joined to them (for those ids only).
    const ids = (
      await db.query<{ id: string }>(
        `SELECT m.id FROM members m ${member.joins.join(' ')}
         WHERE m.id > $1 AND ${member.where.join(' AND ')}
         ORDER BY m.id LIMIT ${chunk}`,
        [after, ...member.params],
      )
    ).rows.map((r) => r.id);
    if (ids.length === 0) return;
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
       WHERE m.id = ANY($1::text[])
       ORDER BY m.id`,
      [ids],
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
    if (ids.length < chunk) return;
    after = ids[ids.length - 1]!;
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

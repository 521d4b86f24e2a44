// A member's profile for the console, and the GDPR export built from the same reads: the projection, the
// HQ contact details, the cards with their status, and the history — the member's events and those of
// the members merged into it — with what HQ made of each (src-shared/members/history.ts) and the points
// it applied (events.points_delta, the figure the reports add up).
import type {
  MemberCard,
  MemberEvent,
  MemberExport,
  MemberProfile,
} from '../../../src-shared/console/members.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { claimedPoints, eventDetail, eventState } from '../../../src-shared/members/history.js';
import type { Queryable } from '../../db/database.js';
import { memberRow, toSummary, type MemberRow } from './member-row.js';

interface EventRow {
  id: string;
  member_id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  store_id: string;
  terminal_id: string;
  status: 'posted' | 'flagged' | 'quarantined';
  applied: boolean;
  member_seq: number | null;
  reason: string | null;
  points_delta: number;
  body: LedgerEvent;
  voided: boolean;
  held: boolean;
}

export async function memberCards(db: Queryable, memberId: string): Promise<MemberCard[]> {
  const { rows } = await db.query<{
    number: string;
    blocked_at: string | null;
    blocked_reason: string | null;
    replaced_by: string | null;
  }>(
    `SELECT number, blocked_at, blocked_reason, replaced_by FROM cards WHERE member_id = $1
     ORDER BY blocked_at NULLS FIRST, number`,
    [memberId],
  );
  return rows.map((r) => ({
    number: r.number,
    status: r.blocked_at === null ? 'active' : 'blocked',
    blockedAt: r.blocked_at,
    blockedReason: r.blocked_reason,
    replacedBy: r.replaced_by,
  }));
}

/** The members merged into `memberId`, directly or through a chain of merges. */
export async function mergedFrom(db: Queryable, memberId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE merged AS (
       SELECT id FROM members WHERE merged_into = $1
       UNION SELECT m.id FROM members m JOIN merged ON m.merged_into = merged.id
     ) SELECT id FROM merged ORDER BY id`,
    [memberId],
  );
  return rows.map((r) => r.id);
}

/** The newest `limit` events of the members (null: all), newest first. */
async function historyRows(db: Queryable, ids: readonly string[], limit: number | null): Promise<EventRow[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.id::text AS id, e.member_id, e.type, e.occurred_at, e.recorded_at, e.store_id, e.terminal_id,
       e.status, e.applied, e.member_seq, e.reason, e.points_delta, e.body,
       EXISTS (SELECT 1 FROM events v WHERE v.voids = e.id::text AND v.applied) AS voided,
       EXISTS (SELECT 1 FROM review_items r WHERE r.event_id = e.id::text AND r.status = 'open'
               AND COALESCE((r.details->>'held')::bigint, 0) > 0) AS held
     FROM events e WHERE e.member_id = ANY($1::text[])
     ORDER BY e.recorded_at DESC, e.occurred_at DESC, e.id DESC
     LIMIT $2`,
    [ids, limit],
  );
  return rows;
}

const stateOf = (r: EventRow) =>
  eventState({
    status: r.status,
    applied: r.applied,
    memberSeq: r.member_seq,
    voided: r.voided,
    held: r.held,
  });

function toEvent(r: EventRow): MemberEvent {
  return {
    id: r.id,
    memberId: r.member_id,
    type: r.type,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    state: stateOf(r),
    reason: r.reason,
    claimed: claimedPoints(r.body),
    applied: r.points_delta,
    detail: eventDetail(r.body),
  };
}

function memberPart(r: MemberRow): MemberProfile['member'] {
  const d = r.doc;
  return {
    ...toSummary(r),
    enrolledAt: d.enrolledAt,
    lastActivityAt: d.lastActivityAt,
    birthMonth: d.birthMonth,
    plan: d.plan,
    referredBy: d.referredBy,
    purchases: d.purchases,
    totals: d.totals,
    contact: r.has_profile
      ? { firstName: r.first_name, lastName: r.last_name, email: r.email, phone: r.phone }
      : null,
  };
}

export async function memberProfile(
  db: Queryable,
  id: string,
  options: { events: number; creditCap: number | null },
): Promise<MemberProfile> {
  const row = await memberRow(db, id);
  const merged = await mergedFrom(db, id);
  const events = await historyRows(db, [id, ...merged], options.events + 1);
  const { rows: reviews } = await db.query<{ id: number; kind: string; event_id: string | null }>(
    `SELECT id, kind, event_id FROM review_items WHERE member_id = ANY($1::text[]) AND status = 'open'
     ORDER BY id`,
    [[id, ...merged]],
  );
  const { rows: left } = await db.query<{ id: string; net: number }>(
    `SELECT id, balance - debt AS net FROM members
     WHERE id = ANY($1::text[]) AND erased_at IS NULL AND balance - debt <> 0 ORDER BY id`,
    [merged],
  );
  return {
    member: memberPart(row),
    cards: await memberCards(db, id),
    mergedFrom: merged,
    leftOnMerged: left.map((r) => ({ memberId: r.id, points: Number(r.net) })),
    events: events.slice(0, options.events).map(toEvent),
    moreEvents: events.length > options.events,
    openReviews: reviews.map((r) => ({ id: Number(r.id), kind: r.kind, eventId: r.event_id })),
    yourCreditCap: options.creditCap,
  };
}

/** The member's marketing consents, when HQ keeps them (the re-engagement area's table). */
async function consents(db: Queryable, id: string): Promise<MemberExport['consents']> {
  const { rows: exists } = await db.query<{ t: string | null }>(
    "SELECT to_regclass('member_consents')::text AS t",
  );
  if (!exists[0]?.t) return [];
  const { rows } = await db.query<{ marketing: boolean; recorded_at: string }>(
    'SELECT marketing, recorded_at FROM member_consents WHERE member_id = $1',
    [id],
  );
  return rows.map((r) => ({ kind: 'marketing', given: r.marketing, recordedAt: r.recorded_at }));
}

/** Everything HQ holds about the member, as one JSON document (GDPR art. 15 and 20). */
export async function memberExport(db: Queryable, id: string, exportedAt: string): Promise<MemberExport> {
  const row = await memberRow(db, id);
  const merged = await mergedFrom(db, id);
  const events = await historyRows(db, [id, ...merged], null);
  return {
    exportedAt,
    member: memberPart(row),
    cards: await memberCards(db, id),
    consents: await consents(db, id),
    events: events.reverse().map((r) => ({
      event: r.body,
      state: stateOf(r),
      applied: r.points_delta,
      recordedAt: r.recorded_at,
    })),
  };
}

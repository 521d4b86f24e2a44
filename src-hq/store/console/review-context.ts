// What the console shows around a review item: the store of the terminal that raised it (store managers
// are scoped by it), the events it names, and its member's balance and latest events. Events are shown
// by their envelope and HQ's verdict, never their payload (no card numbers or contact details).
import type { Queryable } from '../../db/database.js';

export interface ReviewEventRow {
  id: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  terminalId: string;
  storeId: string;
  memberId: string;
  status: 'posted' | 'flagged' | 'quarantined';
  reason: string | null;
  points: number;
  programVersion: number;
}

export interface ReviewMemberRow {
  id: string;
  name: string | null;
  balance: number;
  tier: string | null;
  status: string;
  erased: boolean;
}

/** The store of each terminal named (terminals HQ does not know are left out). */
export async function storesOfTerminals(
  db: Queryable,
  terminalIds: readonly string[],
): Promise<Map<string, string>> {
  if (terminalIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; store_id: string }>(
    'SELECT id, store_id FROM terminals WHERE id = ANY ($1::text[])',
    [[...new Set(terminalIds)]],
  );
  return new Map(rows.map((r) => [r.id, r.store_id]));
}

const EVENT_COLUMNS = `id::text AS id, type, occurred_at, recorded_at, terminal_id, store_id, member_id, status,
  reason, points_delta, program_version`;

interface EventDbRow {
  id: string;
  type: string;
  occurred_at: string;
  recorded_at: string;
  terminal_id: string;
  store_id: string;
  member_id: string;
  status: ReviewEventRow['status'];
  reason: string | null;
  points_delta: number;
  program_version: number;
}

const toEvent = (r: EventDbRow): ReviewEventRow => ({
  id: r.id,
  type: r.type,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  terminalId: r.terminal_id,
  storeId: r.store_id,
  memberId: r.member_id,
  status: r.status,
  reason: r.reason,
  points: Number(r.points_delta),
  programVersion: r.program_version,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every event id an item names: its own, and any event id in its details (a void's target, a re-push…). */
export function eventIdsOf(item: {
  eventId: string | null;
  creditEventId: string | null;
  details: unknown;
}): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (UUID.test(value)) ids.add(value.toLowerCase());
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(item.eventId);
  walk(item.creditEventId);
  walk(item.details);
  return [...ids];
}

/** The events with these ids HQ has, in the order they happened. */
export async function eventsByIds(db: Queryable, ids: readonly string[]): Promise<ReviewEventRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<EventDbRow>(
    `SELECT ${EVENT_COLUMNS} FROM events WHERE id = ANY ($1::uuid[]) ORDER BY occurred_at, id`,
    [ids],
  );
  return rows.map(toEvent);
}

/** A member's latest events, newest first; with `storeIds`, only those stores' events. */
export async function memberHistory(
  db: Queryable,
  memberId: string,
  storeIds: readonly string[] | null,
  limit = 20,
): Promise<ReviewEventRow[]> {
  const { rows } = await db.query<EventDbRow>(
    `SELECT ${EVENT_COLUMNS} FROM events
     WHERE member_id = $1 AND ($2::text[] IS NULL OR store_id = ANY ($2::text[]))
     ORDER BY occurred_at DESC, id DESC LIMIT $3`,
    [memberId, storeIds === null ? null : [...storeIds], limit],
  );
  return rows.map(toEvent);
}

/** The member's name (when HQ still has it), balance, tier and status; null for a member HQ does not know. */
export async function reviewMember(db: Queryable, memberId: string): Promise<ReviewMemberRow | null> {
  const { rows } = await db.query<{
    id: string;
    balance: number;
    tier: string | null;
    status: string;
    deleted: boolean;
    first_name: string | null;
    last_name: string | null;
  }>(
    `SELECT m.id, m.balance, m.tier, m.status, m.deleted, p.first_name, p.last_name
     FROM members m LEFT JOIN member_profiles p ON p.member_id = m.id WHERE m.id = $1`,
    [memberId],
  );
  const row = rows[0];
  if (!row) return null;
  const name = [row.first_name, row.last_name].filter(Boolean).join(' ');
  return {
    id: row.id,
    name: name || null,
    balance: Number(row.balance),
    tier: row.tier,
    status: row.status,
    erased: row.deleted,
  };
}

// The review queue: what HQ noticed and will not decide alone (overdrafts, quote mismatches, gaps and
// breaks in a terminal's hash chain, conflicting re-pushes, close mismatches…). Items are opened in the
// same transaction as the write that found them, so a rolled-back push leaves no orphan item, and they
// carry no PII or card numbers beyond what a manager needs to find the case.
import type { Queryable } from '../db/database.js';

export type ReviewKind =
  | 'overdraft'
  | 'quote-mismatch'
  | 'gap'
  | 'chain-break'
  | 'altered'
  | 'conflict'
  | 'close-mismatch'
  | 'double-void'
  | 'void-mismatch'
  | 'void-unknown'
  | 're-enrollment'
  | 'unknown-member'
  | 'card-conflict'
  | 'unknown-program'
  | 'apply-error';

export interface ReviewInput {
  // `string & {}` keeps the known kinds as editor suggestions while accepting others.
  kind: ReviewKind | (string & {});
  memberId?: string | null;
  terminalId?: string | null;
  eventId?: string | null;
  details: Record<string, unknown>;
}

export interface ReviewItem {
  id: number;
  kind: string;
  memberId: string | null;
  terminalId: string | null;
  eventId: string | null;
  details: Record<string, unknown>;
  status: 'open' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
}

/** Opens one review item (call it with the transaction that made the finding). */
export async function openReview(tx: Queryable, item: ReviewInput): Promise<void> {
  await openReviews(tx, [item]);
}

/** Opens several review items in one statement. */
export async function openReviews(tx: Queryable, items: readonly ReviewInput[]): Promise<void> {
  if (items.length === 0) return;
  await tx.query(
    `INSERT INTO review_items (kind, member_id, terminal_id, event_id, details)
     SELECT kind, member_id, terminal_id, event_id, details
     FROM jsonb_to_recordset($1::jsonb) AS r(kind text, member_id text, terminal_id text, event_id text, details jsonb)`,
    [
      JSON.stringify(
        items.map((i) => ({
          kind: i.kind,
          member_id: i.memberId ?? null,
          terminal_id: i.terminalId ?? null,
          event_id: i.eventId ?? null,
          details: i.details,
        })),
      ),
    ],
  );
}

interface ReviewRow {
  id: number;
  kind: string;
  member_id: string | null;
  terminal_id: string | null;
  event_id: string | null;
  details: Record<string, unknown>;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_at: string | null;
}

/** Review items, oldest first (the queue order), optionally only open or resolved ones; 100 by default. */
export async function listReviews(
  db: Queryable,
  filter: { status?: 'open' | 'resolved'; limit?: number; kind?: string } = {},
): Promise<ReviewItem[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, 10_000));
  const { rows } = await db.query<ReviewRow>(
    `SELECT id, kind, member_id, terminal_id, event_id, details, status, created_at, resolved_at
     FROM review_items
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
     ORDER BY created_at, id
     LIMIT $3`,
    [filter.status ?? null, filter.kind ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    memberId: r.member_id,
    terminalId: r.terminal_id,
    eventId: r.event_id,
    details: r.details,
    status: r.status,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  }));
}

/** Marks an open item resolved; false when there is no such open item. */
export async function resolveReview(db: Queryable, id: number, at: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE review_items SET status = 'resolved', resolved_at = $2 WHERE id = $1 AND status = 'open'",
    [id, at],
  );
  return rowCount > 0;
}

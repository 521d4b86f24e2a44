// The review queue: what HQ noticed and will not decide alone (overdrafts, quote mismatches, gaps and
// breaks in a terminal's hash chain, conflicting re-pushes, close mismatches, over-claims above what the
// program allows…). Items are opened in the same transaction as the write that found them, so a
// rolled-back push leaves no orphan item, and they carry no PII or card numbers beyond what a manager
// needs to find the case.
//
// An administrator works the queue: approve or reject, recording who, when and why on the item. An item
// whose `details.held` is a positive whole number holds that many points for its member (HQ applied an
// over-claim at its own figure): approving it credits them as an HQ `points-adjusted` event, in the same
// transaction as the resolution, after locking the item, so two admins approving at once credit once.
// A `card-unknown` item (a till's earn on a card HQ did not know) is approved once the card is enrolled or
// added to a member: the approval credits the earn to the card's member as HQ's earn (ingest/card-earns.ts).
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Db, Queryable } from '../db/database.js';
import type { HqEventDraft } from './hq-events.js';
import { IngestBatch, withBatchRetry } from './ingest.js';
import { creditStoredCardEarn } from './ingest/card-earns.js';
import { CARD_UNKNOWN_REVIEW } from './ingest/decide.js';
import { lockMemberIds } from './member-locks.js';
import { InvalidInputError } from './stores.js';

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
  | 'void-after-return'
  | 'return-refused'
  | 're-enrollment'
  | 'unknown-member'
  | 'card-conflict'
  | 'unknown-program'
  | 'apply-error'
  | 'card-unknown';

export interface ReviewInput {
  // `string & {}` keeps the known kinds as editor suggestions while accepting others.
  kind: ReviewKind | (string & {});
  memberId?: string | null;
  terminalId?: string | null;
  eventId?: string | null;
  details: Record<string, unknown>;
}

export const REVIEW_DECISIONS = ['approved', 'rejected', 'resolved'] as const;
/** approved / rejected: by an administrator; resolved: by HQ itself (e.g. the missing events arrived). */
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

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
  decision: ReviewDecision | null;
  /** The admin's name (from their token, or given to the CLI), or `hq`. */
  resolvedBy: string | null;
  note: string | null;
  /** The HQ `points-adjusted` event an approval made to credit held points. */
  creditEventId: string | null;
}

/** Who resolves items automatically. */
export const HQ_RESOLVER = 'hq';
/** Longest admin name kept on an item (admin token names are 1–80 characters). */
export const MAX_RESOLVER_LENGTH = 80;
export const MAX_REVIEW_NOTE_LENGTH = 500;
/** The ledger's limits on a `points-adjusted` payload. */
const MAX_MANAGER_ID = 64;
const MAX_EVENT_NOTE = 200;
const MAX_LIST_LIMIT = 10_000;

/** There is no review item with this id. */
export class UnknownReviewError extends Error {
  override readonly name = 'UnknownReviewError';
  constructor(readonly id: number) {
    super(`There is no review item #${id}.`);
  }
}

/** The item was resolved already (by another admin, or by HQ): nothing was changed. */
export class ReviewResolvedError extends Error {
  override readonly name = 'ReviewResolvedError';
  constructor(readonly item: ReviewItem) {
    super(
      `Review item #${item.id} is already resolved (${item.decision ?? 'resolved'} by ${item.resolvedBy ?? 'unknown'} ` +
        `at ${item.resolvedAt ?? 'an unknown time'}): nothing was changed.`,
    );
  }
}

/** The item holds points but they cannot be credited (no member, or the member is gone): reject it. */
export class ReviewNotCreditableError extends Error {
  override readonly name = 'ReviewNotCreditableError';
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

// A resolved item without a decision was resolved by an HQ statement that sets only the status: read as
// HQ's own resolution.
const DECISION = `CASE WHEN status = 'resolved' THEN COALESCE(decision, 'resolved') END`;
const COLUMNS = `id, kind, member_id, terminal_id, event_id, details, status, created_at, resolved_at,
  ${DECISION} AS decision,
  CASE WHEN status = 'resolved' THEN COALESCE(resolved_by, '${HQ_RESOLVER}') END AS resolved_by,
  note, event_id_credit::text AS event_id_credit`;

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
  decision: ReviewDecision | null;
  resolved_by: string | null;
  note: string | null;
  event_id_credit: string | null;
}

const toItem = (r: ReviewRow): ReviewItem => ({
  id: r.id,
  kind: r.kind,
  memberId: r.member_id,
  terminalId: r.terminal_id,
  eventId: r.event_id,
  details: r.details,
  status: r.status,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  decision: r.decision,
  resolvedBy: r.resolved_by,
  note: r.note,
  creditEventId: r.event_id_credit,
});

export interface ReviewFilter {
  status?: 'open' | 'resolved';
  decision?: ReviewDecision;
  kind?: string;
  memberId?: string;
  terminalId?: string;
  /** Items raised by a terminal of this store. */
  storeId?: string;
  /** Created at or after this instant (ISO). */
  createdFrom?: string;
  /** Created before this instant (ISO). */
  createdTo?: string;
  /** Keyset paging: items after this id (the `next` of the previous page). */
  after?: number;
  /** 100 by default, at most 10,000. */
  limit?: number;
}

export interface ReviewPage {
  items: ReviewItem[];
  /** The `after` of the next page; null on the last page. */
  next: number | null;
}

/** One page of review items in id order (the queue order: oldest first), filtered. */
export async function listReviewPage(db: Queryable, filter: ReviewFilter = {}): Promise<ReviewPage> {
  const limit = Math.max(1, Math.min(filter.limit ?? 100, MAX_LIST_LIMIT));
  // One row more than asked says whether there is a next page without a second query.
  const { rows } = await db.query<ReviewRow>(
    `SELECT ${COLUMNS} FROM review_items
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR ${DECISION} = $2)
       AND ($3::text IS NULL OR kind = $3)
       AND ($4::text IS NULL OR member_id = $4)
       AND ($5::text IS NULL OR terminal_id = $5)
       AND ($6::text IS NULL OR terminal_id IN (SELECT id FROM terminals WHERE store_id = $6))
       AND ($7::timestamptz IS NULL OR created_at >= $7)
       AND ($8::timestamptz IS NULL OR created_at < $8)
       AND ($9::bigint IS NULL OR id > $9)
     ORDER BY id
     LIMIT $10`,
    [
      filter.status ?? null,
      filter.decision ?? null,
      filter.kind ?? null,
      filter.memberId ?? null,
      filter.terminalId ?? null,
      filter.storeId ?? null,
      filter.createdFrom ?? null,
      filter.createdTo ?? null,
      filter.after ?? null,
      limit + 1,
    ],
  );
  const items = rows.slice(0, limit).map(toItem);
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** Review items in queue order (oldest first), filtered; 100 by default. */
export async function listReviews(db: Queryable, filter: ReviewFilter = {}): Promise<ReviewItem[]> {
  return (await listReviewPage(db, filter)).items;
}

/** One review item, or null. */
export async function getReview(db: Queryable, id: number): Promise<ReviewItem | null> {
  const { rows } = await db.query<ReviewRow>(`SELECT ${COLUMNS} FROM review_items WHERE id = $1`, [id]);
  const row = rows[0];
  return row ? toItem(row) : null;
}

/** Open items per kind, most first, with the oldest one's creation time. */
export async function openReviewCounts(
  db: Queryable,
): Promise<{ kind: string; open: number; oldest: string }[]> {
  const { rows } = await db.query<{ kind: string; open: number; oldest: string }>(
    `SELECT kind, count(*)::bigint AS open, min(created_at) AS oldest FROM review_items
     WHERE status = 'open' GROUP BY kind ORDER BY count(*) DESC, kind`,
  );
  return rows;
}

/** Points an item holds for its member (`details.held`), or 0 when it holds none. */
export function heldPoints(item: Pick<ReviewItem, 'details'>): number {
  const held = item.details.held;
  return typeof held === 'number' && Number.isSafeInteger(held) && held > 0 ? held : 0;
}

/**
 * Marks an open item resolved by HQ itself (decision `resolved`, by `hq`); false when there is no such
 * open item. Call it in the transaction that made the finding moot.
 */
export async function resolveReview(db: Queryable, id: number, at: string, note?: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE review_items SET status = 'resolved', resolved_at = $2, decision = 'resolved', resolved_by = $3, note = $4
     WHERE id = $1 AND status = 'open'`,
    [id, at, HQ_RESOLVER, note === undefined ? null : clip(note, MAX_REVIEW_NOTE_LENGTH)],
  );
  return rowCount > 0;
}

export interface ReviewDecisionInput {
  /** Who decides: the admin token's name, or the name given to the CLI. */
  by: string;
  /** Why. Required to reject. */
  note?: string | null;
}

/**
 * Approves an open item. When it holds points, credits them to its member as an HQ `points-adjusted`
 * event (reason `correction`) in the same transaction. Throws UnknownReviewError, ReviewResolvedError
 * (nothing changed: e.g. another admin approved it first), ReviewNotCreditableError or InvalidInputError.
 */
export async function approveReview(
  db: Db,
  id: number,
  input: ReviewDecisionInput,
  clock: Clock,
): Promise<ReviewItem> {
  return decide(db, id, 'approved', input, clock);
}

/** Rejects an open item: nothing is credited. The note (why) is required. Throws as approveReview. */
export async function rejectReview(
  db: Db,
  id: number,
  input: ReviewDecisionInput,
  clock: Clock,
): Promise<ReviewItem> {
  if (!input.note?.trim()) throw new InvalidInputError('Say why the item is rejected: a note is required.');
  return decide(db, id, 'rejected', input, clock);
}

async function decide(
  db: Db,
  id: number,
  decision: 'approved' | 'rejected',
  input: ReviewDecisionInput,
  clock: Clock,
): Promise<ReviewItem> {
  const by = input.by.trim();
  if (by.length === 0 || by.length > MAX_RESOLVER_LENGTH)
    throw new InvalidInputError(`Who decides is a name of 1–${MAX_RESOLVER_LENGTH} characters.`);
  const note = input.note?.trim() || null;
  if (note !== null && note.length > MAX_REVIEW_NOTE_LENGTH)
    throw new InvalidInputError(`A review note is at most ${MAX_REVIEW_NOTE_LENGTH} characters.`);
  // The credit locks members and HQ's chain like any ingest, so it can lose a deadlock to a push: retried.
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      // The member's lock first, as every writer of a member takes it: a void of the item's event being
      // ingested (which resolves the item) and this decision queue in one order rather than deadlock.
      const named = await tx.query<{ member_id: string | null }>(
        'SELECT member_id FROM review_items WHERE id = $1',
        [id],
      );
      const memberId = named.rows[0]?.member_id;
      if (memberId) await lockMemberIds(tx, [memberId]);
      // The row lock serialises deciders: a second one waits here, then sees the item resolved.
      const { rows } = await tx.query<ReviewRow>(
        `SELECT ${COLUMNS} FROM review_items WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row) throw new UnknownReviewError(id);
      const item = toItem(row);
      if (item.status !== 'open') throw new ReviewResolvedError(item);
      const held = heldPoints(item);
      let creditEventId: string | null = null;
      if (decision === 'approved' && held > 0 && item.eventId !== null) await refuseIfVoided(tx, item, held);
      if (decision === 'approved' && item.kind === CARD_UNKNOWN_REVIEW)
        creditEventId = await attachCardEarn(tx, db, clock, item);
      else if (decision === 'approved' && held > 0)
        creditEventId = await credit(tx, db, clock, item, held, by, note);
      const updated = await tx.query<ReviewRow>(
        `UPDATE review_items
         SET status = 'resolved', decision = $2, resolved_by = $3, resolved_at = $4, note = $5, event_id_credit = $6
         WHERE id = $1
         RETURNING ${COLUMNS}`,
        [id, decision, by, new Date(clock.now()).toISOString(), note, creditEventId],
      );
      return toItem(updated.rows[0] as ReviewRow);
    }),
  );
}

/** Credits an item's held points as an HQ event in the caller's transaction; returns the event id. */
/** Points held for a voided event are not due (items of events voided before HQ resolved them on a void). */
async function refuseIfVoided(tx: Queryable, item: ReviewItem, held: number): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM events WHERE voids = $1 AND applied LIMIT 1',
    [item.eventId],
  );
  if (rows[0])
    throw new ReviewNotCreditableError(
      `Review item #${item.id} holds ${held} points for event ${item.eventId}, which void ${rows[0].id} ` +
        'cancelled: nothing is due. Reject it.',
    );
}

async function credit(
  tx: Queryable,
  db: Db,
  clock: Clock,
  item: ReviewItem,
  held: number,
  by: string,
  note: string | null,
): Promise<string> {
  const memberId = item.memberId;
  if (memberId === null)
    throw new ReviewNotCreditableError(
      `Review item #${item.id} holds ${held} points but names no member: reject it and credit by hand.`,
    );
  const { rows } = await tx.query<{ deleted: boolean }>('SELECT deleted FROM members WHERE id = $1', [
    memberId,
  ]);
  if (!rows[0] || rows[0].deleted)
    throw new ReviewNotCreditableError(
      `Review item #${item.id} holds ${held} points for member ${memberId}, who is not at HQ (unknown or ` +
        'erased): nothing can be credited. Reject it.',
    );
  const draft: HqEventDraft = {
    type: 'points-adjusted',
    memberId,
    payload: {
      points: held,
      reasonCode: 'correction',
      managerId: clip(by, MAX_MANAGER_ID),
      note: clip(`review #${item.id}${note ? `: ${note}` : ''}`, MAX_EVENT_NOTE),
    },
  };
  const batch = new IngestBatch(tx, db, clock);
  const [result] = await batch.appendHq([draft]);
  await batch.awardReferrals();
  await batch.flush();
  if (!result) throw new Error('appendHq returned no result for the credit');
  return result.id;
}

/**
 * Approving a `card-unknown` item: the till's earn goes to the member HQ now holds the card for (HQ's
 * figure for them, as at ingest). Still unknown: nothing is changed, and the words say what to do.
 */
async function attachCardEarn(tx: Queryable, db: Db, clock: Clock, item: ReviewItem): Promise<string> {
  if (item.eventId === null)
    throw new ReviewNotCreditableError(`Review item #${item.id} names no event: reject it.`);
  const batch = new IngestBatch(tx, db, clock);
  const done = await creditStoredCardEarn(tx, batch, db, item.eventId);
  switch (done.kind) {
    case 'not-a-card-earn':
      throw new ReviewNotCreditableError(
        `Review item #${item.id}'s event ${item.eventId} is not an earn on a card: reject it.`,
      );
    case 'card-unknown':
      throw new ReviewNotCreditableError(
        `Review item #${item.id}: card …${done.card.slice(-4)} is still unknown at HQ. Enroll it, or add it ` +
          "to the customer's member, then approve again; or reject the item.",
      );
    case 'credited-before':
      return done.eventId;
    case 'credited':
      await batch.awardReferrals();
      await batch.flush();
      return done.eventId;
  }
}

/** At most `max` UTF-16 units, never splitting a surrogate pair (which PostgreSQL could not store). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

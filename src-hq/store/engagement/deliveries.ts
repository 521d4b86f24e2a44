// Deliveries of a segment to the messaging tool, as stored state (migration 0012), so a delivery outlives
// the HQ process that made it. A delivery is made whole in one transaction: its batches' bodies are
// written once, so every attempt of a batch sends the same bytes under the same idempotency key
// (`<delivery id>:<batch number>`). Batches go in order. A worker claims a due delivery for a lease (a
// worker that dies gives it back when the lease ends), sends its next batch, and records the answer: a
// success moves on to the next batch and is never sent again; a failure waits its backoff, and after the
// last allowed attempt the delivery is failed. Bodies (personal data) are dropped once no longer needed.
import { randomUUID } from 'node:crypto';
import type { Delivery, SegmentFilter } from '../../../src-shared/console/engagement.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Db, Queryable } from '../../db/database.js';
import { memberName, type SegmentRow } from './segments.js';

export const DEFAULT_BATCH_SIZE = 100;

export class EmptySegmentError extends Error {
  constructor() {
    super('No member of this segment agreed to marketing and can be reached: there is nothing to send.');
    this.name = 'EmptySegmentError';
  }
}

/** One member as the messaging tool receives it. */
export interface DeliveredMember {
  memberId: string;
  name: string;
  email: string | null;
  phone: string | null;
  balance: number;
  tier: string | null;
  storeId: string | null;
  reason: string;
  points: number;
  date: string | null;
  rewardId: string | null;
}

/** A batch's body, as JSON: what the receiver reads. */
export interface DeliveryBatchBody {
  deliveryId: string;
  /** 1-based. */
  batch: number;
  batches: number;
  segment: SegmentFilter;
  createdAt: string;
  members: DeliveredMember[];
}

export const deliveredMember = (row: SegmentRow): DeliveredMember => ({
  memberId: row.memberId,
  name: memberName(row),
  email: row.email,
  phone: row.phone,
  balance: row.balance,
  tier: row.tier,
  storeId: row.storeId,
  reason: row.reason.text,
  points: row.reason.points,
  date: row.reason.date,
  rewardId: row.reason.rewardId,
});

/** The idempotency key of a batch (1-based number). */
export const batchKey = (deliveryId: string, batch: number): string => `${deliveryId}:${batch}`;

type DeliveryRow = {
  id: string;
  segment: SegmentFilter;
  created_at: string;
  created_by: string;
  status: Delivery['status'];
  members: number;
  batches: number;
  sent_batches: number;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  finished_at: string | null;
};

const COLUMNS = `id::text AS id, segment, created_at, created_by, status, members, batches, sent_batches, attempts,
  next_attempt_at, last_error, finished_at`;

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  segment: r.segment,
  createdAt: r.created_at,
  createdBy: r.created_by,
  status: r.status,
  members: r.members,
  batches: r.batches,
  sentBatches: r.sent_batches,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  finishedAt: r.finished_at,
});

export async function getDelivery(db: Queryable, id: string): Promise<Delivery | null> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${COLUMNS} FROM engagement_deliveries WHERE id = $1::uuid`,
    [id],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

export async function listDeliveries(db: Queryable, limit: number): Promise<Delivery[]> {
  const { rows } = await db.query<DeliveryRow>(
    `SELECT ${COLUMNS} FROM engagement_deliveries ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map(toDelivery);
}

/**
 * Makes a delivery of `members` (already the segment's reachable members) in batches, due now. The same
 * `id` twice makes nothing new: the first delivery is answered (`created: false`).
 */
export async function createDelivery(
  db: Db,
  input: {
    id?: string | undefined;
    segment: SegmentFilter;
    members: readonly SegmentRow[];
    createdBy: string;
    batchSize?: number;
  },
  clock: Clock,
): Promise<{ delivery: Delivery; created: boolean }> {
  const id = input.id ?? randomUUID();
  const existing = await getDelivery(db, id);
  if (existing) return { delivery: existing, created: false };
  if (input.members.length === 0) throw new EmptySegmentError();
  const size = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const createdAt = new Date(clock.now()).toISOString();
  const chunks: DeliveredMember[][] = [];
  for (let i = 0; i < input.members.length; i += size)
    chunks.push(input.members.slice(i, i + size).map(deliveredMember));
  const bodies = chunks.map((members, i) =>
    JSON.stringify({
      deliveryId: id,
      batch: i + 1,
      batches: chunks.length,
      segment: input.segment,
      createdAt,
      members,
    } satisfies DeliveryBatchBody),
  );
  const created = await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `INSERT INTO engagement_deliveries (id, segment, created_at, created_by, status, members, batches,
         next_attempt_at)
       VALUES ($1::uuid, $2::jsonb, $3, $4, 'sending', $5, $6, $3)
       ON CONFLICT (id) DO NOTHING`,
      [id, JSON.stringify(input.segment), createdAt, input.createdBy, input.members.length, chunks.length],
    );
    // Made by a concurrent request with the same id: that one is the delivery.
    if (rowCount === 0) return false;
    await tx.query(
      `INSERT INTO engagement_delivery_batches (delivery_id, seq, members, body)
       SELECT $1::uuid, b.seq, b.members, b.body
       FROM jsonb_to_recordset($2::jsonb) AS b(seq int, members int, body text)`,
      [id, JSON.stringify(bodies.map((body, seq) => ({ seq, members: chunks[seq]!.length, body })))],
    );
    return true;
  });
  const delivery = await getDelivery(db, id);
  if (!delivery) throw new Error(`delivery ${id} vanished`);
  return { delivery, created };
}

/** A delivery a worker holds for a lease: its next batch to send. */
export interface ClaimedBatch {
  deliveryId: string;
  /** 0-based; the body's and key's number is seq + 1. */
  seq: number;
  batches: number;
  /** Failed attempts at this batch so far. */
  attempts: number;
  body: string | null;
}

/** Claims the delivery due first (none: null) until `now + leaseMs`; another worker skips it meanwhile. */
export async function claimDue(db: Db, clock: Clock, leaseMs: number): Promise<ClaimedBatch | null> {
  const now = clock.now();
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; sent_batches: number; batches: number; attempts: number }>(
      `UPDATE engagement_deliveries SET next_attempt_at = $2
       WHERE id = (
         SELECT id FROM engagement_deliveries
         WHERE status = 'sending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
       )
       RETURNING id::text AS id, sent_batches, batches, attempts`,
      [new Date(now).toISOString(), new Date(now + leaseMs).toISOString()],
    );
    const row = rows[0];
    if (!row) return null;
    const batch = await tx.query<{ body: string | null }>(
      'SELECT body FROM engagement_delivery_batches WHERE delivery_id = $1::uuid AND seq = $2',
      [row.id, row.sent_batches],
    );
    return {
      deliveryId: row.id,
      seq: row.sent_batches,
      batches: row.batches,
      attempts: row.attempts,
      body: batch.rows[0]?.body ?? null,
    };
  });
}

/** The batch was answered with success: it is done for good, and the next one is due now. */
export async function recordSent(db: Db, claimed: ClaimedBatch, clock: Clock): Promise<void> {
  const at = new Date(clock.now()).toISOString();
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE engagement_deliveries SET sent_batches = $2 + 1, attempts = 0, last_error = NULL,
         status = CASE WHEN $2 + 1 = batches THEN 'delivered' ELSE 'sending' END,
         next_attempt_at = CASE WHEN $2 + 1 = batches THEN NULL ELSE $3::timestamptz END,
         finished_at = CASE WHEN $2 + 1 = batches THEN $3::timestamptz END
       WHERE id = $1::uuid AND sent_batches = $2`,
      [claimed.deliveryId, claimed.seq, at],
    );
    if (rowCount === 0) return;
    await tx.query(
      `UPDATE engagement_delivery_batches SET sent_at = $3, body = NULL
       WHERE delivery_id = $1::uuid AND seq = $2`,
      [claimed.deliveryId, claimed.seq, at],
    );
  });
}

/**
 * The attempt failed: try again at `retryAt`, or, when null (no attempt left), fail the delivery and drop
 * the bodies it will never send.
 */
export async function recordFailure(
  db: Db,
  claimed: ClaimedBatch,
  error: string,
  retryAt: number | null,
  clock: Clock,
): Promise<void> {
  const at = new Date(clock.now()).toISOString();
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE engagement_deliveries SET attempts = attempts + 1, last_error = $3,
         status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'sending' END,
         next_attempt_at = $4::timestamptz,
         finished_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz END
       WHERE id = $1::uuid AND sent_batches = $2 AND status = 'sending'`,
      [
        claimed.deliveryId,
        claimed.seq,
        error.slice(0, 500),
        retryAt === null ? null : new Date(retryAt).toISOString(),
        at,
      ],
    );
    if (rowCount > 0 && retryAt === null)
      await tx.query(
        'UPDATE engagement_delivery_batches SET body = NULL WHERE delivery_id = $1::uuid AND sent_at IS NULL',
        [claimed.deliveryId],
      );
  });
}

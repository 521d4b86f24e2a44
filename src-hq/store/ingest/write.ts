// What ingest writes, once everything is decided, in the same transaction: quarantined copies, review
// items, referral awards, new members, cards, profiles, resolved review items; last, in one statement, the
// replicated rows (events, members) with their change numbers (from the change sequence, no lock: see
// store/changes.ts) and the moved chain heads.
import type { Queryable } from '../../db/database.js';
import { beginChanges, CHANGE_SEQUENCE } from '../changes.js';
import { joinReasons, statusOf, type Entry, type Head, type IngestDecisions } from './decide.js';
import { openReviews } from '../reviews.js';

/** Thrown inside a batch when a concurrent batch got in first (a new member, a card): run it again. */
export class RetryBatch extends Error {
  override readonly name = 'RetryBatch';
}

export interface Writes {
  tx: Queryable;
  d: IngestDecisions;
  recordedAt: string;
  heads: Map<string, Head>;
  referralRows: readonly { memberId: string; referrerId: string; eventId: string }[];
}

/** Writes everything decided; the replicated rows last, with their change numbers. */
export async function writeBatch(w: Writes): Promise<void> {
  const { tx, d, recordedAt } = w;
  if (d.quarantined.length > 0) {
    await tx.query(
      `INSERT INTO quarantine (event_id, terminal_id, body, reason, received_at)
       SELECT event_id, terminal_id, body, reason, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS q(event_id text, terminal_id text, body jsonb, reason text)`,
      [
        JSON.stringify(
          d.quarantined.map((q) => ({
            event_id: q.eventId,
            terminal_id: q.terminalId,
            body: JSON.parse(q.body) as unknown,
            reason: q.reason,
          })),
        ),
        recordedAt,
      ],
    );
  }
  await openReviews(tx, d.reviews);
  if (w.referralRows.length > 0) {
    await tx.query(
      `INSERT INTO referral_awards (member_id, referrer_id, event_id, awarded_at)
       SELECT member_id, referrer_id, event_id, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS r(member_id text, referrer_id text, event_id uuid)`,
      [
        JSON.stringify(
          w.referralRows.map((r) => ({
            member_id: r.memberId,
            referrer_id: r.referrerId,
            event_id: r.eventId,
          })),
        ),
        recordedAt,
      ],
    );
  }

  const updated = [...d.entries.values()].filter((e) => !e.isNew && e.dirty);
  const slots = [...d.members.values()]
    .filter((s) => s.changed && s.member !== null)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fresh = slots.filter((s) => s.row === 'none');

  // New members are inserted first (change_seq 0 until the final UPDATE below numbers them, invisible to
  // pulls until commit anyway), so that the rows that refer to them (cards, profiles) can follow.
  if (fresh.length > 0) {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO members (id, doc, member_seq, balance, debt, tier, status, phone_hash, change_seq, updated_at)
       SELECT m.doc->>'id', m.doc, (m.doc->>'memberSeq')::bigint, (m.doc->>'balance')::bigint,
              (m.doc->>'debt')::bigint, m.doc->>'tier', m.doc->>'status', m.doc->>'phoneHash', 0, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb) AS m(doc jsonb)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [JSON.stringify(fresh.map((s) => ({ doc: s.member }))), recordedAt],
    );
    // A concurrent batch enrolled one of them first: start again, it will be a re-enrollment then.
    if (rows.length !== fresh.length) throw new RetryBatch('a member was enrolled concurrently');
  }
  await writeCards(tx, d);
  if (d.profiles.size > 0) {
    await tx.query(
      `INSERT INTO member_profiles (member_id, first_name, last_name, email, phone, updated_at)
       SELECT member_id, first_name, last_name, email, phone, $2::timestamptz
       FROM jsonb_to_recordset($1::jsonb)
         AS p(member_id text, first_name text, last_name text, email text, phone text)
       ON CONFLICT (member_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
         email = excluded.email, phone = excluded.phone, updated_at = excluded.updated_at`,
      [
        JSON.stringify(
          [...d.profiles.values()].map((p) => ({
            member_id: p.memberId,
            first_name: p.firstName,
            last_name: p.lastName,
            email: p.email,
            phone: p.phone,
          })),
        ),
        recordedAt,
      ],
    );
  }

  if (d.lateTerminals.size > 0) await resolveFilledGaps(tx, d, recordedAt);
  await resolveItems(tx, d.appliedLate, 'applied-late', 'applied once the member was enrolled', recordedAt);
  await resolveItems(
    tx,
    d.voidsMatched,
    'void-matched',
    'the original arrived before it in its terminal order',
    recordedAt,
  );
  await resolveItems(
    tx,
    d.returnsMatched,
    'return-matched',
    'the sale arrived before it in its terminal order',
    recordedAt,
  );
  await resolveItems(tx, d.voidedNow, 'voided-hold', 'the event was voided: nothing held is due', recordedAt);
  await writeReplicated(w, updated, slots);
}

/**
 * The replicated rows with their change numbers, and the chain heads, in one statement: one round trip, not
 * one per table. Each row takes its own number from the change sequence (no lock: writers of events and
 * members no longer queue here), once beginChanges has given the transaction its id (changes.ts says why)
 * and queued the NOTIFY delivered on commit.
 */
async function writeReplicated(
  { tx, d, recordedAt, heads: allHeads }: Writes,
  updated: readonly Entry[],
  slots: readonly { id: string; member: unknown }[],
): Promise<void> {
  const collections = [
    ...(d.inserted.length + updated.length > 0 ? (['events'] as const) : []),
    ...(slots.length > 0 ? (['members'] as const) : []),
  ];
  if (collections.length === 0) return;
  await beginChanges(tx, collections);
  const next = `nextval('${CHANGE_SEQUENCE}')`;
  // The chain heads move with the events (terminals' rows and HQ's, locked since the batch began).
  const heads = [...allHeads].filter(([, h]) => h.seq !== h.startSeq);
  const { rows } = await tx.query<{ inserted: number; updated: number; members: number; heads: number }>(
    `WITH inserted AS (
       INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month,
         recorded_at, program_version, prev_hash, hash, body, member_seq, status, reason, points_delta,
         ruled_points, change_seq, applied, voids)
       SELECT (x.body->>'id')::uuid, x.body->>'terminalId', (x.body->>'terminalSeq')::bigint,
         x.body->>'storeId', x.body->>'memberId', x.body->>'type', (x.body->>'occurredAt')::timestamptz,
         date_trunc('month', (x.body->>'occurredAt')::timestamptz AT TIME ZONE 'UTC')::date,
         $4::timestamptz, (x.body->>'programVersion')::integer, x.body->>'prevHash', x.body->>'hash', x.body,
         x.member_seq, x.status, x.reason, x.points_delta, x.ruled_points, ${next}, x.applied, x.voids
       FROM jsonb_to_recordset($1::jsonb)
         AS x(body jsonb, member_seq bigint, status text, reason text, points_delta bigint, ruled_points bigint,
              applied boolean, voids text)
       RETURNING 1
     ), updated AS (
       UPDATE events e SET member_seq = x.member_seq, applied = x.applied, status = x.status,
         reason = x.reason, points_delta = x.points_delta, ruled_points = x.ruled_points, change_seq = ${next}
       FROM jsonb_to_recordset($2::jsonb)
         AS x(id uuid, member_seq bigint, applied boolean, status text, reason text, points_delta bigint,
              ruled_points bigint)
       WHERE e.id = x.id
       RETURNING 1
     ), members_updated AS (
       UPDATE members m SET doc = x.doc, member_seq = (x.doc->>'memberSeq')::bigint,
         balance = (x.doc->>'balance')::bigint, debt = (x.doc->>'debt')::bigint, tier = x.doc->>'tier',
         status = x.doc->>'status', phone_hash = x.doc->>'phoneHash', change_seq = ${next},
         updated_at = $4::timestamptz
       FROM jsonb_to_recordset($3::jsonb) AS x(id text, doc jsonb)
       WHERE m.id = x.id
       RETURNING 1
     ), heads AS (
       SELECT id, seq, hash FROM jsonb_to_recordset($5::jsonb) AS h(id text, seq bigint, hash text)
     ), terminal_heads AS (
       UPDATE terminals t SET last_seq = h.seq, last_hash = h.hash FROM heads h WHERE t.id = h.id
       RETURNING 1
     ), hq_head AS (
       UPDATE hq_chain c SET last_seq = h.seq, last_hash = h.hash FROM heads h WHERE c.id = h.id
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM updated) AS updated,
       (SELECT count(*) FROM members_updated) AS members,
       (SELECT count(*) FROM terminal_heads) + (SELECT count(*) FROM hq_head) AS heads`,
    [
      JSON.stringify(
        d.inserted.map((e) => ({
          body: e.event,
          member_seq: e.memberSeq,
          status: statusOf(e),
          reason: joinReasons(e.reasons),
          points_delta: e.pointsDelta,
          ruled_points: e.ruledPoints,
          applied: e.applied,
          // A void's original (a return names one too, but many returns of a sale may count).
          voids: e.voids,
        })),
      ),
      JSON.stringify(
        updated.map((e) => ({
          id: e.event.id,
          member_seq: e.memberSeq,
          applied: e.applied,
          status: statusOf(e),
          reason: joinReasons(e.reasons),
          points_delta: e.pointsDelta,
          ruled_points: e.ruledPoints,
        })),
      ),
      JSON.stringify(slots.map((s) => ({ id: s.id, doc: s.member }))),
      recordedAt,
      JSON.stringify(heads.map(([id, h]) => ({ id, seq: h.seq, hash: h.hash }))),
    ],
  );
  const done = rows[0];
  if (
    !done ||
    done.inserted !== d.inserted.length ||
    done.updated !== updated.length ||
    done.members !== slots.length ||
    done.heads !== heads.length
  )
    throw new Error('the batch was not written as decided');
}

async function writeCards(tx: Queryable, d: IngestDecisions): Promise<void> {
  if (d.cardsRemoved.size > 0) {
    await tx.query(
      `DELETE FROM cards c USING unnest($1::text[], $2::text[]) AS d(number, member_id)
       WHERE c.number = d.number AND c.member_id = d.member_id`,
      [[...d.cardsRemoved.keys()], [...d.cardsRemoved.values()]],
    );
  }
  if (d.cardsAdded.size > 0) {
    const numbers = [...d.cardsAdded.keys()];
    const { rows } = await tx.query<{ number: string }>(
      `INSERT INTO cards (number, member_id) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (number) DO NOTHING RETURNING number`,
      [numbers, [...d.cardsAdded.values()]],
    );
    if (rows.length !== numbers.length) throw new RetryBatch('a card was linked concurrently');
  }
}

/** Gap review items whose missing events have all arrived (stored, or in this batch) are resolved. */
async function resolveFilledGaps(tx: Queryable, d: IngestDecisions, recordedAt: string): Promise<void> {
  for (const terminalId of d.lateTerminals) {
    const seqs = d.inserted.filter((e) => e.event.terminalId === terminalId).map((e) => e.event.terminalSeq);
    await tx.query(
      `UPDATE review_items r SET status = 'resolved', resolved_at = $2::timestamptz,
         decision = 'resolved', resolved_by = 'hq',
         details = r.details || '{"resolution": "the missing events arrived"}'::jsonb
       WHERE r.terminal_id = $1 AND r.kind = 'gap' AND r.status = 'open'
         AND (SELECT count(*) FROM events e WHERE e.terminal_id = $1
              AND e.terminal_seq BETWEEN (r.details->>'from')::bigint AND (r.details->>'to')::bigint)
           + (SELECT count(*) FROM unnest($3::bigint[]) AS s(seq)
              WHERE s.seq BETWEEN (r.details->>'from')::bigint AND (r.details->>'to')::bigint)
           = (r.details->>'to')::bigint - (r.details->>'from')::bigint + 1`,
      [terminalId, recordedAt, seqs],
    );
  }
}

/**
 * The open review items of `eventIds` that `which` selects, resolved by HQ with `resolution`: unknown-member
 * items of events applied now that their member is enrolled; void-unknown items of voids whose original a
 * late fill applied before them; return-unknown items of returns whose sale a late fill applied before
 * them; items holding points for an event voided now (nothing held is due any
 * more: approving one would credit points for a voided sale).
 */
const RESOLVABLE = {
  'applied-late': `kind = 'unknown-member'`,
  'void-matched': `kind = 'void-unknown'`,
  'return-matched': `kind = 'return-unknown'`,
  'voided-hold': `COALESCE((details->>'held')::bigint, 0) > 0`,
} as const;

async function resolveItems(
  tx: Queryable,
  eventIds: ReadonlySet<string>,
  which: keyof typeof RESOLVABLE,
  resolution: string,
  recordedAt: string,
): Promise<void> {
  if (eventIds.size === 0) return;
  await tx.query(
    `UPDATE review_items SET status = 'resolved', resolved_at = $2::timestamptz,
       decision = 'resolved', resolved_by = 'hq', details = details || jsonb_build_object('resolution', $3::text)
     WHERE event_id = ANY($1::text[]) AND status = 'open' AND ${RESOLVABLE[which]}`,
    [[...eventIds], recordedAt, resolution],
  );
}

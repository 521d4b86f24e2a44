// Ledger events: append-only and immutable. A terminal makes them (terminalSeq, hash chain) and HQ
// makes its own (expiry, tiers, bonuses) under the source id `hq`. HQ's bookkeeping (recordedAt,
// memberSeq, status) lives beside the event in an EventRecord, outside the hashed content.
import { z } from 'zod';
import { basketLineSchema } from '../engine/basket.js';
import { MAX_POINTS } from '../kernel/points.js';
import { cardOfPlaceholder, isCardPlaceholder } from './card-earn.js';
import {
  birthMonthSchema,
  cardNumberSchema,
  displayNameSchema,
  isoInstant,
  memberStatusSchema,
  phoneLast4Schema,
} from './member.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hex digest');
const sourceId = z.string().min(1).max(64);
const tooMany = `at most ${MAX_POINTS} points`;
/** Every points field of an event stays within ±MAX_POINTS, so a batch with an absurd figure is refused. */
const points = z.number().int().positive().max(MAX_POINTS, tooMany);
const anyPoints = z.number().int().min(-MAX_POINTS, tooMany).max(MAX_POINTS, tooMany);
const somePoints = z.number().int().nonnegative().max(MAX_POINTS, tooMany);
const minor = z.number().int().safe();

export const GENESIS_HASH = '0'.repeat(64);
/** The event source id HQ uses for the events its jobs make. */
export const HQ_SOURCE = 'hq';

/** A member's id. `card:` is the placeholder of a card earn (card-earn.ts), never a member's id. */
const memberIdSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (id) => !isCardPlaceholder(id),
    'a member id never starts with "card:" (only an earn names a card)',
  );
/** An earn's memberId: a member's id, or the placeholder of a card the till did not know (a loyalty card). */
const earnMemberIdSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (id) => !isCardPlaceholder(id) || cardOfPlaceholder(id) !== null,
    '"card:" and a loyalty card number (never a payment card)',
  );

const envelope = {
  id: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
  memberId: memberIdSchema,
  terminalId: sourceId,
  storeId: sourceId,
  cashierId: sourceId,
  terminalSeq: z.number().int().positive().safe(),
  prevHash: hex64,
  hash: hex64,
  occurredAt: isoInstant,
  programVersion: z.number().int().positive(),
};

export const explanationLineSchema = z
  .object({
    ruleId: z.string().min(1),
    label: z.string(),
    points: anyPoints,
    detail: z.string(),
  })
  .strict();
export type ExplanationLine = z.infer<typeof explanationLineSchema>;

export const basketSummarySchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Sum of line totals after line discounts, minor units. */
    total: minor,
    /** The part of the total that earns (excluded categories left out), minor units. */
    eligible: minor,
    lines: z.number().int().nonnegative(),
    items: z.number().int().nonnegative(),
  })
  .strict();

const memberEnrolled = z
  .object({
    ...envelope,
    type: z.literal('member-enrolled'),
    payload: z
      .object({
        displayName: displayNameSchema.min(1),
        phoneHash: hex64.nullable(),
        phoneLast4: phoneLast4Schema,
        birthMonth: birthMonthSchema,
        cards: z.array(cardNumberSchema),
        referredBy: z.string().nullable(),
        welcomeBonus: somePoints,
        /** Contact details for HQ; never kept in the terminal replica. */
        profile: z
          .object({
            firstName: z.string().max(80),
            lastName: z.string().max(80),
            email: z.email().nullable(),
            phone: z.string().max(32).nullable(),
          })
          .strict()
          .nullable(),
      })
      .strict(),
  })
  .strict();

const memberUpdated = z
  .object({
    ...envelope,
    type: z.literal('member-updated'),
    payload: z
      .object({
        displayName: displayNameSchema.min(1).optional(),
        phoneHash: hex64.nullable().optional(),
        phoneLast4: phoneLast4Schema.optional(),
        birthMonth: birthMonthSchema.optional(),
        addCards: z.array(cardNumberSchema).optional(),
        removeCards: z.array(cardNumberSchema).optional(),
        status: memberStatusSchema.optional(),
      })
      .strict(),
  })
  .strict();

/**
 * On HQ's own earn that credits a member for a till's earn on a card the till did not know (card-earn.ts):
 * the till's event, which stays as sealed, under the card's placeholder. Absent on every other earn, so
 * their hashes are unchanged; HQ refuses it from a terminal.
 */
export const attachedEarnSchema = z
  .object({
    eventId: z.string().regex(/^[0-9a-f-]{36}$/, 'a UUID'),
    terminalId: sourceId,
    storeId: sourceId,
    /** The till's claim, as it quoted for a member it did not know. */
    claimed: somePoints,
  })
  .strict();

const pointsEarned = z
  .object({
    ...envelope,
    // A till may earn on a card it does not know: memberId is then the card's placeholder.
    memberId: earnMemberIdSchema,
    type: z.literal('points-earned'),
    payload: z
      .object({
        basket: basketSummarySchema,
        /** The lines quoted, so HQ can re-quote against the program version named (no PII in a line). */
        lines: z.array(basketLineSchema).max(500),
        points: somePoints,
        explanation: z.array(explanationLineSchema),
        attached: attachedEarnSchema.optional(),
      })
      .strict(),
  })
  .strict();

const pointsRedeemed = z
  .object({
    ...envelope,
    type: z.literal('points-redeemed'),
    payload: z
      .object({
        rewardId: z.string().min(1),
        quantity: z.number().int().positive(),
        /** Total points spent (reward cost × quantity). */
        cost: points,
        /** Whether HQ was reachable when the terminal allowed it. */
        mode: z.enum(['online', 'offline']),
        override: z.object({ managerId: sourceId, points }).strict().nullable(),
        /** Offline redemptions only: when this terminal lost HQ (the start of its offline period) and the
         *  member's offline allowance in the replica at that start; HQ bounds one terminal's offline
         *  redemptions per member per period by it. Absent on older events, so their hashes are unchanged. */
        offlinePeriod: z.object({ since: isoInstant, allowance: somePoints }).strict().optional(),
      })
      .strict(),
  })
  .strict();

export const adjustmentReasons = ['goodwill', 'correction', 'fraud', 'migration', 'other'] as const;

const pointsAdjusted = z
  .object({
    ...envelope,
    type: z.literal('points-adjusted'),
    payload: z
      .object({
        points: anyPoints.refine((p) => p !== 0, 'an adjustment is never zero'),
        reasonCode: z.enum(adjustmentReasons),
        managerId: sourceId,
        note: z.string().max(200).nullable(),
      })
      .strict(),
  })
  .strict();

export const bonusKinds = ['welcome', 'referral', 'birthday', 'action', 'plan', 'campaign'] as const;

const bonusAwarded = z
  .object({
    ...envelope,
    type: z.literal('bonus-awarded'),
    payload: z
      .object({
        kind: z.enum(bonusKinds),
        points,
        actionId: z.string().nullable(),
        note: z.string().max(200).nullable(),
      })
      .strict(),
  })
  .strict();

const pointsExpired = z
  .object({
    ...envelope,
    type: z.literal('points-expired'),
    payload: z
      .object({
        points,
        reason: z.enum(['rolling', 'inactivity']),
        /** Under rolling expiry, the earning events whose batches expired. */
        batches: z.array(z.string()),
      })
      .strict(),
  })
  .strict();

const tierChanged = z
  .object({
    ...envelope,
    type: z.literal('tier-changed'),
    payload: z
      .object({
        from: z.string().nullable(),
        to: z.string().nullable(),
        qualifying: z.number().int().nonnegative(),
      })
      .strict(),
  })
  .strict();

const planJoined = z
  .object({
    ...envelope,
    type: z.literal('plan-joined'),
    payload: z
      .object({ planId: z.string().min(1), fee: z.number().int().nonnegative().safe(), until: isoInstant })
      .strict(),
  })
  .strict();

/** Events a manager may void (refund): the ones that moved points. */
export const voidableEventSchema = z.discriminatedUnion('type', [
  pointsEarned,
  pointsRedeemed,
  pointsAdjusted,
  bonusAwarded,
]);
export type VoidableEvent = z.infer<typeof voidableEventSchema>;
/** The types of the events a void can reverse, derived from the schema above. */
export const voidableEventTypes: ReadonlySet<string> = new Set(
  voidableEventSchema.options.map((o) => o.shape.type.value),
);

const eventVoided = z
  .object({
    ...envelope,
    type: z.literal('event-voided'),
    payload: z
      .object({
        /** The voided event, whole: the projection reverses exactly what it did; HQ checks it against its copy. */
        original: voidableEventSchema,
        reason: z.string().min(1).max(200),
        managerId: sourceId,
      })
      .strict(),
  })
  .strict();

/** An earn, as a return names it (the whole original, like a void: HQ checks it against its copy). */
export const returnableEventSchema = pointsEarned;
export type ReturnableEvent = z.infer<typeof returnableEventSchema>;

/** One returned line: its index in the original's `lines`, its SKU (checked against that line) and units. */
export const returnedLineSchema = z
  .object({
    line: z.number().int().nonnegative().max(499),
    sku: z.string().min(1).max(64),
    quantity: z.number().int().positive().safe(),
  })
  .strict();
export type ReturnedLine = z.infer<typeof returnedLineSchema>;

/**
 * A return of some lines of an earlier sale (docs/architecture.md section 4, src-shared/ledger/returns.ts):
 * the points those lines earned are taken back by the original's own rules. A new type: no existing
 * event's content, hence no existing hash, changes.
 */
const pointsReturned = z
  .object({
    ...envelope,
    type: z.literal('points-returned'),
    payload: z
      .object({
        /** The sale the lines come from, whole, as a void carries its original. */
        original: returnableEventSchema,
        /** The lines returned now (each line at most once in one return). */
        lines: z.array(returnedLineSchema).min(1).max(500),
        /** Points taken back, as the till computed them (returnClawback). */
        points: somePoints,
        /** Eligible spend returned, minor units (taken off the member's qualifying spend). */
        spend: z.number().int().nonnegative().safe(),
        reason: z.string().min(1).max(200),
        managerId: sourceId,
      })
      .strict(),
  })
  .strict();

export const ledgerEventSchema = z.discriminatedUnion('type', [
  memberEnrolled,
  memberUpdated,
  pointsEarned,
  pointsRedeemed,
  pointsAdjusted,
  bonusAwarded,
  pointsExpired,
  tierChanged,
  planJoined,
  eventVoided,
  pointsReturned,
]);
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;
export type EventType = LedgerEvent['type'];
export type EventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;
/** An event before the chain fields are filled in. */
export type UnsealedEvent = LedgerEvent extends infer E
  ? E extends LedgerEvent
    ? Omit<E, 'hash' | 'prevHash' | 'terminalSeq'>
    : never
  : never;

export const eventStatusSchema = z.enum(['posted', 'flagged', 'quarantined']);
export type EventStatus = z.infer<typeof eventStatusSchema>;

/** An event as HQ holds it: the immutable event plus HQ's bookkeeping. */
export const eventRecordSchema = z
  .object({
    event: ledgerEventSchema,
    recordedAt: isoInstant,
    memberSeq: z.number().int().positive(),
    status: eventStatusSchema,
    /** Why HQ flagged it, in words a manager can act on. */
    reason: z.string().nullable(),
  })
  .strict();
export type EventRecord = z.infer<typeof eventRecordSchema>;

// The member projection: what HQ computes from a member's events with applyEvent, and what terminals
// replicate. It carries only the minimal PII of docs/architecture.md section 4 (display name, phone hash and last
// four digits, birthday month); full profiles stay at HQ.
import { z } from 'zod';
import { describePaymentCard, paymentCardIn } from '../scan/payment-guard.js';

export const isoInstant = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative().safe();

/** Points credited by one event, spent oldest first, expiring on their own date under rolling expiry. */
export const batchSchema = z
  .object({
    eventId: z.string().min(1),
    earnedAt: isoInstant,
    expiresAt: isoInstant.nullable(),
    /** Points credited to the batch (after any debt was repaid). */
    points: z.number().int().positive().safe(),
    remaining: count,
  })
  .strict();
export type Batch = z.infer<typeof batchSchema>;

// Field schemas shared with the enrollment and update events, so an event can never carry a value the
// member document would refuse.
export const displayNameSchema = z.string().max(40);
export const phoneLast4Schema = z
  .string()
  .regex(/^\d{4}$/)
  .nullable();
export const birthMonthSchema = z.number().int().min(1).max(12).nullable();
/**
 * A loyalty card number. Never a payment card: the shared guard refuses anything that looks like one, so
 * neither a terminal nor HQ can enroll, link or store it; the message names brand and last four only.
 */
export const cardNumberSchema = z
  .string()
  .min(1)
  .max(64)
  .superRefine((value, ctx) => {
    const hit = paymentCardIn(value);
    if (hit !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: `${describePaymentCard(hit)}: payment cards cannot be loyalty cards`,
      });
  });

export const memberStatusSchema = z.enum(['active', 'blocked', 'closed']);

export const memberSchema = z
  .object({
    id: z.string().min(1).max(64),
    status: memberStatusSchema,
    /** First name and initial, as shown at the counter. */
    displayName: displayNameSchema,
    /** SHA-256 of the normalised phone number (see ledger/phone), never the number itself. */
    phoneHash: z.string().length(64).nullable(),
    phoneLast4: phoneLast4Schema,
    birthMonth: birthMonthSchema,
    cards: z.array(cardNumberSchema),
    tier: z.string().nullable(),
    plan: z.object({ id: z.string(), until: isoInstant }).strict().nullable(),
    referredBy: z.string().nullable(),
    /** Spendable points; never negative. */
    balance: count,
    /** Points owed after an overdraft (two offline redemptions of the same points); repaid from later earns. */
    debt: count,
    batches: z.array(batchSchema),
    /** Qualifying points and spend per local month `YYYY-MM`, for tier evaluation over a rolling window. */
    qualifying: z.record(z.string(), z.object({ points: count, spend: count }).strict()),
    totals: z
      .object({
        earned: count,
        redeemed: count,
        expired: count,
        bonus: count,
        adjustedIn: count,
        adjustedOut: count,
      })
      .strict(),
    purchases: count,
    /** When each named action bonus was awarded, for per-period limits. */
    actions: z.record(z.string(), z.array(isoInstant)),
    /** Points this member may redeem at a terminal that cannot reach HQ. */
    offlineAllowance: count,
    enrolledAt: isoInstant,
    lastActivityAt: isoInstant.nullable(),
    /** The HQ sequence number of the last event included (0 before any). */
    memberSeq: count,
    /** The highest terminalSeq applied per event source: applying an event twice changes nothing. */
    seen: z.record(z.string(), count),
  })
  .strict();
export type Member = z.infer<typeof memberSchema>;

/** The points a member can spend now: balance less debt. */
export const netPoints = (m: Pick<Member, 'balance' | 'debt'>): number => m.balance - m.debt;

/** A member before any event: what `member-enrolled` is applied to. */
export function emptyMember(id: string, enrolledAt: string): Member {
  return {
    id,
    status: 'active',
    displayName: '',
    phoneHash: null,
    phoneLast4: null,
    birthMonth: null,
    cards: [],
    tier: null,
    plan: null,
    referredBy: null,
    balance: 0,
    debt: 0,
    batches: [],
    qualifying: {},
    totals: { earned: 0, redeemed: 0, expired: 0, bonus: 0, adjustedIn: 0, adjustedOut: 0 },
    purchases: 0,
    actions: {},
    offlineAllowance: 0,
    enrolledAt,
    lastActivityAt: null,
    memberSeq: 0,
    seen: {},
  };
}

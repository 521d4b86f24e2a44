// The console's members endpoints (HQ's handlers in src-hq/api/console/members.ts): search by card, phone,
// name or e-mail; a member's profile with cards and history; points adjustments within the role's cap; a
// lost card blocked and replaced; two members merged; the GDPR export and erasure. Store managers see and
// work only the members enrolled at their stores; merging, export and erasure are chain-wide acts.
import { z } from 'zod';
import { adjustmentReasons } from '../ledger/events.js';
import { cardNumberSchema, memberSchema } from '../ledger/member.js';
import { MAX_POINTS } from '../kernel/points.js';
import { paymentCardIn } from '../scan/payment-guard.js';
import { ANY_ROLE, endpoint, PROGRAM_ROLES } from './endpoint.js';

const memberId = z.string().min(1).max(64);
const params = z.object({ id: memberId }).strict();
/** Why an admin did it: required for every write on a member (the audit log's "why"). */
const reason = z.string().trim().min(3, 'say why (at least 3 characters)').max(200);
const count = z.number().int().nonnegative();

/** What an admin types to confirm an erasure. */
export const ERASE_CONFIRMATION = 'ERASE';

export const memberStatuses = ['active', 'blocked', 'closed'] as const;

/** A member as a search lists it. */
export const memberSummarySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  /** First and last name from the HQ profile; null without one (or after erasure). */
  fullName: z.string().nullable(),
  email: z.string().nullable(),
  phoneLast4: z.string().nullable(),
  cards: z.array(z.string()),
  balance: count,
  debt: count,
  tier: z.string().nullable(),
  status: z.enum(memberStatuses),
  /** The store the member enrolled at (store managers see their stores' members); null: HQ (imported). */
  storeId: z.string().nullable(),
  /** Merged into this member (a tombstone at the terminals). */
  mergedInto: z.string().nullable(),
  erased: z.boolean(),
});
export type MemberSummary = z.infer<typeof memberSummarySchema>;

export const memberCardSchema = z.object({
  number: z.string(),
  status: z.enum(['active', 'blocked']),
  blockedAt: z.string().nullable(),
  blockedReason: z.string().nullable(),
  /** The card that replaced a blocked one. */
  replacedBy: z.string().nullable(),
});
export type MemberCard = z.infer<typeof memberCardSchema>;

/**
 * What became of an event at HQ: applied; applied with part of its claim held for review (`held`);
 * reversed by a void (`voided`); kept but not applied (`refused`); waiting for its member (`waiting`);
 * a conflicting copy kept aside (`quarantined`).
 */
export const eventStates = ['applied', 'held', 'voided', 'refused', 'waiting', 'quarantined'] as const;
export type EventState = (typeof eventStates)[number];

export const memberEventSchema = z.object({
  id: z.string(),
  /** The member the event was recorded for (another id: a member merged into this one). */
  memberId: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  storeId: z.string(),
  terminalId: z.string(),
  state: z.enum(eventStates),
  /** HQ's words when it flagged or refused it. */
  reason: z.string().nullable(),
  /** The points the event claimed (null: it moves none). */
  claimed: z.number().int().nullable(),
  /** The points HQ applied: the change of the member's balance − debt. */
  applied: z.number().int(),
  /** One line: what happened (reward, reason code, note). */
  detail: z.string(),
});
export type MemberEvent = z.infer<typeof memberEventSchema>;

export const memberProfileSchema = z.object({
  member: memberSummarySchema.extend({
    enrolledAt: z.string(),
    lastActivityAt: z.string().nullable(),
    birthMonth: z.number().int().nullable(),
    plan: z.object({ id: z.string(), until: z.string() }).nullable(),
    referredBy: z.string().nullable(),
    purchases: count,
    totals: memberSchema.shape.totals,
    contact: z
      .object({
        firstName: z.string().nullable(),
        lastName: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
      })
      .nullable(),
  }),
  cards: z.array(memberCardSchema),
  /** Members merged into this one (their history is part of this member's). */
  mergedFrom: z.array(z.string()),
  /**
   * Net points that reached merged members after their merge (a till offline since before it): merging
   * the member again moves them here.
   */
  leftOnMerged: z.array(z.object({ memberId: z.string(), points: z.number().int() })),
  events: z.array(memberEventSchema),
  /** Older events than the ones listed exist. */
  moreEvents: z.boolean(),
  openReviews: z.array(z.object({ id: z.number(), kind: z.string(), eventId: z.string().nullable() })),
  /** The largest credit the signed-in user may make (null: they cannot adjust). */
  yourCreditCap: z.number().int().nullable(),
});
export type MemberProfile = z.infer<typeof memberProfileSchema>;

/** The GDPR export (art. 15 and 20): every personal field HQ holds, the cards, the events and consents. */
export const memberExportSchema = z.object({
  exportedAt: z.string(),
  member: memberProfileSchema.shape.member,
  cards: z.array(memberCardSchema),
  consents: z.array(z.object({ kind: z.string(), given: z.boolean(), recordedAt: z.string() })),
  /** Every event of the member (and of members merged into it), whole, with HQ's verdict. */
  events: z.array(
    z.object({
      event: z.unknown(),
      state: z.enum(eventStates),
      applied: z.number().int(),
      recordedAt: z.string(),
    }),
  ),
});
export type MemberExport = z.infer<typeof memberExportSchema>;

export const membersEndpoints = {
  searchMembers: endpoint({
    method: 'GET',
    path: '/v1/console/members',
    roles: ANY_ROLE,
    summary:
      'Search members by card number, phone (through the phone lookup key), name or e-mail, one box; paged. ' +
      'A store manager finds the members enrolled at their stores.',
    query: z
      .object({
        q: z
          .string()
          .trim()
          .min(2, 'type at least 2 characters')
          .max(120)
          // A payment card is never looked up, kept or echoed: refused before any query.
          .refine((q) => paymentCardIn(q) === undefined, 'a payment card number: search by the loyalty card'),
        page: z.coerce.number().int().min(1).max(1000).default(1),
        pageSize: z.coerce.number().int().min(1).max(100).default(25),
      })
      .strict(),
    response: z.object({ members: z.array(memberSummarySchema), page: z.number(), more: z.boolean() }),
  }),
  memberProfile: endpoint({
    method: 'GET',
    path: '/v1/console/members/:id',
    roles: ANY_ROLE,
    summary:
      'A member: balance, debt, tier, plan, contact details, cards with their status, and the newest events ' +
      'with what HQ made of them (applied, held, voided…) and the points it applied.',
    params,
    query: z.object({ events: z.coerce.number().int().min(1).max(2000).default(200) }).strict(),
    response: memberProfileSchema,
  }),
  adjustPoints: endpoint({
    method: 'POST',
    path: '/v1/console/members/:id/adjustments',
    roles: ['admin', 'program-manager', 'store-manager'],
    summary:
      'Credit or debit points within the role\u2019s cap, recorded as an HQ points-adjusted event (terminals ' +
      'receive it); a debit never exceeds what the member can spend.',
    params,
    body: z
      .object({
        points: z
          .number()
          .int()
          .min(-MAX_POINTS)
          .max(MAX_POINTS)
          .refine((p) => p !== 0, 'an adjustment is never zero'),
        reasonCode: z.enum(adjustmentReasons),
        reason,
      })
      .strict(),
    response: z.object({ eventId: z.string(), balance: count, debt: count }),
    audit: 'member.adjust',
  }),
  replaceCard: endpoint({
    method: 'POST',
    path: '/v1/console/members/:id/cards/replace',
    roles: ['admin', 'program-manager', 'store-manager'],
    summary:
      'Block a lost card and link its replacement: the old card finds no one and cannot be linked again; the ' +
      'new one (never a payment card, nor someone else\u2019s) finds the same member with the same balance.',
    params,
    body: z
      .object({ lostCard: z.string().trim().min(1).max(64), newCard: cardNumberSchema, reason })
      .strict(),
    response: z.object({ cards: z.array(memberCardSchema) }),
    audit: 'member.card-replace',
  }),
  mergeMembers: endpoint({
    method: 'POST',
    path: '/v1/console/members/:id/merge',
    roles: PROGRAM_ROLES,
    summary:
      'Merge another member into this one: its cards, points (or debt) and history move here, and it becomes ' +
      'a tombstone pointing at this member (terminals drop it).',
    params,
    body: z.object({ mergedId: memberId, reason }).strict(),
    response: z.object({
      survivor: z.string(),
      merged: z.string(),
      movedPoints: z.number().int(),
      cards: count,
    }),
    audit: 'member.merge',
  }),
  exportMember: endpoint({
    method: 'POST',
    path: '/v1/console/members/:id/export',
    roles: ['admin'],
    summary: 'The GDPR export of a member as a JSON download (audited: who exported whom, and why).',
    params,
    body: z.object({ reason: reason.optional() }).strict(),
    response: memberExportSchema,
    audit: 'member.export',
  }),
  eraseMember: endpoint({
    method: 'POST',
    path: '/v1/console/members/:id/erase',
    roles: ['admin'],
    summary:
      'Erase a member\u2019s personal data at HQ and on every terminal: events and points are kept under a ' +
      'pseudonym; the member is closed, its cards unlinked. `confirm` is the word ERASE, typed.',
    params,
    body: z.object({ confirm: z.literal(ERASE_CONFIRMATION), reason }).strict(),
    response: z.object({ erased: z.literal(true), pseudonym: z.string() }),
    audit: 'member.erase',
  }),
};

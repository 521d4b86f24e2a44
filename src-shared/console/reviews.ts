// The console's review queue endpoints (HQ's handlers in src-hq/api/console/reviews.ts): the items HQ
// would not decide alone, filtered and paged, one item with its events and its member's recent history,
// and the decision (approve, or reject with a note) recorded under the console user's username. Store
// managers see and decide only the items raised by their stores' terminals; items HQ raised without a
// terminal belong to no store and are the head office's.
import { z } from 'zod';
import { endpoint, type ConsoleRole } from './endpoint.js';

/** Everyone reads the queue (store managers their stores'). */
export const REVIEW_READERS: readonly ConsoleRole[] = [
  'admin',
  'program-manager',
  'analyst',
  'store-manager',
];
/** Who decides: the program's roles, and store managers for their stores. */
export const REVIEW_DECIDERS: readonly ConsoleRole[] = ['admin', 'program-manager', 'store-manager'];

/** The kinds HQ opens today (the filter offers them; any other kind string is accepted too). */
export const REVIEW_KIND_NAMES = [
  'overdraft',
  'quote-mismatch',
  'over-claim',
  'gap',
  'chain-break',
  'altered',
  'conflict',
  'close-mismatch',
  'double-void',
  'void-mismatch',
  'void-unknown',
  'void-after-return',
  'return-refused',
  're-enrollment',
  'unknown-member',
  'card-conflict',
  'unknown-program',
  'apply-error',
  'card-unknown',
] as const;

const instant = z.iso.datetime({ offset: true });
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

export const reviewItemSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  memberId: z.string().nullable(),
  terminalId: z.string().nullable(),
  /** The store of the terminal that raised it; null for an item HQ raised on its own. */
  storeId: z.string().nullable(),
  eventId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  decision: z.enum(['approved', 'rejected', 'resolved']).nullable(),
  resolvedBy: z.string().nullable(),
  note: z.string().nullable(),
  creditEventId: z.string().nullable(),
});
export type ReviewItemView = z.infer<typeof reviewItemSchema>;

/** An event as the queue shows it: what happened, where, its points and HQ's verdict (no payload). */
export const reviewEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  terminalId: z.string(),
  storeId: z.string(),
  memberId: z.string(),
  status: z.enum(['posted', 'flagged', 'quarantined']),
  reason: z.string().nullable(),
  /** The points HQ applied (negative for a redemption). */
  points: z.number().int(),
  programVersion: z.number().int(),
});
export type ReviewEvent = z.infer<typeof reviewEventSchema>;

export const reviewMemberSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  balance: z.number().int(),
  tier: z.string().nullable(),
  status: z.string(),
  erased: z.boolean(),
});

export const reviewsEndpoints = {
  listReviews: endpoint({
    method: 'GET',
    path: '/v1/console/reviews',
    roles: REVIEW_READERS,
    summary:
      'The review queue, oldest first, filtered by status, kind, store and creation date, paged by id.',
    query: z
      .object({
        status: z.enum(['open', 'resolved']).optional(),
        kind: z.string().trim().min(1).max(64).optional(),
        storeId: z.string().min(1).max(64).optional(),
        /** Created at or after this instant. */
        from: instant.optional(),
        /** Created before this instant. */
        to: instant.optional(),
        /** The `next` of the previous page. */
        after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.object({ items: z.array(reviewItemSchema), next: z.number().int().nullable() }),
  }),
  review: endpoint({
    method: 'GET',
    path: '/v1/console/reviews/:id',
    roles: REVIEW_READERS,
    summary: 'One review item with its events and its member’s balance and recent history.',
    params: idParams,
    response: z.object({
      item: reviewItemSchema,
      events: z.array(reviewEventSchema),
      member: reviewMemberSchema.nullable(),
      /** The member's latest events, newest first (a store manager's: their stores' only). */
      history: z.array(reviewEventSchema),
    }),
  }),
  approveReview: endpoint({
    method: 'POST',
    path: '/v1/console/reviews/:id/approve',
    roles: REVIEW_DECIDERS,
    summary: 'Approve an open item (held points are credited to the member), with an optional note.',
    params: idParams,
    body: z.object({ note: z.string().trim().max(500).optional() }).strict(),
    response: reviewItemSchema,
    audit: 'review.approve',
  }),
  rejectReview: endpoint({
    method: 'POST',
    path: '/v1/console/reviews/:id/reject',
    roles: REVIEW_DECIDERS,
    summary: 'Reject an open item with a note saying why (nothing is credited).',
    params: idParams,
    body: z.object({ note: z.string().trim().min(1, 'say why the item is rejected').max(500) }).strict(),
    response: reviewItemSchema,
    audit: 'review.reject',
  }),
};

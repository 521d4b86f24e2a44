// The console's re-engagement endpoints (HQ's handlers in src-hq/api/console/engagement.ts): members in a
// segment (dormant points, points expiring soon, one reward away; src-shared/engagement/segments.ts) with
// the reason each is in it, a CSV export of those who agreed to marketing, and the chain's messaging tool
// as a signed webhook HQ hands the segment to (deliveries retried until answered, then never sent again).
// Export is a POST although it changes nothing: it hands out personal data, so it is audited like a write.
import { z } from 'zod';
import { SEGMENTS } from '../engagement/segments.js';
import { endpoint, PROGRAM_ROLES, type ConsoleRole } from './endpoint.js';

const id = z.string().min(1).max(64);
const reason = z.string().trim().max(500).optional();

/** Who may list and export a segment: everyone who runs the program, and store managers for their stores. */
export const ENGAGEMENT_ROLES: readonly ConsoleRole[] = ['admin', 'program-manager', 'store-manager'];

/** A segment and its filters, as a query string (strings coerced) or a JSON body. */
export const segmentFilterShape = {
  segment: z.enum(SEGMENTS),
  /** Dormant: no visit for this many days (default 90); expiring: within this many days (default 30). */
  days: z.coerce.number().int().min(1).max(3650).optional(),
  /** Near-reward: at most this many points short of the cheapest reward. */
  withinPoints: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** Near-reward: at most this percentage of its cost short (default 10 when neither is given). */
  withinPercent: z.coerce.number().int().min(1).max(100).optional(),
  /** The store the member enrolled at (as the members area scopes them). */
  storeId: id.optional(),
  tier: id.optional(),
  /** Net points at least. */
  minPoints: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
};
export const segmentFilterSchema = z.object(segmentFilterShape).strict();
export type SegmentFilter = z.infer<typeof segmentFilterSchema>;

export const segmentReasonSchema = z.object({
  text: z.string(),
  points: z.number().int(),
  date: z.string().nullable(),
  rewardId: z.string().nullable(),
});

export const engagementMemberSchema = z.object({
  memberId: z.string(),
  name: z.string(),
  /** Agreed to marketing messages (only they are exported and sent). */
  consent: z.boolean(),
  /** Has an email address or a phone number to be reached at. */
  contactable: z.boolean(),
  /** Net points (balance less debt). */
  balance: z.number().int(),
  tier: z.string().nullable(),
  /** The store the member enrolled at (null: enrolled by HQ, e.g. imported). */
  storeId: z.string().nullable(),
  lastVisitAt: z.string().nullable(),
  reason: segmentReasonSchema,
});
export type EngagementMember = z.infer<typeof engagementMemberSchema>;

// URL is not ECMAScript but every host we run on (Node, Chromium) has it; typed here so src-shared needs no
// platform types.
interface ParsedUrl {
  protocol: string;
  hostname: string;
  username: string;
  password: string;
}
const HostUrl = (globalThis as unknown as { URL: new (text: string) => ParsedUrl }).URL;

/** https, or http to this machine only (a local receiver in tests and trials); no user:password. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((text) => {
    let url: ParsedUrl;
    try {
      url = new HostUrl(text);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }, 'an https:// URL (http:// only for localhost), without a user or password');

export const webhookSchema = z.object({
  url: z.string(),
  /** The first characters of the secret's SHA-256: which secret the messaging tool should hold. */
  secretHint: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const DELIVERY_STATUSES = ['sending', 'delivered', 'failed'] as const;

export const deliverySchema = z.object({
  id: z.string(),
  segment: segmentFilterSchema,
  createdAt: z.string(),
  createdBy: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  members: z.number().int(),
  batches: z.number().int(),
  sentBatches: z.number().int(),
  /** Failed attempts at the batch being sent. */
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const engagementEndpoints = {
  segmentMembers: endpoint({
    method: 'GET',
    path: '/v1/console/engagement/members',
    roles: ENGAGEMENT_ROLES,
    summary:
      'Members in a segment (dormant, expiring, near-reward) with filters and the reason each is in it, a page at a time (store managers: their stores).',
    query: z
      .object({
        ...segmentFilterShape,
        /** The last member id of the previous page. */
        after: id.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      })
      .strict(),
    response: z.object({ members: z.array(engagementMemberSchema), next: z.string().nullable() }),
  }),
  exportSegment: endpoint({
    method: 'POST',
    path: '/v1/console/engagement/export',
    roles: ENGAGEMENT_ROLES,
    summary:
      'The segment\u2019s members who agreed to marketing and can be reached, as a CSV download (audited: it hands out personal data).',
    body: z.object({ ...segmentFilterShape, reason }).strict(),
    response: z.string(),
    audit: 'engagement.export',
  }),
  setConsent: endpoint({
    method: 'PUT',
    path: '/v1/console/engagement/consents/:memberId',
    roles: PROGRAM_ROLES,
    summary: 'Record whether a member agreed to marketing messages (a member with contact details).',
    params: z.object({ memberId: id }).strict(),
    body: z.object({ marketing: z.boolean(), reason }).strict(),
    response: z.object({ memberId: z.string(), marketing: z.boolean(), recordedAt: z.string() }),
    audit: 'engagement.consent',
  }),
  getWebhook: endpoint({
    method: 'GET',
    path: '/v1/console/engagement/webhook',
    roles: ['admin'],
    summary: 'The messaging tool\u2019s webhook (its URL and secret hint; never the secret).',
    response: z.object({ webhook: webhookSchema.nullable() }),
  }),
  setWebhook: endpoint({
    method: 'PUT',
    path: '/v1/console/engagement/webhook',
    roles: ['admin'],
    summary:
      'Set the messaging tool\u2019s URL; a new signing secret is made the first time or on request and answered this once only.',
    body: z.object({ url: webhookUrlSchema, rotateSecret: z.boolean().default(false), reason }).strict(),
    response: z.object({ webhook: webhookSchema, secret: z.string().nullable() }),
    audit: 'engagement.webhook.set',
  }),
  removeWebhook: endpoint({
    method: 'DELETE',
    path: '/v1/console/engagement/webhook',
    roles: ['admin'],
    summary:
      'Remove the messaging tool\u2019s webhook and its secret (deliveries under way fail their next attempt).',
    response: z.object({ removed: z.boolean() }),
    audit: 'engagement.webhook.remove',
  }),
  sendSegment: endpoint({
    method: 'POST',
    path: '/v1/console/engagement/deliveries',
    roles: PROGRAM_ROLES,
    summary:
      'Hand the segment\u2019s consenting members to the messaging tool: a delivery of signed batches, retried until answered (a repeated deliveryId makes nothing new).',
    body: z.object({ ...segmentFilterShape, deliveryId: z.uuid().optional(), reason }).strict(),
    response: deliverySchema,
    audit: 'engagement.send',
  }),
  listDeliveries: endpoint({
    method: 'GET',
    path: '/v1/console/engagement/deliveries',
    roles: PROGRAM_ROLES,
    summary: 'The deliveries to the messaging tool, newest first, with their status.',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict(),
    response: z.object({ deliveries: z.array(deliverySchema) }),
  }),
};

// Admin routes (Bearer admin token): stores, one-time enrollment codes, terminals and their revocation,
// and the review queue (list, one item, approve, reject: decisions are recorded under the token's name).
// The protocol header is optional here, so curl and scripts work as they are. Every write lands in the
// console's audit log under `token:<name>`, done or refused, with what it acted on (never a secret).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { storeSettingsChangeSchema } from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { recordAudit } from '../store/console/audit.js';
import {
  approveReview,
  getReview,
  listReviewPage,
  MAX_REVIEW_NOTE_LENGTH,
  rejectReview,
  REVIEW_DECISIONS,
  UnknownReviewError,
} from '../store/reviews.js';
import { createStore, getStoreSettings, listStores, setStoreSettings } from '../store/stores.js';
import {
  adminIdentity,
  createEnrollmentCode,
  listTerminals,
  revokeTerminal,
  type AdminIdentity,
} from '../store/terminals.js';
import { adminGate, bearerToken } from './auth.js';
import { HttpError, parseInput } from './errors.js';
import type { StreamHub } from './stream.js';

export const createStoreSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(120),
    timeZone: z.string().min(1).max(64),
    /** ISO 3166-1 alpha-2 (checked by createStore); omitted, the chain's country. */
    country: z.string().min(2).max(2).optional(),
  })
  .strict();

export const enrollmentCodeRequestSchema = z
  .object({
    storeId: z.string().min(1).max(64),
    /** How long the code stays usable (default 24 hours, at most 30 days). */
    ttlHours: z
      .number()
      .positive()
      .max(24 * 30)
      .optional(),
  })
  .strict();

export const terminalsQuerySchema = z.object({ storeId: z.string().min(1).max(64).optional() }).strict();

const instant = z.iso.datetime({ offset: true });

export const reviewsQuerySchema = z
  .object({
    status: z.enum(['open', 'resolved']).optional(),
    decision: z.enum(REVIEW_DECISIONS).optional(),
    kind: z.string().min(1).max(64).optional(),
    memberId: z.string().min(1).max(64).optional(),
    terminalId: z.string().min(1).max(64).optional(),
    storeId: z.string().min(1).max(64).optional(),
    /** Created at or after this instant. */
    from: instant.optional(),
    /** Created before this instant. */
    to: instant.optional(),
    /** Keyset paging: the `next` of the previous page. */
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const reviewDecisionSchema = z
  .object({ note: z.string().trim().max(MAX_REVIEW_NOTE_LENGTH).optional() })
  .strict();

const reviewIdParams = z
  .object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
  .strict();

const terminalIdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const storeIdParams = z.object({ id: z.string().min(1).max(64) }).strict();

/** What an admin write acted on, from its route: `store s-1`, `terminal t-1`, `review 12`. */
function auditTarget(request: FastifyRequest): string | null {
  const params = (request.params ?? {}) as { id?: unknown };
  const body = (request.body ?? {}) as { id?: unknown; storeId?: unknown };
  const url = request.routeOptions.url ?? '';
  const kind = /^\/v1\/admin\/([a-z-]+)/.exec(url)?.[1];
  if (typeof params.id === 'string') {
    const noun =
      kind === 'stores' ? 'store' : kind === 'terminals' ? 'terminal' : kind === 'reviews' ? 'review' : kind;
    return `${noun} ${params.id}`;
  }
  if (kind === 'stores' && typeof body.id === 'string') return `store ${body.id.slice(0, 64)}`;
  if (typeof body.storeId === 'string') return `store ${body.storeId.slice(0, 64)}`;
  return null;
}

export interface AdminRouteContext {
  db: Db;
  clock: Clock;
  hub: StreamHub;
}

/**
 * The onSend hook that writes the audit row of an admin write, before its answer leaves (so whoever reads the
 * log after the answer finds it); a write the gate refused is nobody's. Every admin route module uses it.
 */
export function auditAdminWrites(db: Db, clock: Clock) {
  return async function auditWrite<P>(request: FastifyRequest, reply: FastifyReply, payload: P): Promise<P> {
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode === 401) return payload;
    const identity = await adminIdentity(db, bearerToken(request) ?? '');
    if (!identity) return payload;
    const body = (request.body ?? {}) as { note?: unknown };
    try {
      await recordAudit(
        db,
        {
          userId: null,
          actor: `token:${identity.name}`,
          action: `${request.method} ${request.routeOptions.url ?? request.url}`,
          target: auditTarget(request),
          reason: typeof body.note === 'string' && body.note.length > 0 ? body.note : null,
          outcome: reply.statusCode < 400 ? 'done' : 'refused',
          details: { status: reply.statusCode },
          ip: request.ip,
        },
        clock,
      );
    } catch (error) {
      // The answer is sent: an audit row that cannot be written is logged loudly, never silently lost.
      request.log.error({ err: error }, 'admin action could not be audited');
    }
    return payload;
  };
}

export function adminRoutes(app: FastifyInstance, { db, clock, hub }: AdminRouteContext): void {
  const admin = { onRequest: adminGate(db), onSend: auditAdminWrites(db, clock) };

  app.get('/v1/admin/stores', admin, async () => ({ stores: await listStores(db) }));

  app.post('/v1/admin/stores', admin, async (request, reply) => {
    const input = parseInput(createStoreSchema, request.body, 'body');
    return reply.code(201).send(await createStore(db, input));
  });

  // A store's counter settings (idle timeouts, close time): its tills fetch them on their next stream
  // (re)connection (GET /v1/store-settings).
  app.get('/v1/admin/stores/:id/settings', admin, async (request) => {
    const { id } = parseInput(storeIdParams, request.params, 'params');
    return { settings: await getStoreSettings(db, id) };
  });

  app.patch('/v1/admin/stores/:id/settings', admin, async (request) => {
    const { id } = parseInput(storeIdParams, request.params, 'params');
    const change = parseInput(storeSettingsChangeSchema, request.body, 'body');
    const settings = await setStoreSettings(db, id, change);
    request.log.info({ storeId: id, settings }, 'store settings changed');
    return { settings };
  });

  app.post('/v1/admin/enrollment-codes', admin, async (request, reply) => {
    const { storeId, ttlHours } = parseInput(enrollmentCodeRequestSchema, request.body, 'body');
    const code = await createEnrollmentCode(db, storeId, clock, ttlHours === undefined ? {} : { ttlHours });
    request.log.info({ storeId, expiresAt: code.expiresAt }, 'enrollment code created');
    // The code is a credential until used: shown once, never cached.
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ storeId, ...code });
  });

  app.get('/v1/admin/terminals', admin, async (request) => {
    const query = parseInput(terminalsQuerySchema, request.query, 'query');
    return { terminals: await listTerminals(db, query) };
  });

  app.post('/v1/admin/terminals/:id/revoke', admin, async (request) => {
    const { id } = parseInput(terminalIdParams, request.params, 'params');
    const revoked = await revokeTerminal(db, id, clock);
    if (!revoked) throw new HttpError(404, 'unknown-terminal', `There is no terminal ${JSON.stringify(id)}.`);
    // Its live stream ends now (on this HQ process; on others its next pull or reconnect is refused).
    hub.disconnectTerminal(id);
    request.log.info({ terminalId: id }, 'terminal revoked');
    return revoked;
  });

  app.get('/v1/admin/reviews', admin, async (request) => {
    const { from, to, ...query } = parseInput(reviewsQuerySchema, request.query, 'query');
    return listReviewPage(db, {
      ...query,
      ...(from === undefined ? {} : { createdFrom: from }),
      ...(to === undefined ? {} : { createdTo: to }),
    });
  });

  app.get('/v1/admin/reviews/:id', admin, async (request) => {
    const { id } = parseInput(reviewIdParams, request.params, 'params');
    const item = await getReview(db, id);
    if (!item) throw new UnknownReviewError(id);
    return item;
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.post(`/v1/admin/reviews/:id/${decision}`, admin, async (request) => {
      const { id } = parseInput(reviewIdParams, request.params, 'params');
      const { note } = parseInput(reviewDecisionSchema, request.body, 'body');
      const by = (await callingAdmin(request)).name;
      const decide = decision === 'approve' ? approveReview : rejectReview;
      // The review store's refusals (unknown, already resolved, not creditable) map in errors.ts.
      const item = await decide(db, id, { by, note: note ?? null }, clock);
      request.log.info(
        { reviewId: id, decision: item.decision, creditEventId: item.creditEventId },
        'review item resolved',
      );
      return item;
    });
  }

  /** The admin behind a request that passed the gate (looked up again: the gate keeps no identity). */
  async function callingAdmin(request: FastifyRequest): Promise<AdminIdentity> {
    const identity = await adminIdentity(db, bearerToken(request) ?? '');
    if (!identity)
      throw new HttpError(401, 'invalid-token', 'This admin token is not valid: unknown or revoked.');
    return identity;
  }
}

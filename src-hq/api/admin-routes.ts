// Admin routes (Bearer admin token): stores, one-time enrollment codes, terminals and their revocation,
// and the review queue. The protocol header is optional here, so curl and scripts work as they are.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Db } from '../db/database.js';
import { listReviews } from '../store/reviews.js';
import { createStore, listStores } from '../store/stores.js';
import { createEnrollmentCode, listTerminals, revokeTerminal } from '../store/terminals.js';
import { adminGate } from './auth.js';
import { HttpError, parseInput } from './errors.js';
import type { StreamHub } from './stream.js';

export const createStoreSchema = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(120),
    timeZone: z.string().min(1).max(64),
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

export const reviewsQuerySchema = z
  .object({
    status: z.enum(['open', 'resolved']).optional(),
    kind: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const terminalIdParams = z.object({ id: z.string().min(1).max(64) }).strict();

export interface AdminRouteContext {
  db: Db;
  clock: Clock;
  hub: StreamHub;
}

export function adminRoutes(app: FastifyInstance, { db, clock, hub }: AdminRouteContext): void {
  const admin = { onRequest: adminGate(db) };

  app.get('/v1/admin/stores', admin, async () => ({ stores: await listStores(db) }));

  app.post('/v1/admin/stores', admin, async (request, reply) => {
    const input = parseInput(createStoreSchema, request.body, 'body');
    return reply.code(201).send(await createStore(db, input));
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
    const query = parseInput(reviewsQuerySchema, request.query, 'query');
    return { items: await listReviews(db, query) };
  });
}

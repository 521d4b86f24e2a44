// The member scope's routes (src-hq/store/scope.ts; rules and contract: src-shared/sync/scope.ts). For
// terminals: POST /v1/scope/members, a member outside the till's replica by card, which HQ records as kept
// by the calling store's tills (later changes then reach them through the pull), and .../by-phone by phone
// lookup key. For scripts, with an
// admin token: the chain's rules (GET/PUT /v1/admin/scope) and a store's region (PUT
// /v1/admin/stores/:id/region).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { describePaymentCard, paymentCardIn } from '../../src-shared/scan/payment-guard.js';
import {
  scopeFetchRequestSchema,
  scopePhoneFetchRequestSchema,
  type ScopeFetchResponse,
  type ScopePhoneFetchResponse,
} from '../../src-shared/sync/scope.js';
import type { Db } from '../db/database.js';
import {
  getScopeRules,
  keepMemberByCard,
  keepMembersByPhoneHash,
  setScopeRules,
  setStoreRegion,
} from '../store/scope.js';
import { auditAdminWrites } from './admin-routes.js';
import { adminGate, callingTerminal, terminalGate } from './auth.js';
import { HttpError, parseInput } from './errors.js';

export interface ScopeRouteContext {
  db: Db;
  clock: Clock;
}

const storeIdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const regionBody = z.object({ region: z.string().trim().min(1).max(64).nullable() }).strict();

export function scopeRoutes(app: FastifyInstance, { db, clock }: ScopeRouteContext): void {
  const terminal = { config: { terminalProtocol: true }, onRequest: terminalGate(db) };
  // Admin writes are audited like every other admin route's (admin-routes.ts).
  const admin = { onRequest: adminGate(db), onSend: auditAdminWrites(db, clock) };

  app.post('/v1/scope/members', terminal, async (request, reply) => {
    const { card } = parseInput(scopeFetchRequestSchema, request.body, 'body');
    // A payment card is never looked up (it would reach SQL and the slow-query log), as at /v1/members/lookup.
    const payment = paymentCardIn(card);
    if (payment !== undefined)
      throw new HttpError(400, 'invalid-request', 'Payment cards cannot be loyalty cards.', [
        { path: 'card', message: `${describePaymentCard(payment)}: payment cards cannot be loyalty cards` },
      ]);
    const { storeId } = callingTerminal(request);
    const member = await keepMemberByCard(db, storeId, card, clock);
    if (member) request.log.info({ storeId, memberId: member.id }, 'member kept by the store on demand');
    const body: ScopeFetchResponse = { member };
    // Member documents carry personal data: no cache may keep them.
    return reply.header('cache-control', 'no-store').send(body);
  });

  // By phone lookup key (main derives it from the typed number; the number never leaves the till).
  app.post('/v1/scope/members/by-phone', terminal, async (request, reply) => {
    const { phoneHash } = parseInput(scopePhoneFetchRequestSchema, request.body, 'body');
    const { storeId } = callingTerminal(request);
    const members = await keepMembersByPhoneHash(db, storeId, phoneHash, clock);
    if (members.length > 0)
      request.log.info({ storeId, members: members.length }, 'members kept by the store on demand');
    const body: ScopePhoneFetchResponse = { members };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.get('/v1/admin/scope', admin, async () => ({ rules: await getScopeRules(db) }));

  // The rules apply to every pull from now on; tills already running get the members a wider scope adds as
  // those members change, or all at once by bootstrapping again (docs: the scope rules).
  app.put('/v1/admin/scope', admin, async (request) => {
    const rules = await setScopeRules(db, (request.body as { rules?: unknown } | null)?.rules, clock);
    request.log.info({ rules }, 'member scope rules changed');
    return { rules };
  });

  app.put('/v1/admin/stores/:id/region', admin, async (request) => {
    const { id } = parseInput(storeIdParams, request.params, 'params');
    const { region } = parseInput(regionBody, request.body, 'body');
    await setStoreRegion(db, id, region);
    request.log.info({ storeId: id, region }, 'store region changed');
    return { storeId: id, region };
  });
}

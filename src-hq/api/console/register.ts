// Registers the console API: one Fastify route per endpoint of the contract (src-shared/console/api.ts),
// each behind the same gate. In order: the session cookie (401 without a live session), the role (403),
// the CSRF token on every write (403), then params, query and body through the endpoint's schemas (400
// with every problem). A write is audited whatever its outcome: done, or refused with HQ's error code.
// The answer is checked against the endpoint's response schema, so the contract cannot drift from HQ.
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import { CSRF_HEADER, SESSION_COOKIE, type AnyEndpoint } from '../../../src-shared/console/endpoint.js';
import { recordAudit } from '../../store/console/audit.js';
import { liveSession } from '../../store/console/users.js';
import { HttpError, parseInput, toHttpError } from '../errors.js';
import { authHandlers } from './auth.js';
import type { AuditNote, ConsoleContext, Handlers } from './call.js';
import { dashboardHandlers } from './dashboard.js';
import { engagementHandlers } from './engagement.js';
import { fleetHandlers } from './fleet.js';
import { membersHandlers } from './members.js';
import { programHandlers } from './program.js';
import { reviewsHandlers } from './reviews.js';

const HANDLERS: Handlers<typeof CONSOLE_API> = {
  ...authHandlers,
  ...dashboardHandlers,
  ...reviewsHandlers,
  ...membersHandlers,
  ...engagementHandlers,
  ...programHandlers,
  ...fleetHandlers,
};

export function consoleRoutes(app: FastifyInstance, context: ConsoleContext): void {
  void app.register(fastifyCookie);
  for (const [name, endpoint] of Object.entries(CONSOLE_API) as [keyof typeof CONSOLE_API, AnyEndpoint][]) {
    const handler = HANDLERS[name] as (call: unknown) => Promise<unknown>;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      handler: (request, reply) => serve(context, endpoint, handler, request, reply),
    });
  }
}

async function serve(
  context: ConsoleContext,
  endpoint: AnyEndpoint,
  handler: (call: unknown) => Promise<unknown>,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  // Console answers are about people and money: never cached by a browser or a proxy.
  void reply.header('cache-control', 'no-store');
  let user: ConsoleUser | null = null;
  if (endpoint.roles !== 'public') {
    const session = await liveSession(context.db, request.cookies[SESSION_COOKIE], context.clock);
    if (!session)
      throw new HttpError(401, 'not-signed-in', 'Sign in to the console: no session, or it has ended.');
    user = session.user;
    if (!endpoint.roles.includes(user.role))
      throw new HttpError(403, 'forbidden', `A ${user.role} cannot do this.`);
    if (endpoint.method !== 'GET') {
      const header = request.headers[CSRF_HEADER];
      if (!session.csrfMatches(typeof header === 'string' ? header : undefined))
        throw new HttpError(403, 'csrf', `This write needs the session's ${CSRF_HEADER} header.`);
    }
  }
  const params: unknown = parseInput(endpoint.params, request.params, 'params');
  const query: unknown = parseInput(endpoint.query, request.query, 'query');
  const body: unknown = parseInput(endpoint.body, request.body, 'body');

  let target: string | null = null;
  let details: Record<string, unknown> = {};
  const audit: AuditNote = {
    target: (what) => void (target = what),
    details: (facts) => void (details = { ...details, ...facts }),
  };
  const record = async (outcome: 'done' | 'refused', extra: Record<string, unknown> = {}): Promise<void> => {
    if (endpoint.audit === null || user === null) return;
    const reasonField = (body as { reason?: unknown; note?: unknown } | undefined) ?? {};
    const reason =
      typeof reasonField.reason === 'string'
        ? reasonField.reason
        : typeof reasonField.note === 'string'
          ? reasonField.note
          : null;
    await recordAudit(
      context.db,
      {
        userId: user.id,
        actor: user.username,
        action: endpoint.audit,
        target,
        reason: reason || null,
        outcome,
        details: { ...details, ...extra },
        ip: request.ip,
      },
      context.clock,
    );
  };

  let answer: unknown;
  try {
    answer = await handler({ ...context, params, query, body, request, reply, audit, user });
  } catch (error) {
    const http = toHttpError(error);
    if (http && http.statusCode < 500) await record('refused', { error: http.code });
    throw error;
  }
  await record('done');
  const checked = endpoint.response.safeParse(answer);
  if (!checked.success) {
    request.log.error(
      { endpoint: endpoint.path, issues: checked.error.issues.slice(0, 5) },
      'console answer does not fit its contract',
    );
    throw new HttpError(500, 'internal', 'HQ could not answer this request.');
  }
  return checked.data;
}

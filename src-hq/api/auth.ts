// Request gates, run before a body is read: the protocol version (426 for a terminal too old to talk to
// this HQ), then the bearer token (a terminal's or an admin's). Tokens are looked up by their SHA-256
// hash; the token itself is never logged or kept.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MIN_PROTOCOL_VERSION, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import type { Db } from '../db/database.js';
import { authenticateAdmin, authenticateTerminal, type AuthenticatedTerminal } from '../store/terminals.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The calling terminal, set by the terminal gate. */
    terminal: AuthenticatedTerminal | null;
  }
  interface FastifyContextConfig {
    /** Terminal routes: the protocol header is required (health and admin routes may omit it). */
    terminalProtocol?: boolean;
  }
}

const REALM = 'Bearer realm="loyalty-hq"';

/**
 * Checks `x-loyalty-protocol` on every request: below MIN_PROTOCOL_VERSION → 426; not a whole number →
 * 400; missing → 426 on terminal routes, allowed elsewhere (health, admin, curl). Every answer carries
 * the header with HQ's own version.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- a Fastify hook: async, so a throw is a rejection Fastify answers
export async function protocolGate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header(PROTOCOL_HEADER, String(PROTOCOL_VERSION));
  const raw = request.headers[PROTOCOL_HEADER];
  if (raw === undefined) {
    if (request.routeOptions.config?.terminalProtocol) {
      throw tooOld(
        `Send the ${PROTOCOL_HEADER} header: this HQ speaks protocol ${PROTOCOL_VERSION} and accepts terminals ` +
          `from protocol ${MIN_PROTOCOL_VERSION}. Update the terminal software.`,
      );
    }
    return;
  }
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) {
    throw new HttpError(
      400,
      'bad-protocol-header',
      `${PROTOCOL_HEADER} must be a whole number, e.g. ${PROTOCOL_VERSION}.`,
    );
  }
  const version = Number(text.trim());
  if (version < MIN_PROTOCOL_VERSION) {
    throw tooOld(
      `This terminal speaks protocol ${version}; this HQ needs protocol ${MIN_PROTOCOL_VERSION} or newer ` +
        `(it speaks ${PROTOCOL_VERSION}). Update the terminal software.`,
    );
  }
}

const tooOld = (message: string): HttpError =>
  new HttpError(426, 'protocol-too-old', message, undefined, {
    upgrade: `loyalty-protocol/${PROTOCOL_VERSION}`,
  });

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

function unauthenticated(kind: 'terminal' | 'admin', token: string | null): HttpError {
  if (token === null) {
    return new HttpError(401, 'unauthenticated', `Send Authorization: Bearer <${kind} token>.`, undefined, {
      'www-authenticate': REALM,
    });
  }
  return new HttpError(
    401,
    'invalid-token',
    kind === 'terminal'
      ? 'This terminal token is not valid: unknown or revoked. Enroll the terminal again.'
      : 'This admin token is not valid: unknown or revoked.',
    undefined,
    { 'www-authenticate': `${REALM}, error="invalid_token"` },
  );
}

/** An onRequest gate that admits a terminal (and sets request.terminal). */
export function terminalGate(db: Db) {
  return async function requireTerminal(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    const terminal = token === null ? null : await authenticateTerminal(db, token);
    if (!terminal) throw unauthenticated('terminal', token);
    request.terminal = terminal;
    request.log = request.log.child({ terminalId: terminal.id });
  };
}

/** An onRequest gate that admits an admin token holder. */
export function adminGate(db: Db) {
  return async function requireAdmin(request: FastifyRequest): Promise<void> {
    const token = bearerToken(request);
    if (token === null || !(await authenticateAdmin(db, token))) throw unauthenticated('admin', token);
  };
}

/** The terminal of a request that passed the terminal gate. */
export function callingTerminal(request: FastifyRequest): AuthenticatedTerminal {
  if (!request.terminal) throw new Error('route is missing the terminal gate');
  return request.terminal;
}

// Sign-in, the session, sign-out, console users and the audit log. The cookie is httpOnly, SameSite=Strict,
// path /, Secure when the request came over TLS (directly or, with trustProxy, through a proxy that said so).
// A wrong username and a wrong password get the same answer in the same time (a decoy hash), and every
// sign-in, good or bad, is in the audit log.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { authEndpoints } from '../../../src-shared/console/auth.js';
import { SESSION_COOKIE } from '../../../src-shared/console/endpoint.js';
import { listAudit, recordAudit } from '../../store/console/audit.js';
import {
  changeConsoleUser,
  createConsoleUser,
  endSession,
  listConsoleUsers,
  liveSession,
  SESSION_MAX_MS,
  setConsolePassword,
  signIn,
} from '../../store/console/users.js';
import { HttpError } from '../errors.js';
import type { Handlers } from './call.js';

const cookieOptions = (request: FastifyRequest) =>
  ({
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    path: '/',
  }) as const;

const sessionToken = (request: FastifyRequest): string | undefined => request.cookies[SESSION_COOKIE];

function clearCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
}

export const authHandlers: Handlers<typeof authEndpoints> = {
  async signIn({ db, clock, body, request, reply }) {
    const opened = await signIn(db, body.username, body.password, clock);
    await recordAudit(
      db,
      {
        userId: opened?.user.id ?? null,
        actor: body.username.trim().toLowerCase().slice(0, 64),
        action: 'session.sign-in',
        target: null,
        reason: null,
        outcome: opened ? 'done' : 'refused',
        details: {},
        ip: request.ip,
      },
      clock,
    );
    if (!opened) throw new HttpError(401, 'wrong-credentials', 'The username or password is not right.');
    void reply.setCookie(SESSION_COOKIE, opened.token, {
      ...cookieOptions(request),
      maxAge: Math.floor(SESSION_MAX_MS / 1000),
    });
    return { user: opened.user, csrfToken: opened.csrfToken };
  },

  async session({ db, clock, user, request }) {
    const session = await liveSession(db, sessionToken(request), clock);
    if (!session) throw new HttpError(401, 'not-signed-in', 'Sign in to the console.');
    return { user, csrfToken: session.csrfToken };
  },

  async signOut({ db, request, reply }) {
    const token = sessionToken(request);
    if (token !== undefined) await endSession(db, token);
    clearCookie(request, reply);
    return { signedOut: true as const };
  },

  async listUsers({ db }) {
    return { users: await listConsoleUsers(db) };
  },

  async createUser({ db, clock, body, audit }) {
    const created = await createConsoleUser(db, body, clock);
    audit.target(`user ${created.username}`);
    audit.details({ role: created.role, storeIds: created.storeIds });
    return created;
  },

  async changeUser({ db, params, body, audit }) {
    audit.target(`user ${params.id}`);
    const { reason: _reason, ...change } = body;
    audit.details(change);
    return changeConsoleUser(db, params.id, change);
  },

  async setPassword({ db, params, body, request, audit }) {
    audit.target(`user ${params.id}`);
    await setConsolePassword(db, params.id, body.password, sessionToken(request));
    return { changed: true as const };
  },

  async auditLog({ db, query }) {
    return listAudit(db, query);
  },
};

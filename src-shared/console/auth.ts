// The console's sign-in, session and user endpoints. A session is an httpOnly, SameSite=Strict cookie;
// every write also carries the session's CSRF token in a header (CSRF_HEADER), which only a page HQ
// served can have read from `session`. Users, roles and the audit log are the admin's.
import { z } from 'zod';
import { consoleRoleSchema, endpoint, ANY_ROLE } from './endpoint.js';

const storeId = z.string().min(1).max(64);
const instant = z.iso.datetime({ offset: true });

export const consoleUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: consoleRoleSchema,
  /** A store manager's stores; [] for every other role (they see every store). */
  storeIds: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
});
export type ConsoleUser = z.infer<typeof consoleUserSchema>;

export const sessionSchema = z.object({ user: consoleUserSchema, csrfToken: z.string() });
export type ConsoleSession = z.infer<typeof sessionSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9._@-]+$/, 'lower-case letters, digits and . _ @ -');
/** At least 12 characters (NIST SP 800-63B: length, not composition rules). */
export const passwordSchema = z.string().min(12, 'at least 12 characters').max(256);

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  /** The user's username at the time (kept when the user is renamed or disabled). */
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  reason: z.string().nullable(),
  outcome: z.enum(['done', 'refused']),
  details: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const authEndpoints = {
  signIn: endpoint({
    method: 'POST',
    path: '/v1/console/session',
    roles: 'public',
    summary:
      'Sign in with a username and password: sets the session cookie, answers the user and CSRF token.',
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    response: sessionSchema,
  }),
  session: endpoint({
    method: 'GET',
    path: '/v1/console/session',
    roles: ANY_ROLE,
    summary: 'The signed-in user and the CSRF token for writes (401 without a live session).',
    response: sessionSchema,
  }),
  signOut: endpoint({
    method: 'DELETE',
    path: '/v1/console/session',
    roles: ANY_ROLE,
    summary: 'Sign out: the session ends at HQ and its cookie is cleared.',
    response: z.object({ signedOut: z.literal(true) }),
    audit: 'session.sign-out',
  }),
  listUsers: endpoint({
    method: 'GET',
    path: '/v1/console/users',
    roles: ['admin'],
    summary: 'The console users.',
    response: z.object({ users: z.array(consoleUserSchema) }),
  }),
  createUser: endpoint({
    method: 'POST',
    path: '/v1/console/users',
    roles: ['admin'],
    summary: 'Add a console user with a role (and a store manager\u2019s stores).',
    body: z
      .object({
        username: usernameSchema,
        name: z.string().trim().min(1).max(120),
        role: consoleRoleSchema,
        storeIds: z.array(storeId).max(1000).default([]),
        password: passwordSchema,
      })
      .strict(),
    response: consoleUserSchema,
    audit: 'user.create',
  }),
  changeUser: endpoint({
    method: 'PATCH',
    path: '/v1/console/users/:id',
    roles: ['admin'],
    summary: 'Change a user\u2019s role, stores, or disable them (their sessions end).',
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    body: z
      .object({
        role: consoleRoleSchema.optional(),
        storeIds: z.array(storeId).max(1000).optional(),
        disabled: z.boolean().optional(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
    response: consoleUserSchema,
    audit: 'user.change',
  }),
  setPassword: endpoint({
    method: 'POST',
    path: '/v1/console/users/:id/password',
    roles: ['admin'],
    summary: 'Set a user\u2019s password (their other sessions end).',
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    body: z.object({ password: passwordSchema, reason: z.string().trim().max(500).optional() }).strict(),
    response: z.object({ changed: z.literal(true) }),
    audit: 'user.password',
  }),
  auditLog: endpoint({
    method: 'GET',
    path: '/v1/console/audit',
    roles: ['admin'],
    summary: 'The audit log, newest first: who did what, when and why.',
    query: z
      .object({
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        from: instant.optional(),
        to: instant.optional(),
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    response: z.object({ entries: z.array(auditEntrySchema), next: z.number().nullable() }),
  }),
};

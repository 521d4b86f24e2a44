// The shape of one back-office (console) endpoint, declared once in src-shared and derived everywhere:
// HQ registers the route from it (gate, roles, input parsing, audit), the console's client calls it with
// the same schemas and types, and docs/hq-api.md lists it. An endpoint names who may call it (roles), what
// it reads (params, query, body: zod schemas, so a bad input is a 400 with every problem and its path) and
// what it answers. Every write names its audit action: HQ records who, what, when and why for it.
import { z } from 'zod';

/**
 * The back office's roles. An admin does everything, users included; a program manager runs the program
 * (versions, members, reviews, re-engagement); an analyst reads (dashboard, ROI, members, reviews) and
 * writes nothing; a store manager sees and works only their own stores (their members' reviews,
 * terminals, cashiers).
 */
export const CONSOLE_ROLES = ['admin', 'program-manager', 'analyst', 'store-manager'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];
export const consoleRoleSchema = z.enum(CONSOLE_ROLES);

/** Shorthands for `roles`. */
export const ANY_ROLE: readonly ConsoleRole[] = CONSOLE_ROLES;
export const PROGRAM_ROLES: readonly ConsoleRole[] = ['admin', 'program-manager'];
export const READ_ROLES: readonly ConsoleRole[] = ['admin', 'program-manager', 'analyst'];

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Every console endpoint lives under this prefix; the console's pages under /console. */
export const CONSOLE_API_PREFIX = '/v1/console';

/** The header a write carries its CSRF token in (the token comes from sign-in and `session`). */
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's name (httpOnly: the page never reads it). */
export const SESSION_COOKIE = 'lt_console_session';

export interface Endpoint<P, Q, B, R> {
  readonly method: HttpMethod;
  /** Under CONSOLE_API_PREFIX, with `:name` parameters, e.g. `/v1/console/members/:id`. */
  readonly path: `${typeof CONSOLE_API_PREFIX}/${string}`;
  /** Who may call it; 'public' only for sign-in and the session check. */
  readonly roles: readonly ConsoleRole[] | 'public';
  readonly params: z.ZodType<P>;
  readonly query: z.ZodType<Q>;
  readonly body: z.ZodType<B>;
  readonly response: z.ZodType<R>;
  /** The audit log's action for a write (`member.erase`); null for reads (GET must be null). */
  readonly audit: string | null;
  /** One line for docs/hq-api.md. */
  readonly summary: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table's element type: any endpoint
export type AnyEndpoint = Endpoint<any, any, any, any>;

const none = z.object({}).strict();
type None = z.infer<typeof none>;

/** Declares an endpoint; omitted schemas are "nothing" (an empty, strict object). */
export function endpoint<
  P = None,
  Q = None,
  B = None,
  R = unknown,
  const Ro extends readonly ConsoleRole[] | 'public' = readonly ConsoleRole[],
>(spec: {
  method: HttpMethod;
  path: Endpoint<P, Q, B, R>['path'];
  roles: Ro;
  summary: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response: z.ZodType<R>;
  audit?: string;
}): Endpoint<P, Q, B, R> & { readonly roles: Ro } {
  if (spec.method === 'GET' && spec.audit !== undefined)
    throw new Error(`${spec.path}: a GET is a read and has no audit action`);
  if (spec.method !== 'GET' && spec.audit === undefined && spec.roles !== 'public')
    throw new Error(`${spec.path}: every console write names its audit action`);
  return {
    method: spec.method,
    path: spec.path,
    roles: spec.roles,
    summary: spec.summary,
    params: spec.params ?? (none as unknown as z.ZodType<P>),
    query: spec.query ?? (none as unknown as z.ZodType<Q>),
    body: spec.body ?? (none as unknown as z.ZodType<B>),
    response: spec.response,
    audit: spec.audit ?? null,
  };
}

export type ParamsOf<E> = E extends Endpoint<infer P, infer _Q, infer _B, infer _R> ? P : never;
export type QueryOf<E> = E extends Endpoint<infer _P, infer Q, infer _B, infer _R> ? Q : never;
export type BodyOf<E> = E extends Endpoint<infer _P, infer _Q, infer B, infer _R> ? B : never;
export type ResponseOf<E> = E extends Endpoint<infer _P, infer _Q, infer _B, infer R> ? R : never;

/** The URL of an endpoint with its `:name` parameters filled in (each URI-encoded). */
export function endpointUrl(path: string, params: Record<string, string | number>): string {
  return path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: missing parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/** Whether a role may call an endpoint. */
export const roleMayCall = (endpoint: AnyEndpoint, role: ConsoleRole): boolean =>
  endpoint.roles === 'public' || endpoint.roles.includes(role);

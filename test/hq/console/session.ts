// A signed-in console user for HQ tests: makes the user (any role, a store manager's stores), signs in
// through the API, and calls endpoints of the contract the way the console does (cookie + CSRF header).
// `call` answers the status and the parsed body; `ok` insists on a 2xx and parses it with the contract.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import type { ConsoleSession } from '../../../src-shared/console/auth.js';
import {
  CSRF_HEADER,
  endpointUrl,
  SESSION_COOKIE,
  type AnyEndpoint,
  type ConsoleRole,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '../../../src-shared/console/endpoint.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Db } from '../../../src-hq/db/database.js';
import { createConsoleUser } from '../../../src-hq/store/console/users.js';

export const TEST_PASSWORD = 'correct horse battery';

export interface CallInput<E> {
  params?: ParamsOf<E>;
  query?: QueryOf<E> | Record<string, string | number>;
  /** The endpoint's body, or anything else (to prove it is refused). */
  body?: unknown;
  /** Leave the CSRF header out (to prove it is required). */
  withoutCsrf?: boolean;
}

export interface ConsoleClient {
  session: ConsoleSession;
  cookie: string;
  call<E extends AnyEndpoint>(endpoint: E, input?: CallInput<E>): Promise<LightMyRequestResponse>;
  ok<E extends AnyEndpoint>(endpoint: E, input?: CallInput<E>): Promise<ResponseOf<E>>;
}

let made = 0;

/** Makes a user with `role` and signs them in. */
export async function signedIn(
  app: FastifyInstance,
  db: Db,
  clock: Clock,
  role: ConsoleRole,
  storeIds: string[] = [],
): Promise<ConsoleClient> {
  const username = `${role}-${++made}-${Math.random().toString(36).slice(2, 8)}`;
  await createConsoleUser(
    db,
    { username, name: `Test ${role}`, role, storeIds, password: TEST_PASSWORD },
    clock,
  );
  return signInAs(app, username, TEST_PASSWORD);
}

export async function signInAs(
  app: FastifyInstance,
  username: string,
  password: string,
): Promise<ConsoleClient> {
  const answer = await app.inject({
    method: 'POST',
    url: CONSOLE_API.signIn.path,
    payload: { username, password },
  });
  if (answer.statusCode !== 200) throw new Error(`sign-in: ${answer.statusCode} ${answer.body}`);
  const cookie = answer.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const session = CONSOLE_API.signIn.response.parse(answer.json());
  const call: ConsoleClient['call'] = (endpoint, input = {}) =>
    app.inject({
      method: endpoint.method,
      url: endpointUrl(endpoint.path, input.params ?? {}),
      query: (input.query ?? {}) as Record<string, string>,
      cookies: { [SESSION_COOKIE]: cookie.value },
      headers: endpoint.method === 'GET' || input.withoutCsrf ? {} : { [CSRF_HEADER]: session.csrfToken },
      ...(input.body === undefined
        ? endpoint.method === 'GET'
          ? {}
          : { payload: {} }
        : { payload: input.body as object }),
    });
  return {
    session,
    cookie: cookie.value,
    call,
    async ok(endpoint, input) {
      const answer = await call(endpoint, input);
      if (answer.statusCode >= 300)
        throw new Error(`${endpoint.method} ${endpoint.path}: ${answer.statusCode} ${answer.body}`);
      return endpoint.response.parse(answer.json()) as ResponseOf<typeof endpoint>;
    },
  };
}

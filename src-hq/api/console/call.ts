// What a console handler receives and returns. A handler is written once per endpoint of the contract
// (src-shared/console/api.ts); `Handlers` makes the compiler insist on one for every endpoint, with the
// endpoint's own input and output types. Store managers are scoped to their stores: `storeScope` says which
// (null for every store) and `assertStore` refuses the others with a 403.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import type {
  AnyEndpoint,
  BodyOf,
  ParamsOf,
  QueryOf,
  ResponseOf,
} from '../../../src-shared/console/endpoint.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Db } from '../../db/database.js';
import { HttpError } from '../errors.js';
import type { StreamHub } from '../stream.js';

export interface ConsoleContext {
  db: Db;
  clock: Clock;
  hub: StreamHub;
}

/** What the audit row of a write says besides who, when and the action (set by the handler). */
export interface AuditNote {
  /** What was acted on (`member 0190…`, `review 12`). */
  target(what: string): void;
  /** Extra facts worth keeping (the figures of an adjustment, the fields changed). */
  details(facts: Record<string, unknown>): void;
}

interface CallBase<E> extends ConsoleContext {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
  request: FastifyRequest;
  reply: FastifyReply;
  audit: AuditNote;
}

export interface ConsoleCall<E> extends CallBase<E> {
  /** The signed-in user (the gate has checked their role). */
  user: ConsoleUser;
}

export type PublicCall<E> = CallBase<E>;

export type Handler<E> = (call: ConsoleCall<E>) => Promise<ResponseOf<E>>;
export type PublicHandler<E> = (call: PublicCall<E>) => Promise<ResponseOf<E>>;

/** One handler per endpoint of a table, typed by its endpoint. */
export type Handlers<T extends Record<string, AnyEndpoint>> = {
  [K in keyof T]: T[K] extends { roles: 'public' } ? PublicHandler<T[K]> : Handler<T[K]>;
};

/** The stores a user may see: null for every store (every role but store manager). */
export const storeScope = (user: ConsoleUser): readonly string[] | null =>
  user.role === 'store-manager' ? user.storeIds : null;

/** Refuses (403) a store outside the user's stores. */
export function assertStore(user: ConsoleUser, storeId: string | null): void {
  const scope = storeScope(user);
  if (scope === null) return;
  if (storeId === null || !scope.includes(storeId))
    throw new HttpError(403, 'outside-your-stores', 'This belongs to a store you do not manage.');
}

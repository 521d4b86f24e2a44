// Every error HQ answers has the body of errorBodySchema: a stable code a program can branch on, words a
// person can act on, and for bad input every problem with its path. Domain errors from the store map to
// statuses here, in one place; anything unexpected is a 500 that says nothing about the internals. A
// database that cannot be reached is a 503 with Retry-After, logged once per outage, not once per request.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, type z } from 'zod';
import type { ErrorBody } from '../../src-shared/sync/wire.js';
import { isDatabaseUnavailable } from '../db/database.js';
import { UnknownTerminalError } from '../store/closes.js';
import { ConsoleUserError } from '../store/console/users.js';
import { AuthorisationError, InvalidBatchError } from '../store/ingest.js';
import { ReviewNotCreditableError, ReviewResolvedError, UnknownReviewError } from '../store/reviews.js';
import { InvalidInputError, StoreExistsError, UnknownStoreError } from '../store/stores.js';
import { EnrollmentCodeError, KeyInUseError } from '../store/terminals.js';
import { scrub } from './logging.js';

/** An error with its HTTP answer. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly problems?: ErrorBody['problems'],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return this.problems
      ? { error: this.code, message: this.message, problems: this.problems }
      : { error: this.code, message: this.message };
  }
}

/** At most this many problems are listed; a body with more says how many there were. */
export const MAX_PROBLEMS = 200;

/** `events[3].payload.points`; the root is named after where the input came from (`body`, `query`). */
export function problemPath(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out;
}

export function validationError(error: ZodError, root: string): HttpError {
  const problems = error.issues
    .slice(0, MAX_PROBLEMS)
    .map((issue) => ({ path: problemPath(issue.path, root), message: issue.message }));
  const total = error.issues.length;
  const message =
    total > MAX_PROBLEMS
      ? `The request ${root} is not valid: ${total} problems, the first ${MAX_PROBLEMS} listed.`
      : `The request ${root} is not valid: ${total === 1 ? '1 problem' : `${total} problems`}.`;
  return new HttpError(400, 'invalid-request', message, problems);
}

/** Parses request input with a zod schema; a 400 listing every problem when it does not fit. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root: 'body' | 'query' | 'params',
): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw validationError(result.error, root);
  return result.data;
}

/** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 3;

/** The answer while the database cannot be reached: the client retries; pushes are idempotent by id. */
export function databaseUnavailable(): HttpError {
  return new HttpError(
    503,
    'database-unavailable',
    `HQ cannot reach its database right now. Retry in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
    undefined,
    { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
  );
}

/** Maps any thrown error to its HTTP answer; null for an unexpected one (a 500). */
export function toHttpError(error: unknown): HttpError | null {
  if (error instanceof HttpError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  if (error instanceof ZodError) return validationError(error, 'body');
  if (!(error instanceof Error)) return null;
  // A terminal pushing another terminal's (or store's) events.
  if (error instanceof AuthorisationError) return new HttpError(403, 'forbidden', error.message);
  if (error instanceof InvalidBatchError) {
    return new HttpError(400, 'invalid-request', error.message, error.problems.slice(0, MAX_PROBLEMS));
  }
  if (error instanceof EnrollmentCodeError)
    return new HttpError(403, `enrollment-code-${error.problem}`, error.message);
  if (error instanceof InvalidInputError) return new HttpError(400, 'invalid-request', error.message);
  if (error instanceof KeyInUseError) return new HttpError(409, 'key-in-use', error.message);
  if (error instanceof UnknownStoreError) return new HttpError(404, 'unknown-store', error.message);
  if (error instanceof UnknownTerminalError) return new HttpError(404, 'unknown-terminal', error.message);
  if (error instanceof StoreExistsError) return new HttpError(409, 'store-exists', error.message);
  if (error instanceof ConsoleUserError) {
    const status = { 'username-taken': 409, 'unknown-user': 404, 'invalid-stores': 400, 'last-admin': 409 };
    return new HttpError(status[error.code], error.code, error.message);
  }
  // The review queue's refusals: no such item, already decided, nothing to credit.
  if (error instanceof UnknownReviewError) return new HttpError(404, 'unknown-review', error.message);
  if (error instanceof ReviewResolvedError) return new HttpError(409, 'review-resolved', error.message);
  if (error instanceof ReviewNotCreditableError)
    return new HttpError(409, 'review-not-creditable', error.message);

  // Fastify's own request errors (body parsing, limits, content types).
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(
        413,
        'body-too-large',
        'The request body is larger than HQ accepts. Send fewer events per request.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(415, 'unsupported-media-type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(
        400,
        'invalid-json',
        'The body is empty but its content type is application/json.',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError(400, 'bad-content-length', 'The content length does not match the body.');
    // The router's own refusals (answered through frameworkErrors, before any hook runs).
    case 'FST_ERR_BAD_URL':
      return new HttpError(400, 'bad-url', 'The URL is not valid: a percent-encoded part is not UTF-8 text.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpError(400, 'invalid-request', 'A path parameter is longer than HQ accepts.');
    default:
      break;
  }
  // A JSON syntax error: its message quotes the body (card numbers…), so it is never repeated.
  const status = (error as FastifyError).statusCode;
  if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new HttpError(400, 'invalid-json', 'The request body is not valid JSON.');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, 'bad-request', scrub(error.message));
  }
  return null;
}

export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.statusCode).headers(error.headers).type('application/json').send(error.body());
}

export interface ErrorHandlerOptions {
  /**
   * Hears every database-unavailable error instead of the request log (DatabaseAvailability.failed logs
   * the outage once, however many requests fail during it).
   */
  onDatabaseUnavailable?: (error: unknown) => void;
}

/** Fastify's error handler: the error body for every known error, a bare logged 500 for the rest. */
export function createErrorHandler(options: ErrorHandlerOptions = {}) {
  return function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const known = toHttpError(error);
    if (known) {
      const { onDatabaseUnavailable } = options;
      if (known.code === 'database-unavailable' && onDatabaseUnavailable) onDatabaseUnavailable(error);
      else if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(
      reply,
      new HttpError(
        500,
        'internal',
        'HQ could not complete the request. It has been logged; try again later.',
      ),
    );
  };
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    new HttpError(
      404,
      'not-found',
      `There is no ${request.method} ${scrub(pathOf(request.url))} in this API.`,
    ),
  );
}

/** The path of a URL, without its query string (which may carry a card number). */
export const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

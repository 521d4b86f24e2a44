// Refuses input PostgreSQL cannot hold, or of a size no HQ field needs, with a 400 naming where it is
// (`query.card`, `body.events.3.payload.note`), before any route reads it and so before any SQL: a NUL
// byte or an unpaired surrogate in a WHERE clause or an INSERT is a driver error (a 500), not a refusal.
// The path parameters, query and headers HQ reads are checked when the request arrives (before the
// protocol and token gates); a JSON body is checked as it is parsed, after the gates, so an
// unauthenticated client still cannot make HQ read a body. Nesting depth is counted on the raw text
// before JSON.parse, whose recursion (and every recursive check after it) a deep body would overflow.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  INPUT_LIMITS,
  inputProblem,
  jsonDepthExceeds,
  type InputLimits,
  type InputProblem,
} from '../../src-shared/kernel/storable-text.js';
import { PROTOCOL_HEADER } from '../../src-shared/sync/protocol.js';
import { HttpError } from './errors.js';

/** The headers HQ reads (the others are never looked at, so never refused). */
export const GUARDED_HEADERS = ['authorization', PROTOCOL_HEADER, 'content-type'] as const;

export function inputError(problem: InputProblem): HttpError {
  return new HttpError(
    400,
    'invalid-request',
    `The request is not valid: ${problem.path} is ${problem.message}.`,
    [problem],
  );
}

/** The first problem in a request's path parameters, query and guarded headers, or null. */
export function requestProblem(
  request: Pick<FastifyRequest, 'params' | 'query' | 'headers'>,
  limits: InputLimits = INPUT_LIMITS,
): InputProblem | null {
  const params = inputProblem(request.params, 'params', limits);
  if (params) return params;
  const query = inputProblem(request.query, 'query', limits);
  if (query) return query;
  for (const name of GUARDED_HEADERS) {
    const value = request.headers[name];
    if (value === undefined) continue;
    const found = inputProblem(value, `headers.${name}`, limits);
    if (found) return found;
  }
  return null;
}

/** Registers the guard on `app` (before the protocol and token gates, which read headers). */
export function inputGuard(app: FastifyInstance, limits: InputLimits = INPUT_LIMITS): void {
  // eslint-disable-next-line @typescript-eslint/require-await -- async, so a throw is a rejection Fastify answers
  app.addHook('onRequest', async (request) => {
    const problem = requestProblem(request, limits);
    if (problem) throw inputError(problem);
  });

  // Fastify's own JSON parser (prototype poisoning refused) behind a depth count and the text checks.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, limits.maxDepth)) {
      done(inputError({ path: 'body', message: `nested deeper than ${limits.maxDepth} levels` }), undefined);
      return;
    }
    void parseJson(request, text, (error, value) => {
      if (error) {
        done(error, undefined);
        return;
      }
      const problem = inputProblem(value, 'body', limits);
      if (problem) done(inputError(problem), undefined);
      else done(null, value);
    });
  });
}

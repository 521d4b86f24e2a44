// What HQ's HTTP logs may contain (docs/architecture.md section 8: no PII or card data in logs): the method, the path
// without its query string, the status and timing, the request id and the terminal id. Never a header
// value (the Authorization header carries the bearer token), never a body, never a query string (the
// member lookup carries a card number or phone hash there). Error messages and paths are scrubbed of long
// digit runs and token-like strings, and a redaction list is a second line of defence.
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';

/** Paths pino replaces with [redacted] wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers',
  'headers',
  'authorization',
  '*.authorization',
  'token',
  '*.token',
  'card',
  '*.card',
  'code',
  'phoneHash',
  '*.phoneHash',
  'body',
  '*.body',
  'query',
  '*.query',
];

/** Replaces runs of 6+ digits (card numbers, phone numbers) and 32+ token-like characters. */
export function scrub(text: string): string {
  return text.replace(/[A-Za-z0-9_-]{32,}/g, '[redacted]').replace(/\d{6,}/g, '[digits]');
}

const pathOnly = (url: string | undefined): string => {
  if (!url) return '';
  const q = url.indexOf('?');
  return scrub(q === -1 ? url : url.slice(0, q));
};

type LoggedRequest = FastifyRequest | IncomingMessage;

export const serializers = {
  req(req: LoggedRequest) {
    const r = req as FastifyRequest & IncomingMessage;
    return {
      method: r.method,
      path: pathOnly(r.url),
      remoteAddress: r.ip ?? r.socket?.remoteAddress,
    };
  },
  res(reply: FastifyReply | { statusCode: number }) {
    return { statusCode: reply.statusCode };
  },
  /** Type, code, scrubbed message and stack; never an error's other fields (pg puts row values in `detail`). */
  err(err: unknown) {
    if (!(err instanceof Error)) return { message: scrub(String(err)) };
    return {
      type: err.name,
      code: (err as { code?: unknown }).code,
      message: scrub(err.message),
      stack: err.stack ? scrub(err.stack) : undefined,
    };
  },
};

/** HQ's API logger: the given logger with HQ's serializers and redaction. */
export function apiLogger(base: Logger): Logger {
  return base.child(
    { component: 'hq-api' },
    { serializers, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
  );
}

/** The default logger of a running HQ: JSON lines on stdout. */
export function defaultLogger(level = 'info'): Logger {
  return pino({ level });
}

// Rate limits on the two doors a guesser knocks at: console sign-in (per client IP and per username, so
// neither many addresses against one account nor one address against many accounts gets far) and terminal
// enrollment (per IP). Enrollment allows more: a store's tills share its one public address, and setting up
// a dozen in a minute is normal, while 30 guesses a minute are nothing against a 60-bit code. Nothing else
// is limited: terminals push and pull a lot.
// Counting is @fastify/rate-limit's (createRateLimit, its IPv6 /64 grouping), over a store that reads HQ's
// Clock, so a window is tested by moving a clock rather than by waiting. A refusal is HQ's error body, 429,
// with Retry-After.
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { FixedWindows, MAX_RATE_KEYS, type RateLimit } from '../../src-shared/kernel/rate-window.js';
import { HttpError } from './errors.js';

export type { RateLimit } from '../../src-shared/kernel/rate-window.js';

export interface RateLimits {
  signInPerIp: RateLimit;
  signInPerUsername: RateLimit;
  enrollPerIp: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerIp: { max: 10, windowMs: 60_000 },
  signInPerUsername: { max: 10, windowMs: 60_000 },
  enrollPerIp: { max: 30, windowMs: 60_000 },
};

/** A fixed-window counter per key on `clock` (src-shared's FixedWindows): the plugin's store interface. */
export function clockStore(clock: Clock, maxKeys = MAX_RATE_KEYS): FastifyRateLimitStoreCtor {
  return class ClockStore {
    private readonly windows = new FixedWindows(clock, maxKeys);

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const { count, ttlMs } = this.windows.hit(key, timeWindow);
      callback(null, { current: count, ttl: ttlMs });
    }

    child(): ClockStore {
      return new ClockStore();
    }
  };
}

type Limiter = (request: FastifyRequest) => Promise<void>;

function tooMany(what: string, retryAfterSeconds: number): HttpError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new HttpError(
    429,
    'rate-limited',
    `Too many ${what}. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
}

/** The username a sign-in names, as sign-in compares it; null when the body has none (a 400 later). */
function signInUsername(request: FastifyRequest): string | null {
  const username = (request.body as { username?: unknown } | null | undefined)?.username;
  return typeof username === 'string' && username.length <= 64 ? username.trim().toLowerCase() : null;
}

/**
 * Registers the plugin on `app` and returns an onRoute hook that puts the limits on their routes. Add the
 * hook before the routes are declared (onRoute hooks see only later routes).
 */
export function rateLimits(
  app: FastifyInstance,
  clock: Clock,
  limits: Partial<RateLimits> = {},
): (route: RouteOptions) => void {
  const { signInPerIp, signInPerUsername, enrollPerIp } = { ...DEFAULT_RATE_LIMITS, ...limits };
  void app.register(fastifyRateLimit, { global: false, store: clockStore(clock) });

  /** A limiter made on first use: the plugin decorates `app` only once it has loaded. */
  const limiter = (
    limit: RateLimit,
    what: string,
    keyOf?: (request: FastifyRequest) => string | null,
  ): Limiter => {
    let check: ReturnType<FastifyInstance['createRateLimit']> | undefined;
    return async (request) => {
      if (keyOf && keyOf(request) === null) return;
      check ??= app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowMs,
        ...(keyOf ? { keyGenerator: (r: FastifyRequest) => keyOf(r) ?? '' } : {}),
      });
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) throw tooMany(what, result.ttlInSeconds);
    };
  };

  const signInAttempts = 'sign-in attempts';
  // Per IP before the body is read; per username once it is.
  const limited: Record<string, { onRequest?: Limiter; preHandler?: Limiter }> = {
    'POST /v1/console/session': {
      onRequest: limiter(signInPerIp, `${signInAttempts} from this address`),
      preHandler: limiter(signInPerUsername, `${signInAttempts} for this username`, signInUsername),
    },
    'POST /v1/terminals/enroll': {
      onRequest: limiter(enrollPerIp, 'enrollment attempts from this address'),
    },
  };

  return (route) => {
    for (const method of [route.method].flat()) {
      const hooks = limited[`${method} ${route.url}`];
      if (!hooks) continue;
      for (const name of ['onRequest', 'preHandler'] as const) {
        const hook = hooks[name];
        if (!hook) continue;
        const existing = route[name];
        route[name] = [...(existing ? [existing].flat() : []), hook] as never;
      }
    }
  };
}

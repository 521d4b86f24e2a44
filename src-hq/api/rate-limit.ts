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
import { HttpError } from './errors.js';

export interface RateLimit {
  /** Attempts allowed in one window. */
  max: number;
  windowMs: number;
}

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

/** Counters kept at most (an address flood evicts the oldest windows, never grows memory). */
const MAX_KEYS = 10_000;

/** A fixed-window counter per key on `clock`: the plugin's store interface, with HQ's time source. */
export function clockStore(clock: Clock, maxKeys = MAX_KEYS): FastifyRateLimitStoreCtor {
  return class ClockStore {
    private readonly windows = new Map<string, { count: number; startedAt: number }>();

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = clock.now();
      let window = this.windows.get(key);
      if (!window || window.startedAt + timeWindow <= now) {
        this.windows.delete(key);
        this.makeRoom(now, timeWindow);
        window = { count: 0, startedAt: now };
        // Insertion order is window-start order: the first key is the oldest.
        this.windows.set(key, window);
      }
      window.count += 1;
      callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
    }

    child(): ClockStore {
      return new ClockStore();
    }

    private makeRoom(now: number, timeWindow: number): void {
      if (this.windows.size < maxKeys) return;
      for (const [key, window] of this.windows) {
        if (window.startedAt + timeWindow <= now) this.windows.delete(key);
      }
      while (this.windows.size >= maxKeys) {
        const oldest = this.windows.keys().next();
        if (oldest.done) break;
        this.windows.delete(oldest.value);
      }
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

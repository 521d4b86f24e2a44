// Rate limits per key (the caller's address) for the LAN server's unauthenticated doors (issue 16):
// challenges asked, and reads refused for want of a valid proof. Main may not use fastify (the import
// boundary keeps HQ's packages out of the terminal), so the counting is src-shared's FixedWindows, as
// HQ's rate limits count, with a verdict and the wait on top.
import type { Clock } from '../../src-shared/kernel/clock.js';
import { FixedWindows, MAX_RATE_KEYS, type RateLimit } from '../../src-shared/kernel/rate-window.js';

export type { RateLimit } from '../../src-shared/kernel/rate-window.js';

export type RateVerdict = { ok: true } | { ok: false; retryAfterMs: number };

export class RateWindow {
  private readonly windows: FixedWindows;

  constructor(
    private readonly limit: RateLimit,
    clock: Clock,
    maxKeys = MAX_RATE_KEYS,
  ) {
    this.windows = new FixedWindows(clock, maxKeys);
  }

  /** Counts one attempt of `key`; refused (with the wait) once the window's allowance is spent. */
  hit(key: string): RateVerdict {
    const { count, ttlMs } = this.windows.hit(key, this.limit.windowMs);
    return count <= this.limit.max ? { ok: true } : { ok: false, retryAfterMs: ttlMs };
  }

  /** Whether `key` is over its allowance now, without counting an attempt. */
  blocked(key: string): RateVerdict {
    const window = this.windows.peek(key, this.limit.windowMs);
    if (!window || window.count < this.limit.max) return { ok: true };
    return { ok: false, retryAfterMs: window.ttlMs };
  }
}

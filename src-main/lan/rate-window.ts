// Fixed-window rate limits per key (the caller's address) for the LAN server's unauthenticated doors
// (issue 16): challenges asked, and reads refused for want of a valid proof. Main may not use fastify (the
// import boundary keeps HQ's packages out of the terminal), so this replaces @fastify/rate-limit's counter:
// on the Clock, so a window is tested by moving a clock, and bounded, so an address flood evicts the
// oldest windows instead of growing memory.
import type { Clock } from '../../src-shared/kernel/clock.js';

export interface RateLimit {
  /** Attempts allowed in one window. */
  max: number;
  windowMs: number;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterMs: number };

/** Windows kept at most. */
const MAX_KEYS = 10_000;

export class RateWindow {
  private readonly windows = new Map<string, { count: number; startedAt: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Counts one attempt of `key`; refused (with the wait) once the window's allowance is spent. */
  hit(key: string): RateVerdict {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + this.limit.windowMs <= now) {
      this.windows.delete(key);
      this.makeRoom(now);
      window = { count: 0, startedAt: now };
      // Insertion order is window-start order: the first key is the oldest.
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit.max) return { ok: true };
    return { ok: false, retryAfterMs: window.startedAt + this.limit.windowMs - now };
  }

  /** Whether `key` is over its allowance now, without counting an attempt. */
  blocked(key: string): RateVerdict {
    const window = this.windows.get(key);
    const now = this.clock.now();
    if (!window || window.startedAt + this.limit.windowMs <= now || window.count < this.limit.max)
      return { ok: true };
    return { ok: false, retryAfterMs: window.startedAt + this.limit.windowMs - now };
  }

  private makeRoom(now: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) {
      if (window.startedAt + this.limit.windowMs <= now) this.windows.delete(key);
    }
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}

// Fixed-window counters per key, on a Clock: the counting behind HQ's rate limits (@fastify/rate-limit's
// store, src-hq/api/rate-limit.ts) and the store-LAN server's (src-main/lan/rate-window.ts). On the Clock, so
// a window is tested by moving a clock rather than by waiting; bounded in keys, so a flood of addresses
// evicts the oldest windows instead of growing memory.
import type { Clock } from './clock.js';

export interface RateLimit {
  /** Attempts allowed in one window. */
  max: number;
  windowMs: number;
}

/** A key's window now: the attempts counted in it, and the time until it ends. */
export interface WindowCount {
  count: number;
  ttlMs: number;
}

/** Windows kept at most, by default. */
export const MAX_RATE_KEYS = 10_000;

export class FixedWindows {
  private readonly windows = new Map<string, { count: number; startedAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxKeys = MAX_RATE_KEYS,
  ) {}

  /** Counts one attempt of `key` in its window of `windowMs` (a new window once the last one ended). */
  hit(key: string, windowMs: number): WindowCount {
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (!window || window.startedAt + windowMs <= now) {
      this.windows.delete(key);
      this.makeRoom(now, windowMs);
      window = { count: 0, startedAt: now };
      // Insertion order is window-start order: the first key is the oldest.
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, ttlMs: window.startedAt + windowMs - now };
  }

  /** `key`'s current window without counting an attempt; null when it has none running. */
  peek(key: string, windowMs: number): WindowCount | null {
    const window = this.windows.get(key);
    const now = this.clock.now();
    if (!window || window.startedAt + windowMs <= now) return null;
    return { count: window.count, ttlMs: window.startedAt + windowMs - now };
  }

  /** How many windows are kept. */
  get size(): number {
    return this.windows.size;
  }

  private makeRoom(now: number, windowMs: number): void {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) {
      if (window.startedAt + windowMs <= now) this.windows.delete(key);
    }
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (oldest.done) break;
      this.windows.delete(oldest.value);
    }
  }
}

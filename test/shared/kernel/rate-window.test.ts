// FixedWindows (src-shared/kernel/rate-window.ts): the counting under HQ's and the LAN server's rate limits.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { FixedWindows } from '../../../src-shared/kernel/rate-window.js';

describe('FixedWindows', () => {
  it('counts attempts in a window, says when it ends, and starts a new one after', () => {
    const clock = new ManualClock(0);
    const windows = new FixedWindows(clock);
    expect(windows.hit('a', 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
    clock.advance(400);
    expect(windows.hit('a', 1_000)).toEqual({ count: 2, ttlMs: 600 });
    expect(windows.peek('a', 1_000)).toEqual({ count: 2, ttlMs: 600 });
    // Other keys count apart.
    expect(windows.hit('b', 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
    clock.advance(600);
    expect(windows.peek('a', 1_000)).toBe(null);
    expect(windows.hit('a', 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
  });

  it('keeps at most maxKeys windows: ended ones go first, then the oldest', () => {
    const clock = new ManualClock(0);
    const windows = new FixedWindows(clock, 2);
    windows.hit('a', 1_000);
    clock.advance(10);
    windows.hit('b', 1_000);
    clock.advance(10);
    windows.hit('c', 1_000);
    expect(windows.size).toBe(2);
    // 'a', the oldest, was evicted: it starts again at 1; 'c' is still counted.
    expect(windows.peek('a', 1_000)).toBe(null);
    expect(windows.hit('c', 1_000).count).toBe(2);
    clock.advance(2_000);
    windows.hit('d', 1_000);
    expect(windows.size).toBeLessThanOrEqual(2);
    expect(windows.peek('d', 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
  });
});

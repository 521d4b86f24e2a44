// The one backoff: exponential, capped, with injected jitter, and a schedule that a success resets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackoffSchedule, backoffDelay } from '../../../src-shared/kernel/backoff.js';

describe('backoffDelay', () => {
  it('doubles from the first wait up to the cap', () => {
    const backoff = { initialMs: 250, maxMs: 5000 };
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(backoff, a))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });

  it('grows by the factor given', () => {
    expect(backoffDelay({ initialMs: 100, maxMs: 10_000, factor: 3 }, 2)).toBe(900);
  });

  it('stays at the cap after a very long outage (no Infinity or NaN)', () => {
    expect(backoffDelay({ initialMs: 1000, maxMs: 60_000 }, 5000)).toBe(60_000);
    expect(backoffDelay({ initialMs: 1000, maxMs: 60_000 }, Number.MAX_SAFE_INTEGER)).toBe(60_000);
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay({ initialMs: 250, maxMs: 5000 }, -3)).toBe(250);
  });

  it('jitters within [d × (1 − jitter), d] using the random source given', () => {
    const backoff = { initialMs: 1000, maxMs: 30_000, jitter: 0.5 };
    expect(backoffDelay(backoff, 1, () => 0)).toBe(1000);
    expect(backoffDelay(backoff, 1, () => 0.5)).toBe(1500);
    expect(backoffDelay(backoff, 1, () => 0.999999)).toBe(2000);
    fc.assert(
      fc.property(fc.nat(60), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (a, r) => {
        const capped = backoffDelay({ ...backoff, jitter: 0 }, a);
        const wait = backoffDelay(backoff, a, () => r);
        return wait >= Math.floor(capped / 2) && wait <= capped;
      }),
    );
  });
});

describe('BackoffSchedule', () => {
  it('counts failures, peeks without counting, and a success starts over', () => {
    const schedule = new BackoffSchedule({ initialMs: 1000, maxMs: 4000 });
    expect(schedule.peek()).toBe(1000);
    expect([schedule.next(), schedule.next(), schedule.next(), schedule.next()]).toEqual([
      1000, 2000, 4000, 4000,
    ]);
    expect(schedule.attempts).toBe(4);
    expect(schedule.peek()).toBe(4000);
    schedule.reset();
    expect(schedule.attempts).toBe(0);
    expect(schedule.next()).toBe(1000);
  });
});

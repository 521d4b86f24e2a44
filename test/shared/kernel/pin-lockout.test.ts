// The per-person wrong-PIN lockout decision: five tries, a 30 s lock, doubling up to 15 minutes, a right
// PIN clearing everything; pure, so every case is a value in and a value out.
import { describe, expect, it } from 'vitest';
import {
  afterPinAttempt,
  lockDuration,
  NO_PIN_ATTEMPTS,
  PIN_LOCKOUT_RULES,
  pinGate,
  type PinAttempts,
} from '../../../src-shared/kernel/pin-lockout.js';

const T0 = Date.parse('2025-03-01T09:00:00Z');

/** `n` wrong PINs from `state` at `now`, each with the gate open. */
function wrong(state: PinAttempts | null, n: number, now: number): PinAttempts | null {
  let s = state;
  for (let i = 0; i < n; i++) {
    expect(pinGate(s ?? undefined, now).open).toBe(true);
    s = afterPinAttempt(s ?? undefined, false, now);
  }
  return s;
}

describe('pinGate and afterPinAttempt', () => {
  it('opens with five tries for someone with no record, and counts wrong PINs down', () => {
    expect(pinGate(undefined, T0)).toEqual({ open: true, triesLeft: 5 });
    const s = wrong(null, 3, T0);
    expect(s).toEqual({ failures: 3, lockouts: 0, lockedUntil: null });
    expect(pinGate(s!, T0)).toEqual({ open: true, triesLeft: 2 });
  });

  it('locks for 30 s on the fifth wrong PIN, and opens again with five tries when it ends', () => {
    const s = wrong(null, 5, T0)!;
    expect(s).toEqual({ failures: 0, lockouts: 1, lockedUntil: T0 + 30_000 });
    expect(pinGate(s, T0 + 29_999)).toEqual({ open: false, lockedUntil: T0 + 30_000 });
    expect(pinGate(s, T0 + 30_000)).toEqual({ open: true, triesLeft: 5 });
  });

  it('doubles each lockout that follows another without a right PIN, up to 15 minutes', () => {
    let s: PinAttempts | null = null;
    let now = T0;
    const lengths: number[] = [];
    for (let i = 0; i < 8; i++) {
      s = wrong(s, 5, now)!;
      lengths.push(s.lockedUntil! - now);
      now = s.lockedUntil!;
    }
    expect(lengths).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('clears the record on a right PIN: the next lockout is 30 s again', () => {
    const locked = wrong(wrong(null, 5, T0), 5, T0 + 30_000)!;
    expect(locked.lockouts).toBe(2);
    expect(afterPinAttempt(locked, true, T0 + 90_000)).toBeNull();
    const again = wrong(null, 5, T0 + 100_000)!;
    expect(again.lockedUntil! - (T0 + 100_000)).toBe(30_000);
  });

  it('takes other rules', () => {
    const rules = { maxFailures: 2, lockMs: 1_000, maxLockMs: 1_500 };
    const s = afterPinAttempt(afterPinAttempt(NO_PIN_ATTEMPTS, false, T0, rules)!, false, T0, rules)!;
    expect(s.lockedUntil).toBe(T0 + 1_000);
    expect(pinGate(s, T0, rules).open).toBe(false);
    expect(lockDuration(2, rules)).toBe(1_500);
    expect(lockDuration(1_000, PIN_LOCKOUT_RULES)).toBe(900_000);
  });
});

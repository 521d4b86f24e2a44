// The wrong-PIN lockout, per staff member: after `maxFailures` wrong PINs in a row that person's PIN is
// refused for a while, whatever is typed. The terminal's main process keeps the state (in a file, so a
// reload or a restart does not reset it) and asks these pure functions what to do; they read no clock and
// hold no state.
//
// Each lockout that follows another with no right PIN in between lasts twice as long, up to `maxLockMs`:
// with a flat 30 s lock a 4-digit PIN falls in about 8 hours of patient guessing at the counter; doubling
// to a 15-minute ceiling makes that about ten days, while a cashier who mistypes five times waits 30 s.
// Per person, not per terminal: a thief trying to guess one manager's PIN gains nothing by choosing another
// name, and one person's lockout does not stop the other cashiers signing in.

export interface PinLockoutRules {
  /** Wrong PINs in a row that start a lockout. */
  maxFailures: number;
  /** The first lockout. */
  lockMs: number;
  /** The longest lockout, however many came before. */
  maxLockMs: number;
}

/** Five tries, then 30 s (the renderer's former guard), doubling up to 15 minutes. */
export const PIN_LOCKOUT_RULES: PinLockoutRules = { maxFailures: 5, lockMs: 30_000, maxLockMs: 15 * 60_000 };

/** One staff member's record; absent means a clean slate. Instants in epoch milliseconds. */
export interface PinAttempts {
  /** Wrong PINs since the last right one or the last lockout. */
  failures: number;
  /** Lockouts since the last right PIN (sets the length of the next one). */
  lockouts: number;
  /** When the current or last lockout ends; null when there has been none. */
  lockedUntil: number | null;
}

export const NO_PIN_ATTEMPTS: PinAttempts = { failures: 0, lockouts: 0, lockedUntil: null };

export type PinGate = { open: true; triesLeft: number } | { open: false; lockedUntil: number };

/** Whether a PIN may be tried now, and how many wrong ones are left before a lockout. */
export function pinGate(
  attempts: PinAttempts | undefined,
  now: number,
  rules: PinLockoutRules = PIN_LOCKOUT_RULES,
): PinGate {
  const state = attempts ?? NO_PIN_ATTEMPTS;
  if (state.lockedUntil !== null && now < state.lockedUntil)
    return { open: false, lockedUntil: state.lockedUntil };
  return { open: true, triesLeft: Math.max(0, rules.maxFailures - state.failures) };
}

/** The length of lockout number `n` (1 for the first): doubling, capped. */
export function lockDuration(n: number, rules: PinLockoutRules = PIN_LOCKOUT_RULES): number {
  const doublings = Math.max(0, n - 1);
  // 2^doublings overflows nothing below 2^53; past the ceiling the cap applies anyway.
  return Math.min(rules.maxLockMs, rules.lockMs * 2 ** Math.min(doublings, 40));
}

/**
 * The record after a PIN was checked while the gate was open: a right PIN clears it (null: nothing to
 * keep); a wrong one counts, and the one that reaches `maxFailures` starts a lockout from `now`.
 */
export function afterPinAttempt(
  attempts: PinAttempts | undefined,
  right: boolean,
  now: number,
  rules: PinLockoutRules = PIN_LOCKOUT_RULES,
): PinAttempts | null {
  if (right) return null;
  const state = attempts ?? NO_PIN_ATTEMPTS;
  const failures = state.failures + 1;
  if (failures < rules.maxFailures) return { ...state, failures };
  const lockouts = state.lockouts + 1;
  return { failures: 0, lockouts, lockedUntil: now + lockDuration(lockouts, rules) };
}

// Exponential backoff, written once: every retry loop of the system (the renderer's HQ gate, the terminal's
// HQ event stream, the scanners' reconnect, HQ's LISTEN reconnect) waits initialMs × factor^attempt, capped
// at maxMs, optionally with jitter. Pure: randomness is injected, and the caller owns the timers.

/** A retry schedule. Attempt 0 is the first retry after a failure. */
export interface Backoff {
  /** First wait (attempt 0). */
  initialMs: number;
  /** Longest wait. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /**
   * Share of each wait that is random, 0..1 (default 0): the wait lies in [d × (1 − jitter), d]. Jitter
   * keeps many terminals that lost HQ together from all retrying at the same instant.
   */
  jitter?: number;
}

/** A random number in [0, 1). */
export type Random = () => number;

/** The wait before retry number `attempt` (0-based), in whole milliseconds. */
export function backoffDelay(backoff: Backoff, attempt: number, random: Random = Math.random): number {
  const factor = backoff.factor ?? 2;
  const raw = backoff.initialMs * factor ** Math.max(0, Math.floor(attempt));
  // A long outage makes the power overflow to Infinity: that is still "the longest wait".
  const capped = Math.min(backoff.maxMs, Number.isFinite(raw) ? raw : backoff.maxMs);
  const jitter = Math.min(1, Math.max(0, backoff.jitter ?? 0));
  if (jitter === 0) return Math.round(capped);
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}

/**
 * Counts consecutive failures and gives the wait each one starts; a success resets it. For loops that keep
 * their state in an object (a gate, a reconnecting connection).
 */
export class BackoffSchedule {
  private failures = 0;

  constructor(
    private readonly backoff: Backoff,
    private readonly random: Random = Math.random,
  ) {}

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.failures;
  }

  /** The wait the next failure will start, without counting it (jitter applied afresh). */
  peek(): number {
    return backoffDelay(this.backoff, this.failures, this.random);
  }

  /** A failure: counts it and returns the wait before the next try. */
  next(): number {
    const wait = backoffDelay(this.backoff, this.failures, this.random);
    this.failures += 1;
    return wait;
  }

  /** A success: the next failure starts from the first wait again. */
  reset(): void {
    this.failures = 0;
  }
}

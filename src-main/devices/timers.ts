// Timers for framing gaps and reconnect backoff, injectable so tests drive them by hand instead of waiting.
// Domain time (event timestamps) comes from the kernel Clock; this is only for "call me back in N ms".

/** An opaque handle returned by Timers.set. */
export type TimerHandle = { readonly __timer: unique symbol };

export interface Timers {
  set(callback: () => void, ms: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

/** The process's timers. Unref'd: a pending reconnect or gap timer never keeps Node alive on its own. */
export const systemTimers: Timers = {
  set: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle as unknown as TimerHandle;
  },
  clear: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

/** Reconnect schedule: initialMs × factor^attempt, capped at maxMs (attempt 0 is the first retry). */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const defaultBackoff: Backoff = { initialMs: 250, maxMs: 5000, factor: 2 };

export function backoffDelay(backoff: Backoff, attempt: number): number {
  const raw = backoff.initialMs * backoff.factor ** Math.max(0, attempt);
  return Math.round(Math.min(backoff.maxMs, Number.isFinite(raw) ? raw : backoff.maxMs));
}

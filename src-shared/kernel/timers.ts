// "Call me back in N ms", injected like the Clock: retries, reconnects, framing gaps and schedules run on
// Timers, so tests drive them by hand instead of waiting. Domain time (event timestamps) comes from the
// Clock; Timers only schedule callbacks. One interface for the renderer, the terminal's main and HQ.
import type { Clock } from './clock.js';

declare const timerHandle: unique symbol;
/** An opaque handle: only the Timers that returned it knows what it is. */
export type TimerHandle = { readonly [timerHandle]: true };

export interface Timers {
  setTimeout(run: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// setTimeout is not ECMAScript, but every host we run on (Node, Electron, Chromium) has it; typed here so
// the kernel needs no platform types.
interface HostTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
const host = globalThis as unknown as HostTimers;

/**
 * The host's timers. Where the handle can be unref'd (Node), it is: a pending retry or reconnect never
 * keeps a process alive on its own. In a browser this is the plain window timer.
 */
export const systemTimers: Timers = {
  setTimeout: (run, ms) => {
    const handle = host.setTimeout(run, ms);
    (handle as { unref?: () => void } | null)?.unref?.();
    return handle as TimerHandle;
  },
  clearTimeout: (handle) => host.clearTimeout(handle),
};

/**
 * Timers that fire only when a test says so. Each timer is due at the clock's time when set plus its delay;
 * `fireDue()` runs those due now, `fireAll()` runs every pending one. `requested` lists every delay asked for.
 */
export class ManualTimers implements Timers {
  private next = 1;
  private readonly pending = new Map<number, { at: number; ms: number; run: () => void }>();
  private waiters: { ms: number; resolve: () => void }[] = [];
  readonly requested: number[] = [];

  constructor(private readonly clock: Clock = { now: () => 0 }) {}

  setTimeout(run: () => void, ms: number): TimerHandle {
    const id = this.next++;
    this.pending.set(id, { at: this.clock.now() + ms, ms, run });
    this.requested.push(ms);
    for (const w of this.waiters.filter((w) => w.ms === ms)) w.resolve();
    this.waiters = this.waiters.filter((w) => w.ms !== ms);
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    const id: unknown = handle;
    if (typeof id === 'number') this.pending.delete(id);
  }

  /** Resolves when a timer of `ms` is next set (the code under test has reached that point). */
  whenSet(ms: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ ms, resolve }));
  }

  /** How many timers are pending. */
  get size(): number {
    return this.pending.size;
  }

  /** The delays of the pending timers, in the order they were set. */
  pendingDelays(): number[] {
    return [...this.pending.values()].map((t) => t.ms);
  }

  /** The instants at which pending timers are due, earliest first. */
  dueTimes(): number[] {
    return [...this.pending.values()].map((t) => t.at).sort((a, b) => a - b);
  }

  /** Runs (once) every timer due at or before the clock's time; returns how many ran. */
  fireDue(): number {
    const now = this.clock.now();
    return this.runAll([...this.pending.entries()].filter(([, t]) => t.at <= now));
  }

  /** Runs (once) every pending timer, due or not; returns how many ran. */
  fireAll(): number {
    return this.runAll([...this.pending.entries()]);
  }

  private runAll(due: [number, { run: () => void }][]): number {
    // Removed before any runs, so a callback that sets a new timer does not run it in the same call.
    for (const [id] of due) this.pending.delete(id);
    for (const [, t] of due) t.run();
    return due.length;
  }
}

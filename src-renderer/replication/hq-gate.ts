// The HQ gate: every replication request waits here after a failure, on the kernel's exponential backoff,
// so a terminal cut off from HQ for days does not hammer the link, and retries at once when there is news
// that HQ is back (its event stream reconnected, or someone asked to sync now).
//
// RxDB's own retry (`retryTime`) is a fixed, uninterruptible wait; it is set very short and this gate does
// the real waiting, because it can be woken.
import { BackoffSchedule } from '../../src-shared/kernel/backoff.js';
import type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';

export interface BackoffOptions {
  /** First wait after a failure (default 1 s). */
  initialMs?: number;
  /** Longest wait (default 60 s). */
  maxMs?: number;
}

export class HqGate {
  private readonly schedule: BackoffSchedule;
  private blocked: { promise: Promise<void>; release: () => void; timer: TimerHandle } | null = null;
  private closed = false;

  constructor(
    private readonly timers: Timers,
    options: BackoffOptions = {},
  ) {
    this.schedule = new BackoffSchedule({
      initialMs: options.initialMs ?? 1_000,
      maxMs: options.maxMs ?? 60_000,
    });
  }

  /** Resolves when a request may be made: at once, or when the backoff ends or the gate is woken. */
  ready(): Promise<void> {
    return this.blocked?.promise ?? Promise.resolve();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The wait the next failure will start (for the status). */
  get nextDelayMs(): number {
    return this.schedule.peek();
  }

  /** A request failed: hold the next ones back for a while (doubling up to the maximum). */
  failed(): void {
    if (this.closed) return;
    const delayMs = this.schedule.next();
    if (this.blocked) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    const timer = this.timers.setTimeout(() => this.open(), delayMs);
    this.blocked = { promise, release, timer };
  }

  /** A request succeeded: no more backoff. */
  succeeded(): void {
    this.schedule.reset();
    this.open();
  }

  /** News that HQ may be back: let waiting requests go now (the backoff delay is kept if they fail). */
  wake(): void {
    this.open();
  }

  /** Lets every waiter go for good (the replication is stopping). */
  close(): void {
    this.closed = true;
    this.open();
  }

  private open(): void {
    const blocked = this.blocked;
    if (!blocked) return;
    this.blocked = null;
    this.timers.clearTimeout(blocked.timer);
    blocked.release();
  }
}

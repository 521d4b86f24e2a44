// The nightly close: at a configured local time of the store's zone (daylight-saving changes included),
// on injected timers, retried a while later when it fails, until the next night.
import { HOUR_MS, type Clock } from '../../src-shared/kernel/clock.js';
import type { TimerHandle, Timers } from '../../src-shared/kernel/timers.js';
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import { businessDayOf, type CloseRecord, type DayCloser } from './day-closer.js';

const MINUTE_MS = 60_000;

/** Minutes after midnight of `HH:MM`; throws on anything else. */
export function parseCloseTime(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new RangeError(`The close time must be HH:MM (24 h), not ${JSON.stringify(hhmm)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * The next instant after `now` at which the zone's wall clock shows `hhmm` (to the minute). On a day
 * where that time does not exist (a daylight-saving jump), the first minute after the jump.
 */
export function nextLocalTime(now: number, hhmm: string, timeZone: string): number {
  const target = parseCloseTime(hhmm);
  const start = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const here = localTime(start, timeZone).minuteOfDay;
  const guess = start + ((target - here + 1440) % 1440) * MINUTE_MS;
  // The guess is off by the offset change when a daylight-saving change lies in between: search the
  // hours around it, first occurrence first (a time that happens twice runs at the first).
  for (let at = Math.max(start, guess - 3 * HOUR_MS); at <= guess + 3 * HOUR_MS; at += MINUTE_MS) {
    const minute = localTime(at, timeZone).minuteOfDay;
    if (minute === target) return at;
    const before = localTime(at - MINUTE_MS, timeZone).minuteOfDay;
    if (before < target && minute > target) return at;
  }
  return guess;
}

/**
 * The business day a nightly close at `at` closes: the day it runs on when the close time is in the
 * afternoon or evening (e.g. 23:30 closes today), the day before when it is in the morning (02:00 closes
 * yesterday).
 */
export function dayClosedAt(at: number, hhmm: string, timeZone: string): string {
  const closesToday = parseCloseTime(hhmm) >= 12 * 60;
  return businessDayOf(closesToday ? at : at - 12 * HOUR_MS, timeZone);
}

export interface CloseSchedulerOptions {
  closer: DayCloser;
  clock: Clock;
  timers: Timers;
  /** Local time of the nightly close, `HH:MM`. */
  at: string;
  /** After a failed close, try again this much later (default 15 min), until the next night. */
  retryMs?: number;
}

export class CloseScheduler {
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** A business day whose close failed and is retried before the next nightly close. */
  private retryDay: string | null = null;
  /** The instant of the next planned close (epoch ms), for the manager screen; null when stopped. */
  next: number | null = null;
  /** The close under way, or the last one (tests await it). */
  running: Promise<CloseRecord> | null = null;

  constructor(private readonly options: CloseSchedulerOptions) {
    parseCloseTime(options.at);
  }

  /** Plans the next close; call again when the store's zone may have changed (a new program). */
  reschedule(): void {
    if (this.stopped) return;
    const { clock, timers, closer } = this.options;
    const zone = closer.timeZone();
    const now = clock.now();
    if (this.timer !== null) timers.clearTimeout(this.timer);
    this.timer = null;
    if (!zone) {
      // No program yet: the close is planned when one arrives (the terminal calls reschedule()).
      this.next = null;
      return;
    }
    const nightly = nextLocalTime(now, this.options.at, zone);
    const retryAt = this.retryDay === null ? null : now + (this.options.retryMs ?? 15 * MINUTE_MS);
    const retry = retryAt !== null && retryAt < nightly;
    if (!retry) this.retryDay = null;
    const at = retry ? retryAt : nightly;
    this.next = at;
    this.timer = timers.setTimeout(
      () => {
        this.timer = null;
        const day = this.retryDay ?? dayClosedAt(clock.now(), this.options.at, zone);
        this.fire(day);
      },
      Math.max(0, at - now),
    );
  }

  stop(): void {
    this.stopped = true;
    this.next = null;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(day: string): void {
    // `running` settles once the next close is planned, so whoever awaits it sees `next` up to date.
    this.running = this.options.closer
      .closeDay(day)
      .catch((): CloseRecord | null => null)
      .then((record) => {
        this.retryDay = record === null || record.status === 'failed' ? day : null;
        this.reschedule();
        if (record === null) throw new Error(`The close of ${day} failed unexpectedly; it will be retried.`);
        return record;
      });
    this.running.catch(() => undefined);
  }
}

// When the nightly jobs run: every day at a local wall-clock time (e.g. 02:30 Europe/Paris), through one
// setTimeout to the next such instant, re-armed after each run. Daylight saving is handled by asking the
// time zone (Intl) what the local time of a candidate instant is: on the night a local time does not exist
// (clocks go forward) the run happens at the first minute after the gap; on the night it happens twice
// (clocks go back) it runs at the first. Several HQ processes may all schedule: the job_runs claim lets one
// of them do each job. The re-engagement deliveries' worker (engagement-deliveries.ts) and the scheduled
// program publications' poll (program-publications.ts) run beside them.
import type { Clock } from '../../src-shared/kernel/clock.js';
import { DAY_MS } from '../../src-shared/kernel/clock.js';
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import type { Db } from '../db/database.js';
import { startEngagementDeliveries } from './engagement-deliveries.js';
import { runNightlyJobs, type NightlyOptions, type NightlyReport } from './nightly.js';
import { schedulePublications } from './program-publications.js';

export interface Timer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers, unref'd: a schedule alone never keeps the process alive. */
export const nodeTimer: Timer = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // The schedule alone never keeps the process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ScheduleOptions {
  /** Local time `HH:MM`. */
  at: string;
  /** IANA time zone of `at`. */
  timeZone: string;
  timer?: Timer;
  /** Options for each run (the business day is always the run's own). */
  run?: Omit<NightlyOptions, 'businessDay'>;
  onRun?: (report: NightlyReport) => void;
  onError?: (error: unknown) => void;
  /** Told the instant of each next run, when it is armed. */
  onScheduled?: (at: number) => void;
  /** The re-engagement webhook deliveries' worker runs beside the jobs (engagement-deliveries.ts); false: not here. */
  deliveries?: boolean;
  /** Scheduled program publications are published when due (program-publications.ts); false: not here. */
  publications?: boolean;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(at: string): number {
  const m = HHMM.exec(at);
  if (!m) throw new RangeError(`${JSON.stringify(at)} is not a local time HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The instant at which the local wall clock in `timeZone` first reads `minute` on `date` or just after. */
function localInstant(date: string, minute: number, timeZone: string): number {
  // Start as if the zone were UTC, then correct by the difference the zone shows (twice covers DST).
  let guess = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  for (let i = 0; i < 3; i++) {
    const local = localTime(guess, timeZone);
    const diff = (dayNumber(local.date) - dayNumber(date)) * 1440 + local.minuteOfDay - minute;
    if (diff === 0) {
      // The night clocks go back, the same local time comes twice: take the first.
      for (const earlier of [60, 30]) {
        const e = localTime(guess - earlier * 60_000, timeZone);
        if (e.date === date && e.minuteOfDay === minute) return guess - earlier * 60_000;
      }
      return guess;
    }
    guess -= diff * 60_000;
  }
  // The local time does not exist that day (spring forward): move on minute by minute to the first one after.
  let t = guess - 120 * 60_000;
  for (let i = 0; i < 240; i++, t += 60_000) {
    const local = localTime(t, timeZone);
    if (local.date > date || (local.date === date && local.minuteOfDay >= minute)) return t;
  }
  return guess;
}

/** The first instant after `now` when the local time in `timeZone` is `at` (HH:MM). */
export function nextRunAt(now: number, at: string, timeZone: string): number {
  const minute = minutesOf(at);
  const today = localTime(now, timeZone).date;
  for (let d = 0; d < 3; d++) {
    const date = new Date((dayNumber(today) + d) * DAY_MS).toISOString().slice(0, 10);
    const t = localInstant(date, minute, timeZone);
    if (t > now) return t;
  }
  return now + DAY_MS;
}

/**
 * Runs the nightly jobs every day at `at` local time until the returned function is called. A run that
 * fails is reported to `onError` and the next one is still scheduled.
 */
export function scheduleNightlyJobs(db: Db, clock: Clock, options: ScheduleOptions): () => void {
  minutesOf(options.at);
  localTime(clock.now(), options.timeZone);
  const timer = options.timer ?? nodeTimer;
  let handle: unknown;
  let stopped = false;
  const arm = () => {
    if (stopped) return;
    const next = nextRunAt(clock.now(), options.at, options.timeZone);
    options.onScheduled?.(next);
    handle = timer.setTimeout(
      () => {
        handle = undefined;
        void fire();
      },
      Math.max(0, next - clock.now()),
    );
  };
  const fire = async () => {
    if (stopped) return;
    try {
      const report = await runNightlyJobs(db, clock, options.run ?? {});
      options.onRun?.(report);
    } catch (error) {
      options.onError?.(error);
    }
    arm();
  };
  arm();
  const stopDeliveries =
    options.deliveries === false
      ? () => undefined
      : startEngagementDeliveries(db, clock, {
          onError: (error) =>
            options.onError?.(new Error(`re-engagement deliveries: ${(error as Error).message}`)),
        });
  const stopPublications =
    options.publications === false
      ? () => undefined
      : schedulePublications(db, clock, {
          onError: (error) =>
            options.onError?.(new Error(`program publications: ${(error as Error).message}`)),
        });
  return () => {
    stopped = true;
    if (handle !== undefined) timer.clearTimeout(handle);
    stopDeliveries();
    stopPublications();
  };
}

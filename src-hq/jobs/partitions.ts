// The partition job: the events table is partitioned by month of occurred_at (migration 0018), and each
// month's partition is made ahead of time, so events land in their month and not in the default partition.
// Every `everyMs` (6 hours by default; the first run is at start) it makes the partitions of this month
// and the next `monthsAhead` (3 by default) that are missing, through the database's events_ensure_month,
// which serialises on an advisory lock (several HQ processes make each partition once) and moves into a
// new partition the events of its month that were held in the default one. Attaching a partition waits
// for readers of the default partition, so each month is tried under a lock timeout: a busy moment makes
// the job try again at its next run, months before the partition is needed, rather than stall ingest.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Db } from '../db/database.js';
import { nodeTimer, type Timer } from './schedule.js';

export interface PartitionOptions {
  /** Months after the current one to make partitions for (default 3). */
  monthsAhead?: number;
  /** How long one month's partition may wait for its locks (default 5 s). */
  lockTimeoutMs?: number;
}

/** The first day (`YYYY-MM-01`) of each UTC month from the month of `now` to `monthsAhead` after it. */
export function monthsToPartition(now: number, monthsAhead: number): string[] {
  const at = new Date(now);
  return Array.from({ length: monthsAhead + 1 }, (_, i) =>
    new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + i, 1)).toISOString().slice(0, 10),
  );
}

/** Makes the missing partitions of `months` (`YYYY-MM-01` or any day of the month); answers those made. */
export async function ensureMonthPartitions(
  db: Db,
  months: readonly string[],
  options: Pick<PartitionOptions, 'lockTimeoutMs'> = {},
): Promise<string[]> {
  const made: string[] = [];
  for (const month of months) {
    // One transaction per month: a month that cannot get its locks does not hold back the others.
    const created = await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('lock_timeout', $1, true)`, [`${options.lockTimeoutMs ?? 5_000}ms`]);
      const { rows } = await tx.query<{ created: boolean }>(
        'SELECT events_ensure_month($1::date) AS created',
        [month],
      );
      return rows[0]?.created === true;
    });
    if (created) made.push(month.slice(0, 7));
  }
  return made;
}

/** This month's partition and the next `monthsAhead` ones, as of the clock; answers the months made. */
export async function ensureEventPartitions(
  db: Db,
  clock: Clock,
  options: PartitionOptions = {},
): Promise<string[]> {
  return ensureMonthPartitions(db, monthsToPartition(clock.now(), options.monthsAhead ?? 3), options);
}

export interface PartitionScheduleOptions extends PartitionOptions {
  /** How often to look (default 6 hours). */
  everyMs?: number;
  timer?: Timer;
  /** Told the months (`YYYY-MM`) a run made, when it made any. */
  onCreated?: (months: string[]) => void;
  onError?: (error: unknown) => void;
}

/** Runs ensureEventPartitions now and every `everyMs` until the returned function is called. */
export function schedulePartitions(db: Db, clock: Clock, options: PartitionScheduleOptions = {}): () => void {
  const timer = options.timer ?? nodeTimer;
  const everyMs = options.everyMs ?? 6 * 3_600_000;
  let stopped = false;
  let handle: unknown;
  const run = async () => {
    handle = undefined;
    if (stopped) return;
    try {
      const made = await ensureEventPartitions(db, clock, options);
      if (made.length > 0) options.onCreated?.(made);
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) handle = timer.setTimeout(() => void run(), everyMs);
  };
  handle = timer.setTimeout(() => void run(), 0);
  return () => {
    stopped = true;
    if (handle !== undefined) timer.clearTimeout(handle);
  };
}

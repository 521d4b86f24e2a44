// The scheduled publication of program versions: every `everyMs` (30 s by default) HQ publishes the
// publications that are due. Each is taken under a row lock (store/program-drafts.ts publishNextDue), so
// several HQ processes polling together publish it once; it is a row in the database, so a restart only
// delays it to the first poll after the start.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Db } from '../db/database.js';
import { publishNextDue, type PublicationRow } from '../store/program-drafts.js';
import type { Timer } from './schedule.js';

/** Publishes every due publication; answers what it published (or marked failed). */
export async function publishDuePrograms(db: Db, clock: Clock): Promise<PublicationRow[]> {
  const done: PublicationRow[] = [];
  for (;;) {
    const next = await publishNextDue(db, clock);
    if (!next) return done;
    done.push(next);
  }
}

export interface PublicationScheduleOptions {
  /** How often to look for due publications; 30 s by default. */
  everyMs?: number;
  timer?: Timer;
  onPublished?: (publication: PublicationRow) => void;
  onError?: (error: unknown) => void;
}

const defaultTimer: Timer = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // The poll alone never keeps the process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Polls for due publications until the returned function is called; the first poll is immediate. */
export function schedulePublications(
  db: Db,
  clock: Clock,
  options: PublicationScheduleOptions = {},
): () => void {
  const timer = options.timer ?? defaultTimer;
  const everyMs = options.everyMs ?? 30_000;
  let stopped = false;
  let handle: unknown;
  const poll = async () => {
    handle = undefined;
    if (stopped) return;
    try {
      for (const publication of await publishDuePrograms(db, clock)) options.onPublished?.(publication);
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) handle = timer.setTimeout(() => void poll(), everyMs);
  };
  handle = timer.setTimeout(() => void poll(), 0);
  return () => {
    stopped = true;
    if (handle !== undefined) timer.clearTimeout(handle);
  };
}

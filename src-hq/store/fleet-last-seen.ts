// When HQ last heard from each terminal, for the console's fleet view ("online", "stale"). Every request
// that passes the terminal gate counts, and so does a stream that stays open; but a till pulls several
// collections per sync, so the column is written at most once a minute per terminal: an in-memory note
// of the last write spares the database a query per request, and the UPDATE's own condition keeps
// several HQ processes from writing more often than that between them.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { Queryable } from '../db/database.js';

/** How often last_seen_at is written for one terminal, at most. */
export const LAST_SEEN_EVERY_MS = 60_000;

/** Records that HQ heard from a terminal now, unless it did less than LAST_SEEN_EVERY_MS ago. */
export async function touchTerminal(db: Queryable, terminalId: string, clock: Clock): Promise<void> {
  const now = clock.now();
  await db.query(
    `UPDATE terminals SET last_seen_at = $2
     WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at <= $3)`,
    [terminalId, new Date(now).toISOString(), new Date(now - LAST_SEEN_EVERY_MS).toISOString()],
  );
}

/**
 * A recorder for one HQ process: `seen(id)` writes through touchTerminal when this process has not
 * written that terminal's last seen within LAST_SEEN_EVERY_MS, and otherwise does nothing.
 */
export function lastSeenRecorder(db: Queryable, clock: Clock): (terminalId: string) => Promise<void> {
  const written = new Map<string, number>();
  return async (terminalId) => {
    const now = clock.now();
    const last = written.get(terminalId);
    if (last !== undefined && now - last < LAST_SEEN_EVERY_MS) return;
    written.set(terminalId, now);
    await touchTerminal(db, terminalId, clock);
  };
}

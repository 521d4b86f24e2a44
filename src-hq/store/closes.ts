// The nightly day close (docs/architecture.md section 6): a terminal sends its figures for one business day (the
// store-local calendar date of its events' occurredAt), HQ computes the same figures from the events it
// holds, and compares them field by field. A match is recorded; a mismatch is recorded, answered with the
// differences and the terminalSeq ranges HQ never received, and put on the review queue. Never silently
// absorbed.
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { closeFiguresFromEvents, type CloseFigures, type CloseResponse } from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { openReview } from './reviews.js';
import { InvalidInputError } from './stores.js';

export const CLOSE_MISMATCH_REVIEW = 'close-mismatch';

/** The fields compared, in the order differences are reported. */
const COMPARED = ['firstSeq', 'lastSeq', 'count', 'lastHash', 'pointsIssued', 'pointsRedeemed'] as const;

/** A close from a terminal HQ does not know. */
export class UnknownTerminalError extends Error {
  override readonly name = 'UnknownTerminalError';
  constructor(readonly terminalId: string) {
    super(`There is no terminal ${JSON.stringify(terminalId)}.`);
  }
}

/** True for a real calendar date `YYYY-MM-DD` (not 2025-02-30). */
export function isCalendarDate(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

/**
 * A terminal's events of one business day ($1 terminal, $2 the day, $3 the store's zone). The day's bounds
 * are computed by PostgreSQL in the zone, so daylight-saving days are 23 or 25 hours long as they should
 * be; they are a range of occurred_at, the events' partition key (migration 0018), so only the day's month
 * partition is read, through its index on (terminal_id, occurred_at).
 */
export const CLOSE_EVENTS_SQL = `SELECT body FROM events
     WHERE terminal_id = $1
       AND occurred_at >= ($2::date)::timestamp AT TIME ZONE $3
       AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE $3
     ORDER BY terminal_seq`;

/**
 * HQ's figures for a terminal's business day: its events whose occurredAt falls on `businessDay` in the
 * store's `timeZone`, counted with the same function the terminal uses.
 */
export async function hqCloseFigures(
  db: Queryable,
  terminalId: string,
  businessDay: string,
  timeZone: string,
): Promise<CloseFigures> {
  if (!isCalendarDate(businessDay)) throw new InvalidInputError(`${businessDay} is not a calendar date.`);
  const { rows } = await db.query<{ body: LedgerEvent }>(CLOSE_EVENTS_SQL, [
    terminalId,
    businessDay,
    timeZone,
  ]);
  return closeFiguresFromEvents(
    businessDay,
    rows.map((r) => r.body),
  );
}

/** The terminalSeq ranges in [first, last] that HQ holds no event for, e.g. [[41, 42]]. */
export async function missingSeqRanges(
  db: Queryable,
  terminalId: string,
  first: number,
  last: number,
): Promise<[number, number][]> {
  if (first < 1 || last < first) return [];
  // Two sentinels just outside the range turn leading and trailing holes into ordinary gaps.
  const { rows } = await db.query<{ from_seq: number; to_seq: number }>(
    `WITH seqs AS (
       SELECT terminal_seq AS seq FROM events
       WHERE terminal_id = $1 AND terminal_seq BETWEEN $2::bigint AND $3::bigint
       UNION ALL SELECT $2::bigint - 1
       UNION ALL SELECT $3::bigint + 1
     ), steps AS (
       SELECT seq, lag(seq) OVER (ORDER BY seq) AS prev FROM seqs
     )
     SELECT prev + 1 AS from_seq, seq - 1 AS to_seq FROM steps WHERE seq > prev + 1 ORDER BY prev`,
    [terminalId, first, last],
  );
  return rows.map((r) => [r.from_seq, r.to_seq]);
}

function compare(terminal: CloseFigures, hq: CloseFigures): CloseResponse['differences'] {
  return COMPARED.filter((field) => terminal[field] !== hq[field]).map((field) => ({
    field,
    terminal: terminal[field],
    hq: hq[field],
  }));
}

function checkFigures(figures: CloseFigures): void {
  if (!isCalendarDate(figures.businessDay)) {
    throw new InvalidInputError(`businessDay ${figures.businessDay} is not a calendar date.`);
  }
  if (figures.count === 0) {
    if (figures.firstSeq !== 0 || figures.lastSeq !== 0 || figures.lastHash !== null) {
      throw new InvalidInputError('A day with no events has firstSeq 0, lastSeq 0 and lastHash null.');
    }
    return;
  }
  if (figures.firstSeq < 1 || figures.lastSeq < figures.firstSeq || figures.lastHash === null) {
    throw new InvalidInputError('A day with events has 1 ≤ firstSeq ≤ lastSeq and a lastHash.');
  }
  if (figures.count > figures.lastSeq - figures.firstSeq + 1) {
    throw new InvalidInputError(
      'count cannot exceed the number of sequence numbers from firstSeq to lastSeq.',
    );
  }
}

/**
 * Reconciles a terminal's figures with HQ's, in one transaction: records the close (a later close of the
 * same day replaces it, e.g. after the missing events were pushed) and, on a mismatch, opens a
 * `close-mismatch` review item unless one is already open for that terminal and day.
 */
export async function recordClose(
  db: Db,
  terminalId: string,
  figures: CloseFigures,
  clock: Clock,
): Promise<CloseResponse> {
  checkFigures(figures);
  return db.transaction(async (tx) => {
    const store = await tx.query<{ time_zone: string }>(
      'SELECT s.time_zone FROM terminals t JOIN stores s ON s.id = t.store_id WHERE t.id = $1',
      [terminalId],
    );
    const timeZone = store.rows[0]?.time_zone;
    if (timeZone === undefined) throw new UnknownTerminalError(terminalId);

    const hq = await hqCloseFigures(tx, terminalId, figures.businessDay, timeZone);
    const differences = compare(figures, hq);
    const missing = await missingSeqRanges(tx, terminalId, figures.firstSeq, figures.lastSeq);
    const status = differences.length === 0 && missing.length === 0 ? 'match' : 'mismatch';

    await tx.query(
      `INSERT INTO day_closes (terminal_id, business_day, terminal_figures, hq_figures, status, differences, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (terminal_id, business_day) DO UPDATE SET
         terminal_figures = EXCLUDED.terminal_figures, hq_figures = EXCLUDED.hq_figures,
         status = EXCLUDED.status, differences = EXCLUDED.differences, closed_at = EXCLUDED.closed_at`,
      [
        terminalId,
        figures.businessDay,
        JSON.stringify(figures),
        JSON.stringify(hq),
        status,
        JSON.stringify({ fields: differences, missing }),
        new Date(clock.now()).toISOString(),
      ],
    );

    if (status === 'mismatch') {
      const open = await tx.query(
        `SELECT 1 FROM review_items
         WHERE kind = $1 AND terminal_id = $2 AND status = 'open' AND details->>'businessDay' = $3`,
        [CLOSE_MISMATCH_REVIEW, terminalId, figures.businessDay],
      );
      if (open.rowCount === 0) {
        await openReview(tx, {
          kind: CLOSE_MISMATCH_REVIEW,
          terminalId,
          details: { businessDay: figures.businessDay, differences, missing, terminal: figures, hq },
        });
      }
    }
    return { status, hq, differences, missing };
  });
}

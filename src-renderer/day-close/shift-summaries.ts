// The manager's shift summary of a store day, read from this till's replica only (so it works offline) and
// kept current as events are recorded and HQ answers for them: the day's events of this till go through the
// pure summary (src-shared/reports/shift-summary.ts) with HQ's refusals marked as not counted, as the
// balance shown leaves them out (NOT_COUNTED).
import { combineLatest, distinctUntilChanged, map, of, switchMap, type Observable } from 'rxjs';
import { HOUR_MS } from '../../src-shared/kernel/clock.js';
import { shiftSummary, type ShiftSummary } from '../../src-shared/reports/shift-summary.js';
import type { CatalogReader } from '../db/catalog.js';
import { NOT_COUNTED, type Ledger } from '../db/ledger.js';
import type { EventRow } from '../db/schemas.js';
import type { SyncStatus } from '../sync-status/index.js';

export interface ShiftSummaryDeps {
  ledger: Ledger;
  sync: { status$: Observable<SyncStatus> };
  catalog: Pick<CatalogReader, 'program$'>;
}

/** The UTC window that holds every instant of a local date in any zone (as the day close reads it). */
export function dayWindow(businessDay: string): { from: string; to: string } {
  const [y, m, d] = businessDay.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  return {
    from: new Date(midnightUtc - 15 * HOUR_MS).toISOString(),
    to: new Date(midnightUtc + 39 * HOUR_MS).toISOString(),
  };
}

/**
 * This till's summary of `businessDay`, again on every change of its events; null until the till knows
 * who it is (enrolled) and the store's zone (a program).
 */
export function shiftSummary$(deps: ShiftSummaryDeps, businessDay: string): Observable<ShiftSummary | null> {
  const terminalId$ = deps.sync.status$.pipe(
    map((s) => s.terminalId),
    distinctUntilChanged(),
  );
  const zone$ = deps.catalog.program$.pipe(
    map((p) => p?.timeZone ?? null),
    distinctUntilChanged(),
  );
  const { from, to } = dayWindow(businessDay);
  const rows$ = deps.ledger.events
    .find({ selector: { occurredAt: { $gte: from, $lt: to } }, sort: [{ occurredAt: 'asc' }] })
    .$.pipe(map((docs) => docs.map((d) => d.toJSON() as EventRow)));
  return combineLatest([terminalId$, zone$]).pipe(
    switchMap(([terminalId, timeZone]) =>
      terminalId === null || timeZone === null
        ? of(null)
        : rows$.pipe(
            map((rows) =>
              shiftSummary({
                businessDay,
                timeZone,
                terminalId,
                events: rows.map((r) => ({ event: r.event, counted: !NOT_COUNTED.includes(r.status) })),
              }),
            ),
          ),
    ),
  );
}

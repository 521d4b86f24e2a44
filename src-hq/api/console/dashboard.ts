// The console's dashboard handlers (endpoints in src-shared/console/dashboard.ts): the range asked for in
// the program's local days, the stores the user may see (a store manager only theirs), then the reports.
import type { ConsoleUser } from '../../../src-shared/console/auth.js';
import {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  type dashboardEndpoints,
  type RangeQuery,
} from '../../../src-shared/console/dashboard.js';
import { localTime } from '../../../src-shared/kernel/zoned-time.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { DayRangeError, resolveDayRange, type DayRange } from '../../../src-shared/reports/day-range.js';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Queryable } from '../../db/database.js';
import { dashboardReport, type StoreSet } from '../../reports/dashboard.js';
import { roiReport } from '../../reports/roi.js';
import { currentProgram } from '../../store/programs.js';
import { HttpError } from '../errors.js';
import { assertStore, storeScope, type Handlers } from './call.js';

interface Scope {
  program: Program;
  range: DayRange;
  stores: StoreSet;
  storeId: string | null;
  /** The stores the user may see (the store filter's choices). */
  visible: StoreSet;
}

/** The program, the range (defaults: the last 30 days up to today) and the stores a call covers. */
async function scopeOf(db: Queryable, clock: Clock, user: ConsoleUser, query: RangeQuery): Promise<Scope> {
  const program = await currentProgram(db);
  if (!program)
    throw new HttpError(
      409,
      'no-program',
      'No program is published yet: the dashboard needs its point value and time zone.',
    );
  let range: DayRange;
  try {
    const today = localTime(clock.now(), program.timeZone).date;
    range = resolveDayRange(query, today, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS);
  } catch (error) {
    if (error instanceof DayRangeError) throw new HttpError(400, 'invalid-request', error.message);
    throw error;
  }
  const storeId = query.storeId ?? null;
  if (storeId !== null) assertStore(user, storeId);
  const visible = storeScope(user);
  return { program, range, stores: storeId !== null ? [storeId] : visible, storeId, visible };
}

export const dashboardHandlers: Handlers<typeof dashboardEndpoints> = {
  dashboard: async ({ db, clock, user, query }) => {
    const s = await scopeOf(db, clock, user, query);
    return dashboardReport(db, s.program, s.range, s.stores, s.storeId, s.visible);
  },
  roi: async ({ db, clock, user, query }) => {
    const { from, to, storeId, ...assumptions } = query;
    const s = await scopeOf(db, clock, user, { from, to, storeId });
    return roiReport(db, s.program, s.range, s.stores, s.storeId, assumptions, s.visible);
  },
};

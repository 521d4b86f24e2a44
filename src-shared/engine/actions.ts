// Action bonuses (review written, app installed, survey answered…): may the member get this one now?
// Each action has a limit per period, counted in the store's calendar: day, ISO week (Monday first),
// month, year, or lifetime.
import { DAY_MS } from '../kernel/clock.js';
import type { RefusalFigures } from '../kernel/problems.js';
import { err, ok, type Result } from '../kernel/result.js';
import { localTime } from '../kernel/zoned-time.js';
import type { Member } from '../ledger/member.js';
import type { Action, Program } from '../program/schema.js';

export type ActionPeriod = Action['limit']['period'];

export interface ActionRefusal {
  reason: 'action-unknown' | 'limit-reached' | 'member-inactive';
  message: string;
  /** The figures the message names (`period`: the limit's ActionPeriod), for the counter's languages. */
  figures?: RefusalFigures;
}

/** The Monday (`YYYY-MM-DD`) of the ISO week holding a local date whose weekday is 1 (Mon) … 7 (Sun). */
export function weekStart(date: string, weekday: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - (weekday - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The key of the period holding an instant in the store's zone; instants share a period iff keys match. */
export function periodKey(epochMs: number, period: ActionPeriod, timeZone: string): string {
  if (period === 'lifetime') return 'lifetime';
  const local = localTime(epochMs, timeZone);
  switch (period) {
    case 'day':
      return local.date;
    case 'week':
      return weekStart(local.date, local.weekday);
    case 'month':
      return local.month;
    case 'year':
      return local.month.slice(0, 4);
  }
}

const periodWords: Readonly<Record<ActionPeriod, string>> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  year: 'this year',
  lifetime: 'in total',
};

/** How often the member had an action in the period holding `at`, and how many more the limit allows. */
export interface ActionStanding {
  action: Action;
  used: number;
  left: number;
  /** "today", "this week", … "in total": the limit's period in words. */
  periodWords: string;
}

/** The member's standing for an action at an instant (counted in the store's calendar). */
export function actionStanding(
  member: Pick<Member, 'actions'>,
  action: Action,
  timeZone: string,
  at: number,
): ActionStanding {
  const { count, period } = action.limit;
  const current = periodKey(at, period, timeZone);
  let used = 0;
  for (const when of member.actions[action.id] ?? [])
    if (periodKey(Date.parse(when), period, timeZone) === current) used += 1;
  return { action, used, left: Math.max(0, count - used), periodWords: periodWords[period] };
}

/** The action and its points, or why the member cannot have it now. */
export function checkAction(
  member: Pick<Member, 'status' | 'actions'>,
  actionId: string,
  program: Pick<Program, 'actions' | 'timeZone'>,
  at: number,
): Result<{ action: Action; points: number }, ActionRefusal> {
  const action = program.actions.find((a) => a.id === actionId);
  if (!action)
    return err({ reason: 'action-unknown', message: `Unknown action "${actionId}"`, figures: { actionId } });
  if (member.status !== 'active')
    return err({
      reason: 'member-inactive',
      message: `This member account is ${member.status}: no bonus`,
      figures: { status: member.status },
    });
  const { used, left, periodWords: when } = actionStanding(member, action, program.timeZone, at);
  if (left === 0)
    return err({
      reason: 'limit-reached',
      message: `"${action.label}" already given ${used} ${used === 1 ? 'time' : 'times'} ${when} (limit ${action.limit.count})`,
      figures: { action: action.label, used, period: action.limit.period, limit: action.limit.count },
    });
  return ok({ action, points: action.points });
}

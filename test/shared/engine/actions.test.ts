import { describe, it, expect } from 'vitest';
import { actionStanding, checkAction, periodKey, weekStart } from '../../../src-shared/engine/actions.js';
import type { ProgramInput } from '../../../src-shared/program/schema.js';
import { at, makeMember, makeProgram } from './builders.js';

type Period = 'day' | 'week' | 'month' | 'year' | 'lifetime';
const programWith = (period: Period, count: number, timeZone = 'Europe/Paris') =>
  makeProgram({
    timeZone,
    actions: [
      { id: 'review', label: 'Review written', points: 25, limit: { count, period } },
    ] as ProgramInput['actions'],
  });
const withReviews = (...isos: string[]) => makeMember({ actions: { review: isos } });
const reason = (r: ReturnType<typeof checkAction>) => (r.ok ? 'ok' : r.error.reason);

describe('checkAction', () => {
  it('gives the action points when under the limit', () => {
    const program = programWith('day', 1);
    const r = checkAction(makeMember(), 'review', program, at('2026-03-11T10:00:00Z'));
    expect(r).toEqual({ ok: true, value: { action: program.actions[0], points: 25 } });
  });

  it('refuses an unknown action and an inactive member', () => {
    const program = programWith('day', 1);
    expect(checkAction(makeMember(), 'nope', program, 0)).toEqual({
      ok: false,
      error: { reason: 'action-unknown', message: 'Unknown action "nope"', figures: { actionId: 'nope' } },
    });
    expect(reason(checkAction(makeMember({ status: 'blocked' }), 'review', program, 0))).toBe(
      'member-inactive',
    );
  });

  it('counts per local day', () => {
    const program = programWith('day', 1);
    // 23:30Z on the 10th is 00:30 on the 11th in Paris.
    const m = withReviews('2026-03-10T23:30:00.000Z');
    const r = checkAction(m, 'review', program, at('2026-03-11T20:00:00Z'));
    expect(r).toEqual({
      ok: false,
      error: {
        reason: 'limit-reached',
        message: '"Review written" already given 1 time today (limit 1)',
        // What the message names, for the counter to say it in the store's language.
        figures: { action: 'Review written', used: 1, period: 'day', limit: 1 },
      },
    });
    expect(reason(checkAction(m, 'review', program, at('2026-03-11T23:00:00Z')))).toBe('ok'); // the 12th locally
    expect(
      reason(
        checkAction(withReviews('2026-03-10T22:30:00.000Z'), 'review', program, at('2026-03-11T10:00:00Z')),
      ),
    ).toBe('ok');
  });

  it('counts per ISO week, Monday first, in the store zone', () => {
    const program = programWith('week', 2);
    // Monday 2026-03-09 00:30 Paris and Sunday 2026-03-15 23:30 Paris are the same week.
    const m = withReviews('2026-03-08T23:30:00.000Z', '2026-03-12T10:00:00.000Z');
    expect(reason(checkAction(m, 'review', program, at('2026-03-15T22:30:00Z')))).toBe('limit-reached');
    expect(reason(checkAction(m, 'review', program, at('2026-03-15T23:30:00Z')))).toBe('ok'); // Monday 16th locally
    // Sunday 2026-03-08 22:30Z is still Sunday 23:30 in Paris: the previous week.
    expect(
      reason(
        checkAction(
          withReviews('2026-03-08T22:30:00.000Z', '2026-03-12T10:00:00.000Z'),
          'review',
          program,
          at('2026-03-13T10:00:00Z'),
        ),
      ),
    ).toBe('ok');
  });

  it('counts per month and per year', () => {
    const m = withReviews('2026-01-31T23:30:00.000Z', '2026-02-10T10:00:00.000Z'); // the first is Feb 1 in Paris
    expect(reason(checkAction(m, 'review', programWith('month', 2), at('2026-02-20T10:00:00Z')))).toBe(
      'limit-reached',
    );
    expect(reason(checkAction(m, 'review', programWith('month', 2), at('2026-03-01T10:00:00Z')))).toBe('ok');
    expect(reason(checkAction(m, 'review', programWith('year', 2), at('2026-12-31T22:59:00Z')))).toBe(
      'limit-reached',
    );
    expect(reason(checkAction(m, 'review', programWith('year', 2), at('2026-12-31T23:00:00Z')))).toBe('ok'); // 2027 locally
  });

  it('counts all awards for a lifetime limit', () => {
    const m = withReviews('2020-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
    expect(reason(checkAction(m, 'review', programWith('lifetime', 2), at('2030-01-01T00:00:00Z')))).toBe(
      'limit-reached',
    );
    expect(reason(checkAction(m, 'review', programWith('lifetime', 3), at('2030-01-01T00:00:00Z')))).toBe(
      'ok',
    );
  });

  it('computes period keys', () => {
    expect(weekStart('2026-03-15', 7)).toBe('2026-03-09');
    expect(weekStart('2026-03-09', 1)).toBe('2026-03-09');
    expect(weekStart('2026-01-01', 4)).toBe('2025-12-29'); // across a year
    expect(periodKey(at('2026-03-29T23:30:00Z'), 'day', 'Asia/Tokyo')).toBe('2026-03-30');
    expect(periodKey(at('2026-03-29T23:30:00Z'), 'week', 'Asia/Tokyo')).toBe('2026-03-30');
    expect(periodKey(at('2026-03-29T23:30:00Z'), 'week', 'UTC')).toBe('2026-03-23');
  });
});

describe('actionStanding', () => {
  it('counts the uses in the period holding the instant, and what the limit leaves', () => {
    const program = programWith('week', 3);
    const [review] = program.actions;
    if (!review) throw new Error('no action');
    // Monday 2026-03-09 00:30 Paris and Thursday 12th count; Sunday 8th 22:30 Paris is the week before.
    const m = withReviews('2026-03-08T21:30:00.000Z', '2026-03-08T23:30:00.000Z', '2026-03-12T10:00:00.000Z');
    expect(actionStanding(m, review, program.timeZone, at('2026-03-13T10:00:00Z'))).toEqual({
      action: review,
      used: 2,
      left: 1,
      periodWords: 'this week',
    });
    expect(actionStanding(m, review, program.timeZone, at('2026-03-16T10:00:00Z'))).toMatchObject({
      used: 0,
      left: 3,
    });
  });

  it('never leaves fewer than none when the member had more than the limit', () => {
    const program = programWith('lifetime', 1);
    const [review] = program.actions;
    if (!review) throw new Error('no action');
    const m = withReviews('2020-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
    expect(actionStanding(m, review, program.timeZone, at('2026-03-13T10:00:00Z'))).toEqual({
      action: review,
      used: 2,
      left: 0,
      periodWords: 'in total',
    });
    expect(actionStanding(makeMember(), review, program.timeZone, 0)).toMatchObject({ used: 0, left: 1 });
  });

  it('agrees with checkAction: refused exactly when nothing is left', () => {
    const program = programWith('day', 2);
    const [review] = program.actions;
    if (!review) throw new Error('no action');
    const now = at('2026-03-11T10:00:00Z');
    let m = makeMember();
    for (let i = 0; i < 3; i += 1) {
      const standing = actionStanding(m, review, program.timeZone, now);
      expect(standing.used).toBe(i === 2 ? 2 : i);
      expect(reason(checkAction(m, 'review', program, now))).toBe(
        standing.left === 0 ? 'limit-reached' : 'ok',
      );
      m = withReviews(...(m.actions.review ?? []), new Date(now - i * 1000).toISOString());
    }
  });
});

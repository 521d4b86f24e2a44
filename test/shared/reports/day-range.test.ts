import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysIn,
  DayRangeError,
  eachDay,
  resolveDayRange,
} from '../../../src-shared/reports/day-range.js';

describe('day ranges', () => {
  it('defaults to the last N days up to today and keeps what is asked', () => {
    expect(resolveDayRange({}, '2025-03-01', 30, 732)).toEqual({ from: '2025-01-31', to: '2025-03-01' });
    expect(resolveDayRange({ to: '2024-03-01' }, '2025-01-01', 2, 732)).toEqual({
      from: '2024-02-29',
      to: '2024-03-01',
    });
    expect(resolveDayRange({ from: '2025-01-01', to: '2025-01-01' }, '2025-06-01', 30, 732)).toEqual({
      from: '2025-01-01',
      to: '2025-01-01',
    });
  });

  it('refuses a range that ends before it starts or is longer than the most allowed', () => {
    expect(() => resolveDayRange({ from: '2025-01-02', to: '2025-01-01' }, '2025-06-01', 30, 732)).toThrow(
      DayRangeError,
    );
    expect(() => resolveDayRange({ from: '2025-01-01', to: '2025-01-31' }, '2025-06-01', 30, 30)).toThrow(
      /at most 30 days/,
    );
    expect(resolveDayRange({ from: '2025-01-02', to: '2025-01-31' }, '2025-06-01', 30, 30).from).toBe(
      '2025-01-02',
    );
  });

  it('lists every day once, in order, across month ends, leap days and DST changes', () => {
    expect(eachDay({ from: '2024-02-28', to: '2024-03-01' })).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(eachDay({ from: '2025-03-29', to: '2025-03-31' })).toEqual([
      '2025-03-29',
      '2025-03-30',
      '2025-03-31',
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 800 }), (start, length) => {
        const from = addDays('1990-01-01', start);
        const range = { from, to: addDays(from, length) };
        const days = eachDay(range);
        expect(days).toHaveLength(daysIn(range));
        expect(days).toHaveLength(length + 1);
        expect(days[0]).toBe(range.from);
        expect(days[days.length - 1]).toBe(range.to);
        expect([...days].sort()).toEqual(days);
        expect(new Set(days).size).toBe(days.length);
      }),
    );
  });
});

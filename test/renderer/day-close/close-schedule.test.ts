// The nightly close's clock arithmetic: the next close time in the store's zone, across daylight-saving
// changes, and the business day a close at a given time closes.
import { describe, expect, it } from 'vitest';
import { dayClosedAt, nextLocalTime } from '../../../src-renderer/day-close/close-schedule.js';

describe('close schedule', () => {
  it('plans the nightly close in the store zone, across daylight-saving changes', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(nextLocalTime(at('2025-03-03T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-03T23:30:00Z'),
    );
    expect(nextLocalTime(at('2025-03-03T23:30:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-04T23:30:00Z'),
    );
    // Summer time (UTC+1) from 30 March 01:00 UTC.
    expect(nextLocalTime(at('2025-03-29T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-29T23:30:00Z'),
    );
    expect(nextLocalTime(at('2025-03-30T12:00:00Z'), '23:30', 'Europe/Dublin')).toBe(
      at('2025-03-30T22:30:00Z'),
    );
    // 01:30 does not exist on 30 March: the first minute after the jump (02:00 local).
    expect(nextLocalTime(at('2025-03-29T23:00:00Z'), '01:30', 'Europe/Dublin')).toBe(
      at('2025-03-30T01:00:00Z'),
    );
    expect(dayClosedAt(at('2025-03-03T23:30:00Z'), '23:30', 'Europe/Dublin')).toBe('2025-03-03');
    expect(dayClosedAt(at('2025-03-04T02:00:00Z'), '02:00', 'Europe/Dublin')).toBe('2025-03-03');
  });
});

// The words and numbers on screen: countdowns, clock times, points, names, search kinds.
import { describe, expect, it } from 'vitest';
import {
  displayNameOf,
  formatClockTime,
  formatCountdown,
  formatPoints,
  humanise,
  parsePointsChange,
  pointsText,
  searchKind,
  signedPointsText,
} from '../../../src-renderer/hooks/format.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('formatCountdown', () => {
  it('shows seconds only in the last minute', () => {
    expect(formatCountdown(0)).toBe('0 s');
    expect(formatCountdown(-5 * S)).toBe('0 s');
    expect(formatCountdown(1)).toBe('1 s'); // rounds up: never "0 s" before the change
    expect(formatCountdown(45 * S)).toBe('45 s');
    expect(formatCountdown(59 * S + 1)).toBe('1 min');
  });

  it('shows minutes, hours and minutes, then days and hours', () => {
    expect(formatCountdown(60 * S)).toBe('1 min');
    expect(formatCountdown(59 * MIN)).toBe('59 min');
    expect(formatCountdown(H)).toBe('1 h 00 min');
    expect(formatCountdown(23 * H + 59 * MIN + 30 * S)).toBe('23 h 59 min');
    expect(formatCountdown(5 * H + 3 * MIN)).toBe('5 h 03 min');
    expect(formatCountdown(47 * H + 59 * MIN)).toBe('47 h 59 min');
    expect(formatCountdown(48 * H)).toBe('2 d 0 h');
    expect(formatCountdown(72 * H + 5 * H + 10 * MIN)).toBe('3 d 5 h');
  });
});

describe('clock and numbers', () => {
  it('formats a time of day in the store zone', () => {
    const at = Date.UTC(2026, 0, 15, 14, 5); // winter: Dublin is UTC+0
    expect(formatClockTime(at, 'Europe/Dublin')).toBe('14:05');
    expect(formatClockTime(Date.UTC(2026, 6, 15, 14, 5), 'Europe/Dublin')).toBe('15:05');
    expect(formatClockTime(at, 'Asia/Tokyo')).toBe('23:05');
  });

  it('groups points and names them', () => {
    expect(formatPoints(1240)).toBe('1,240');
    expect(pointsText(1240)).toBe('1,240 points');
    expect(pointsText(1)).toBe('1 point');
    expect(pointsText(0)).toBe('0 points');
    expect(signedPointsText(50)).toBe('+50 points');
    expect(signedPointsText(-20)).toBe('-20 points');
  });

  it('reads signed point changes', () => {
    expect(parsePointsChange('+50')).toBe(50);
    expect(parsePointsChange('-20')).toBe(-20);
    expect(parsePointsChange(' 75 ')).toBe(75);
    expect(parsePointsChange('\u221210')).toBe(-10);
    for (const bad of ['', '0', '-0', '1.5', 'abc', '5 points', '1e3'])
      expect(parsePointsChange(bad)).toBeNull();
  });
});

describe('names and search', () => {
  it('makes the counter name: first name and initial', () => {
    expect(displayNameOf('Aoife', 'Kelly')).toBe('Aoife K.');
    expect(displayNameOf('  Mary  Ann ', "o'brien")).toBe('Mary Ann O.');
    expect(displayNameOf('Cher', '')).toBe('Cher');
    expect(displayNameOf('X'.repeat(60), 'Y').length).toBeLessThanOrEqual(40);
  });

  it('tells a phone number from a name', () => {
    expect(searchKind('087 123 4567')).toBe('phone');
    expect(searchKind('+353 (0)87-123.4567')).toBe('phone');
    expect(searchKind('Aoife')).toBe('name');
    expect(searchKind("O'Brien")).toBe('name');
    expect(searchKind('  ')).toBe('empty');
  });

  it('turns ids into words', () => {
    expect(humanise('fresh-produce')).toBe('Fresh produce');
    expect(humanise('points_earned')).toBe('Points earned');
  });
});

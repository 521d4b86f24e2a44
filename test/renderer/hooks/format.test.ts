// The words and numbers on screen: countdowns, clock times, points, names, search kinds; and money, numbers
// and dates in the store's locale (en-IE, en-GB, fr-FR, fr-BE), in the store's zone.
import { afterEach, describe, expect, it } from 'vitest';
import {
  displayNameOf,
  formatClockTime,
  formatCountdown,
  formatDateTime,
  formatDateTimeSeconds,
  formatDay,
  formatMonthYear,
  formatNumber,
  formatPoints,
  humanise,
  moneyText,
  parsePointsChange,
  pointsText,
  searchKind,
  signedPointsText,
} from '../../../src-renderer/hooks/format.js';
import { currentLocale, missingKeys, speakLocale } from '../../../src-renderer/i18n/index.js';
import { formatMoney } from '../../../src-shared/kernel/money.js';

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

  it("abbreviates the units in the store's language", async () => {
    await speakLocale('fr-FR');
    try {
      expect(formatCountdown(72 * H + 5 * H + 10 * MIN)).toBe('3 j 5 h');
      expect(formatCountdown(5 * H + 3 * MIN)).toBe('5 h 03 min');
      expect(formatCountdown(59 * MIN)).toBe('59 min');
      expect(formatCountdown(45 * S)).toBe('45 s');
      expect(missingKeys()).toEqual([]);
    } finally {
      await speakLocale('en-IE');
    }
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

// Intl's French spacing: a narrow no-break space groups digits, a no-break space stands before "€".
const NNBSP = '\u202f';
const NBSP = '\u00a0';

describe("money in the store's locale", () => {
  it('writes euros the Irish and British way: the sign first, a decimal point, commas grouping', () => {
    for (const locale of ['en-IE', 'en-GB']) {
      expect(moneyText(500, 'EUR', locale), locale).toBe('€5.00');
      expect(moneyText(0, 'EUR', locale), locale).toBe('€0.00');
      expect(moneyText(5, 'EUR', locale), locale).toBe('€0.05');
      expect(moneyText(123_450, 'EUR', locale), locale).toBe('€1,234.50');
      expect(moneyText(-1250, 'EUR', locale), locale).toBe('-€12.50');
    }
    expect(moneyText(1999, 'GBP', 'en-GB')).toBe('£19.99');
  });

  it('writes euros the French and Belgian way: a decimal comma, the sign after, spaces grouping', () => {
    for (const locale of ['fr-FR', 'fr-BE']) {
      expect(moneyText(500, 'EUR', locale), locale).toBe(`5,00${NBSP}€`);
      expect(moneyText(0, 'EUR', locale), locale).toBe(`0,00${NBSP}€`);
      expect(moneyText(123_450, 'EUR', locale), locale).toBe(`1${NNBSP}234,50${NBSP}€`);
      expect(moneyText(-1250, 'EUR', locale), locale).toBe(`-12,50${NBSP}€`);
    }
  });

  it("shows a currency's own minor digits: none for yen, three for dinars", () => {
    // JPY amounts are whole yen (kernel/money.ts): 1240 minor units are ¥1,240, not ¥12.40.
    expect(moneyText(1240, 'JPY', 'en-IE')).toBe('JP¥1,240');
    expect(moneyText(-1240, 'JPY', 'en-IE')).toBe('-JP¥1,240');
    expect(moneyText(1240, 'JPY', 'fr-FR')).toBe(`1${NNBSP}240${NBSP}JPY`);
    expect(moneyText(1_234_567, 'KWD', 'en-IE')).toBe('KWD\u00a01,234.567');
  });

  it('is exact for amounts no float holds as cents', () => {
    // The largest safe count of cents, divided by 100 as a float, prints ...409.90 (doubles near 9e13 are
    // 1/64 apart); moving the decimal point in the digits keeps the last cent.
    expect(moneyText(Number.MAX_SAFE_INTEGER, 'EUR', 'en-IE')).toBe('€90,071,992,547,409.91');
    expect(moneyText(1, 'EUR', 'fr-FR')).toBe(`0,01${NBSP}€`);
  });

  it('keeps the fixed style of slips and the CLI in src-shared, whatever the screen shows', () => {
    expect(formatMoney(500, 'EUR')).toBe('5.00 EUR');
    expect(formatMoney(-1250, 'EUR')).toBe('-12.50 EUR');
  });
});

describe("numbers and dates in the store's locale", () => {
  it('groups whole numbers the way of the locale', () => {
    expect(formatNumber(1240, 'en-IE')).toBe('1,240');
    expect(formatNumber(1240, 'en-GB')).toBe('1,240');
    expect(formatNumber(1240, 'fr-FR')).toBe(`1${NNBSP}240`);
    expect(formatNumber(1240, 'fr-BE')).toBe(`1${NNBSP}240`);
    expect(formatNumber(-1_000_000, 'fr-FR')).toBe(`-1${NNBSP}000${NNBSP}000`);
    expect(formatNumber(999, 'fr-FR')).toBe('999');
    expect(formatPoints(-12_400, 'en-IE')).toBe('-12,400');
  });

  it('writes a day and a month in the words of the locale, in the store zone', () => {
    // 23:30 UTC on 10 March is already the 11th in Paris.
    const lateEvening = Date.UTC(2027, 2, 10, 23, 30);
    expect(formatDay(lateEvening, 'Europe/Paris', 'en-IE')).toBe('11 Mar 2027');
    expect(formatDay(lateEvening, 'Europe/Paris', 'fr-FR')).toBe('11 mars 2027');
    expect(formatDay(lateEvening, 'Europe/Dublin', 'en-IE')).toBe('10 Mar 2027');
    expect(formatMonthYear(Date.UTC(2025, 1, 15), 'Europe/Paris', 'en-GB')).toBe('Feb 2025');
    expect(formatMonthYear(Date.UTC(2025, 1, 15), 'Europe/Paris', 'fr-BE')).toBe('févr. 2025');
  });

  it('reads the clock across the spring change in Paris (02:00 CET becomes 03:00 CEST)', () => {
    const beforeChange = Date.UTC(2027, 2, 28, 0, 30); // 01:30 CET
    const afterChange = Date.UTC(2027, 2, 28, 1, 30); // an hour later: 03:30 CEST
    for (const locale of ['en-IE', 'en-GB', 'fr-FR', 'fr-BE']) {
      expect(formatClockTime(beforeChange, 'Europe/Paris', locale), locale).toBe('01:30');
      expect(formatClockTime(afterChange, 'Europe/Paris', locale), locale).toBe('03:30');
    }
    expect(formatDateTime(beforeChange, 'Europe/Paris', 'en-IE')).toBe('28 Mar, 01:30');
    expect(formatDateTime(afterChange, 'Europe/Paris', 'en-IE')).toBe('28 Mar, 03:30');
    expect(formatDateTime(afterChange, 'Europe/Paris', 'fr-FR')).toBe('28 mars, 03:30');
    expect(formatDateTimeSeconds(afterChange + 7000, 'Europe/Paris', 'fr-BE')).toBe('28 mars, 03:30:07');
  });

  it('reads the clock across the autumn change, when 02:30 comes twice', () => {
    const first = Date.UTC(2027, 9, 31, 0, 30); // 02:30 CEST
    const second = Date.UTC(2027, 9, 31, 1, 30); // 02:30 CET, an hour later
    expect(formatDateTime(first, 'Europe/Paris', 'fr-FR')).toBe('31 oct., 02:30');
    expect(formatDateTime(second, 'Europe/Paris', 'fr-FR')).toBe('31 oct., 02:30');
    expect(formatClockTime(Date.UTC(2027, 9, 31, 2, 30), 'Europe/Paris', 'en-IE')).toBe('03:30');
    // Midnight is 00, never 24, whatever the locale's habit.
    expect(formatClockTime(Date.UTC(2027, 0, 1, 23, 0), 'Europe/Paris', 'en-GB')).toBe('00:00');
  });
});

describe("the store's locale at the counter", () => {
  afterEach(async () => {
    await speakLocale('en-IE');
  });

  it('formats in the locale the store speaks, and follows a change within one language', async () => {
    expect(currentLocale()).toBe('en-IE');
    expect(moneyText(500, 'EUR')).toBe('€5.00');
    expect(pointsText(1240)).toBe('1,240 points');
    await speakLocale('fr-BE');
    expect(currentLocale()).toBe('fr-BE');
    expect(moneyText(500, 'EUR')).toBe(`5,00${NBSP}€`);
    expect(pointsText(1240)).toBe(`1${NNBSP}240 points`);
    expect(formatDay(Date.UTC(2027, 2, 11, 12), 'Europe/Brussels')).toBe('11 mars 2027');
    // Same words, other money: en-GB after en-IE is still followed.
    await speakLocale('en-IE');
    await speakLocale('en-GB');
    expect(currentLocale()).toBe('en-GB');
    expect(moneyText(500, 'GBP')).toBe('£5.00');
  });

  it("writes a tag Intl cannot read in the default locale's style rather than failing", () => {
    expect(moneyText(500, 'EUR', 'xx-XX-not-a-tag!')).toBe('€5.00');
  });
});

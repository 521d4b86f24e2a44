import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { canonicalJson, sha256Hex } from '../../../src-shared/kernel/hash.js';
import { uuidSchemaPattern, uuidv7Factory, uuidv7Time } from '../../../src-shared/kernel/ids.js';
import { divide, formatMoney, moneySchema } from '../../../src-shared/kernel/money.js';
import {
  addMonths,
  addMonthsToInstant,
  isTimeZone,
  localTime,
} from '../../../src-shared/kernel/zoned-time.js';

describe('money', () => {
  it('divides exactly with each rounding mode', () => {
    expect(divide(1250, 100, 'floor')).toBe(12);
    expect(divide(1250, 100, 'round')).toBe(13);
    expect(divide(1249, 100, 'round')).toBe(12);
    expect(divide(1201, 100, 'ceil')).toBe(13);
    expect(divide(1200, 100, 'ceil')).toBe(12);
    // 0.29 × 100 is 28.999… in floating point; integer division is exact.
    expect(divide(29 * 100, 100, 'floor')).toBe(29);
  });

  it('agrees with exact rational rounding', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 100_000 }), (n, d) => {
        const floor = divide(n, d, 'floor');
        expect(floor * d <= n && n < (floor + 1) * d).toBe(true);
        const ceil = divide(n, d, 'ceil');
        expect(ceil - floor).toBe(n % d === 0 ? 0 : 1);
        const round = divide(n, d, 'round');
        expect(round === floor || round === ceil).toBe(true);
      }),
    );
  });

  it('formats minor units without floats or locale', () => {
    expect(formatMoney(1250, 'EUR')).toBe('12.50 EUR');
    expect(formatMoney(-5, 'USD')).toBe('-0.05 USD');
    expect(formatMoney(1500, 'JPY')).toBe('1500 JPY');
    expect(formatMoney(1234, 'KWD')).toBe('1.234 KWD');
  });

  it('rejects fractional amounts and bad currencies', () => {
    expect(moneySchema.safeParse({ amount: 12.5, currency: 'EUR' }).success).toBe(false);
    expect(moneySchema.safeParse({ amount: 12, currency: 'eur' }).success).toBe(false);
    expect(moneySchema.safeParse({ amount: 12, currency: 'EUR' }).success).toBe(true);
  });
});

describe('UUIDv7', () => {
  const random = (n: number) => new Uint8Array(n).fill(0xab);

  it('makes well-formed version 7 ids that carry their time', () => {
    const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
    const id = uuidv7Factory(clock, random)();
    expect(id).toMatch(uuidSchemaPattern);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(clock.now());
  });

  it('stays strictly increasing within a millisecond and when the clock steps back', () => {
    const clock = new ManualClock(1_000_000);
    const next = uuidv7Factory(clock, random);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i === 2500) clock.advance(-10);
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('canonical JSON and hashing', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('hashes with SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('store-local time', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('follows daylight-saving changes in the store zone', () => {
    // Paris moves from UTC+1 to UTC+2 on 2026-03-29 at 02:00 local.
    expect(localTime(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Paris').minuteOfDay).toBe(90);
    expect(localTime(Date.parse('2026-03-29T01:30:00Z'), 'Europe/Paris').minuteOfDay).toBe(3 * 60 + 30);
    // …and back on 2026-10-25 at 03:00 local.
    expect(localTime(Date.parse('2026-10-25T05:30:00Z'), 'Europe/Paris').minuteOfDay).toBe(6 * 60 + 30);
    expect(localTime(Date.parse('2026-10-24T05:30:00Z'), 'Europe/Paris').minuteOfDay).toBe(7 * 60 + 30);
  });

  it('gives the local date and ISO weekday', () => {
    const sundayNightUtc = Date.parse('2026-11-22T23:30:00Z');
    expect(localTime(sundayNightUtc, 'UTC')).toMatchObject({
      date: '2026-11-22',
      weekday: 7,
      month: '2026-11',
    });
    expect(localTime(sundayNightUtc, 'Asia/Tokyo')).toMatchObject({ date: '2026-11-23', weekday: 1 });
    expect(localTime(sundayNightUtc, 'America/New_York')).toMatchObject({ date: '2026-11-22', weekday: 7 });
  });

  it('adds months to month keys and instants', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonthsToInstant('2026-01-31T12:00:00.000Z', 1)).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonthsToInstant('2027-12-15T00:00:00.000Z', 12)).toBe('2028-12-15T00:00:00.000Z');
  });
});

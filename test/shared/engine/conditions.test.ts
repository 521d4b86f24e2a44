import { describe, it, expect } from 'vitest';
import {
  conditionsHold,
  inTimeWindow,
  minutesOf,
  type ConditionContext,
} from '../../../src-shared/engine/conditions.js';
import type { Conditions } from '../../../src-shared/program/schema.js';
import { at, quoteMember, WEDNESDAY } from './builders.js';

const ctx = (over: Partial<ConditionContext> = {}): ConditionContext => ({
  at: WEDNESDAY,
  timeZone: 'Europe/Paris',
  basketEligible: 1000,
  member: quoteMember(),
  ...over,
});
const holds = (conditions: Conditions | undefined, over: Partial<ConditionContext> = {}) =>
  conditionsHold(conditions, ctx(over));

describe('conditionsHold', () => {
  it('holds with no conditions or empty conditions', () => {
    expect(holds(undefined)).toBe(true);
    expect(holds({})).toBe(true);
  });

  it('checks daysOfWeek in ISO numbering, Monday = 1, Sunday = 7', () => {
    expect(holds({ daysOfWeek: [3] })).toBe(true); // Wednesday
    expect(holds({ daysOfWeek: [6, 7] })).toBe(false);
    expect(holds({ daysOfWeek: [7] }, { at: at('2026-03-15T11:00:00Z') })).toBe(true); // Sunday
    expect(holds({ daysOfWeek: [1] }, { at: at('2026-03-16T11:00:00Z') })).toBe(true); // Monday
  });

  it('checks a weekend rule in the store zone: Sunday 23:30 UTC is already Monday in Tokyo', () => {
    const sundayLateUtc = at('2026-03-29T23:30:00Z');
    const weekend: Conditions = { daysOfWeek: [6, 7] };
    expect(holds(weekend, { at: sundayLateUtc, timeZone: 'UTC' })).toBe(true);
    expect(holds(weekend, { at: sundayLateUtc, timeZone: 'Asia/Tokyo' })).toBe(false);
    // And Saturday 15:30 UTC is Sunday 00:30 in Tokyo: still weekend there.
    expect(holds(weekend, { at: at('2026-03-28T15:30:00Z'), timeZone: 'Asia/Tokyo' })).toBe(true);
    // Friday 15:30 UTC is Saturday 00:30 in Tokyo: weekend there, not in UTC.
    expect(holds(weekend, { at: at('2026-03-27T15:30:00Z'), timeZone: 'Asia/Tokyo' })).toBe(true);
    expect(holds(weekend, { at: at('2026-03-27T15:30:00Z'), timeZone: 'UTC' })).toBe(false);
  });

  describe('timeWindow in local time across the Europe/Paris DST changes', () => {
    const breakfast: Conditions = { timeWindow: { from: '07:00', to: '08:00' } };
    it('spring forward, 2026-03-29: 07:30 local is 06:30Z the day before and 05:30Z after', () => {
      expect(holds(breakfast, { at: at('2026-03-28T06:30:00Z') })).toBe(true); // CET, 07:30
      expect(holds(breakfast, { at: at('2026-03-28T05:30:00Z') })).toBe(false); // 06:30
      expect(holds(breakfast, { at: at('2026-03-29T05:30:00Z') })).toBe(true); // CEST, 07:30
      expect(holds(breakfast, { at: at('2026-03-29T06:30:00Z') })).toBe(false); // 08:30
    });
    it('fall back, 2026-10-25: 07:30 local is 05:30Z the day before and 06:30Z after', () => {
      expect(holds(breakfast, { at: at('2026-10-24T05:30:00Z') })).toBe(true); // CEST, 07:30
      expect(holds(breakfast, { at: at('2026-10-24T06:30:00Z') })).toBe(false); // 08:30
      expect(holds(breakfast, { at: at('2026-10-25T06:30:00Z') })).toBe(true); // CET, 07:30
      expect(holds(breakfast, { at: at('2026-10-25T05:30:00Z') })).toBe(false); // 06:30
    });
  });

  it('treats the end of a time window as exclusive and supports windows across midnight', () => {
    const evening: Conditions = { timeWindow: { from: '22:00', to: '02:00' } };
    // Paris is UTC+1 in January.
    expect(holds(evening, { at: at('2026-01-14T20:59:00Z') })).toBe(false); // 21:59
    expect(holds(evening, { at: at('2026-01-14T21:00:00Z') })).toBe(true); // 22:00
    expect(holds(evening, { at: at('2026-01-14T23:30:00Z') })).toBe(true); // 00:30
    expect(holds(evening, { at: at('2026-01-15T00:59:00Z') })).toBe(true); // 01:59
    expect(holds(evening, { at: at('2026-01-15T01:00:00Z') })).toBe(false); // 02:00
    expect(holds({ timeWindow: { from: '09:00', to: '12:00' } }, { at: at('2026-01-14T11:00:00Z') })).toBe(
      false,
    ); // 12:00
  });

  it('reads HH:MM and windows as minutes', () => {
    expect(minutesOf('07:30')).toBe(450);
    expect(minutesOf('23:59')).toBe(1439);
    expect(inTimeWindow(600, 600, 660)).toBe(true);
    expect(inTimeWindow(660, 600, 660)).toBe(false);
    expect(inTimeWindow(5, 1380, 60)).toBe(true);
    expect(inTimeWindow(720, 0, 0)).toBe(true); // equal ends: all day
  });

  it('checks an inclusive dateRange on the local date', () => {
    const march: Conditions = { dateRange: { from: '2026-03-01', to: '2026-03-31' } };
    expect(holds(march)).toBe(true);
    // 2026-03-31 22:30Z is already April 1st in Paris (UTC+2).
    expect(holds(march, { at: at('2026-03-31T21:30:00Z') })).toBe(true); // 23:30 on the 31st
    expect(holds(march, { at: at('2026-03-31T22:30:00Z') })).toBe(false);
    // 2026-02-28 23:30Z is already March 1st in Paris (UTC+1).
    expect(holds(march, { at: at('2026-02-28T23:30:00Z') })).toBe(true);
    expect(holds(march, { at: at('2026-02-28T22:30:00Z') })).toBe(false);
  });

  it('compares minBasket with the eligible amount, inclusive', () => {
    expect(holds({ minBasket: 1000 }, { basketEligible: 1000 })).toBe(true);
    expect(holds({ minBasket: 1000 }, { basketEligible: 999 })).toBe(false);
  });

  it('checks the member tier', () => {
    expect(holds({ tiers: ['gold'] }, { member: quoteMember({ tier: 'gold' }) })).toBe(true);
    expect(holds({ tiers: ['gold'] }, { member: quoteMember({ tier: 'silver' }) })).toBe(false);
    expect(holds({ tiers: ['gold'] }, { member: quoteMember({ tier: null }) })).toBe(false);
  });

  it('checks the birthday month in the store zone', () => {
    const march = quoteMember({ birthMonth: 3 });
    expect(holds({ birthdayMonth: true }, { member: march })).toBe(true);
    expect(holds({ birthdayMonth: true }, { member: quoteMember({ birthMonth: 4 }) })).toBe(false);
    expect(holds({ birthdayMonth: true }, { member: quoteMember({ birthMonth: null }) })).toBe(false);
    // 22:30Z on March 31st is April in Paris.
    expect(holds({ birthdayMonth: true }, { member: march, at: at('2026-03-31T22:30:00Z') })).toBe(false);
  });

  it('checks the first purchase', () => {
    expect(holds({ firstPurchase: true }, { member: quoteMember({ purchases: 0 }) })).toBe(true);
    expect(holds({ firstPurchase: true }, { member: quoteMember({ purchases: 1 }) })).toBe(false);
  });

  it('requires every condition present', () => {
    const c: Conditions = { daysOfWeek: [3], minBasket: 500, tiers: ['gold'] };
    expect(holds(c, { member: quoteMember({ tier: 'gold' }) })).toBe(true);
    expect(holds(c, { member: quoteMember({ tier: 'gold' }), basketEligible: 100 })).toBe(false);
    expect(holds(c, { member: quoteMember({ tier: 'gold' }), at: at('2026-03-12T11:00:00Z') })).toBe(false);
  });
});

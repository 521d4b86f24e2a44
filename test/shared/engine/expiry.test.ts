import { describe, it, expect } from 'vitest';
import { dueExpiry, expiringSoon, inactivityDeadline } from '../../../src-shared/engine/expiry.js';
import type { Batch } from '../../../src-shared/ledger/member.js';
import { at, makeMember, makeProgram } from './builders.js';

const batch = (
  eventId: string,
  expiresAt: string | null,
  remaining: number,
  points = remaining || 10,
): Batch => ({
  eventId,
  earnedAt: '2025-01-01T00:00:00.000Z',
  expiresAt,
  points,
  remaining,
});

describe('dueExpiry', () => {
  it('expires nothing without an expiry policy', () => {
    const m = makeMember({ balance: 100, batches: [batch('e1', '2020-01-01T00:00:00.000Z', 100)] });
    expect(dueExpiry(m, makeProgram(), at('2026-03-01T00:00:00Z'))).toBeNull();
  });

  describe('rolling', () => {
    const program = makeProgram({ expiry: { mode: 'rolling', months: 12 } });
    const m = makeMember({
      balance: 65,
      batches: [
        batch('e1', '2026-02-01T00:00:00.000Z', 20, 50),
        batch('e2', '2026-03-01T00:00:00.000Z', 30),
        batch('e3', '2026-02-15T00:00:00.000Z', 0, 40), // spent already
        batch('e4', '2026-04-01T00:00:00.000Z', 10),
        batch('e5', null, 5), // earned with no expiry in force
      ],
    });

    it('expires the remaining points of every batch due, naming the batches', () => {
      expect(dueExpiry(m, program, at('2026-03-01T00:00:00Z'))).toEqual({
        points: 50,
        reason: 'rolling',
        batches: ['e1', 'e2'],
      });
      expect(dueExpiry(m, program, at('2026-02-28T23:59:59Z'))).toEqual({
        points: 20,
        reason: 'rolling',
        batches: ['e1'],
      });
    });

    it('is null when no batch with points left is due', () => {
      expect(dueExpiry(m, program, at('2026-01-31T00:00:00Z'))).toBeNull();
    });
  });

  describe('inactivity', () => {
    const program = makeProgram({ expiry: { mode: 'inactivity', months: 6 } });
    const m = makeMember({ balance: 420, lastActivityAt: '2025-08-31T12:00:00.000Z' });

    it('expires the whole balance `months` after the last activity (calendar months, clamped)', () => {
      // Aug 31 + 6 months = Feb 28 (2026 has no Feb 29).
      expect(inactivityDeadline(m, 6)).toBe(at('2026-02-28T12:00:00Z'));
      expect(dueExpiry(m, program, at('2026-02-28T11:59:59Z'))).toBeNull();
      expect(dueExpiry(m, program, at('2026-02-28T12:00:00Z'))).toEqual({
        points: 420,
        reason: 'inactivity',
        batches: [],
      });
    });

    it('counts from enrolment when there was no activity', () => {
      const fresh = makeMember({ balance: 50, lastActivityAt: null, enrolledAt: '2025-01-15T10:00:00.000Z' });
      expect(dueExpiry(fresh, program, at('2025-07-15T09:59:59Z'))).toBeNull();
      expect(dueExpiry(fresh, program, at('2025-07-15T10:00:00Z'))?.points).toBe(50);
    });

    it('is null with nothing to expire', () => {
      expect(dueExpiry({ ...m, balance: 0 }, program, at('2027-01-01T00:00:00Z'))).toBeNull();
    });
  });
});

describe('expiringSoon', () => {
  it('sums rolling batches expiring within the window, those already due included', () => {
    const program = makeProgram({ expiry: { mode: 'rolling', months: 12 } });
    const m = makeMember({
      balance: 60,
      batches: [
        batch('e1', '2026-03-01T00:00:00.000Z', 10),
        batch('e2', '2026-03-20T00:00:00.000Z', 20),
        batch('e3', '2026-05-01T00:00:00.000Z', 30),
      ],
    });
    const now = at('2026-03-10T00:00:00Z');
    expect(expiringSoon(m, program, now, 10)).toBe(30);
    expect(expiringSoon(m, program, now, 9)).toBe(10);
    expect(expiringSoon(m, program, now, 60)).toBe(60);
    expect(expiringSoon(m, makeProgram(), now, 60)).toBe(0);
  });

  it('warns of the whole balance when inactivity expiry falls within the window', () => {
    const program = makeProgram({ expiry: { mode: 'inactivity', months: 6 } });
    const m = makeMember({ balance: 420, lastActivityAt: '2025-09-10T00:00:00.000Z' });
    expect(expiringSoon(m, program, at('2026-03-01T00:00:00Z'), 9)).toBe(420);
    expect(expiringSoon(m, program, at('2026-03-01T00:00:00Z'), 8)).toBe(0);
  });
});

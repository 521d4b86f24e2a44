// Tier evaluation over the rolling window and the offline allowance (engine modules the projection uses).
import { describe, expect, it } from 'vitest';
import { offlineAllowance } from '../../../src-shared/engine/allowance.js';
import { evaluateTier, qualifyingTotal, tierProgress, tierRank } from '../../../src-shared/engine/tiers.js';
import { emptyMember, type Member } from '../../../src-shared/ledger/member.js';
import { testProgram } from '../../support/events.js';

const levels = [
  { id: 'bronze', label: 'Bronze', threshold: 0 },
  { id: 'silver', label: 'Silver', threshold: 1000 },
  { id: 'gold', label: 'Gold', threshold: 5000 },
];
const byPoints = testProgram({
  timeZone: 'America/New_York',
  tiers: { basis: 'points', windowMonths: 3, levels },
});
const bySpend = testProgram({ tiers: { basis: 'spend', windowMonths: 12, levels } });
const noTiers = testProgram();

const member = (qualifying: Member['qualifying']): Member => ({
  ...emptyMember('m', '2025-01-01T00:00:00.000Z'),
  qualifying,
});
const q = {
  '2024-12': { points: 5000, spend: 100 },
  '2025-01': { points: 300, spend: 2000 },
  '2025-02': { points: 400, spend: 2000 },
  '2025-03': { points: 500, spend: 2000 },
};

describe('tiers', () => {
  it('sums the window of local months ending with the month of the instant', () => {
    // 1 April 02:00 UTC is still 31 March in New York: the window is January–March.
    expect(qualifyingTotal(member(q), byPoints, Date.parse('2025-04-01T02:00:00Z'))).toBe(1200);
    expect(qualifyingTotal(member(q), byPoints, Date.parse('2025-04-01T12:00:00Z'))).toBe(900);
    expect(qualifyingTotal(member(q), byPoints, Date.parse('2025-02-15T12:00:00Z'))).toBe(5700);
    expect(qualifyingTotal(member(q), bySpend, Date.parse('2025-03-15T12:00:00Z'))).toBe(6100);
    expect(qualifyingTotal(member(q), noTiers, Date.parse('2025-03-15T12:00:00Z'))).toBe(0);
  });

  it('evaluates the highest level reached', () => {
    expect(evaluateTier(member(q), byPoints, Date.parse('2025-04-01T02:00:00Z'))).toBe('silver');
    expect(evaluateTier(member(q), byPoints, Date.parse('2025-02-15T12:00:00Z'))).toBe('gold');
    expect(evaluateTier(member({}), byPoints, Date.parse('2025-02-15T12:00:00Z'))).toBe('bronze');
    expect(evaluateTier(member(q), noTiers, 0)).toBeNull();
    expect(tierRank(byPoints, 'gold')).toBe(2);
    expect(tierRank(byPoints, null)).toBe(-1);
    expect(tierRank(byPoints, 'platinum')).toBe(-1);
  });

  it('shows progress to the next level', () => {
    expect(tierProgress(member(q), byPoints, Date.parse('2025-04-01T02:00:00Z'))).toEqual({
      tier: 'silver',
      next: { id: 'gold', label: 'Gold', needed: 3800 },
      qualifying: 1200,
    });
    expect(tierProgress(member(q), byPoints, Date.parse('2025-02-15T12:00:00Z')).next).toBeNull();
    expect(tierProgress(member(q), noTiers, 0)).toEqual({ tier: null, next: null, qualifying: 0 });
  });
});

describe('offlineAllowance', () => {
  const policy = (cap: number, percent: number) =>
    testProgram({
      offline: {
        allowanceCap: cap,
        allowancePercentOfBalance: percent,
        freshHours: 24,
        expiredHours: 72,
        staleAllowancePercent: 50,
        managerOverrideCap: 0,
      },
    });
  const m = (balance: number, debt = 0, status: Member['status'] = 'active') => ({ status, balance, debt });

  it('is min(floor(net × percent / 100), cap) for an active member', () => {
    expect(offlineAllowance(m(1000), policy(300, 100))).toBe(300);
    expect(offlineAllowance(m(101), policy(300, 50))).toBe(50);
    expect(offlineAllowance(m(0), policy(300, 100))).toBe(0);
    expect(offlineAllowance(m(500), policy(0, 100))).toBe(0);
  });

  it('is 0 with debt or when the member is not active', () => {
    expect(offlineAllowance(m(0, 40), policy(300, 100))).toBe(0);
    expect(offlineAllowance(m(1000, 0, 'blocked'), policy(300, 100))).toBe(0);
    expect(offlineAllowance(m(1000, 0, 'closed'), policy(300, 100))).toBe(0);
  });
});

// A program file states only what differs from the defaults; the parsed Program must carry the defaults
// docs/program-format.md promises, because the engine reads them without checking for undefined.
import { describe, expect, it } from 'vitest';
import { parseProgram } from '../../../src-shared/program/parse.js';
import type { Program, ProgramInput } from '../../../src-shared/program/schema.js';

/** The smallest valid program: what the schema requires and nothing else. */
const minimalProgram = (): ProgramInput => ({
  id: 'minimal',
  version: 1,
  name: 'Minimal',
  currency: 'EUR',
  timeZone: 'Europe/Paris',
  pointValue: { points: 100, value: 100 },
  earning: {
    rules: [{ id: 'base', label: '1 point per 1.00 EUR', kind: 'per-amount', points: 1, per: 100 }],
  },
  offline: {
    allowanceCap: 500,
    freshHours: 24,
    expiredHours: 72,
    staleAllowancePercent: 50,
    managerOverrideCap: 100,
  },
});

function parsed(input: ProgramInput): Program {
  const result = parseProgram(input);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('program defaults', () => {
  const p = parsed(minimalProgram());

  it('rounds points down', () => {
    expect(p.rounding).toBe('floor');
  });

  it('keeps only the highest multiplier per line and excludes nothing', () => {
    expect(p.earning.multiplierStacking).toBe('highest');
    expect(p.earning.excluded).toEqual({ categories: [], skus: [] });
  });

  it('gives no bonuses, actions, rewards, plans or tiers', () => {
    expect(p.bonuses).toEqual({ welcome: 0, birthday: 0 });
    expect(p.bonuses.referral).toBeUndefined();
    expect(p.actions).toEqual([]);
    expect(p.rewards).toEqual([]);
    expect(p.plans).toEqual([]);
    expect(p.tiers).toBeUndefined();
  });

  it('never expires points', () => {
    expect(p.expiry).toEqual({ mode: 'none' });
  });

  it('bases the offline allowance on the whole balance', () => {
    expect(p.offline.allowancePercentOfBalance).toBe(100);
  });

  it('fills a partial bonuses block and a partial exclusion list', () => {
    const q = parsed({
      ...minimalProgram(),
      bonuses: { welcome: 50 },
      earning: { ...minimalProgram().earning, excluded: { categories: ['gift-cards'] } },
    });
    expect(q.bonuses).toEqual({ welcome: 50, birthday: 0 });
    expect(q.earning.excluded).toEqual({ categories: ['gift-cards'], skus: [] });
  });

  it('caps adjustments from a terminal at 0 for a cashier and 1000 for a manager, filling a partial block', () => {
    expect(p.adjustments).toEqual({ caps: { cashier: 0, manager: 1000 } });
    expect(parsed({ ...minimalProgram(), adjustments: {} }).adjustments.caps).toEqual({
      cashier: 0,
      manager: 1000,
    });
    expect(parsed({ ...minimalProgram(), adjustments: { caps: { manager: 250 } } }).adjustments.caps).toEqual(
      {
        cashier: 0,
        manager: 250,
      },
    );
  });
});

describe('defaults inside lists', () => {
  const p = parsed({
    ...minimalProgram(),
    earning: {
      rules: [
        { id: 'base', label: '1 point per 1.00 EUR', kind: 'per-amount', points: 1, per: 100 },
        { id: 'any-item', label: '+20 for any item', kind: 'fixed-bonus', points: 20 },
      ],
    },
    rewards: [{ id: 'five-off', label: '5.00 EUR off', kind: 'fixed-discount', cost: 500, amount: 500 }],
    tiers: { basis: 'points', windowMonths: 12, levels: [{ id: 'member', label: 'Member', threshold: 0 }] },
    plans: [{ id: 'plus', label: 'Plus', fee: 1000, durationDays: 365 }],
  });

  it('a reward may be taken once per transaction and is active', () => {
    expect(p.rewards[0]).toMatchObject({ maxPerTransaction: 1, active: true });
    expect(p.rewards[0]?.tiers).toBeUndefined();
  });

  it('a fixed bonus needs one eligible unit', () => {
    expect(p.earning.rules[1]).toMatchObject({ kind: 'fixed-bonus', minQuantity: 1 });
  });

  it('a tier multiplies by 1 and has no perks', () => {
    expect(p.tiers?.levels[0]).toMatchObject({ multiplier: 1, perks: [] });
  });

  it('a plan multiplies by 1, gives no join bonus and has no perks', () => {
    expect(p.plans[0]).toMatchObject({ multiplier: 1, joinBonus: 0, perks: [] });
  });

  it('stated values win over defaults', () => {
    const q = parsed({
      ...minimalProgram(),
      rounding: 'ceil',
      rewards: [
        {
          id: 'r',
          label: 'R',
          kind: 'gift-card',
          cost: 10,
          amount: 100,
          maxPerTransaction: 3,
          active: false,
        },
      ],
      expiry: { mode: 'rolling', months: 12 },
    });
    expect(q.rounding).toBe('ceil');
    expect(q.rewards[0]).toMatchObject({ maxPerTransaction: 3, active: false });
    expect(q.expiry).toEqual({ mode: 'rolling', months: 12 });
  });
});

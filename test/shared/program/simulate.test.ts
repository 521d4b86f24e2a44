// The simulation of a basket under two program versions: figures computed by hand from the stacking
// rules in program/schema.ts (floor rounding), line by line and in total, and the store's local time.
import { describe, expect, it } from 'vitest';
import { instantOfLocal, simulateBasket, simulateSideBySide } from '../../../src-shared/program/simulate.js';
import { testProgram } from '../../support/events.js';
import { SIMULATION_BASKET, simulationCurrent, simulationDraft } from '../../support/simulation-programs.js';

// Current: 1 pt per 1.00, bakery ×2, gold ×1.5 (highest factor wins), +5 a visit from 10.00.
const current = simulationCurrent;
// Draft: 2 pts per 1.00, no bakery double, +10 every visit.
const draft = simulationDraft;
const basket = SIMULATION_BASKET;

describe('simulateBasket', () => {
  it('quotes the basket as the terminal would and each line under the rules that hold for the basket', () => {
    const run = simulateBasket(current, basket);
    // Base floor(17.00 × 1) = 17; bakery ×2 wins on the croissants: floor(4.50 × 1) = 4; gold ×1.5 on the
    // coffee: floor(12.50 × 0.5) = 6; the visit (basket 17.00 ≥ 10.00) +5.
    expect(run.points).toBe(32);
    expect(run.explanation.map((l) => [l.ruleId, l.points])).toEqual([
      ['base', 17],
      ['bakery-double', 4],
      ['tier:gold', 6],
      ['visit', 5],
    ]);
    // Croissants: 4 + 4; coffee: 12 + floor(6.25) = 18. The visit and one point of rounding are the basket's.
    expect(run.lines.map((l) => l.points)).toEqual([8, 18]);
    expect(run.lines[0]?.explanation.map((l) => l.ruleId)).toEqual(['base', 'bakery-double']);
    expect(run.lines[1]?.explanation.map((l) => l.ruleId)).toEqual(['base', 'tier:gold']);
    expect(run.basketLevel).toBe(6);
    expect(run.at).toBe('2026-03-14T08:00:00.000Z');
  });

  it('keeps a basket-wide condition for each line: a line below the minimum still belongs to a basket above it', () => {
    const minBasketMultiplier = testProgram({
      earning: {
        rules: [
          { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
          { id: 'big', label: 'Big basket', kind: 'multiplier', factor: 3, conditions: { minBasket: 1500 } },
        ],
      },
    });
    const run = simulateBasket(minBasketMultiplier, { ...basket, tier: null });
    // The basket is 17.00 ≥ 15.00: ×3 on every line, 4.50 → 4 + floor(9.00) = 13, 12.50 → 12 + 25 = 37.
    expect(run.lines.map((l) => l.points)).toEqual([13, 37]);
    expect(run.points).toBe(17 + 34);
    const small = simulateBasket(minBasketMultiplier, { ...basket, tier: null, lines: [basket.lines[0]!] });
    expect(small.points).toBe(4);
    expect(small.lines[0]?.explanation.map((l) => l.ruleId)).toEqual(['base']);
  });

  it('reads the time in the program’s zone: a morning multiplier holds at 09:00 local and not at 11:00', () => {
    const morning = testProgram({
      earning: {
        rules: [
          { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
          {
            id: 'morning',
            label: 'Morning',
            kind: 'multiplier',
            factor: 3,
            conditions: { timeWindow: { from: '07:00', to: '10:00' } },
          },
        ],
      },
    });
    const line = [{ sku: 'CF-1', category: 'coffee', quantity: 1, amount: 1000 }];
    expect(
      simulateBasket(morning, { lines: line, tier: null, localDateTime: '2026-07-01T09:59' }).points,
    ).toBe(30);
    expect(
      simulateBasket(morning, { lines: line, tier: null, localDateTime: '2026-07-01T10:00' }).points,
    ).toBe(10);
  });

  it('marks excluded lines, and notes a tier the version does not have', () => {
    const excluding = testProgram({
      earning: {
        excluded: { categories: ['tobacco'], skus: [] },
        rules: [{ id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 }],
      },
    });
    const run = simulateBasket(excluding, {
      lines: [
        { sku: 'CIG', category: 'tobacco', quantity: 1, amount: 900 },
        { sku: 'CF-1', category: 'coffee', quantity: 2, amount: 501 },
      ],
      tier: 'gold',
      localDateTime: '2026-03-14T09:00',
    });
    expect(run.lines).toEqual([
      { points: 0, excluded: true, explanation: [] },
      { points: 5, excluded: false, explanation: [expect.objectContaining({ ruleId: 'base', points: 5 })] },
    ]);
    expect(run.notes).toEqual(['Version 1 has no tier "gold": the member is quoted without one.']);
  });
});

describe('simulateSideBySide', () => {
  it('gives both versions and the difference, in total and per line', () => {
    const both = simulateSideBySide(draft, current, basket);
    // Draft: base floor(17.00 × 2) = 34; gold ×1.5: floor(34 × 0.5) = 17; +10 → 61.
    // Lines: croissants 9 + floor(4.5) = 13; coffee 25 + floor(12.5) = 37.
    expect(both.draft.points).toBe(61);
    expect(both.draft.lines.map((l) => l.points)).toEqual([13, 37]);
    expect(both.draft.basketLevel).toBe(11);
    expect(both.current?.points).toBe(32);
    expect(both.difference).toEqual({ points: 29, lines: [5, 19] });
  });

  it('without a current version, gives the draft alone', () => {
    const alone = simulateSideBySide(draft, null, basket);
    expect(alone.current).toBeNull();
    expect(alone.difference).toBeNull();
    expect(alone.draft.points).toBe(61);
  });
});

describe('instantOfLocal', () => {
  const iso = (local: string, zone: string) => new Date(instantOfLocal(local, zone)).toISOString();
  it('reads a wall-clock time in the zone, across daylight saving', () => {
    expect(iso('2026-03-14T09:00', 'Europe/Paris')).toBe('2026-03-14T08:00:00.000Z');
    expect(iso('2026-07-01T09:00', 'Europe/Paris')).toBe('2026-07-01T07:00:00.000Z');
    expect(iso('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    // 02:30 does not exist in Paris on 29 March 2026: the first minute after the gap (03:00 CEST).
    expect(iso('2026-03-29T02:30', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice on 25 October 2026: the first (CEST).
    expect(iso('2026-10-25T02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
  });
  it('refuses what is not a local date and time', () => {
    expect(() => instantOfLocal('2026-03-14 09:00', 'Europe/Paris')).toThrow(/YYYY-MM-DDTHH:MM/);
  });
});

// The two program versions and the basket the simulation tests share (unit, HQ API and e2e), so the
// figures computed by hand in test/shared/program/simulate.test.ts are the ones every layer expects:
// under the current version the basket earns 32 points (8 and 18 by line), under the draft 61 (13 and 37).
import type { Program, ProgramInput } from '../../src-shared/program/schema.js';
import { testProgram } from './events.js';

export const SIMULATION_TIERS = {
  basis: 'points' as const,
  windowMonths: 12,
  levels: [
    { id: 'member', label: 'Member', threshold: 0 },
    { id: 'gold', label: 'Gold', threshold: 500, multiplier: 1.5 },
  ],
};

/** Version 1: 1 pt per 1.00, bakery ×2, gold ×1.5 (the highest factor wins), +5 a visit from 10.00. */
export const simulationCurrent: Program = testProgram({
  version: 1,
  tiers: SIMULATION_TIERS,
  earning: {
    rules: [
      { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
      {
        id: 'bakery-double',
        label: 'Bakery double',
        kind: 'multiplier',
        factor: 2,
        scope: { categories: ['bakery'] },
      },
      { id: 'visit', label: 'Visit', kind: 'per-visit', points: 5, conditions: { minBasket: 1000 } },
    ],
  },
});

/** The draft as a manager uploads it (JSON): 2 pts per `per` (100), no bakery double, +10 every visit. */
export function simulationDraftDocument(
  version: number,
  options: { per?: number; overrides?: Partial<ProgramInput> } = {},
): Record<string, unknown> {
  const { per = 100, overrides = {} } = options;
  return {
    ...(JSON.parse(JSON.stringify(simulationCurrent)) as Record<string, unknown>),
    version,
    earning: {
      multiplierStacking: 'highest',
      excluded: { categories: [], skus: [] },
      rules: [
        { id: 'base', label: 'Base', kind: 'per-amount', points: 2, per },
        { id: 'visit', label: 'Visit', kind: 'per-visit', points: 10 },
      ],
    },
    ...overrides,
  };
}

/** The draft, parsed. */
export const simulationDraft: Program = testProgram(simulationDraftDocument(2));

/** Three croissants (4.50, bakery) and a coffee (12.50), for a gold member on a Saturday morning in Paris. */
export const SIMULATION_BASKET = {
  lines: [
    { sku: 'BT-CROISSANT', category: 'bakery', quantity: 3, amount: 450 },
    { sku: 'CF-1', category: 'coffee', quantity: 1, amount: 1250 },
  ],
  tier: 'gold',
  localDateTime: '2026-03-14T09:00',
};

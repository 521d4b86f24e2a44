// The diff between two program versions: items matched by id (added, removed, changed field by field,
// reordered), sections field by field, defaults that are equal showing no change.
import { describe, expect, it } from 'vitest';
import { diffPrograms, fieldChanges } from '../../../src-shared/program/diff.js';
import { programSchema, type ProgramInput } from '../../../src-shared/program/schema.js';
import { testProgram } from '../../support/events.js';

const rules: ProgramInput['earning']['rules'] = [
  { id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 },
  { id: 'bakery', label: 'Bakery double', kind: 'multiplier', factor: 2, scope: { categories: ['bakery'] } },
  { id: 'visit', label: 'Visit', kind: 'per-visit', points: 5 },
];
const reward = { id: 'coffee', label: 'Free coffee', kind: 'free-product' as const, sku: 'CF-1', cost: 100 };

describe('diffPrograms', () => {
  const before = testProgram({ version: 1, earning: { rules }, rewards: [reward] });

  it('finds nothing between a version and itself, or a version and the same with its defaults written out', () => {
    expect(diffPrograms(before, before)).toEqual([]);
    const explicit = programSchema.parse({ ...JSON.parse(JSON.stringify(before)), version: 2 });
    expect(diffPrograms(before, explicit)).toEqual([]);
  });

  it('lists added, removed and changed items with before and after, and the program’s own fields', () => {
    const after = testProgram({
      version: 2,
      name: 'Test program 2026',
      earning: {
        rules: [
          { id: 'base', label: 'Base', kind: 'per-amount', points: 2, per: 100 },
          { ...rules[1]!, scope: { categories: ['bakery', 'pastry'] } },
          {
            id: 'weekend',
            label: 'Weekend',
            kind: 'multiplier',
            factor: 1.5,
            conditions: { daysOfWeek: [6, 7] },
          },
        ] as ProgramInput['earning']['rules'],
      },
      rewards: [{ ...reward, cost: 120 }],
      expiry: { mode: 'rolling', months: 12 },
    });
    const changes = diffPrograms(before, after);
    expect(changes).toEqual([
      {
        section: 'program',
        change: 'changed',
        id: null,
        label: null,
        fields: [{ path: 'name', before: 'Test program', after: 'Test program 2026' }],
      },
      {
        section: 'rules',
        change: 'changed',
        id: 'base',
        label: 'Base',
        fields: [{ path: 'points', before: 1, after: 2 }],
      },
      {
        section: 'rules',
        change: 'changed',
        id: 'bakery',
        label: 'Bakery double',
        fields: [{ path: 'scope.categories', before: ['bakery'], after: ['bakery', 'pastry'] }],
      },
      {
        section: 'rules',
        change: 'removed',
        id: 'visit',
        label: 'Visit',
        fields: [{ path: '', before: rules[2], after: null }],
      },
      {
        section: 'rules',
        change: 'added',
        id: 'weekend',
        label: 'Weekend',
        fields: [{ path: '', before: null, after: after.earning.rules[2] }],
      },
      {
        section: 'rewards',
        change: 'changed',
        id: 'coffee',
        label: 'Free coffee',
        fields: [{ path: 'cost', before: 100, after: 120 }],
      },
      {
        section: 'expiry',
        change: 'changed',
        id: null,
        label: null,
        fields: [
          { path: 'mode', before: 'none', after: 'rolling' },
          { path: 'months', before: null, after: 12 },
        ],
      },
    ]);
  });

  it('says when items kept their content but changed order, and when tiers appear', () => {
    const after = testProgram({
      version: 2,
      earning: { rules: [rules[1]!, rules[0]!, rules[2]!] },
      rewards: [reward],
      tiers: { basis: 'points', windowMonths: 12, levels: [{ id: 'member', label: 'Member', threshold: 0 }] },
    });
    const changes = diffPrograms(before, after);
    expect(changes).toContainEqual({
      section: 'rules',
      change: 'reordered',
      id: null,
      label: null,
      fields: [{ path: 'order', before: ['base', 'bakery', 'visit'], after: ['bakery', 'base', 'visit'] }],
    });
    expect(changes).toContainEqual({
      section: 'tiers',
      change: 'added',
      id: null,
      label: null,
      fields: [{ path: '', before: null, after: { basis: 'points', windowMonths: 12 } }],
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ section: 'tiers', change: 'added', id: 'member' }),
    );
  });
});

describe('fieldChanges', () => {
  it('walks objects to their leaves and compares lists whole', () => {
    expect(fieldChanges({ a: { b: 1, c: [1, 2] } }, { a: { b: 1, c: [2, 1] }, d: true })).toEqual([
      { path: 'a.c', before: [1, 2], after: [2, 1] },
      { path: 'd', before: null, after: true },
    ]);
  });
});

// The scope decision without a database: which entries put a member in a store's scope, for a new till's
// bootstrap (within the activity window) and for the pull that follows (any age), the region as an area,
// the activity window's calendar arithmetic, and the rules' validation.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCOPE_RULES,
  activityCutoff,
  areaStores,
  memberInScope,
  scopeRulesSchema,
  type ScopeEntry,
  type ScopeQuestion,
  type ScopeRules,
} from '../../../src-shared/sync/scope.js';

const NOW = Date.parse('2026-03-31T10:00:00.000Z');
const scoped = (over: Partial<Extract<ScopeRules, { kind: 'scoped' }>> = {}): ScopeRules => ({
  kind: 'scoped',
  enrolledHere: true,
  activeMonths: 12,
  area: 'store',
  ...over,
});
const entry = (over: Partial<ScopeEntry> = {}): ScopeEntry => ({
  storeId: 's-1',
  enrolled: false,
  lastActive: null,
  fetchedAt: null,
  ...over,
});
const ask = (rules: ScopeRules, over: Partial<ScopeQuestion> = {}): ScopeQuestion => ({
  rules,
  storeId: 's-1',
  area: ['s-1'],
  purpose: 'bootstrap',
  nowMs: NOW,
  ...over,
});

describe('activityCutoff', () => {
  it('goes back whole calendar months from today (UTC), clamped to the shorter month', () => {
    expect(activityCutoff(NOW, 1)).toBe('2026-02-28');
    expect(activityCutoff(NOW, 12)).toBe('2025-03-31');
    expect(activityCutoff(Date.parse('2024-03-31T23:59:59Z'), 1)).toBe('2024-02-29');
    expect(activityCutoff(Date.parse('2026-01-15T00:00:00Z'), 2)).toBe('2025-11-15');
  });
  it('is null when activity does not count', () => {
    expect(activityCutoff(NOW, 0)).toBeNull();
  });
});

describe('memberInScope', () => {
  it('holds every member, even one HQ knows nothing of, under the chain rule (the default)', () => {
    expect(DEFAULT_SCOPE_RULES).toEqual({ kind: 'chain' });
    expect(memberInScope(ask(DEFAULT_SCOPE_RULES), [])).toBe(true);
  });

  it('counts an enrollment here only when the rules name it', () => {
    const enrolled = [entry({ enrolled: true })];
    expect(memberInScope(ask(scoped()), enrolled)).toBe(true);
    expect(memberInScope(ask(scoped({ enrolledHere: false })), enrolled)).toBe(false);
    expect(memberInScope(ask(scoped()), [entry({ storeId: 's-2', enrolled: true })])).toBe(false);
  });

  it('bootstraps activity within the window only, and follows it at any age', () => {
    const inside = [entry({ lastActive: '2025-03-31' })];
    const outside = [entry({ lastActive: '2025-03-30' })];
    expect(memberInScope(ask(scoped()), inside)).toBe(true);
    expect(memberInScope(ask(scoped()), outside)).toBe(false);
    expect(memberInScope(ask(scoped(), { purpose: 'follow' }), outside)).toBe(true);
    // With no activity rule, activity never counts.
    expect(memberInScope(ask(scoped({ activeMonths: 0 }), { purpose: 'follow' }), inside)).toBe(false);
  });

  it("keeps a member fetched by this store's tills, not by another store's, within the window", () => {
    const fetched = (storeId: string, at: string) => [entry({ storeId, fetchedAt: at })];
    const rules = scoped({ enrolledHere: false, activeMonths: 6, area: 'region' });
    const area = { area: ['s-1', 's-2'] };
    expect(memberInScope(ask(rules, area), fetched('s-1', '2026-01-02T08:00:00.000Z'))).toBe(true);
    expect(memberInScope(ask(rules, area), fetched('s-2', '2026-01-02T08:00:00.000Z'))).toBe(false);
    expect(memberInScope(ask(rules, area), fetched('s-1', '2025-09-29T23:00:00.000Z'))).toBe(false);
    expect(
      memberInScope(ask(rules, { ...area, purpose: 'follow' }), fetched('s-1', '2025-09-29T23:00:00.000Z')),
    ).toBe(true);
    // Without an activity window, a fetched member is kept whatever the fetch's age.
    const noWindow = scoped({ enrolledHere: false, activeMonths: 0 });
    expect(memberInScope(ask(noWindow), fetched('s-1', '2020-01-01T00:00:00.000Z'))).toBe(true);
  });

  it("counts the region's stores' enrollments and activity when the area is the region", () => {
    const rules = scoped({ area: 'region' });
    const elsewhere = [entry({ storeId: 's-2', lastActive: '2026-03-01' })];
    expect(memberInScope(ask(rules, { area: ['s-1', 's-2'] }), elsewhere)).toBe(true);
    expect(memberInScope(ask(rules), elsewhere)).toBe(false);
  });
});

describe('areaStores', () => {
  const stores = [
    { id: 's-1', region: 'north' },
    { id: 's-2', region: 'north' },
    { id: 's-3', region: 'south' },
    { id: 's-4', region: null },
  ];
  it("is the store's region under area 'region', the store alone otherwise", () => {
    expect(areaStores(scoped({ area: 'region' }), stores[0]!, stores)).toEqual(['s-1', 's-2']);
    expect(areaStores(scoped({ area: 'store' }), stores[0]!, stores)).toEqual(['s-1']);
    expect(areaStores(scoped({ area: 'region' }), stores[3]!, stores)).toEqual(['s-4']);
  });
});

describe('scopeRulesSchema', () => {
  it('refuses rules that do not fit, naming the field', () => {
    const bad = scopeRulesSchema.safeParse({
      kind: 'scoped',
      enrolledHere: true,
      activeMonths: 121,
      area: 'store',
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['activeMonths']);
    expect(scopeRulesSchema.safeParse({ kind: 'chain', extra: 1 }).success).toBe(false);
    expect(scopeRulesSchema.safeParse({ kind: 'everyone' }).success).toBe(false);
  });
});

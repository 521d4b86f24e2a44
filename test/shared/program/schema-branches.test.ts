// Every branch of the program schema accepts a sensible value and refuses a wrong one at the right path.
// Tables rather than one test per case: a new rule kind or reward kind is one more row, and a reader sees
// the whole contract of a branch at a glance.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseProgram } from '../../../src-shared/program/parse.js';
import {
  actionSchema,
  conditionsSchema,
  earnRuleSchema,
  expirySchema,
  offlinePolicySchema,
  planSchema,
  rewardSchema,
  scopeSchema,
  tierSchema,
  tiersSchema,
  type ProgramInput,
} from '../../../src-shared/program/schema.js';

/** The dotted paths of every problem, [] when the value is accepted. */
function problemPaths(schema: z.ZodType, value: unknown): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.map(String).join('.')).sort();
}

type Row = [name: string, value: unknown];
type BadRow = [name: string, value: unknown, paths: string[]];

function branch(schema: z.ZodType, valid: Row[], invalid: BadRow[]): void {
  it.each(valid)('accepts %s', (_name, value) => {
    expect(problemPaths(schema, value)).toEqual([]);
  });
  it.each(invalid)('refuses %s', (_name, value, paths) => {
    expect(problemPaths(schema, value)).toEqual([...paths].sort());
  });
}

const rule = { id: 'base', label: 'Base rate' };

describe('earning rules', () => {
  branch(
    earnRuleSchema,
    [
      ['per-amount', { ...rule, kind: 'per-amount', points: 1, per: 100 }],
      ['per-item', { ...rule, kind: 'per-item', points: 10, scope: { skus: ['GB-OAT-DRINK-1L'] } }],
      ['per-visit', { ...rule, kind: 'per-visit', points: 5 }],
      ['fixed-bonus', { ...rule, kind: 'fixed-bonus', points: 50, minQuantity: 3 }],
      ['multiplier ×2', { ...rule, kind: 'multiplier', factor: 2 }],
      ['multiplier ×1.25 (two decimals)', { ...rule, kind: 'multiplier', factor: 1.25 }],
      ['multiplier ×1 (a no-op is allowed)', { ...rule, kind: 'multiplier', factor: 1 }],
      [
        'ids with digits, dots and underscores',
        { ...rule, id: '2026.summer_bbq-x2', kind: 'multiplier', factor: 2 },
      ],
      [
        'a scope and conditions',
        {
          ...rule,
          kind: 'multiplier',
          factor: 3,
          scope: { categories: ['fresh-produce'], excludeSkus: ['GB-BANANAS'] },
          conditions: { daysOfWeek: [6, 7], minBasket: 2000 },
        },
      ],
    ],
    [
      ['an unknown kind', { ...rule, kind: 'lottery', points: 5 }, ['kind']],
      ['no kind', { ...rule, points: 5 }, ['kind']],
      ['zero points', { ...rule, kind: 'per-amount', points: 0, per: 100 }, ['points']],
      ['negative points', { ...rule, kind: 'per-item', points: -10 }, ['points']],
      ['fractional points', { ...rule, kind: 'per-visit', points: 2.5 }, ['points']],
      ['per 0', { ...rule, kind: 'per-amount', points: 1, per: 0 }, ['per']],
      ['a missing per', { ...rule, kind: 'per-amount', points: 1 }, ['per']],
      ['minQuantity 0', { ...rule, kind: 'fixed-bonus', points: 50, minQuantity: 0 }, ['minQuantity']],
      ['a factor below 1', { ...rule, kind: 'multiplier', factor: 0.5 }, ['factor']],
      ['a factor with three decimals', { ...rule, kind: 'multiplier', factor: 1.333 }, ['factor']],
      ['a factor above 100', { ...rule, kind: 'multiplier', factor: 101 }, ['factor']],
      ['points on a multiplier (unknown key)', { ...rule, kind: 'multiplier', factor: 2, points: 1 }, ['']],
      ['an upper-case id', { ...rule, id: 'Weekend', kind: 'per-visit', points: 5 }, ['id']],
      ['an id with a space', { ...rule, id: 'early bird', kind: 'per-visit', points: 5 }, ['id']],
      ['a blank label', { ...rule, label: '   ', kind: 'per-visit', points: 5 }, ['label']],
      [
        'a label over 80 characters',
        { ...rule, label: 'x'.repeat(81), kind: 'per-visit', points: 5 },
        ['label'],
      ],
    ],
  );
});

describe('scopes', () => {
  branch(
    scopeSchema,
    [
      ['no restriction', {}],
      ['categories', { categories: ['coffee', 'tea'] }],
      [
        'skus with exclusions',
        { skus: ['BT-CAPPUCCINO-M'], excludeCategories: ['gift-cards'], excludeSkus: ['X'] },
      ],
    ],
    [
      ['an unknown key', { brands: ['acme'] }, ['']],
      ['an empty category name', { categories: [''] }, ['categories.0']],
      ['a category that is not a list', { categories: 'coffee' }, ['categories']],
    ],
  );
});

describe('conditions', () => {
  branch(
    conditionsSchema,
    [
      ['none', {}],
      ['every weekday', { daysOfWeek: [1, 2, 3, 4, 5, 6, 7] }],
      ['a morning window', { timeWindow: { from: '07:00', to: '09:00' } }],
      ['a window across midnight', { timeWindow: { from: '22:00', to: '02:00' } }],
      ['a date range of one day', { dateRange: { from: '2026-12-24', to: '2026-12-24' } }],
      ['a minimum basket of 0', { minBasket: 0 }],
      ['tiers', { tiers: ['gold', 'platinum'] }],
      ['the birthday month', { birthdayMonth: true }],
      ['the first purchase', { firstPurchase: true }],
    ],
    [
      ['no days', { daysOfWeek: [] }, ['daysOfWeek']],
      ['day 0 (days are 1 = Monday … 7 = Sunday)', { daysOfWeek: [0] }, ['daysOfWeek.0']],
      ['day 8', { daysOfWeek: [8] }, ['daysOfWeek.0']],
      ['a time without a leading zero', { timeWindow: { from: '7:00', to: '09:00' } }, ['timeWindow.from']],
      ['24:00', { timeWindow: { from: '20:00', to: '24:00' } }, ['timeWindow.to']],
      ['minute 60', { timeWindow: { from: '09:60', to: '10:00' } }, ['timeWindow.from']],
      ['a window without an end', { timeWindow: { from: '07:00' } }, ['timeWindow.to']],
      [
        'a date without zero padding',
        { dateRange: { from: '2026-6-1', to: '2026-06-30' } },
        ['dateRange.from'],
      ],
      ['a negative minimum basket', { minBasket: -1 }, ['minBasket']],
      ['a fractional minimum basket (minor units are integers)', { minBasket: 10.5 }, ['minBasket']],
      ['an empty tier list', { tiers: [] }, ['tiers']],
      ['birthdayMonth false (leave it out instead)', { birthdayMonth: false }, ['birthdayMonth']],
      ['firstPurchase false', { firstPurchase: false }, ['firstPurchase']],
      ['an unknown condition', { hours: '07-09' }, ['']],
    ],
  );
});

const reward = { id: 'r', label: 'Reward', cost: 100 };

describe('rewards', () => {
  branch(
    rewardSchema,
    [
      ['a free product', { ...reward, kind: 'free-product', sku: 'BT-COFFEE-ANY' }],
      ['a fixed discount', { ...reward, kind: 'fixed-discount', amount: 500 }],
      ['a percent discount with a cap', { ...reward, kind: 'percent-discount', percent: 15, cap: 6000 }],
      ['100 percent', { ...reward, kind: 'percent-discount', percent: 100, cap: 1000 }],
      ['a gift card', { ...reward, kind: 'gift-card', amount: 2500 }],
      ['a donation', { ...reward, kind: 'donation', charity: 'City Food Bank', amount: 500 }],
      [
        'a tier-only, inactive reward',
        { ...reward, kind: 'gift-card', amount: 2500, tiers: ['gold'], active: false, maxPerTransaction: 2 },
      ],
    ],
    [
      ['an unknown kind', { ...reward, kind: 'cashback', amount: 500 }, ['kind']],
      ['a cost of 0', { ...reward, cost: 0, kind: 'gift-card', amount: 2500 }, ['cost']],
      ['a free product without a SKU', { ...reward, kind: 'free-product' }, ['sku']],
      ['a fixed discount of 0', { ...reward, kind: 'fixed-discount', amount: 0 }, ['amount']],
      ['a discount in euros, not cents', { ...reward, kind: 'fixed-discount', amount: 5.5 }, ['amount']],
      ['0 percent', { ...reward, kind: 'percent-discount', percent: 0, cap: 1000 }, ['percent']],
      ['101 percent', { ...reward, kind: 'percent-discount', percent: 101, cap: 1000 }, ['percent']],
      ['a percent discount without a cap', { ...reward, kind: 'percent-discount', percent: 10 }, ['cap']],
      ['a negative gift card', { ...reward, kind: 'gift-card', amount: -2500 }, ['amount']],
      ['a donation without a charity', { ...reward, kind: 'donation', amount: 500 }, ['charity']],
      [
        'maxPerTransaction 0',
        { ...reward, kind: 'gift-card', amount: 2500, maxPerTransaction: 0 },
        ['maxPerTransaction'],
      ],
      ['an empty tier list', { ...reward, kind: 'gift-card', amount: 2500, tiers: [] }, ['tiers']],
      ['active as text', { ...reward, kind: 'gift-card', amount: 2500, active: 'yes' }, ['active']],
    ],
  );
});

describe('actions', () => {
  branch(
    actionSchema,
    (['day', 'week', 'month', 'year', 'lifetime'] as const).map((period): Row => [
      `a limit per ${period}`,
      { id: 'survey', label: 'Survey answered', points: 10, limit: { count: 1, period } },
    ]),
    [
      [
        'a limit per hour',
        { id: 'survey', label: 'Survey', points: 10, limit: { count: 1, period: 'hour' } },
        ['limit.period'],
      ],
      [
        'a limit of 0',
        { id: 'survey', label: 'Survey', points: 10, limit: { count: 0, period: 'month' } },
        ['limit.count'],
      ],
      ['no limit', { id: 'survey', label: 'Survey', points: 10 }, ['limit']],
      [
        '0 points',
        { id: 'survey', label: 'Survey', points: 0, limit: { count: 1, period: 'month' } },
        ['points'],
      ],
    ],
  );
});

describe('tiers', () => {
  const level = { id: 'gold', label: 'Gold', threshold: 50_000 };
  branch(
    tierSchema,
    [
      ['a level with defaults', level],
      ['a level with a multiplier and perks', { ...level, multiplier: 1.5, perks: ['Free returns'] }],
    ],
    [
      ['a negative threshold', { ...level, threshold: -1 }, ['threshold']],
      ['a multiplier below 1', { ...level, multiplier: 0.9 }, ['multiplier']],
      ['an empty perk', { ...level, perks: [''] }, ['perks.0']],
    ],
  );
  const levels = [{ id: 'silver', label: 'Silver', threshold: 0 }];
  branch(
    tiersSchema,
    [
      ['a points basis', { basis: 'points', windowMonths: 12, levels }],
      ['a spend basis over 60 months', { basis: 'spend', windowMonths: 60, levels }],
    ],
    [
      ['a visits basis', { basis: 'visits', windowMonths: 12, levels }, ['basis']],
      ['a 0-month window', { basis: 'points', windowMonths: 0, levels }, ['windowMonths']],
      ['a 61-month window', { basis: 'points', windowMonths: 61, levels }, ['windowMonths']],
      ['no levels', { basis: 'points', windowMonths: 12, levels: [] }, ['levels']],
    ],
  );
});

describe('expiry', () => {
  branch(
    expirySchema,
    [
      ['none', { mode: 'none' }],
      ['rolling 12 months', { mode: 'rolling', months: 12 }],
      ['inactivity 18 months', { mode: 'inactivity', months: 18 }],
      ['rolling 120 months', { mode: 'rolling', months: 120 }],
    ],
    [
      ['an unknown mode', { mode: 'fixed-date', date: '2026-12-31' }, ['mode']],
      ['rolling without months', { mode: 'rolling' }, ['months']],
      ['0 months', { mode: 'inactivity', months: 0 }, ['months']],
      ['121 months', { mode: 'rolling', months: 121 }, ['months']],
      ['none with months', { mode: 'none', months: 12 }, ['']],
    ],
  );
});

describe('paid plans', () => {
  const plan = { id: 'plus', label: 'Plus', fee: 2900, durationDays: 365 };
  branch(
    planSchema,
    [
      ['a yearly plan', { ...plan, multiplier: 2, joinBonus: 500, perks: ['Free delivery'] }],
      ['a free trial plan (fee 0)', { ...plan, fee: 0, durationDays: 30 }],
    ],
    [
      ['a negative fee', { ...plan, fee: -1 }, ['fee']],
      ['a fee in euros, not cents', { ...plan, fee: 29.9 }, ['fee']],
      ['0 days', { ...plan, durationDays: 0 }, ['durationDays']],
      ['more than ten years', { ...plan, durationDays: 3661 }, ['durationDays']],
      ['a multiplier below 1', { ...plan, multiplier: 0.5 }, ['multiplier']],
      ['a negative join bonus', { ...plan, joinBonus: -100 }, ['joinBonus']],
      ['no id', { label: 'Plus', fee: 2900, durationDays: 365 }, ['id']],
    ],
  );
});

describe('offline policy', () => {
  const policy = {
    allowanceCap: 500,
    freshHours: 24,
    expiredHours: 72,
    staleAllowancePercent: 50,
    managerOverrideCap: 100,
  };
  branch(
    offlinePolicySchema,
    [
      ['a typical policy', policy],
      ['half-hour freshness', { ...policy, freshHours: 0.5, expiredHours: 4 }],
      [
        'no stale allowance and no override',
        { ...policy, staleAllowancePercent: 0, managerOverrideCap: 0, allowanceCap: 0 },
      ],
      ['30 days fresh, 90 days before earn-only', { ...policy, freshHours: 720, expiredHours: 2160 }],
    ],
    [
      ['expiredHours equal to freshHours', { ...policy, expiredHours: 24 }, ['expiredHours']],
      ['expiredHours below freshHours', { ...policy, freshHours: 48, expiredHours: 24 }, ['expiredHours']],
      ['0 fresh hours', { ...policy, freshHours: 0 }, ['freshHours']],
      ['more than 30 days fresh', { ...policy, freshHours: 721, expiredHours: 800 }, ['freshHours']],
      ['more than 90 days before earn-only', { ...policy, expiredHours: 2161 }, ['expiredHours']],
      [
        'a percent of balance over 100',
        { ...policy, allowancePercentOfBalance: 101 },
        ['allowancePercentOfBalance'],
      ],
      ['a negative stale percent', { ...policy, staleAllowancePercent: -1 }, ['staleAllowancePercent']],
      ['a fractional cap', { ...policy, allowanceCap: 1.5 }, ['allowanceCap']],
      ['a negative override cap', { ...policy, managerOverrideCap: -1 }, ['managerOverrideCap']],
      [
        'no override cap',
        { allowanceCap: 500, freshHours: 24, expiredHours: 72, staleAllowancePercent: 50 },
        ['managerOverrideCap'],
      ],
    ],
  );
});

describe('whole-program checks', () => {
  const program = (): ProgramInput => ({
    id: 'checks',
    version: 1,
    name: 'Checks',
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    pointValue: { points: 100, value: 100 },
    earning: { rules: [{ id: 'base', label: 'Base', kind: 'per-amount', points: 1, per: 100 }] },
    offline: {
      allowanceCap: 500,
      freshHours: 24,
      expiredHours: 72,
      staleAllowancePercent: 50,
      managerOverrideCap: 100,
    },
  });
  const tiers = (...thresholds: number[]): ProgramInput['tiers'] => ({
    basis: 'points',
    windowMonths: 12,
    levels: thresholds.map((threshold, i) => ({
      id: ['silver', 'gold', 'platinum'][i] ?? `t${i}`,
      label: `Tier ${i}`,
      threshold,
    })),
  });
  const gift = (id: string, extra: object = {}) => ({
    id,
    label: 'Gift card',
    kind: 'gift-card' as const,
    cost: 100,
    amount: 100,
    ...extra,
  });
  const base = program().earning.rules[0];

  const paths = (input: unknown): string[] => {
    const result = parseProgram(input);
    return result.ok ? [] : result.error.map((e) => e.path).sort();
  };

  it.each<Row>([
    ['the minimal program', program()],
    ['three increasing tiers', { ...program(), tiers: tiers(0, 1000, 5000) }],
    ['another zone and currency', { ...program(), currency: 'GBP', timeZone: 'Europe/London' }],
    ['a zero-decimal currency', { ...program(), currency: 'JPY', timeZone: 'Asia/Tokyo' }],
    ['UTC', { ...program(), timeZone: 'UTC' }],
    ['rounding to nearest', { ...program(), rounding: 'round' }],
    ['a referral bonus', { ...program(), bonuses: { referral: { referrer: 200, newMember: 100 } } }],
  ])('accepts %s', (_name, input) => {
    expect(paths(input)).toEqual([]);
  });

  it.each<BadRow>([
    ['a lower-case currency', { ...program(), currency: 'eur' }, ['currency']],
    ['an unknown time zone', { ...program(), timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
    // A fixed offset ignores daylight saving, so "07:00-09:00" would drift by an hour half the year. Node 20's
    // Intl refuses it; newer V8 (Chromium, so Electron) accepts it: this row guards the schema, not Intl.
    ['a UTC offset instead of a zone', { ...program(), timeZone: '+01:00' }, ['timeZone']],
    ['version 0', { ...program(), version: 0 }, ['version']],
    [
      'a point value of 0 points',
      { ...program(), pointValue: { points: 0, value: 100 } },
      ['pointValue.points'],
    ],
    ['banker’s rounding', { ...program(), rounding: 'bankers' }, ['rounding']],
    ['no earning rules', { ...program(), earning: { rules: [] } }, ['earning.rules']],
    [
      'an unknown stacking mode',
      { ...program(), earning: { rules: [base], multiplierStacking: 'multiply' } },
      ['earning.multiplierStacking'],
    ],
    ['a duplicate rule id', { ...program(), earning: { rules: [base, base] } }, ['earning.rules.1.id']],
    ['a duplicate reward id', { ...program(), rewards: [gift('gc'), gift('gc')] }, ['rewards.1.id']],
    [
      'a duplicate action id',
      {
        ...program(),
        actions: [0, 1].map(() => ({
          id: 'survey',
          label: 'Survey',
          points: 10,
          limit: { count: 1, period: 'month' },
        })),
      },
      ['actions.1.id'],
    ],
    [
      'a duplicate plan id',
      { ...program(), plans: [0, 1].map(() => ({ id: 'plus', label: 'Plus', fee: 100, durationDays: 30 })) },
      ['plans.1.id'],
    ],
    ['a first tier above 0', { ...program(), tiers: tiers(100, 1000) }, ['tiers.levels.0.threshold']],
    ['equal thresholds', { ...program(), tiers: tiers(0, 1000, 1000) }, ['tiers.levels.2.threshold']],
    ['decreasing thresholds', { ...program(), tiers: tiers(0, 5000, 1000) }, ['tiers.levels.2.threshold']],
    [
      'a duplicate tier id',
      {
        ...program(),
        tiers: {
          basis: 'points',
          windowMonths: 12,
          levels: [0, 1].map((t) => ({ id: 'gold', label: 'Gold', threshold: t })),
        },
      },
      ['tiers.levels.1.id'],
    ],
    [
      'a reward for a tier that does not exist',
      { ...program(), tiers: tiers(0, 1000), rewards: [gift('gc', { tiers: ['gold', 'diamond'] })] },
      ['rewards.0.tiers.1'],
    ],
    [
      'a tier-only reward in a program without tiers',
      { ...program(), rewards: [gift('gc', { tiers: ['gold'] })] },
      ['rewards.0.tiers.0'],
    ],
    [
      'a rule for a tier that does not exist',
      {
        ...program(),
        tiers: tiers(0, 1000),
        earning: {
          rules: [
            base,
            { id: 'vip', label: 'VIP', kind: 'multiplier', factor: 2, conditions: { tiers: ['vip'] } },
          ],
        },
      },
      ['earning.rules.1.conditions.tiers.0'],
    ],
    [
      'a date range that ends before it starts',
      {
        ...program(),
        earning: {
          rules: [{ ...base, conditions: { dateRange: { from: '2026-07-12', to: '2026-06-15' } } }],
        },
      },
      ['earning.rules.0.conditions.dateRange'],
    ],
    [
      'a referral bonus without the new member’s share',
      { ...program(), bonuses: { referral: { referrer: 200 } } },
      ['bonuses.referral.newMember'],
    ],
    ['a negative welcome bonus', { ...program(), bonuses: { welcome: -10 } }, ['bonuses.welcome']],
    ['no offline policy', { ...program(), offline: undefined }, ['offline']],
  ])('refuses %s', (_name, input, expected) => {
    expect(paths(input)).toEqual([...expected].sort());
  });
});

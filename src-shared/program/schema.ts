// The loyalty program definition: what earns points, what they buy, tiers, expiry, paid plans and the
// offline policy. HQ publishes immutable numbered versions; terminals and HQ evaluate the same document.
// Stacking (stated once, here, and in docs/program-format.md):
//   1. base points come from `per-amount` and `per-item` rules, each rule rounded on its own total;
//   2. multipliers (rules, the member's tier, the member's paid plan) add (factor − 1) × the base points
//      of the lines they cover; with `multiplierStacking: 'highest'` only the largest factor on a line counts;
//   3. additive bonuses (`per-visit`, `fixed-bonus`) are added last and are never multiplied.
import { z } from 'zod';
import { currencySchema, nonNegativeMinorSchema } from '../kernel/money.js';
import { isTimeZone } from '../kernel/zoned-time.js';

const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-_.]*$/, 'lower-case letters, digits, - _ . (e.g. "weekend-double")');
const labelSchema = z.string().trim().min(1).max(80);
const pointsSchema = z.number().int().nonnegative().safe();
const positivePointsSchema = z.number().int().positive().safe();
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** Multiplier factors have at most two decimals so points stay exact in integer arithmetic. */
const factorSchema = z
  .number()
  .min(1)
  .max(100)
  .refine((f) => Math.abs(f * 100 - Math.round(f * 100)) < 1e-9, 'at most two decimals');

export const scopeSchema = z
  .object({
    categories: z.array(z.string().min(1)).optional(),
    skus: z.array(z.string().min(1)).optional(),
    excludeCategories: z.array(z.string().min(1)).optional(),
    excludeSkus: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type Scope = z.infer<typeof scopeSchema>;

export const conditionsSchema = z
  .object({
    daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).optional(),
    timeWindow: z.object({ from: hhmm, to: hhmm }).strict().optional(),
    dateRange: z.object({ from: isoDate, to: isoDate }).strict().optional(),
    minBasket: nonNegativeMinorSchema.optional(),
    tiers: z.array(idSchema).min(1).optional(),
    birthdayMonth: z.literal(true).optional(),
    firstPurchase: z.literal(true).optional(),
  })
  .strict();
export type Conditions = z.infer<typeof conditionsSchema>;

const ruleBase = {
  id: idSchema,
  label: labelSchema,
  scope: scopeSchema.optional(),
  conditions: conditionsSchema.optional(),
};

export const earnRuleSchema = z.discriminatedUnion('kind', [
  /** `points` for every `per` minor units of eligible spend, e.g. 1 point per 100 cents. */
  z.object({ ...ruleBase, kind: z.literal('per-amount'), points: positivePointsSchema, per: z.number().int().positive().safe() }).strict(),
  /** `points` for every unit of an eligible line. */
  z.object({ ...ruleBase, kind: z.literal('per-item'), points: positivePointsSchema }).strict(),
  /** `points` once per purchase that has at least one eligible line. */
  z.object({ ...ruleBase, kind: z.literal('per-visit'), points: positivePointsSchema }).strict(),
  /** `points` once when the basket holds at least `minQuantity` eligible units. */
  z
    .object({ ...ruleBase, kind: z.literal('fixed-bonus'), points: positivePointsSchema, minQuantity: z.number().int().positive().default(1) })
    .strict(),
  /** Multiplies the base points of the lines in scope. */
  z.object({ ...ruleBase, kind: z.literal('multiplier'), factor: factorSchema }).strict(),
]);
export type EarnRule = z.infer<typeof earnRuleSchema>;

export const actionSchema = z
  .object({
    id: idSchema,
    label: labelSchema,
    points: positivePointsSchema,
    limit: z
      .object({ count: z.number().int().positive(), period: z.enum(['day', 'week', 'month', 'year', 'lifetime']) })
      .strict(),
  })
  .strict();
export type Action = z.infer<typeof actionSchema>;

const rewardBase = {
  id: idSchema,
  label: labelSchema,
  cost: positivePointsSchema,
  maxPerTransaction: z.number().int().positive().default(1),
  /** Tier-only rewards list the tiers that may redeem them. */
  tiers: z.array(idSchema).min(1).optional(),
  active: z.boolean().default(true),
};

export const rewardSchema = z.discriminatedUnion('kind', [
  z.object({ ...rewardBase, kind: z.literal('free-product'), sku: z.string().min(1) }).strict(),
  z.object({ ...rewardBase, kind: z.literal('fixed-discount'), amount: z.number().int().positive().safe() }).strict(),
  z
    .object({ ...rewardBase, kind: z.literal('percent-discount'), percent: z.number().int().min(1).max(100), cap: z.number().int().positive().safe() })
    .strict(),
  z.object({ ...rewardBase, kind: z.literal('gift-card'), amount: z.number().int().positive().safe() }).strict(),
  z.object({ ...rewardBase, kind: z.literal('donation'), charity: labelSchema, amount: z.number().int().positive().safe() }).strict(),
]);
export type Reward = z.infer<typeof rewardSchema>;

export const tierSchema = z
  .object({
    id: idSchema,
    label: labelSchema,
    /** Qualifying points or spend (minor units) over the rolling window to hold this tier. */
    threshold: z.number().int().nonnegative().safe(),
    multiplier: factorSchema.default(1),
    perks: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type Tier = z.infer<typeof tierSchema>;

export const tiersSchema = z
  .object({
    basis: z.enum(['points', 'spend']),
    /** Rolling window in calendar months, the current month included. */
    windowMonths: z.number().int().min(1).max(60),
    levels: z.array(tierSchema).min(1),
  })
  .strict();

export const expirySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  /** Each earned batch expires `months` after it was earned; redemptions spend the oldest batch first. */
  z.object({ mode: z.literal('rolling'), months: z.number().int().min(1).max(120) }).strict(),
  /** The whole balance expires after `months` with no earn or redemption. */
  z.object({ mode: z.literal('inactivity'), months: z.number().int().min(1).max(120) }).strict(),
]);
export type Expiry = z.infer<typeof expirySchema>;

export const planSchema = z
  .object({
    id: idSchema,
    label: labelSchema,
    fee: z.number().int().nonnegative().safe(),
    durationDays: z.number().int().min(1).max(3660),
    multiplier: factorSchema.default(1),
    joinBonus: pointsSchema.default(0),
    perks: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type Plan = z.infer<typeof planSchema>;

export const offlinePolicySchema = z
  .object({
    /** HQ's allowance: min(balance × percentOfBalance / 100, cap) points. */
    allowanceCap: pointsSchema,
    allowancePercentOfBalance: z.number().int().min(0).max(100).default(100),
    /** Replica younger than this: full service. */
    freshHours: z.number().positive().max(24 * 30),
    /** Replica older than this: earn only. Between fresh and expired: stale. */
    expiredHours: z.number().positive().max(24 * 90),
    /** Share of the allowance usable while stale. */
    staleAllowancePercent: z.number().int().min(0).max(100),
    /** A manager's PIN can approve this many points above the allowance per redemption. */
    managerOverrideCap: pointsSchema,
  })
  .strict()
  .refine((p) => p.expiredHours > p.freshHours, { message: 'expiredHours must exceed freshHours', path: ['expiredHours'] });
export type OfflinePolicy = z.infer<typeof offlinePolicySchema>;

export const programSchema = z
  .object({
    id: idSchema,
    version: z.number().int().positive(),
    name: labelSchema,
    currency: currencySchema,
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Paris'),
    /** `points` points are worth `value` minor units: used for liability and discount reporting. */
    pointValue: z.object({ points: positivePointsSchema, value: z.number().int().positive().safe() }).strict(),
    rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
    earning: z
      .object({
        multiplierStacking: z.enum(['add', 'highest']).default('highest'),
        /** Lines in these categories or SKUs never earn (gift cards, tobacco…). */
        excluded: z
          .object({ categories: z.array(z.string().min(1)).default([]), skus: z.array(z.string().min(1)).default([]) })
          .strict()
          .default({ categories: [], skus: [] }),
        rules: z.array(earnRuleSchema).min(1),
      })
      .strict(),
    bonuses: z
      .object({
        welcome: pointsSchema.default(0),
        referral: z.object({ referrer: pointsSchema, newMember: pointsSchema }).strict().optional(),
        birthday: pointsSchema.default(0),
      })
      .strict()
      .default({ welcome: 0, birthday: 0 }),
    actions: z.array(actionSchema).default([]),
    rewards: z.array(rewardSchema).default([]),
    tiers: tiersSchema.optional(),
    expiry: expirySchema.default({ mode: 'none' }),
    plans: z.array(planSchema).default([]),
    offline: offlinePolicySchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    const unique = (items: readonly { id: string }[], path: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `duplicate id "${item.id}"`, path: [...path.split('.'), i, 'id'] });
        seen.add(item.id);
      });
    };
    unique(p.earning.rules, 'earning.rules');
    unique(p.rewards, 'rewards');
    unique(p.actions, 'actions');
    unique(p.plans, 'plans');
    const tierIds = new Set(p.tiers?.levels.map((t) => t.id) ?? []);
    if (p.tiers) {
      unique(p.tiers.levels, 'tiers.levels');
      p.tiers.levels.forEach((t, i) => {
        const prev = p.tiers?.levels[i - 1];
        if (i === 0 && t.threshold !== 0)
          ctx.addIssue({ code: 'custom', message: 'the first tier must have threshold 0', path: ['tiers', 'levels', i, 'threshold'] });
        if (prev && t.threshold <= prev.threshold)
          ctx.addIssue({ code: 'custom', message: 'thresholds must increase', path: ['tiers', 'levels', i, 'threshold'] });
      });
    }
    const checkTiers = (tiers: readonly string[] | undefined, path: (string | number)[]) =>
      tiers?.forEach((t, i) => {
        if (!tierIds.has(t)) ctx.addIssue({ code: 'custom', message: `unknown tier "${t}"`, path: [...path, i] });
      });
    p.earning.rules.forEach((r, i) => checkTiers(r.conditions?.tiers, ['earning', 'rules', i, 'conditions', 'tiers']));
    p.rewards.forEach((r, i) => checkTiers(r.tiers, ['rewards', i, 'tiers']));
    p.earning.rules.forEach((r, i) => {
      const range = r.conditions?.dateRange;
      if (range && range.from > range.to)
        ctx.addIssue({ code: 'custom', message: 'dateRange.from is after dateRange.to', path: ['earning', 'rules', i, 'conditions', 'dateRange'] });
    });
  });

/** A validated program, defaults filled in. */
export type Program = z.output<typeof programSchema>;
/** A program as written in a file, before defaults. */
export type ProgramInput = z.input<typeof programSchema>;

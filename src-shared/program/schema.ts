// The loyalty program definition: what earns points, what they buy, tiers, expiry, paid plans and the
// offline policy. HQ publishes immutable numbered versions; terminals and HQ evaluate the same document.
// Stacking (stated once, here, and in docs/program-format.md):
//   1. base points come from `per-amount` and `per-item` rules, each rule rounded on its own total;
//   2. multipliers (rules, the member's tier, the member's paid plan) add (factor − 1) × the base points
//      of the lines they cover, computed from the covered amount (or quantity) and rounded once per
//      (multiplier, base rule) pair; with `multiplierStacking: 'highest'` only the largest factor on a
//      line counts;
//   3. additive bonuses (`per-visit`, `fixed-bonus`) are added last and are never multiplied.
import { z } from 'zod';
import { currencySchema, nonNegativeMinorSchema } from '../kernel/money.js';
import { PIN_LENGTH_LIMITS } from '../kernel/pin.js';
import { MAX_POINTS } from '../kernel/points.js';
import { isTimeZone } from '../kernel/zoned-time.js';

const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-_.]*$/, 'lower-case letters, digits, - _ . (e.g. "weekend-double")');
const labelSchema = z.string().trim().min(1).max(80);
// Point figures are bounded like event figures (kernel/points.ts), so nothing a program says can
// produce an event HQ refuses.
const pointsSchema = z.number().int().nonnegative().max(MAX_POINTS, `at most ${MAX_POINTS} points`);
const positivePointsSchema = z.number().int().positive().max(MAX_POINTS, `at most ${MAX_POINTS} points`);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
/** Multiplier factors have at most two decimals so points stay exact in integer arithmetic. */
const factorSchema = z
  .number()
  .min(1)
  .max(100)
  .refine((f) => Math.abs(f * 100 - Math.round(f * 100)) < 1e-9, 'at most two decimals');

// Cross-field checks also run on documents with other problems (so one pass lists them all); these read
// values that may have the wrong shape without throwing.
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;

const ianaName = /^(UTC|[A-Z][A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/;

export const scopeSchema = z
  .object({
    /** Allow-lists: a line is in scope if it matches either; without both, every line is. */
    categories: z.array(z.string().min(1)).min(1).optional(),
    skus: z.array(z.string().min(1)).min(1).optional(),
    excludeCategories: z.array(z.string().min(1)).min(1).optional(),
    excludeSkus: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type Scope = z.infer<typeof scopeSchema>;

export const conditionsSchema = z
  .object({
    daysOfWeek: z.array(z.number().int().min(1).max(7)).min(1).optional(),
    /** Local wall-clock window, `to` exclusive; may cross midnight (22:00–02:00); `from` equal to `to` is all day. */
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
  z
    .object({
      ...ruleBase,
      kind: z.literal('per-amount'),
      points: positivePointsSchema,
      per: z.number().int().positive().safe(),
    })
    .strict(),
  /** `points` for every unit of an eligible line. */
  z.object({ ...ruleBase, kind: z.literal('per-item'), points: positivePointsSchema }).strict(),
  /** `points` once per purchase that has at least one eligible line. */
  z.object({ ...ruleBase, kind: z.literal('per-visit'), points: positivePointsSchema }).strict(),
  /** `points` once when the basket holds at least `minQuantity` eligible units. */
  z
    .object({
      ...ruleBase,
      kind: z.literal('fixed-bonus'),
      points: positivePointsSchema,
      minQuantity: z.number().int().positive().safe().default(1),
    })
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
      .object({
        count: z.number().int().positive().safe(),
        period: z.enum(['day', 'week', 'month', 'year', 'lifetime']),
      })
      .strict(),
  })
  .strict();
export type Action = z.infer<typeof actionSchema>;

const rewardBase = {
  id: idSchema,
  label: labelSchema,
  cost: positivePointsSchema,
  maxPerTransaction: z.number().int().positive().safe().default(1),
  /** Tier-only rewards list the tiers that may redeem them. */
  tiers: z.array(idSchema).min(1).optional(),
  active: z.boolean().default(true),
};

export const rewardSchema = z.discriminatedUnion('kind', [
  z.object({ ...rewardBase, kind: z.literal('free-product'), sku: z.string().min(1) }).strict(),
  z
    .object({ ...rewardBase, kind: z.literal('fixed-discount'), amount: z.number().int().positive().safe() })
    .strict(),
  z
    .object({
      ...rewardBase,
      kind: z.literal('percent-discount'),
      percent: z.number().int().min(1).max(100),
      cap: z.number().int().positive().safe(),
    })
    .strict(),
  z
    .object({ ...rewardBase, kind: z.literal('gift-card'), amount: z.number().int().positive().safe() })
    .strict(),
  z
    .object({
      ...rewardBase,
      kind: z.literal('donation'),
      charity: labelSchema,
      amount: z.number().int().positive().safe(),
    })
    .strict(),
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

/** Defaults of `adjustments.caps`: a cashier cannot adjust, a manager up to a goodwill gesture. */
export const defaultAdjustmentCaps = { cashier: 0, manager: 1000 } as const;

export const adjustmentsSchema = z
  .object({
    /** The largest positive adjustment HQ applies from a terminal, by the role HQ has on file for the
     *  approving manager; HQ holds the rest for an administrator. Debits are always applied. */
    caps: z
      .object({
        cashier: pointsSchema.default(defaultAdjustmentCaps.cashier),
        manager: pointsSchema.default(defaultAdjustmentCaps.manager),
      })
      .strict()
      .default({ ...defaultAdjustmentCaps }),
  })
  .strict();
export type Adjustments = z.infer<typeof adjustmentsSchema>;

export const offlinePolicySchema = z
  .object({
    /** HQ's allowance: min(balance × percentOfBalance / 100, cap) points. */
    allowanceCap: pointsSchema,
    allowancePercentOfBalance: z.number().int().min(0).max(100).default(100),
    /** Replica younger than this: full service. */
    freshHours: z
      .number()
      .positive()
      .max(24 * 30),
    /** Replica older than this: earn only. Between fresh and expired: stale. */
    expiredHours: z
      .number()
      .positive()
      .max(24 * 90),
    /** Share of the allowance usable while stale. */
    staleAllowancePercent: z.number().int().min(0).max(100),
    /** A manager's PIN can approve this many points above the allowance per redemption. */
    managerOverrideCap: pointsSchema,
  })
  .strict()
  .refine((p) => p.expiredHours > p.freshHours, {
    message: 'expiredHours must exceed freshHours',
    path: ['expiredHours'],
    // Compare the two hours whenever both are numbers, even if another offline field is malformed.
    when: ({ value }) =>
      typeof field(value, 'freshHours') === 'number' && typeof field(value, 'expiredHours') === 'number',
  });
export type OfflinePolicy = z.infer<typeof offlinePolicySchema>;

/**
 * How a terminal recognises a loyalty card among scanned barcodes, swiped stripes and NFC UIDs
 * (src-shared/scan; docs/program-format.md "Card numbers"). Patterns are tried in order; the first match wins.
 */
export const cardPatternSchema = z.discriminatedUnion('kind', [
  /** A valid EAN-13 (or UPC-A read as 0 + 12 digits) starting with `prefix`, e.g. GS1 restricted circulation `04`. */
  z
    .object({
      id: idSchema,
      label: labelSchema,
      kind: z.literal('ean13-prefix'),
      prefix: z.string().regex(/^\d{1,12}$/, '1 to 12 digits'),
    })
    .strict(),
  /** A non-financial magnetic stripe (track 1 not format B, or track 2) whose number starts with `prefix`. */
  z
    .object({
      id: idSchema,
      label: labelSchema,
      kind: z.literal('magstripe-prefix'),
      prefix: z.string().regex(/^[0-9A-Z]{0,19}$/, 'up to 19 digits or capital letters'),
    })
    .strict(),
  /** A regular expression the whole number must match: barcode text, stripe number or NFC UID (upper-case hex). */
  z
    .object({
      id: idSchema,
      label: labelSchema,
      kind: z.literal('regex'),
      pattern: z
        .string()
        .min(1)
        .max(200)
        .refine((p) => {
          try {
            new RegExp(p);
            return true;
          } catch {
            return false;
          }
        }, 'a valid JavaScript regular expression'),
      /** Only this medium; omitted: any. */
      via: z.enum(['barcode', 'magstripe', 'nfc']).optional(),
    })
    .strict(),
]);
export type CardPattern = z.infer<typeof cardPatternSchema>;

const pinDigits = z.number().int().min(PIN_LENGTH_LIMITS.min).max(PIN_LENGTH_LIMITS.max);
/** How many digits a staff PIN has: `{ "min": 4, "max": 6 }`, within 4–8. */
export const pinLengthSchema = z
  .object({ min: pinDigits, max: pinDigits })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min is more than max', path: ['min'] });

/** GS1 prefixes 040–049 are for company-internal numbers: they can never collide with a product. */
export const defaultCardPatterns = (): CardPattern[] => [
  { id: 'store-card-04', label: 'Store card (EAN-13 04…)', kind: 'ean13-prefix', prefix: '04' },
];

export const programSchema = z
  .object({
    id: idSchema,
    version: z.number().int().positive().safe(),
    name: labelSchema,
    currency: currencySchema,
    // A region name, not an offset or abbreviation: `+01:00` and `EST` are accepted by newer Intl
    // implementations but ignore daylight saving, which would shift every time window half the year.
    timeZone: z
      .string()
      .refine((tz) => ianaName.test(tz) && isTimeZone(tz), 'an IANA time zone such as Europe/Paris'),
    /** `points` points are worth `value` minor units: used for liability and discount reporting. */
    pointValue: z
      .object({ points: positivePointsSchema, value: z.number().int().positive().safe() })
      .strict(),
    rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
    earning: z
      .object({
        multiplierStacking: z.enum(['add', 'highest']).default('highest'),
        /** Lines in these categories or SKUs never earn (gift cards, tobacco…). */
        excluded: z
          .object({
            categories: z.array(z.string().min(1)).default([]),
            skus: z.array(z.string().min(1)).default([]),
          })
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
    adjustments: adjustmentsSchema.default({ caps: { ...defaultAdjustmentCaps } }),
    cards: z
      .object({ patterns: z.array(cardPatternSchema).default(defaultCardPatterns) })
      .strict()
      .default(() => ({ patterns: defaultCardPatterns() })),
    /**
     * The chain's staff PINs: how many digits (4–8). HQ refuses a new PIN outside the range; the pin pad
     * takes that many digits. Raising `min` does not change PINs already set: reset the shorter ones.
     */
    staff: z
      .object({ pinLength: pinLengthSchema.default(() => ({ ...PIN_LENGTH_LIMITS })) })
      .strict()
      .default(() => ({ pinLength: { ...PIN_LENGTH_LIMITS } })),
  })
  .strict()
  .superRefine(
    (p, ctx) => {
      // This also runs when another part of the document is malformed (see `when` below), so the values
      // may have the wrong shape: every list and id is checked before use.
      const unique = (items: unknown, path: (string | number)[]) => {
        const seen = new Set<string>();
        list(items).forEach((item, i) => {
          const id = field(item, 'id');
          if (typeof id !== 'string') return;
          if (seen.has(id))
            ctx.addIssue({ code: 'custom', message: `duplicate id "${id}"`, path: [...path, i, 'id'] });
          seen.add(id);
        });
      };
      const rules = list(field(p.earning, 'rules'));
      const levels = list(field(p.tiers, 'levels'));
      unique(rules, ['earning', 'rules']);
      unique(p.rewards, ['rewards']);
      unique(p.actions, ['actions']);
      unique(p.plans, ['plans']);
      unique(levels, ['tiers', 'levels']);
      unique(field(p.cards, 'patterns'), ['cards', 'patterns']);
      levels.forEach((t, i) => {
        const threshold = field(t, 'threshold');
        const prev = i > 0 ? field(levels[i - 1], 'threshold') : undefined;
        if (typeof threshold !== 'number') return;
        if (i === 0 && threshold !== 0)
          ctx.addIssue({
            code: 'custom',
            message: 'the first tier must have threshold 0',
            path: ['tiers', 'levels', i, 'threshold'],
          });
        if (typeof prev === 'number' && threshold <= prev)
          ctx.addIssue({
            code: 'custom',
            message: 'thresholds must increase',
            path: ['tiers', 'levels', i, 'threshold'],
          });
      });
      const tierIds = new Set(levels.map((t) => field(t, 'id')));
      // With a malformed tier list every reference would look unknown: report the list, not the echoes.
      const tiersKnown = p.tiers === undefined || Array.isArray(field(p.tiers, 'levels'));
      const checkTiers = (tiers: unknown, path: (string | number)[]) =>
        tiersKnown &&
        list(tiers).forEach((t, i) => {
          if (typeof t === 'string' && !tierIds.has(t))
            ctx.addIssue({ code: 'custom', message: `unknown tier "${t}"`, path: [...path, i] });
        });
      rules.forEach((r, i) =>
        checkTiers(field(field(r, 'conditions'), 'tiers'), ['earning', 'rules', i, 'conditions', 'tiers']),
      );
      list(p.rewards).forEach((r, i) => checkTiers(field(r, 'tiers'), ['rewards', i, 'tiers']));
      rules.forEach((r, i) => {
        const range = field(field(r, 'conditions'), 'dateRange');
        const from = field(range, 'from');
        const to = field(range, 'to');
        if (typeof from === 'string' && typeof to === 'string' && from > to)
          ctx.addIssue({
            code: 'custom',
            message: 'dateRange.from is after dateRange.to',
            path: ['earning', 'rules', i, 'conditions', 'dateRange'],
          });
      });
    },
    // By default zod skips refinements once a structural problem (an unknown rule kind, a wrong type) was
    // found, which would hide duplicate ids and unknown tiers until the next attempt; run whenever there is
    // an object to look at.
    { when: ({ value }) => value !== null && typeof value === 'object' },
  );

/** A validated program, defaults filled in. */
export type Program = z.output<typeof programSchema>;
/** A program as written in a file, before defaults. */
export type ProgramInput = z.input<typeof programSchema>;

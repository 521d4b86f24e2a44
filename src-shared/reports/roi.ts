// The program's return on its cost, for a range of days: a pure method over figures HQ gathered (src-hq/
// reports/roi.ts), so it is tested without a database and reads the same in the console and the docs
// (docs/console.md, "The program ROI method", has it in words).
//
//   cost    = rewards redeemed at what they cost the chain (a free product at its cost price, a discount,
//             gift card or donation at its face value)
//           + the change of the points liability in the range ((issued − redeemed − expired) points at the
//             program's point value, less the share expected never to be redeemed): points handed out but
//             not yet spent are a cost when issued, not when redeemed; expired points (breakage) are
//             already out of it
//           + the program's fixed running cost (per month, pro rata)
//   benefit = the gross margin on the members' spend the program caused (an assumed share of their spend,
//             or the visits above an assumed baseline rate at their average basket) + paid-plan fees
//   ROI     = (benefit − cost) / cost
//
// What the program caused cannot be measured from the program's own data (there is no control group): the
// incremental share or the baseline visit rate is an assumption, shown beside the result with the share
// that would break even, and the visit frequencies (by enrollment cohort, by tier, before and after a
// member's first reward) are the evidence to judge it by.
import { z } from 'zod';

/** Days per month on average (365.25 / 12), to turn member-days into member-months. */
export const DAYS_PER_MONTH = 30.4375;

export const ROI_METHODS = ['incremental-share', 'baseline-visits'] as const;
export type RoiMethod = (typeof ROI_METHODS)[number];

const percent = z.coerce.number().min(0).max(100);

/** The assumptions the method needs; each has a default, and the console lets the user change them. */
export const roiAssumptionsSchema = z.object({
  /** Gross margin on members' spend, %: what a currency unit of extra sales leaves after its cost. */
  grossMarginPercent: percent.default(30),
  /** How incremental spend is estimated. */
  method: z.enum(ROI_METHODS).default('incremental-share'),
  /** incremental-share: the share of members' spend they would not have spent without the program, %. */
  incrementalSharePercent: percent.default(10),
  /** baseline-visits: visits per member per month members would make anyway. */
  baselineVisitsPerMonth: z.coerce.number().min(0).max(100).default(2),
  /** Share of the points outstanding that will never be redeemed (expected breakage), %. */
  expectedBreakagePercent: percent.default(0),
  /** The program's fixed running cost (software, cards, staff time), minor units per month. */
  fixedCostPerMonth: z.coerce.number().int().min(0).max(1e13).default(0),
});
export type RoiAssumptions = z.infer<typeof roiAssumptionsSchema>;
export const DEFAULT_ROI_ASSUMPTIONS: RoiAssumptions = roiAssumptionsSchema.parse({});

const count = z.number().int().nonnegative();
const minor = z.number().int();

/** Visits and exposure of a group of members: visits per member-month = visits / (memberDays / 30.44). */
export const frequencySchema = z.object({
  members: count,
  visits: count,
  /** Sum over the group's members of the days they were members within the range. */
  memberDays: count,
  /** Members' spend in the range, minor units. */
  spend: minor,
});
export type Frequency = z.infer<typeof frequencySchema>;

export const rewardCostKinds = ['products', 'discounts', 'giftCards', 'donations', 'other'] as const;
export type RewardCostKind = (typeof rewardCostKinds)[number];

/** What HQ gathered for the range (src-hq/reports/roi.ts). Money in minor units of `currency`. */
export const roiFactsSchema = z.object({
  currency: z.string(),
  pointValue: z.object({ points: z.number().int().positive(), value: z.number().int().positive() }),
  /** Days in the range. */
  days: z.number().int().positive(),
  points: z.object({ issued: count, redeemed: count, expired: count }),
  /** Points valued at the point value (pointsToMoney), minor units. */
  pointsMoney: z.object({ issued: minor, redeemed: minor, expired: minor }),
  /** Rewards redeemed at their face value (a free product at its shelf price), by kind. */
  rewardsFaceValue: z.object(
    Object.fromEntries(rewardCostKinds.map((k) => [k, minor])) as Record<RewardCostKind, typeof minor>,
  ),
  planFees: minor,
  planJoins: count,
  /** Members' sales (basket totals of applied earns, less voided sales and returns) and their visits. */
  spend: minor,
  visits: count,
  /** Every member enrolled by the range's end, with their visits and days within it. */
  all: frequencySchema,
  cohorts: z.array(frequencySchema.extend({ cohort: z.string() })),
  tiers: z.array(frequencySchema.extend({ tier: z.string().nullable(), label: z.string() })),
  /** Members whose first redemption fell in the range: before it (from enrollment or the range start) and after. */
  firstReward: z.object({ members: count, before: frequencySchema, after: frequencySchema }),
});
export type RoiFacts = z.infer<typeof roiFactsSchema>;

const rate = z.number().nullable();

export const roiResultSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  storeId: z.string().nullable(),
  /** The stores the user may pick from. */
  stores: z.array(z.object({ id: z.string(), name: z.string() })),
  assumptions: roiAssumptionsSchema,
  facts: roiFactsSchema,
  cost: z.object({
    rewards: z.object({
      ...(Object.fromEntries(rewardCostKinds.map((k) => [k, minor])) as Record<RewardCostKind, typeof minor>),
      total: minor,
    }),
    /** The liability's change in the range at the point value, less expected breakage (may be negative). */
    liabilityChange: minor,
    /** Expired points at the point value: already out of liabilityChange (shown, not added). */
    breakage: minor,
    fixed: minor,
    total: minor,
  }),
  benefit: z.object({
    averageBasket: minor.nullable(),
    incrementalSpend: minor,
    incrementalMargin: minor,
    planFees: minor,
    total: minor,
  }),
  net: minor,
  /** (benefit − cost) / cost × 100; null when the program cost nothing in the range. */
  roiPercent: rate,
  /** The incremental share of spend at which the program breaks even, %; null without spend. */
  breakEvenSharePercent: rate,
  frequency: z.object({
    /** Visits per member per month, all members enrolled by the range's end. */
    all: rate,
    cohorts: z.array(
      z.object({ cohort: z.string(), members: count, visitsPerMonth: rate, spendPerMember: rate }),
    ),
    tiers: z.array(
      z.object({
        tier: z.string().nullable(),
        label: z.string(),
        members: count,
        visitsPerMonth: rate,
        spendPerMember: rate,
      }),
    ),
    firstReward: z.object({ members: count, before: rate, after: rate }),
  }),
});
export type RoiResult = z.infer<typeof roiResultSchema>;

/** Visits per member per month of membership; null when the group has no exposure. */
export const visitsPerMonth = (f: Pick<Frequency, 'visits' | 'memberDays'>): number | null =>
  f.memberDays > 0 ? round2((f.visits * DAYS_PER_MONTH) / f.memberDays) : null;

const round2 = (x: number): number => Math.round(x * 100) / 100;
const perMember = (f: Frequency): number | null => (f.members > 0 ? Math.round(f.spend / f.members) : null);

/** A reward as the program lists it (the fields the value needs). */
export type RewardPrice =
  | { kind: 'free-product'; price: number | null }
  | { kind: 'fixed-discount' | 'gift-card' | 'donation'; amount: number }
  | { kind: 'percent-discount'; cap: number };

/** Which cost line a reward kind goes to (null: a reward the program no longer lists). */
export function rewardCostKind(kind: string | null): RewardCostKind {
  switch (kind) {
    case 'free-product':
      return 'products';
    case 'fixed-discount':
    case 'percent-discount':
      return 'discounts';
    case 'gift-card':
      return 'giftCards';
    case 'donation':
      return 'donations';
    default:
      return 'other';
  }
}

/**
 * The face value of `quantity` units of a reward, minor units. A free product is at its shelf price; a
 * percent discount's basket is not in the event, so it is the points' value capped at the reward's cap;
 * a product without a price, or a reward the program no longer lists, is the points' value.
 */
export function rewardValue(
  reward: RewardPrice | null,
  quantity: number,
  /** The points spent, at the program's point value. */
  pointsMoney: number,
): number {
  if (reward === null) return pointsMoney;
  switch (reward.kind) {
    case 'free-product':
      return reward.price === null ? pointsMoney : reward.price * quantity;
    case 'percent-discount':
      return Math.min(pointsMoney, reward.cap * quantity);
    default:
      return reward.amount * quantity;
  }
}

/** The program's cost, benefit and return for the facts HQ gathered, under the assumptions given. */
export function programRoi(
  facts: RoiFacts,
  assumptions: RoiAssumptions,
): Omit<RoiResult, 'timeZone' | 'from' | 'to' | 'storeId' | 'stores'> {
  const margin = assumptions.grossMarginPercent / 100;
  const face = facts.rewardsFaceValue;
  // A free product costs the chain its cost price; a discount, gift card or donation its face value.
  const rewards = { ...face, products: Math.round(face.products * (1 - margin)) };
  const rewardsTotal = rewardCostKinds.reduce((s, k) => s + rewards[k], 0);
  const change = facts.pointsMoney.issued - facts.pointsMoney.redeemed - facts.pointsMoney.expired;
  // Only the part of a liability increase that is expected to be redeemed is a cost; a decrease releases
  // what was provided before, in full.
  const liabilityChange = Math.round(
    change > 0 ? change * (1 - assumptions.expectedBreakagePercent / 100) : change,
  );
  const fixed = Math.round((assumptions.fixedCostPerMonth * facts.days) / DAYS_PER_MONTH);
  const cost = rewardsTotal + liabilityChange + fixed;

  const averageBasket = facts.visits > 0 ? Math.round(facts.spend / facts.visits) : null;
  const incrementalSpend =
    assumptions.method === 'incremental-share'
      ? Math.round((facts.spend * assumptions.incrementalSharePercent) / 100)
      : Math.round(
          Math.max(
            0,
            facts.visits - (assumptions.baselineVisitsPerMonth * facts.all.memberDays) / DAYS_PER_MONTH,
          ) * (averageBasket ?? 0),
        );
  const incrementalMargin = Math.round(incrementalSpend * margin);
  const benefit = incrementalMargin + facts.planFees;
  const net = benefit - cost;
  const marginOnSpend = facts.spend * margin;
  return {
    assumptions,
    facts,
    cost: {
      rewards: { ...rewards, total: rewardsTotal },
      liabilityChange,
      breakage: facts.pointsMoney.expired,
      fixed,
      total: cost,
    },
    benefit: { averageBasket, incrementalSpend, incrementalMargin, planFees: facts.planFees, total: benefit },
    net,
    roiPercent: cost > 0 ? round2((net / cost) * 100) : null,
    breakEvenSharePercent:
      marginOnSpend > 0 ? Math.max(0, round2(((cost - facts.planFees) / marginOnSpend) * 100)) : null,
    frequency: {
      all: visitsPerMonth(facts.all),
      cohorts: facts.cohorts.map((c) => ({
        cohort: c.cohort,
        members: c.members,
        visitsPerMonth: visitsPerMonth(c),
        spendPerMember: perMember(c),
      })),
      tiers: facts.tiers.map((t) => ({
        tier: t.tier,
        label: t.label,
        members: t.members,
        visitsPerMonth: visitsPerMonth(t),
        spendPerMember: perMember(t),
      })),
      firstReward: {
        members: facts.firstReward.members,
        before: visitsPerMonth(facts.firstReward.before),
        after: visitsPerMonth(facts.firstReward.after),
      },
    },
  };
}

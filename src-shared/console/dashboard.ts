// The console's dashboard and program ROI endpoints (HQ's handlers in src-hq/api/console/dashboard.ts).
// Figures are per local day in the program's time zone, from what HQ applied (events.points_delta), the
// same arithmetic as the CLI's `report` (src-hq/reports/reports.ts), so the two always agree. A store
// manager sees only their stores; everyone else all stores or the one they pick.
import { z } from 'zod';
import { roiAssumptionsSchema, roiResultSchema } from '../reports/roi.js';
import { endpoint, READ_ROLES, type ConsoleRole } from './endpoint.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const daySchema = z
  .string()
  .regex(DAY, 'a day YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    // Date.parse rolls 2025-02-30 over to March: the day must read back as written.
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'a real calendar day');

/** The longest range one request may ask for (two years and a day, leap days included). */
export const MAX_RANGE_DAYS = 732;
/** The range the dashboard opens on: the last 30 days up to today. */
export const DEFAULT_RANGE_DAYS = 30;

/** Who reads the dashboard: the read roles, and store managers for their own stores. */
export const DASHBOARD_ROLES: readonly ConsoleRole[] = [...READ_ROLES, 'store-manager'];

export const rangeQuerySchema = z
  .object({
    /** First local day, inclusive (default: DEFAULT_RANGE_DAYS − 1 days before `to`). */
    from: daySchema.optional(),
    /** Last local day, inclusive (default: today in the program's time zone). */
    to: daySchema.optional(),
    /** One store; omitted: every store the user may see. */
    storeId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type RangeQuery = z.infer<typeof rangeQuerySchema>;

const count = z.number().int().nonnegative();
const points = z.number().int();
const minor = z.number().int();

export const dashboardDaySchema = z.object({
  /** Local day `YYYY-MM-DD` (every day of the range, days without events as zeros). */
  day: z.string(),
  events: count,
  issued: count,
  redeemed: count,
  expired: count,
  /** Net points owed at the end of the day: the running sum of applied points_delta. */
  liabilityPoints: points,
  liabilityMoney: minor,
  /** Members with an event of their own that day (HQ's jobs' events do not count). */
  activeMembers: count,
  /** Enrollments applied that day. */
  newMembers: count,
});
export type DashboardDay = z.infer<typeof dashboardDaySchema>;

export const rewardLineSchema = z.object({
  rewardId: z.string(),
  /** The current program's label (the id when the reward is no longer in it). */
  label: z.string(),
  kind: z.string().nullable(),
  /** Donations only: the charity. */
  charity: z.string().nullable(),
  redemptions: count,
  /** Units redeemed (a redemption may take several). */
  quantity: count,
  /** Points HQ debited for them. */
  points: count,
  /** What they are worth in money (src-shared/reports/roi.ts rewardValue), minor units. */
  value: minor,
});
export type RewardLine = z.infer<typeof rewardLineSchema>;

export const storeLineSchema = z.object({
  storeId: z.string(),
  name: z.string(),
  events: count,
  issued: count,
  redeemed: count,
  expired: count,
  /** issued − redeemed − expired: what the store's events added to the liability. */
  net: points,
  activeMembers: count,
  newMembers: count,
  redemptions: count,
});
export type StoreLine = z.infer<typeof storeLineSchema>;

export const dashboardSchema = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  pointValue: z.object({ points: z.number(), value: z.number() }),
  /** The store asked for, or null for every store the user may see. */
  storeId: z.string().nullable(),
  /** The stores the user may pick from. */
  stores: z.array(z.object({ id: z.string(), name: z.string() })),
  cards: z.object({
    /** Net points owed at the end of the range (the last day's liability). */
    liabilityPoints: points,
    liabilityMoney: minor,
    /** Members enrolled by the end of the range (every member HQ holds, for every store). */
    members: count,
    /** Members with an event of their own in the range. */
    activeMembers: count,
    newMembers: count,
    openReviews: count,
  }),
  totals: z.object({ issued: count, redeemed: count, expired: count, events: count }),
  days: z.array(dashboardDaySchema),
  /** Redemptions by reward, donations left out (they are in `donations`). */
  rewards: z.array(rewardLineSchema),
  /** Donation rewards, one line per reward (its charity named). */
  donations: z.array(rewardLineSchema),
  /** Members by their current tier (null: no tier). */
  tiers: z.array(z.object({ tier: z.string().nullable(), label: z.string(), members: count })),
  perStore: z.array(storeLineSchema),
  reviews: z.object({ open: count, byKind: z.array(z.object({ kind: z.string(), open: count })) }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const roiQuerySchema = rangeQuerySchema.extend(roiAssumptionsSchema.shape).strict();

export const dashboardEndpoints = {
  dashboard: endpoint({
    method: 'GET',
    path: '/v1/console/dashboard',
    roles: DASHBOARD_ROLES,
    summary:
      'The dashboard for a range of local days (and one store): points issued, redeemed and expired per day, liability over time, active and new members, redemptions by reward and donations, tiers, stores, open reviews.',
    query: rangeQuerySchema,
    response: dashboardSchema,
  }),
  roi: endpoint({
    method: 'GET',
    path: '/v1/console/dashboard/roi',
    roles: DASHBOARD_ROLES,
    summary:
      'The program\u2019s return on its cost for a range of local days (and one store), with the assumptions it used (margin, incremental spend) as given or defaulted.',
    query: roiQuerySchema,
    response: roiResultSchema,
  }),
};

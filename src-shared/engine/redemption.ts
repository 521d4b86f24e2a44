// May this member redeem this reward here and now? The checks run in a fixed order so the cashier sees
// the first thing to fix, in plain words. Offline, the bounded-risk policy of docs/architecture.md section 5
// applies: within the allowance, a manager's PIN up to one override cap above it for the whole offline
// period (offline-bound.ts), never when the replica expired. Issue 16: the caller may pass the store's bound
// (store-bound.ts: one allowance for all the store's tills) to check against instead of this till's own.
import type { RefusalFigures } from '../kernel/problems.js';
import { err, ok, type Result } from '../kernel/result.js';
import { netPoints, type Member } from '../ledger/member.js';
import type { Program, Reward } from '../program/schema.js';
import { offlineBound, overridePoints, type OfflineBound } from './offline-bound.js';
import type { OfflineState } from './offline.js';
import { tierLabel } from './tiers.js';

export interface RedemptionApproval {
  reward: Reward;
  quantity: number;
  /** Points spent: reward cost × quantity. */
  cost: number;
  mode: 'online' | 'offline';
  /** Set when a manager approved points above the offline allowance: `points` is the part above it. */
  override: { managerId: string; points: number } | null;
}

export type RedemptionRefusalReason =
  | 'reward-unknown'
  | 'reward-inactive'
  | 'member-inactive'
  | 'tier-only'
  | 'over-transaction-limit'
  | 'insufficient-points'
  | 'earn-only-mode'
  | 'over-offline-allowance'
  | 'needs-manager-override';

export interface RedemptionRefusal {
  reason: RedemptionRefusalReason;
  /** Plain words for the cashier. */
  message: string;
  cost?: number;
  /**
   * Points available for this check: the net balance (insufficient-points), the offline allowance left
   * (needs-manager-override), or what is left of the offline period's limit with a manager
   * (over-offline-allowance).
   */
  available?: number;
  /**
   * The figures the message names, so the counter can say it in the store's language from the reason
   * and these (src-renderer/i18n/refusals.ts); the message stays English for HQ's API and logs.
   */
  figures?: RefusalFigures;
}

export interface RedemptionInput {
  rewardId: string;
  quantity: number;
  member: Member;
  program: Program;
  offline: OfflineState;
  at: number;
  /** A manager who entered their PIN to go above the offline allowance. */
  override?: { managerId: string } | null;
  /**
   * Offline, the bound to check against: the store's (storeOfflineBound, issue 16), computed by the caller
   * from `offline` and the peers' redemptions. Absent: this till's own, offlineBound(program, offline).
   */
  bound?: OfflineBound | null;
}

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** "1,500": one grouping style, as the till shows figures. */
const count = (n: number): string => grouping.format(n);
const pts = (n: number): string => `${count(n)} ${n === 1 ? 'point' : 'points'}`;

/** The reward as named in messages: its label, quoted. */
const rewardName = (reward: Reward): string => `"${reward.label}"`;

export function checkRedemption(input: RedemptionInput): Result<RedemptionApproval, RedemptionRefusal> {
  const { rewardId, quantity, member, program, offline } = input;
  if (!Number.isSafeInteger(quantity) || quantity < 1)
    throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
  const reward = program.rewards.find((r) => r.id === rewardId);
  if (!reward)
    return err({ reason: 'reward-unknown', message: `Unknown reward "${rewardId}"`, figures: { rewardId } });
  if (!reward.active)
    return err({
      reason: 'reward-inactive',
      message: `${rewardName(reward)} is not available any more`,
      figures: { reward: reward.label },
    });
  if (member.status !== 'active')
    return err({
      reason: 'member-inactive',
      message: `This member account is ${member.status}: no redemption`,
      figures: { status: member.status },
    });
  if (reward.tiers && (member.tier === null || !reward.tiers.includes(member.tier))) {
    const names = reward.tiers.map((id) => tierLabel(program, id));
    return err({
      reason: 'tier-only',
      message: `${rewardName(reward)} is for ${names.join(', ')} members only`,
      figures: { reward: reward.label, tiers: names.join(', ') },
    });
  }
  if (quantity > reward.maxPerTransaction)
    return err({
      reason: 'over-transaction-limit',
      message: `At most ${reward.maxPerTransaction} × ${rewardName(reward)} per transaction`,
      figures: { max: reward.maxPerTransaction, reward: reward.label },
    });
  const cost = reward.cost * quantity;
  const net = netPoints(member);
  if (net < cost)
    return err({
      reason: 'insufficient-points',
      message: `Not enough points: needs ${cost}, has ${Math.max(0, net)}`,
      figures: { cost, available: Math.max(0, net) },
      cost,
      available: Math.max(0, net),
    });
  if (offline.online) return ok({ reward, quantity, cost, mode: 'online', override: null });

  if (offline.mode === 'expired')
    return err({
      reason: 'earn-only-mode',
      message: 'Offline too long: points can be earned but not redeemed until HQ is reachable',
      cost,
      available: 0,
    });
  // One bound for the whole offline period (offline-bound.ts): within the allowance left, no approval;
  // then a manager, up to what is left of the period's one override cap; beyond it, never.
  const bound = input.bound ?? offlineBound(program, offline);
  if (cost <= bound.allowanceLeft) return ok({ reward, quantity, cost, mode: 'offline', override: null });
  if (cost <= bound.left) {
    const above = overridePoints(bound, cost);
    if (!input.override)
      return err({
        reason: 'needs-manager-override',
        message: `Offline limit is ${pts(bound.allowanceLeft)}: a manager can approve the other ${pts(above)}`,
        figures: { allowanceLeft: bound.allowanceLeft, above },
        cost,
        available: bound.allowanceLeft,
      });
    return ok({
      reward,
      quantity,
      cost,
      mode: 'offline',
      override: { managerId: input.override.managerId, points: above },
    });
  }
  return err({
    reason: 'over-offline-allowance',
    message: `Offline limit for this member reached: ${count(bound.used)} of ${pts(bound.limit)} used since HQ became unreachable (${rewardName(reward)} needs ${count(cost)})`,
    figures: { used: bound.used, limit: bound.limit, reward: reward.label, cost },
    cost,
    available: bound.left,
  });
}

// The offline bound (docs/architecture.md section 5, issue 11): what one terminal may let one member redeem while it
// cannot reach HQ, counted over the whole offline period, not per redemption. The terminal enforces it
// before recording; HQ checks the same rule when the events arrive. Written once here so both agree.
//
// The rule: in one offline period a terminal lets a member redeem at most the allowance the member had at
// the period's start (never above the program's `allowanceCap`) plus ONE `managerOverrideCap`. Within the
// allowance no approval is needed; the rest needs a manager; beyond the sum nothing is redeemed, whatever
// the approvals. A stale replica scales the allowance part (`staleAllowancePercent`), not the override;
// an expired replica redeems nothing.
//
// The period starts at the terminal's last complete pull from HQ (SyncStatus.lastPullAt, persisted, so a
// restart during an outage continues the same period) and ends at the next one. Each offline redemption
// carries it as `offlinePeriod: { since, allowance }`; the first of the period fixes the allowance.
import type { EventOf } from '../ledger/events.js';
import type { Program } from '../program/schema.js';
import type { ReplicaMode } from './offline.js';

/** The offline period an offline redemption belongs to: its start (ISO instant) and the allowance fixed then. */
export type OfflinePeriod = NonNullable<EventOf<'points-redeemed'>['payload']['offlinePeriod']>;

/** The allowance as the bound counts it: 0 to the program's `allowanceCap`. */
function periodAllowance(program: Pick<Program, 'offline'>, allowanceAtStart: number): number {
  if (!Number.isSafeInteger(allowanceAtStart))
    throw new RangeError(`an allowance is a whole number of points, got ${allowanceAtStart}`);
  return Math.min(Math.max(0, allowanceAtStart), program.offline.allowanceCap);
}

/**
 * The most one terminal may let a member redeem offline in one offline period: the allowance at the
 * period's start (never above the program's cap) plus ONE manager override cap.
 *
 * This is the fresh-replica figure, the largest the terminal ever allows; HQ opens an 'offline-bound'
 * review when one terminal's offline redemptions for a member in one period (same `offlinePeriod.since`)
 * add up to more. Use the program version the redemptions name.
 */
export function offlinePeriodLimit(program: Pick<Program, 'offline'>, allowanceAtStart: number): number {
  return periodAllowance(program, allowanceAtStart) + program.offline.managerOverrideCap;
}

/** Where a member stands against the offline bound at this terminal, now. */
export interface OfflineBound {
  /** The allowance part usable in this replica mode: all of it fresh, the stale share stale, 0 expired. */
  allowance: number;
  /** The most redeemable in this period in this mode: allowance + the override cap (0 when expired). */
  limit: number;
  /** This terminal's offline redemptions for the member in this period. */
  used: number;
  /** limit − used, never negative: the most one more redemption may cost, with a manager. */
  left: number;
  /** allowance − used, never negative: what one more redemption may cost without a manager. */
  allowanceLeft: number;
}

/**
 * The bound for a member in a replica mode, from the period's allowance and what this terminal already
 * redeemed offline for them in the period. Stale rounds the allowance share down; the override cap is not
 * scaled (a manager still approves at most that much in the period).
 */
export function offlineBound(
  program: Pick<Program, 'offline'>,
  state: { mode: ReplicaMode; allowance: number; usedOffline: number },
): OfflineBound {
  const full = periodAllowance(program, state.allowance);
  const used = state.usedOffline;
  if (state.mode === 'expired') return { allowance: 0, limit: 0, used, left: 0, allowanceLeft: 0 };
  const allowance =
    state.mode === 'fresh' ? full : Math.floor((full * program.offline.staleAllowancePercent) / 100);
  const limit = allowance + program.offline.managerOverrideCap;
  return {
    allowance,
    limit,
    used,
    left: Math.max(0, limit - used),
    allowanceLeft: Math.max(0, allowance - used),
  };
}

/** The part of a redemption a manager approves under the bound: what goes past the allowance left. */
export function overridePoints(bound: OfflineBound, cost: number): number {
  return Math.max(0, cost - bound.allowanceLeft);
}

/** A redemption's payload as far as the bound is concerned. */
export interface PeriodRedemption {
  cost: number;
  mode: 'online' | 'offline';
  offlinePeriod?: OfflinePeriod | undefined;
}

/**
 * The running total of one terminal's offline redemptions in the period that started at `since`: pass
 * that terminal's redemptions for that member. Redemptions without a period (online, or recorded before
 * periods were) count in none.
 */
export function offlineUsedInPeriod(redemptions: Iterable<PeriodRedemption>, since: string): number {
  let used = 0;
  for (const r of redemptions) if (r.mode === 'offline' && r.offlinePeriod?.since === since) used += r.cost;
  return used;
}

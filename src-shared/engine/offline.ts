// The offline policy of DESIGN.md section 5: how old the terminal's replica is (fresh, stale, expired),
// when that changes (for the on-screen countdown), and how many points a member may still redeem at a
// terminal that cannot reach HQ. Earning is always allowed; only redemption is bounded.
import { HOUR_MS } from '../kernel/clock.js';
import type { Member } from '../ledger/member.js';
import type { OfflinePolicy, Program } from '../program/schema.js';

/** fresh: full offline service; stale: a reduced allowance; expired: earn only. */
export type ReplicaMode = 'fresh' | 'stale' | 'expired';

export interface ReplicaStatus {
  mode: ReplicaMode;
  /** The instant the mode degrades (epoch ms), for the countdown; null once expired. */
  nextChangeAt: number | null;
}

/**
 * The replica's mode from the last successful pull. Fresh while younger than `freshHours`, stale until
 * `expiredHours`, expired from then on (the boundary instant belongs to the worse mode, so the countdown
 * reaches zero exactly when the mode changes). Never pulled: expired.
 */
export function replicaMode(lastPullAt: number | null, now: number, policy: OfflinePolicy): ReplicaStatus {
  if (lastPullAt === null) return { mode: 'expired', nextChangeAt: null };
  const staleAt = lastPullAt + Math.round(policy.freshHours * HOUR_MS);
  const expiredAt = lastPullAt + Math.round(policy.expiredHours * HOUR_MS);
  if (now < staleAt) return { mode: 'fresh', nextChangeAt: staleAt };
  if (now < expiredAt) return { mode: 'stale', nextChangeAt: expiredAt };
  return { mode: 'expired', nextChangeAt: null };
}

/** Whether the terminal reaches HQ and, if not, how far it may go. */
export type OfflineState =
  | { online: true }
  | {
      online: false;
      mode: ReplicaMode;
      /** Points this terminal already redeemed offline for this member since its last successful pull. */
      usedOffline: number;
    };

/**
 * Points the member may still redeem here while offline; null when online (HQ decides). Fresh: the
 * allowance HQ shipped less what this terminal already used; stale: `staleAllowancePercent` of it
 * (rounded down) less the same; expired: nothing.
 */
export function availableOffline(
  member: Pick<Member, 'offlineAllowance'>,
  program: Pick<Program, 'offline'>,
  state: OfflineState,
): number | null {
  if (state.online) return null;
  const allowance = member.offlineAllowance;
  switch (state.mode) {
    case 'fresh':
      return Math.max(0, allowance - state.usedOffline);
    case 'stale':
      return Math.max(
        0,
        Math.floor((allowance * program.offline.staleAllowancePercent) / 100) - state.usedOffline,
      );
    case 'expired':
      return 0;
  }
}

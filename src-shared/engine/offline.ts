// The offline policy of docs/architecture.md section 5: how old the terminal's replica is (fresh, stale, expired),
// when that changes (for the on-screen countdown), and the state a redemption is checked in at a terminal
// that cannot reach HQ (the bound itself: offline-bound.ts). Earning is always allowed; only redemption is
// bounded.
import { HOUR_MS } from '../kernel/clock.js';
import type { OfflinePolicy } from '../program/schema.js';

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

/** Whether the terminal reaches HQ and, if not, how far it may go (see offline-bound.ts). */
export type OfflineState =
  | { online: true }
  | {
      online: false;
      mode: ReplicaMode;
      /**
       * The member's offline allowance for this offline period, fixed at its start (the first offline
       * redemption of the period records it); not the member document's current figure.
       */
      allowance: number;
      /** Points this terminal already redeemed offline for this member in this offline period. */
      usedOffline: number;
    };

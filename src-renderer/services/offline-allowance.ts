// Where a member stands under the offline policy (docs/architecture.md section 5) and its bound per offline period
// (src-shared/engine/offline-bound.ts): online when HQ is reachable, else the replica's mode and the
// period's allowance and use.
import type { OfflineState, ReplicaMode } from '../../src-shared/engine/offline.js';
import { offlineUsedInPeriod, type OfflinePeriod } from '../../src-shared/engine/offline-bound.js';
import type { Member } from '../../src-shared/ledger/member.js';
import { isPending, type LocalEvent } from '../../src-shared/ledger/pending.js';
import type { ServiceContext } from './context.js';

/**
 * Points this terminal redeemed offline for the member that HQ has not counted yet: what HQ's allowance in
 * the replica does not know about when a new offline period starts.
 */
export function usedOfflinePoints(hq: Member | null, events: readonly LocalEvent[]): number {
  let used = 0;
  for (const e of events) {
    if (e.event.type !== 'points-redeemed' || e.event.payload.mode !== 'offline') continue;
    if (isPending(hq, e)) used += e.event.payload.cost;
  }
  return used;
}

/**
 * The offline period this terminal is in (offline-bound.ts) and where the member stands in it. The period
 * starts at the last complete pull (persisted, so a restart during an outage keeps it) and ends at the next.
 * Its allowance is fixed by the period's first offline redemption: HQ's figure in the replica then, less
 * this terminal's offline redemptions of earlier periods HQ has not counted yet (a pull that succeeded
 * while a push did not); later redemptions of the period carry the same.
 */
export async function offlineContext(
  ctx: ServiceContext,
  memberId: string,
): Promise<{ state: OfflineState; period: OfflinePeriod | null }> {
  const status = ctx.sync.snapshot();
  if (status.online) return { state: { online: true }, period: null };
  const mode: ReplicaMode = status.replica?.mode ?? 'expired';
  if (status.lastPullAt === null)
    return { state: { online: false, mode, allowance: 0, usedOffline: 0 }, period: null };
  const since = new Date(status.lastPullAt).toISOString();
  const events = await ctx.ledger.countedForMember(memberId);
  const redemptions = events.flatMap((e) => (e.event.type === 'points-redeemed' ? [e.event.payload] : []));
  const fixed = redemptions.find((r) => r.mode === 'offline' && r.offlinePeriod?.since === since);
  let allowance = fixed?.offlinePeriod?.allowance;
  if (allowance === undefined) {
    const found = await ctx.catalog.member(memberId);
    const hq = found && !found.provisional ? found.member : null;
    // A member HQ has not sent yet has no allowance: only a manager's override.
    allowance = Math.max(0, (hq?.offlineAllowance ?? 0) - usedOfflinePoints(hq, events));
  }
  const usedOffline = offlineUsedInPeriod(redemptions, since);
  return { state: { online: false, mode, allowance, usedOffline }, period: { since, allowance } };
}

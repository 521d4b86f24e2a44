// Where a member stands under the offline policy (docs/architecture.md section 5) and its bound per offline period
// (src-shared/engine/offline-bound.ts): online when HQ is reachable, else the replica's mode and the
// period's allowance and use. Issue 16: the bound is the store's (store-bound.ts), counting the offline
// redemptions of the store's other tills that main received over the LAN and HQ has not counted here.
import type { OfflineState, ReplicaMode } from '../../src-shared/engine/offline.js';
import { offlineUsedInPeriod, type OfflinePeriod } from '../../src-shared/engine/offline-bound.js';
import {
  storeOfflineBound,
  storeRedemptionOf,
  type StoreOfflineBound,
  type StoreRedemption,
} from '../../src-shared/engine/store-bound.js';
import type { Member } from '../../src-shared/ledger/member.js';
import { isPending, type LocalEvent } from '../../src-shared/ledger/pending.js';
import type { ServiceContext } from './context.js';
import { unconfirmedPeerEvents } from './peer-events.js';

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
export interface OfflineContext {
  state: OfflineState;
  period: OfflinePeriod | null;
  /**
   * The store's one offline allowance for the member at this till (store-bound.ts); null while online or
   * with no program yet. With no peer's redemption, exactly offlineBound(program, state)'s figures.
   */
  bound: StoreOfflineBound | null;
}

export async function offlineContext(ctx: ServiceContext, memberId: string): Promise<OfflineContext> {
  const status = ctx.sync.snapshot();
  if (status.online) return { state: { online: true }, period: null, bound: null };
  const mode: ReplicaMode = status.replica?.mode ?? 'expired';
  const events = await ctx.ledger.countedForMember(memberId);
  const found = await ctx.catalog.member(memberId);
  const hq = found && !found.provisional ? found.member : null;
  const since = status.lastPullAt === null ? null : new Date(status.lastPullAt).toISOString();
  let state: OfflineState = { online: false, mode, allowance: 0, usedOffline: 0 };
  const own: StoreRedemption[] = [];
  if (since !== null) {
    const redemptions = events.flatMap((e) => (e.event.type === 'points-redeemed' ? [e.event] : []));
    const payloads = redemptions.map((e) => e.payload);
    const fixed = payloads.find((r) => r.mode === 'offline' && r.offlinePeriod?.since === since);
    // A member HQ has not sent yet has no allowance: only a manager's override. Peers' redemptions are
    // not taken off here: the store bound counts them (store-bound.ts), once.
    const allowance =
      fixed?.offlinePeriod?.allowance ??
      Math.max(0, (hq?.offlineAllowance ?? 0) - usedOfflinePoints(hq, events));
    state = { online: false, mode, allowance, usedOffline: offlineUsedInPeriod(payloads, since) };
    for (const e of redemptions) {
      const r = e.payload.offlinePeriod?.since === since ? storeRedemptionOf(e) : null;
      if (r) own.push(r);
    }
  }
  const period = since === null ? null : { since, allowance: state.allowance };
  const program = await ctx.catalog.program();
  if (!program) return { state, period, bound: null };
  const bound = storeOfflineBound(program, {
    // Without an identity yet no peer's event can be this till's own: '' matches no terminal.
    terminalId: status.terminalId ?? '',
    mode,
    allowance: state.allowance,
    own,
    peers: await peerRedemptions(ctx, memberId, hq, events),
  });
  return { state, period, bound };
}

/**
 * The store's other tills' offline redemptions for the member that HQ has not counted in the replica's
 * member (the same rule as this till's own: isPending), as the store bound counts them.
 */
async function peerRedemptions(
  ctx: ServiceContext,
  memberId: string,
  hq: Member | null,
  own: readonly LocalEvent[],
): Promise<StoreRedemption[]> {
  const held = await ctx.peers.events(memberId);
  if (held.length === 0) return [];
  const unconfirmed = unconfirmedPeerEvents(hq, held, memberId, {
    terminalId: ctx.sync.snapshot().terminalId,
    ids: new Set(own.map((e) => e.event.id)),
  });
  return unconfirmed.flatMap(({ event }) => {
    const r = event.type === 'points-redeemed' ? storeRedemptionOf(event) : null;
    return r ? [r] : [];
  });
}

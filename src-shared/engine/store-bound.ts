// One offline allowance per store (issue 16): when HQ is unreachable the tills of a store exchange their events
// over the LAN, so a till can bound a member's offline redemptions by what EVERY till of the store redeemed,
// not only by its own (offline-bound.ts, issue 11). Without it each till spends the whole allowance and the
// store's risk grows with its number of tills.
//
// The rule, for one member at one till:
// - the allowance part is shared: the allowance this till's period started with (scaled by this till's
//   replica mode, as offline-bound.ts does) less what every till of the store redeemed offline;
// - the manager override cap is ONE per store: the points managers approved above an allowance at any till
//   of the store (each redemption's `override.points`) share it;
// - whatever this till knows, the result is never above this till's own per-terminal bound
//   (offlineBound), so a till that hears from no peer (LAN down, a partition, a peer restarting) keeps
//   today's guarantee, and tills that hear from all the others hold the store to one allowance (the largest
//   of their period allowances, should they have pulled at different times) + one cap.
//
// What is counted from the peers does not depend on their clocks nor on when their periods started: every
// offline redemption of another till of the store that this till holds and that HQ had not counted in this
// till's replica (see storeOfflineBound). Pure: the caller gathers the redemptions.
import type { EventOf } from '../ledger/events.js';
import type { Program } from '../program/schema.js';
import { offlineBound, type OfflineBound } from './offline-bound.js';
import type { ReplicaMode } from './offline.js';

/** An offline redemption of the store as the store bound counts it. */
export interface StoreRedemption {
  /** The event's id: a redemption received twice (from two peers, or sent again) counts once. */
  id: string;
  /** The terminal that recorded it. */
  terminalId: string;
  /** The points it cost (the event's `payload.cost`). */
  cost: number;
  /** The part a manager approved above the allowance (the event's `override.points`); 0 without one. */
  overridePoints: number;
}

/** What one till knows when it checks a member's offline redemption against the store bound. */
export interface StoreBoundInput {
  /** This till. A redemption among `peers` that it recorded itself is ignored: `own` counts it. */
  terminalId: string;
  /** This till's replica mode now. */
  mode: ReplicaMode;
  /**
   * The allowance this till's offline period started with, as today (offline-bound.ts): HQ's figure in
   * the replica less this till's OWN offline redemptions of earlier periods HQ had not counted. Peers'
   * redemptions are never taken off it: they are all counted in `peers`, so none is counted twice.
   */
  allowance: number;
  /** This till's offline redemptions for the member in its current period (what offlineUsedInPeriod adds). */
  own: Iterable<StoreRedemption>;
  /**
   * The other tills' offline redemptions for the member that this till holds, whatever period or instant
   * they belong to, LESS those HQ had counted in this till's replica (the caller drops them, as
   * usedOfflinePoints does for its own: HQ's allowance figure already reflects them and HQ debited them).
   */
  peers: Iterable<StoreRedemption>;
}

/** The store bound: the OfflineBound figures for the store, and the split the counter shows. */
export interface StoreOfflineBound extends OfflineBound {
  /** The store's offline redemptions for the member as this till knows them: `own` + `peers`. */
  used: number;
  /** This till's part of `used`. */
  own: number;
  /** The other tills' part of `used` ("Y used at other tills"). */
  peers: number;
  /** How many other tills redeemed for the member (those counted in `peers`). */
  peerTerminals: number;
  /** Points managers approved above an allowance across the store (own and peers'). */
  overrideUsed: number;
  /** What is left of the store's one override cap (0 when expired). */
  overrideLeft: number;
}

const assertPoints = (value: number, what: string): void => {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} is a whole, non-negative number of points, got ${value}`);
};

function checked(r: StoreRedemption): StoreRedemption {
  assertPoints(r.cost, `redemption ${r.id}'s cost`);
  assertPoints(r.overridePoints, `redemption ${r.id}'s override`);
  if (r.overridePoints > r.cost)
    throw new RangeError(`redemption ${r.id} approves ${r.overridePoints} points above a cost of ${r.cost}`);
  return r;
}

/**
 * The redemptions counted once each by id. Two copies of one id cannot differ once events are verified
 * (their hash covers the payload); should they, the larger cost and override are kept, so a copy can only
 * lower what is left, and the result does not depend on the order they arrived in.
 */
function distinct(redemptions: Iterable<StoreRedemption>, skip: (r: StoreRedemption) => boolean) {
  const byId = new Map<string, StoreRedemption>();
  for (const r of redemptions) {
    if (skip(r)) continue;
    const next = checked(r);
    const seen = byId.get(next.id);
    byId.set(
      next.id,
      seen
        ? {
            ...seen,
            cost: Math.max(seen.cost, next.cost),
            overridePoints: Math.max(seen.overridePoints, next.overridePoints),
          }
        : next,
    );
  }
  return [...byId.values()];
}

/**
 * Where a member stands against the ONE offline allowance of the store at this till, now.
 *
 * Counted: this till's redemptions of its current period, and every peer redemption given (see
 * StoreBoundInput.peers), each once by id. Peers' periods may start at other instants (each till's
 * period starts at its own last pull) and their clocks may differ, so no `since` or timestamp is compared:
 * a peer redemption HQ had not counted when this till last pulled is a risk HQ's allowance figure in this
 * till's replica does not reflect, whenever it was made, so it is counted; once this till's replica shows
 * HQ counted it, HQ debited it and the caller drops it. Counting a peer redemption HQ counted after this
 * till's pull errs on the safe side until the next pull.
 *
 * The allowance part is shared: every redemption of the store takes its whole cost off it, as a till's
 * own redemptions do today (the issue's "allowance − what every till redeemed"). The override cap is one
 * per store: the points managers approved at any till (own and peers') take it down. Then:
 * - `limit` = allowance (this mode) + one override cap; `used` = the store's total;
 * - `allowanceLeft` = allowance − used: what one more redemption may cost with no manager;
 * - `left` = the most one more redemption may cost with a manager: at most `limit − used`, at most the
 *   allowance left plus the override cap left (so what a manager approves here, cost − allowanceLeft, keeps
 *   the store's approvals within one cap), and never above this till's own bound (offlineBound with `own`
 *   only). With no peer, and own override points as the per-till rule recorded them, this is exactly
 *   offlineBound's result. When every till decided knowing the others' redemptions and from the same
 *   allowance, the last two agree; when a peer's allowance was smaller (stale, or pulled at another time)
 *   and it needed a manager, that part is charged to both the allowance and the cap here: the safe side.
 *
 * Expired: nothing left. A redemption costing at most `allowanceLeft` needs no manager; one costing at most
 * `left` needs a manager for overridePoints(bound, cost) (offline-bound.ts); nothing above `left` is
 * allowed. `left` may be below `limit − used` once managers spent the store's override cap.
 */
export function storeOfflineBound(
  program: Pick<Program, 'offline'>,
  input: StoreBoundInput,
): StoreOfflineBound {
  const own = distinct(input.own, () => false);
  const ownIds = new Set(own.map((r) => r.id));
  // A till's own event relayed back by a peer is already in `own` (or belongs to an earlier period of
  // this till, which the allowance already took off).
  const peers = distinct(input.peers, (r) => r.terminalId === input.terminalId || ownIds.has(r.id));
  const sum = (list: readonly StoreRedemption[], pick: (r: StoreRedemption) => number) =>
    list.reduce((total, r) => total + pick(r), 0);
  const ownUsed = sum(own, (r) => r.cost);
  const peersUsed = sum(peers, (r) => r.cost);
  const used = ownUsed + peersUsed;
  const overrideUsed = sum(own, (r) => r.overridePoints) + sum(peers, (r) => r.overridePoints);
  const split = {
    own: ownUsed,
    peers: peersUsed,
    peerTerminals: new Set(peers.map((r) => r.terminalId)).size,
    overrideUsed,
  };

  // This till alone, as today: the ceiling whatever the peers say.
  const till = offlineBound(program, { mode: input.mode, allowance: input.allowance, usedOffline: ownUsed });
  if (input.mode === 'expired')
    return { allowance: 0, limit: 0, used, left: 0, allowanceLeft: 0, ...split, overrideLeft: 0 };

  const { allowance, limit } = till;
  const overrideLeft = Math.max(0, program.offline.managerOverrideCap - overrideUsed);
  const allowanceLeft = Math.min(till.allowanceLeft, Math.max(0, allowance - used));
  const left = Math.min(till.left, Math.max(0, limit - used), allowanceLeft + overrideLeft);
  return { allowance, limit, used, left, allowanceLeft, ...split, overrideLeft };
}

/**
 * A recorded redemption as the store bound counts it; null for an online one (HQ checked it live, so it
 * bounds no offline risk). The caller keeps the member's, and drops those HQ counted (see storeOfflineBound).
 */
export function storeRedemptionOf(
  event: Pick<EventOf<'points-redeemed'>, 'id' | 'terminalId' | 'payload'>,
): StoreRedemption | null {
  if (event.payload.mode !== 'offline') return null;
  return {
    id: event.id,
    terminalId: event.terminalId,
    cost: event.payload.cost,
    overridePoints: event.payload.override?.points ?? 0,
  };
}

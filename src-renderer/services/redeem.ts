// Redemption at the counter: checked against the program and the offline policy (with a manager's
// override above the offline allowance), and recorded; offline, with its offline period. Offline, the bound
// is the store's (issue 16, store-bound.ts): the peers' redemptions HQ has not counted count too.
import type { OfflineState } from '../../src-shared/engine/offline.js';
import type { OfflinePeriod } from '../../src-shared/engine/offline-bound.js';
import { checkRedemption, type RedemptionApproval } from '../../src-shared/engine/redemption.js';
import type { StoreOfflineBound } from '../../src-shared/engine/store-bound.js';
import { err, ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { ServiceContext } from './context.js';
import type { Recorded, RedeemInput, Refusal, ShownMember } from './counter-types.js';
import { requireManager } from './managers.js';
import { offlineContext } from './offline-allowance.js';
import type { Recorder } from './recording.js';

export class Redeeming {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** The offline state for a member: online when HQ is reachable, else the replica mode and the bound's figures. */
  async offlineState(memberId: string): Promise<OfflineState> {
    return (await offlineContext(this.ctx, memberId)).state;
  }

  /** The store's offline bound for a member at this till; null while online. */
  async offlineBound(memberId: string): Promise<StoreOfflineBound | null> {
    return (await offlineContext(this.ctx, memberId)).bound;
  }

  /** Whether the member may redeem the reward now (and with which mode and override). */
  async checkRedeem(input: Omit<RedeemInput, 'cashierId'>): Promise<Result<RedemptionApproval, Refusal>> {
    const ready = await this.recorder.ready(input.memberId);
    if (!ready.ok) return ready;
    const checked = await this.checkWith(ready.value, input, this.ctx.clock.now());
    return checked.ok ? ok(checked.value.approval) : checked;
  }

  private async checkWith(
    ctx: { program: Program; shown: ShownMember },
    input: Omit<RedeemInput, 'cashierId'>,
    at: number,
  ): Promise<Result<{ approval: RedemptionApproval; period: OfflinePeriod | null }, Refusal>> {
    if (input.override) {
      const manager = await requireManager(this.ctx.catalog, input.override.managerId);
      if (!manager.ok) return manager;
    }
    // Offline, the bound comes from the period (HQ's allowance at its start), not the projection's figure.
    const { state, period, bound } = await offlineContext(this.ctx, input.memberId);
    const checked = checkRedemption({
      rewardId: input.rewardId,
      quantity: input.quantity ?? 1,
      member: ctx.shown.member,
      program: ctx.program,
      offline: state,
      at,
      override: input.override ?? null,
      bound,
    });
    if (!checked.ok) return err({ ...checked.error, say: `redemption.${checked.error.reason}` });
    return ok({ approval: checked.value, period });
  }

  /** Checks the redemption (offline policy included) and records it; offline, with its offline period. */
  recordRedeem(input: RedeemInput): Promise<Result<Recorded<EventOf<'points-redeemed'>>, Refusal>> {
    return this.recorder.recordFor(input.memberId, async (ctx) => {
      const checked = await this.checkWith(ctx, input, ctx.at);
      if (!checked.ok) return checked;
      const { approval: a, period } = checked.value;
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-redeemed',
        payload: {
          rewardId: a.reward.id,
          quantity: a.quantity,
          cost: a.cost,
          mode: a.mode,
          override: a.override,
          ...(a.mode === 'offline' && period ? { offlinePeriod: period } : {}),
        },
      });
    });
  }
}

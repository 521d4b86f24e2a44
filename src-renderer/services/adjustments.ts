// A manager adds or takes away points with a reason code.
import { ok, type Result } from '../../src-shared/kernel/result.js';
import { adjustmentReasons, type EventOf } from '../../src-shared/ledger/events.js';
import type { ServiceContext } from './context.js';
import { refuseSaying, type AdjustInput, type Recorded, type Refusal } from './counter-types.js';
import { requireManager } from './managers.js';
import type { Recorder } from './recording.js';

export class Adjustments {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** Adds or takes away points with a reason code (manager). */
  recordAdjust(input: AdjustInput): Promise<Result<Recorded<EventOf<'points-adjusted'>>, Refusal>> {
    return this.recorder.recordFor(input.memberId, async (ctx) => {
      const manager = await requireManager(this.ctx.catalog, input.managerId);
      if (!manager.ok) return manager;
      if (!Number.isSafeInteger(input.points) || input.points === 0)
        return refuseSaying(
          'invalid',
          'adjust-zero',
          'An adjustment is a whole number of points, never zero',
          {
            problems: [{ path: 'points', message: 'a non-zero integer' }],
          },
        );
      if (!adjustmentReasons.includes(input.reasonCode))
        return refuseSaying('invalid', 'adjust-reason-code', `Unknown reason code "${input.reasonCode}"`, {
          figures: { code: input.reasonCode },
        });
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-adjusted',
        payload: {
          points: input.points,
          reasonCode: input.reasonCode,
          managerId: input.managerId,
          note: input.note ?? null,
        },
      });
    });
  }
}

// Awarding an action bonus at the counter (review written, app installed…): a 'bonus-awarded' event of kind
// 'action' with the program's points, never a figure from the screen, decided by the shared checkAction
// inside the ledger's lock, so a second tap cannot pass the limit while the first is recorded. HQ checks
// it again across every till (assessBonus). docs/decisions.md "Selling a plan and awarding an action at
// the counter".
import { checkAction } from '../../src-shared/engine/actions.js';
import { err, ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import type { ActionAwardInput, Recorded, Refusal } from './counter-types.js';
import type { Recorder } from './recording.js';

export class Actions {
  constructor(private readonly recorder: Recorder) {}

  /** Checks the action against its limit and records its points as the program gives them. */
  recordAction(input: ActionAwardInput): Promise<Result<Recorded<EventOf<'bonus-awarded'>>, Refusal>> {
    return this.recorder.recordFor(input.memberId, (ctx) => {
      const checked = checkAction(ctx.shown.member, input.actionId, ctx.program, ctx.at);
      if (!checked.ok) return err({ ...checked.error, say: `action.${checked.error.reason}` });
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'bonus-awarded' as const,
        payload: {
          kind: 'action' as const,
          points: checked.value.points,
          actionId: checked.value.action.id,
          note: null,
        },
      });
    });
  }
}

// Selling a paid plan at the counter: a 'plan-joined' event with the program's fee and the plan's end,
// decided by the shared checkPlanSale inside the ledger's lock (so two sales of a plan cannot both pass).
// The fee is paid at the till's own payment; this records the membership, its join bonus is the program's
// and HQ checks all of it again (assessPlan). docs/decisions.md "Selling a plan and awarding an action at
// the counter".
import { checkPlanSale, type PlanSale } from '../../src-shared/engine/plans.js';
import { err, ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import { formatDay } from '../hooks/format.js';
import type { PlanJoinInput, Recorded, Refusal, ShownMember } from './counter-types.js';
import type { Recorder } from './recording.js';

/** "11 Mar 2027" (en-IE), "11 mars 2027" (fr-FR): a plan's end as the cashier reads it, in the store's zone. */
export function planDayText(epochMs: number, timeZone: string): string {
  return formatDay(epochMs, timeZone);
}

/** The shared rule on the member as shown (HQ's record with this till's pending events). */
function check(
  ctx: { program: Program; shown: ShownMember },
  planId: string,
  at: number,
): Result<PlanSale, Refusal> {
  const day = (epochMs: number) => planDayText(epochMs, ctx.program.timeZone);
  const checked = checkPlanSale(ctx.shown.member, planId, ctx.program, at, day);
  if (checked.ok) return checked;
  // The plan's end is said in the store's zone, as planDayText says it in English.
  const figures = { ...checked.error.figures, timeZone: ctx.program.timeZone };
  return err({ ...checked.error, say: `plan.${checked.error.reason}`, figures });
}

export class Plans {
  constructor(private readonly recorder: Recorder) {}

  /** Checks the sale and records the membership (the fee as the program says, the end from the sale). */
  recordPlanJoin(input: PlanJoinInput): Promise<Result<Recorded<EventOf<'plan-joined'>>, Refusal>> {
    return this.recorder.recordFor(input.memberId, (ctx) => {
      const sale = check(ctx, input.planId, ctx.at);
      if (!sale.ok) return sale;
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'plan-joined' as const,
        payload: { planId: sale.value.plan.id, fee: sale.value.plan.fee, until: sale.value.until },
      });
    });
  }
}

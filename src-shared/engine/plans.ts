// Paid membership plans: which plan (if any) a member holds at an instant (the earn quote uses it for the
// plan's multiplier, the member screen for its perks and end date), and whether the counter may sell one.
import { DAY_MS } from '../kernel/clock.js';
import type { RefusalFigures } from '../kernel/problems.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { Member } from '../ledger/member.js';
import type { Plan, Program } from '../program/schema.js';

/** The member's plan while it runs (`until` is exclusive); null when none, ended, or unknown to the program. */
export function activePlan(
  member: Pick<Member, 'plan'>,
  program: Pick<Program, 'plans'>,
  at: number,
): Plan | null {
  const held = member.plan;
  if (!held || !(Date.parse(held.until) > at)) return null;
  return program.plans.find((p) => p.id === held.id) ?? null;
}

export interface PlanRefusal {
  reason: 'plan-unknown' | 'member-inactive' | 'plan-active';
  message: string;
  /** The figures the message names (`until`: the plan's end, epoch ms), for the counter's languages. */
  figures?: RefusalFigures;
}

/** A plan the counter may sell now: its fee (taken by the till's payment, not by us) and its end. */
export interface PlanSale {
  plan: Plan;
  /** Exclusive end: the sale's instant plus the plan's duration (what HQ accepts, see claims.ts). */
  until: string;
}

/**
 * May the member buy this plan now? Not while a plan runs: HQ caps a plan's end at its purchase plus the
 * duration, so a renewal bought early would throw the days left away; the counter says when it ends
 * instead (docs/decisions.md "Selling a plan and awarding an action at the counter").
 */
export function checkPlanSale(
  member: Pick<Member, 'status' | 'plan'>,
  planId: string,
  program: Pick<Program, 'plans'>,
  at: number,
  describeDate: (epochMs: number) => string,
): Result<PlanSale, PlanRefusal> {
  const plan = program.plans.find((p) => p.id === planId);
  if (!plan) return err({ reason: 'plan-unknown', message: `Unknown plan "${planId}"`, figures: { planId } });
  if (member.status !== 'active')
    return err({
      reason: 'member-inactive',
      message: `This member account is ${member.status}: no plan`,
      figures: { status: member.status },
    });
  const held = member.plan;
  const running = activePlan(member, program, at);
  if (held && running)
    return err({
      reason: 'plan-active',
      message: `Already a ${running.label} member until ${describeDate(Date.parse(held.until))}: sell it again once it has ended`,
      figures: { plan: running.label, until: Date.parse(held.until) },
    });
  return ok({ plan, until: new Date(at + plan.durationDays * DAY_MS).toISOString() });
}

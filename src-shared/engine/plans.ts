// Paid membership plans: which plan (if any) a member holds at an instant. The earn quote uses it for the
// plan's multiplier, and the member screen for the plan's perks and end date.
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

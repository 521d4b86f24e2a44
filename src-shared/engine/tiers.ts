// Tier evaluation over the program's rolling window of calendar months (the store's local months).
// applyEvent uses it to upgrade a member on earn; HQ's nightly job uses it for downgrades; the UI shows
// the progress to the next level.
import type { Member } from '../ledger/member.js';
import type { Program } from '../program/schema.js';
import { addMonths, localTime } from '../kernel/zoned-time.js';

/**
 * Qualifying points or spend (per `program.tiers.basis`) over the `windowMonths` local months that end
 * with the month of `at`, the current month included. 0 when the program has no tiers.
 */
export function qualifyingTotal(member: Pick<Member, 'qualifying'>, program: Program, at: number): number {
  const tiers = program.tiers;
  if (!tiers) return 0;
  const current = localTime(at, program.timeZone).month;
  let total = 0;
  for (let i = 0; i < tiers.windowMonths; i++) {
    const bucket = member.qualifying[addMonths(current, -i)];
    if (bucket) total += tiers.basis === 'points' ? bucket.points : bucket.spend;
  }
  return total;
}

/** A tier's label as the program names it ("gold" → "Gold"); the id itself for a tier it lacks. */
export function tierLabel(program: Program, tierId: string): string {
  return program.tiers?.levels.find((t) => t.id === tierId)?.label ?? tierId;
}

/** Index of a tier in the program's levels (higher is better); -1 for no tier or one the program lacks. */
export function tierRank(program: Program, tierId: string | null): number {
  if (tierId === null || !program.tiers) return -1;
  return program.tiers.levels.findIndex((t) => t.id === tierId);
}

function levelIndexFor(program: Program, total: number): number {
  const levels = program.tiers?.levels ?? [];
  let index = -1;
  levels.forEach((level, i) => {
    if (level.threshold <= total) index = i;
  });
  return index;
}

/** The highest level whose threshold the qualifying total reaches; null when the program has no tiers. */
export function evaluateTier(
  member: Pick<Member, 'qualifying'>,
  program: Program,
  at: number,
): string | null {
  const index = levelIndexFor(program, qualifyingTotal(member, program, at));
  return program.tiers?.levels[index]?.id ?? null;
}

export interface TierProgress {
  /** The level the qualifying total earns now (not necessarily the member's current tier). */
  tier: string | null;
  /** The next level up and what is still needed to reach it; null at the top or without tiers. */
  next: { id: string; label: string; needed: number } | null;
  qualifying: number;
}

/** What the counter shows: the level earned, the next one, and how far away it is. */
export function tierProgress(member: Pick<Member, 'qualifying'>, program: Program, at: number): TierProgress {
  const qualifying = qualifyingTotal(member, program, at);
  const levels = program.tiers?.levels ?? [];
  const index = levelIndexFor(program, qualifying);
  const nextLevel = levels[index + 1];
  return {
    tier: levels[index]?.id ?? null,
    next: nextLevel
      ? { id: nextLevel.id, label: nextLevel.label, needed: nextLevel.threshold - qualifying }
      : null,
    qualifying,
  };
}

// What a basket would earn under a program version, line by line and in total, with the engine's own
// explanation: the "simulate before you publish" of the console, run on a draft and the current version
// side by side. Nothing here computes points itself; it only runs quote().
//
// The engine explains a basket rule by rule, not line by line (rules are rounded on their own totals and
// bonuses are per visit). A line's figure is therefore the quote of that line alone under the rules as
// they stand for the whole basket: each rule whose conditions hold for the basket (minimum basket, tier,
// day, time…) kept without its conditions, the others dropped, and the per-visit and threshold bonuses
// left to the basket. The basket's own quote is the total the member would get; what it adds to the sum
// of the lines (bonuses, rounding on rule totals) is reported as `basketLevel`, so the figures add up.
import { basketSchema, type Basket } from '../engine/basket.js';
import { conditionsHold, type QuoteMember } from '../engine/conditions.js';
import { earnsNothing, quote } from '../engine/quote.js';
import { localTime } from '../kernel/zoned-time.js';
import type { ExplanationLine } from '../ledger/events.js';
import type { EarnRule, Program } from './schema.js';

export interface SimulationLine {
  /** At least one of sku and category is needed; the other may be a placeholder the caller chose. */
  sku: string;
  category: string;
  quantity: number;
  /** What the whole line costs, minor units (after any discount). */
  amount: number;
}

export interface SimulationInput {
  lines: readonly SimulationLine[];
  /** The member's tier id, or null for a member without one. */
  tier: string | null;
  /** The store's wall-clock date and time of the purchase, `YYYY-MM-DDTHH:MM`. */
  localDateTime: string;
}

export interface SimulatedLine {
  points: number;
  /** The line is in a category or SKU the program never lets earn. */
  excluded: boolean;
  explanation: ExplanationLine[];
}

export interface VersionSimulation {
  programId: string;
  version: number;
  /** What the member would earn for the whole basket (the engine's quote). */
  points: number;
  /** The basket's explanation, rule by rule, as the terminal records it. */
  explanation: ExplanationLine[];
  lines: SimulatedLine[];
  /** points − the sum of the lines: per-visit and threshold bonuses, and rounding on rule totals. */
  basketLevel: number;
  /** The purchase instant the local time is in this version's zone (ISO). */
  at: string;
  /** Things the reader should know (a tier this version does not have…). */
  notes: string[];
}

export interface SideBySide {
  draft: VersionSimulation;
  current: VersionSimulation | null;
  /** draft − current, in total and per line; null without a current version. */
  difference: { points: number; lines: number[] } | null;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MINUTES = 1440;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/**
 * The instant at which the wall clock in `timeZone` reads `local` (`YYYY-MM-DDTHH:MM`). A local time the
 * clocks skip (spring forward) gives the instant just after the gap; one they show twice, the first.
 */
export function instantOfLocal(local: string, timeZone: string): number {
  const m = LOCAL.exec(local);
  if (!m) throw new RangeError(`${JSON.stringify(local)} is not a local date and time YYYY-MM-DDTHH:MM`);
  const date = m[1] as string;
  const minute = Number(m[2]) * 60 + Number(m[3]);
  const offBy = (t: number) => {
    const seen = localTime(t, timeZone);
    return (dayNumber(seen.date) - dayNumber(date)) * DAY_MINUTES + seen.minuteOfDay - minute;
  };
  let guess = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
  for (let i = 0; i < 3; i++) {
    const diff = offBy(guess);
    if (diff === 0) {
      // Clocks going back show this local time twice: the earlier one is an hour before.
      return offBy(guess - 3_600_000) === 0 ? guess - 3_600_000 : guess;
    }
    guess -= diff * 60_000;
  }
  // Not on the wall clock that day (the spring-forward gap): the first minute after it.
  let t = guess - 2 * 3_600_000;
  while (offBy(t) < 0) t += 60_000;
  return t;
}

/** The engine's basket line for a line's total: unit price rounded up, the rest as the line's discount. */
function basketLine(line: SimulationLine): Basket['lines'][number] {
  const unitPrice = Math.ceil(line.amount / line.quantity);
  return {
    sku: line.sku,
    category: line.category,
    quantity: line.quantity,
    unitPrice,
    discount: unitPrice * line.quantity - line.amount,
  };
}

const memberOf = (tier: string | null): QuoteMember => ({
  tier,
  birthMonth: null,
  purchases: 1,
  plan: null,
  referredBy: null,
});

/** The program with the rules that hold for this basket, unconditional, and no basket-level bonuses. */
function rulesAsTheyStand(
  program: Program,
  basketEligible: number,
  at: number,
  member: QuoteMember,
): Program {
  const ctx = { at, timeZone: program.timeZone, basketEligible, member };
  const rules = program.earning.rules
    .filter((rule) => rule.kind !== 'per-visit' && rule.kind !== 'fixed-bonus')
    .filter((rule) => conditionsHold(rule.conditions, ctx))
    .map(({ conditions: _conditions, ...rule }) => rule as EarnRule);
  return { ...program, earning: { ...program.earning, rules } };
}

/** What `input` earns under `program`, in total and line by line. */
export function simulateBasket(program: Program, input: SimulationInput): VersionSimulation {
  const at = instantOfLocal(input.localDateTime, program.timeZone);
  const member = memberOf(input.tier);
  const basket = basketSchema.parse({ currency: program.currency, lines: input.lines.map(basketLine) });
  const whole = quote(basket, member, program, at);
  const perLine = rulesAsTheyStand(program, whole.summary.eligible, at, member);
  const lines = basket.lines.map((line): SimulatedLine => {
    const alone = quote({ currency: basket.currency, lines: [line] }, member, perLine, at);
    return { points: alone.points, excluded: earnsNothing(program, line), explanation: alone.explanation };
  });
  const notes: string[] = [];
  if (input.tier !== null && !program.tiers?.levels.some((level) => level.id === input.tier))
    notes.push(`Version ${program.version} has no tier "${input.tier}": the member is quoted without one.`);
  return {
    programId: program.id,
    version: program.version,
    points: whole.points,
    explanation: whole.explanation,
    lines,
    basketLevel: whole.points - lines.reduce((sum, line) => sum + line.points, 0),
    at: new Date(at).toISOString(),
    notes,
  };
}

/** The basket under the draft and under the current version (when there is one), and the difference. */
export function simulateSideBySide(
  draft: Program,
  current: Program | null,
  input: SimulationInput,
): SideBySide {
  const onDraft = simulateBasket(draft, input);
  if (!current) return { draft: onDraft, current: null, difference: null };
  const onCurrent = simulateBasket(current, input);
  if (draft.currency !== current.currency)
    onDraft.notes.push(
      `The draft counts in ${draft.currency} and the current version in ${current.currency}: the same amounts are read in each.`,
    );
  return {
    draft: onDraft,
    current: onCurrent,
    difference: {
      points: onDraft.points - onCurrent.points,
      lines: onDraft.lines.map((line, i) => line.points - (onCurrent.lines[i]?.points ?? 0)),
    },
  };
}

// Partial returns, as one rule for the till and for HQ (docs/program-format.md "Returns").
//
// A return takes back, for some lines of an earlier sale, the points those lines earned by the sale's own
// rules: what the original gave minus what the quote of the basket that remains gives, under the original's
// program version, at the original's instant, for the member as the original's explanation shows them.
// The figure is cumulative, so rounding never drifts over several returns:
//   taken(after) = clamp(applied − quoteOfRemaining(after), 0, applied)
//   a return takes back max(0, taken(after this return) − what earlier returns took), never more than
//   what is left of `applied`.
// An empty remaining basket quotes 0, so returning every line (at once or in parts) takes back exactly
// `applied`: a void. A line cannot be returned beyond its quantity; a voided sale cannot be returned, and
// a sale with a return counted can no longer be voided (its remaining lines are returned instead, which
// takes back exactly what is left): see mayVoid's `returned` fact. Pure.
import { lineTotal, type BasketLine } from '../engine/basket.js';
import type { QuoteMember } from '../engine/conditions.js';
import { quote } from '../engine/quote.js';
import { canonicalJson } from '../kernel/hash.js';
import type { RefusalFigures } from '../kernel/problems.js';
import { err, ok, type Result } from '../kernel/result.js';
import type { Conditions, EarnRule, Program } from '../program/schema.js';
import {
  returnableEventSchema,
  type LedgerEvent,
  type ReturnableEvent,
  type ReturnedLine,
} from './events.js';

/** Units already returned per line of the original (index → units). */
export type ReturnedUnits = ReadonlyMap<number, number>;

/** Why lines of a sale may not be returned. */
export type ReturnRefusalReason =
  /** Only a points-earned event (a sale) has lines to return. */
  | 'not-returnable'
  /** HQ refused the original: there is nothing to take back. */
  | 'not-counted'
  /** The return is recorded for another member than the sale's. */
  | 'other-member'
  /** The return's copy of the sale differs from the copy held. */
  | 'differs-from-held'
  /** The sale was voided: everything was taken back already. */
  | 'voided'
  /** No line, a line the sale does not have, a SKU that is not that line's, or a line named twice. */
  | 'unknown-line'
  /** More units than the line has left (its quantity less what earlier returns took). */
  | 'beyond-quantity';

export interface ReturnRefusal {
  reason: ReturnRefusalReason;
  /** In words for a cashier or a reviewer. */
  message: string;
  /** The figures the message names (`id`: the event's), for the counter's languages. */
  figures?: RefusalFigures;
}

/** What is known when a return is asked for. */
export interface ReturnFacts {
  /** The sale: the till's row, or the copy a return event carries. */
  original: LedgerEvent;
  /** The member the return is recorded for (default: the original's). */
  memberId?: string;
  /** The copy of the sale held (HQ's stored event); undefined or null when none is held. */
  held?: LedgerEvent | null;
  /** Whether the original counts: false when HQ refused it (default true). */
  counted?: boolean;
  /** Whether a void of the sale counts. */
  voided: boolean;
  /** Units already returned by the returns that count (see returnedUnits). */
  returnedBefore: ReturnedUnits;
  /** The lines asked for now. */
  lines: readonly ReturnedLine[];
}

const refusal = (
  reason: ReturnRefusalReason,
  message: string,
  figures?: RefusalFigures,
): Result<never, ReturnRefusal> => err(figures ? { reason, message, figures } : { reason, message });

/** May these lines of `facts.original` be returned? The sale, or why not (checked in this order). */
export function mayReturn(facts: ReturnFacts): Result<ReturnableEvent, ReturnRefusal> {
  const { original } = facts;
  const sale = returnableEventSchema.safeParse(original);
  if (!sale.success)
    return refusal('not-returnable', 'Only the lines of a sale that earned points can be returned');
  if (facts.counted === false)
    return refusal(
      'not-counted',
      `Sale ${original.id} was not accepted by HQ: there is nothing to take back`,
      { id: original.id },
    );
  if (facts.memberId !== undefined && facts.memberId !== original.memberId)
    return refusal('other-member', `Sale ${original.id} belongs to another member`, { id: original.id });
  if (facts.held && canonicalJson(facts.held) !== canonicalJson(original))
    return refusal(
      'differs-from-held',
      `The returned sale differs from the copy held of event ${original.id}`,
      { id: original.id },
    );
  if (facts.voided)
    return refusal('voided', `Sale ${original.id} was voided: its points were already taken back`, {
      id: original.id,
    });
  if (facts.lines.length === 0)
    return refusal('unknown-line', 'A return names at least one line', { id: original.id, lines: 0 });
  const lines = sale.data.payload.lines;
  const named = new Set<number>();
  for (const r of facts.lines) {
    const line = lines[r.line];
    if (!line || line.sku !== r.sku || named.has(r.line))
      return refusal(
        'unknown-line',
        `Sale ${original.id} has no line ${r.line + 1} with SKU ${r.sku} to return`,
        { id: original.id, line: r.line + 1, sku: r.sku },
      );
    named.add(r.line);
    const left = line.quantity - (facts.returnedBefore.get(r.line) ?? 0);
    if (r.quantity > left)
      return refusal(
        'beyond-quantity',
        `Line ${r.line + 1} (${r.sku}) has ${left} of ${line.quantity} left to return, not ${r.quantity}`,
        { line: r.line + 1, sku: r.sku, left, quantity: line.quantity, asked: r.quantity },
      );
  }
  return ok(sale.data);
}

/**
 * Units returned per sale by the returns that count, among `events`: what is known of earlier returns.
 * A return HQ refused returns nothing. Also tells which sales have a return counted (a key in the map).
 */
export function returnedUnits(
  events: Iterable<{ event: LedgerEvent; counted: boolean }>,
): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const { event, counted } of events) {
    if (!counted || event.type !== 'points-returned') continue;
    const id = event.payload.original.id;
    const units = out.get(id) ?? new Map<number, number>();
    for (const r of event.payload.lines) units.set(r.line, (units.get(r.line) ?? 0) + r.quantity);
    out.set(id, units);
  }
  return out;
}

/** Adds this return's units to the units returned before. */
export function addUnits(before: ReturnedUnits, lines: readonly ReturnedLine[]): Map<number, number> {
  const out = new Map(before);
  for (const r of lines) out.set(r.line, (out.get(r.line) ?? 0) + r.quantity);
  return out;
}

/**
 * The basket that remains once `returned` units are gone: each line at its units left, its whole-line
 * discount following the units left rounded down (so a line's remaining total never drops below its
 * units × the discounted unit price); lines with no unit left are dropped.
 */
export function remainingLines(original: ReturnableEvent, returned: ReturnedUnits): BasketLine[] {
  const out: BasketLine[] = [];
  original.payload.lines.forEach((line, i) => {
    const left = line.quantity - Math.min(line.quantity, returned.get(i) ?? 0);
    if (left <= 0) return;
    if (left === line.quantity) {
      out.push(line);
      return;
    }
    const discount = Math.floor((line.discount * left) / line.quantity);
    out.push({ ...line, quantity: left, discount });
  });
  return out;
}

const MEMBER_CONDITIONS = ['tiers', 'birthdayMonth', 'firstPurchase'] as const;

/** A rule without its member conditions: they held for the sale (the rule fired), and the member is the sale's. */
function withoutMemberConditions(rule: EarnRule): EarnRule {
  if (!rule.conditions) return rule;
  const conditions: Conditions = { ...rule.conditions };
  for (const key of MEMBER_CONDITIONS) delete conditions[key];
  return { ...rule, conditions };
}

/**
 * The points the remaining lines would have earned in the sale: quoted under the original's program at
 * its instant, with only the rules its explanation shows fired (a rule that did not fire on the whole
 * basket cannot fire on part of it), the member facts those rules needed taken as held, and the tier,
 * plan and referral welcome the explanation names. Nothing remains: 0.
 */
export function remainingQuote(
  original: ReturnableEvent,
  lines: readonly BasketLine[],
  program: Program,
): number {
  if (lines.length === 0) return 0;
  const fired = new Set(original.payload.explanation.map((l) => l.ruleId));
  const named = (prefix: string): string | null => {
    for (const id of fired) if (id.startsWith(prefix)) return id.slice(prefix.length);
    return null;
  };
  const at = Date.parse(original.occurredAt);
  const plan = named('plan:');
  const referral = fired.has('bonus:referral');
  const member: QuoteMember = {
    tier: named('tier:'),
    birthMonth: null,
    purchases: referral ? 0 : 1,
    plan: plan === null ? null : { id: plan, until: new Date(at + 1).toISOString() },
    referredBy: referral ? original.memberId : null,
  };
  const rules = program.earning.rules.filter((r) => fired.has(r.id)).map(withoutMemberConditions);
  const scoped: Program = { ...program, earning: { ...program.earning, rules } };
  return quote({ currency: original.payload.basket.currency, lines: [...lines] }, member, scoped, at).points;
}

/** The eligible spend of lines (the program's excluded categories and SKUs left out), minor units. */
function eligibleSpend(lines: readonly BasketLine[], program: Program): number {
  const { categories, skus } = program.earning.excluded;
  let sum = 0;
  for (const l of lines) if (!categories.includes(l.category) && !skus.includes(l.sku)) sum += lineTotal(l);
  return sum;
}

export interface ClawbackInput {
  original: ReturnableEvent;
  /** The program version the original names. */
  program: Program;
  /** The points the original was applied at (HQ: its ruled figure; the till: the sale's points). */
  applied: number;
  /** Units returned before this return. */
  returnedBefore: ReturnedUnits;
  /** Points earlier returns of the sale took back (what was applied for them). */
  takenBefore: number;
  /** The lines returned now (checked by mayReturn). */
  lines: readonly ReturnedLine[];
}

export interface Clawback {
  /** Points this return takes back. */
  points: number;
  /** Eligible spend this return gives back, minor units. */
  spend: number;
  /** What the remaining lines keep. */
  remaining: number;
}

/** The points (and spend) a return of `lines` takes back. See the header for the rule. */
export function returnClawback(input: ClawbackInput): Clawback {
  const { original, program, applied, returnedBefore, takenBefore, lines } = input;
  const after = addUnits(returnedBefore, lines);
  const beforeLines = remainingLines(original, returnedBefore);
  const afterLines = remainingLines(original, after);
  const remaining = Math.min(applied, remainingQuote(original, afterLines, program));
  const taken = Math.max(0, applied - remaining);
  const left = Math.max(0, applied - takenBefore);
  const points = Math.min(left, Math.max(0, taken - takenBefore));
  const spend = Math.max(0, eligibleSpend(beforeLines, program) - eligibleSpend(afterLines, program));
  return { points, spend, remaining: applied - taken };
}

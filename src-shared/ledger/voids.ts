// "A void happens once", as one rule for the till and for HQ. A void reverses one earlier earn, redeem,
// adjust or bonus event exactly (its payload carries the whole original); it may be recorded only for an
// event that counts, of the same member, as held, and not voided already. The till asks before recording
// (its own rows are what it knows); HQ asks on ingest (its copy of the original and the voids it applied).
// A sale with a return counted is not voided any more: its remaining lines are returned instead (returns.ts).
import { canonicalJson } from '../kernel/hash.js';
import type { RefusalFigures } from '../kernel/problems.js';
import { err, ok, type Result } from '../kernel/result.js';
import { voidableEventSchema, type LedgerEvent, type VoidableEvent } from './events.js';

/** Why an event may not be voided. */
export type VoidRefusalReason =
  /** Not an event that moved points (only earn, redeem, adjust and bonus events are voidable). */
  | 'not-voidable'
  /** HQ refused the original (conflict, rejected, quarantined): there is nothing to reverse. */
  | 'not-counted'
  /** The void is recorded for another member than the original's. */
  | 'other-member'
  /** The void's copy of the original differs from the copy held. */
  | 'differs-from-held'
  /** A void of the original already counts. */
  | 'already-voided'
  /** Lines of the sale were returned (returns.ts): what is left is returned, not voided. */
  | 'returned';

export interface VoidRefusal {
  reason: VoidRefusalReason;
  /** In words for a cashier or a reviewer. */
  message: string;
  /** The figures the message names (`id`: the event's), for the counter's languages. */
  figures?: RefusalFigures;
}

/** What is known when a void is asked for. */
export interface VoidFacts {
  /** The event to void: the till's row, or the copy a void event carries. */
  original: LedgerEvent;
  /** The member the void is recorded for (default: the original's). */
  memberId?: string;
  /** The copy of the original held (HQ's stored event); undefined or null when none is held. */
  held?: LedgerEvent | null;
  /** Whether the original counts: false when HQ refused it (default true). */
  counted?: boolean;
  /** Whether a void of the original already counts (see voidedIds). */
  alreadyVoided: boolean;
  /** Whether a return of some of its lines counts (see returnedUnits in returns.ts; default false). */
  returned?: boolean;
}

const refusal = (
  reason: VoidRefusalReason,
  message: string,
  figures?: RefusalFigures,
): Result<never, VoidRefusal> => err(figures ? { reason, message, figures } : { reason, message });

/** May `facts.original` be voided? The voidable original, or why not (checked in this order). */
export function mayVoid(facts: VoidFacts): Result<VoidableEvent, VoidRefusal> {
  const { original } = facts;
  const voidable = voidableEventSchema.safeParse(original);
  if (!voidable.success)
    return refusal('not-voidable', 'Only earned, redeemed, adjusted or bonus points can be voided');
  if (facts.counted === false)
    return refusal('not-counted', `Event ${original.id} was not accepted by HQ: there is nothing to void`, {
      id: original.id,
    });
  if (facts.memberId !== undefined && facts.memberId !== original.memberId)
    return refusal('other-member', `Event ${original.id} belongs to another member`, { id: original.id });
  if (facts.held && canonicalJson(facts.held) !== canonicalJson(original))
    return refusal(
      'differs-from-held',
      `The voided event differs from the copy held of event ${original.id}`,
      { id: original.id },
    );
  if (facts.alreadyVoided)
    return refusal('already-voided', `Event ${original.id} was already voided`, { id: original.id });
  if (facts.returned === true)
    return refusal(
      'returned',
      `Lines of sale ${original.id} were returned: return the lines left instead of voiding it`,
      { id: original.id },
    );
  return ok(voidable.data);
}

/**
 * The ids of the events voided by the voids that count, among `events`: what is known of earlier voids.
 * A void HQ refused voids nothing, so the original may be voided again.
 */
export function voidedIds(events: Iterable<{ event: LedgerEvent; counted: boolean }>): Set<string> {
  const ids = new Set<string>();
  for (const { event, counted } of events)
    if (counted && event.type === 'event-voided') ids.add(event.payload.original.id);
  return ids;
}

// The balance shown at the counter (docs/architecture.md section 4): HQ's member plus this terminal's events HQ has
// not posted into it yet, projected with the same applyEvent. It stays right whichever arrives first at
// the terminal: the member document that includes an event, or the event's posting status (its memberSeq).
import type { Program } from '../program/schema.js';
import { applyEvent } from './apply-event.js';
import type { LedgerEvent } from './events.js';
import { netPoints, type Member } from './member.js';

/** One of this terminal's events, with the memberSeq HQ gave it once posted (null until then). */
export type LocalEvent = { event: LedgerEvent; memberSeq: number | null };

function seenBy(member: Member, e: LedgerEvent): boolean {
  const seen = Object.hasOwn(member.seen, e.terminalId) ? member.seen[e.terminalId] : undefined;
  return member.id === e.memberId && (seen ?? 0) >= e.terminalSeq;
}

/**
 * True while the member does not include the event: its memberSeq is unknown or above the member's.
 * When the member document arrives before the posting status, the member's `seen` map already shows the
 * event included, and it is not pending either.
 */
export function isPending(member: Member | null, e: LocalEvent): boolean {
  if (member === null) return true;
  if (e.memberSeq !== null && e.memberSeq <= member.memberSeq) return false;
  return !seenBy(member, e.event);
}

/** This member's pending events, in terminalSeq order. */
export function pendingEvents(
  member: Member | null,
  localEvents: readonly LocalEvent[],
  memberId?: string,
): LocalEvent[] {
  const id = memberId ?? member?.id;
  return localEvents
    .filter((e) => (id === undefined || e.event.memberId === id) && isPending(member, e))
    .sort((a, b) =>
      a.event.terminalId === b.event.terminalId
        ? a.event.terminalSeq - b.event.terminalSeq
        : a.event.terminalId < b.event.terminalId
          ? -1
          : 1,
    );
}

/**
 * HQ's member with this member's pending local events applied on top. Events are those of
 * `memberId ?? member.id`; with neither (a member enrolled here and not yet pulled), pass only that
 * member's events. Events that cannot be projected without a member (no enrollment among them) are skipped,
 * and the result is null when there is no member at all.
 *
 * The projection's offlineAllowance is recomputed from the projected balance; the offline policy must use
 * HQ's figure (the member as pulled) less this terminal's offline redemptions, not this one.
 */
export function memberWithPending(
  member: Member | null,
  localEvents: readonly LocalEvent[],
  program: Program,
  memberId?: string,
): Member | null {
  let m = member;
  for (const { event } of pendingEvents(member, localEvents, memberId)) {
    if (m === null && event.type !== 'member-enrolled') continue;
    m = applyEvent(m, event, program);
  }
  return m;
}

export interface ShownBalance {
  /** Net points (balance − debt) in HQ's member. */
  confirmed: number;
  /** What the unposted events add (negative for redemptions): this terminal's, and its store's peers' that HQ has not counted. */
  pending: number;
  /** confirmed + pending: the figure the cashier sees. */
  total: number;
}

/** The net points shown at the counter, split into what HQ has confirmed and what is still pending. */
export function shownBalance(
  member: Member | null,
  localEvents: readonly LocalEvent[],
  program: Program,
  memberId?: string,
): ShownBalance {
  const confirmed = member ? netPoints(member) : 0;
  const projected = memberWithPending(member, localEvents, program, memberId);
  const total = projected ? netPoints(projected) : 0;
  return { confirmed, pending: total - confirmed, total };
}

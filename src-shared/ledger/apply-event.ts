// The one member projection (docs/architecture.md section 4): HQ folds a member's events through applyEvent to get the
// authoritative member record, and terminals run the same function to show events HQ has not posted yet.
// Pure and deterministic: it never mutates its inputs and never reads the clock.
//
// Points live in batches (one per crediting event), spent oldest first; balance is always the sum of the
// batches' remaining points. An overdraft (two offline redemptions of the same points) becomes debt,
// repaid first from later credits. Invariants after every event: balance = Σ remaining, balance ≥ 0,
// debt ≥ 0, balance > 0 ⇒ debt = 0, all integers, and every balance, debt and total within ±MAX_POINTS.
//
// HQ may apply a terminal's event at its own figure (a Ruling, see claims.ts): the ruled points replace the
// claimed ones everywhere the event moves points, and a void reverses the figure its original was applied at.
// A return of some lines (points-returned) takes back the figure it carries, or HQ's (returns.ts).
import { offlineAllowance } from '../engine/allowance.js';
import { evaluateTier, tierRank } from '../engine/tiers.js';
import { MAX_POINTS } from '../kernel/points.js';
import { addMonthsToInstant, localTime } from '../kernel/zoned-time.js';
import type { Program } from '../program/schema.js';
import type { EventOf, LedgerEvent, VoidableEvent } from './events.js';
import { emptyMember, type Batch, type Member } from './member.js';

const instant = (iso: string): number => Date.parse(iso);

/** Own-property read, so keys such as `__proto__` (a terminal id, an action id) are plain data. */
function own<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function setOwn<V>(record: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function copyRecord<V>(record: Record<string, V>, copy: (v: V) => V): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(record)) setOwn(out, k, copy(v));
  return out;
}

/** A deep copy of everything applyEvent may change, so the caller's member is never touched. */
function cloneMember(m: Member): Member {
  return {
    ...m,
    cards: [...m.cards],
    plan: m.plan ? { ...m.plan } : null,
    batches: m.batches.map((b) => ({ ...b })),
    qualifying: copyRecord(m.qualifying, (q) => ({ ...q })),
    totals: { ...m.totals },
    actions: copyRecord(m.actions, (a) => [...a]),
    seen: copyRecord(m.seen, (s) => s),
  };
}

const minus = (a: number, b: number): number => Math.max(0, a - b);

function union(a: readonly string[], b: readonly string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

// ---- batches -------------------------------------------------------------------------------------

/** Keeps batches ordered by earnedAt (stable: equal instants keep their arrival order). */
function insertBatch(m: Member, batch: Batch): void {
  const at = instant(batch.earnedAt);
  let i = m.batches.length;
  for (;;) {
    const prev = m.batches[i - 1];
    if (!prev || instant(prev.earnedAt) <= at) break;
    i -= 1;
  }
  m.batches.splice(i, 0, batch);
}

function expiresAt(occurredAt: string, program: Program): string | null {
  return program.expiry.mode === 'rolling' ? addMonthsToInstant(occurredAt, program.expiry.months) : null;
}

/**
 * Drops spent batches that can no longer matter: those with no expiry date, and those past it. Done only
 * on crediting and expiry events, never on debits or voids, so that a void right after the event it
 * reverses still finds the batches that event emptied.
 */
function prune(m: Member, occurredAt: string): void {
  const at = instant(occurredAt);
  m.batches = m.batches.filter((b) => b.remaining > 0 || (b.expiresAt !== null && instant(b.expiresAt) > at));
}

/** Repays debt first; the rest becomes a new batch for `eventId`. */
function credit(m: Member, points: number, eventId: string, occurredAt: string, program: Program): void {
  prune(m, occurredAt);
  const repaid = Math.min(m.debt, points);
  m.debt -= repaid;
  const rest = points - repaid;
  if (rest > 0) {
    insertBatch(m, {
      eventId,
      earnedAt: occurredAt,
      expiresAt: expiresAt(occurredAt, program),
      points: rest,
      remaining: rest,
    });
    m.balance += rest;
  }
}

/** Takes from batches oldest first; what the balance cannot cover becomes debt. */
function debit(m: Member, cost: number): void {
  let left = cost;
  for (const b of m.batches) {
    if (left === 0) break;
    const take = Math.min(b.remaining, left);
    b.remaining -= take;
    left -= take;
  }
  m.balance -= cost - left;
  m.debt += left;
}

/**
 * Gives debited points back (voided redemption or negative adjustment): reduces debt first, then refills
 * batches newest first up to their credited points (the exact inverse of oldest-first spending when
 * nothing happened in between), and anything left becomes a new batch for the void event. A refilled
 * batch keeps its own expiry date; if that is already past, the next expiry run takes those points.
 */
function refund(m: Member, points: number, voidEvent: LedgerEvent, program: Program): void {
  const repaid = Math.min(m.debt, points);
  m.debt -= repaid;
  let left = points - repaid;
  for (let i = m.batches.length - 1; i >= 0 && left > 0; i--) {
    const b = m.batches[i];
    if (!b) continue;
    const add = Math.min(b.points - b.remaining, left);
    b.remaining += add;
    m.balance += add;
    left -= add;
  }
  if (left > 0) {
    const at = voidEvent.occurredAt;
    insertBatch(m, {
      eventId: voidEvent.id,
      earnedAt: at,
      expiresAt: expiresAt(at, program),
      points: left,
      remaining: left,
    });
    m.balance += left;
  }
}

/**
 * Takes back credited points (voided earn, bonus or positive adjustment): the remaining points of the
 * original's batch go (and the batch with them); the part that had repaid debt or was already spent is
 * taken from the other batches, oldest first, and becomes debt where they cannot cover it.
 */
function uncredit(m: Member, points: number, originalId: string): void {
  const i = m.batches.findIndex((b) => b.eventId === originalId);
  const batch = m.batches[i];
  let removed = 0;
  if (batch) {
    // A batch never holds more than its event credited (refunds refill only up to `points`).
    removed = batch.remaining;
    m.batches.splice(i, 1);
    m.balance -= removed;
  }
  debit(m, Math.max(0, points - removed));
}

/**
 * Takes back part of an earn (a return of some of its lines): from what remains of the sale's batch first,
 * the rest from the other batches oldest first, as debt where they cannot cover it (as a void does). The
 * batch keeps the points the sale still counts for, so a later refund never refills returned points; at 0
 * it goes.
 */
function uncreditPart(m: Member, points: number, originalId: string): void {
  const i = m.batches.findIndex((b) => b.eventId === originalId);
  const batch = m.batches[i];
  let taken = 0;
  if (batch) {
    taken = Math.min(batch.remaining, points);
    batch.remaining -= taken;
    batch.points -= points;
    m.balance -= taken;
    if (batch.points <= 0) m.batches.splice(i, 1);
  }
  debit(m, points - taken);
}

// ---- other bookkeeping ---------------------------------------------------------------------------

function touch(m: Member, occurredAt: string): void {
  if (m.lastActivityAt === null || instant(occurredAt) > instant(m.lastActivityAt))
    m.lastActivityAt = occurredAt;
}

/** Adds (or, with a negative sign, removes) qualifying points and spend in the event's local month. */
function addQualifying(
  m: Member,
  event: EventOf<'points-earned'>,
  points: number,
  program: Program,
  sign: 1 | -1,
  returnedSpend?: number,
): void {
  const month = localTime(instant(event.occurredAt), program.timeZone).month;
  const bucket = own(m.qualifying, month) ?? { points: 0, spend: 0 };
  const spend = Math.max(0, returnedSpend ?? event.payload.basket.eligible);
  const next = {
    points: Math.max(0, bucket.points + sign * points),
    spend: Math.max(0, bucket.spend + sign * spend),
  };
  if (next.points === 0 && next.spend === 0) delete m.qualifying[month];
  else setOwn(m.qualifying, month, next);
}

/** Upgrades only: downgrades come from HQ's nightly tier-changed events. */
function upgradeTier(m: Member, program: Program, occurredAt: string): void {
  const earned = evaluateTier(m, program, instant(occurredAt));
  if (tierRank(program, earned) > tierRank(program, m.tier)) m.tier = earned;
}

function removeAction(m: Member, actionId: string, occurredAt: string): void {
  const list = own(m.actions, actionId);
  if (!list) return;
  const i = list.indexOf(occurredAt);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) delete m.actions[actionId];
}

// ---- the projection ------------------------------------------------------------------------------

/** The event's own points figure (the one a ruling replaces); null for events that move no points. */
export function claimedFigure(event: LedgerEvent | VoidableEvent, program: Program): number | null {
  switch (event.type) {
    case 'member-enrolled':
      return event.payload.welcomeBonus;
    case 'points-earned':
    case 'points-adjusted':
    case 'bonus-awarded':
      return event.payload.points;
    case 'points-redeemed':
      return event.payload.cost;
    case 'plan-joined':
      return program.plans.find((p) => p.id === event.payload.planId)?.joinBonus ?? 0;
    case 'event-voided':
      return claimedFigure(event.payload.original, program);
    case 'points-returned':
      return event.payload.points;
    case 'member-updated':
    case 'points-expired':
    case 'tier-changed':
      return null;
  }
}

/**
 * The figure the event moves: the ruled one when given, else its own. A ruled figure keeps the claim's
 * direction (an adjustment stays a credit or a debit; 0 is allowed) and the ±MAX_POINTS bound.
 */
function figure(event: LedgerEvent, program: Program, ruled: number | undefined): number {
  const claimed = claimedFigure(event, program);
  if (ruled === undefined) return claimed ?? 0;
  if (claimed === null) throw new RangeError(`event ${event.id} (${event.type}) moves no points to rule on`);
  const sameDirection = claimed < 0 ? ruled <= 0 : ruled >= 0;
  if (!Number.isSafeInteger(ruled) || Math.abs(ruled) > MAX_POINTS || !sameDirection)
    throw new RangeError(
      `event ${event.id} (${event.type}) claims ${claimed} points; ruled ${ruled} is not valid`,
    );
  return ruled;
}

/** Reverses `original` as it was applied: `points` is the figure it moved (ruled or its own). */
function applyVoid(
  m: Member,
  event: EventOf<'event-voided'>,
  original: VoidableEvent,
  points: number,
  program: Program,
): void {
  if (original.memberId !== event.memberId) {
    throw new Error(`event ${event.id} voids event ${original.id} of another member (${original.memberId})`);
  }
  switch (original.type) {
    case 'points-earned':
      uncredit(m, points, original.id);
      m.purchases = minus(m.purchases, 1);
      addQualifying(m, original, points, program, -1);
      m.totals.earned = minus(m.totals.earned, points);
      return;
    case 'points-redeemed':
      refund(m, points, event, program);
      m.totals.redeemed = minus(m.totals.redeemed, points);
      return;
    case 'points-adjusted':
      if (original.payload.points > 0) {
        uncredit(m, points, original.id);
        m.totals.adjustedIn = minus(m.totals.adjustedIn, points);
      } else {
        refund(m, -points, event, program);
        m.totals.adjustedOut = minus(m.totals.adjustedOut, -points);
      }
      return;
    case 'bonus-awarded':
      uncredit(m, points, original.id);
      m.totals.bonus = minus(m.totals.bonus, points);
      // An action applied at 0 points was never recorded (see applyTo), so there is nothing to remove.
      if (points > 0 && original.payload.kind === 'action' && original.payload.actionId !== null) {
        removeAction(m, original.payload.actionId, original.occurredAt);
      }
      return;
  }
}

/** Credits a bonus-like figure (welcome, join bonus) as its own batch; nothing for 0. */
function creditBonus(m: Member, points: number, event: LedgerEvent, program: Program): void {
  if (points <= 0) return;
  credit(m, points, event.id, event.occurredAt, program);
  m.totals.bonus += points;
}

function applyTo(m: Member, event: LedgerEvent, program: Program, points: number): void {
  const at = event.occurredAt;
  switch (event.type) {
    case 'member-enrolled': {
      const p = event.payload;
      m.displayName = p.displayName;
      m.phoneHash = p.phoneHash ?? m.phoneHash;
      m.phoneLast4 = p.phoneLast4 ?? m.phoneLast4;
      m.birthMonth = p.birthMonth ?? m.birthMonth;
      m.referredBy = p.referredBy ?? m.referredBy;
      m.cards = union(m.cards, p.cards);
      creditBonus(m, points, event, program);
      upgradeTier(m, program, at);
      return;
    }
    case 'member-updated': {
      const p = event.payload;
      if (p.displayName !== undefined) m.displayName = p.displayName;
      if (p.phoneHash !== undefined) m.phoneHash = p.phoneHash;
      if (p.phoneLast4 !== undefined) m.phoneLast4 = p.phoneLast4;
      if (p.birthMonth !== undefined) m.birthMonth = p.birthMonth;
      if (p.removeCards) {
        const removed = p.removeCards;
        m.cards = m.cards.filter((c) => !removed.includes(c));
      }
      if (p.addCards) m.cards = union(m.cards, p.addCards);
      if (p.status !== undefined) m.status = p.status;
      return;
    }
    case 'points-earned':
      credit(m, points, event.id, at, program);
      m.purchases += 1;
      addQualifying(m, event, points, program, 1);
      m.totals.earned += points;
      touch(m, at);
      upgradeTier(m, program, at);
      return;
    case 'points-redeemed':
      debit(m, points);
      m.totals.redeemed += points;
      touch(m, at);
      return;
    case 'points-adjusted':
      // The claim's sign decides the direction; a credit ruled down to 0 stays a (zero) credit.
      if (event.payload.points > 0) {
        credit(m, points, event.id, at, program);
        m.totals.adjustedIn += points;
      } else {
        debit(m, -points);
        m.totals.adjustedOut += -points;
      }
      return;
    case 'bonus-awarded': {
      const p = event.payload;
      credit(m, points, event.id, at, program);
      m.totals.bonus += points;
      // A refused action (ruled 0) is not recorded: it must not use up the member's limit.
      if (points > 0 && p.kind === 'action' && p.actionId !== null) {
        setOwn(m.actions, p.actionId, [...(own(m.actions, p.actionId) ?? []), at]);
      }
      return;
    }
    case 'points-expired': {
      // Rolling: what remains of the named batches; inactivity: the balance, oldest first. Either way
      // never more than the event's points, so a credit that raced the expiry run is not taken.
      const named = event.payload.reason === 'rolling' ? new Set(event.payload.batches) : null;
      let left = event.payload.points;
      for (const b of m.batches) {
        if (left === 0) break;
        if (named && !named.has(b.eventId)) continue;
        const take = Math.min(b.remaining, left);
        b.remaining -= take;
        left -= take;
      }
      const expired = event.payload.points - left;
      m.balance -= expired;
      m.totals.expired += expired;
      prune(m, at);
      return;
    }
    case 'tier-changed':
      m.tier = event.payload.to;
      return;
    case 'plan-joined':
      m.plan = { id: event.payload.planId, until: event.payload.until };
      // The plan's join bonus, from the program version the event names (0 for a plan it does not list).
      creditBonus(m, points, event, program);
      return;
    case 'event-voided':
      applyVoid(m, event, event.payload.original, points, program);
      return;
    case 'points-returned': {
      // Returned lines: the points they earned go as a void's would (returns.ts computes the figure); the
      // purchase still counts (the customer kept the other lines, or came back), so purchases stay.
      const original = event.payload.original;
      if (original.memberId !== event.memberId)
        throw new Error(`event ${event.id} returns lines of event ${original.id} of another member`);
      uncreditPart(m, points, original.id);
      addQualifying(m, original, points, program, -1, event.payload.spend);
      m.totals.earned = minus(m.totals.earned, points);
      return;
    }
  }
}

/**
 * Applies one event to a member (null before enrollment) and returns the new member; the input is never
 * modified. Applying an event whose (terminalId, terminalSeq) the member has already seen returns the
 * member as it is, so replays and re-pulls are harmless. This assumes each source's events reach a member
 * in terminalSeq order (HQ posts a terminal's events in order and holds back those after a gap).
 *
 * Throws when the event cannot apply at all (an event for a member not enrolled, or for another member):
 * HQ rejects such an event. A void is not checked against earlier voids of the same original: that is
 * HQ's job (it refuses a second void of one event); here a void applies once, like any event.
 *
 * Throws a RangeError when a balance, debt or total would leave ±MAX_POINTS, or when a ruling is not valid
 * for the event (HQ refuses the event).
 *
 * @param memberSeq HQ's per-member sequence number of this event, recorded in the member when given.
 * @param ruling HQ's figure for a terminal's event (see claims.ts); `points` undefined or no ruling: the
 *   event's own figure. For a void, the figure its original was applied at.
 */
export function applyEvent(
  member: Member | null,
  event: LedgerEvent,
  program: Program,
  memberSeq?: number,
  ruling?: { points?: number },
): Member {
  if (member === null) {
    if (event.type !== 'member-enrolled') {
      throw new Error(
        `event ${event.id} (${event.type}) is for member ${event.memberId}, who is not enrolled`,
      );
    }
  } else {
    if (member.id !== event.memberId) {
      throw new Error(`event ${event.id} is for member ${event.memberId}, not ${member.id}`);
    }
    if ((own(member.seen, event.terminalId) ?? 0) >= event.terminalSeq) return member;
  }
  const points = figure(event, program, ruling?.points);
  const m = member ? cloneMember(member) : emptyMember(event.memberId, event.occurredAt);
  applyTo(m, event, program, points);
  checkBounds(m, event);
  setOwn(m.seen, event.terminalId, event.terminalSeq);
  if (memberSeq !== undefined) m.memberSeq = memberSeq;
  m.offlineAllowance = offlineAllowance(m, program);
  return m;
}

/** Refuses a member whose points would leave ±MAX_POINTS, before precision could silently be lost. */
function checkBounds(m: Member, event: LedgerEvent): void {
  const figures: [string, number][] = [
    ['balance', m.balance],
    ['debt', m.debt],
    ...Object.entries(m.totals).map(([k, v]): [string, number] => [`totals.${k}`, v]),
  ];
  for (const [name, value] of figures)
    if (Math.abs(value) > MAX_POINTS)
      throw new RangeError(
        `event ${event.id} (${event.type}) would bring member ${m.id}'s ${name} to ${value}, beyond ${MAX_POINTS} points`,
      );
}

/** Folds events over a member in the given order (HQ's order for the member). */
export function applyEvents(
  member: Member | null,
  events: readonly LedgerEvent[],
  program: Program,
): Member | null {
  let m = member;
  for (const e of events) m = applyEvent(m, e, program);
  return m;
}

/** What is wrong with a member's points state, in words; empty when the projection invariants hold. */
export function memberInvariantProblems(m: Member): string[] {
  const problems: string[] = [];
  const numbers: [string, number][] = [
    ['balance', m.balance],
    ['debt', m.debt],
    ['purchases', m.purchases],
    ['offlineAllowance', m.offlineAllowance],
    ...Object.entries(m.totals).map(([k, v]): [string, number] => [`totals.${k}`, v]),
    ...m.batches.flatMap((b): [string, number][] => [
      [`batch ${b.eventId} points`, b.points],
      [`batch ${b.eventId} remaining`, b.remaining],
    ]),
  ];
  for (const [name, value] of numbers) {
    if (!Number.isSafeInteger(value) || value < 0)
      problems.push(`${name} is ${value}, not a non-negative integer`);
  }
  const sum = m.batches.reduce((s, b) => s + b.remaining, 0);
  if (sum !== m.balance)
    problems.push(`balance ${m.balance} differs from the batches' remaining points ${sum}`);
  if (m.balance > 0 && m.debt > 0) problems.push(`balance ${m.balance} and debt ${m.debt} are both positive`);
  for (const b of m.batches) {
    if (b.remaining > b.points)
      problems.push(`batch ${b.eventId} has ${b.remaining} remaining of ${b.points}`);
  }
  return problems;
}

// The decisions of ingest, with no SQL: given what the batch loaded (the members as they stand, stored
// events, card owners, program versions…), what is stored, applied, held, flagged and refused, and which
// review items open. The batch (batch.ts) loads and locks, calls these, and writes what they decided; the
// tests drive them without a database (test/hq/store/decide.test.ts).
//
// HQ is the authority: a terminal's event is checked against the program version it names (assessClaim,
// src-shared/ledger/claims.ts) and applied at HQ's figure; an over-claim's difference is held in a review
// item (details.held) that an administrator approves or rejects. Nothing is dropped and nothing is
// silently fixed: gaps, chain breaks, conflicts, overdrafts, double voids… are flagged and reviewed.
import { offlinePeriodLimit } from '../../../src-shared/engine/offline-bound.js';
import { canonicalJson } from '../../../src-shared/kernel/hash.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import { cardOfPlaceholder, creditForCardEarn, isCardEarn } from '../../../src-shared/ledger/card-earn.js';
import { assessClaim, type Ruling } from '../../../src-shared/ledger/claims.js';
import { addUnits, mayReturn, type ReturnedUnits } from '../../../src-shared/ledger/returns.js';
import { mayVoid } from '../../../src-shared/ledger/voids.js';
import {
  GENESIS_HASH,
  HQ_SOURCE,
  type EventOf,
  type EventStatus,
  type LedgerEvent,
} from '../../../src-shared/ledger/events.js';
import { netPoints, type Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import type { HqEventDraft } from '../hq-events.js';
import type { ReviewInput } from '../reviews.js';
import { InvalidBatchError, contentHash } from './validate.js';

export interface ProgramRef {
  programId: string;
  version: number;
}

/** Where a source's chain stands: its last seq and hash, and the seq it had when the batch began. */
export interface Head {
  seq: number;
  hash: string;
  startSeq: number;
}

/** An event this batch stores, or a stored one the batch re-projects. */
export interface Entry {
  event: LedgerEvent;
  isNew: boolean;
  /** Its place in the pushed list (for a 400 naming it); -1 for a stored event. */
  index: number;
  reasons: string[];
  memberSeq: number | null;
  applied: boolean;
  pointsDelta: number;
  /** HQ's figure when it did not apply the claim as made (see Ruling.points); null: as claimed. */
  ruledPoints: number | null;
  voids: string | null;
  /** A stored entry this batch changed (member_seq, status, reason, points_delta). */
  dirty: boolean;
  /** Stored, not applied and without memberSeq: waiting for its member's enrollment. */
  waiting: boolean;
  canonical: string | null;
}

export interface StoredRow {
  id: string;
  terminal_id: string;
  terminal_seq: number;
  body: LedgerEvent;
  status: EventStatus;
  member_seq: number | null;
  reason: string | null;
  applied: boolean;
  points_delta: number;
  ruled_points: number | null;
  voids: string | null;
  change_seq: number;
}

export interface MemberSlot {
  id: string;
  row: 'none' | 'live' | 'deleted';
  member: Member | null;
  /** The highest memberSeq handed out for this member. */
  lastMemberSeq: number;
  changed: boolean;
  /** The member this one was merged into (src-hq/store/member-admin/merge.ts): its points go there. */
  mergedInto?: string | null;
}

export interface Profile {
  memberId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

export type Outcome =
  | { kind: 'entry'; entry: Entry }
  | { kind: 'twin'; entry: Entry }
  | { kind: 'stored'; row: StoredRow }
  | { kind: 'conflict'; id: string; reason: string };

export interface Conflict {
  index: number;
  event: LedgerEvent;
  canonical: string;
  reason: string;
}

export interface Quarantined {
  eventId: string;
  terminalId: string;
  body: string;
  reason: string;
}

const UNKNOWN_MEMBER = 'member unknown at HQ';
/** The review kind of a till's earn on a card HQ does not know either (card-earn.ts). */
export const CARD_UNKNOWN_REVIEW = 'card-unknown';
const APPLIED_LATE = 'applied once the member was enrolled';

export const joinReasons = (reasons: readonly string[]): string | null =>
  reasons.length ? reasons.join('; ') : null;
export const statusOf = (entry: Entry): 'posted' | 'flagged' => (entry.reasons.length ? 'flagged' : 'posted');
const maskCard = (card: string): string => `…${card.slice(-4)}`;
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const lowerFirst = (text: string): string => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

function own<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The member with the event counted as seen (and its memberSeq) but nothing else changed: a refused event. */
export function markSeen(m: Member, e: LedgerEvent, memberSeq: number): Member {
  const seen: Record<string, number> = {};
  for (const [k, v] of Object.entries(m.seen))
    Object.defineProperty(seen, k, { value: v, enumerable: true, writable: true, configurable: true });
  const current = own(seen, e.terminalId) ?? 0;
  Object.defineProperty(seen, e.terminalId, {
    value: Math.max(current, e.terminalSeq),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return { ...m, seen, memberSeq };
}

/** Each source's entries in terminalSeq order within the positions that source holds in `list`. */
export function terminalOrderWithin(list: readonly Entry[]): Entry[] {
  const positions = new Map<string, number[]>();
  list.forEach((entry, i) => {
    const key = entry.event.terminalId;
    const at = positions.get(key);
    if (at) at.push(i);
    else positions.set(key, [i]);
  });
  const out = [...list];
  for (const at of positions.values()) {
    const sorted = at.map((i) => list[i] as Entry).sort((a, b) => a.event.terminalSeq - b.event.terminalSeq);
    at.forEach((pos, k) => {
      out[pos] = sorted[k] as Entry;
    });
  }
  return out;
}

function gapReason(from: number, to: number): string {
  return from === to ? `gap: event ${from} missing` : `gap: events ${from}–${to} missing`;
}

function breakReason(e: LedgerEvent): string {
  const after = e.terminalSeq === 1 ? 'the start of the chain' : `event ${e.terminalSeq - 1}`;
  return `chain break: event ${e.terminalSeq} does not follow ${after}`;
}

/**
 * The member's first enrollment first: the events other terminals made before it reached HQ follow it in
 * their own order (a member's events cannot apply before the member exists).
 */
function enrollmentFirst(order: readonly Entry[]): Entry[] {
  const at = order.findIndex((e) => e.event.type === 'member-enrolled');
  if (at <= 0) return [...order];
  return [order[at] as Entry, ...order.slice(0, at), ...order.slice(at + 1)];
}

/** The ruling as applyEvent takes it (undefined: as claimed). */
const rulingOf = (ruledPoints: number | null): { points: number } | undefined =>
  ruledPoints === null ? undefined : { points: ruledPoints };

/** The program versions deciding an event reads: its own, and a return's sale's (the rules it is ruled by). */
export const programVersionsOf = (e: LedgerEvent): number[] =>
  e.type === 'points-returned' ? [e.programVersion, e.payload.original.programVersion] : [e.programVersion];

/** The event a void or a return names (its `original`), or null. */
export const originalIdOf = (e: LedgerEvent): string | null =>
  e.type === 'event-voided' || e.type === 'points-returned' ? e.payload.original.id : null;

/** What HQ applied of a sale's returns: the units returned per line and the points taken back. */
export interface SaleReturns {
  units: ReturnedUnits;
  taken: number;
}

/** An original as HQ holds it (a stored event, or an entry of this batch). */
export interface HeldOriginal {
  event: LedgerEvent;
  applied: boolean;
  ruledPoints: number | null;
}

const RETURN_UNKNOWN_NOTE = 'applied at 0 until HQ applies the sale';

/** Key of one terminal's offline period for one member (the offline bound). */
export const offlinePeriodKey = (terminalId: string, memberId: string, since: string): string =>
  JSON.stringify([terminalId, memberId, since]);

/**
 * Everything one ingest transaction knows and decides. The batch fills the `loaded` state from the
 * database (after taking the locks) and reads the decided state back to write it.
 */
export class IngestDecisions {
  // ---- loaded (by batch.ts, from the database) --------------------------------------------------------
  readonly members = new Map<string, MemberSlot>();
  readonly programs = new Map<number, Program | null>();
  current: ProgramRef | null = null;
  readonly cardOwner = new Map<string, string | null>();
  /** The originals of the batch's voids and returns, as stored. */
  readonly originals = new Map<string, HeldOriginal>();
  readonly voided = new Set<string>();
  /** The returns HQ applied, per sale named by a void or a return (an empty entry: none). */
  readonly returns = new Map<string, SaleReturns>();
  readonly referralsAwarded = new Set<string>();
  /** The role HQ has on file for each manager id the batch's adjustments name. */
  readonly managerRoles = new Map<string, 'cashier' | 'manager'>();
  /** Offline redemptions already applied per terminal, member and offline period (points HQ applied). */
  readonly offlineSpent = new Map<string, number>();

  // ---- decided (written by batch.ts) ------------------------------------------------------------------
  readonly entries = new Map<string, Entry>();
  readonly inserted: Entry[] = [];
  readonly reviews: ReviewInput[] = [];
  readonly quarantined: Quarantined[] = [];
  readonly profiles = new Map<string, Profile>();
  readonly cardsAdded = new Map<string, string>();
  readonly cardsRemoved = new Map<string, string>();
  readonly referralsDue: { referred: string; referrer: string; points: number }[] = [];
  readonly lateTerminals = new Set<string>();
  /** Events that waited for their member and are applied in this batch: their review items resolve. */
  readonly appliedLate = new Set<string>();
  /** Originals voided in this batch: points still held for them are no longer due (their items resolve). */
  readonly voidedNow = new Set<string>();
  /** Voids whose original a late fill applied before them (terminal order): their void-unknown items resolve. */
  readonly voidsMatched = new Set<string>();
  /** Returns whose sale a late fill applied before them (terminal order): their return-unknown items resolve. */
  readonly returnsMatched = new Set<string>();
  /** Tills' earns on cards they did not know, new in this batch: HQ looks the cards up (card-earns.ts). */
  readonly cardEarns: Entry[] = [];
  /** During a replay: originals whose void comes after them in the replayed order (not voided before received). */
  private voidFollows: ReadonlySet<string> = new Set();

  constructor(private readonly label = 'events') {}

  // ---- programs --------------------------------------------------------------------------------------

  /** The version the event names, or the current one (with a note) when HQ never published it. */
  programFor(version: number): { program: Program; unknown: boolean } {
    const named = this.programs.get(version);
    if (named) return { program: named, unknown: false };
    const current = this.current && this.programs.get(this.current.version);
    if (!current) throw new Error('program versions must be loaded before projecting');
    return { program: current, unknown: true };
  }

  // ---- originals of voids and returns ----------------------------------------------------------------

  /** An original as HQ holds it: an entry of this batch (or re-projected), else the stored row. */
  private held(id: string): HeldOriginal | undefined {
    return this.entries.get(id) ?? this.originals.get(id);
  }

  /** Counts a return HQ applied (at `points`) into its sale's returns. */
  countReturn(e: EventOf<'points-returned'>, points: number): void {
    const id = e.payload.original.id;
    const before = this.returns.get(id);
    this.returns.set(id, {
      units: addUnits(before?.units ?? new Map(), e.payload.lines),
      taken: (before?.taken ?? 0) + points,
    });
  }

  /** Whether a return of the sale counts (the void rule's `returned` fact). */
  private hasReturns(saleId: string): boolean {
    return (this.returns.get(saleId)?.units.size ?? 0) > 0;
  }

  // ---- entries ---------------------------------------------------------------------------------------

  flag(entry: Entry, reason: string, review: Omit<ReviewInput, 'details'> & { details?: object }): void {
    entry.reasons.push(reason);
    const e = entry.event;
    this.reviews.push({
      kind: review.kind,
      memberId: review.memberId === undefined ? e.memberId : review.memberId,
      terminalId: review.terminalId === undefined ? e.terminalId : review.terminalId,
      eventId: review.eventId === undefined ? e.id : review.eventId,
      details: { terminalSeq: e.terminalSeq, type: e.type, reason, ...(review.details ?? {}) },
    });
  }

  newEntry(event: LedgerEvent, index: number): Entry {
    return {
      event,
      isNew: true,
      index,
      reasons: [],
      memberSeq: null,
      applied: false,
      pointsDelta: 0,
      ruledPoints: null,
      voids: event.type === 'event-voided' ? event.payload.original.id : null,
      dirty: false,
      waiting: false,
      canonical: null,
    };
  }

  storedEntry(row: StoredRow): Entry {
    const known = this.entries.get(row.id);
    if (known) return known;
    const entry: Entry = {
      event: row.body,
      isNew: false,
      index: -1,
      reasons: row.reason ? row.reason.split('; ') : [],
      memberSeq: row.member_seq,
      applied: row.applied,
      pointsDelta: row.points_delta,
      ruledPoints: row.ruled_points,
      voids: row.voids,
      dirty: false,
      waiting: row.member_seq === null && !row.applied,
      canonical: null,
    };
    this.entries.set(row.id, entry);
    return entry;
  }

  /**
   * Sorts a source's pushed events into new entries, identical re-pushes (`stored`, `twin`) and conflicts
   * (same id with other content, or a used terminalSeq), given what is stored under those ids and seqs.
   */
  classify(
    sourceId: string,
    events: readonly LedgerEvent[],
    stored: readonly StoredRow[],
  ): { outcomes: Outcome[]; accepted: Entry[]; conflicts: Conflict[] } {
    const order = events
      .map((_, i) => i)
      .sort(
        (a, b) => (events[a] as LedgerEvent).terminalSeq - (events[b] as LedgerEvent).terminalSeq || a - b,
      );
    const byId = new Map(stored.map((r) => [r.id, r]));
    const seqHolder = new Map<number, string>();
    for (const r of stored) if (r.terminal_id === sourceId) seqHolder.set(r.terminal_seq, r.id);

    const outcomes: Outcome[] = new Array<Outcome>(events.length);
    const accepted: Entry[] = [];
    const acceptedById = new Map<string, Entry>();
    const storedCanonical = new Map<string, string>();
    const conflicts: Conflict[] = [];
    for (const i of order) {
      const e = events[i] as LedgerEvent;
      const prior = byId.get(e.id);
      if (prior) {
        let priorCanonical = storedCanonical.get(prior.id);
        if (priorCanonical === undefined) {
          priorCanonical = canonicalJson(prior.body);
          storedCanonical.set(prior.id, priorCanonical);
        }
        const canonical = canonicalJson(e);
        if (priorCanonical === canonical) outcomes[i] = { kind: 'stored', row: prior };
        else
          conflicts.push({
            index: i,
            event: e,
            canonical,
            reason: `conflict: event ${e.id} was already received with different content; this copy is quarantined`,
          });
        continue;
      }
      const twin = acceptedById.get(e.id);
      if (twin) {
        const canonical = canonicalJson(e);
        twin.canonical ??= canonicalJson(twin.event);
        if (twin.canonical === canonical) outcomes[i] = { kind: 'twin', entry: twin };
        else
          conflicts.push({
            index: i,
            event: e,
            canonical,
            reason: `conflict: event ${e.id} appears twice in the batch with different content; this copy is quarantined`,
          });
        continue;
      }
      const holder = seqHolder.get(e.terminalSeq);
      if (holder !== undefined) {
        conflicts.push({
          index: i,
          event: e,
          canonical: canonicalJson(e),
          reason: `conflict: terminalSeq ${e.terminalSeq} already holds event ${holder}; this event is quarantined`,
        });
        continue;
      }
      const entry = this.newEntry(e, i);
      accepted.push(entry);
      acceptedById.set(e.id, entry);
      seqHolder.set(e.terminalSeq, e.id);
      this.entries.set(e.id, entry);
      this.inserted.push(entry);
      outcomes[i] = { kind: 'entry', entry };
    }
    return { outcomes, accepted, conflicts };
  }

  /** Conflicting copies go to quarantine once: `kept` holds `${id} ${canonical}` of those already there. */
  quarantine(conflicts: readonly Conflict[], outcomes: Outcome[], kept: Set<string>): void {
    for (const c of conflicts) {
      outcomes[c.index] = { kind: 'conflict', id: c.event.id, reason: c.reason };
      const key = `${c.event.id} ${c.canonical}`;
      if (kept.has(key)) continue;
      kept.add(key);
      this.quarantined.push({
        eventId: c.event.id,
        terminalId: c.event.terminalId,
        body: c.canonical,
        reason: c.reason,
      });
      this.reviews.push({
        kind: 'conflict',
        memberId: c.event.memberId,
        terminalId: c.event.terminalId,
        eventId: c.event.id,
        details: { terminalSeq: c.event.terminalSeq, type: c.event.type, reason: c.reason },
      });
    }
  }

  /**
   * Gaps and chain breaks among the accepted events, moving the head; returns the events that fill an
   * earlier gap (checked against their stored neighbours by checkLate). Events are stored all the same.
   */
  checkChain(sourceId: string, head: Head, accepted: readonly Entry[]): Entry[] {
    let last = { seq: head.seq, hash: head.hash };
    const late: Entry[] = [];
    for (const entry of accepted) {
      const e = entry.event;
      if (e.terminalSeq > last.seq + 1) {
        const from = last.seq + 1;
        const to = e.terminalSeq - 1;
        this.flag(entry, gapReason(from, to), { kind: 'gap', details: { from, to } });
      } else if (e.terminalSeq === last.seq + 1) {
        if (e.prevHash !== last.hash) this.flag(entry, breakReason(e), { kind: 'chain-break' });
      } else {
        late.push(entry);
      }
      if (e.terminalSeq > last.seq) last = { seq: e.terminalSeq, hash: e.hash };
    }
    head.seq = last.seq;
    head.hash = last.hash;
    if (late.length > 0) this.lateTerminals.add(sourceId);
    return late;
  }

  /** Late events against their neighbours (stored ones in `neighbours`, by terminalSeq, or in the batch). */
  checkLate(
    late: readonly Entry[],
    accepted: readonly Entry[],
    neighbours: Map<number, { hash: string; prevHash: string }>,
  ): void {
    const inBatch = new Map(accepted.map((a) => [a.event.terminalSeq, a.event]));
    for (const { event: e } of accepted)
      neighbours.set(e.terminalSeq, { hash: e.hash, prevHash: e.prevHash });
    for (const entry of late) {
      const e = entry.event;
      const before = e.terminalSeq === 1 ? { hash: GENESIS_HASH } : neighbours.get(e.terminalSeq - 1);
      const after = inBatch.get(e.terminalSeq + 1) ?? neighbours.get(e.terminalSeq + 1);
      if ((before && before.hash !== e.prevHash) || (after && after.prevHash !== e.hash))
        this.flag(entry, breakReason(e), { kind: 'chain-break' });
    }
  }

  /** Members whose new events cannot simply be applied on top: re-projected from their stored events. */
  slowMembers(accepted: readonly Entry[]): { slow: Set<string>; enrolling: string[] } {
    const slow = new Set<string>();
    const enrolling: string[] = [];
    for (const { event: e } of accepted) {
      const slot = this.members.get(e.memberId) as MemberSlot;
      if (slot.member && (own(slot.member.seen, e.terminalId) ?? 0) >= e.terminalSeq) slow.add(slot.id);
      if (slot.row === 'none' && e.type === 'member-enrolled') enrolling.push(slot.id);
    }
    return { slow, enrolling };
  }

  // ---- projecting ------------------------------------------------------------------------------------

  refuse(slot: MemberSlot, entry: Entry, reason: string, kind: string, details: object = {}): void {
    this.flag(entry, reason, { kind, details });
    entry.applied = false;
    entry.pointsDelta = 0;
    entry.ruledPoints = null;
    if (slot.member) {
      slot.lastMemberSeq += 1;
      entry.memberSeq = slot.lastMemberSeq;
      slot.member = markSeen(slot.member, entry.event, slot.lastMemberSeq);
      slot.changed = true;
    } else {
      entry.memberSeq = null;
    }
  }

  /**
   * HQ's ruling on a terminal's event: the claim checked against the program version (a void reverses the
   * figure its original was applied at). HQ's own events are applied as made.
   */
  private rule(entry: Entry, before: Member | null, program: Program): Ruling | null {
    const e = entry.event;
    if (e.terminalId === HQ_SOURCE) return null;
    if (e.type === 'event-voided') return this.voidRuling(e);
    if (e.type === 'points-returned') return this.returnRuling(e);
    if (this.voided.has(e.id) && !this.voidFollows.has(e.id)) {
      const reason = `voided before HQ received it (void applied first); applied at 0`;
      return { points: 0, held: 0, findings: [{ kind: 'voided-before-received', reason, details: {} }] };
    }
    return assessClaim(e, {
      program,
      member: before,
      intact: contentHash(e) === e.hash,
      managerRole:
        e.type === 'points-adjusted' ? (this.managerRoles.get(e.payload.managerId) ?? null) : undefined,
    });
  }

  /**
   * A void reverses what HQ applied for its original: nothing while HQ has not applied it (the original,
   * when it comes after, is then applied at 0: the pair nets to nothing, whatever it claimed).
   */
  private voidRuling(e: EventOf<'event-voided'>): Ruling | null {
    const target = this.held(e.payload.original.id);
    if (!target?.applied) return { points: 0, held: 0, findings: [] };
    const ruled = target.ruledPoints;
    return ruled === null ? null : { points: ruled, held: 0, findings: [] };
  }

  /**
   * A return takes back what the sale's rules say its lines earned (assessReturn, src-shared/ledger/claims.ts)
   * from the sale as HQ applied it and the returns of it HQ applied before. While HQ has not applied the sale
   * (a gap, or a sale it refused) there is nothing of it to take back: 0, as a void of an original HQ lacks,
   * with a `return-unknown` item; a late fill of the same terminal re-rules it (reruleReturn).
   */
  private returnRuling(e: EventOf<'points-returned'>): Ruling {
    const original = e.payload.original;
    const target = this.held(original.id);
    const before = this.returns.get(original.id);
    const sale = target?.applied
      ? {
          program: this.programFor(original.programVersion).program,
          applied: target.ruledPoints ?? original.payload.points,
          returnedBefore: before?.units ?? new Map<number, number>(),
          takenBefore: before?.taken ?? 0,
        }
      : undefined;
    const ruling = assessClaim(e, {
      program: this.programFor(e.programVersion).program,
      member: null,
      intact: contentHash(e) === e.hash,
      ...(sale ? { sale } : {}),
    });
    if (sale) return ruling;
    const findings = ruling.findings.map((f) =>
      f.kind === 'return-unknown' ? { ...f, reason: `${f.reason}: ${RETURN_UNKNOWN_NOTE}` } : f,
    );
    return { points: 0, held: 0, findings };
  }

  /** Checks a new (or waiting) event against the member as it stands, then applies it or refuses it. */
  processNew(slot: MemberSlot, entry: Entry): void {
    const e = entry.event;
    const wasWaiting = entry.waiting;
    if (entry.isNew) {
      const { program, unknown } = this.programFor(e.programVersion);
      if (unknown)
        this.flag(
          entry,
          `program v${e.programVersion} is not published at HQ; projected under v${program.version}`,
          { kind: 'unknown-program', details: { named: e.programVersion, used: program.version } },
        );
    }
    const { program } = this.programFor(e.programVersion);
    if (isCardEarn(e)) {
      // Stored against the card, applied to no member: HQ's own earn credits the card's member once the
      // card is looked up (cardEarnCredit), so the till's sealed event is never rewritten.
      entry.applied = false;
      entry.memberSeq = null;
      entry.waiting = false;
      if (entry.isNew) this.cardEarns.push(entry);
      return;
    }
    if (slot.row === 'deleted' || (slot.member === null && e.type !== 'member-enrolled')) {
      entry.applied = false;
      entry.memberSeq = null;
      entry.waiting = true;
      if (!wasWaiting)
        this.flag(
          entry,
          slot.row === 'deleted'
            ? `${UNKNOWN_MEMBER}: member ${e.memberId} was deleted; kept, not applied`
            : `${UNKNOWN_MEMBER}: kept, applied once member ${e.memberId} is enrolled`,
          { kind: 'unknown-member' },
        );
      return;
    }
    if (wasWaiting) entry.reasons = entry.reasons.filter((r) => !r.startsWith(UNKNOWN_MEMBER));
    if (!entry.isNew) entry.dirty = true;
    const before = slot.member;
    if (before && e.type === 'member-enrolled') {
      this.refuse(
        slot,
        entry,
        `re-enrollment: member ${e.memberId} is already enrolled; kept, not applied`,
        're-enrollment',
      );
      return;
    }
    if (e.type === 'event-voided' && !this.checkVoid(slot, entry, e)) return;
    if (e.type === 'points-returned' && !this.checkReturn(slot, entry, e)) return;
    if ((e.type === 'points-expired' || e.type === 'tier-changed') && e.terminalId !== HQ_SOURCE) {
      // Expiry and tier changes are HQ's to decide (its nightly jobs): a terminal's claim is kept, not applied.
      this.refuse(slot, entry, `${e.type} is made by HQ only; kept, not applied`, 'hq-only');
      return;
    }

    const ruling = this.rule(entry, before, program);
    let after: Member;
    try {
      after = applyEvent(before, e, program, slot.lastMemberSeq + 1, ruling ?? undefined);
    } catch (error) {
      // A balance past the points bound is a bad batch (400, nothing stored), not an event to keep.
      if (error instanceof RangeError && entry.isNew)
        throw new InvalidBatchError([
          { path: `${this.label}.${entry.index}`, message: `cannot apply: ${error.message}` },
        ]);
      this.refuse(slot, entry, `cannot apply: ${errorMessage(error)}`, 'apply-error');
      return;
    }
    slot.lastMemberSeq += 1;
    entry.memberSeq = slot.lastMemberSeq;
    entry.applied = true;
    entry.waiting = false;
    entry.ruledPoints = ruling?.points ?? null;
    entry.pointsDelta = netPoints(after) - (before ? netPoints(before) : 0);
    if (wasWaiting) {
      entry.reasons.push(APPLIED_LATE);
      this.appliedLate.add(e.id);
    }
    slot.member = after;
    slot.changed = true;
    if (ruling) this.report(entry, ruling);

    switch (e.type) {
      case 'member-enrolled':
        this.linkCards(entry, e.memberId, e.payload.cards, []);
        if (e.payload.profile) this.profiles.set(e.memberId, { memberId: e.memberId, ...e.payload.profile });
        break;
      case 'member-updated':
        this.linkCards(entry, e.memberId, e.payload.addCards ?? [], e.payload.removeCards ?? []);
        break;
      case 'points-redeemed':
        if (before && after.debt > before.debt)
          this.flag(entry, `overdraft: debt ${after.debt}`, {
            kind: 'overdraft',
            details: {
              debt: after.debt,
              cost: e.payload.cost,
              available: netPoints(before),
              mode: e.payload.mode,
            },
          });
        this.checkOfflineBound(entry, e, program);
        break;
      case 'points-earned':
        this.considerReferral(after, program);
        break;
      case 'event-voided':
        this.voided.add(e.payload.original.id);
        this.voidedNow.add(e.payload.original.id);
        break;
      case 'points-returned':
        this.countReturn(e, entry.ruledPoints ?? e.payload.points);
        break;
      default:
        break;
    }
  }

  /**
   * An action bonus re-projected in a new order (a late event filled a gap before it) is ruled again: its
   * limit counts the awards before it in HQ's order, so a terminal cannot pass a limit by skipping a seq.
   * Points newly withheld go to a new review item; what an earlier item holds is not held twice.
   */
  private reruleAction(entry: Entry, e: EventOf<'bonus-awarded'>, before: Member | null): void {
    if (e.terminalId === HQ_SOURCE || e.payload.kind !== 'action') return;
    const program = this.programFor(e.programVersion).program;
    const ruling = assessClaim(e, { program, member: before, intact: contentHash(e) === e.hash });
    const claimed = e.payload.points;
    const was = entry.ruledPoints ?? claimed;
    const now = ruling.points ?? claimed;
    if (now === was) return;
    entry.ruledPoints = ruling.points ?? null;
    entry.dirty = true;
    const held = Math.max(0, was - now);
    const reason = ruling.findings[0]?.reason ?? `re-ruled at ${now} points`;
    this.flag(entry, `re-ruled after a late event: ${reason}`, {
      kind: ruling.findings[0]?.kind ?? 'action-mismatch',
      details: { ...(ruling.findings[0]?.details ?? {}), applied: now, was, ...(held > 0 ? { held } : {}) },
    });
  }

  /** A ruling's findings become review items; the held points ride on the first (approving it credits them). */
  private report(entry: Entry, ruling: Ruling): void {
    ruling.findings.forEach((f, i) => {
      const held = i === 0 && ruling.held > 0 ? { held: ruling.held } : {};
      this.flag(entry, f.reason, {
        kind: f.kind,
        details: {
          ...f.details,
          ...held,
          applied: entry.ruledPoints,
          programVersion: entry.event.programVersion,
        },
      });
    });
    if (ruling.findings.length === 0 && ruling.held > 0)
      this.flag(entry, `${ruling.held} points held for review`, {
        kind: 'held',
        details: { held: ruling.held },
      });
  }

  /**
   * One terminal's offline redemptions for a member in one offline period must stay within the allowance
   * the period started with plus one manager override cap (src-shared/engine/offline-bound.ts). Past it,
   * the redemption stands (the customer has the reward) and an 'offline-bound' item is opened, once.
   */
  private checkOfflineBound(entry: Entry, e: EventOf<'points-redeemed'>, program: Program): void {
    const period = e.payload.offlinePeriod;
    if (e.payload.mode !== 'offline' || !period) return;
    const key = offlinePeriodKey(e.terminalId, e.memberId, period.since);
    const before = this.offlineSpent.get(key) ?? 0;
    // The cost HQ applied (a redemption claimed for less is debited at the program's cost).
    const total = before + (entry.ruledPoints ?? e.payload.cost);
    this.offlineSpent.set(key, total);
    const limit = offlinePeriodLimit(program, period.allowance);
    if (total > limit && before <= limit)
      this.flag(
        entry,
        `offline bound: ${total} points redeemed offline at this terminal since ${period.since}, limit ${limit}`,
        {
          kind: 'offline-bound',
          details: { since: period.since, allowance: period.allowance, limit, total },
        },
      );
  }

  /** False when the void is refused (already voided, or not the event HQ holds). */
  private checkVoid(slot: MemberSlot, entry: Entry, e: EventOf<'event-voided'>): boolean {
    const original = e.payload.original;
    const target = this.held(original.id);
    // The one rule the till uses too (src-shared/ledger/voids.ts), with what HQ holds. An original HQ
    // has not applied still counts here: the void is kept and applied at HQ's figure for it (nothing).
    // A sale with a return HQ applied is not voided: its lines left are returned instead.
    const verdict = mayVoid({
      original,
      memberId: e.memberId,
      held: target?.event ?? null,
      alreadyVoided: this.voided.has(original.id),
      returned: this.hasReturns(original.id),
    });
    if (!verdict.ok) {
      const { reason, message } = verdict.error;
      const [words, kind] =
        reason === 'already-voided'
          ? [`double void: event ${original.id} is already voided; not applied`, 'double-void']
          : reason === 'returned'
            ? [`void after a return: ${lowerFirst(message)}; not applied`, 'void-after-return']
            : [`void mismatch: ${lowerFirst(message)}; not applied`, 'void-mismatch'];
      this.refuse(slot, entry, words, kind);
      return false;
    }
    // Applied all the same: the payload carries the whole original, and should the original be applied
    // later (a late fill of the same terminal is re-projected in terminal order), the two still add up.
    if (!target || !target.applied)
      this.flag(
        entry,
        `void of event ${original.id}, which HQ has ${target ? 'not applied' : 'not received'}`,
        { kind: 'void-unknown', details: { original: original.id } },
      );
    return true;
  }

  /**
   * False when the return is refused: the one rule the till uses too (mayReturn, src-shared/ledger/returns.ts)
   * with what HQ holds: its copy of the sale, whether a void of it counts, and the units its applied returns
   * took. Refused, it is kept and not applied, like a refused void. A sale HQ has not received is checked
   * against the copy the return carries (the return is then applied at 0: returnRuling).
   */
  private checkReturn(slot: MemberSlot, entry: Entry, e: EventOf<'points-returned'>): boolean {
    const original = e.payload.original;
    const verdict = mayReturn({
      original,
      memberId: e.memberId,
      held: this.held(original.id)?.event ?? null,
      voided: this.voided.has(original.id),
      returnedBefore: this.returns.get(original.id)?.units ?? new Map<number, number>(),
      lines: e.payload.lines,
    });
    if (verdict.ok) return true;
    const { reason, message } = verdict.error;
    this.refuse(slot, entry, `return refused: ${lowerFirst(message)}; not applied`, 'return-refused', {
      refusal: reason,
      original: original.id,
    });
    return false;
  }

  /**
   * A till's earn on a card it did not know, once HQ looked the card up (`owner`: the card's member as this
   * batch holds them, locked; null when HQ does not know the card). Known: the HQ earn that credits the
   * member at HQ's figure for them (creditForCardEarn, the till's event named in `payload.attached`), an
   * over-claim's difference held on a review item for that member. Unknown, or a member no longer live: no
   * draft, and a `card-unknown` item an administrator approves once the card is enrolled.
   */
  cardEarnCredit(entry: Entry, owner: MemberSlot | null): HqEventDraft | null {
    const e = entry.event;
    if (e.type !== 'points-earned') return null;
    const card = cardOfPlaceholder(e.memberId) ?? '';
    if (!owner?.member || owner.row === 'deleted') {
      this.flag(entry, `card ${maskCard(card)} unknown at HQ: kept against the card, not applied`, {
        kind: CARD_UNKNOWN_REVIEW,
        memberId: null,
        details: { card: maskCard(card), claimed: e.payload.points },
      });
      return null;
    }
    const { program } = this.programFor(e.programVersion);
    const credit = creditForCardEarn(e, owner.member, program, contentHash(e) === e.hash);
    if (credit.finding)
      this.flag(entry, credit.finding.reason, {
        kind: 'quote-mismatch',
        memberId: owner.id,
        details: { ...credit.finding.details, applied: credit.points, card: maskCard(card) },
      });
    return {
      type: 'points-earned',
      memberId: owner.id,
      occurredAt: e.occurredAt,
      payload: {
        basket: e.payload.basket,
        lines: e.payload.lines,
        points: credit.points,
        explanation: credit.explanation,
        attached: { eventId: e.id, terminalId: e.terminalId, storeId: e.storeId, claimed: e.payload.points },
      },
    };
  }

  /** The first earn of a referred member credits the referrer (an HQ event, appended before commit). */
  private considerReferral(member: Member, program: Program): void {
    const referrer = member.referredBy;
    const points = program.bonuses.referral?.referrer ?? 0;
    if (!referrer || referrer === member.id || points <= 0) return;
    if (this.referralsAwarded.has(member.id)) return;
    this.referralsAwarded.add(member.id);
    this.referralsDue.push({ referred: member.id, referrer, points });
  }

  private linkCards(entry: Entry, memberId: string, add: readonly string[], remove: readonly string[]): void {
    for (const card of remove) {
      if (this.cardOwner.get(card) !== memberId) continue;
      this.cardOwner.set(card, null);
      if (this.cardsAdded.get(card) === memberId) this.cardsAdded.delete(card);
      else this.cardsRemoved.set(card, memberId);
    }
    for (const card of add) {
      const owner = this.cardOwner.get(card) ?? null;
      if (owner === memberId) continue;
      if (owner !== null) {
        this.flag(entry, `card ${maskCard(card)} belongs to another member`, {
          kind: 'card-conflict',
          details: { card: maskCard(card), owner },
        });
        continue;
      }
      this.cardOwner.set(card, memberId);
      if (this.cardsRemoved.get(card) === memberId) this.cardsRemoved.delete(card);
      else this.cardsAdded.set(card, memberId);
    }
  }

  /**
   * Re-projects one member from its stored events (`history`) plus the batch's new ones (`fresh`): HQ's
   * memberSeq order, each source's events in terminalSeq order among the positions it holds, then
   * (waiting and new) enrollments first. Settled events are re-applied at the figure HQ ruled for them.
   */
  replayMember(slot: MemberSlot, history: readonly StoredRow[], fresh: readonly Entry[]): void {
    const settled = history
      .filter((r) => r.member_seq !== null)
      .sort((a, b) => (a.member_seq as number) - (b.member_seq as number))
      .map((r) => this.storedEntry(r));
    const waiting = history
      .filter((r) => r.member_seq === null && !r.applied)
      .sort((a, b) => a.change_seq - b.change_seq)
      .map((r) => this.storedEntry(r));
    const tail = [...waiting, ...fresh];
    const enrollFirst = [
      ...tail.filter((t) => t.event.type === 'member-enrolled'),
      ...tail.filter((t) => t.event.type !== 'member-enrolled'),
    ];
    const order = enrollmentFirst(terminalOrderWithin([...settled, ...enrollFirst]));
    const enrollment = order[0]?.event.type === 'member-enrolled' ? order[0].event : null;

    // A late fill of the same terminal can put an original back before a void applied while HQ lacked it:
    // in this order the original is ruled as it comes and the void reverses that figure, as on the till.
    // Returns likewise: each sale's returns are counted again in this order, and a return whose sale now
    // precedes it is ruled again from the sale and the returns before it (the same figure, unless the
    // sale was missing when it was applied).
    const voidFollows = new Set<string>();
    const returnFollows = new Set<string>();
    const seen = new Set<string>();
    for (const { event } of order) {
      if (event.type === 'event-voided' && seen.has(event.payload.original.id))
        voidFollows.add(event.payload.original.id);
      if (event.type === 'points-returned') {
        this.returns.delete(event.payload.original.id);
        if (seen.has(event.payload.original.id)) returnFollows.add(event.id);
      }
      seen.add(event.id);
    }
    this.voidFollows = voidFollows;

    slot.member = null;
    for (const entry of order) {
      const e0 = entry.event;
      // An event its own terminal sealed before it enrolled the member cannot follow the enrollment (the
      // projection is idempotent by terminalSeq): it is kept and not applied, and says why.
      if (
        enrollment &&
        slot.member &&
        e0.terminalId === enrollment.terminalId &&
        e0.terminalSeq < enrollment.terminalSeq &&
        e0.type !== 'member-enrolled'
      ) {
        if (entry.isNew || entry.waiting || entry.applied) {
          if (!entry.isNew) entry.dirty = true;
          entry.waiting = false;
          this.refuse(
            slot,
            entry,
            `sealed before its terminal enrolled member ${e0.memberId}; kept, not applied`,
            'before-enrollment',
          );
        }
        continue;
      }
      if (entry.isNew || entry.waiting) {
        this.processNew(slot, entry);
        continue;
      }
      const e = entry.event;
      if (!entry.applied) {
        if (slot.member && entry.memberSeq !== null)
          slot.member = markSeen(slot.member, e, slot.member.memberSeq);
        continue;
      }
      if (slot.member === null && e.type !== 'member-enrolled') continue;
      const before = slot.member;
      if (e.type === 'bonus-awarded') this.reruleAction(entry, e, before);
      if (e.type === 'event-voided' && voidFollows.has(e.payload.original.id)) this.reruleVoid(entry, e);
      if (e.type === 'points-returned' && returnFollows.has(e.id)) this.reruleReturn(entry, e);
      const after = applyEvent(
        before,
        e,
        this.programFor(e.programVersion).program,
        undefined,
        rulingOf(entry.ruledPoints),
      );
      if (e.type === 'points-returned') this.countReturn(e, entry.ruledPoints ?? e.payload.points);
      const delta = netPoints(after) - (before ? netPoints(before) : 0);
      if (delta !== entry.pointsDelta) {
        entry.pointsDelta = delta;
        entry.dirty = true;
      }
      slot.member = after;
    }
    if (slot.member) slot.member = { ...slot.member, memberSeq: slot.lastMemberSeq };
    slot.changed = true;
    this.voidFollows = new Set();
  }

  /**
   * A settled return whose sale now precedes it: ruled again (returnRuling) from the sale as it stands and
   * the returns before it. A return applied at 0 while HQ lacked its sale takes back its figure now, and
   * its return-unknown item resolves; a figure that then differs from the claim is reported.
   */
  private reruleReturn(entry: Entry, e: EventOf<'points-returned'>): void {
    if (this.held(e.payload.original.id)?.applied) this.returnsMatched.add(e.id);
    const ruling = this.returnRuling(e);
    const claimed = e.payload.points;
    const was = entry.ruledPoints ?? claimed;
    const now = ruling.points ?? claimed;
    if (now === was) return;
    entry.ruledPoints = ruling.points ?? null;
    entry.dirty = true;
    const found = ruling.findings.find((f) => f.kind === 'return-mismatch');
    if (found)
      this.flag(entry, `re-ruled after a late event: ${found.reason}`, {
        kind: found.kind,
        details: { ...found.details, applied: now, was },
      });
  }

  /** A settled void whose original now precedes it: it reverses the figure the original has now. */
  private reruleVoid(entry: Entry, e: EventOf<'event-voided'>): void {
    this.voidsMatched.add(e.id);
    this.voidedNow.add(e.payload.original.id);
    const ruled = this.voidRuling(e)?.points ?? null;
    if (ruled === entry.ruledPoints) return;
    entry.ruledPoints = ruled;
    entry.dirty = true;
  }
}

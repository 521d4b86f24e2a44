// Push ingest (DESIGN.md sections 6 and 8): one database transaction per batch. Every event is validated
// (zod), authorised (a terminal pushes only its own terminal id and store), stored exactly once (primary
// key on id, unique (terminal_id, terminal_seq)), checked against the terminal's hash chain, and projected
// into its member with the shared applyEvent. Nothing is dropped and nothing is silently fixed: HQ flags
// what looks wrong (gaps, chain breaks, quote mismatches, overdrafts, double voids…) and opens a review
// item, in the same transaction.
//
// Locking order, the same in every writer, so concurrent batches cannot deadlock: the terminal's row
// (serialises one terminal's pushes), then member rows sorted by id, then HQ's chain head (HQ events such
// as the referrer's bonus), then the change counters, events before members, as late as possible: all
// reading and computing is done before the counters are taken, so the collection-wide lock lasts for the
// final INSERT/UPDATE statements and the commit only.
//
// Late-filled gaps: applyEvent is idempotent by (source, terminalSeq), so an event older than one of the
// same terminal already applied to its member would be a no-op. Such a member is re-projected from its
// stored events instead (see `replay`): the member's events in HQ's memberSeq order, each terminal's
// events placed in terminalSeq order among that terminal's slots, the late event taking the next
// memberSeq. The same happens when an enrollment arrives after events that were waiting for it.
import { createHash, randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import { basketSchema } from '../../src-shared/engine/basket.js';
import { quote } from '../../src-shared/engine/quote.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { canonicalJson } from '../../src-shared/kernel/hash.js';
import { uuidSchemaPattern, uuidv7Factory } from '../../src-shared/kernel/ids.js';
import { applyEvent } from '../../src-shared/ledger/apply-event.js';
import { sealEvent, type ChainHead } from '../../src-shared/ledger/chain.js';
import {
  GENESIS_HASH,
  HQ_SOURCE,
  ledgerEventSchema,
  type EventOf,
  type EventStatus,
  type LedgerEvent,
  type UnsealedEvent,
} from '../../src-shared/ledger/events.js';
import { netPoints, type Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { PushResult } from '../../src-shared/sync/wire.js';
import type { Db, Queryable } from '../db/database.js';
import { CHANGES_CHANNEL } from './changes.js';
import { lockMemberIds } from './member-locks.js';
import type { HqEventDraft } from './hq-events.js';
import { currentProgramRef, loadProgramVersion } from './programs.js';
import { openReviews, type ReviewInput } from './reviews.js';

/** The terminal a push comes from, as its bearer token identified it. */
export interface TerminalIdentity {
  id: string;
  storeId: string;
}

/** An event of another terminal or store (or a terminal HQ does not know): the API answers 403. */
export class AuthorisationError extends Error {
  override readonly name = 'AuthorisationError';
}

export interface BatchProblem {
  /** Where, e.g. `events.3.payload.points`. */
  path: string;
  message: string;
}

/** A batch with an invalid event: refused whole, nothing stored (the API answers 400 with the problems). */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
  constructor(readonly problems: BatchProblem[]) {
    const shown = problems
      .slice(0, 3)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ');
    super(
      `The batch was refused and nothing was stored: ${problems.length} problem(s): ${shown}` +
        (problems.length > 3 ? '; …' : ''),
    );
  }
}

/** Thrown inside a batch when a concurrent batch got in first (a new member, a card): run it again. */
class RetryBatch extends Error {
  override readonly name = 'RetryBatch';
}

export const HQ_IDENTITY: TerminalIdentity = Object.freeze({ id: HQ_SOURCE, storeId: HQ_SOURCE });

const MAX_ATTEMPTS = 5;
const MAX_PROBLEMS = 50;
/** Constraints a concurrent batch can make us hit; the retry then sees its rows and decides properly. */
const RACE_CONSTRAINTS = new Set([
  'members_pkey',
  'cards_pkey',
  'events_pkey',
  'events_terminal_id_terminal_seq_key',
  'events_one_void',
  'referral_awards_pkey',
  'member_profiles_pkey',
]);

function isTransient(error: unknown): boolean {
  if (error instanceof RetryBatch) return true;
  const e = error as { code?: unknown; constraint?: unknown };
  if (e.code === '40P01' || e.code === '40001') return true;
  return e.code === '23505' && typeof e.constraint === 'string' && RACE_CONSTRAINTS.has(e.constraint);
}

/** Runs a batch transaction, again when it lost a race to a concurrent batch (deadlock, unique key). */
export async function withBatchRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isTransient(error)) throw error;
    }
  }
}

// ---- validation --------------------------------------------------------------------------------------

// PostgreSQL text and jsonb cannot hold NUL, nor (in jsonb) unpaired UTF-16 surrogates: such an event
// would fail at INSERT time and block the terminal's queue forever, so it is refused up front instead.
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorablePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorablePath(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSTORABLE.test(k)) return `${path}.${k}`;
      const found = unstorablePath(v, `${path}.${k}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Validates a batch with the ledger's event schema, plus what the database needs (UUID ids, storable
 * text). Throws InvalidBatchError listing the problems; returns the parsed events.
 */
export function validateBatch(events: readonly unknown[], label = 'events'): LedgerEvent[] {
  if (!Array.isArray(events)) throw new InvalidBatchError([{ path: label, message: 'a list of events' }]);
  const problems: BatchProblem[] = [];
  const parsed: LedgerEvent[] = [];
  events.forEach((raw, i) => {
    const result = ledgerEventSchema.safeParse(raw);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ path: [label, i, ...issue.path].join('.'), message: issue.message });
      return;
    }
    const e = result.data;
    if (!uuidSchemaPattern.test(e.id))
      problems.push({ path: `${label}.${i}.id`, message: 'a UUID: 8-4-4-4-12 lower-case hex digits' });
    if (e.type === 'event-voided' && !uuidSchemaPattern.test(e.payload.original.id))
      problems.push({
        path: `${label}.${i}.payload.original.id`,
        message: 'a UUID: 8-4-4-4-12 lower-case hex digits',
      });
    const bad = unstorablePath(e, `${label}.${i}`);
    if (bad) problems.push({ path: bad, message: 'text with a NUL character or an unpaired surrogate' });
    parsed.push(e);
  });
  if (problems.length > 0) throw new InvalidBatchError(problems.slice(0, MAX_PROBLEMS));
  return parsed;
}

function authorise(terminal: TerminalIdentity, events: readonly LedgerEvent[]): void {
  if (terminal.id === HQ_SOURCE)
    throw new AuthorisationError(`The source id "${HQ_SOURCE}" is HQ's own; no terminal may push under it.`);
  events.forEach((e, i) => {
    if (e.terminalId !== terminal.id)
      throw new AuthorisationError(
        `Event ${i} (${e.id}) belongs to terminal ${JSON.stringify(e.terminalId)}: a terminal pushes only its own events.`,
      );
    if (e.storeId !== terminal.storeId)
      throw new AuthorisationError(
        `Event ${i} (${e.id}) names store ${JSON.stringify(e.storeId)}, not this terminal's store.`,
      );
  });
}

/**
 * The ledger's eventHash (SHA-256 of the canonical JSON of every field but `hash`), computed with Node's
 * native SHA-256: the same digest, several times faster than the portable one the terminal uses.
 */
export function contentHash(event: LedgerEvent): string {
  const { hash: _ignored, ...content } = event;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

// ---- the batch ---------------------------------------------------------------------------------------

interface ProgramRef {
  programId: string;
  version: number;
}

interface Head {
  seq: number;
  hash: string;
  startSeq: number;
}

/** An event this batch stores, or a stored one the batch re-projects. */
interface Entry {
  event: LedgerEvent;
  isNew: boolean;
  reasons: string[];
  memberSeq: number | null;
  applied: boolean;
  pointsDelta: number;
  voids: string | null;
  /** A stored entry this batch changed (member_seq, status, reason, points_delta). */
  dirty: boolean;
  /** Stored, not applied and without memberSeq: waiting for its member's enrollment. */
  waiting: boolean;
  canonical: string | null;
}

interface StoredRow {
  id: string;
  terminal_id: string;
  terminal_seq: number;
  body: LedgerEvent;
  status: EventStatus;
  member_seq: number | null;
  reason: string | null;
  applied: boolean;
  points_delta: number;
  voids: string | null;
  change_seq: number;
}

interface MemberSlot {
  id: string;
  row: 'none' | 'live' | 'deleted';
  member: Member | null;
  /** The highest memberSeq handed out for this member. */
  lastMemberSeq: number;
  changed: boolean;
}

interface Profile {
  memberId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

type Outcome =
  | { kind: 'entry'; entry: Entry }
  | { kind: 'twin'; entry: Entry }
  | { kind: 'stored'; row: StoredRow }
  | { kind: 'conflict'; id: string; reason: string };

const STORED_COLUMNS = `id::text AS id, terminal_id, terminal_seq, body, status, member_seq, reason, applied,
  points_delta, voids, change_seq`;

const UNKNOWN_MEMBER = 'member unknown at HQ';
const APPLIED_LATE = 'applied once the member was enrolled';

const joinReasons = (reasons: readonly string[]): string | null =>
  reasons.length ? reasons.join('; ') : null;
const statusOf = (entry: Entry): 'posted' | 'flagged' => (entry.reasons.length ? 'flagged' : 'posted');
const maskCard = (card: string): string => `…${card.slice(-4)}`;
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function own<V>(record: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The member with the event counted as seen (and its memberSeq) but nothing else changed: a refused event. */
function markSeen(m: Member, e: LedgerEvent, memberSeq: number): Member {
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
function terminalOrderWithin(list: readonly Entry[]): Entry[] {
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

/**
 * The work of one transaction: one terminal's batch, plus the HQ events it causes (the referrer's bonus),
 * or a batch of HQ events. Reads and decides first; `flush` writes everything at the end.
 */
export class IngestBatch {
  private readonly recordedAt: string;
  private readonly heads = new Map<string, Head>();
  private readonly members = new Map<string, MemberSlot>();
  private readonly entries = new Map<string, Entry>();
  private readonly inserted: Entry[] = [];
  private readonly reviews: ReviewInput[] = [];
  private readonly quarantined: { eventId: string; terminalId: string; body: string; reason: string }[] = [];
  private readonly profiles = new Map<string, Profile>();
  private readonly cardOwner = new Map<string, string | null>();
  private readonly cardsAdded = new Map<string, string>();
  private readonly cardsRemoved = new Map<string, string>();
  private readonly voidTargets = new Map<string, { event: LedgerEvent; applied: boolean }>();
  private readonly voided = new Set<string>();
  private readonly referralsAwarded = new Set<string>();
  private readonly referralsDue: { referred: string; referrer: string; points: number }[] = [];
  private readonly referralRows: { memberId: string; referrerId: string; eventId: string }[] = [];
  private readonly programs = new Map<number, Program | null>();
  private readonly lateTerminals = new Set<string>();
  /** Events that waited for their member and are applied in this batch: their review items resolve. */
  private readonly appliedLate = new Set<string>();
  private current: ProgramRef | null = null;
  private currentList: ProgramRef[] | null = null;
  private nextId: (() => string) | null = null;

  constructor(
    private readonly tx: Queryable,
    /** The database, which keys the cache of program versions. */
    private readonly cacheOwner: object,
    private readonly clock: Clock,
  ) {
    this.recordedAt = new Date(clock.now()).toISOString();
  }

  // ---- locks -----------------------------------------------------------------------------------------

  /** Locks a terminal's row (or HQ's chain head) and reads where its chain stands. */
  async lockSource(source: TerminalIdentity): Promise<Head> {
    const known = this.heads.get(source.id);
    if (known) return known;
    // The current program comes along (one round trip less per batch; versions are immutable).
    const current = `(SELECT json_agg(json_build_object('programId', program_id, 'version', version) ORDER BY program_id)
      FROM programs WHERE current) AS current`;
    type Row = { last_seq: number; last_hash: string; store_id: string; current: ProgramRef[] | null };
    const { rows } =
      source.id === HQ_SOURCE
        ? await this.tx.query<Row>(
            `SELECT last_seq, last_hash, '${HQ_SOURCE}' AS store_id, ${current} FROM hq_chain WHERE id = '${HQ_SOURCE}' FOR UPDATE`,
          )
        : await this.tx.query<Row>(
            `SELECT last_seq, last_hash, store_id, ${current} FROM terminals WHERE id = $1 FOR UPDATE`,
            [source.id],
          );
    const row = rows[0];
    if (!row) throw new AuthorisationError(`Terminal ${JSON.stringify(source.id)} is not enrolled at HQ.`);
    if (row.store_id !== source.storeId)
      throw new AuthorisationError(`Terminal ${JSON.stringify(source.id)} belongs to another store.`);
    this.currentList ??= row.current ?? [];
    const head = { seq: row.last_seq, hash: row.last_hash, startSeq: row.last_seq };
    this.heads.set(source.id, head);
    return head;
  }

  /** Locks member rows not locked yet, in id order, and loads their projection. */
  async lockMembers(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.members.has(id));
    if (missing.length === 0) return;
    await lockMemberIds(this.tx, missing);
    const { rows } = await this.tx.query<{ id: string; doc: Member; member_seq: number; deleted: boolean }>(
      'SELECT id, doc, member_seq, deleted FROM members WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
      [missing],
    );
    const found = new Map(rows.map((r) => [r.id, r]));
    for (const id of missing) {
      const r = found.get(id);
      this.members.set(id, {
        id,
        row: r ? (r.deleted ? 'deleted' : 'live') : 'none',
        member: r && !r.deleted ? r.doc : null,
        lastMemberSeq: r?.member_seq ?? 0,
        changed: false,
      });
    }
  }

  // ---- programs --------------------------------------------------------------------------------------

  private async currentRef(): Promise<ProgramRef> {
    if (!this.current) {
      let list = this.currentList;
      if (list === null) {
        const ref = await currentProgramRef(this.tx);
        list = ref ? [ref] : [];
      }
      if (list.length > 1)
        throw new Error(
          `Several programs are current (${list.map((r) => r.programId).join(', ')}): HQ runs one program per chain.`,
        );
      const ref = list[0];
      if (!ref) throw new Error('No program is published at HQ: publish one before terminals push events.');
      this.current = ref;
    }
    return this.current;
  }

  private async ensurePrograms(versions: Iterable<number>): Promise<void> {
    const ref = await this.currentRef();
    for (const v of new Set(versions)) {
      if (this.programs.has(v)) continue;
      this.programs.set(v, await loadProgramVersion(this.tx, ref.programId, v, this.cacheOwner));
    }
    if (!this.programs.has(ref.version))
      this.programs.set(
        ref.version,
        await loadProgramVersion(this.tx, ref.programId, ref.version, this.cacheOwner),
      );
  }

  /** The version the event names, or the current one (with a note) when HQ never published it. */
  private programFor(version: number): { program: Program; unknown: boolean } {
    const named = this.programs.get(version);
    if (named) return { program: named, unknown: false };
    const current = this.current && this.programs.get(this.current.version);
    if (!current) throw new Error('program versions must be loaded before projecting');
    return { program: current, unknown: true };
  }

  // ---- ingest ----------------------------------------------------------------------------------------

  private flag(
    entry: Entry,
    reason: string,
    review: Omit<ReviewInput, 'details'> & { details?: object },
  ): void {
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

  private newEntry(event: LedgerEvent): Entry {
    return {
      event,
      isNew: true,
      reasons: [],
      memberSeq: null,
      applied: false,
      pointsDelta: 0,
      voids: event.type === 'event-voided' ? event.payload.original.id : null,
      dirty: false,
      waiting: false,
      canonical: null,
    };
  }

  private storedEntry(row: StoredRow): Entry {
    const known = this.entries.get(row.id);
    if (known) return known;
    const entry: Entry = {
      event: row.body,
      isNew: false,
      reasons: row.reason ? row.reason.split('; ') : [],
      memberSeq: row.member_seq,
      applied: row.applied,
      pointsDelta: row.points_delta,
      voids: row.voids,
      dirty: false,
      waiting: row.member_seq === null && !row.applied,
      canonical: null,
    };
    this.entries.set(row.id, entry);
    return entry;
  }

  /**
   * Ingests events of one source (already validated and authorised, the source locked). Returns a function
   * giving the per-event results in input order, final once the whole transaction's work is decided.
   */
  async ingest(source: TerminalIdentity, events: readonly LedgerEvent[]): Promise<() => PushResult[]> {
    const head = await this.lockSource(source);
    const order = events
      .map((_, i) => i)
      .sort(
        (a, b) => (events[a] as LedgerEvent).terminalSeq - (events[b] as LedgerEvent).terminalSeq || a - b,
      );

    // What is stored already under these ids, or at these (terminal, seq) positions.
    const ids = [...new Set(events.map((e) => e.id))];
    const lateSeqs = [...new Set(events.map((e) => e.terminalSeq).filter((s) => s <= head.seq))];
    const { rows: stored } = await this.tx.query<StoredRow>(
      lateSeqs.length === 0
        ? `SELECT ${STORED_COLUMNS} FROM events WHERE id = ANY($1::uuid[])`
        : `SELECT ${STORED_COLUMNS} FROM events
           WHERE id = ANY($1::uuid[]) OR (terminal_id = $2 AND terminal_seq = ANY($3::bigint[]))`,
      lateSeqs.length === 0 ? [ids] : [ids, source.id, lateSeqs],
    );
    const byId = new Map(stored.map((r) => [r.id, r]));
    const seqHolder = new Map<number, string>();
    for (const r of stored) if (r.terminal_id === source.id) seqHolder.set(r.terminal_seq, r.id);

    // Classify: stored (new), duplicate (identical), conflict (same id, other content; or a used seq).
    const outcomes: Outcome[] = new Array<Outcome>(events.length);
    const accepted: Entry[] = [];
    const acceptedById = new Map<string, Entry>();
    const storedCanonical = new Map<string, string>();
    const conflicts: { index: number; event: LedgerEvent; canonical: string; reason: string }[] = [];
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
      const entry = this.newEntry(e);
      accepted.push(entry);
      acceptedById.set(e.id, entry);
      seqHolder.set(e.terminalSeq, e.id);
      this.entries.set(e.id, entry);
      this.inserted.push(entry);
      outcomes[i] = { kind: 'entry', entry };
    }
    await this.quarantine(conflicts, outcomes);

    await this.checkChain(source, head, accepted);
    if (accepted.length > 0) await this.project(accepted);

    return () =>
      outcomes.map((o): PushResult => {
        if (o.kind === 'conflict')
          return { id: o.id, outcome: 'conflict', status: 'quarantined', memberSeq: null, reason: o.reason };
        const entry = o.kind === 'stored' ? this.entries.get(o.row.id) : o.entry;
        if (entry)
          return {
            id: entry.event.id,
            outcome: o.kind === 'entry' ? 'stored' : 'duplicate',
            status: statusOf(entry),
            memberSeq: entry.memberSeq,
            reason: joinReasons(entry.reasons),
          };
        const row = (o as { row: StoredRow }).row;
        return {
          id: row.id,
          outcome: 'duplicate',
          status: row.status,
          memberSeq: row.member_seq,
          reason: row.reason,
        };
      });
  }

  /** Conflicting copies go to quarantine once (a retried conflict is not quarantined again). */
  private async quarantine(
    conflicts: readonly { index: number; event: LedgerEvent; canonical: string; reason: string }[],
    outcomes: Outcome[],
  ): Promise<void> {
    if (conflicts.length === 0) return;
    const { rows } = await this.tx.query<{ event_id: string; body: unknown }>(
      'SELECT event_id, body FROM quarantine WHERE event_id = ANY($1::text[])',
      [[...new Set(conflicts.map((c) => c.event.id))]],
    );
    const kept = new Set(rows.map((r) => `${r.event_id} ${canonicalJson(r.body)}`));
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

  /** Gaps, chain breaks and altered events are flagged (the events are still stored and applied). */
  private async checkChain(source: TerminalIdentity, head: Head, accepted: readonly Entry[]): Promise<void> {
    let last = { seq: head.seq, hash: head.hash };
    const late: Entry[] = [];
    for (const entry of accepted) {
      const e = entry.event;
      if (contentHash(e) !== e.hash)
        this.flag(entry, `altered: event ${e.terminalSeq} does not match its hash`, { kind: 'altered' });
      if (e.terminalSeq > last.seq + 1) {
        const from = last.seq + 1;
        const to = e.terminalSeq - 1;
        this.flag(entry, gapReason(from, to), { kind: 'gap', details: { from, to } });
      } else if (e.terminalSeq === last.seq + 1) {
        if (e.prevHash !== last.hash) this.flag(entry, this.breakReason(e), { kind: 'chain-break' });
      } else {
        late.push(entry);
      }
      if (e.terminalSeq > last.seq) last = { seq: e.terminalSeq, hash: e.hash };
    }
    head.seq = last.seq;
    head.hash = last.hash;
    if (late.length === 0) return;

    // Events filling an earlier gap: check them against their stored (or batch) neighbours.
    this.lateTerminals.add(source.id);
    const inBatch = new Map(accepted.map((a) => [a.event.terminalSeq, a.event]));
    const wanted = late.flatMap((l) => [l.event.terminalSeq - 1, l.event.terminalSeq + 1]);
    const { rows } = await this.tx.query<{ terminal_seq: number; hash: string; prev_hash: string }>(
      'SELECT terminal_seq, hash, prev_hash FROM events WHERE terminal_id = $1 AND terminal_seq = ANY($2::bigint[])',
      [source.id, wanted],
    );
    const neighbours = new Map(
      rows.map((r) => [r.terminal_seq, { hash: r.hash, prevHash: r.prev_hash }] as const),
    );
    for (const { event: e } of accepted)
      neighbours.set(e.terminalSeq, { hash: e.hash, prevHash: e.prevHash });
    for (const entry of late) {
      const e = entry.event;
      const before = e.terminalSeq === 1 ? { hash: GENESIS_HASH } : neighbours.get(e.terminalSeq - 1);
      const after = inBatch.get(e.terminalSeq + 1) ?? neighbours.get(e.terminalSeq + 1);
      if ((before && before.hash !== e.prevHash) || (after && after.prevHash !== e.hash))
        this.flag(entry, this.breakReason(e), { kind: 'chain-break' });
    }
  }

  private breakReason(e: LedgerEvent): string {
    const after = e.terminalSeq === 1 ? 'the start of the chain' : `event ${e.terminalSeq - 1}`;
    return `chain break: event ${e.terminalSeq} does not follow ${after}`;
  }

  /** Loads and locks what the accepted events touch, then projects them into their members. */
  private async project(accepted: readonly Entry[]): Promise<void> {
    await this.lockMembers(accepted.map((a) => a.event.memberId));
    await this.ensurePrograms(accepted.map((a) => a.event.programVersion));
    await this.loadCards(accepted);
    await this.loadVoidTargets(accepted);
    await this.loadReferralAwards(accepted);

    // Members whose new events cannot simply be applied on top: re-projected from their stored events.
    const slow = new Set<string>();
    const enrolling: string[] = [];
    for (const { event: e } of accepted) {
      const slot = this.members.get(e.memberId) as MemberSlot;
      if (slot.member && (own(slot.member.seen, e.terminalId) ?? 0) >= e.terminalSeq) slow.add(slot.id);
      if (slot.row === 'none' && e.type === 'member-enrolled') enrolling.push(slot.id);
    }
    if (enrolling.length > 0) {
      const { rows } = await this.tx.query<{ member_id: string }>(
        'SELECT DISTINCT member_id FROM events WHERE member_id = ANY($1::text[]) AND member_seq IS NULL AND NOT applied',
        [enrolling],
      );
      for (const r of rows) slow.add(r.member_id);
    }

    for (const entry of accepted) {
      if (slow.has(entry.event.memberId)) continue;
      this.processNew(this.members.get(entry.event.memberId) as MemberSlot, entry);
    }
    if (slow.size > 0) await this.replay(slow, accepted);
  }

  private async loadCards(accepted: readonly Entry[]): Promise<void> {
    const cards = new Set<string>();
    for (const { event: e } of accepted) {
      if (e.type === 'member-enrolled') e.payload.cards.forEach((c) => cards.add(c));
      if (e.type === 'member-updated') {
        e.payload.addCards?.forEach((c) => cards.add(c));
        e.payload.removeCards?.forEach((c) => cards.add(c));
      }
    }
    const unknown = [...cards].filter((c) => !this.cardOwner.has(c));
    if (unknown.length === 0) return;
    const { rows } = await this.tx.query<{ number: string; member_id: string }>(
      'SELECT number, member_id FROM cards WHERE number = ANY($1::text[])',
      [unknown],
    );
    for (const c of unknown) this.cardOwner.set(c, null);
    for (const r of rows) this.cardOwner.set(r.number, r.member_id);
  }

  private async loadVoidTargets(accepted: readonly Entry[]): Promise<void> {
    const originals = [
      ...new Set(
        accepted.flatMap(({ event: e }) => (e.type === 'event-voided' ? [e.payload.original.id] : [])),
      ),
    ];
    if (originals.length === 0) return;
    const { rows } = await this.tx.query<{ id: string; body: LedgerEvent; applied: boolean }>(
      'SELECT id::text AS id, body, applied FROM events WHERE id = ANY($1::uuid[])',
      [originals],
    );
    for (const r of rows) this.voidTargets.set(r.id, { event: r.body, applied: r.applied });
    const done = await this.tx.query<{ voids: string }>(
      'SELECT voids FROM events WHERE voids = ANY($1::text[]) AND applied',
      [originals],
    );
    for (const r of done.rows) this.voided.add(r.voids);
  }

  private async loadReferralAwards(accepted: readonly Entry[]): Promise<void> {
    const candidates = new Set<string>();
    for (const { event: e } of accepted) {
      if (e.type !== 'points-earned') continue;
      const m = this.members.get(e.memberId)?.member;
      const enrolledHere = accepted.some(
        (a) =>
          a.event.type === 'member-enrolled' && a.event.memberId === e.memberId && a.event.payload.referredBy,
      );
      if (m?.referredBy || enrolledHere) candidates.add(e.memberId);
    }
    if (candidates.size === 0) return;
    const { rows } = await this.tx.query<{ member_id: string }>(
      'SELECT member_id FROM referral_awards WHERE member_id = ANY($1::text[])',
      [[...candidates]],
    );
    for (const r of rows) this.referralsAwarded.add(r.member_id);
  }

  private refuse(slot: MemberSlot, entry: Entry, reason: string, kind: string, details: object = {}): void {
    this.flag(entry, reason, { kind, details });
    entry.applied = false;
    entry.pointsDelta = 0;
    if (slot.member) {
      slot.lastMemberSeq += 1;
      entry.memberSeq = slot.lastMemberSeq;
      slot.member = markSeen(slot.member, entry.event, slot.lastMemberSeq);
      slot.changed = true;
    } else {
      entry.memberSeq = null;
    }
  }

  /** Checks a new (or waiting) event against the member as it stands, then applies it or refuses it. */
  private processNew(slot: MemberSlot, entry: Entry): void {
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
    if (e.type === 'points-earned' && before) this.requote(entry, e, before, program);

    let after: Member;
    try {
      after = applyEvent(before, e, program, slot.lastMemberSeq + 1);
    } catch (error) {
      this.refuse(slot, entry, `cannot apply: ${errorMessage(error)}`, 'apply-error');
      return;
    }
    slot.lastMemberSeq += 1;
    entry.memberSeq = slot.lastMemberSeq;
    entry.applied = true;
    entry.waiting = false;
    entry.pointsDelta = netPoints(after) - (before ? netPoints(before) : 0);
    if (wasWaiting) {
      entry.reasons.push(APPLIED_LATE);
      this.appliedLate.add(e.id);
    }
    slot.member = after;
    slot.changed = true;

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
        break;
      case 'points-earned':
        this.considerReferral(after, program);
        break;
      case 'event-voided':
        this.voided.add(e.payload.original.id);
        break;
      default:
        break;
    }
  }

  /** False when the void is refused (already voided, or not the event HQ holds). */
  private checkVoid(slot: MemberSlot, entry: Entry, e: EventOf<'event-voided'>): boolean {
    const original = e.payload.original;
    const target = this.entries.get(original.id) ?? this.voidTargets.get(original.id);
    const stored = target?.event;
    if (original.memberId !== e.memberId) {
      this.refuse(
        slot,
        entry,
        `void mismatch: event ${original.id} belongs to another member; not applied`,
        'void-mismatch',
      );
      return false;
    }
    if (stored && canonicalJson(stored) !== canonicalJson(original)) {
      this.refuse(
        slot,
        entry,
        `void mismatch: the voided event differs from HQ's copy of event ${original.id}; not applied`,
        'void-mismatch',
      );
      return false;
    }
    if (this.voided.has(original.id)) {
      this.refuse(
        slot,
        entry,
        `double void: event ${original.id} is already voided; not applied`,
        'double-void',
      );
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

  private requote(entry: Entry, e: EventOf<'points-earned'>, before: Member, program: Program): void {
    const claimed = e.payload.points;
    try {
      const basket = basketSchema.parse({ currency: e.payload.basket.currency, lines: e.payload.lines });
      const hq = quote(basket, before, program, Date.parse(e.occurredAt));
      if (hq.points !== claimed)
        this.flag(entry, `quoted ${claimed}, HQ computes ${hq.points} under program v${program.version}`, {
          kind: 'quote-mismatch',
          details: {
            quoted: claimed,
            computed: hq.points,
            programVersion: program.version,
            terminalExplanation: e.payload.explanation,
            hqExplanation: hq.explanation,
          },
        });
    } catch (error) {
      this.flag(
        entry,
        `quoted ${claimed}, HQ cannot re-quote under program v${program.version}: ${errorMessage(error)}`,
        {
          kind: 'quote-mismatch',
          details: { quoted: claimed, computed: null, programVersion: program.version },
        },
      );
    }
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
   * Re-projects members from their stored events plus the new ones: HQ's memberSeq order, each source's
   * events in terminalSeq order among the positions it holds, then (waiting and new) enrollments first.
   */
  private async replay(slow: ReadonlySet<string>, accepted: readonly Entry[]): Promise<void> {
    const { rows } = await this.tx.query<StoredRow>(
      `SELECT ${STORED_COLUMNS} FROM events WHERE member_id = ANY($1::text[])`,
      [[...slow]],
    );
    await this.ensurePrograms(rows.map((r) => r.body.programVersion));
    for (const id of [...slow].sort()) {
      const slot = this.members.get(id) as MemberSlot;
      const history = rows.filter((r) => r.body.memberId === id);
      const settled = history
        .filter((r) => r.member_seq !== null)
        .sort((a, b) => (a.member_seq as number) - (b.member_seq as number))
        .map((r) => this.storedEntry(r));
      const waiting = history
        .filter((r) => r.member_seq === null && !r.applied)
        .sort((a, b) => a.change_seq - b.change_seq)
        .map((r) => this.storedEntry(r));
      const fresh = accepted.filter((a) => a.event.memberId === id);
      const tail = [...waiting, ...fresh];
      const enrollFirst = [
        ...tail.filter((t) => t.event.type === 'member-enrolled'),
        ...tail.filter((t) => t.event.type !== 'member-enrolled'),
      ];
      const order = terminalOrderWithin([...settled, ...enrollFirst]);

      slot.member = null;
      for (const entry of order) {
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
        const after = applyEvent(before, e, this.programFor(e.programVersion).program);
        const delta = netPoints(after) - (before ? netPoints(before) : 0);
        if (delta !== entry.pointsDelta) {
          entry.pointsDelta = delta;
          entry.dirty = true;
        }
        slot.member = after;
      }
      if (slot.member) slot.member = { ...slot.member, memberSeq: slot.lastMemberSeq };
      slot.changed = true;
    }
  }

  // ---- HQ events -------------------------------------------------------------------------------------

  /** Seals drafts on HQ's chain (locking its head) and ingests them like any push; results in draft order. */
  async appendHq(drafts: readonly HqEventDraft[]): Promise<PushResult[]> {
    if (drafts.length === 0) return [];
    await this.lockMembers(drafts.map((d) => d.memberId));
    const ref = await this.currentRef();
    const head = await this.lockSource(HQ_IDENTITY);
    this.nextId ??= uuidv7Factory(this.clock, (n) => new Uint8Array(randomBytes(n)));
    let chain: ChainHead | null = head.seq === 0 ? null : { terminalSeq: head.seq, hash: head.hash };
    const now = this.recordedAt;
    const problems: BatchProblem[] = [];
    const sealed: LedgerEvent[] = [];
    drafts.forEach((draft, i) => {
      const unsealed = {
        id: (this.nextId as () => string)(),
        type: draft.type,
        memberId: draft.memberId,
        terminalId: HQ_SOURCE,
        storeId: HQ_SOURCE,
        cashierId: HQ_SOURCE,
        occurredAt: draft.occurredAt ?? now,
        programVersion: ref.version,
        payload: draft.payload,
      } as UnsealedEvent;
      let event: LedgerEvent;
      try {
        event = sealEvent(unsealed, chain);
      } catch (error) {
        if (!(error instanceof ZodError)) throw error;
        for (const issue of error.issues)
          problems.push({ path: ['drafts', i, ...issue.path].join('.'), message: issue.message });
        return;
      }
      const bad = unstorablePath(event, `drafts.${i}`);
      if (bad) problems.push({ path: bad, message: 'text with a NUL character or an unpaired surrogate' });
      chain = { terminalSeq: event.terminalSeq, hash: event.hash };
      sealed.push(event);
    });
    if (problems.length > 0) throw new InvalidBatchError(problems.slice(0, MAX_PROBLEMS));
    const results = await this.ingest(HQ_IDENTITY, sealed);
    return results();
  }

  /** Appends the referrers' bonuses earned in this batch (repeatedly, should those cause more). */
  async awardReferrals(): Promise<void> {
    while (this.referralsDue.length > 0) {
      const due = this.referralsDue.splice(0);
      const results = await this.appendHq(
        due.map((d): HqEventDraft => ({
          type: 'bonus-awarded',
          memberId: d.referrer,
          payload: {
            kind: 'referral',
            points: d.points,
            actionId: null,
            note: `referral of member ${d.referred}`,
          },
        })),
      );
      due.forEach((d, i) =>
        this.referralRows.push({
          memberId: d.referred,
          referrerId: d.referrer,
          eventId: (results[i] as PushResult).id,
        }),
      );
    }
  }

  // ---- writes ----------------------------------------------------------------------------------------

  /** Writes everything decided; change numbers are taken last, just before the replicated rows. */
  async flush(): Promise<void> {
    const tx = this.tx;
    if (this.quarantined.length > 0) {
      await tx.query(
        `INSERT INTO quarantine (event_id, terminal_id, body, reason, received_at)
         SELECT event_id, terminal_id, body, reason, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS q(event_id text, terminal_id text, body jsonb, reason text)`,
        [
          JSON.stringify(
            this.quarantined.map((q) => ({
              event_id: q.eventId,
              terminal_id: q.terminalId,
              body: JSON.parse(q.body) as unknown,
              reason: q.reason,
            })),
          ),
          this.recordedAt,
        ],
      );
    }
    await openReviews(tx, this.reviews);
    if (this.referralRows.length > 0) {
      await tx.query(
        `INSERT INTO referral_awards (member_id, referrer_id, event_id, awarded_at)
         SELECT member_id, referrer_id, event_id, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS r(member_id text, referrer_id text, event_id uuid)`,
        [
          JSON.stringify(
            this.referralRows.map((r) => ({
              member_id: r.memberId,
              referrer_id: r.referrerId,
              event_id: r.eventId,
            })),
          ),
          this.recordedAt,
        ],
      );
    }

    const updated = [...this.entries.values()].filter((e) => !e.isNew && e.dirty);
    const slots = [...this.members.values()]
      .filter((s) => s.changed && s.member !== null)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const fresh = slots.filter((s) => s.row === 'none');

    // New members are inserted before the counters are taken (change_seq 0 until the final UPDATE below,
    // invisible to pulls until commit anyway), so the rows they need (cards, profiles) do not lengthen
    // the time the counters stay locked.
    if (fresh.length > 0) {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO members (id, doc, member_seq, balance, debt, tier, status, phone_hash, change_seq, updated_at)
         SELECT m.doc->>'id', m.doc, (m.doc->>'memberSeq')::bigint, (m.doc->>'balance')::bigint,
                (m.doc->>'debt')::bigint, m.doc->>'tier', m.doc->>'status', m.doc->>'phoneHash', 0, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS m(doc jsonb)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [JSON.stringify(fresh.map((s) => ({ doc: s.member }))), this.recordedAt],
      );
      // A concurrent batch enrolled one of them first: start again, it will be a re-enrollment then.
      if (rows.length !== fresh.length) throw new RetryBatch('a member was enrolled concurrently');
    }
    await this.writeCards();
    if (this.profiles.size > 0) {
      await tx.query(
        `INSERT INTO member_profiles (member_id, first_name, last_name, email, phone, updated_at)
         SELECT member_id, first_name, last_name, email, phone, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb)
           AS p(member_id text, first_name text, last_name text, email text, phone text)
         ON CONFLICT (member_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
           email = excluded.email, phone = excluded.phone, updated_at = excluded.updated_at`,
        [
          JSON.stringify(
            [...this.profiles.values()].map((p) => ({
              member_id: p.memberId,
              first_name: p.firstName,
              last_name: p.lastName,
              email: p.email,
              phone: p.phone,
            })),
          ),
          this.recordedAt,
        ],
      );
    }

    if (this.lateTerminals.size > 0) await this.resolveFilledGaps();
    if (this.appliedLate.size > 0) await this.resolveAppliedLate();

    // The change numbers, in the same statement as the writes of the replicated rows. From this statement
    // until commit the counters stay locked, serialising every writer of events and members, so that part
    // is one statement and the commit: one round trip, not one per counter and per table. Same bookkeeping
    // as takeChangeSeqs (store/changes.ts): counter rows locked until commit (here in collection-name
    // order, like every writer that takes several), NOTIFY delivered on commit.
    const collections = [
      ...(this.inserted.length + updated.length > 0 ? ['events'] : []),
      ...(slots.length > 0 ? ['members'] : []),
    ];
    if (collections.length === 0) return;
    const eventCount = this.inserted.length + updated.length;
    // The chain heads move with the events (terminals' rows and HQ's, locked since the batch began).
    const heads = [...this.heads].filter(([, h]) => h.seq !== h.startSeq);
    const { rows } = await tx.query<{ inserted: number; updated: number; members: number; heads: number }>(
      `WITH locked AS MATERIALIZED (
         SELECT collection FROM change_counters WHERE collection = ANY($7::text[]) ORDER BY collection FOR UPDATE
       ), counter AS (
         UPDATE change_counters c SET seq = c.seq + CASE c.collection WHEN 'events' THEN $5::bigint ELSE $6::bigint END
         FROM locked l WHERE c.collection = l.collection
         RETURNING c.collection, c.seq - CASE c.collection WHEN 'events' THEN $5::bigint ELSE $6::bigint END AS base
       ), inserted AS (
         INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month,
           recorded_at, program_version, prev_hash, hash, body, member_seq, status, reason, points_delta,
           change_seq, applied, voids)
         SELECT (x.body->>'id')::uuid, x.body->>'terminalId', (x.body->>'terminalSeq')::bigint,
           x.body->>'storeId', x.body->>'memberId', x.body->>'type', (x.body->>'occurredAt')::timestamptz,
           date_trunc('month', (x.body->>'occurredAt')::timestamptz AT TIME ZONE 'UTC')::date,
           $4::timestamptz, (x.body->>'programVersion')::integer, x.body->>'prevHash', x.body->>'hash', x.body,
           x.member_seq, x.status, x.reason, x.points_delta,
           (SELECT base FROM counter WHERE collection = 'events') + x.n, x.applied,
           x.body->'payload'->'original'->>'id'
         FROM jsonb_to_recordset($1::jsonb)
           AS x(body jsonb, member_seq bigint, status text, reason text, points_delta bigint, n bigint, applied boolean)
         RETURNING 1
       ), updated AS (
         UPDATE events e SET member_seq = x.member_seq, applied = x.applied, status = x.status,
           reason = x.reason, points_delta = x.points_delta,
           change_seq = (SELECT base FROM counter WHERE collection = 'events') + x.n
         FROM jsonb_to_recordset($2::jsonb)
           AS x(id uuid, member_seq bigint, applied boolean, status text, reason text, points_delta bigint, n bigint)
         WHERE e.id = x.id
         RETURNING 1
       ), members_updated AS (
         UPDATE members m SET doc = x.doc, member_seq = (x.doc->>'memberSeq')::bigint,
           balance = (x.doc->>'balance')::bigint, debt = (x.doc->>'debt')::bigint, tier = x.doc->>'tier',
           status = x.doc->>'status', phone_hash = x.doc->>'phoneHash',
           change_seq = (SELECT base FROM counter WHERE collection = 'members') + x.n, updated_at = $4::timestamptz
         FROM jsonb_to_recordset($3::jsonb) AS x(id text, doc jsonb, n bigint)
         WHERE m.id = x.id
         RETURNING 1
       ), heads AS (
         SELECT id, seq, hash FROM jsonb_to_recordset($9::jsonb) AS h(id text, seq bigint, hash text)
       ), terminal_heads AS (
         UPDATE terminals t SET last_seq = h.seq, last_hash = h.hash FROM heads h WHERE t.id = h.id
         RETURNING 1
       ), hq_head AS (
         UPDATE hq_chain c SET last_seq = h.seq, last_hash = h.hash FROM heads h WHERE c.id = h.id
         RETURNING 1
       ), notified AS (
         SELECT pg_notify($8, collection) FROM counter
       )
       SELECT (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM updated) AS updated,
         (SELECT count(*) FROM members_updated) AS members, (SELECT count(*) FROM notified) AS notified,
         (SELECT count(*) FROM terminal_heads) + (SELECT count(*) FROM hq_head) AS heads`,
      [
        JSON.stringify(
          this.inserted.map((e, i) => ({
            body: e.event,
            member_seq: e.memberSeq,
            status: statusOf(e),
            reason: joinReasons(e.reasons),
            points_delta: e.pointsDelta,
            n: i + 1,
            applied: e.applied,
          })),
        ),
        JSON.stringify(
          updated.map((e, i) => ({
            id: e.event.id,
            member_seq: e.memberSeq,
            applied: e.applied,
            status: statusOf(e),
            reason: joinReasons(e.reasons),
            points_delta: e.pointsDelta,
            n: this.inserted.length + i + 1,
          })),
        ),
        JSON.stringify(slots.map((s, i) => ({ id: s.id, doc: s.member, n: i + 1 }))),
        this.recordedAt,
        eventCount,
        slots.length,
        collections,
        CHANGES_CHANNEL,
        JSON.stringify(heads.map(([id, h]) => ({ id, seq: h.seq, hash: h.hash }))),
      ],
    );
    const done = rows[0];
    if (
      !done ||
      done.inserted !== this.inserted.length ||
      done.updated !== updated.length ||
      done.members !== slots.length ||
      done.heads !== heads.length
    )
      throw new Error('the batch was not written as decided');
  }

  private async writeCards(): Promise<void> {
    if (this.cardsRemoved.size > 0) {
      await this.tx.query(
        `DELETE FROM cards c USING unnest($1::text[], $2::text[]) AS d(number, member_id)
         WHERE c.number = d.number AND c.member_id = d.member_id`,
        [[...this.cardsRemoved.keys()], [...this.cardsRemoved.values()]],
      );
    }
    if (this.cardsAdded.size > 0) {
      const numbers = [...this.cardsAdded.keys()];
      const { rows } = await this.tx.query<{ number: string }>(
        `INSERT INTO cards (number, member_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (number) DO NOTHING RETURNING number`,
        [numbers, [...this.cardsAdded.values()]],
      );
      if (rows.length !== numbers.length) throw new RetryBatch('a card was linked concurrently');
    }
  }

  /** The unknown-member items of events applied now that their member is enrolled. */
  private async resolveAppliedLate(): Promise<void> {
    await this.tx.query(
      `UPDATE review_items SET status = 'resolved', resolved_at = $2::timestamptz,
         details = details || '{"resolution": "applied once the member was enrolled"}'::jsonb
       WHERE event_id = ANY($1::text[]) AND kind = 'unknown-member' AND status = 'open'`,
      [[...this.appliedLate], this.recordedAt],
    );
  }

  /** Gap review items whose missing events have all arrived (stored, or in this batch) are resolved. */
  private async resolveFilledGaps(): Promise<void> {
    for (const terminalId of this.lateTerminals) {
      const seqs = this.inserted
        .filter((e) => e.event.terminalId === terminalId)
        .map((e) => e.event.terminalSeq);
      await this.tx.query(
        `UPDATE review_items r SET status = 'resolved', resolved_at = $2::timestamptz,
           details = r.details || '{"resolution": "the missing events arrived"}'::jsonb
         WHERE r.terminal_id = $1 AND r.kind = 'gap' AND r.status = 'open'
           AND (SELECT count(*) FROM events e WHERE e.terminal_id = $1
                AND e.terminal_seq BETWEEN (r.details->>'from')::bigint AND (r.details->>'to')::bigint)
             + (SELECT count(*) FROM unnest($3::bigint[]) AS s(seq)
                WHERE s.seq BETWEEN (r.details->>'from')::bigint AND (r.details->>'to')::bigint)
             = (r.details->>'to')::bigint - (r.details->>'from')::bigint + 1`,
        [terminalId, this.recordedAt, seqs],
      );
    }
  }
}

// ---- entry points ------------------------------------------------------------------------------------

/**
 * Stores a terminal's batch of events in one transaction and returns one result per event, in input
 * order: `stored` (new; posted, or flagged with the reason), `duplicate` (identical re-push: the stored
 * verdict), `conflict` (same id with other content, or a used terminalSeq: quarantined, not applied).
 * Throws InvalidBatchError (nothing stored) for an invalid event and AuthorisationError for an event of
 * another terminal or store. A retry after a lost reply gets the same results and changes nothing.
 */
export async function pushEvents(
  db: Db,
  terminal: TerminalIdentity,
  events: readonly LedgerEvent[],
  clock: Clock,
): Promise<PushResult[]> {
  const valid = validateBatch(events);
  authorise(terminal, valid);
  if (valid.length === 0) return [];
  return withBatchRetry(() =>
    db.transaction(async (tx) => {
      const batch = new IngestBatch(tx, db, clock);
      await batch.lockSource(terminal);
      const results = await batch.ingest(terminal, valid);
      await batch.awardReferrals();
      await batch.flush();
      return results();
    }),
  );
}

// One ingest transaction (docs/architecture.md sections 6 and 8): a terminal's batch, plus the HQ events it causes
// (the referrer's bonus), or a batch of HQ events. Locks and loads (load.ts), decides (decide.ts, no SQL),
// then writes (write.ts) — all in the caller's transaction, so a rolled-back batch leaves nothing behind.
//
// Late-filled gaps: applyEvent is idempotent by (source, terminalSeq), so an event older than one of the
// same terminal already applied to its member would be a no-op. Such a member is re-projected from its
// stored events instead (IngestDecisions.replayMember); the same happens when an enrollment arrives after
// events that were waiting for it.
import { randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import type { Clock } from '../../../src-shared/kernel/clock.js';
import { canonicalJson } from '../../../src-shared/kernel/hash.js';
import { uuidv7Factory } from '../../../src-shared/kernel/ids.js';
import { sealEvent, type ChainHead } from '../../../src-shared/ledger/chain.js';
import { HQ_SOURCE, type LedgerEvent, type UnsealedEvent } from '../../../src-shared/ledger/events.js';
import { mergeTransfer } from '../../../src-shared/members/merge.js';
import type { PushResult } from '../../../src-shared/sync/wire.js';
import type { Queryable } from '../../db/database.js';
import type { HqEventDraft } from '../hq-events.js';
import { attachCardEarns } from './card-earns.js';
import {
  IngestDecisions,
  joinReasons,
  programVersionsOf,
  statusOf,
  type Entry,
  type Head,
  type MemberSlot,
  type ProgramRef,
  type StoredRow,
} from './decide.js';
import {
  currentRef,
  loadContext,
  loadHistory,
  loadNeighbours,
  loadPrograms,
  loadQuarantined,
  loadStored,
  loadWaitingMembers,
  lockMembers,
  lockSource,
} from './load.js';
import {
  HQ_IDENTITY,
  InvalidBatchError,
  MAX_PROBLEMS,
  storageProblems,
  type BatchProblem,
  type TerminalIdentity,
} from './validate.js';
import { writeBatch } from './write.js';

export class IngestBatch {
  private readonly recordedAt: string;
  private readonly heads = new Map<string, Head>();
  private readonly d: IngestDecisions;
  private readonly referralRows: { memberId: string; referrerId: string; eventId: string }[] = [];
  private currentList: ProgramRef[] | null = null;
  private nextId: (() => string) | null = null;

  constructor(
    private readonly tx: Queryable,
    /** The database, which keys the cache of program versions. */
    private readonly cacheOwner: object,
    private readonly clock: Clock,
    label = 'events',
  ) {
    this.recordedAt = new Date(clock.now()).toISOString();
    this.d = new IngestDecisions(label);
  }

  /** What the batch decided so far: the card-earn step (card-earns.ts) reads and adds to it. */
  get decisions(): IngestDecisions {
    return this.d;
  }

  /** Locks a terminal's row (or HQ's chain head) and reads where its chain stands. */
  async lockSource(source: TerminalIdentity): Promise<Head> {
    const known = this.heads.get(source.id);
    if (known) return known;
    const { head, current } = await lockSource(this.tx, source);
    this.currentList ??= current;
    this.heads.set(source.id, head);
    return head;
  }

  /** Locks members not locked yet (advisory lock, then row), in key order, and loads their projection. */
  lockMembers(ids: Iterable<string>): Promise<void> {
    return lockMembers(this.tx, this.d, ids);
  }

  private async ensurePrograms(versions: Iterable<number>): Promise<void> {
    await currentRef(this.tx, this.d, this.currentList);
    await loadPrograms(this.tx, this.d, this.cacheOwner, versions);
  }

  /**
   * Ingests events of one source (already validated and authorised, the source locked). Returns a function
   * giving the per-event results in input order, final once the whole transaction's work is decided.
   */
  async ingest(source: TerminalIdentity, events: readonly LedgerEvent[]): Promise<() => PushResult[]> {
    const head = await this.lockSource(source);
    const stored = await loadStored(this.tx, source.id, events, head.seq);
    const { outcomes, accepted, conflicts } = this.d.classify(source.id, events, stored);
    if (conflicts.length > 0) {
      const kept = await loadQuarantined(
        this.tx,
        conflicts.map((c) => c.event.id),
        canonicalJson,
      );
      this.d.quarantine(conflicts, outcomes, kept);
    }
    const late = this.d.checkChain(source.id, head, accepted);
    if (late.length > 0) this.d.checkLate(late, accepted, await loadNeighbours(this.tx, source.id, late));
    if (accepted.length > 0) await this.project(accepted);
    // Tills' earns on cards they did not know: credited to the card's member, or reviewed (card-earns.ts).
    if (this.d.cardEarns.length > 0) await attachCardEarns(this.tx, this);

    return () =>
      outcomes.map((o): PushResult => {
        if (o.kind === 'conflict')
          return { id: o.id, outcome: 'conflict', status: 'quarantined', memberSeq: null, reason: o.reason };
        const entry = o.kind === 'stored' ? this.d.entries.get(o.row.id) : o.entry;
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

  /** Locks and loads what the accepted events touch, then projects them into their members. */
  private async project(accepted: readonly Entry[]): Promise<void> {
    await this.lockMembers(accepted.map((a) => a.event.memberId));
    await this.ensurePrograms(accepted.flatMap((a) => programVersionsOf(a.event)));
    await loadContext(this.tx, this.d, accepted);

    const { slow, enrolling } = this.d.slowMembers(accepted);
    for (const id of await loadWaitingMembers(this.tx, enrolling)) slow.add(id);
    for (const entry of accepted) {
      if (slow.has(entry.event.memberId)) continue;
      this.d.processNew(this.d.members.get(entry.event.memberId) as MemberSlot, entry);
    }
    if (slow.size === 0) return;
    const history = await loadHistory(this.tx, [...slow]);
    await this.ensurePrograms(history.flatMap((r) => programVersionsOf(r.body)));
    // Waiting events are decided now, as new ones are: they need the same context loaded.
    const waiting = history
      .filter((r) => r.member_seq === null && !r.applied)
      .map((r) => this.d.storedEntry(r));
    if (waiting.length > 0) await loadContext(this.tx, this.d, waiting);
    for (const id of [...slow].sort()) {
      this.d.replayMember(
        this.d.members.get(id) as MemberSlot,
        history.filter((r) => r.body.memberId === id),
        accepted.filter((a) => a.event.memberId === id),
      );
    }
  }

  // ---- HQ events -------------------------------------------------------------------------------------

  /** Seals drafts on HQ's chain (locking its head) and ingests them like any push; results in draft order. */
  async appendHq(drafts: readonly HqEventDraft[]): Promise<PushResult[]> {
    if (drafts.length === 0) return [];
    await this.lockMembers(drafts.map((d) => d.memberId));
    await this.ensurePrograms([]);
    const ref = this.d.current as ProgramRef;
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
      problems.push(...storageProblems(event, `drafts.${i}`));
      chain = { terminalSeq: event.terminalSeq, hash: event.hash };
      sealed.push(event);
    });
    if (problems.length > 0) throw new InvalidBatchError(problems.slice(0, MAX_PROBLEMS));
    const results = await this.ingest(HQ_IDENTITY, sealed);
    return results();
  }

  /** Appends the referrers' bonuses earned in this batch (repeatedly, should those cause more). */
  async awardReferrals(): Promise<void> {
    while (this.d.referralsDue.length > 0) {
      const due = this.d.referralsDue.splice(0);
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

  /**
   * Moves on the points a push gave a member merged into another (a till that had not heard of the merge):
   * the merged member's net points go to the survivor as a pair of HQ adjustments, as the merge moved them
   * (src-shared/members/merge.ts), so no point stays behind on a member no till can find.
   */
  async forwardMerged(): Promise<void> {
    const drafts: HqEventDraft[] = [];
    for (const slot of this.d.members.values()) {
      const transfer = slot.mergedInto && slot.member ? mergeTransfer(slot.member) : null;
      if (!transfer || !slot.mergedInto) continue;
      const note = (text: string) => ({ reasonCode: 'migration' as const, managerId: HQ_SOURCE, note: text });
      drafts.push(
        {
          type: 'points-adjusted',
          memberId: slot.id,
          payload: { points: transfer.merged, ...note(`merged into member ${slot.mergedInto}`) },
        },
        {
          type: 'points-adjusted',
          memberId: slot.mergedInto,
          payload: { points: transfer.survivor, ...note(`merge of member ${slot.id}`) },
        },
      );
    }
    if (drafts.length > 0) await this.appendHq(drafts);
  }

  /** Writes everything decided; change numbers are taken last, just before the replicated rows. */
  flush(): Promise<void> {
    return writeBatch({
      tx: this.tx,
      d: this.d,
      recordedAt: this.recordedAt,
      heads: this.heads,
      referralRows: this.referralRows,
    });
  }
}

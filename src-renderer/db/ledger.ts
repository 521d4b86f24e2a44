// Recording events and reading this terminal's ledger.
//
// RxDB has no multi-document transactions, so a recording is ONE insert: the event is sealed onto the
// chain (next terminalSeq, previous hash) from the last stored event, and recordings are serialised by an
// in-process lock, so two recordings never read the same chain head. The insert is the atomic commit:
// either the sealed event is in the ledger (strict durability) or nothing is. Everything else a recording
// does (the card index, a provisional member) comes after, and is repaired on the next start if a crash
// cut it short.
import type { RxCollection } from 'rxdb';
import { map, type Observable } from 'rxjs';
import type { ChainHead } from '../../src-shared/ledger/chain.js';
import { sealEvent } from '../../src-shared/ledger/chain.js';
import type { LedgerEvent, UnsealedEvent } from '../../src-shared/ledger/events.js';
import type { LocalEvent } from '../../src-shared/ledger/pending.js';
import { localEventOf, localEventRow, plainEventRow } from './rows.js';
import type { EventRow, EventSyncStatus } from './schemas.js';
import { Mutex } from './mutex.js';

/** Statuses of events HQ will never count: left out of the balance shown. */
export const NOT_COUNTED: readonly EventSyncStatus[] = ['conflict', 'rejected', 'quarantined'];

export class Ledger {
  private readonly lock = new Mutex();

  /**
   * `onRecorded` hears each event once its insert committed, in chain order (called inside the lock, not
   * awaited): the store LAN's hand-over to main (open-terminal.ts). It must not throw.
   */
  constructor(
    readonly events: RxCollection<EventRow>,
    private readonly onRecorded: (event: LedgerEvent) => void = () => undefined,
  ) {}

  /** The last event of a terminal's chain (null before its first event). */
  async head(terminalId: string): Promise<ChainHead | null> {
    const last = await this.events
      .findOne({ selector: { terminalId }, sort: [{ terminalId: 'desc' }, { terminalSeq: 'desc' }] })
      .exec();
    return last ? { terminalSeq: last.terminalSeq, hash: last.event.hash } : null;
  }

  /**
   * Seals an event onto the terminal's chain and commits it with one insert. `make` runs inside the lock,
   * so checks it makes against the ledger (e.g. "not voided yet") cannot race another recording; it may
   * return an error value instead of an event, which is handed back without recording anything.
   */
  record<E>(
    make: () => Promise<{ ok: true; value: UnsealedEvent } | { ok: false; error: E }>,
  ): Promise<{ ok: true; value: LedgerEvent } | { ok: false; error: E }> {
    return this.lock.run(async () => {
      const made = await make();
      if (!made.ok) return made;
      const head = await this.head(made.value.terminalId);
      const event = sealEvent(made.value, head);
      await this.events.insert(localEventRow(event));
      this.onRecorded(event);
      return { ok: true, value: event };
    });
  }

  /** Waits for recordings under way (before closing the databases). */
  idle(): Promise<void> {
    return this.lock.run(() => Promise.resolve());
  }

  async byId(id: string): Promise<EventRow | null> {
    const doc = await this.events.findOne(id).exec();
    return doc ? plainEventRow(doc.toJSON() as EventRow) : null;
  }

  /** This terminal's events for a member, in terminalSeq order. */
  async forMember(memberId: string): Promise<EventRow[]> {
    const docs = await this.events
      .find({ selector: { memberId }, sort: [{ memberId: 'asc' }, { terminalSeq: 'asc' }] })
      .exec();
    return docs.map((d) => d.toJSON() as EventRow);
  }

  /** This terminal's events for a member, in terminalSeq order, again on every change. */
  forMember$(memberId: string): Observable<EventRow[]> {
    return this.events
      .find({ selector: { memberId }, sort: [{ memberId: 'asc' }, { terminalSeq: 'asc' }] })
      .$.pipe(map((docs) => docs.map((d) => d.toJSON() as EventRow)));
  }

  /** A member's events as the balance projection takes them (events HQ will never count left out). */
  async countedForMember(memberId: string): Promise<LocalEvent[]> {
    const rows = await this.forMember(memberId);
    return rows.filter((r) => !NOT_COUNTED.includes(r.status)).map(localEventOf);
  }

  /** Events with a status, in terminalSeq order. */
  async withStatus(status: EventSyncStatus): Promise<EventRow[]> {
    const docs = await this.events
      .find({ selector: { status }, sort: [{ status: 'asc' }, { terminalSeq: 'asc' }] })
      .exec();
    return docs.map((d) => d.toJSON() as EventRow);
  }

  /** A terminal's events with terminalSeq in [from, to], in order. */
  async seqRange(terminalId: string, from: number, to: number): Promise<EventRow[]> {
    const docs = await this.events
      .find({
        selector: { terminalId, terminalSeq: { $gte: from, $lte: to } },
        sort: [{ terminalId: 'asc' }, { terminalSeq: 'asc' }],
      })
      .exec();
    return docs.map((d) => d.toJSON() as EventRow);
  }

  /** Events whose occurredAt (ISO text in UTC) lies in [fromIso, toIso). */
  async occurredBetween(fromIso: string, toIso: string): Promise<EventRow[]> {
    const docs = await this.events
      .find({ selector: { occurredAt: { $gte: fromIso, $lt: toIso } }, sort: [{ occurredAt: 'asc' }] })
      .exec();
    return docs.map((d) => d.toJSON() as EventRow);
  }
}

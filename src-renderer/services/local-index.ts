// After a recording: the card index and, for a member HQ has not sent yet, the provisional member
// document, so lookups find what this terminal just did. Best effort (the event is already committed);
// repaired on the next start from the events HQ has not answered for. Also a member HQ answered online for
// a card outside the replica (online-lookup.ts), kept as if pulled.
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { MemberDoc } from '../../src-shared/sync/wire.js';
import { memberWithPending } from '../../src-shared/ledger/pending.js';
import type { Program } from '../../src-shared/program/schema.js';
import { storeMemberDocs } from '../db/hq-docs.js';
import { provisionalRow } from '../db/rows.js';
import type { ServiceContext } from './context.js';

export class LocalIndex {
  constructor(private readonly ctx: ServiceContext) {}

  /** Indexes one event of this terminal (cards, provisional member). */
  async indexLocalEvent(event: LedgerEvent, program: Program): Promise<void> {
    const { cards, members } = this.ctx.catalogDb;
    try {
      if (event.type === 'member-enrolled' && event.payload.cards.length > 0)
        await cards.bulkUpsert(event.payload.cards.map((number) => ({ number, memberId: event.memberId })));
      if (event.type === 'member-updated') {
        const added = event.payload.addCards ?? [];
        if (added.length > 0)
          await cards.bulkUpsert(added.map((number) => ({ number, memberId: event.memberId })));
        const removed = event.payload.removeCards ?? [];
        if (removed.length > 0) {
          const found = await cards.findByIds(removed).exec();
          const mine = [...found.values()].filter((c) => c.memberId === event.memberId).map((c) => c.number);
          if (mine.length > 0) await cards.bulkRemove(mine);
        }
      }
      const existing = await members.findOne(event.memberId).exec();
      if (existing && !existing.provisional) return;
      if (!existing && event.type !== 'member-enrolled') return;
      const events = await this.ctx.ledger.countedForMember(event.memberId);
      const projected = memberWithPending(null, events, program, event.memberId);
      if (!projected) return;
      if (existing) await existing.incrementalPatch(provisionalRow(projected));
      else await members.insert(provisionalRow(projected));
    } catch {
      // A failed index write is repaired on the next start (repairLocalIndex); the event is safe.
    }
  }

  /**
   * Keeps a member HQ answered online (by card, outside this store's scope): written as the pull would write
   * them, unless the replica already holds HQ's document at that memberSeq or later (hq-docs.ts).
   * HQ now serves their changes to this store's tills through the pull.
   */
  async keepFromHq(doc: MemberDoc): Promise<void> {
    if (!doc._deleted) await storeMemberDocs(this.ctx.catalogDb, [doc], { onlyNewer: true });
  }

  /** Re-applies the card index and provisional members for events HQ has not answered for yet. */
  async repairLocalIndex(): Promise<void> {
    const program = await this.ctx.catalog.program();
    if (!program) return;
    const local = await this.ctx.ledger.withStatus('local');
    for (const row of local) {
      if (row.type === 'member-enrolled' || row.type === 'member-updated')
        await this.indexLocalEvent(row.event, program);
    }
  }
}

// Voiding (refunding) one of this terminal's earn, redeem, adjust or bonus events, by a manager: a new
// event that reverses the original exactly. Whether it may be voided is the one rule of
// src-shared/ledger/voids.ts ("a void happens once", never one HQ refused), asked inside the ledger's lock
// (so two voids of one event cannot race), and asked again for each event the void panel lists.
import { map, type Observable } from 'rxjs';
import { ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import { returnedUnits } from '../../src-shared/ledger/returns.js';
import { mayVoid, voidedIds, type VoidRefusal } from '../../src-shared/ledger/voids.js';
import { NOT_COUNTED } from '../db/ledger.js';
import type { EventRow } from '../db/schemas.js';
import type { ServiceContext } from './context.js';
import { refuse, refuseSaying, type Recorded, type Refusal, type VoidInput } from './counter-types.js';
import { requireManager } from './managers.js';
import type { Recorder } from './recording.js';

/** One of the member's transactions at this terminal, and whether it may be voided. */
export interface VoidCandidate {
  id: string;
  terminalSeq: number;
  occurredAt: string;
  /** Where HQ stands on it (`local`: not answered yet). */
  status: EventRow['status'];
  event: EventRow['event'];
  /** Why it may not be voided (already voided, refused by HQ), or null when it may. */
  refusal: VoidRefusal | null;
}

const counted = (row: EventRow): boolean => !NOT_COUNTED.includes(row.status);

/** The rule's answer for one of the rows, given what the member's rows say of voids and returns. */
function ruleFor(row: EventRow, among: { voided: ReadonlySet<string>; returned: ReadonlySet<string> }) {
  return mayVoid({
    original: row.event,
    memberId: row.memberId,
    counted: counted(row),
    alreadyVoided: among.voided.has(row.id),
    returned: among.returned.has(row.id),
  });
}

/** The sales voided and the sales with a return counted, among the member's rows (HQ refuses a void of the latter). */
function voidedAmong(rows: readonly EventRow[]) {
  const facts = rows.map((r) => ({ event: r.event, counted: counted(r) }));
  return { voided: voidedIds(facts), returned: new Set(returnedUnits(facts).keys()) };
}

export class Voids {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** The member's voidable transactions at this terminal, oldest first, kept current. */
  voidCandidates$(memberId: string): Observable<VoidCandidate[]> {
    return this.ctx.ledger.forMember$(memberId).pipe(
      map((rows) => {
        const voided = voidedAmong(rows);
        return rows.flatMap((row): VoidCandidate[] => {
          const rule = ruleFor(row, voided);
          if (!rule.ok && rule.error.reason === 'not-voidable') return [];
          return [
            {
              id: row.id,
              terminalSeq: row.terminalSeq,
              occurredAt: row.occurredAt,
              status: row.status,
              event: row.event,
              refusal: rule.ok ? null : rule.error,
            },
          ];
        });
      }),
    );
  }

  /** Voids (refunds) one of this terminal's earn, redeem, adjust or bonus events (manager). */
  async recordVoid(input: VoidInput): Promise<Result<Recorded<EventOf<'event-voided'>>, Refusal>> {
    const original = await this.ctx.ledger.byId(input.eventId);
    if (!original)
      return refuseSaying('event-unknown', 'void-event-unknown', 'This terminal has no such transaction');
    return this.recorder.recordFor(original.memberId, async (ctx) => {
      const manager = await requireManager(this.ctx.catalog, input.managerId);
      if (!manager.ok) return manager;
      const rule = ruleFor(original, voidedAmong(await this.ctx.ledger.forMember(original.memberId)));
      if (!rule.ok) {
        const { reason, message, figures } = rule.error;
        if (reason === 'already-voided')
          return refuseSaying('already-voided', 'void-already', 'This transaction was already voided');
        if (reason === 'not-counted')
          return refuseSaying(
            'not-voidable',
            'void-not-counted',
            `This transaction was not accepted by HQ (${original.status})`,
            {
              figures: { status: original.status },
            },
          );
        if (reason === 'not-voidable')
          return refuseSaying(
            'not-voidable',
            'void-not-voidable',
            'Only earned, redeemed, adjusted or bonus points can be voided',
          );
        return refuse('not-voidable', message, { say: `void.${reason}`, ...(figures ? { figures } : {}) });
      }
      const reason = input.reason.trim();
      if (reason.length === 0 || reason.length > 200)
        return refuseSaying('invalid', 'void-reason', 'A void needs a reason (at most 200 characters)');
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, original.memberId),
        type: 'event-voided',
        payload: { original: rule.value, reason, managerId: input.managerId },
      });
    });
  }
}

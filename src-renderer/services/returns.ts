// Partial returns at the till, by a manager: some lines of one of the member's sales at this terminal come
// back, and the points those lines earned are taken back by the shared rule (src-shared/ledger/returns.ts):
// mayReturn says whether, returnClawback says how many (cumulative over the sale's returns, under the
// program version the sale names, from the points the sale was recorded with). HQ runs the same rule on its
// copy of the sale, so the till and HQ take back the same figure. Like a void, the rule is asked inside the
// ledger's lock (two returns of one line cannot both take its last unit) and asked again for each sale the
// return panel lists.
import { from, switchMap, type Observable } from 'rxjs';
import { ok, type Result } from '../../src-shared/kernel/result.js';
import {
  returnableEventSchema,
  type EventOf,
  type ReturnableEvent,
  type ReturnedLine,
} from '../../src-shared/ledger/events.js';
import {
  mayReturn,
  returnClawback,
  returnedUnits,
  type Clawback,
  type ReturnedUnits,
  type ReturnRefusal,
} from '../../src-shared/ledger/returns.js';
import { voidedIds } from '../../src-shared/ledger/voids.js';
import type { Program } from '../../src-shared/program/schema.js';
import { NOT_COUNTED } from '../db/ledger.js';
import type { EventRow } from '../db/schemas.js';
import type { ServiceContext } from './context.js';
import {
  refuse,
  refuseSaying,
  type Operator,
  type Recorded,
  type Refusal,
  type RefusalSaying,
} from './counter-types.js';
import { requireManager } from './managers.js';
import type { Recorder } from './recording.js';

export interface ReturnInput extends Operator {
  memberId: string;
  /** One of this terminal's sales (points-earned) for the member. */
  originalId: string;
  /** The lines coming back: index in the sale's lines, SKU, units. */
  lines: ReturnedLine[];
  managerId: string;
  reason: string;
}

/** One line of a sale, and how many of its units may still come back. */
export interface ReturnCandidateLine {
  line: number;
  sku: string;
  category: string;
  unitPrice: number;
  /** Units sold. */
  sold: number;
  /** Units already returned by the returns that count. */
  returned: number;
  /** Units that may still be returned (0 when the sale may not be returned at all). */
  returnable: number;
}

/** Why none of a sale's lines may be returned: the rule's refusal, all units back, or no program version. */
export type CandidateRefusal = (
  ReturnRefusal | { reason: 'all-returned' | 'no-program'; message: string }
) & {
  /** Its words at the counter (i18n/refusals.ts) and the figures they name. */
  say?: RefusalSaying;
  figures?: Refusal['figures'];
};

/** One of the member's sales at this terminal, with what may still be returned of it. */
export interface ReturnCandidate {
  id: string;
  terminalSeq: number;
  occurredAt: string;
  /** Where HQ stands on it (`local`: not answered yet). */
  status: EventRow['status'];
  event: ReturnableEvent;
  lines: ReturnCandidateLine[];
  /** Units returned per line so far (what returnClawback takes as `returnedBefore`). */
  returnedBefore: ReturnedUnits;
  /** Points earlier returns of the sale took back. */
  takenBefore: number;
  /** The program version the sale was made with; null when this terminal does not hold it. */
  program: Program | null;
  /** Why nothing of it may be returned, or null when some units may. */
  refusal: CandidateRefusal | null;
}

const counted = (row: EventRow): boolean => !NOT_COUNTED.includes(row.status);

/** What the member's counted rows say of one sale: its voids and the units and points its returns took. */
interface SaleHistory {
  voided: ReadonlySet<string>;
  units: ReadonlyMap<string, ReadonlyMap<number, number>>;
  taken: ReadonlyMap<string, number>;
}

function historyOf(rows: readonly EventRow[]): SaleHistory {
  const facts = rows.map((r) => ({ event: r.event, counted: counted(r) }));
  const taken = new Map<string, number>();
  for (const { event, counted: c } of facts) {
    if (!c || event.type !== 'points-returned') continue;
    const id = event.payload.original.id;
    taken.set(id, (taken.get(id) ?? 0) + event.payload.points);
  }
  return { voided: voidedIds(facts), units: returnedUnits(facts), taken };
}

/** The rule's answer for `lines` of the sale in `row`, given what the member's rows say. */
function ruleFor(row: EventRow, history: SaleHistory, lines: readonly ReturnedLine[]) {
  return mayReturn({
    original: row.event,
    memberId: row.memberId,
    counted: counted(row),
    voided: history.voided.has(row.id),
    returnedBefore: history.units.get(row.id) ?? new Map<number, number>(),
    lines,
  });
}

/**
 * The points (and spend) returning `lines` of the candidate would take back: the figure recordReturn
 * records, for the panel's preview. Null when the program version of the sale is not held.
 */
export function previewReturn(candidate: ReturnCandidate, lines: readonly ReturnedLine[]): Clawback | null {
  if (!candidate.program) return null;
  return returnClawback({
    original: candidate.event,
    program: candidate.program,
    applied: candidate.event.payload.points,
    returnedBefore: candidate.returnedBefore,
    takenBefore: candidate.takenBefore,
    lines,
  });
}

export class Returns {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** The member's sales at this terminal, oldest first, each line with what may still come back; kept current. */
  returnCandidates$(memberId: string): Observable<ReturnCandidate[]> {
    return this.ctx.ledger.forMember$(memberId).pipe(switchMap((rows) => from(this.candidates(rows))));
  }

  private async candidates(rows: readonly EventRow[]): Promise<ReturnCandidate[]> {
    const history = historyOf(rows);
    const out: ReturnCandidate[] = [];
    for (const row of rows) {
      const sale = returnableEventSchema.safeParse(row.event);
      if (!sale.success) continue;
      const returnedBefore = history.units.get(row.id) ?? new Map<number, number>();
      const left = sale.data.payload.lines.map((l, i) => l.quantity - (returnedBefore.get(i) ?? 0));
      // Ask the rule for every unit left: its refusal (voided, refused by HQ) is the sale's.
      const asked = sale.data.payload.lines.flatMap((l, i) =>
        (left[i] ?? 0) > 0 ? [{ line: i, sku: l.sku, quantity: left[i] ?? 0 }] : [],
      );
      const program = await this.ctx.catalog.programVersion(sale.data.programVersion);
      let refusal: CandidateRefusal | null = null;
      if (asked.length === 0)
        refusal = {
          reason: 'all-returned',
          message: 'Every line of this sale was returned',
          say: 'counter.all-returned',
        };
      else {
        const rule = ruleFor(row, history, asked);
        if (!rule.ok) refusal = { ...rule.error, say: `return.${rule.error.reason}` };
        else if (!program)
          refusal = {
            reason: 'no-program',
            message: `Program v${sale.data.programVersion} of this sale is not at this terminal`,
            say: 'counter.return-program',
            figures: { version: sale.data.programVersion },
          };
      }
      out.push({
        id: row.id,
        terminalSeq: row.terminalSeq,
        occurredAt: row.occurredAt,
        status: row.status,
        event: sale.data,
        lines: sale.data.payload.lines.map((l, i) => ({
          line: i,
          sku: l.sku,
          category: l.category,
          unitPrice: l.unitPrice,
          sold: l.quantity,
          returned: returnedBefore.get(i) ?? 0,
          returnable: refusal === null ? (left[i] ?? 0) : 0,
        })),
        returnedBefore,
        takenBefore: history.taken.get(row.id) ?? 0,
        program,
        refusal,
      });
    }
    return out;
  }

  /** Returns some lines of one of this terminal's sales, taking back the points they earned (manager). */
  async recordReturn(input: ReturnInput): Promise<Result<Recorded<EventOf<'points-returned'>>, Refusal>> {
    return this.recorder.recordFor<EventOf<'points-returned'>>(input.memberId, async (ctx) => {
      const manager = await requireManager(this.ctx.catalog, input.managerId);
      if (!manager.ok) return manager;
      // Read inside the lock: a return recorded a moment ago counts against the units left.
      const rows = await this.ctx.ledger.forMember(input.memberId);
      const row = rows.find((r) => r.id === input.originalId);
      if (!row)
        return refuseSaying(
          'event-unknown',
          'return-event-unknown',
          'This terminal has no such sale for this member',
        );
      const history = historyOf(rows);
      const rule = ruleFor(row, history, input.lines);
      if (!rule.ok) return refusalOf(rule.error, row);
      const reason = input.reason.trim();
      if (reason.length === 0 || reason.length > 200)
        return refuseSaying('invalid', 'return-reason', 'A return needs a reason (at most 200 characters)');
      const sale = rule.value;
      const program = await this.ctx.catalog.programVersion(sale.programVersion);
      if (!program)
        return refuseSaying(
          'no-program',
          'return-program',
          `Program v${sale.programVersion} of this sale is not at this terminal`,
          { figures: { version: sale.programVersion } },
        );
      const back = returnClawback({
        original: sale,
        program,
        applied: sale.payload.points,
        returnedBefore: history.units.get(row.id) ?? new Map<number, number>(),
        takenBefore: history.taken.get(row.id) ?? 0,
        lines: input.lines,
      });
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-returned' as const,
        payload: {
          original: sale,
          lines: input.lines.map((l) => ({ line: l.line, sku: l.sku, quantity: l.quantity })),
          points: back.points,
          spend: back.spend,
          reason,
          managerId: input.managerId,
        },
      });
    });
  }
}

/** The rule's refusal in words for the cashier. */
function refusalOf(error: ReturnRefusal, row: EventRow): Result<never, Refusal> {
  switch (error.reason) {
    case 'voided':
      return refuseSaying(
        'not-returnable',
        'return-voided',
        'This sale was voided: its points were already taken back',
      );
    case 'not-counted':
      return refuseSaying(
        'not-returnable',
        'return-not-counted',
        `This sale was not accepted by HQ (${row.status})`,
        {
          figures: { status: row.status },
        },
      );
    case 'not-returnable':
      return refuseSaying(
        'not-returnable',
        'return-not-returnable',
        'Only the lines of a sale that earned points can be returned',
      );
    case 'beyond-quantity':
      return refuse('beyond-quantity', error.message, sharedWords(error));
    case 'unknown-line':
      return refuse('invalid', error.message, sharedWords(error));
    case 'other-member':
    case 'differs-from-held':
      return refuse('not-returnable', error.message, sharedWords(error));
  }
}

/** A shared rule's refusal passed on as is: its words are the rule's reason and figures. */
const sharedWords = (error: ReturnRefusal): Partial<Refusal> => ({
  say: `return.${error.reason}`,
  ...(error.figures ? { figures: error.figures } : {}),
});

// Recording an event for a member: the terminal must be enrolled and have a program, the member is read and
// the event made inside the ledger's lock (so its checks see every earlier recording), sealed and inserted;
// then the local index is updated and the member shown after it returned. An event the schema refuses is an
// invalid input, in words for the cashier.
import { ok, type Result } from '../../src-shared/kernel/result.js';
import { isCardPlaceholder } from '../../src-shared/ledger/card-earn.js';
import type { LedgerEvent, UnsealedEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { ServiceContext } from './context.js';
import { refuseSaying, type Recorded, type Refusal, type ShownMember } from './counter-types.js';
import type { LocalIndex } from './local-index.js';
import { withEvent, type ShownMembers } from './shown-members.js';

/** What a recording is made with. */
/** What `make` may answer: decided at once, or after reading. */
type MaybePromise<T> = T | Promise<T>;

export interface RecordingContext {
  identity: { terminalId: string; storeId: string };
  program: Program;
  shown: ShownMember;
  at: number;
}

export class Recorder {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly members: ShownMembers,
    private readonly index: LocalIndex,
  ) {}

  /** The program and the member, or why the counter cannot act for them. */
  async ready(memberId: string): Promise<Result<{ program: Program; shown: ShownMember }, Refusal>> {
    // A card the replica does not know only earns (card-earn.ts): with no balance known, a redemption,
    // adjustment or anything else would go past the offline bound.
    if (isCardPlaceholder(memberId))
      return refuseSaying(
        'member-unknown',
        'card-earn-only',
        'This card is not known at this terminal: only the points of a sale can be added to it',
      );
    const program = await this.ctx.catalog.program();
    if (!program)
      return refuseSaying('no-program', 'no-program', 'No loyalty program has been received from HQ yet');
    const shown = await this.members.member(memberId);
    if (!shown)
      return refuseSaying('member-unknown', 'member-unknown', 'This member is not known at this terminal');
    return ok({ program, shown });
  }

  /** The envelope of a new event of this terminal. */
  envelope(
    ctx: { identity: { terminalId: string; storeId: string }; at: number; program: Program },
    cashierId: string,
    memberId: string,
  ) {
    return {
      id: this.ctx.newId(),
      memberId,
      terminalId: ctx.identity.terminalId,
      storeId: ctx.identity.storeId,
      cashierId,
      occurredAt: new Date(ctx.at).toISOString(),
      programVersion: ctx.program.version,
    };
  }

  /**
   * Records an event for an existing member: the member is read and `make` runs inside the ledger's lock,
   * so its checks (balance, offline allowance, "not voided yet") see every earlier recording.
   */
  async recordFor<E extends LedgerEvent>(
    memberId: string,
    // Sync or async: an earn is decided from what the context holds, a void reads the ledger first.
    make: (
      ctx: RecordingContext,
    ) => MaybePromise<Result<Omit<E, 'hash' | 'prevHash' | 'terminalSeq'>, Refusal>>,
  ): Promise<Result<Recorded<E>, Refusal>> {
    const identity = await this.ctx.sync.identity();
    if (!identity)
      return refuseSaying('not-enrolled', 'not-enrolled', 'This terminal is not enrolled with HQ yet');
    let before: { program: Program; shown: ShownMember } | null = null;
    const recorded = await this.ctx.ledger
      .record<Refusal>(async () => {
        const ready = await this.ready(memberId);
        if (!ready.ok) return ready;
        before = ready.value;
        const made = await make({ identity, ...ready.value, at: this.ctx.clock.now() });
        return made.ok ? ok(made.value as unknown as UnsealedEvent) : made;
      })
      .catch((error: unknown) => invalid(error));
    if (!recorded.ok) return recorded;
    const event = recorded.value as E;
    const ctx = before as { program: Program; shown: ShownMember } | null;
    if (!ctx) return ok({ event, member: await this.members.member(memberId) });
    await this.index.indexLocalEvent(event, ctx.program);
    return ok({ event, member: withEvent(ctx.shown, event, ctx.program) });
  }

  /**
   * Records an event that names no member of the replica (an earn on a card it does not know,
   * src-shared/ledger/card-earn.ts): nothing is read or indexed for a member, and none is shown after it.
   */
  async recordWithoutMember<E extends LedgerEvent>(
    make: (
      ctx: Omit<RecordingContext, 'shown'>,
    ) => Result<Omit<E, 'hash' | 'prevHash' | 'terminalSeq'>, Refusal>,
  ): Promise<Result<Recorded<E>, Refusal>> {
    const identity = await this.ctx.sync.identity();
    if (!identity)
      return refuseSaying('not-enrolled', 'not-enrolled', 'This terminal is not enrolled with HQ yet');
    const recorded = await this.ctx.ledger
      .record<Refusal>(async () => {
        const program = await this.ctx.catalog.program();
        if (!program)
          return refuseSaying('no-program', 'no-program', 'No loyalty program has been received from HQ yet');
        const made = make({ identity, program, at: this.ctx.clock.now() });
        return made.ok ? ok(made.value as unknown as UnsealedEvent) : made;
      })
      .catch((error: unknown) => invalid(error));
    if (!recorded.ok) return recorded;
    return ok({ event: recorded.value as E, member: null });
  }
}

/** An event the schema refused (sealEvent throws a ZodError): the input was invalid. */
export function invalid(error: unknown): Result<never, Refusal> {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (!Array.isArray(issues)) throw error;
  return refuseSaying('invalid', 'input-invalid', 'The input is not valid', {
    problems: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}

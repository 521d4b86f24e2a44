// Quoting a basket for a member (the points it earns now, and why) and recording the points earned. A card
// the replica does not know, with HQ out of reach, earns too (src-shared/ledger/card-earn.ts): its memberId is
// the card's placeholder, the basket is quoted for the shared stand-in member, and HQ credits the card's
// member with its own figure.
import { basketSchema, type Basket } from '../../src-shared/engine/basket.js';
import type { QuoteMember } from '../../src-shared/engine/conditions.js';
import { quote, type EarnQuote } from '../../src-shared/engine/quote.js';
import { problemsOf } from '../../src-shared/kernel/problems.js';
import { ok, type Result } from '../../src-shared/kernel/result.js';
import { CARD_EARN_QUOTE_MEMBER, cardOfPlaceholder } from '../../src-shared/ledger/card-earn.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { ServiceContext } from './context.js';
import {
  refuseSaying,
  type BasketInput,
  type Operator,
  type Recorded,
  type Refusal,
} from './counter-types.js';
import type { Recorder, RecordingContext } from './recording.js';

export class Earning {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** The points a basket earns for the member now, and why (for a card placeholder: for no member). */
  async quoteEarn(memberId: string, basket: BasketInput): Promise<Result<EarnQuote, Refusal>> {
    if (cardOfPlaceholder(memberId) !== null) {
      const program = await this.ctx.catalog.program();
      if (!program)
        return refuseSaying('no-program', 'no-program', 'No loyalty program has been received from HQ yet');
      const parsed = checkBasket(basket, program);
      if (!parsed.ok) return parsed;
      return ok(quote(parsed.value, CARD_EARN_QUOTE_MEMBER, program, this.ctx.clock.now()));
    }
    const ready = await this.recorder.ready(memberId);
    if (!ready.ok) return ready;
    const parsed = checkBasket(basket, ready.value.program);
    if (!parsed.ok) return parsed;
    return ok(quote(parsed.value, ready.value.shown.member, ready.value.program, this.ctx.clock.now()));
  }

  /** Quotes the basket and records the points earned (against the card, for a card placeholder). */
  recordEarn(
    input: Operator & { memberId: string; basket: BasketInput },
  ): Promise<Result<Recorded<EventOf<'points-earned'>>, Refusal>> {
    if (cardOfPlaceholder(input.memberId) !== null)
      return this.recorder.recordWithoutMember<EventOf<'points-earned'>>((ctx) =>
        this.earnEvent(ctx, input, CARD_EARN_QUOTE_MEMBER),
      );
    return this.recorder.recordFor(input.memberId, (ctx) => {
      if (ctx.shown.member.status !== 'active')
        return refuseSaying(
          'member-inactive',
          'member-inactive-earn',
          `This member account is ${ctx.shown.member.status}: no points`,
          {
            figures: { status: ctx.shown.member.status },
          },
        );
      return this.earnEvent(ctx, input, ctx.shown.member);
    });
  }

  /** The earn of a basket quoted for `member` (the one shown, or the card's stand-in), or why not. */
  private earnEvent(
    ctx: Omit<RecordingContext, 'shown'>,
    input: Operator & { memberId: string; basket: BasketInput },
    member: QuoteMember,
  ): Result<Omit<EventOf<'points-earned'>, 'hash' | 'prevHash' | 'terminalSeq'>, Refusal> {
    const parsed = checkBasket(input.basket, ctx.program);
    if (!parsed.ok) return parsed;
    const q = quote(parsed.value, member, ctx.program, ctx.at);
    return ok({
      ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
      type: 'points-earned',
      payload: {
        basket: q.summary,
        lines: parsed.value.lines,
        points: q.points,
        explanation: q.explanation,
      },
    });
  }
}

/** The basket, valid and in the program's currency, or why not. */
function checkBasket(basket: BasketInput, program: Program): Result<Basket, Refusal> {
  const parsed = basketSchema.safeParse(basket);
  if (!parsed.success)
    return refuseSaying('invalid', 'basket-invalid', 'The basket is not valid', {
      problems: problemsOf(parsed.error, 'basket'),
    });
  if (parsed.data.currency !== program.currency)
    return refuseSaying(
      'invalid',
      'basket-currency',
      `The basket is in ${parsed.data.currency} but the program counts in ${program.currency}`,
      { figures: { basket: parsed.data.currency, program: program.currency } },
    );
  return ok(parsed.data);
}

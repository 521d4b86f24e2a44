// Quoting a basket for a member (the points it earns now, and why) and recording the points earned.
import { basketSchema } from '../../src-shared/engine/basket.js';
import { quote, type EarnQuote } from '../../src-shared/engine/quote.js';
import { problemsOf } from '../../src-shared/kernel/problems.js';
import { ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf } from '../../src-shared/ledger/events.js';
import type { ServiceContext } from './context.js';
import {
  refuseSaying,
  type BasketInput,
  type Operator,
  type Recorded,
  type Refusal,
} from './counter-types.js';
import type { Recorder } from './recording.js';

export class Earning {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly recorder: Recorder,
  ) {}

  /** The points a basket earns for the member now, and why. */
  async quoteEarn(memberId: string, basket: BasketInput): Promise<Result<EarnQuote, Refusal>> {
    const ready = await this.recorder.ready(memberId);
    if (!ready.ok) return ready;
    const parsed = basketSchema.safeParse(basket);
    if (!parsed.success)
      return refuseSaying('invalid', 'basket-invalid', 'The basket is not valid', {
        problems: problemsOf(parsed.error, 'basket'),
      });
    if (parsed.data.currency !== ready.value.program.currency)
      return refuseSaying(
        'invalid',
        'basket-currency',
        `The basket is in ${parsed.data.currency} but the program counts in ${ready.value.program.currency}`,
        { figures: { basket: parsed.data.currency, program: ready.value.program.currency } },
      );
    return ok(quote(parsed.data, ready.value.shown.member, ready.value.program, this.ctx.clock.now()));
  }

  /** Quotes the basket and records the points earned. */
  recordEarn(
    input: Operator & { memberId: string; basket: BasketInput },
  ): Promise<Result<Recorded<EventOf<'points-earned'>>, Refusal>> {
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
      const parsed = basketSchema.safeParse(input.basket);
      if (!parsed.success)
        return refuseSaying('invalid', 'basket-invalid', 'The basket is not valid', {
          problems: problemsOf(parsed.error, 'basket'),
        });
      if (parsed.data.currency !== ctx.program.currency)
        return refuseSaying(
          'invalid',
          'basket-currency',
          `The basket is in ${parsed.data.currency} but the program counts in ${ctx.program.currency}`,
          { figures: { basket: parsed.data.currency, program: ctx.program.currency } },
        );
      const q = quote(parsed.data, ctx.shown.member, ctx.program, ctx.at);
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-earned',
        payload: {
          basket: q.summary,
          lines: parsed.data.lines,
          points: q.points,
          explanation: q.explanation,
        },
      });
    });
  }
}

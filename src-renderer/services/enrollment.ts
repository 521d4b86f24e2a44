// Enrolling a new member (a new UUIDv7 id, the program's welcome bonus) and updating a member's details or
// cards. Phone numbers are normalised with the terminal's country code and kept only as the lookup key main
// derives for them and the last four digits; a card another member holds is refused.
import { ok, type Result } from '../../src-shared/kernel/result.js';
import type { EventOf, UnsealedEvent } from '../../src-shared/ledger/events.js';
import { normalisePhone, phoneLast4 } from '../../src-shared/ledger/phone.js';
import type { ServiceContext } from './context.js';
import {
  refuseSaying,
  type EnrollInput,
  type Recorded,
  type Refusal,
  type UpdateInput,
} from './counter-types.js';
import type { LocalIndex } from './local-index.js';
import { invalid, type Recorder } from './recording.js';
import { PHONE_KEY_MISSING, type ShownMembers } from './shown-members.js';

export class Enrollment {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly members: ShownMembers,
    private readonly recorder: Recorder,
    private readonly index: LocalIndex,
  ) {}

  private async phone(
    raw: string | null | undefined,
  ): Promise<Result<{ hash: string | null; last4: string | null } | undefined, Refusal>> {
    if (raw === undefined) return ok(undefined);
    if (raw === null || raw.trim() === '') return ok({ hash: null, last4: null });
    const normalised = normalisePhone(raw, this.ctx.phoneCountryCode);
    if (!normalised)
      return refuseSaying('invalid', 'phone-invalid', `"${raw}" is not a phone number`, {
        figures: { raw },
        problems: [{ path: 'phone', message: 'not a phone number' }],
      });
    const answer = await this.ctx.phoneLookupKey(normalised);
    if (!answer.ok) return refuseSaying('not-enrolled', 'phone-key-missing', PHONE_KEY_MISSING);
    return ok({ hash: answer.lookupKey, last4: phoneLast4(normalised) });
  }

  /** Refuses cards another member already holds. */
  private async cardsFree(cards: readonly string[], memberId: string | null): Promise<Result<void, Refusal>> {
    for (const card of cards) {
      const holder = await this.members.lookupByCard(card);
      if (holder && holder.member.id !== memberId)
        return refuseSaying(
          'card-in-use',
          holder.member.displayName ? 'card-in-use' : 'card-in-use-unnamed',
          `Card ${card} already belongs to ${holder.member.displayName || 'another member'}`,
          { figures: { card, holder: holder.member.displayName } },
        );
    }
    return ok(undefined);
  }

  /** Enrolls a new member (a new UUIDv7 id, the program's welcome bonus). */
  async recordEnroll(input: EnrollInput): Promise<Result<Recorded<EventOf<'member-enrolled'>>, Refusal>> {
    const { ctx } = this;
    const identity = await ctx.sync.identity();
    if (!identity)
      return refuseSaying('not-enrolled', 'not-enrolled', 'This terminal is not enrolled with HQ yet');
    const program = await ctx.catalog.program();
    if (!program)
      return refuseSaying('no-program', 'no-program', 'No loyalty program has been received from HQ yet');
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 40)
      return refuseSaying('invalid', 'display-name', 'A display name is 1 to 40 characters', {
        problems: [{ path: 'displayName', message: '1 to 40 characters' }],
      });
    const phone = await this.phone(input.phone);
    if (!phone.ok) return phone;
    const cards = [...new Set((input.cards ?? []).map((c) => c.trim()).filter((c) => c.length > 0))];
    const free = await this.cardsFree(cards, null);
    if (!free.ok) return free;
    const memberId = ctx.newId();
    const at = ctx.clock.now();
    const recorded = await ctx.ledger
      .record<Refusal>(() =>
        Promise.resolve(
          ok({
            id: ctx.newId(),
            memberId,
            terminalId: identity.terminalId,
            storeId: identity.storeId,
            cashierId: input.cashierId,
            occurredAt: new Date(at).toISOString(),
            programVersion: program.version,
            type: 'member-enrolled',
            payload: {
              displayName,
              phoneHash: phone.value?.hash ?? null,
              phoneLast4: phone.value?.last4 ?? null,
              birthMonth: input.birthMonth ?? null,
              cards,
              referredBy: input.referredBy ?? null,
              welcomeBonus: program.bonuses.welcome,
              profile: input.profile ?? null,
            },
          } satisfies UnsealedEvent),
        ),
      )
      .catch((error: unknown) => invalid(error));
    if (!recorded.ok) return recorded;
    const event = recorded.value as EventOf<'member-enrolled'>;
    await this.index.indexLocalEvent(event, program);
    return ok({ event, member: await this.members.member(memberId) });
  }

  /** Updates a member's details or cards. */
  recordUpdate(input: UpdateInput): Promise<Result<Recorded<EventOf<'member-updated'>>, Refusal>> {
    return this.recorder.recordFor(input.memberId, async (ctx) => {
      const phone = await this.phone(input.phone);
      if (!phone.ok) return phone;
      const addCards = input.addCards?.map((c) => c.trim()).filter((c) => c.length > 0);
      if (addCards) {
        const free = await this.cardsFree(addCards, input.memberId);
        if (!free.ok) return free;
      }
      const payload: EventOf<'member-updated'>['payload'] = {};
      if (input.displayName !== undefined) payload.displayName = input.displayName.trim();
      if (phone.value) {
        payload.phoneHash = phone.value.hash;
        payload.phoneLast4 = phone.value.last4;
      }
      if (input.birthMonth !== undefined) payload.birthMonth = input.birthMonth;
      if (addCards && addCards.length > 0) payload.addCards = addCards;
      if (input.removeCards && input.removeCards.length > 0) payload.removeCards = input.removeCards;
      if (input.status !== undefined) payload.status = input.status;
      if (Object.keys(payload).length === 0)
        return refuseSaying('invalid', 'nothing-to-change', 'Nothing to change');
      return ok({
        ...this.recorder.envelope(ctx, input.cashierId, input.memberId),
        type: 'member-updated',
        payload,
      });
    });
  }
}

// What the cashier UI calls: find a member, quote an earn, and record earn, redeem, enroll, update, adjust
// and void as ledger events. Everything works with HQ out of reach; redemption follows the offline policy
// (DESIGN.md section 5) and its bound per offline period (src-shared/engine/offline-bound.ts).
//
// The member shown is HQ's member document plus this terminal's events HQ has not posted into it yet
// (memberWithPending, DESIGN.md section 4), right whichever of the two arrives first.
//
// Manager approvals (adjust, void, a redemption override above the offline allowance) take a `managerId`:
// the UI verifies the manager's PIN against the replicated scrypt hash (src-shared/kernel/pin.ts) before
// calling. This layer only checks that the id names a manager of this store in the replica.
import type { z } from 'zod';
import { basketSchema } from '../../src-shared/engine/basket.js';
import type { ReplicaMode } from '../../src-shared/engine/offline.js';
import { quote, type EarnQuote } from '../../src-shared/engine/quote.js';
import {
  checkRedemption,
  type RedemptionApproval,
  type RedemptionRefusalReason,
} from '../../src-shared/engine/redemption.js';
import type { OfflineState } from '../../src-shared/engine/offline.js';
import { offlineUsedInPeriod, type OfflinePeriod } from '../../src-shared/engine/offline-bound.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { applyEvent } from '../../src-shared/ledger/apply-event.js';
import { problemsOf, type Problem } from '../../src-shared/kernel/problems.js';
import { err, ok, type Result } from '../../src-shared/kernel/result.js';
import {
  adjustmentReasons,
  voidableEventSchema,
  type EventOf,
  type LedgerEvent,
  type UnsealedEvent,
} from '../../src-shared/ledger/events.js';
import { netPoints, type Member } from '../../src-shared/ledger/member.js';
import {
  isPending,
  memberWithPending,
  type LocalEvent,
  type ShownBalance,
} from '../../src-shared/ledger/pending.js';
import { normalisePhone, phoneHash, phoneLast4 } from '../../src-shared/ledger/phone.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { CatalogReader, ReplicaMember } from './catalog.js';
import type { CatalogDatabase } from './databases.js';
import { NOT_COUNTED, type Ledger } from './ledger.js';
import { provisionalRow } from './rows.js';
import type { TerminalSync } from './sync.js';

export type BasketInput = z.input<typeof basketSchema>;

/** A member as the counter shows them. */
export interface ShownMember {
  /** HQ's member with this terminal's pending events applied: what the cashier sees. */
  member: Member;
  /** HQ's member document as pulled; null for a member enrolled here that HQ has not sent back yet. */
  hq: Member | null;
  /** Enrolled at this terminal and not yet received from HQ. */
  provisional: boolean;
  /** Net points: HQ's confirmed figure, what pending events add, and the total shown. */
  balance: ShownBalance;
  /** This terminal's events HQ has not posted into the member yet. */
  pendingEvents: number;
}

export type RefusalReason =
  | RedemptionRefusalReason
  | 'not-enrolled'
  | 'no-program'
  | 'member-unknown'
  | 'member-inactive'
  | 'invalid'
  | 'card-in-use'
  | 'manager-required'
  | 'event-unknown'
  | 'not-voidable'
  | 'already-voided';

/** Why the terminal did not record something, in words for the cashier. */
export interface Refusal {
  reason: RefusalReason;
  message: string;
  /** Input problems by path (reason `invalid`). */
  problems?: Problem[];
  /** Redemption refusals: the points needed and available. */
  cost?: number;
  available?: number;
}

/** A recorded event and the member as shown after it. */
export interface Recorded<E extends LedgerEvent = LedgerEvent> {
  event: E;
  member: ShownMember | null;
}

/** Who is at the counter: the cashier signed in. */
export interface Operator {
  cashierId: string;
}

export interface RedeemInput extends Operator {
  memberId: string;
  rewardId: string;
  quantity?: number;
  /** A manager who approved points above the offline allowance (PIN verified by the UI). */
  override?: { managerId: string } | null;
}

export interface EnrollInput extends Operator {
  /** First name and initial, as shown at the counter (at most 40 characters). */
  displayName: string;
  /** The phone number as typed; normalised with the terminal's country code. */
  phone?: string | null;
  birthMonth?: number | null;
  cards?: string[];
  referredBy?: string | null;
  /** Contact details for HQ only; never kept in the replica. */
  profile?: EventOf<'member-enrolled'>['payload']['profile'];
}

export interface UpdateInput extends Operator {
  memberId: string;
  displayName?: string;
  /** A new phone number as typed, or null to remove it. */
  phone?: string | null;
  birthMonth?: number | null;
  addCards?: string[];
  removeCards?: string[];
  status?: Member['status'];
}

export interface AdjustInput extends Operator {
  memberId: string;
  managerId: string;
  points: number;
  reasonCode: (typeof adjustmentReasons)[number];
  note?: string | null;
}

export interface VoidInput extends Operator {
  /** One of this terminal's earn, redeem, adjust or bonus events. */
  eventId: string;
  managerId: string;
  reason: string;
}

export interface ServicesOptions {
  catalog: CatalogReader;
  catalogDb: CatalogDatabase;
  ledger: Ledger;
  sync: TerminalSync;
  clock: Clock;
  /** Makes event and member ids (UUIDv7). */
  newId: () => string;
  /** Country calling code for phone numbers typed without one, e.g. `33`. */
  phoneCountryCode: string;
}

const refuse = (reason: RefusalReason, message: string, extra: Partial<Refusal> = {}) =>
  err<Refusal>({ reason, message, ...extra });

/**
 * Points this terminal redeemed offline for the member that HQ has not counted yet: what HQ's allowance in
 * the replica does not know about when a new offline period starts.
 */
export function usedOfflinePoints(hq: Member | null, events: readonly LocalEvent[]): number {
  let used = 0;
  for (const e of events) {
    if (e.event.type !== 'points-redeemed' || e.event.payload.mode !== 'offline') continue;
    if (isPending(hq, e)) used += e.event.payload.cost;
  }
  return used;
}

export class TerminalServices {
  private readonly catalog: CatalogReader;
  private readonly catalogDb: CatalogDatabase;
  private readonly ledger: Ledger;
  private readonly sync: TerminalSync;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly phoneCountryCode: string;

  constructor(options: ServicesOptions) {
    this.catalog = options.catalog;
    this.catalogDb = options.catalogDb;
    this.ledger = options.ledger;
    this.sync = options.sync;
    this.clock = options.clock;
    this.newId = options.newId;
    this.phoneCountryCode = options.phoneCountryCode;
  }

  // ---- members ---------------------------------------------------------------------------------------

  private async show(found: ReplicaMember | null, memberId: string): Promise<ShownMember | null> {
    const events = await this.ledger.countedForMember(memberId);
    const program = await this.catalog.program();
    const base = found?.member ?? null;
    const hq = found && !found.provisional ? found.member : null;
    if (!program) {
      if (!base) return null;
      const net = base.balance - base.debt;
      return {
        member: base,
        hq,
        provisional: found?.provisional ?? false,
        balance: { confirmed: net, pending: 0, total: net },
        pendingEvents: events.filter((e) => isPending(base, e)).length,
      };
    }
    const member = memberWithPending(base, events, program, memberId);
    if (!member) return null;
    // A provisional member is this terminal's own projection: nothing of it is confirmed by HQ.
    const confirmed = hq ? netPoints(hq) : 0;
    const total = netPoints(member);
    return {
      member,
      hq,
      provisional: found?.provisional ?? false,
      balance: { confirmed, pending: total - confirmed, total },
      pendingEvents: events.filter((e) => isPending(hq, e)).length,
    };
  }

  /** The member as shown at the counter, or null when neither HQ nor this terminal knows them. */
  async member(memberId: string): Promise<ShownMember | null> {
    return this.show(await this.catalog.member(memberId), memberId);
  }

  /** The member holding a card, or null. */
  async lookupByCard(number: string): Promise<ShownMember | null> {
    const card = number.trim();
    if (card.length === 0) return null;
    const owner = await this.catalog.cardOwner(card);
    if (!owner) return null;
    const shown = await this.member(owner);
    return shown && shown.member.cards.includes(card) ? shown : null;
  }

  /** Members with this phone number (normalised with the terminal's country code, matched by hash). */
  async lookupByPhone(raw: string): Promise<Result<ShownMember[], Refusal>> {
    const normalised = normalisePhone(raw, this.phoneCountryCode);
    if (!normalised) return refuse('invalid', `"${raw}" is not a phone number`);
    const hash = phoneHash(normalised);
    const found = await this.catalog.membersByPhoneHash(hash);
    const shown = await this.showAll(found);
    return ok(shown.filter((m) => m.member.phoneHash === hash));
  }

  /** Members whose display name starts with the prefix (case and accents ignored), by name. */
  async lookupByName(prefix: string, limit = 20): Promise<ShownMember[]> {
    return this.showAll(await this.catalog.membersByNamePrefix(prefix, limit));
  }

  private async showAll(found: readonly ReplicaMember[]): Promise<ShownMember[]> {
    const shown = await Promise.all(found.map((f) => this.show(f, f.member.id)));
    return shown.filter((m): m is ShownMember => m !== null);
  }

  // ---- quote and earn ----------------------------------------------------------------------------------

  /** The points a basket earns for the member now, and why. */
  async quoteEarn(memberId: string, basket: BasketInput): Promise<Result<EarnQuote, Refusal>> {
    const ready = await this.ready(memberId);
    if (!ready.ok) return ready;
    const parsed = basketSchema.safeParse(basket);
    if (!parsed.success)
      return refuse('invalid', 'The basket is not valid', { problems: problemsOf(parsed.error, 'basket') });
    if (parsed.data.currency !== ready.value.program.currency)
      return refuse(
        'invalid',
        `The basket is in ${parsed.data.currency} but the program counts in ${ready.value.program.currency}`,
      );
    return ok(quote(parsed.data, ready.value.shown.member, ready.value.program, this.clock.now()));
  }

  /** Quotes the basket and records the points earned. */
  recordEarn(
    input: Operator & { memberId: string; basket: BasketInput },
  ): Promise<Result<Recorded<EventOf<'points-earned'>>, Refusal>> {
    return this.recordFor(input.memberId, async (ctx) => {
      if (ctx.shown.member.status !== 'active')
        return refuse('member-inactive', `This member account is ${ctx.shown.member.status}: no points`);
      const parsed = basketSchema.safeParse(input.basket);
      if (!parsed.success)
        return refuse('invalid', 'The basket is not valid', { problems: problemsOf(parsed.error, 'basket') });
      if (parsed.data.currency !== ctx.program.currency)
        return refuse(
          'invalid',
          `The basket is in ${parsed.data.currency} but the program counts in ${ctx.program.currency}`,
        );
      const q = quote(parsed.data, ctx.shown.member, ctx.program, ctx.at);
      return ok({
        ...this.envelope(ctx, input.cashierId, input.memberId),
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

  // ---- redeem ------------------------------------------------------------------------------------------

  /** The offline state for a member: online when HQ is reachable, else the replica mode and the bound's figures. */
  async offlineState(memberId: string): Promise<OfflineState> {
    return (await this.offlineContext(memberId)).state;
  }

  /**
   * The offline period this terminal is in (offline-bound.ts) and where the member stands in it. The period
   * starts at the last complete pull (persisted, so a restart during an outage keeps it) and ends at the next.
   * Its allowance is fixed by the period's first offline redemption: HQ's figure in the replica then, less
   * this terminal's offline redemptions of earlier periods HQ has not counted yet (a pull that succeeded
   * while a push did not); later redemptions of the period carry the same.
   */
  private async offlineContext(
    memberId: string,
  ): Promise<{ state: OfflineState; period: OfflinePeriod | null }> {
    const status = this.sync.snapshot();
    if (status.online) return { state: { online: true }, period: null };
    const mode: ReplicaMode = status.replica?.mode ?? 'expired';
    if (status.lastPullAt === null)
      return { state: { online: false, mode, allowance: 0, usedOffline: 0 }, period: null };
    const since = new Date(status.lastPullAt).toISOString();
    const events = await this.ledger.countedForMember(memberId);
    const redemptions = events.flatMap((e) => (e.event.type === 'points-redeemed' ? [e.event.payload] : []));
    const fixed = redemptions.find((r) => r.mode === 'offline' && r.offlinePeriod?.since === since);
    let allowance = fixed?.offlinePeriod?.allowance;
    if (allowance === undefined) {
      const found = await this.catalog.member(memberId);
      const hq = found && !found.provisional ? found.member : null;
      // A member HQ has not sent yet has no allowance: only a manager's override.
      allowance = Math.max(0, (hq?.offlineAllowance ?? 0) - usedOfflinePoints(hq, events));
    }
    const usedOffline = offlineUsedInPeriod(redemptions, since);
    return { state: { online: false, mode, allowance, usedOffline }, period: { since, allowance } };
  }

  /** Whether the member may redeem the reward now (and with which mode and override). */
  async checkRedeem(input: Omit<RedeemInput, 'cashierId'>): Promise<Result<RedemptionApproval, Refusal>> {
    const ready = await this.ready(input.memberId);
    if (!ready.ok) return ready;
    const checked = await this.checkWith(ready.value, input, this.clock.now());
    return checked.ok ? ok(checked.value.approval) : checked;
  }

  private async checkWith(
    ctx: { program: Program; shown: ShownMember },
    input: Omit<RedeemInput, 'cashierId'>,
    at: number,
  ): Promise<Result<{ approval: RedemptionApproval; period: OfflinePeriod | null }, Refusal>> {
    if (input.override) {
      const manager = await this.manager(input.override.managerId);
      if (!manager.ok) return manager;
    }
    // Offline, the bound comes from the period (HQ's allowance at its start), not the projection's figure.
    const { state, period } = await this.offlineContext(input.memberId);
    const checked = checkRedemption({
      rewardId: input.rewardId,
      quantity: input.quantity ?? 1,
      member: ctx.shown.member,
      program: ctx.program,
      offline: state,
      at,
      override: input.override ?? null,
    });
    if (!checked.ok) return err({ ...checked.error });
    return ok({ approval: checked.value, period });
  }

  /** Checks the redemption (offline policy included) and records it; offline, with its offline period. */
  recordRedeem(input: RedeemInput): Promise<Result<Recorded<EventOf<'points-redeemed'>>, Refusal>> {
    return this.recordFor(input.memberId, async (ctx) => {
      const checked = await this.checkWith(ctx, input, ctx.at);
      if (!checked.ok) return checked;
      const { approval: a, period } = checked.value;
      return ok({
        ...this.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-redeemed',
        payload: {
          rewardId: a.reward.id,
          quantity: a.quantity,
          cost: a.cost,
          mode: a.mode,
          override: a.override,
          ...(a.mode === 'offline' && period ? { offlinePeriod: period } : {}),
        },
      });
    });
  }

  // ---- enroll and update -------------------------------------------------------------------------------

  private phone(
    raw: string | null | undefined,
  ): Result<{ hash: string | null; last4: string | null } | undefined, Refusal> {
    if (raw === undefined) return ok(undefined);
    if (raw === null || raw.trim() === '') return ok({ hash: null, last4: null });
    const normalised = normalisePhone(raw, this.phoneCountryCode);
    if (!normalised)
      return refuse('invalid', `"${raw}" is not a phone number`, {
        problems: [{ path: 'phone', message: 'not a phone number' }],
      });
    return ok({ hash: phoneHash(normalised), last4: phoneLast4(normalised) });
  }

  /** Refuses cards another member already holds. */
  private async cardsFree(cards: readonly string[], memberId: string | null): Promise<Result<void, Refusal>> {
    for (const card of cards) {
      const holder = await this.lookupByCard(card);
      if (holder && holder.member.id !== memberId)
        return refuse(
          'card-in-use',
          `Card ${card} already belongs to ${holder.member.displayName || 'another member'}`,
        );
    }
    return ok(undefined);
  }

  /** Enrolls a new member (a new UUIDv7 id, the program's welcome bonus). */
  async recordEnroll(input: EnrollInput): Promise<Result<Recorded<EventOf<'member-enrolled'>>, Refusal>> {
    const identity = await this.sync.identity();
    if (!identity) return refuse('not-enrolled', 'This terminal is not enrolled with HQ yet');
    const program = await this.catalog.program();
    if (!program) return refuse('no-program', 'No loyalty program has been received from HQ yet');
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 40)
      return refuse('invalid', 'A display name is 1 to 40 characters', {
        problems: [{ path: 'displayName', message: '1 to 40 characters' }],
      });
    const phone = this.phone(input.phone);
    if (!phone.ok) return phone;
    const cards = [...new Set((input.cards ?? []).map((c) => c.trim()).filter((c) => c.length > 0))];
    const free = await this.cardsFree(cards, null);
    if (!free.ok) return free;
    const memberId = this.newId();
    const at = this.clock.now();
    const recorded = await this.ledger
      .record<Refusal>(() =>
        Promise.resolve(
          ok({
            id: this.newId(),
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
      .catch((error: unknown) => this.invalid(error));
    if (!recorded.ok) return recorded;
    const event = recorded.value as EventOf<'member-enrolled'>;
    await this.indexLocalEvent(event, program);
    return ok({ event, member: await this.member(memberId) });
  }

  /** Updates a member's details or cards. */
  recordUpdate(input: UpdateInput): Promise<Result<Recorded<EventOf<'member-updated'>>, Refusal>> {
    return this.recordFor(input.memberId, async (ctx) => {
      const phone = this.phone(input.phone);
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
      if (Object.keys(payload).length === 0) return refuse('invalid', 'Nothing to change');
      return ok({
        ...this.envelope(ctx, input.cashierId, input.memberId),
        type: 'member-updated',
        payload,
      });
    });
  }

  // ---- manager actions ---------------------------------------------------------------------------------

  private async manager(managerId: string): Promise<Result<void, Refusal>> {
    const cashier = await this.catalog.cashier(managerId);
    if (!cashier || cashier.role !== 'manager')
      return refuse('manager-required', 'This needs a manager of this store');
    return ok(undefined);
  }

  /** Adds or takes away points with a reason code (manager). */
  recordAdjust(input: AdjustInput): Promise<Result<Recorded<EventOf<'points-adjusted'>>, Refusal>> {
    return this.recordFor(input.memberId, async (ctx) => {
      const manager = await this.manager(input.managerId);
      if (!manager.ok) return manager;
      if (!Number.isSafeInteger(input.points) || input.points === 0)
        return refuse('invalid', 'An adjustment is a whole number of points, never zero', {
          problems: [{ path: 'points', message: 'a non-zero integer' }],
        });
      if (!adjustmentReasons.includes(input.reasonCode))
        return refuse('invalid', `Unknown reason code "${input.reasonCode}"`);
      return ok({
        ...this.envelope(ctx, input.cashierId, input.memberId),
        type: 'points-adjusted',
        payload: {
          points: input.points,
          reasonCode: input.reasonCode,
          managerId: input.managerId,
          note: input.note ?? null,
        },
      });
    });
  }

  /** Voids (refunds) one of this terminal's earn, redeem, adjust or bonus events (manager). */
  async recordVoid(input: VoidInput): Promise<Result<Recorded<EventOf<'event-voided'>>, Refusal>> {
    const original = await this.ledger.byId(input.eventId);
    if (!original) return refuse('event-unknown', 'This terminal has no such transaction');
    return this.recordFor(original.memberId, async (ctx) => {
      const manager = await this.manager(input.managerId);
      if (!manager.ok) return manager;
      if (NOT_COUNTED.includes(original.status))
        return refuse('not-voidable', `This transaction was not accepted by HQ (${original.status})`);
      const voidable = voidableEventSchema.safeParse(original.event);
      if (!voidable.success)
        return refuse('not-voidable', 'Only earned, redeemed, adjusted or bonus points can be voided');
      const events = await this.ledger.forMember(original.memberId);
      const voided = events.some(
        (e) =>
          e.event.type === 'event-voided' &&
          e.event.payload.original.id === original.id &&
          !NOT_COUNTED.includes(e.status),
      );
      if (voided) return refuse('already-voided', 'This transaction was already voided');
      const reason = input.reason.trim();
      if (reason.length === 0 || reason.length > 200)
        return refuse('invalid', 'A void needs a reason (at most 200 characters)');
      return ok({
        ...this.envelope(ctx, input.cashierId, original.memberId),
        type: 'event-voided',
        payload: { original: voidable.data, reason, managerId: input.managerId },
      });
    });
  }

  // ---- recording ---------------------------------------------------------------------------------------

  private async ready(memberId: string): Promise<Result<{ program: Program; shown: ShownMember }, Refusal>> {
    const program = await this.catalog.program();
    if (!program) return refuse('no-program', 'No loyalty program has been received from HQ yet');
    const shown = await this.member(memberId);
    if (!shown) return refuse('member-unknown', 'This member is not known at this terminal');
    return ok({ program, shown });
  }

  private envelope(
    ctx: { identity: { terminalId: string; storeId: string }; at: number; program: Program },
    cashierId: string,
    memberId: string,
  ) {
    return {
      id: this.newId(),
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
  private async recordFor<E extends LedgerEvent>(
    memberId: string,
    make: (ctx: {
      identity: { terminalId: string; storeId: string };
      program: Program;
      shown: ShownMember;
      at: number;
    }) => Promise<Result<Omit<E, 'hash' | 'prevHash' | 'terminalSeq'>, Refusal>>,
  ): Promise<Result<Recorded<E>, Refusal>> {
    const identity = await this.sync.identity();
    if (!identity) return refuse('not-enrolled', 'This terminal is not enrolled with HQ yet');
    let before: { program: Program; shown: ShownMember } | null = null;
    const recorded = await this.ledger
      .record<Refusal>(async () => {
        const ready = await this.ready(memberId);
        if (!ready.ok) return ready;
        before = ready.value;
        const made = await make({ identity, ...ready.value, at: this.clock.now() });
        return made.ok ? ok(made.value as unknown as UnsealedEvent) : made;
      })
      .catch((error: unknown) => this.invalid(error));
    if (!recorded.ok) return recorded;
    const event = recorded.value as E;
    const ctx = before as { program: Program; shown: ShownMember } | null;
    if (!ctx) return ok({ event, member: await this.member(memberId) });
    await this.indexLocalEvent(event, ctx.program);
    return ok({ event, member: withEvent(ctx.shown, event, ctx.program) });
  }

  /** An event the schema refused (sealEvent throws a ZodError): the input was invalid. */
  private invalid(error: unknown): Result<never, Refusal> {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (!Array.isArray(issues)) throw error;
    return refuse('invalid', 'The input is not valid', {
      problems: issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }

  /**
   * After a recording: the card index and, for a member HQ has not sent yet, the provisional member
   * document, so lookups find what this terminal just did. Best effort (the event is already committed);
   * repaired on the next start from the events HQ has not answered for.
   */
  async indexLocalEvent(event: LedgerEvent, program: Program): Promise<void> {
    const { cards, members } = this.catalogDb;
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
      const events = await this.ledger.countedForMember(event.memberId);
      const projected = memberWithPending(null, events, program, event.memberId);
      if (!projected) return;
      if (existing) await existing.incrementalPatch(provisionalRow(projected));
      else await members.insert(provisionalRow(projected));
    } catch {
      // A failed index write is repaired on the next start (repairLocalIndex); the event is safe.
    }
  }

  /** Re-applies the card index and provisional members for events HQ has not answered for yet. */
  async repairLocalIndex(): Promise<void> {
    const program = await this.catalog.program();
    if (!program) return;
    const local = await this.ledger.withStatus('local');
    for (const row of local) {
      if (row.type === 'member-enrolled' || row.type === 'member-updated')
        await this.indexLocalEvent(row.event, program);
    }
  }
}

/** The member shown after one more (pending) event of this terminal. */
function withEvent(shown: ShownMember, event: LedgerEvent, program: Program): ShownMember {
  const member = applyEvent(shown.member, event, program);
  const total = netPoints(member);
  return {
    ...shown,
    member,
    balance: { confirmed: shown.balance.confirmed, pending: total - shown.balance.confirmed, total },
    pendingEvents: shown.pendingEvents + 1,
  };
}

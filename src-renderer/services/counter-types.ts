// What the counter services take and give: the member as shown, the inputs of each recording, and the
// refusals in words for the cashier.
import type { z } from 'zod';
import type { ActionRefusal } from '../../src-shared/engine/actions.js';
import type { basketSchema } from '../../src-shared/engine/basket.js';
import type { PlanRefusal } from '../../src-shared/engine/plans.js';
import type { RedemptionRefusalReason } from '../../src-shared/engine/redemption.js';
import type { Problem, RefusalFigures } from '../../src-shared/kernel/problems.js';
import { err } from '../../src-shared/kernel/result.js';
import type { adjustmentReasons, EventOf, LedgerEvent } from '../../src-shared/ledger/events.js';
import type { ReturnRefusalReason } from '../../src-shared/ledger/returns.js';
import type { VoidRefusalReason } from '../../src-shared/ledger/voids.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { ShownBalance } from '../../src-shared/ledger/pending.js';

export type BasketInput = z.input<typeof basketSchema>;

/** A member as the counter shows them. */
export interface ShownMember {
  /**
   * HQ's member with this terminal's pending events applied, and the store's other tills' events HQ has
   * not counted yet (received over the LAN, issue 16): what the cashier sees.
   */
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
  | 'already-voided'
  // Selling a plan, awarding an action (src-shared/engine/plans.ts, actions.ts).
  | PlanRefusal['reason']
  | ActionRefusal['reason']
  // Returns (services/returns.ts): the sale may not be returned (voided, refused by HQ), or not that many.
  | 'not-returnable'
  | 'beyond-quantity';

/** Why the terminal did not record something, in words for the cashier. */
export interface Refusal {
  reason: RefusalReason;
  message: string;
  /** Input problems by path (reason `invalid`). */
  problems?: Problem[];
  /** Redemption refusals: the points needed and available. */
  cost?: number;
  available?: number;
  /**
   * Which words say it at the counter (i18n/refusals.ts), where one reason has several messages: the
   * counter's own (`counter.void-reason`) or a shared rule's reason (`redemption.tier-only`).
   */
  say?: RefusalSaying;
  /** The figures the message names, for those words in the store's language. */
  figures?: RefusalFigures;
}

/** The counter services' own refusals, one per message (English in `message`, every language in i18n). */
export const counterSayings = [
  'no-program',
  'member-unknown',
  'card-earn-only',
  'not-enrolled',
  'input-invalid',
  'basket-invalid',
  'basket-currency',
  'member-inactive-earn',
  'phone-invalid',
  'phone-key-missing',
  'card-in-use',
  'card-in-use-unnamed',
  'display-name',
  'nothing-to-change',
  'adjust-zero',
  'adjust-reason-code',
  'manager-required',
  'void-event-unknown',
  'void-already',
  'void-not-counted',
  'void-not-voidable',
  'void-reason',
  'return-event-unknown',
  'return-reason',
  'return-program',
  'return-voided',
  'return-not-counted',
  'return-not-returnable',
  'all-returned',
] as const;
export type CounterSaying = (typeof counterSayings)[number];

/** Every refusal the counter can word: its own, and each shared rule's reasons. */
export type RefusalSaying =
  | `counter.${CounterSaying}`
  | `redemption.${RedemptionRefusalReason}`
  | `plan.${PlanRefusal['reason']}`
  | `action.${ActionRefusal['reason']}`
  | `return.${ReturnRefusalReason}`
  | `void.${VoidRefusalReason}`;

export const refuse = (reason: RefusalReason, message: string, extra: Partial<Refusal> = {}) =>
  err<Refusal>({ reason, message, ...extra });

/** A counter refusal with its words: `say` is one of counterSayings, `figures` what its message names. */
export const refuseSaying = (
  reason: RefusalReason,
  say: CounterSaying,
  message: string,
  extra: Partial<Refusal> = {},
) => err<Refusal>({ reason, message, say: `counter.${say}`, ...extra });

/**
 * What a card scan finds: the member holding it, or nobody here, with whether the sale's points may be
 * recorded against the card for HQ to credit its member (HQ out of reach: src-shared/ledger/card-earn.ts).
 */
export type CardLookup<M> = { member: M } | { member: null; earnOnCard: boolean };

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
  /** A manager who approved points above the offline allowance (PIN checked by main). */
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

export interface PlanJoinInput extends Operator {
  memberId: string;
  /** One of the program's plans; the fee and the end come from the program, never from the screen. */
  planId: string;
}

export interface ActionAwardInput extends Operator {
  memberId: string;
  /** One of the program's actions; its points come from the program, never from the screen. */
  actionId: string;
}

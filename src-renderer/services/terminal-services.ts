// What the cashier UI calls: find and watch a member, quote an earn, and record earn, redeem, enroll,
// update, adjust, void, a plan sold and an action bonus as ledger events; the store's staff, the product
// categories and the member's voidable transactions. Everything works with HQ out of reach; redemption
// follows the offline policy (docs/architecture.md section 5) and its bound per offline period
// (src-shared/engine/offline-bound.ts).
//
// One object for the UI, each concern in its own file: shown-members.ts, earn.ts, redeem.ts (with
// offline-allowance.ts), enrollment.ts, adjustments.ts, voids.ts, plans.ts, actions.ts, staff.ts,
// categories.ts; every recording goes through recording.ts and local-index.ts. Components and hooks reach
// the data only through here.
import { map, type Observable } from 'rxjs';
import type { OfflineState } from '../../src-shared/engine/offline.js';
import type { StoreOfflineBound } from '../../src-shared/engine/store-bound.js';
import type { EarnQuote } from '../../src-shared/engine/quote.js';
import type { RedemptionApproval } from '../../src-shared/engine/redemption.js';
import type { Result } from '../../src-shared/kernel/result.js';
import { cardEarnMemberId } from '../../src-shared/ledger/card-earn.js';
import type { EventOf, LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { Product } from '../db/catalog.js';
import type { EventRow } from '../db/schemas.js';
import { Actions } from './actions.js';
import { Adjustments } from './adjustments.js';
import { categoriesOf } from './categories.js';
import type { ServiceContext, ServicesOptions } from './context.js';
import type {
  ActionAwardInput,
  CardLookup,
  AdjustInput,
  BasketInput,
  EnrollInput,
  Operator,
  PlanJoinInput,
  Recorded,
  RedeemInput,
  Refusal,
  ShownMember,
  UpdateInput,
  VoidInput,
} from './counter-types.js';
import { Earning } from './earn.js';
import { Enrollment } from './enrollment.js';
import { LocalIndex } from './local-index.js';
import { OnlineLookup } from './online-lookup.js';
import { PeerEvents } from './peer-events.js';
import { Plans } from './plans.js';
import { Recorder } from './recording.js';
import { Redeeming } from './redeem.js';
import { ShownMembers, type MemberRead } from './shown-members.js';
import { staff$, type Staff } from './staff.js';
import { Returns, type ReturnCandidate, type ReturnInput } from './returns.js';
import { Voids, type VoidCandidate } from './voids.js';

export class TerminalServices {
  private readonly ctx: ServiceContext;
  /** The country phone numbers typed without their international prefix are read in (the store's). */
  readonly phoneCountry: string;
  private readonly members: ShownMembers;
  private readonly index: LocalIndex;
  private readonly online: OnlineLookup;
  private readonly earning: Earning;
  private readonly redeeming: Redeeming;
  private readonly enrollment: Enrollment;
  private readonly adjustments: Adjustments;
  private readonly voids: Voids;
  private readonly returns: Returns;
  private readonly plans: Plans;
  private readonly actions: Actions;

  constructor(options: ServicesOptions) {
    this.ctx = { ...options, peers: new PeerEvents(options.lan ?? null) };
    this.phoneCountry = options.phoneCountryCode;
    this.members = new ShownMembers(this.ctx);
    this.index = new LocalIndex(this.ctx);
    this.online = new OnlineLookup(this.ctx, this.index);
    const recorder = new Recorder(this.ctx, this.members, this.index);
    this.earning = new Earning(this.ctx, recorder);
    this.redeeming = new Redeeming(this.ctx, recorder);
    this.enrollment = new Enrollment(this.ctx, this.members, recorder, this.index);
    this.adjustments = new Adjustments(this.ctx, recorder);
    this.voids = new Voids(this.ctx, recorder);
    this.returns = new Returns(this.ctx, recorder);
    this.plans = new Plans(recorder);
    this.actions = new Actions(recorder);
  }

  // ---- members ---------------------------------------------------------------------------------------

  /** The member as shown at the counter, or null when neither HQ nor this terminal knows them. */
  member(memberId: string): Promise<ShownMember | null> {
    return this.members.member(memberId);
  }

  /** The member, kept current as HQ's document and this terminal's events for them change. */
  member$(memberId: string): Observable<MemberRead> {
    return this.members.member$(memberId);
  }

  /**
   * The member holding a card, or null. A card the replica does not know is asked of HQ while it is
   * reachable (a member outside this store's scope), and the member kept (online-lookup.ts).
   */
  async lookupByCard(number: string): Promise<ShownMember | null> {
    const local = await this.members.lookupByCard(number);
    if (local) return local;
    return (await this.online.keepByCard(number)) ? this.members.lookupByCard(number) : null;
  }

  /**
   * The member holding a card, or, when neither the replica nor HQ answers one, whether the sale's points may
   * be recorded against the card (src-shared/ledger/card-earn.ts): only when HQ could not be asked (offline,
   * or no answer) and the card can carry a placeholder. A card HQ answered it does not know only enrolls.
   */
  async lookupCard(number: string): Promise<CardLookup<ShownMember>> {
    const local = await this.members.lookupByCard(number);
    if (local) return { member: local };
    const asked = await this.online.askByCard(number);
    const kept = asked === 'kept' ? await this.members.lookupByCard(number) : null;
    if (kept) return { member: kept };
    return { member: null, earnOnCard: asked === 'unreachable' && cardEarnMemberId(number) !== null };
  }

  /**
   * Members with this phone number (normalised with the terminal's country code, matched by hash); when the
   * replica has none, asked of HQ while it is reachable and kept (online-lookup.ts).
   */
  async lookupByPhone(raw: string): Promise<Result<ShownMember[], Refusal>> {
    const local = await this.members.lookupByPhone(raw);
    if (!local.ok || local.value.length > 0) return local;
    return (await this.online.keepByPhone(raw)) ? this.members.lookupByPhone(raw) : local;
  }

  /** Members whose display name starts with the prefix (case and accents ignored), by name. */
  lookupByName(prefix: string, limit = 20): Promise<ShownMember[]> {
    return this.members.lookupByName(prefix, limit);
  }

  // ---- the catalog -----------------------------------------------------------------------------------

  /** The current program (null before HQ sent one), again whenever it changes. */
  get program$(): Observable<Program | null> {
    return this.ctx.catalog.program$;
  }

  /** The current program now. */
  currentProgram(): Program | null {
    return this.ctx.catalog.program$.value;
  }

  /** A product by GTIN (a scanned barcode) or by SKU. */
  product(code: string): Promise<Product | null> {
    return this.ctx.catalog.product(code);
  }

  // ---- the counter's lists ---------------------------------------------------------------------------

  /** The staff of a store (everyone in the replica while the store is not known), by name, kept current. */
  staff$(storeId: string | null): Observable<Staff[]> {
    return staff$(this.ctx.catalog, storeId);
  }

  /** The distinct categories of the replicated products, sorted (for keyed amounts). */
  async categories(): Promise<string[]> {
    return categoriesOf((await this.ctx.catalog.productCategories()).map((category) => ({ category })));
  }

  /** The member's events at this terminal, newest first, each with where HQ stands on it, kept current. */
  history$(memberId: string): Observable<EventRow[]> {
    return this.ctx.ledger.forMember$(memberId).pipe(map((rows) => [...rows].reverse()));
  }

  /** The member's voidable transactions at this terminal, oldest first, each with why it may not be voided. */
  voidCandidates$(memberId: string): Observable<VoidCandidate[]> {
    return this.voids.voidCandidates$(memberId);
  }

  /** The member's sales at this terminal, oldest first, each line with the units that may still come back. */
  returnCandidates$(memberId: string): Observable<ReturnCandidate[]> {
    return this.returns.returnCandidates$(memberId);
  }

  // ---- recordings ------------------------------------------------------------------------------------

  /** The points a basket earns for the member now, and why. */
  quoteEarn(memberId: string, basket: BasketInput): Promise<Result<EarnQuote, Refusal>> {
    return this.earning.quoteEarn(memberId, basket);
  }

  /** Quotes the basket and records the points earned. */
  recordEarn(
    input: Operator & { memberId: string; basket: BasketInput },
  ): Promise<Result<Recorded<EventOf<'points-earned'>>, Refusal>> {
    return this.earning.recordEarn(input);
  }

  /** The offline state for a member: online when HQ is reachable, else the replica mode and the bound's figures. */
  offlineState(memberId: string): Promise<OfflineState> {
    return this.redeeming.offlineState(memberId);
  }

  /**
   * Where the member stands against the store's one offline allowance at this till (issue 16,
   * store-bound.ts): this till's offline redemptions of its period and the peers' HQ has not counted;
   * null while HQ is reachable. With no peer's redemption, exactly the per-till bound's figures.
   */
  offlineBound(memberId: string): Promise<StoreOfflineBound | null> {
    return this.redeeming.offlineBound(memberId);
  }

  /** Stops listening to main's store-LAN news (the terminal closes). */
  close(): void {
    this.ctx.peers.close();
  }

  /** Whether the member may redeem the reward now (and with which mode and override). */
  checkRedeem(input: Omit<RedeemInput, 'cashierId'>): Promise<Result<RedemptionApproval, Refusal>> {
    return this.redeeming.checkRedeem(input);
  }

  /** Checks the redemption (offline policy included) and records it; offline, with its offline period. */
  recordRedeem(input: RedeemInput): Promise<Result<Recorded<EventOf<'points-redeemed'>>, Refusal>> {
    return this.redeeming.recordRedeem(input);
  }

  /** Enrolls a new member (a new UUIDv7 id, the program's welcome bonus). */
  recordEnroll(input: EnrollInput): Promise<Result<Recorded<EventOf<'member-enrolled'>>, Refusal>> {
    return this.enrollment.recordEnroll(input);
  }

  /** Updates a member's details or cards. */
  recordUpdate(input: UpdateInput): Promise<Result<Recorded<EventOf<'member-updated'>>, Refusal>> {
    return this.enrollment.recordUpdate(input);
  }

  /** Adds or takes away points with a reason code (manager). */
  recordAdjust(input: AdjustInput): Promise<Result<Recorded<EventOf<'points-adjusted'>>, Refusal>> {
    return this.adjustments.recordAdjust(input);
  }

  /** Voids (refunds) one of this terminal's earn, redeem, adjust or bonus events (manager). */
  recordVoid(input: VoidInput): Promise<Result<Recorded<EventOf<'event-voided'>>, Refusal>> {
    return this.voids.recordVoid(input);
  }

  /** Returns some lines of one of this terminal's sales, taking back the points they earned (manager). */
  recordReturn(input: ReturnInput): Promise<Result<Recorded<EventOf<'points-returned'>>, Refusal>> {
    return this.returns.recordReturn(input);
  }

  /** Sells a paid plan: records the membership (the fee is taken by the till's own payment). */
  recordPlanJoin(input: PlanJoinInput): Promise<Result<Recorded<EventOf<'plan-joined'>>, Refusal>> {
    return this.plans.recordPlanJoin(input);
  }

  /** Awards an action bonus (the program's points) within the action's limit. */
  recordAction(input: ActionAwardInput): Promise<Result<Recorded<EventOf<'bonus-awarded'>>, Refusal>> {
    return this.actions.recordAction(input);
  }

  // ---- the local index -------------------------------------------------------------------------------

  /** Indexes one event of this terminal (cards, provisional member); best effort. */
  indexLocalEvent(event: LedgerEvent, program: Program): Promise<void> {
    return this.index.indexLocalEvent(event, program);
  }

  /** Re-applies the card index and provisional members for events HQ has not answered for yet. */
  repairLocalIndex(): Promise<void> {
    return this.index.repairLocalIndex();
  }
}

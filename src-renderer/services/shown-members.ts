// The member shown at the counter: HQ's member document plus this terminal's events HQ has not posted into
// it yet (memberWithPending, docs/architecture.md section 4), right whichever of the two arrives first. Found by id,
// card, phone or name, and watched live (re-read when HQ sends their document and when this terminal's
// events for them change), so the pending part of the balance moves to confirmed on screen as HQ posts it.
// Issue 16: the store's other tills' events main received over the LAN and HQ has not counted are pending
// too (a redemption on till A lowers the balance on till B's screen); re-read when main stores new ones.
import { auditTime, catchError, from, map, merge, of, switchMap, type Observable } from 'rxjs';
import { err, ok, type Result } from '../../src-shared/kernel/result.js';
import { applyEvent } from '../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { netPoints } from '../../src-shared/ledger/member.js';
import { isPending, memberWithPending } from '../../src-shared/ledger/pending.js';
import { normalisePhone } from '../../src-shared/ledger/phone.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { ReplicaMember } from '../db/catalog.js';
import type { ServiceContext } from './context.js';
import { unconfirmedPeerEvents } from './peer-events.js';
import { refuseSaying, type Refusal, type ShownMember } from './counter-types.js';

/** Why a phone cannot be looked up or recorded: main holds no phone key (an enrollment before it). */
export const PHONE_KEY_MISSING =
  'This terminal has no phone key from HQ: enroll it again to look up or record phone numbers';

/** A read of a watched member: the member (null when unknown), or a failed read. */
export type MemberRead = Result<ShownMember | null, unknown>;

export class ShownMembers {
  constructor(private readonly ctx: ServiceContext) {}

  private async show(found: ReplicaMember | null, memberId: string): Promise<ShownMember | null> {
    const events = await this.ctx.ledger.countedForMember(memberId);
    const program = await this.ctx.catalog.program();
    const base = found?.member ?? null;
    const hq = found && !found.provisional ? found.member : null;
    const peers = unconfirmedPeerEvents(hq, await this.ctx.peers.events(memberId), memberId, {
      terminalId: this.ctx.sync.snapshot().terminalId,
      ids: new Set(events.map((e) => e.event.id)),
    });
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
    // One projection, as HQ will apply them: this till's pending events and the peers' HQ has not counted.
    const member = memberWithPending(base, [...events, ...peers], program, memberId);
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
    return this.show(await this.ctx.catalog.member(memberId), memberId);
  }

  /**
   * The member, read at once and again (at most every 30 ms) whenever HQ's document, this terminal's
   * events for them or the peers' events main holds for them change. Only the latest read counts: an older
   * one that finishes last is dropped.
   */
  member$(memberId: string): Observable<MemberRead> {
    const changes = merge(
      this.ctx.catalog.memberChanged$(memberId),
      this.ctx.ledger.forMember$(memberId),
      this.ctx.peers.changed$(memberId),
    ).pipe(auditTime(30));
    return merge(of(null), changes).pipe(
      switchMap(() =>
        from(this.member(memberId)).pipe(
          map((shown): MemberRead => ok(shown)),
          catchError((error: unknown) => of<MemberRead>(err(error))),
        ),
      ),
    );
  }

  /** The member holding a card, or null. */
  async lookupByCard(number: string): Promise<ShownMember | null> {
    const card = number.trim();
    if (card.length === 0) return null;
    // The first candidate that, with this terminal's pending events, still holds the card.
    for (const owner of await this.ctx.catalog.cardOwners(card)) {
      const shown = await this.member(owner);
      if (shown && shown.member.cards.includes(card)) return shown;
    }
    return null;
  }

  /**
   * Members with this phone number: normalised with the terminal's country code, then matched by the
   * lookup key main derives for it.
   */
  async lookupByPhone(raw: string): Promise<Result<ShownMember[], Refusal>> {
    const normalised = normalisePhone(raw, this.ctx.phoneCountryCode);
    if (!normalised)
      return refuseSaying('invalid', 'phone-invalid', `"${raw}" is not a phone number`, { figures: { raw } });
    const answer = await this.ctx.phoneLookupKey(normalised);
    if (!answer.ok) return refuseSaying('not-enrolled', 'phone-key-missing', PHONE_KEY_MISSING);
    const hash = answer.lookupKey;
    const found = await this.ctx.catalog.membersByPhoneHash(hash);
    const shown = await this.showAll(found);
    return ok(shown.filter((m) => m.member.phoneHash === hash));
  }

  /** Members whose display name starts with the prefix (case and accents ignored), by name. */
  async lookupByName(prefix: string, limit = 20): Promise<ShownMember[]> {
    return this.showAll(await this.ctx.catalog.membersByNamePrefix(prefix, limit));
  }

  private async showAll(found: readonly ReplicaMember[]): Promise<ShownMember[]> {
    const shown = await Promise.all(found.map((f) => this.show(f, f.member.id)));
    return shown.filter((m): m is ShownMember => m !== null);
  }
}

/** The member shown after one more (pending) event of this terminal. */
export function withEvent(shown: ShownMember, event: LedgerEvent, program: Program): ShownMember {
  const member = applyEvent(shown.member, event, program);
  const total = netPoints(member);
  return {
    ...shown,
    member,
    balance: { confirmed: shown.balance.confirmed, pending: total - shown.balance.confirmed, total },
    pendingEvents: shown.pendingEvents + 1,
  };
}

// A card (or a typed phone number) the replica does not know, while HQ is reachable: the till asks HQ (POST
// /v1/scope/members, .../by-phone, through main), which answers the member and keeps them for this store
// from then on (src-shared/sync/scope.ts); the member is written to the replica and shown as usual.
// Offline, or when HQ cannot answer, the card stays unknown here: the counter offers to enroll with it, and to
// add the sale's points to the card for HQ to credit its member (src-shared/ledger/card-earn.ts). A card HQ
// answered it does not know is not registered: enroll only. A phone: no member found.
import { normalisePhone } from '../../src-shared/ledger/phone.js';
import type { ServiceContext } from './context.js';
import type { LocalIndex } from './local-index.js';

/** What asking HQ for a card came to. */
export type CardAsked = 'kept' | 'not-at-hq' | 'unreachable';

export class OnlineLookup {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly index: LocalIndex,
  ) {}

  /**
   * Whether HQ answered members with this typed phone number and the replica now holds them (main derives
   * the lookup key; the number itself never leaves the till).
   */
  async keepByPhone(raw: string): Promise<boolean> {
    const ask = this.ctx.hqLookup;
    const normalised = normalisePhone(raw, this.ctx.phoneCountryCode);
    if (!normalised || !ask || !this.ctx.sync.snapshot().online) return false;
    try {
      const key = await this.ctx.phoneLookupKey(normalised);
      if (!key.ok) return false;
      const answer = await ask({ phoneHash: key.lookupKey });
      const members = answer.ok
        ? answer.value.filter((m) => !m._deleted && m.phoneHash === key.lookupKey)
        : [];
      for (const member of members) await this.index.keepFromHq(member);
      return members.length > 0;
    } catch {
      return false;
    }
  }

  /** Whether HQ answered a member holding `card` and the replica now holds them. */
  async keepByCard(number: string): Promise<boolean> {
    return (await this.askByCard(number)) === 'kept';
  }

  /**
   * Asks HQ for the member holding `card`: `kept` (the replica now holds them), `not-at-hq` (HQ answered
   * that nobody holds it), or `unreachable` (offline, or HQ gave no answer).
   */
  async askByCard(number: string): Promise<CardAsked> {
    const card = number.trim();
    const ask = this.ctx.hqLookup;
    if (card.length === 0) return 'not-at-hq';
    // Offline, no request: the answer would only come after the time limit, with the customer waiting.
    if (!ask || !this.ctx.sync.snapshot().online) return 'unreachable';
    try {
      const answer = await ask({ card });
      if (!answer.ok) return 'unreachable';
      const member = answer.value.find((m) => !m._deleted && m.cards.includes(card));
      if (!member) return 'not-at-hq';
      await this.index.keepFromHq(member);
      return 'kept';
    } catch {
      // The host or the replica failed: the card stays unknown here, as offline.
      return 'unreachable';
    }
  }
}

// A card (or a typed phone number) the replica does not know, while HQ is reachable: the till asks HQ (POST
// /v1/scope/members, .../by-phone, through main), which answers the member and keeps them for this store
// from then on (src-shared/sync/scope.ts); the member is written to the replica and shown as usual.
// Offline, or when HQ cannot answer, it stays unknown as before: the counter says the card is not
// registered and offers to enroll with it (a phone: no member found).
import { normalisePhone } from '../../src-shared/ledger/phone.js';
import type { ServiceContext } from './context.js';
import type { LocalIndex } from './local-index.js';

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
    const card = number.trim();
    const ask = this.ctx.hqLookup;
    // Offline, no request: the answer would only come after the time limit, with the customer waiting.
    if (card.length === 0 || !ask || !this.ctx.sync.snapshot().online) return false;
    try {
      const answer = await ask({ card });
      const member = answer.ok ? answer.value.find((m) => !m._deleted && m.cards.includes(card)) : undefined;
      if (!member) return false;
      await this.index.keepFromHq(member);
      return true;
    } catch {
      // The host or the replica failed: the card stays unknown, as offline.
      return false;
    }
  }
}

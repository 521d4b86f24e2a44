// A card the replica does not know, while HQ is reachable: the till asks HQ (POST /v1/scope/members through
// main), which answers the card's member and keeps them for this store from then on (src-shared/sync/scope.ts);
// the member is written to the replica and shown as usual. Offline, or when HQ cannot answer, the card stays
// unknown as before: the counter says the card is not registered and offers to enroll with it.
import type { ServiceContext } from './context.js';
import type { LocalIndex } from './local-index.js';

export class OnlineLookup {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly index: LocalIndex,
  ) {}

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

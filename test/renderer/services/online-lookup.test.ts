// A card the till's replica does not know (a member outside its store's scope), against a scripted HQ: online,
// the till asks HQ, keeps the member in its replica (found again offline, by any of their cards) and shows
// them as usual; a card HQ does not know either stays unknown; offline, no request leaves and the card stays
// unknown as before (the counter then says it is not registered and offers to enroll with it).
import { describe, expect, it } from 'vitest';
import type { HqLookupQuery, HqResult } from '../../../src-shared/ipc/hq-api.js';
import { ok } from '../../../src-shared/kernel/result.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';
import { exampleProgram } from '../../support/hq.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

/** HQ holding one member the till's scope leaves out: answered by card only, never pulled. */
class ScopedHq extends FakeHq {
  readonly asked: HqLookupQuery[] = [];
  readonly outside: MemberDoc = {
    ...emptyMember('m-outside', '2025-01-05T10:00:00.000Z'),
    displayName: 'Olga P.',
    cards: ['0400000000999', '0400000000998'],
    balance: 420,
    memberSeq: 7,
    _deleted: false,
  };
  // Optional only to stay assignable to FakeHq's lookup(), which takes none; the till always gives one.
  override lookup(query?: HqLookupQuery): Promise<HqResult<never[]>> {
    if (query === undefined) throw new Error('a lookup without a query');
    this.asked.push(query);
    if (!this.online)
      return Promise.resolve({ ok: false, error: { code: 'offline', message: 'HQ unreachable' } });
    const found = 'card' in query && this.outside.cards.includes(query.card) ? [this.outside] : [];
    return Promise.resolve(ok(found as never[]));
  }
}

describe('a card outside the replica', () => {
  const { open } = scriptedTill();

  it('is answered by HQ online, kept in the replica and shown as usual, then found offline too', async () => {
    const hq = new ScopedHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const services = t.terminal.services;
    expect(await t.terminal.catalog.member('m-outside')).toBeNull();

    const shown = await services.lookupByCard('0400000000999');
    expect(shown?.member).toMatchObject({ id: 'm-outside', displayName: 'Olga P.' });
    expect(shown?.balance).toEqual({ confirmed: 420, pending: 0, total: 420 });
    expect(hq.asked).toEqual([{ card: '0400000000999' }]);
    expect((await t.terminal.catalog.member('m-outside'))?.member.balance).toBe(420);

    hq.online = false;
    t.terminal.sync.syncNow();
    await t.until((s) => !s.online);
    // Kept: found offline, by its other card as well, with no further question to HQ.
    expect((await services.lookupByCard('0400000000998'))?.member.id).toBe('m-outside');
    expect((await services.lookupByCard('0400000000999'))?.member.id).toBe('m-outside');
    expect(hq.asked).toHaveLength(1);
  });

  it('stays unknown when HQ knows no one with it, and asks nothing while offline', async () => {
    const hq = new ScopedHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    expect(await t.terminal.services.lookupByCard('0400000000555')).toBeNull();
    expect(hq.asked).toEqual([{ card: '0400000000555' }]);

    hq.online = false;
    t.terminal.sync.syncNow();
    await t.until((s) => !s.online);
    expect(await t.terminal.services.lookupByCard('0400000000999')).toBeNull();
    expect(hq.asked).toHaveLength(1);
  });
});

// A card the till's replica does not know (a member outside its store's scope), against a scripted HQ: online,
// the till asks HQ, keeps the member in its replica (found again offline, by any of their cards) and shows
// them as usual, and the same for a typed phone number (asked by its lookup key); a card HQ does not know either stays unknown; offline, no request leaves and the card stays
// unknown as before (the counter then says it is not registered and offers to enroll with it).
import { describe, expect, it } from 'vitest';
import type { HqLookupQuery, HqResult } from '../../../src-shared/ipc/hq-api.js';
import { ok } from '../../../src-shared/kernel/result.js';
import { emptyMember } from '../../../src-shared/ledger/member.js';
import { normalisePhone } from '../../../src-shared/ledger/phone.js';
import type { MemberDoc } from '../../../src-shared/sync/wire.js';
import { exampleProgram } from '../../support/hq.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

/** HQ holding one member the till's scope leaves out: answered by card only, never pulled. */
class ScopedHq extends FakeHq {
  readonly asked: HqLookupQuery[] = [];
  outside: MemberDoc = {
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
    const found =
      'card' in query
        ? this.outside.cards.filter((c) => c === query.card).map(() => this.outside)
        : [this.outside].filter((m) => m.phoneHash === query.phoneHash);
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

  it('keeps the card index in step when HQ answers a newer document: a card the member gave up finds no one', async () => {
    // The race CI met (console-members.test.ts): the online answer reached the replica before the pull did,
    // so the pull saw no card dropped and the card index kept the old card.
    const hq = new ScopedHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const { services, catalog } = t.terminal;
    expect((await services.lookupByCard('0400000000998'))?.member.id).toBe('m-outside');

    hq.outside = { ...hq.outside, cards: ['0400000000777'], memberSeq: 8 };
    expect((await services.lookupByCard('0400000000777'))?.member.id).toBe('m-outside');
    expect(await catalog.cardOwners('0400000000999')).toEqual([]);
    expect(await catalog.cardOwners('0400000000998')).toEqual([]);
    expect(await services.lookupByCard('0400000000998')).toBeNull();
    // An older answer never replaces what the replica holds.
    hq.outside = { ...hq.outside, cards: ['0400000000998'], memberSeq: 6 };
    await services.lookupByCard('0400000000998');
    expect((await catalog.member('m-outside'))?.member.cards).toEqual(['0400000000777']);
  });

  it('by a typed phone number the replica does not know: asked of HQ by its lookup key, and kept', async () => {
    const hq = new ScopedHq(exampleProgram('grocery-chain'));
    const normalised = normalisePhone('087 123 4567', '353');
    if (normalised === null) throw new Error('the test number does not normalise');
    const key = await hq.phoneLookupKey(normalised);
    if (!key.ok) throw new Error('no lookup key');
    hq.outside = { ...hq.outside, phoneHash: key.lookupKey, phoneLast4: '4567' };
    const t = await open(hq);
    const found = await t.terminal.services.lookupByPhone('087 123 4567');
    expect(found.ok && found.value.map((m) => m.member.id)).toEqual(['m-outside']);
    expect(hq.asked).toEqual([{ phoneHash: key.lookupKey }]);
    const none = await t.terminal.services.lookupByPhone('087 765 4321');
    expect(none.ok && none.value).toEqual([]);
    expect(hq.asked).toHaveLength(2);

    hq.online = false;
    t.terminal.sync.syncNow();
    await t.until((s) => !s.online);
    const offline = await t.terminal.services.lookupByPhone('0871234567');
    expect(offline.ok && offline.value.map((m) => m.member.id)).toEqual(['m-outside']);
    expect(hq.asked).toHaveLength(2);
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

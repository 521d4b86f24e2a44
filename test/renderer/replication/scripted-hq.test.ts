// The terminal's replication and counter against a scripted HQ (no network, no PGlite): HQ's verdicts merged
// into the ledger (conflicts surfaced, never merged), a batch HQ refuses split down to the bad event, lookups
// by card, phone and name over provisional and pulled members, the local index repaired on restart, and the
// once-per-process databases.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openDatabases } from '../../../src-renderer/db/databases.js';
import { openTerminal } from '../../../src-renderer/startup/open-terminal.js';
import { err, ok } from '../../../src-shared/kernel/result.js';
import { sealEvent } from '../../../src-shared/ledger/chain.js';
import { exampleProgram } from '../../support/hq.js';
import { TEST_CASHIER as CASHIER, breadBasket as basket, type TestTerminal } from '../../support/terminal.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

describe('the terminal against a scripted HQ', () => {
  const { open } = scriptedTill();

  async function enroll(
    t: TestTerminal,
    name = 'Ann B.',
    card = '0400000000017',
    phone: string | null = null,
  ) {
    const r = await t.terminal.services.recordEnroll({
      cashierId: CASHIER,
      displayName: name,
      cards: [card],
      phone,
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.event;
  }

  it('surfaces a conflict HQ reports for a push, keeps the local content, and leaves it out of the balance', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const enrolled = await enroll(t);
    await t.untilEvent(enrolled.id);
    hq.onPush = (events) =>
      ok({
        results: events.map((e) => ({
          id: e.id,
          outcome: 'conflict' as const,
          status: 'quarantined' as const,
          memberSeq: null,
          reason: 'HQ holds event 2 with other content',
        })),
      });
    const earned = await t.terminal.services.recordEarn({
      cashierId: CASHIER,
      memberId: enrolled.memberId,
      basket: basket(50),
    });
    if (!earned.ok) throw new Error(earned.error.message);
    const row = await t.untilEvent(earned.value.event.id);
    expect(row).toMatchObject({ status: 'conflict', reason: 'HQ holds event 2 with other content' });
    expect(row.event).toEqual(earned.value.event);
    const status = await t.until((s) => s.attention.length === 1);
    expect(status.attention[0]).toMatchObject({ id: row.id, status: 'conflict', terminalSeq: 2 });
    expect((await t.terminal.services.member(enrolled.memberId))?.balance.total).toBe(100);
    // Never sent again.
    const pushes = hq.pushes.length;
    await t.terminal.sync.flush();
    expect(hq.pushes.length).toBe(pushes);
  });

  it('keeps the local content when a pulled own event differs from it', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const enrolled = await enroll(t);
    await t.untilEvent(enrolled.id);
    const altered = sealEvent({ ...enrolled, payload: { ...enrolled.payload, welcomeBonus: 5_000 } }, null);
    hq.put('events', {
      id: enrolled.id,
      event: altered,
      memberSeq: 1,
      status: 'posted',
      reason: null,
      recordedAt: '2025-01-01T00:00:00.000Z',
      _deleted: false,
    });
    const row = await t.untilEvent(enrolled.id, (r) => r.status === 'conflict');
    expect(row.event).toEqual(enrolled);
    expect(row.reason).toMatch(/other content/);
  });

  it('splits a batch HQ refuses until the bad event is alone, and rejects only that one', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const enrolled = await enroll(t);
    const earns: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await t.terminal.services.recordEarn({
        cashierId: CASHIER,
        memberId: enrolled.memberId,
        basket: basket(10 + i),
      });
      if (!r.ok) throw new Error(r.error.message);
      earns.push(r.value.event.id);
    }
    const bad = earns[3] as string;
    hq.onPush = (events) =>
      events.some((e) => e.id === bad)
        ? err({
            code: 'rejected',
            message: 'The batch was refused',
            problems: [{ path: 'events.0.payload', message: 'no' }],
          })
        : ok({ results: events.map((e) => hq.store(e)) });
    hq.online = true;
    t.terminal.sync.syncNow();
    const rejected = await t.untilEvent(bad);
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: 'The batch was refused (events.0.payload: no)',
    });
    await t.until((s) => s.pending === 0 && s.attention.length === 1);
    expect(hq.stored.size).toBe(6);
    expect(hq.pushes.at(-1)).toHaveLength(1);

    await t.restart();
    await t.terminal.sync.flush();
    expect(hq.stored.size).toBe(6);
  });

  it('finds members by card, phone and name, enrolled here or pulled from HQ', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const { services } = t.terminal;
    const ann = await enroll(t, 'Ánn B.', '0400000000017', '087 123 4567');
    await enroll(t, 'Anna C.', '0400000000024');
    await enroll(t, 'Bob D.', '0400000000031');

    const byCard = await services.lookupByCard('0400000000017');
    expect(byCard).toMatchObject({ provisional: true, hq: null, member: { id: ann.memberId } });
    expect(byCard?.balance).toEqual({ confirmed: 0, pending: 100, total: 100 });
    const byPhone = await services.lookupByPhone('+353 87 123 4567');
    expect(byPhone.ok && byPhone.value.map((m) => m.member.id)).toEqual([ann.memberId]);
    expect((await services.lookupByPhone('not a number')).ok).toBe(false);
    expect((await services.lookupByName('ann')).map((m) => m.member.displayName)).toEqual([
      'Ánn B.',
      'Anna C.',
    ]);
    expect((await services.lookupByName('ANNA')).map((m) => m.member.displayName)).toEqual(['Anna C.']);

    // A card belongs to one member; moving it follows the member's own events.
    const taken = await services.recordUpdate({
      cashierId: CASHIER,
      memberId: ann.memberId,
      addCards: ['0400000000031'],
    });
    expect(!taken.ok && taken.error.reason).toBe('card-in-use');
    const moved = await services.recordUpdate({
      cashierId: CASHIER,
      memberId: ann.memberId,
      addCards: ['0400000000048'],
      removeCards: ['0400000000017'],
    });
    expect(moved.ok).toBe(true);
    expect(await services.lookupByCard('0400000000017')).toBeNull();
    expect((await services.lookupByCard('0400000000048'))?.member.id).toBe(ann.memberId);

    // HQ's documents replace the provisional ones; the balance is then confirmed.
    hq.online = true;
    t.terminal.sync.syncNow();
    await t.terminal.sync.flush();
    hq.publishMembers();
    await t.terminal.sync.flush();
    const pulled = await services.lookupByCard('0400000000048');
    expect(pulled).toMatchObject({ provisional: false, pendingEvents: 0 });
    expect(pulled?.balance).toEqual({ confirmed: 100, pending: 0, total: 100 });
    expect(await services.lookupByCard('0400000000017')).toBeNull();
  });

  it('repairs the card index and provisional members on restart', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    hq.online = false;
    const ann = await enroll(t, 'Ann B.', '0400000000017');
    // As if the process died between the event's commit and the catalog writes.
    await (await t.terminal.databases.catalog.cards.findOne('0400000000017').exec())?.remove();
    await (await t.terminal.databases.catalog.members.findOne(ann.memberId).exec())?.remove();
    expect(await t.terminal.services.lookupByCard('0400000000017')).toBeNull();
    await t.restart();
    expect((await t.terminal.services.lookupByCard('0400000000017'))?.member.id).toBe(ann.memberId);
  });

  it('opens the databases once per process: a second caller (StrictMode) gets the same ones', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const indexedDB = new IDBFactory();
    // dev: true because dev mode, once loaded in a process (the other tests), applies to every database.
    const options = {
      api: hq,
      name: 'strict-mode',
      phoneCountryCode: '353',
      indexedDB,
      IDBKeyRange,
      dev: true,
    };
    const [a, b] = await Promise.all([openTerminal(options), openTerminal(options)]);
    expect(a).toBe(b);
    expect(Object.keys(a.databases.ledger.collections)).toEqual(['events']);
    expect(Object.keys(a.databases.catalog.collections).sort()).toEqual(
      ['cards', 'cashiers', 'members', 'products', 'programs'].sort(),
    );
    expect(await openDatabases({ name: 'strict-mode' })).toBe(a.databases);
    await a.close();
    const reopened = await openTerminal(options);
    expect(reopened).not.toBe(a);
    await reopened.close();
  });
});

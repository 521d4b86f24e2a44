// What components and hooks read through the services instead of RxDB: the member kept current, the
// member's voidable transactions with the one void rule's answer for each, the store's staff and the
// product categories.
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ok } from '../../../src-shared/kernel/result.js';
import { cashierDocSchema } from '../../../src-shared/sync/wire.js';
import { exampleProgram } from '../../support/hq.js';
import { TEST_CASHIER as CASHIER, breadBasket as basket, type TestTerminal } from '../../support/terminal.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

const { open } = scriptedTill();

async function enrolled(t: TestTerminal): Promise<string> {
  const r = await t.terminal.services.recordEnroll({ cashierId: CASHIER, displayName: 'Ann B.' });
  if (!r.ok) throw new Error(r.error.message);
  await t.untilEvent(r.value.event.id);
  return r.value.event.memberId;
}

async function earn(t: TestTerminal, memberId: string, euros: number): Promise<string> {
  const r = await t.terminal.services.recordEarn({ cashierId: CASHIER, memberId, basket: basket(euros) });
  if (!r.ok) throw new Error(r.error.message);
  await t.untilEvent(r.value.event.id);
  return r.value.event.id;
}

describe('counter lists through the services', () => {
  it('lists the voidable transactions with why each may not be voided, and refuses a second void', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const services = t.terminal.services;
    const memberId = await enrolled(t);
    const first = await earn(t, memberId, 10);
    const second = await earn(t, memberId, 20);
    hq.onPush = (events) =>
      ok({
        results: events.map((e) => ({
          id: e.id,
          outcome: 'conflict' as const,
          status: 'quarantined' as const,
          memberSeq: null,
          reason: 'other content',
        })),
      });
    const refused = await earn(t, memberId, 30);
    await t.until((s) => s.attention.length === 1);
    hq.onPush = (events) => ok({ results: events.map((e) => hq.store(e)) });
    const voided = await services.recordVoid({
      cashierId: CASHIER,
      eventId: first,
      managerId: 'mgr-1',
      reason: 'Goods returned',
    });
    if (!voided.ok) throw new Error(voided.error.message);

    const listed = await firstValueFrom(
      services
        .voidCandidates$(memberId)
        .pipe(filter((list) => list.some((c) => c.refusal !== null && c.id === first))),
    );
    // The enrolment and the void itself are not voidable: only the three earns are listed, in order.
    expect(listed.map((c) => [c.id, c.refusal?.reason ?? null])).toEqual([
      [first, 'already-voided'],
      [second, null],
      [refused, 'not-counted'],
    ]);

    // The member's history: every event at this till, newest first, with HQ's word on each.
    const history = await firstValueFrom(services.history$(memberId));
    expect(history.map((r) => [r.type, r.status])).toEqual([
      ['event-voided', expect.any(String)],
      ['points-earned', 'conflict'],
      ['points-earned', 'posted'],
      ['points-earned', 'posted'],
      ['member-enrolled', 'posted'],
    ]);
    expect(history[2]?.id).toBe(second);

    const again = await services.recordVoid({
      cashierId: CASHIER,
      eventId: first,
      managerId: 'mgr-1',
      reason: 'Twice',
    });
    expect(!again.ok && again.error.reason).toBe('already-voided');
    const notCounted = await services.recordVoid({
      cashierId: CASHIER,
      eventId: refused,
      managerId: 'mgr-1',
      reason: 'Refused',
    });
    expect(!notCounted.ok && notCounted.error).toMatchObject({
      reason: 'not-voidable',
      message: 'This transaction was not accepted by HQ (conflict)',
    });
  });

  it('keeps the member shown current as this terminal records for them', async () => {
    const t = await open(new FakeHq(exampleProgram('grocery-chain')));
    const memberId = await enrolled(t);
    const reads = t.terminal.services.member$(memberId);
    const before = await firstValueFrom(reads.pipe(filter((r) => r.ok && r.value !== null)));
    const total = before.ok ? (before.value?.balance.total ?? 0) : 0;
    await earn(t, memberId, 40);
    const after = await firstValueFrom(
      reads.pipe(filter((r) => r.ok && r.value !== null && r.value.balance.total === total + 40)),
    );
    expect(after.ok && after.value?.member.id).toBe(memberId);
  });

  it("lists this store's staff by name, and the distinct product categories", async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const staff = (id: string, storeId: string, name: string) =>
      hq.put('cashiers', {
        id,
        storeId,
        name,
        role: 'cashier',
        _deleted: false,
      });
    staff('c-2', 's-1', 'Abe C.');
    staff('c-9', 's-2', 'Zed Other-Store');
    const product = (sku: string, category: string) =>
      hq.put('products', {
        sku,
        gtin: null,
        name: sku,
        category,
        price: 100,
        currency: 'EUR',
        _deleted: false,
      });
    product('MILK', 'dairy');
    product('BREAD', 'bakery');
    product('CHEESE', 'dairy');
    const t = await open(hq);
    const ofStore = await firstValueFrom(
      t.terminal.services.staff$('s-1').pipe(filter((s) => s.length === 2)),
    );
    expect(ofStore.map((s) => s.name)).toEqual(['Abe C.', 'Mia K.']);
    const everyone = await firstValueFrom(
      t.terminal.services.staff$(null).pipe(filter((s) => s.length === 3)),
    );
    expect(everyone.map((s) => s.id)).toEqual(['c-2', 'mgr-1', 'c-9']);
    expect(await t.terminal.services.categories()).toEqual(['bakery', 'dairy']);
  });

  it('keeps no PIN hash in the replica: cashier rows are id, store, name and role; a document with one is refused', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const rows = await firstValueFrom(t.terminal.catalog.cashiers$().pipe(filter((r) => r.length === 1)));
    expect(
      rows.map((r) =>
        Object.keys(r)
          .filter((k) => !k.startsWith('_'))
          .sort(),
      ),
    ).toEqual([['id', 'name', 'role', 'storeId']]);
    // An HQ that still sent a hash (an old HQ, a forged answer): the replica's page check refuses it.
    const withHash = { ...rows[0], _deleted: false, pinHash: 'scrypt$16$8$1$c2FsdA==$a2V5' };
    expect(cashierDocSchema.safeParse(withHash).success).toBe(false);
  });
});

// Partial returns at the till through the services: the candidates (each sale's lines with the units sold,
// returned and returnable), a return taking back exactly what the returned lines earned (the sale's quote
// less the quote of what remains, computed here with the shared quote), the units left enforced inside the
// ledger's lock, the manager and the reason required, a voided or HQ-refused sale not returnable, a sale
// returned in parts giving back exactly its points, and the sale's own program version used after a newer
// one became current.
import { filter, firstValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { BasketLine } from '../../../src-shared/engine/basket.js';
import { quote } from '../../../src-shared/engine/quote.js';
import { ok } from '../../../src-shared/kernel/result.js';
import type { EventOf } from '../../../src-shared/ledger/events.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { previewReturn, type ReturnCandidate } from '../../../src-renderer/services/index.js';
import { exampleProgram } from '../../support/hq.js';
import { TEST_CASHIER as CASHIER, type TestTerminal } from '../../support/terminal.js';
import { FakeHq, scriptedTill } from '../support/scripted-hq.js';

const { open } = scriptedTill();
const MANAGER = 'mgr-1';

/** Apples (fresh produce, triple), oat drinks (+10 each) and three pasta sauces (+50 for three). */
const LINES: BasketLine[] = [
  { sku: 'GB-APPLES', category: 'fresh-produce', quantity: 2, unitPrice: 240, discount: 0 },
  { sku: 'GB-OAT-DRINK-1L', category: 'dairy', quantity: 2, unitPrice: 199, discount: 0 },
  { sku: 'GB-PASTA-SAUCE-500G', category: 'grocery', quantity: 3, unitPrice: 220, discount: 0 },
];

/** The points `lines` earn for a new member at `at` under `program`: the shared quote, nothing else. */
const quoted = (lines: BasketLine[], program: Program, at: number): number =>
  lines.length === 0
    ? 0
    : quote(
        { currency: 'EUR', lines },
        { tier: null, birthMonth: null, purchases: 1, plan: null, referredBy: null },
        program,
        at,
      ).points;

async function enrolled(t: TestTerminal): Promise<string> {
  const r = await t.terminal.services.recordEnroll({ cashierId: CASHIER, displayName: 'Ann B.' });
  if (!r.ok) throw new Error(r.error.message);
  await t.untilEvent(r.value.event.id);
  return r.value.event.memberId;
}

async function sale(t: TestTerminal, memberId: string): Promise<EventOf<'points-earned'>> {
  const r = await t.terminal.services.recordEarn({
    cashierId: CASHIER,
    memberId,
    basket: { currency: 'EUR', lines: LINES },
  });
  if (!r.ok) throw new Error(r.error.message);
  await t.untilEvent(r.value.event.id);
  return r.value.event;
}

const balance = async (t: TestTerminal, memberId: string): Promise<number> =>
  (await t.terminal.services.member(memberId))?.balance.total ?? Number.NaN;

/** The candidate for a sale once `check` holds for it. */
const candidate = (t: TestTerminal, memberId: string, id: string, check: (c: ReturnCandidate) => boolean) =>
  firstValueFrom(
    t.terminal.services
      .returnCandidates$(memberId)
      .pipe(filter((list) => list.some((c) => c.id === id && check(c)))),
  ).then((list) => list.find((c) => c.id === id) as ReturnCandidate);

describe('returns at the till', () => {
  it('takes back exactly what the returned line earned, and no unit beyond what remains', async () => {
    const program = exampleProgram('grocery-chain');
    const t = await open(new FakeHq(program));
    const services = t.terminal.services;
    const memberId = await enrolled(t);
    const sold = await sale(t, memberId);
    const at = Date.parse(sold.occurredAt);
    expect(sold.payload.points).toBe(quoted(LINES, program, at));

    const listed = await candidate(t, memberId, sold.id, () => true);
    expect(listed.refusal).toBeNull();
    expect(listed.lines.map((l) => [l.sku, l.sold, l.returned, l.returnable])).toEqual([
      ['GB-APPLES', 2, 0, 2],
      ['GB-OAT-DRINK-1L', 2, 0, 2],
      ['GB-PASTA-SAUCE-500G', 3, 0, 3],
    ]);

    // One pasta sauce back: its euros and the three-sauce bonus it no longer makes.
    const one = [{ line: 2, sku: 'GB-PASTA-SAUCE-500G', quantity: 1 }];
    const remaining = [LINES[0], LINES[1], { ...LINES[2], quantity: 2 }] as BasketLine[];
    const expected = quoted(LINES, program, at) - quoted(remaining, program, at);
    expect(expected).toBeGreaterThan(50);
    expect(previewReturn(listed, one)?.points).toBe(expected);

    const before = await balance(t, memberId);
    const returned = await services.recordReturn({
      cashierId: CASHIER,
      memberId,
      originalId: sold.id,
      lines: one,
      managerId: MANAGER,
      reason: ' Damaged jar ',
    });
    if (!returned.ok) throw new Error(returned.error.message);
    expect(returned.value.event.payload).toMatchObject({
      points: expected,
      spend: 220,
      reason: 'Damaged jar',
      managerId: MANAGER,
      lines: one,
    });
    expect(returned.value.event.payload.original).toEqual(sold);
    expect(returned.value.member?.balance.total).toBe(before - expected);
    expect(await balance(t, memberId)).toBe(before - expected);

    const after = await candidate(t, memberId, sold.id, (c) => c.takenBefore > 0);
    expect(after.takenBefore).toBe(expected);
    expect(after.lines.map((l) => [l.returned, l.returnable])).toEqual([
      [0, 2],
      [0, 2],
      [1, 2],
    ]);

    // Three sauces remain as two: a third is refused, and so is a line the sale does not have.
    const beyond = await services.recordReturn({
      cashierId: CASHIER,
      memberId,
      originalId: sold.id,
      lines: [{ line: 2, sku: 'GB-PASTA-SAUCE-500G', quantity: 3 }],
      managerId: MANAGER,
      reason: 'Again',
    });
    expect(!beyond.ok && beyond.error.reason).toBe('beyond-quantity');
    const wrongSku = await services.recordReturn({
      cashierId: CASHIER,
      memberId,
      originalId: sold.id,
      lines: [{ line: 0, sku: 'GB-PASTA-SAUCE-500G', quantity: 1 }],
      managerId: MANAGER,
      reason: 'Wrong line',
    });
    expect(!wrongSku.ok && wrongSku.error.reason).toBe('invalid');
    expect(await balance(t, memberId)).toBe(before - expected);
  });

  it('needs a manager and a reason; a voided or HQ-refused sale is not returnable, and a returned one not voidable', async () => {
    const hq = new FakeHq(exampleProgram('grocery-chain'));
    const t = await open(hq);
    const services = t.terminal.services;
    const memberId = await enrolled(t);
    const kept = await sale(t, memberId);
    const voided = await sale(t, memberId);
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
    const refused = await sale(t, memberId);
    hq.onPush = (events) => ok({ results: events.map((e) => hq.store(e)) });
    const v = await services.recordVoid({
      cashierId: CASHIER,
      eventId: voided.id,
      managerId: MANAGER,
      reason: 'Wrong member',
    });
    if (!v.ok) throw new Error(v.error.message);

    const line = [{ line: 0, sku: 'GB-APPLES', quantity: 1 }];
    const ask = (originalId: string, managerId = MANAGER, reason = 'Returned') =>
      services.recordReturn({ cashierId: CASHIER, memberId, originalId, lines: line, managerId, reason });

    expect(await ask(kept.id, CASHIER).then((r) => !r.ok && r.error.reason)).toBe('manager-required');
    expect(await ask(kept.id, MANAGER, '  ').then((r) => !r.ok && r.error.reason)).toBe('invalid');
    expect(await ask(voided.id).then((r) => !r.ok && r.error)).toMatchObject({
      reason: 'not-returnable',
      message: 'This sale was voided: its points were already taken back',
    });
    expect(await ask(refused.id).then((r) => !r.ok && r.error)).toMatchObject({
      reason: 'not-returnable',
      message: 'This sale was not accepted by HQ (conflict)',
    });
    expect(await ask('0190c0de-0000-7000-8000-000000000000').then((r) => !r.ok && r.error.reason)).toBe(
      'event-unknown',
    );

    const list = await firstValueFrom(
      services
        .returnCandidates$(memberId)
        .pipe(filter((l) => l.some((c) => c.id === voided.id && c.refusal !== null))),
    );
    // Only the three sales are candidates (not the enrolment nor the void), oldest first.
    expect(list.map((c) => [c.id, c.refusal?.reason ?? null])).toEqual([
      [kept.id, null],
      [voided.id, 'voided'],
      [refused.id, 'not-counted'],
    ]);
    expect(list[1]?.lines.every((l) => l.returnable === 0)).toBe(true);

    // A sale with a return counted is no longer voided: its remaining lines are returned instead.
    const r = await ask(kept.id);
    if (!r.ok) throw new Error(r.error.message);
    const noVoid = await services.recordVoid({
      cashierId: CASHIER,
      eventId: kept.id,
      managerId: MANAGER,
      reason: 'Void after return',
    });
    expect(!noVoid.ok && noVoid.error.reason).toBe('not-voidable');
  });

  it('returned in parts, a sale gives back exactly its points, then nothing is left to return', async () => {
    const program = exampleProgram('grocery-chain');
    const t = await open(new FakeHq(program));
    const services = t.terminal.services;
    const memberId = await enrolled(t);
    const sold = await sale(t, memberId);
    const before = await balance(t, memberId);
    const parts = [
      [{ line: 2, sku: 'GB-PASTA-SAUCE-500G', quantity: 1 }],
      [
        { line: 0, sku: 'GB-APPLES', quantity: 1 },
        { line: 1, sku: 'GB-OAT-DRINK-1L', quantity: 2 },
      ],
      [
        { line: 0, sku: 'GB-APPLES', quantity: 1 },
        { line: 2, sku: 'GB-PASTA-SAUCE-500G', quantity: 2 },
      ],
    ];
    let taken = 0;
    for (const lines of parts) {
      const r = await services.recordReturn({
        cashierId: CASHIER,
        memberId,
        originalId: sold.id,
        lines,
        managerId: MANAGER,
        reason: 'Returned',
      });
      if (!r.ok) throw new Error(r.error.message);
      taken += r.value.event.payload.points;
    }
    expect(taken).toBe(sold.payload.points);
    expect(await balance(t, memberId)).toBe(before - sold.payload.points);
    const done = await candidate(t, memberId, sold.id, (c) => c.refusal !== null);
    expect(done.refusal?.reason).toBe('all-returned');
    expect(done.lines.map((l) => [l.returned, l.returnable])).toEqual([
      [2, 0],
      [2, 0],
      [3, 0],
    ]);
  });

  it("uses the sale's own program version after a newer one became current", async () => {
    const v1 = exampleProgram('grocery-chain');
    const hq = new FakeHq(v1);
    const t = await open(hq);
    const memberId = await enrolled(t);
    const sold = await sale(t, memberId);
    // Version 2 drops the three-sauce bonus: a return must still take back what version 1 gave.
    const v2: Program = {
      ...v1,
      version: v1.version + 1,
      earning: { ...v1.earning, rules: v1.earning.rules.filter((r) => r.id !== 'pasta-sauce-3') },
    };
    hq.put('programs', {
      id: `${v2.id}@${v2.version}`,
      programId: v2.id,
      version: v2.version,
      publishedAt: '2025-02-01T00:00:00.000Z',
      current: true,
      definition: v2,
      _deleted: false,
    });
    await firstValueFrom(t.terminal.services.program$.pipe(filter((p) => p?.version === v2.version)));
    const at = Date.parse(sold.occurredAt);
    const one = [{ line: 2, sku: 'GB-PASTA-SAUCE-500G', quantity: 1 }];
    const remaining = [LINES[0], LINES[1], { ...LINES[2], quantity: 2 }] as BasketLine[];
    const expected = quoted(LINES, v1, at) - quoted(remaining, v1, at);
    expect(expected).not.toBe(quoted(LINES, v2, at) - quoted(remaining, v2, at));
    const r = await t.terminal.services.recordReturn({
      cashierId: CASHIER,
      memberId,
      originalId: sold.id,
      lines: one,
      managerId: MANAGER,
      reason: 'Returned',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.event.payload.points).toBe(expected);
    expect(r.value.event.programVersion).toBe(v2.version);
  });
});

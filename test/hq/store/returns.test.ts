// Partial returns at HQ (issue 13), on both databases: a points-returned event is checked with the one
// return rule (mayReturn) against the sale HQ holds, its voids and the returns of it HQ applied, and
// applied at assessReturn's figure (returnClawback from the sale as HQ applied it): a till claiming less is
// overruled, a refused return is kept and not applied (like a refused void), a sale with a return can no
// longer be voided, and a return that reaches HQ before its sale (a gap) takes back nothing until the sale
// arrives, then what the sale's rules say. Day close and the daily flows count what returns take back.
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../src-hq/db/database.js';
import { dailyFlows } from '../../../src-hq/reports/reports.js';
import { hqCloseFigures } from '../../../src-hq/store/closes.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { listReviews } from '../../../src-hq/store/reviews.js';
import { memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import type { ReturnedLine } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, reviewsOf, terminalWithFactory, uniq } from './helpers.js';
import { BASKET, RETURNS_PROGRAM, returnOf, returnPayload, saleOf } from './return-fixtures.js';

interface EventRow {
  status: string;
  applied: boolean;
  points_delta: number;
  ruled_points: number | null;
  reason: string | null;
}

async function eventRow(db: Queryable, id: string): Promise<EventRow> {
  const { rows } = await db.query<EventRow>(
    'SELECT status, applied, points_delta, ruled_points, reason FROM events WHERE id = $1',
    [id],
  );
  if (!rows[0]) throw new Error(`event ${id} is not stored`);
  return rows[0];
}

async function member(db: Queryable, id: string): Promise<Member> {
  const m = await getMember(db, id);
  if (!m) throw new Error(`member ${id} missing`);
  expect(memberInvariantProblems(m)).toEqual([]);
  return m;
}

async function appliedSum(db: Queryable, memberId: string): Promise<number> {
  const { rows } = await db.query<{ sum: number | null }>(
    'SELECT sum(points_delta)::bigint AS sum FROM events WHERE member_id = $1',
    [memberId],
  );
  return Number(rows[0]?.sum ?? 0);
}

const cake: ReturnedLine = { line: 1, sku: 'cake', quantity: 1 };

describe.each(databases)('partial returns at HQ on %s', (_name, open) => {
  const clock = clockAt();
  const db = testDatabase(open, (db) => publishTestProgram(db, RETURNS_PROGRAM));

  /** A terminal, a member it enrolled (with 100 points from an adjustment) and a sale of BASKET. */
  async function withSale(claim?: number) {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const opening = [f.enrolled(m), f.adjusted(m, 100)];
    const sale = saleOf(f, m, BASKET, claim);
    await pushEvents(db, terminal, [...opening, sale], clock);
    return { terminal, f, m, sale };
  }

  it('takes back exactly the points one returned line earned', async () => {
    const { terminal, f, m, sale } = await withSale();
    expect(sale.payload.points).toBe(37);
    expect(await member(db, m)).toMatchObject({ balance: 137 });
    const ret = returnOf(f, sale, [cake]);
    // The rest (9.00 coffee, 9.00 tea) keeps 18 + 9 = 27: the cake earned 10.
    expect(ret.payload).toMatchObject({ points: 10, spend: 1000 });
    const [result] = await pushEvents(db, terminal, [ret], clock);
    expect(result).toMatchObject({ outcome: 'stored', status: 'posted' });
    expect(await eventRow(db, ret.id)).toMatchObject({
      applied: true,
      points_delta: -10,
      ruled_points: null,
    });
    const after = await member(db, m);
    expect(after).toMatchObject({ balance: 127, debt: 0, purchases: 1 });
    expect(after.totals.earned).toBe(27);
    // The sale's batch keeps what the sale still counts for.
    expect(after.batches.find((b) => b.eventId === sale.id)).toMatchObject({ points: 27, remaining: 27 });
    expect(await appliedSum(db, m)).toBe(127);
    expect(await reviewsOf(db, terminal.id)).toEqual([]);
  });

  it('takes back exactly the sale’s applied points over two partial returns and then the rest', async () => {
    const { terminal, f, m, sale } = await withSale();
    const first = returnOf(f, sale, [{ line: 0, sku: 'coffee', quantity: 1 }]);
    const second = returnOf(f, sale, [{ line: 2, sku: 'tea', quantity: 2 }, cake], [first]);
    const rest = returnOf(
      f,
      sale,
      [
        { line: 0, sku: 'coffee', quantity: 1 },
        { line: 2, sku: 'tea', quantity: 1 },
      ],
      [first, second],
    );
    // The first two in one batch, the rest in another (its earlier returns loaded from the database).
    await pushEvents(db, terminal, [first, second], clock);
    await pushEvents(db, terminal, [rest], clock);
    const taken = [first, second, rest].map((r) => r.payload.points);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(37);
    for (const r of [first, second, rest])
      expect(await eventRow(db, r.id)).toMatchObject({
        status: 'posted',
        applied: true,
        points_delta: -r.payload.points,
        ruled_points: null,
      });
    const after = await member(db, m);
    expect(after).toMatchObject({ balance: 100, debt: 0 });
    expect(after.totals.earned).toBe(0);
    expect(after.batches.some((b) => b.eventId === sale.id)).toBe(false);
    expect(await appliedSum(db, m)).toBe(100);

    // Nothing is left: one more unit of any line is beyond its quantity.
    const more = returnOf(f, sale, [{ line: 2, sku: 'tea', quantity: 1 }], [first, second, rest]);
    const [refused] = await pushEvents(db, terminal, [more], clock);
    expect(refused?.reason).toMatch(/^return refused: line 3 \(tea\) has 0 of 3 left to return, not 1/);
  });

  it('overrules a till that takes back less than the rule, to the rule’s figure', async () => {
    const { terminal, f, m, sale } = await withSale();
    const cheap = returnOf(f, sale, [cake], [], 1);
    const [result] = await pushEvents(db, terminal, [cheap], clock);
    expect(result?.status).toBe('flagged');
    expect(await eventRow(db, cheap.id)).toMatchObject({
      applied: true,
      points_delta: -10,
      ruled_points: 10,
    });
    expect((await member(db, m)).balance).toBe(127);
    const [item] = await reviewsOf(db, terminal.id);
    expect(item).toMatchObject({
      kind: 'return-mismatch',
      event_id: cheap.id,
      details: { claimed: 1, computed: 10, applied: 10 },
    });
    // A later return counts what HQ took (10), not the claim: the rest takes back exactly what is left.
    const rest = returnOf(
      f,
      sale,
      [
        { line: 0, sku: 'coffee', quantity: 2 },
        { line: 2, sku: 'tea', quantity: 3 },
      ],
      [cheap],
      27,
    );
    await pushEvents(db, terminal, [rest], clock);
    expect(await eventRow(db, rest.id)).toMatchObject({ points_delta: -27, ruled_points: null });
    expect((await member(db, m)).balance).toBe(100);
  });

  it('takes back from the figure HQ applied for an over-claimed sale, never more than is left', async () => {
    const { terminal, f, m, sale } = await withSale(500); // HQ applies 37, holds 463
    expect(await eventRow(db, sale.id)).toMatchObject({ ruled_points: 37 });
    const all = returnOf(f, sale, [
      { line: 0, sku: 'coffee', quantity: 2 },
      cake,
      { line: 2, sku: 'tea', quantity: 3 },
    ]);
    expect(all.payload.points).toBe(500); // the till takes back what it gave
    await pushEvents(db, terminal, [all], clock);
    expect(await eventRow(db, all.id)).toMatchObject({ applied: true, points_delta: -37, ruled_points: 37 });
    expect(await member(db, m)).toMatchObject({ balance: 100, debt: 0 });
  });

  it('refuses what the return rule refuses, kept and not applied, each with a return-refused item', async () => {
    const { terminal, f, m, sale } = await withSale();
    const other = uniq('m');
    await pushEvents(db, terminal, [f.enrolled(other)], clock);
    const altered = { ...sale, payload: { ...sale.payload, points: 36 } };
    const attempts = {
      'beyond-quantity': returnOf(f, sale, [{ line: 2, sku: 'tea', quantity: 4 }]),
      'unknown-line': returnOf(f, sale, [{ line: 1, sku: 'tea', quantity: 1 }]),
      'other-member': f.seal('points-returned', other, returnPayload(sale, [cake])),
      'differs-from-held': returnOf(f, altered, [cake]),
    };
    const results = await pushEvents(db, terminal, Object.values(attempts), clock);
    expect(results.map((r) => r.status)).toEqual(['flagged', 'flagged', 'flagged', 'flagged']);
    for (const e of Object.values(attempts))
      expect(await eventRow(db, e.id)).toMatchObject({ applied: false, points_delta: 0 });
    const items = (await reviewsOf(db, terminal.id)).filter((r) => r.kind === 'return-refused');
    expect(items.map((i) => [i.event_id, i.details.refusal])).toEqual(
      Object.entries(attempts).map(([reason, e]) => [e.id, reason]),
    );
    expect(results[0]?.reason).toMatch(/^return refused: line 3 \(tea\) has 3 of 3 left to return, not 4/);
    expect(await member(db, m)).toMatchObject({ balance: 137 });
    expect(await member(db, other)).toMatchObject({ balance: 0 });

    // A voided sale has nothing left to return.
    const voided = f.voided(sale);
    const late = returnOf(f, sale, [cake]);
    const [, lateResult] = await pushEvents(db, terminal, [voided, late], clock);
    expect(lateResult?.reason).toMatch(/^return refused: sale .* was voided/);
    expect(await eventRow(db, late.id)).toMatchObject({ applied: false });
    expect(await member(db, m)).toMatchObject({ balance: 100 });
  });

  it('refuses a void of a sale with a return counted (its lines left are returned instead)', async () => {
    const { terminal, f, m, sale } = await withSale();
    await pushEvents(db, terminal, [returnOf(f, sale, [cake])], clock);
    const voided = f.voided(sale);
    const [result] = await pushEvents(db, terminal, [voided], clock);
    expect(result?.status).toBe('flagged');
    expect(result?.reason).toMatch(/^void after a return: lines of sale .* were returned/);
    expect(await eventRow(db, voided.id)).toMatchObject({ applied: false, points_delta: 0 });
    expect((await reviewsOf(db, terminal.id)).map((r) => r.kind)).toEqual(['void-after-return']);
    expect((await member(db, m)).balance).toBe(127);
  });

  it('refuses a void of a sale returned earlier in the same batch', async () => {
    const { terminal, f, m, sale } = await withSale();
    const ret = returnOf(f, sale, [cake]);
    const voided = f.voided(sale);
    const results = await pushEvents(db, terminal, [ret, voided], clock);
    expect(results.map((r) => r.status)).toEqual(['posted', 'flagged']);
    expect((await member(db, m)).balance).toBe(127);
  });

  // A return that reaches HQ before its sale (a gap in the terminal's chain) takes back nothing while HQ
  // lacks the sale, as a void of an original HQ lacks; when the gap fills, the terminal's order puts the
  // sale first, and the return is ruled again from it: the till's figure, its review item resolved.
  it('takes back nothing for a return whose sale is missing, then the rule’s figure once the gap fills', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const enrolled = f.enrolled(m);
    const sale = saleOf(f, m);
    const ret = returnOf(f, sale, [cake]);
    await pushEvents(db, terminal, [enrolled], clock);
    const [early] = await pushEvents(db, terminal, [ret], clock);
    expect(early?.status).toBe('flagged');
    expect(early?.reason).toMatch(/which HQ has not applied: applied at 0 until HQ applies the sale/);
    expect(await eventRow(db, ret.id)).toMatchObject({ applied: true, points_delta: 0, ruled_points: 0 });
    expect((await member(db, m)).balance).toBe(0);
    const kinds = async () =>
      (await listReviews(db, { memberId: m })).map((i) => [i.kind, i.status, i.details.resolution]);
    expect(await kinds()).toEqual([
      ['gap', 'open', undefined],
      ['return-unknown', 'open', undefined],
    ]);

    await pushEvents(db, terminal, [sale], clock);
    expect(await eventRow(db, sale.id)).toMatchObject({ applied: true, points_delta: 37 });
    expect(await eventRow(db, ret.id)).toMatchObject({
      applied: true,
      points_delta: -10,
      ruled_points: null,
    });
    expect(await member(db, m)).toMatchObject({ balance: 27, debt: 0 });
    expect(await kinds()).toEqual([
      ['gap', 'resolved', 'the missing events arrived'],
      ['return-unknown', 'resolved', 'the sale arrived before it in its terminal order'],
    ]);
  });

  it('counts what returns take back as redeemed in the day close and the daily flows', async () => {
    const { terminal, f, m, sale } = await withSale();
    const day = sale.occurredAt.slice(0, 10);
    const closeBefore = await hqCloseFigures(db, terminal.id, day, 'Europe/Paris');
    const flowsBefore = await dailyFlows(db, 'Europe/Paris', { from: day, to: day });
    const cheap = returnOf(f, sale, [cake], [], 1); // HQ takes 10
    await pushEvents(db, terminal, [cheap], clock);
    const closeAfter = await hqCloseFigures(db, terminal.id, day, 'Europe/Paris');
    // The close compares what both ends count (the terminal's claim: 1).
    expect(closeAfter.pointsRedeemed - closeBefore.pointsRedeemed).toBe(1);
    expect(closeAfter.pointsIssued).toBe(closeBefore.pointsIssued);
    // The reports count what HQ applied (10), as points debited.
    const flowsAfter = await dailyFlows(db, 'Europe/Paris', { from: day, to: day });
    expect((flowsAfter[0]?.redeemed ?? 0) - (flowsBefore[0]?.redeemed ?? 0)).toBe(10);
    expect(flowsAfter[0]?.issued).toBe(flowsBefore[0]?.issued);
    expect((await member(db, m)).balance).toBe(127);
  });
});

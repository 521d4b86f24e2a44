// The console's review queue on both databases: who may list, open and decide; store managers held to
// their stores' items (list, open, decide); filters and paging; an item's events and its member's
// history; approve credits the held points under the console user's name; reject needs a note; audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { publishTestProgram } from '../store/helpers.js';
import { balanceOf, enrolledMember, insertHeldReview } from '../store/review-fixtures.js';
import { signedIn, type ConsoleClient } from './session.js';

describe.each(databases)('console review queue on %s', { timeout: 60_000 }, (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let admin: ConsoleClient;
  let analyst: ConsoleClient;
  let manager: ConsoleClient;
  /** Two members, one enrolled in each of two stores, and an item holding points for each. */
  let a: { memberId: string; terminalId: string; storeId: string; item: number };
  let b: { memberId: string; terminalId: string; storeId: string; item: number };
  let hqItem: number;

  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await publishTestProgram(h.db);
    const inA = await enrolledMember(h.db, h.clock, 100);
    const inB = await enrolledMember(h.db, h.clock, 100);
    a = {
      ...inA,
      item: await insertHeldReview(h.db, { memberId: inA.memberId, held: 40, terminalId: inA.terminalId }),
    };
    b = {
      ...inB,
      item: await insertHeldReview(h.db, { memberId: inB.memberId, held: 25, terminalId: inB.terminalId }),
    };
    hqItem = await insertHeldReview(h.db, { memberId: null, held: 5, kind: 'apply-error' });
    // Item a names the member's earn event, as HQ's items do.
    await h.db.query(
      "UPDATE review_items SET event_id = (SELECT id::text FROM events WHERE member_id = $1 AND type = 'points-earned') WHERE id = $2",
      [a.memberId, a.item],
    );
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
    analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    manager = await signedIn(h.app, h.db, h.clock, 'store-manager', [a.storeId]);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('lists with filters and pages, each item with its store', async () => {
    const all = await analyst.ok(CONSOLE_API.listReviews, { query: { status: 'open' } });
    expect(all.items.map((i) => [i.id, i.storeId])).toEqual([
      [a.item, a.storeId],
      [b.item, b.storeId],
      [hqItem, null],
    ]);
    const kind = await analyst.ok(CONSOLE_API.listReviews, { query: { kind: 'apply-error' } });
    expect(kind.items.map((i) => i.id)).toEqual([hqItem]);
    const store = await analyst.ok(CONSOLE_API.listReviews, { query: { storeId: b.storeId } });
    expect(store.items.map((i) => i.id)).toEqual([b.item]);
    const first = await analyst.ok(CONSOLE_API.listReviews, { query: { limit: 2 } });
    expect(first.items.map((i) => i.id)).toEqual([a.item, b.item]);
    const second = await analyst.ok(CONSOLE_API.listReviews, { query: { limit: 2, after: first.next! } });
    expect(second).toEqual({ items: [expect.objectContaining({ id: hqItem })], next: null });
    const future = await analyst.ok(CONSOLE_API.listReviews, {
      query: { from: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(future.items).toEqual([]);
  });

  it('shows a store manager only their stores’ items, and refuses the others’ to open or decide', async () => {
    const mine = await manager.ok(CONSOLE_API.listReviews);
    expect(mine.items.map((i) => i.id)).toEqual([a.item]);
    const asked = await manager.call(CONSOLE_API.listReviews, { query: { storeId: b.storeId } });
    expect(asked.statusCode).toBe(403);
    expect((await manager.call(CONSOLE_API.review, { params: { id: b.item } })).statusCode).toBe(403);
    expect((await manager.call(CONSOLE_API.review, { params: { id: hqItem } })).statusCode).toBe(403);
    const decide = await manager.call(CONSOLE_API.approveReview, {
      params: { id: b.item },
      body: { note: 'mine?' },
    });
    expect(decide.statusCode).toBe(403);
    expect(await balanceOf(h.db, b.memberId)).toBe(100);
    const still = await analyst.ok(CONSOLE_API.review, { params: { id: b.item } });
    expect(still.item.status).toBe('open');
  });

  it('opens an item with its events and the member’s balance and history', async () => {
    const opened = await manager.ok(CONSOLE_API.review, { params: { id: a.item } });
    expect(opened.item).toMatchObject({
      id: a.item,
      storeId: a.storeId,
      memberId: a.memberId,
      details: { held: 40 },
    });
    expect(opened.events).toEqual([
      expect.objectContaining({
        id: opened.item.eventId,
        type: 'points-earned',
        points: 100,
        storeId: a.storeId,
      }),
    ]);
    expect(opened.member).toMatchObject({ id: a.memberId, balance: 100, erased: false });
    expect(opened.history.map((e) => e.type)).toEqual(['points-earned', 'member-enrolled']);
    expect((await analyst.call(CONSOLE_API.review, { params: { id: 999_999 } })).statusCode).toBe(404);
  });

  it('lets an analyst read but not decide; a rejection needs a note', async () => {
    expect(
      (await analyst.call(CONSOLE_API.approveReview, { params: { id: a.item }, body: {} })).statusCode,
    ).toBe(403);
    const noNote = await admin.call(CONSOLE_API.rejectReview, { params: { id: b.item }, body: {} });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json()).toMatchObject({ problems: [{ path: 'note' }] });
  });

  it('approves with a note: the held points are credited once, under the console user’s name, and audited', async () => {
    const approved = await admin.ok(CONSOLE_API.approveReview, {
      params: { id: b.item },
      body: { note: 'till was offline, claim checked' },
    });
    expect(approved).toMatchObject({
      status: 'resolved',
      decision: 'approved',
      resolvedBy: admin.session.user.username,
      note: 'till was offline, claim checked',
      storeId: b.storeId,
    });
    expect(approved.creditEventId).not.toBeNull();
    expect(await balanceOf(h.db, b.memberId)).toBe(125);
    const again = await admin.call(CONSOLE_API.approveReview, { params: { id: b.item }, body: {} });
    expect(again.statusCode).toBe(409);
    expect(await balanceOf(h.db, b.memberId)).toBe(125);

    const { entries } = await admin.ok(CONSOLE_API.auditLog, { query: { action: 'review.approve' } });
    expect(entries.slice(0, 2)).toMatchObject([
      { target: `review ${b.item}`, outcome: 'refused', details: { error: 'review-resolved' } },
      {
        actor: admin.session.user.username,
        target: `review ${b.item}`,
        outcome: 'done',
        reason: 'till was offline, claim checked',
        details: { decision: 'approved', memberId: b.memberId, creditEventId: approved.creditEventId },
      },
    ]);
  });

  it('lets a store manager decide their own store’s item', async () => {
    const rejected = await manager.ok(CONSOLE_API.rejectReview, {
      params: { id: a.item },
      body: { note: 'duplicate of a till correction' },
    });
    expect(rejected).toMatchObject({ decision: 'rejected', resolvedBy: manager.session.user.username });
    expect(await balanceOf(h.db, a.memberId)).toBe(100);
    const open = await manager.ok(CONSOLE_API.listReviews, { query: { status: 'open' } });
    expect(open.items).toEqual([]);
  });
});

// The review queue: items opened in a transaction roll back with it; the list filters and pages in queue
// order; HQ's own resolution and an administrator's approval or rejection are recorded on the item; an
// approval credits the points an item holds exactly once, as an HQ event, even when two race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import {
  approveReview,
  getReview,
  listReviewPage,
  listReviews,
  openReview,
  openReviewCounts,
  openReviews,
  rejectReview,
  resolveReview,
  ReviewNotCreditableError,
  ReviewResolvedError,
  UnknownReviewError,
} from '../../../src-hq/store/reviews.js';
import { InvalidInputError } from '../../../src-hq/store/stores.js';
import { databases, postgresDatabase, type TestDatabase, testDatabase } from '../../support/databases.js';
import { addTerminal, clockAt, publishTestProgram, uniq } from './helpers.js';
import { balanceOf, enrolledMember, holdReviewLock, hqCredits, insertHeldReview } from './review-fixtures.js';

const NOW = '2025-03-10T12:00:00.000Z';

describe.each(databases)('reviews on %s', (_name, open) => {
  const clock = clockAt(NOW);
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('opens, lists, filters and resolves items (HQ itself: decision resolved, by hq)', async () => {
    const kind = uniq('kind');
    await openReview(db, { kind, memberId: 'm-1', details: { n: 1 } });
    await openReviews(db, [
      { kind, terminalId: 't-1', eventId: 'e-1', details: { n: 2 } },
      { kind: `${kind}-other`, details: {} },
    ]);
    await expect(
      db.transaction(async (tx) => {
        await openReview(tx, { kind, details: { n: 3 } });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const items = await listReviews(db, { kind });
    expect(
      items.map((i) => [i.memberId, i.terminalId, i.eventId, i.details, i.status, i.resolvedAt, i.decision]),
    ).toEqual([
      ['m-1', null, null, { n: 1 }, 'open', null, null],
      [null, 't-1', 'e-1', { n: 2 }, 'open', null, null],
    ]);
    expect(await listReviews(db, { kind, limit: 1 })).toHaveLength(1);
    const first = items[0]!;
    expect(await resolveReview(db, first.id, NOW, 'the missing events arrived')).toBe(true);
    expect(await resolveReview(db, first.id, NOW)).toBe(false);
    expect((await listReviews(db, { kind, status: 'open' })).map((i) => i.details)).toEqual([{ n: 2 }]);
    expect(await listReviews(db, { kind, status: 'resolved' })).toEqual([
      {
        ...first,
        status: 'resolved',
        resolvedAt: NOW,
        decision: 'resolved',
        resolvedBy: 'hq',
        note: 'the missing events arrived',
      },
    ]);
    expect(await getReview(db, first.id)).toMatchObject({ decision: 'resolved', resolvedBy: 'hq' });
    // Ingest resolving an item with a statement that sets only status and time: still HQ's own resolution.
    const second = items[1]!;
    await db.query("UPDATE review_items SET status = 'resolved', resolved_at = $2 WHERE id = $1", [
      second.id,
      NOW,
    ]);
    expect(await getReview(db, second.id)).toMatchObject({ decision: 'resolved', resolvedBy: 'hq' });
    expect((await listReviews(db, { kind, decision: 'resolved' })).map((i) => i.id)).toEqual([
      first.id,
      second.id,
    ]);
    // The table keeps resolutions whole: no decision on an open item, no resolution without its time.
    await openReview(db, { kind, details: { n: 4 } });
    const [fourth] = await listReviews(db, { kind, status: 'open' });
    await expect(
      db.query("UPDATE review_items SET decision = 'approved' WHERE id = $1", [fourth!.id]),
    ).rejects.toThrow(/review_items_resolution/);
    await expect(
      db.query("UPDATE review_items SET status = 'resolved' WHERE id = $1", [fourth!.id]),
    ).rejects.toThrow(/review_items_resolution/);
    expect(await getReview(db, 9_999_999)).toBeNull();
  });

  it('approving an item that holds points credits exactly those points once, as an HQ event', async () => {
    const { memberId } = await enrolledMember(db, clock, 100);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 40 });

    const approved = await approveReview(db, id, { by: 'Ada (back office)', note: 'receipt checked' }, clock);
    expect(approved).toMatchObject({
      id,
      status: 'resolved',
      decision: 'approved',
      resolvedBy: 'Ada (back office)',
      resolvedAt: NOW,
      note: 'receipt checked',
    });
    expect(await balanceOf(db, memberId)).toBe(before + 40);
    const credits = await hqCredits(db, memberId);
    expect(credits).toEqual([
      {
        id: approved.creditEventId,
        terminalId: 'hq',
        storeId: 'hq',
        points: 40,
        reasonCode: 'correction',
        managerId: 'Ada (back office)',
        note: `review #${id}: receipt checked`,
      },
    ]);
    const { rows } = await db.query<{ status: string }>('SELECT status FROM events WHERE id = $1', [
      approved.creditEventId,
    ]);
    expect(rows).toEqual([{ status: 'posted' }]);

    // Again, or rejecting after: refused, nothing changes.
    await expect(approveReview(db, id, { by: 'Bob' }, clock)).rejects.toBeInstanceOf(ReviewResolvedError);
    await expect(rejectReview(db, id, { by: 'Bob', note: 'no' }, clock)).rejects.toThrow(
      /already resolved \(approved by Ada \(back office\)/,
    );
    expect(await balanceOf(db, memberId)).toBe(before + 40);
    expect(await hqCredits(db, memberId)).toHaveLength(1);
    expect(await getReview(db, id)).toEqual(approved);
  });

  it('rejecting credits nothing and needs a note; approving an item that holds nothing only resolves it', async () => {
    const { memberId } = await enrolledMember(db, clock, 50);
    const before = await balanceOf(db, memberId);
    const held = await insertHeldReview(db, { memberId, held: 30 });
    await expect(rejectReview(db, held, { by: 'Ada', note: '  ' }, clock)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(await getReview(db, held)).toMatchObject({ status: 'open', decision: null });
    const rejected = await rejectReview(db, held, { by: 'Ada', note: 'claim not supported' }, clock);
    expect(rejected).toMatchObject({
      decision: 'rejected',
      resolvedBy: 'Ada',
      note: 'claim not supported',
      creditEventId: null,
    });
    await expect(approveReview(db, held, { by: 'Ada' }, clock)).rejects.toBeInstanceOf(ReviewResolvedError);

    const kind = uniq('gap');
    await openReview(db, { kind, memberId, details: { held: -5, from: 3, to: 4 } });
    const [plain] = await listReviews(db, { kind });
    expect(await approveReview(db, plain!.id, { by: 'Ada' }, clock)).toMatchObject({
      decision: 'approved',
      note: null,
      creditEventId: null,
    });
    expect(await balanceOf(db, memberId)).toBe(before);
    expect(await hqCredits(db, memberId)).toEqual([]);
  });

  it('refuses unknown items, bad deciders, and held points it cannot credit (the item stays open)', async () => {
    await expect(approveReview(db, 9_999_999, { by: 'Ada' }, clock)).rejects.toBeInstanceOf(
      UnknownReviewError,
    );
    const nobody = await insertHeldReview(db, { memberId: null, held: 10 });
    await expect(approveReview(db, nobody, { by: 'Ada' }, clock)).rejects.toBeInstanceOf(
      ReviewNotCreditableError,
    );
    const ghost = await insertHeldReview(db, { memberId: uniq('ghost'), held: 10 });
    await expect(approveReview(db, ghost, { by: 'Ada' }, clock)).rejects.toThrow(/not at HQ/);
    await expect(approveReview(db, ghost, { by: ' ' }, clock)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      approveReview(db, ghost, { by: 'Ada', note: 'x'.repeat(501) }, clock),
    ).rejects.toBeInstanceOf(InvalidInputError);
    for (const id of [nobody, ghost]) expect(await getReview(db, id)).toMatchObject({ status: 'open' });
  });

  it('clips a long name and note to what a ledger event holds', async () => {
    const { memberId } = await enrolledMember(db, clock, 10);
    const id = await insertHeldReview(db, { memberId, held: 7 });
    const by = `${'N'.repeat(63)}😀 and more`;
    const note = `${'w'.repeat(300)}`;
    const approved = await approveReview(db, id, { by, note }, clock);
    expect(approved).toMatchObject({ resolvedBy: by, note });
    const [credit] = await hqCredits(db, memberId);
    expect(credit!.managerId).toBe(`${'N'.repeat(63)}…`);
    expect(credit!.note).toHaveLength(200);
    expect(credit!.note!.startsWith(`review #${id}: www`)).toBe(true);
  });

  it('filters by status, decision, kind, member, terminal, store and creation time, and pages by id', async () => {
    const kind = uniq('f');
    const storeId = uniq('s');
    const t1 = await addTerminal(db, storeId);
    const t2 = await addTerminal(db);
    const m = uniq('m');
    const insert = async (member: string | null, terminal: string | null, createdAt: string) => {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO review_items (kind, member_id, terminal_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [kind, member, terminal, createdAt],
      );
      return rows[0]!.id;
    };
    const a = await insert(m, t1.id, '2025-03-01T10:00:00.000Z');
    const b = await insert(null, t1.id, '2025-03-02T10:00:00.000Z');
    const c = await insert(m, t2.id, '2025-03-03T10:00:00.000Z');
    const d = await insert(null, null, '2025-03-04T10:00:00.000Z');
    await rejectReview(db, b, { by: 'Ada', note: 'duplicate' }, clock);
    await resolveReview(db, d, NOW);

    const ids = async (filter: Parameters<typeof listReviews>[1]) =>
      (await listReviews(db, { kind, ...filter })).map((i) => i.id);
    expect(await ids({})).toEqual([a, b, c, d]);
    expect(await ids({ status: 'open' })).toEqual([a, c]);
    expect(await ids({ status: 'resolved' })).toEqual([b, d]);
    expect(await ids({ decision: 'rejected' })).toEqual([b]);
    expect(await ids({ memberId: m })).toEqual([a, c]);
    expect(await ids({ terminalId: t1.id })).toEqual([a, b]);
    expect(await ids({ storeId })).toEqual([a, b]);
    expect(
      await ids({ createdFrom: '2025-03-02T10:00:00.000Z', createdTo: '2025-03-04T10:00:00.000Z' }),
    ).toEqual([b, c]);
    expect(await ids({ memberId: m, terminalId: t2.id, status: 'open' })).toEqual([c]);
    expect(await ids({ kind: `${kind}-none` })).toEqual([]);

    const first = await listReviewPage(db, { kind, limit: 3 });
    expect([first.items.map((i) => i.id), first.next]).toEqual([[a, b, c], c]);
    const second = await listReviewPage(db, { kind, limit: 3, after: first.next! });
    expect([second.items.map((i) => i.id), second.next]).toEqual([[d], null]);
    expect((await listReviewPage(db, { kind, limit: 4 })).next).toBeNull();
  });

  it('counts open items by kind: a resolved item leaves the count', async () => {
    const kind = uniq('count');
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await insertHeldReview(db, { memberId: null, held: 1, kind }));
    const count = async () => (await openReviewCounts(db)).find((k) => k.kind === kind)?.open ?? 0;
    expect(await count()).toBe(3);
    await rejectReview(db, ids[0]!, { by: 'Ada', note: 'no member' }, clock);
    await resolveReview(db, ids[1]!, NOW);
    expect(await count()).toBe(1);
  });
});

// Only PostgreSQL runs transactions side by side (PGlite has one connection).
describe('reviews on postgres, concurrently', () => {
  let t: TestDatabase;
  let db: Db;
  const clock = clockAt(NOW);
  beforeAll(async () => {
    t = await postgresDatabase();
    db = t.db;
    await publishTestProgram(db);
  });
  afterAll(async () => t?.close());

  it('two approvals racing on one item credit once: one wins, one is refused', async () => {
    const { memberId } = await enrolledMember(db, clock, 100);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 25 });
    // Both approvals queue behind a held row lock, then go at once.
    const lock = await holdReviewLock(db, id);
    const racing = Promise.allSettled([
      approveReview(db, id, { by: 'Ada' }, clock),
      approveReview(db, id, { by: 'Bob' }, clock),
    ]);
    await lock.waiters(2, racing);
    await lock.release();
    const outcomes = await racing;
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ReviewResolvedError);
    expect(await balanceOf(db, memberId)).toBe(before + 25);
    expect(await hqCredits(db, memberId)).toHaveLength(1);
  });
});

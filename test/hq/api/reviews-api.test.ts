// The review queue over HTTP: admin token required; list with filters and keyset paging; one item;
// approve credits the held points once under the token's name; reject needs a note and credits nothing;
// 404 for an unknown item, 409 for one resolved already, including when two approvals race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import type { ReviewItem, ReviewPage } from '../../../src-hq/store/reviews.js';
import { createAdminToken } from '../../../src-hq/store/terminals.js';
import { databases, postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { addTerminal, publishTestProgram, uniq } from '../store/helpers.js';
import {
  balanceOf,
  enrolledMember,
  holdReviewLock,
  hqCredits,
  insertHeldReview,
} from '../store/review-fixtures.js';
import { apiHarness, START, type Harness } from './harness.js';

describe.each(databases)('review queue API on %s', (_name, open) => {
  let t: TestDatabase;
  let db: Db;
  let h: Harness;
  beforeAll(async () => {
    t = await open();
    db = t.db;
    await publishTestProgram(db);
    h = await apiHarness(db);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const approve = (id: number | string, payload: object = {}, token: string | null = h.adminToken) =>
    h.request({ method: 'POST', url: `/v1/admin/reviews/${id}/approve`, token, payload });
  const reject = (id: number | string, payload: object = {}, token: string | null = h.adminToken) =>
    h.request({ method: 'POST', url: `/v1/admin/reviews/${id}/reject`, token, payload });
  const list = async (query: string) => {
    const r = await h.request({ method: 'GET', url: `/v1/admin/reviews?${query}`, token: h.adminToken });
    expect(r.statusCode).toBe(200);
    return r.json<ReviewPage>();
  };

  it('answers 401 without an admin token: none, a terminal token, a revoked admin token', async () => {
    const { memberId } = await enrolledMember(db, h.clock, 10);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 5 });
    const terminal = await h.enroll('Till auth');
    const revoked = await createAdminToken(db, 'gone');
    await db.query("UPDATE admin_tokens SET revoked_at = now() WHERE name = 'gone'");
    for (const token of [null, terminal.token, revoked]) {
      for (const r of [
        await h.request({ method: 'GET', url: '/v1/admin/reviews', token }),
        await h.request({ method: 'GET', url: `/v1/admin/reviews/${id}`, token }),
        await approve(id, {}, token),
        await reject(id, { note: 'no' }, token),
      ]) {
        expect(r.statusCode).toBe(401);
        expect(r.json<{ error: string }>().error).toBe(token === null ? 'unauthenticated' : 'invalid-token');
      }
    }
    expect(await balanceOf(db, memberId)).toBe(before);
    expect(
      (await h.request({ method: 'GET', url: `/v1/admin/reviews/${id}`, token: h.adminToken })).json(),
    ).toMatchObject({ id, status: 'open' });
  });

  it('approves under the token name: the held points are credited once as an HQ event; again is 409', async () => {
    const { memberId } = await enrolledMember(db, h.clock, 100);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 60 });

    const r = await approve(id, { note: 'till receipt seen' });
    expect(r.statusCode).toBe(200);
    const item = r.json<ReviewItem>();
    expect(item).toMatchObject({
      id,
      status: 'resolved',
      decision: 'approved',
      resolvedBy: 'tests',
      resolvedAt: START,
      note: 'till receipt seen',
    });
    expect(await balanceOf(db, memberId)).toBe(before + 60);
    expect(await hqCredits(db, memberId)).toEqual([
      {
        id: item.creditEventId,
        terminalId: 'hq',
        storeId: 'hq',
        points: 60,
        reasonCode: 'correction',
        managerId: 'tests',
        note: `review #${id}: till receipt seen`,
      },
    ]);

    for (const again of [await approve(id), await reject(id, { note: 'too late' })]) {
      expect(again.statusCode).toBe(409);
      expect(again.json<{ error: string }>().error).toBe('review-resolved');
    }
    expect(await balanceOf(db, memberId)).toBe(before + 60);
    const shown = await h.request({ method: 'GET', url: `/v1/admin/reviews/${id}`, token: h.adminToken });
    expect(shown.json()).toEqual(item);
  });

  it('rejects with a note and credits nothing; a reject without a note is 400 and changes nothing', async () => {
    const { memberId } = await enrolledMember(db, h.clock, 20);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 15 });
    for (const body of [{}, { note: '   ' }]) {
      const bad = await reject(id, body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: string }>().error).toBe('invalid-request');
    }
    const r = await reject(id, { note: 'claim not supported by the receipt' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      decision: 'rejected',
      resolvedBy: 'tests',
      note: 'claim not supported by the receipt',
      creditEventId: null,
    });
    expect((await approve(id)).statusCode).toBe(409);
    expect(await balanceOf(db, memberId)).toBe(before);
    expect(await hqCredits(db, memberId)).toEqual([]);
  });

  it('answers 404 for an unknown item, 400 for a bad id or body, 409 for points it cannot credit', async () => {
    for (const r of [
      await h.request({ method: 'GET', url: '/v1/admin/reviews/9999999', token: h.adminToken }),
      await approve(9_999_999),
      await reject(9_999_999, { note: 'x' }),
    ]) {
      expect(r.statusCode).toBe(404);
      expect(r.json<{ error: string }>().error).toBe('unknown-review');
    }
    const id = await insertHeldReview(db, { memberId: null, held: 3 });
    for (const r of [
      await h.request({ method: 'GET', url: '/v1/admin/reviews/abc', token: h.adminToken }),
      await approve('0'),
      await approve(id, { note: 'ok', points: 5 }),
      await approve(id, { note: 'x'.repeat(501) }),
    ])
      expect(r.statusCode).toBe(400);
    const unpayable = await approve(id);
    expect(unpayable.statusCode).toBe(409);
    expect(unpayable.json<{ error: string }>().error).toBe('review-not-creditable');
  });

  it('lists with filters and keyset paging, oldest first', async () => {
    const kind = uniq('k');
    const storeId = uniq('s');
    const t1 = await addTerminal(db, storeId);
    const m = uniq('m');
    const ids: number[] = [];
    for (const [member, terminal, at] of [
      [m, t1.id, '2025-03-01T08:00:00.000Z'],
      [null, t1.id, '2025-03-02T08:00:00.000Z'],
      [m, null, '2025-03-03T08:00:00.000Z'],
    ] as const) {
      const { rows } = await db.query<{ id: number }>(
        'INSERT INTO review_items (kind, member_id, terminal_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [kind, member, terminal, at],
      );
      ids.push(rows[0]!.id);
    }
    const [a, b, c] = ids as [number, number, number];
    expect((await reject(b, { note: 'noise' })).statusCode).toBe(200);
    const idsOf = async (query: string) => (await list(`kind=${kind}&${query}`)).items.map((i) => i.id);
    expect(await idsOf('')).toEqual([a, b, c]);
    expect(await idsOf('status=open')).toEqual([a, c]);
    expect(await idsOf('status=resolved&decision=rejected')).toEqual([b]);
    expect(await idsOf(`memberId=${m}`)).toEqual([a, c]);
    expect(await idsOf(`terminalId=${t1.id}`)).toEqual([a, b]);
    expect(await idsOf(`storeId=${storeId}&status=open`)).toEqual([a]);
    expect(await idsOf('from=2025-03-02T08:00:00Z&to=2025-03-03T08:00:00%2B00:00')).toEqual([b]);
    const page = await list(`kind=${kind}&limit=2`);
    expect([page.items.map((i) => i.id), page.next]).toEqual([[a, b], b]);
    const rest = await list(`kind=${kind}&limit=2&after=${page.next}`);
    expect([rest.items.map((i) => i.id), rest.next]).toEqual([[c], null]);

    for (const query of ['status=closed', 'limit=0', 'from=yesterday', 'after=-1', 'colour=red']) {
      const r = await h.request({ method: 'GET', url: `/v1/admin/reviews?${query}`, token: h.adminToken });
      expect(r.statusCode).toBe(400);
    }
  });
});

// Only PostgreSQL runs two requests' transactions side by side.
describe('review queue API on postgres, concurrently', () => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await postgresDatabase();
    await publishTestProgram(t.db);
    h = await apiHarness(t.db);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('two admins approving at once: one 200, one 409, one credit', async () => {
    const db = t.db;
    const { memberId } = await enrolledMember(db, h.clock, 100);
    const before = await balanceOf(db, memberId);
    const id = await insertHeldReview(db, { memberId, held: 35 });
    const second = await createAdminToken(db, 'second admin');
    // Both requests queue behind a held row lock, then go at once.
    const lock = await holdReviewLock(db, id);
    const racing = Promise.all(
      [h.adminToken, second].map((token) =>
        h.request({ method: 'POST', url: `/v1/admin/reviews/${id}/approve`, token, payload: {} }),
      ),
    );
    await lock.waiters(2, racing);
    await lock.release();
    const answers = await racing;
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await balanceOf(db, memberId)).toBe(before + 35);
    expect(await hqCredits(db, memberId)).toHaveLength(1);
  });
});

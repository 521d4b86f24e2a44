// Push, pull, lookup and the day close through the HTTP API, on PGlite and on real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { phoneHash } from '../../../src-shared/ledger/phone.js';
import {
  closeFiguresFromEvents,
  closeResponseSchema,
  errorBodySchema,
  eventDocSchema,
  lookupResponseSchema,
  memberDocSchema,
  pushResponseSchema,
} from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { STEP_REWARD, eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

describe.each(databases)('push and pull through the API on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;

  beforeAll(async () => {
    t = await open();
    // With the 1-point reward eventFactory's redemptions name, so HQ applies them as claimed.
    await publishProgram(t.db, testProgram({ rewards: [STEP_REWARD] }));
    h = await apiHarness(t.db);
  });
  afterAll(async () => {
    await h.close();
    await t.close();
  });

  it('pushes events and pulls them back with their status, exactly once', async () => {
    const { token, terminalId } = await h.enroll('Till push');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const events = [f.enrolled('m-push'), f.earned('m-push', 120)];

    const res = await h.request({ method: 'POST', url: '/v1/events', token, payload: { events } });
    expect(res.statusCode).toBe(200);
    const { results } = pushResponseSchema.parse(res.json());
    expect(results).toEqual([
      { id: events[0]?.id, outcome: 'stored', status: 'posted', memberSeq: 1, reason: null },
      { id: events[1]?.id, outcome: 'stored', status: 'posted', memberSeq: 2, reason: null },
    ]);

    // A retry after a lost reply duplicates nothing.
    const again = await h.request({ method: 'POST', url: '/v1/events', token, payload: { events } });
    expect(again.statusCode).toBe(200);
    expect(pushResponseSchema.parse(again.json()).results.map((r) => r.outcome)).toEqual([
      'duplicate',
      'duplicate',
    ]);

    const pulled = await h.request({ method: 'GET', url: '/v1/pull/events?limit=10', token });
    expect(pulled.statusCode).toBe(200);
    const page = pulled.json<{ documents: unknown[]; checkpoint: { seq: number } }>();
    const docs = page.documents.map((d) => eventDocSchema.parse(d));
    expect(docs.map((d) => [d.id, d.status, d.memberSeq])).toEqual([
      [events[0]?.id, 'posted', 1],
      [events[1]?.id, 'posted', 2],
    ]);
    expect(docs[1]?.event).toEqual(events[1]);

    const after = await h.request({
      method: 'GET',
      url: `/v1/pull/events?checkpoint=${page.checkpoint.seq}`,
      token,
    });
    expect(after.json()).toEqual({ documents: [], checkpoint: page.checkpoint });

    // Members replicate to every terminal; events only to the one that made them.
    const other = await h.enroll('Till other');
    const theirEvents = await h.request({ method: 'GET', url: '/v1/pull/events', token: other.token });
    expect(theirEvents.json<{ documents: unknown[] }>().documents).toEqual([]);
    const members = await h.request({ method: 'GET', url: '/v1/pull/members', token: other.token });
    const member = members
      .json<{ documents: unknown[] }>()
      .documents.map((d) => memberDocSchema.parse(d))
      .find((m) => m.id === 'm-push');
    expect(member).toMatchObject({ balance: 120, memberSeq: 2, _deleted: false });

    const programs = await h.request({ method: 'GET', url: '/v1/pull/programs', token });
    expect(programs.json<{ documents: { programId: string }[] }>().documents[0]?.programId).toBe(
      'test-program',
    );
  });

  it("refuses another terminal's events with 403 and stores none of the batch", async () => {
    const mine = await h.enroll('Till honest');
    const theirs = await h.enroll('Till victim');
    const own = eventFactory({ terminalId: mine.terminalId, storeId: STORE_ID });
    const forged = eventFactory({ terminalId: theirs.terminalId, storeId: STORE_ID });
    const res = await h.request({
      method: 'POST',
      url: '/v1/events',
      token: mine.token,
      payload: { events: [own.enrolled('m-honest'), forged.enrolled('m-forged')] },
    });
    expect(res.statusCode).toBe(403);
    expect(errorBodySchema.parse(res.json()).error).toBe('forbidden');
    const stored = await t.db.query('SELECT 1 FROM events WHERE terminal_id = ANY($1)', [
      [mine.terminalId, theirs.terminalId],
    ]);
    expect(stored.rowCount).toBe(0);
    const members = await t.db.query("SELECT 1 FROM members WHERE id IN ('m-honest', 'm-forged')");
    expect(members.rowCount).toBe(0);
  });

  it('looks members up by card and by phone hash', async () => {
    const { token, terminalId } = await h.enroll('Till lookup');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const hash = phoneHash('+33612345678');
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: {
        events: [
          f.enrolled('m-card', { cards: ['7280001111222233'], phoneHash: hash, phoneLast4: '5678' }),
          f.enrolled('m-card-2', { phoneHash: hash, phoneLast4: '5678' }),
        ],
      },
    });
    expect(pushed.statusCode).toBe(200);

    const byCard = await h.request({ method: 'GET', url: '/v1/members/lookup?card=7280001111222233', token });
    expect(byCard.statusCode).toBe(200);
    expect(byCard.headers['cache-control']).toBe('no-store');
    expect(lookupResponseSchema.parse(byCard.json()).members.map((m) => m.id)).toEqual(['m-card']);

    const byPhone = await h.request({ method: 'GET', url: `/v1/members/lookup?phoneHash=${hash}`, token });
    expect(
      lookupResponseSchema
        .parse(byPhone.json())
        .members.map((m) => m.id)
        .sort(),
    ).toEqual(['m-card', 'm-card-2']);

    const none = await h.request({ method: 'GET', url: '/v1/members/lookup?card=0000', token });
    expect(none.json()).toEqual({ members: [] });
    const both = await h.request({
      method: 'GET',
      url: `/v1/members/lookup?card=1&phoneHash=${hash}`,
      token,
    });
    expect(both.statusCode).toBe(400);
  });

  it('closes a matching day', async () => {
    const { token, terminalId } = await h.enroll('Till close');
    const f = eventFactory({ terminalId, storeId: STORE_ID, start: '2025-03-03T09:00:00.000Z' });
    const events = [
      // No welcome bonus, as the program gives none (a claimed one would be held at HQ).
      f.enrolled('m-close'),
      f.earned('m-close', 95),
      f.redeemed('m-close', 50),
    ];
    // 23:30 UTC is 00:30 the next day in Paris: another business day.
    const nextDay = f.earned('m-close', 5, '2025-03-03T23:30:00.000Z');
    await h.request({ method: 'POST', url: '/v1/events', token, payload: { events: [...events, nextDay] } });

    const figures = closeFiguresFromEvents('2025-03-03', events);
    const res = await h.request({ method: 'POST', url: '/v1/close', token, payload: figures });
    expect(res.statusCode).toBe(200);
    expect(closeResponseSchema.parse(res.json())).toEqual({
      status: 'match',
      hq: figures,
      differences: [],
      missing: [],
    });
    expect(figures).toMatchObject({
      firstSeq: 1,
      lastSeq: 3,
      count: 3,
      pointsIssued: 95,
      pointsRedeemed: 50,
    });

    const next = closeFiguresFromEvents('2025-03-04', [nextDay]);
    const res2 = await h.request({ method: 'POST', url: '/v1/close', token, payload: next });
    expect(res2.json()).toMatchObject({ status: 'match', hq: next });

    const stored = await t.db.query<{ status: string }>(
      'SELECT status FROM day_closes WHERE terminal_id = $1 ORDER BY business_day',
      [terminalId],
    );
    expect(stored.rows).toEqual([{ status: 'match' }, { status: 'match' }]);
  });

  it('answers a mismatch with the differences and the missing range, and queues a review', async () => {
    const { token, terminalId } = await h.enroll('Till lossy');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const events = [
      f.enrolled('m-lossy'),
      f.earned('m-lossy', 10),
      f.earned('m-lossy', 20),
      f.earned('m-lossy', 30),
      f.earned('m-lossy', 40),
    ];
    // Events 3 and 4 never reach HQ.
    const delivered = [events[0], events[1], events[4]];
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: delivered },
    });
    expect(pushed.statusCode).toBe(200);

    const figures = closeFiguresFromEvents('2025-03-03', events);
    const res = await h.request({ method: 'POST', url: '/v1/close', token, payload: figures });
    expect(res.statusCode).toBe(200);
    const close = closeResponseSchema.parse(res.json());
    expect(close.status).toBe('mismatch');
    expect(close.missing).toEqual([[3, 4]]);
    expect(close.differences).toEqual([
      { field: 'count', terminal: 5, hq: 3 },
      { field: 'pointsIssued', terminal: 100, hq: 50 },
    ]);
    expect(close.hq).toMatchObject({ firstSeq: 1, lastSeq: 5, count: 3, lastHash: events[4]?.hash });

    // Closing again does not queue a second item for the same day.
    await h.request({ method: 'POST', url: '/v1/close', token, payload: figures });
    const reviews = await h.request({
      method: 'GET',
      url: '/v1/admin/reviews?status=open&kind=close-mismatch',
      token: h.adminToken,
    });
    expect(reviews.statusCode).toBe(200);
    const items = reviews
      .json<{ items: { terminalId: string; details: { businessDay: string; missing: unknown } }[] }>()
      .items.filter((i) => i.terminalId === terminalId);
    expect(items).toHaveLength(1);
    expect(items[0]?.details).toMatchObject({ businessDay: '2025-03-03', missing: [[3, 4]] });

    const stored = await t.db.query<{ status: string }>(
      'SELECT status FROM day_closes WHERE terminal_id = $1',
      [terminalId],
    );
    expect(stored.rows).toEqual([{ status: 'mismatch' }]);
  });

  it('refuses close figures that contradict themselves', async () => {
    const { token } = await h.enroll('Till odd');
    const res = await h.request({
      method: 'POST',
      url: '/v1/close',
      token,
      payload: {
        businessDay: '2025-02-30',
        firstSeq: 0,
        lastSeq: 0,
        count: 0,
        lastHash: null,
        pointsIssued: 0,
        pointsRedeemed: 0,
      },
    });
    expect(res.statusCode).toBe(400);
    const odd = await h.request({
      method: 'POST',
      url: '/v1/close',
      token,
      payload: {
        businessDay: '2025-03-03',
        firstSeq: 5,
        lastSeq: 2,
        count: 1,
        lastHash: 'a'.repeat(64),
        pointsIssued: 0,
        pointsRedeemed: 0,
      },
    });
    expect(odd.statusCode).toBe(400);
  });
});

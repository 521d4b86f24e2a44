// Deliveries to a real messaging tool (a local HTTP receiver) on both databases, driven by a manual clock
// and the worker's tick (no real waiting except the one timeout under test): every batch is kept once by
// its idempotency key, signed so the receiver verifies it, retried after the backoff, carried on by a
// restarted HQ, failed after the last attempt, and never sent again after a success.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import type { SegmentFilter } from '../../../src-shared/console/engagement.js';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import { openPostgres, type Db } from '../../../src-hq/db/database.js';
import { deliverDue, type DeliveryOptions } from '../../../src-hq/jobs/engagement-deliveries.js';
import { claimDue, createDelivery, getDelivery } from '../../../src-hq/store/engagement/deliveries.js';
import { segmentMembers, type SegmentRow } from '../../../src-hq/store/engagement/segments.js';
import { currentProgram, publishProgram } from '../../../src-hq/store/programs.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { testProgram } from '../../support/events.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { addMember, addVisit, profileOf } from '../store/engagement-fixtures.js';
import { startReceiver, type Receiver } from './engagement-receiver.js';
import { signedIn } from './session.js';

const DORMANT: SegmentFilter = { segment: 'dormant', days: 30 };
const OPTIONS: DeliveryOptions = {
  backoff: { initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 0 },
  maxAttempts: 4,
  timeoutMs: 2000,
};

describe.each(databases)('re-engagement webhook deliveries on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let receiver: Receiver;
  let rows: SegmentRow[];
  let made = 0;

  const bodiesIn = async (db: Db, id: string) =>
    (
      await db.query<{ body: string | null }>(
        'SELECT body FROM engagement_delivery_batches WHERE delivery_id = $1::uuid ORDER BY seq',
        [id],
      )
    ).rows.map((r) => r.body);

  /** A delivery of the five members in batches of two (three batches). */
  const newDelivery = async (db: Db = h.db) =>
    (
      await createDelivery(
        db,
        {
          id: `0190a5d4-0000-7000-8000-${String(++made).padStart(12, '0')}`,
          segment: DORMANT,
          members: rows,
          createdBy: 'test',
          batchSize: 2,
        },
        h.clock,
      )
    ).delivery;

  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await publishProgram(h.db, testProgram());
    for (const name of ['Ann', 'Bob', 'Cat', 'Dan', 'Eve']) {
      const id = `m-${name.toLowerCase()}`;
      await addMember(h.db, { id, balance: 100, profile: profileOf(name), consent: true });
      await addVisit(h.db, {
        memberId: id,
        storeId: 's-1',
        at: new Date(h.clock.now() - 60 * DAY_MS).toISOString(),
      });
    }
    const program = (await currentProgram(h.db))!;
    rows = [];
    for await (const row of segmentMembers(h.db, program, DORMANT, h.clock.now(), {
      stores: null,
      reachableOnly: true,
    }))
      rows.push(row);
    expect(rows).toHaveLength(5);
    receiver = await startReceiver(() => h.clock.now());
    const admin = await signedIn(h.app, h.db, h.clock, 'admin');
    const { secret } = await admin.ok(CONSOLE_API.setWebhook, { body: { url: receiver.url } });
    receiver.secret = secret!;
  });
  afterEach(async () => {
    // Each test starts with nothing due.
    await h.db.query(
      "UPDATE engagement_deliveries SET status = 'failed', next_attempt_at = NULL WHERE status = 'sending'",
    );
    receiver.requests.length = 0;
    receiver.kept.clear();
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
    await t?.close();
  });

  it('sends each batch once, signed, in order, retrying failures after the backoff', async () => {
    const delivery = await newDelivery();
    receiver.plan(503, 500);

    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    expect(await getDelivery(h.db, delivery.id)).toMatchObject({
      status: 'sending',
      attempts: 1,
      sentBatches: 0,
      lastError: 'the messaging tool answered 503',
      nextAttemptAt: new Date(h.clock.now() + 1000).toISOString(),
    });
    // Before the backoff has passed nothing is sent.
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    h.clock.advance(999);
    expect((await deliverDue(h.db, h.clock, OPTIONS)).failed).toBe(0);
    h.clock.advance(1);
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    // The second wait doubles.
    h.clock.advance(1999);
    expect((await deliverDue(h.db, h.clock, OPTIONS)).sent).toBe(0);
    h.clock.advance(1);
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 3, failed: 0, gaveUp: 0 });

    expect(await getDelivery(h.db, delivery.id)).toMatchObject({
      status: 'delivered',
      sentBatches: 3,
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(receiver.requests.map((r) => [r.key, r.batch])).toEqual([
      [`${delivery.id}:1`, '1/3'],
      [`${delivery.id}:1`, '1/3'],
      [`${delivery.id}:1`, '1/3'],
      [`${delivery.id}:2`, '2/3'],
      [`${delivery.id}:3`, '3/3'],
    ]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    // Every attempt of a batch is the same bytes.
    expect(new Set(receiver.requests.slice(0, 3).map((r) => r.body)).size).toBe(1);
    const members = [...receiver.kept.values()].flatMap((b) => b.members.map((m) => m.memberId));
    expect(members).toEqual(['m-ann', 'm-bob', 'm-cat', 'm-dan', 'm-eve']);
    expect(receiver.kept.get(`${delivery.id}:1`)).toMatchObject({
      deliveryId: delivery.id,
      batch: 1,
      batches: 3,
      segment: DORMANT,
      members: [
        {
          memberId: 'm-ann',
          name: 'Ann Test',
          email: 'ann@example.com',
          balance: 100,
          reason: expect.stringContaining('100 points unused'),
        },
        { memberId: 'm-bob' },
      ],
    });

    // Delivered: never sent again, and its personal data is no longer kept.
    h.clock.advance(DAY_MS);
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    expect(receiver.requests).toHaveLength(5);
    expect(await bodiesIn(h.db, delivery.id)).toEqual([null, null, null]);
  });

  it('a restarted HQ carries on a delivery where the last one stopped', async () => {
    const delivery = await newDelivery();
    receiver.plan(200, 500);
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 1, failed: 1, gaveUp: 0 });
    await h.close();
    // A new HQ: a new server (and on PostgreSQL a new connection pool) over the same database.
    const db = t.url ? openPostgres(t.url) : t.db;
    const restarted = await apiHarness(db);
    try {
      h.clock.advance(1000);
      expect(await deliverDue(restarted.db, h.clock, OPTIONS)).toEqual({ sent: 2, failed: 0, gaveUp: 0 });
      expect(await getDelivery(restarted.db, delivery.id)).toMatchObject({
        status: 'delivered',
        sentBatches: 3,
      });
    } finally {
      await restarted.close();
      if (db !== t.db) await db.close();
    }
    h = { ...(await apiHarness(t.db)), clock: h.clock };
    expect([...receiver.kept.keys()]).toEqual([1, 2, 3].map((n) => `${delivery.id}:${n}`));
    // Batch 1 succeeded before the restart: sent once only.
    expect(receiver.requests.filter((r) => r.key === `${delivery.id}:1`)).toHaveLength(1);
  });

  it('fails the delivery after the last attempt (a redirect counts as a failure) and drops its bodies', async () => {
    const delivery = await newDelivery();
    receiver.plan(500, 302, 500, 500);
    const waits = [1000, 2000, 4000];
    expect((await deliverDue(h.db, h.clock, OPTIONS)).failed).toBe(1);
    for (const wait of waits) {
      h.clock.advance(wait);
      await deliverDue(h.db, h.clock, OPTIONS);
    }
    expect(await getDelivery(h.db, delivery.id)).toMatchObject({
      status: 'failed',
      attempts: 4,
      sentBatches: 0,
      lastError: 'the messaging tool answered 500',
      nextAttemptAt: null,
      finishedAt: new Date(h.clock.now()).toISOString(),
    });
    expect(receiver.requests).toHaveLength(4);
    expect(await bodiesIn(h.db, delivery.id)).toEqual([null, null, null]);
    h.clock.advance(DAY_MS);
    expect(await deliverDue(h.db, h.clock, OPTIONS)).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
  });

  it('an answer lost to the timeout is sent again under the same key, and kept once', async () => {
    const delivery = await newDelivery();
    receiver.plan('hold');
    const tick = await deliverDue(h.db, h.clock, { ...OPTIONS, timeoutMs: 150 });
    expect(tick).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    expect((await getDelivery(h.db, delivery.id))?.lastError).toBe('no answer within 150 ms');
    h.clock.advance(1000);
    expect((await deliverDue(h.db, h.clock, OPTIONS)).sent).toBe(3);
    const first = receiver.requests.filter((r) => r.key === `${delivery.id}:1`);
    expect(first).toHaveLength(2);
    expect(first[0]!.body).toBe(first[1]!.body);
    expect(receiver.kept.size).toBe(3);
  });

  it('a worker that died holding a delivery gives it back when its lease ends', async () => {
    const delivery = await newDelivery();
    expect((await claimDue(h.db, h.clock, 60_000))?.deliveryId).toBe(delivery.id);
    expect((await deliverDue(h.db, h.clock, OPTIONS)).sent).toBe(0);
    h.clock.advance(60_000);
    expect((await deliverDue(h.db, h.clock, OPTIONS)).sent).toBe(3);
    expect(receiver.requests).toHaveLength(3);
  });

  it('workers running at once send every batch exactly once', async () => {
    const made = [await newDelivery(), await newDelivery(), await newDelivery()];
    const ticks = await Promise.all([1, 2, 3, 4].map(() => deliverDue(h.db, h.clock, OPTIONS)));
    expect(ticks.reduce((sum, tick) => sum + tick.sent, 0)).toBe(9);
    expect(receiver.requests).toHaveLength(9);
    expect(new Set(receiver.requests.map((r) => r.key)).size).toBe(9);
    for (const d of made) expect((await getDelivery(h.db, d.id))?.status).toBe('delivered');
  });

  it('with no webhook set an attempt fails and waits like any other', async () => {
    const delivery = await newDelivery();
    const url = receiver.url;
    await h.db.query('DELETE FROM engagement_webhook');
    try {
      expect((await deliverDue(h.db, h.clock, OPTIONS)).failed).toBe(1);
      expect((await getDelivery(h.db, delivery.id))?.lastError).toBe('no messaging tool webhook is set');
    } finally {
      const admin = await signedIn(h.app, h.db, h.clock, 'admin');
      receiver.secret = (await admin.ok(CONSOLE_API.setWebhook, { body: { url } })).secret!;
    }
  });
});

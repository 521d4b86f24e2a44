// Re-engagement segments read from HQ's tables on both databases: the SQL narrowing keeps every member the
// rule takes and the rule decides (members just outside each threshold are left out), visits are events
// at a store's terminal (HQ's own and quarantined events are no visit), the store filter and scope follow
// the store the member enrolled at, pages walk the segment in id order, and only consenting reachable members are handed out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import type { Program } from '../../../src-shared/program/schema.js';
import type { SegmentFilter } from '../../../src-shared/console/engagement.js';
import { segmentMembers, segmentPage, type SegmentScope } from '../../../src-hq/store/engagement/segments.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { SILVER_GOLD_TIERS, testProgram } from '../../support/events.js';
import { addMember, addVisit, profileOf } from './engagement-fixtures.js';

const AT = Date.parse('2025-03-10T12:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const ALL: SegmentScope = { stores: null };

async function ids(
  db: TestDatabase['db'],
  program: Program,
  filter: SegmentFilter,
  scope: SegmentScope = ALL,
): Promise<string[]> {
  const found: string[] = [];
  for await (const row of segmentMembers(db, program, filter, AT, scope, { chunk: 2 }))
    found.push(row.memberId);
  return found;
}

describe.each(databases)('re-engagement segments on %s', (_name, open) => {
  let t: TestDatabase;
  const rolling = testProgram({
    expiry: { mode: 'rolling', months: 12 },
    tiers: SILVER_GOLD_TIERS,
    rewards: [{ id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'C', cost: 250 }],
  });

  beforeAll(async () => {
    t = await open();
    const db = t.db;
    // Dormant (60 days): last visits around the threshold.
    await addMember(db, {
      id: 'd-edge',
      store: 's-a',
      balance: 100,
      profile: profileOf('Edge'),
      consent: true,
    });
    await addVisit(db, { memberId: 'd-edge', storeId: 's-a', at: iso(AT - 60 * DAY_MS) });
    await addMember(db, { id: 'd-recent', store: 's-a', balance: 100 });
    await addVisit(db, { memberId: 'd-recent', storeId: 's-a', at: iso(AT - 60 * DAY_MS + 1) });
    // HQ's own event and a quarantined push are no visit: the last real one is 90 days ago, at store b.
    await addMember(db, {
      id: 'd-hq-only',
      store: 's-b',
      balance: 40,
      tier: 'gold',
      profile: profileOf('Hq'),
    });
    await addVisit(db, { memberId: 'd-hq-only', storeId: 's-b', at: iso(AT - 90 * DAY_MS) });
    await addVisit(db, { memberId: 'd-hq-only', storeId: 'hq', terminalId: 'hq', at: iso(AT - DAY_MS) });
    await addVisit(db, {
      memberId: 'd-hq-only',
      storeId: 's-a',
      at: iso(AT - 2 * DAY_MS),
      status: 'quarantined',
    });
    await addMember(db, { id: 'd-empty', store: 's-a', balance: 0 });
    await addVisit(db, { memberId: 'd-empty', storeId: 's-a', at: iso(AT - 200 * DAY_MS) });
    // Enrolled at store a, last seen at store b: store a's member.
    await addMember(db, { id: 'd-moved', store: 's-a', balance: 100 });
    await addVisit(db, { memberId: 'd-moved', storeId: 's-b', at: iso(AT - 100 * DAY_MS) });
    // Erased (GDPR) and merged members keep their points in the ledger, but are no one to bring back.
    await addMember(db, { id: 'd-erased', store: 's-a', balance: 100 });
    await addMember(db, { id: 'd-merged', store: 's-a', balance: 100 });
    await db.query("UPDATE members SET erased_at = now() WHERE id = 'd-erased'");
    await db.query("UPDATE members SET merged_into = 'd-edge' WHERE id = 'd-merged'");
    await addMember(db, { id: 'd-deleted', balance: 100, deleted: true });
    await addMember(db, { id: 'd-blocked', balance: 100, status: 'blocked' });

    // Expiring (30 days), rolling batches around the horizon; all with a visit yesterday.
    const batch = (eventId: string, points: number, expiresAt: string) => ({
      eventId,
      earnedAt: '2024-03-01T10:00:00.000Z',
      expiresAt,
      points,
      remaining: points,
    });
    await addMember(db, {
      id: 'x-in',
      balance: 320,
      batches: [batch('b1', 320, iso(AT + 30 * DAY_MS))],
      profile: profileOf('In', null),
      consent: true,
    });
    await addMember(db, {
      id: 'x-out',
      balance: 320,
      batches: [batch('b2', 320, iso(AT + 30 * DAY_MS + 1))],
    });
    for (const id of ['x-in', 'x-out'])
      await addVisit(db, { memberId: id, storeId: 's-a', at: iso(AT - DAY_MS) });

    // Expiring under inactivity expiry (6 months): the deadline 30 days away, and a second later.
    await addMember(db, {
      id: 'y-in',
      store: 's-a',
      balance: 70,
      lastActivityAt: '2024-10-09T12:00:00.000Z',
    });
    await addMember(db, {
      id: 'y-out',
      store: 's-a',
      balance: 70,
      lastActivityAt: '2024-10-09T12:00:01.000Z',
    });
    for (const id of ['y-in', 'y-out'])
      await addVisit(db, { memberId: id, storeId: 's-a', at: iso(AT - DAY_MS) });

    // Near a 250-point reward within 50 points.
    await addMember(db, {
      id: 'n-in',
      balance: 200,
      tier: 'silver',
      profile: profileOf('Near'),
      consent: false,
    });
    await addMember(db, { id: 'n-out', store: 's-b', balance: 199, tier: 'silver' });
    for (const id of ['n-in', 'n-out'])
      await addVisit(db, { memberId: id, storeId: 's-b', at: iso(AT - DAY_MS) });

    // Near a tier-only reward: gold members may redeem the 100-point gift, silver ones only the coffee.
    await addMember(db, { id: 'g-gold', store: 's-a', balance: 90, tier: 'gold' });
    await addMember(db, { id: 'g-silver', store: 's-a', balance: 90, tier: 'silver' });
    for (const id of ['g-gold', 'g-silver'])
      await addVisit(db, { memberId: id, storeId: 's-a', at: iso(AT) });
  });
  afterAll(async () => t?.close());

  it('dormant: the member at the threshold in, a millisecond after it out, HQ events no visit', async () => {
    const found = await ids(t.db, rolling, { segment: 'dormant', days: 60 });
    expect(found).toEqual(['d-edge', 'd-hq-only', 'd-moved']);
    const page = await segmentPage(t.db, rolling, { segment: 'dormant', days: 60 }, AT, ALL, { limit: 10 });
    expect(page.members.find((m) => m.memberId === 'd-hq-only')).toMatchObject({
      storeId: 's-b',
      lastVisitAt: iso(AT - 90 * DAY_MS),
      reason: { text: '40 points unused, last visit 2024-12-10 (90 days ago)', points: 40 },
    });
  });

  it('expiring: the batch at the horizon in, a millisecond later out', async () => {
    expect(await ids(t.db, rolling, { segment: 'expiring', days: 30 })).toEqual(['x-in']);
    // Under a program without expiry nothing expires.
    expect(await ids(t.db, testProgram(), { segment: 'expiring', days: 30 })).toEqual([]);
  });

  it('expiring under inactivity expiry: the deadline from the last activity', async () => {
    const inactivity = testProgram({ expiry: { mode: 'inactivity', months: 6 } });
    const found = await ids(t.db, inactivity, { segment: 'expiring', days: 30 });
    expect(found).toContain('y-in');
    expect(found).not.toContain('y-out');
    // No activity since enrolment on 2024-01-01: the deadline (2024-07-01) has passed, the points are
    // due and not yet expired by the nightly job, so they lapse within the horizon too.
    expect(found).toContain('d-edge');
  });

  it('near-reward: within 50 points in, 51 out', async () => {
    const found = await ids(t.db, rolling, { segment: 'near-reward', withinPoints: 50 });
    expect(found).toContain('n-in');
    expect(found).not.toContain('n-out');
    expect(found).not.toContain('x-in'); // 320 points: the reward is in reach already
    expect(found).not.toContain('g-gold');
  });

  it('near-reward: a tier-only reward counts for its tier only', async () => {
    const tiered = testProgram({
      tiers: SILVER_GOLD_TIERS,
      rewards: [
        { id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'C', cost: 250 },
        { id: 'gift', label: 'Gold gift', kind: 'free-product', sku: 'G', cost: 100, tiers: ['gold'] },
      ],
    });
    const found = await ids(t.db, tiered, { segment: 'near-reward', withinPoints: 10 });
    expect(found).toContain('g-gold');
    expect(found).not.toContain('g-silver');
    expect(found).not.toContain('n-in'); // 50 points from the coffee: more than 10
  });

  it('filters by the store the member enrolled at (not their last visit’s), tier and minimum points', async () => {
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60, storeId: 's-b' })).toEqual(['d-hq-only']);
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60, storeId: 's-a' })).toEqual([
      'd-edge',
      'd-moved',
    ]);
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60, tier: 'gold' })).toEqual(['d-hq-only']);
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60, minPoints: 41 })).toEqual([
      'd-edge',
      'd-moved',
    ]);
  });

  it('a store manager scope sees only members enrolled at their stores', async () => {
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60 }, { stores: ['s-a'] })).toEqual([
      'd-edge',
      'd-moved',
    ]);
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60 }, { stores: [] })).toEqual([]);
  });

  it('hands out only members who agreed to marketing and have an email or phone', async () => {
    const scope = { stores: null, reachableOnly: true };
    expect(await ids(t.db, rolling, { segment: 'dormant', days: 60 }, scope)).toEqual(['d-edge']);
    // x-in agreed but left neither email nor phone; n-in said no.
    expect(await ids(t.db, rolling, { segment: 'expiring', days: 30 }, scope)).toEqual([]);
    expect(await ids(t.db, rolling, { segment: 'near-reward', withinPoints: 50 }, scope)).toEqual([]);
  });

  it('pages through the segment in id order with a cursor', async () => {
    const filter: SegmentFilter = { segment: 'dormant', days: 1 };
    const everyone = await ids(t.db, rolling, filter);
    expect(everyone.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await segmentPage(t.db, rolling, filter, AT, ALL, { after, limit: 2 });
      seen.push(...page.members.map((m) => m.memberId));
      if (page.next === null) break;
      expect(page.members).toHaveLength(2);
      after = page.next;
    }
    expect(seen).toEqual(everyone);
    expect([...seen].sort()).toEqual(seen);
  });
});

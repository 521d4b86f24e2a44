// The re-engagement endpoints through the console's gate on both databases: the segment list with its
// reasons, roles and store scope, the CSV export (a download of consenting members only, quoted and safe
// from formula injection, audited), consent, the webhook's secret (answered once, never again, never in
// the audit log) and sending a segment (a delivery, idempotent by its id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { DAY_MS } from '../../../src-shared/kernel/clock.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { testProgram } from '../../support/events.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { addMember, addVisit, profileOf } from '../store/engagement-fixtures.js';
import { signedIn, type ConsoleClient } from './session.js';

const api = CONSOLE_API;
const EXPIRING = { segment: 'expiring', days: 30 } as const;

describe.each(databases)('console re-engagement on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let admin: ConsoleClient;
  let manager: ConsoleClient;
  const iso = (ms: number): string => new Date(ms).toISOString();

  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await publishProgram(
      h.db,
      testProgram({
        expiry: { mode: 'rolling', months: 12 },
        rewards: [{ id: 'coffee', label: 'Free coffee', kind: 'free-product', sku: 'C', cost: 250 }],
      }),
    );
    for (const id of ['s-a', 's-b']) await createStore(h.db, { id, name: id, timeZone: 'Europe/Paris' });
    const now = h.clock.now();
    const expiring = (points: number, days: number) => [
      {
        eventId: `b-${points}-${days}`,
        earnedAt: '2024-04-01T10:00:00.000Z',
        expiresAt: iso(now + days * DAY_MS),
        points,
        remaining: points,
      },
    ];
    const members = [
      // id, store, points expiring in 10 days, profile, consent
      { id: 'm-ann', store: 's-a', profile: profileOf('Ann'), consent: true },
      { id: 'm-bob', store: 's-b', profile: profileOf('Bob'), consent: true },
      { id: 'm-cat', store: 's-a', profile: profileOf('Cat'), consent: false },
      { id: 'm-dan', store: 's-a', profile: profileOf('Dan'), consent: undefined },
      {
        id: 'm-evil',
        store: 's-a',
        profile: {
          firstName: '=HYPERLINK("http://evil","x")',
          lastName: '',
          email: 'e@example.com',
          phone: null,
        },
        consent: true,
      },
      { id: 'm-none', store: 's-a', profile: null, consent: undefined },
    ];
    for (const m of members) {
      await addMember(h.db, {
        id: m.id,
        store: m.store,
        balance: 320,
        batches: expiring(320, 10),
        profile: m.profile,
        ...(m.consent === undefined ? {} : { consent: m.consent }),
      });
      await addVisit(h.db, { memberId: m.id, storeId: m.store, at: iso(now - DAY_MS) });
    }
    // Expiring in 40 days: not in a 30-day segment.
    await addMember(h.db, {
      id: 'm-later',
      balance: 90,
      batches: expiring(90, 40),
      profile: profileOf('Later'),
    });
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
    manager = await signedIn(h.app, h.db, h.clock, 'store-manager', ['s-a']);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it('lists the segment with each member’s reason and consent', async () => {
    const { members, next } = await admin.ok(api.segmentMembers, { query: EXPIRING });
    expect(next).toBeNull();
    expect(members.map((m) => m.memberId)).toEqual(['m-ann', 'm-bob', 'm-cat', 'm-dan', 'm-evil', 'm-none']);
    expect(members[0]).toEqual({
      memberId: 'm-ann',
      name: 'Ann Test',
      consent: true,
      contactable: true,
      balance: 320,
      tier: null,
      storeId: 's-a',
      lastVisitAt: iso(h.clock.now() - DAY_MS),
      reason: { text: '320 points expire on 2025-03-13', points: 320, date: '2025-03-13', rewardId: null },
    });
    expect(members.find((m) => m.memberId === 'm-none')).toMatchObject({
      consent: false,
      contactable: false,
    });
  });

  it('pages with a cursor and refuses bad parameters', async () => {
    const first = await admin.ok(api.segmentMembers, { query: { ...EXPIRING, limit: 4 } });
    expect(first.members).toHaveLength(4);
    const second = await admin.ok(api.segmentMembers, {
      query: { ...EXPIRING, limit: 4, after: first.next! },
    });
    expect(second.members.map((m) => m.memberId)).toEqual(['m-evil', 'm-none']);
    const bad = await admin.call(api.segmentMembers, { query: { segment: 'lapsed', days: -1 } });
    expect(bad.statusCode).toBe(400);
  });

  it('scopes a store manager to their stores, and refuses analysts', async () => {
    const { members } = await manager.ok(api.segmentMembers, { query: EXPIRING });
    expect(members.every((m) => m.storeId === 's-a')).toBe(true);
    expect(members.map((m) => m.memberId)).not.toContain('m-bob');
    const other = await manager.call(api.segmentMembers, { query: { ...EXPIRING, storeId: 's-b' } });
    expect(other.statusCode).toBe(403);
    const analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    expect((await analyst.call(api.segmentMembers, { query: EXPIRING })).statusCode).toBe(403);
  });

  it('exports consenting, reachable members as a CSV download, formula-safe, and audits it', async () => {
    const answer = await admin.call(api.exportSegment, { body: { ...EXPIRING, reason: 'April mailing' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe(
      'attachment; filename="re-engagement-expiring-2025-03-03.csv"',
    );
    const lines = answer.body.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFmember_id,name,email,phone,points,tier,store,segment,reason,reason_points,reason_date',
    );
    expect(lines.slice(1, -1)).toEqual([
      'm-ann,Ann Test,ann@example.com,,320,,s-a,expiring,320 points expire on 2025-03-13,320,2025-03-13',
      'm-bob,Bob Test,bob@example.com,,320,,s-b,expiring,320 points expire on 2025-03-13,320,2025-03-13',
      `m-evil,"'=HYPERLINK(""http://evil"",""x"")",e@example.com,,320,,s-a,expiring,320 points expire on 2025-03-13,320,2025-03-13`,
    ]);
    const { entries } = await admin.ok(api.auditLog, { query: { action: 'engagement.export' } });
    expect(entries[0]).toMatchObject({
      actor: admin.session.user.username,
      target: 'segment expiring',
      reason: 'April mailing',
      outcome: 'done',
      details: { filter: EXPIRING, members: 3 },
    });
  });

  it('a store manager’s export holds only their stores; without the CSRF token it is refused', async () => {
    const answer = await manager.call(api.exportSegment, { body: EXPIRING });
    expect(answer.body).toContain('m-ann');
    expect(answer.body).not.toContain('m-bob');
    expect((await manager.call(api.exportSegment, { body: EXPIRING, withoutCsrf: true })).statusCode).toBe(
      403,
    );
  });

  it('records consent for a member with contact details only', async () => {
    const pm = await signedIn(h.app, h.db, h.clock, 'program-manager');
    const unknown = await pm.call(api.setConsent, {
      params: { memberId: 'nobody' },
      body: { marketing: true },
    });
    expect(unknown.statusCode).toBe(404);
    const none = await pm.call(api.setConsent, { params: { memberId: 'm-none' }, body: { marketing: true } });
    expect(none.json()).toMatchObject({ error: 'no-contact-details' });
    const yes = await pm.ok(api.setConsent, {
      params: { memberId: 'm-dan' },
      body: { marketing: true, reason: 'signed the form at the counter' },
    });
    expect(yes).toMatchObject({ memberId: 'm-dan', marketing: true });
    const csv = (await admin.call(api.exportSegment, { body: EXPIRING })).body;
    expect(csv).toContain('m-dan,Dan Test');
    expect(
      (await manager.call(api.setConsent, { params: { memberId: 'm-dan' }, body: { marketing: false } }))
        .statusCode,
    ).toBe(403);
    const { entries } = await admin.ok(api.auditLog, { query: { action: 'engagement.consent' } });
    expect(entries.map((e) => [e.target, e.outcome])).toEqual(
      expect.arrayContaining([
        ['member m-dan', 'done'],
        ['member m-none', 'refused'],
      ]),
    );
  });

  it('refuses to send before a webhook is set', async () => {
    const answer = await admin.call(api.sendSegment, { body: EXPIRING });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({ error: 'no-webhook' });
  });

  it('answers the webhook secret once, then only its hint, and never audits it', async () => {
    const pm = await signedIn(h.app, h.db, h.clock, 'program-manager');
    expect((await pm.call(api.setWebhook, { body: { url: 'https://hooks.example.com/x' } })).statusCode).toBe(
      403,
    );
    for (const url of ['http://hooks.example.com/x', 'ftp://x', 'https://user:pw@hooks.example.com/', 'nope'])
      expect((await admin.call(api.setWebhook, { body: { url } })).statusCode).toBe(400);

    const made = await admin.ok(api.setWebhook, { body: { url: 'https://hooks.example.com/loyalty' } });
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const read = await admin.ok(api.getWebhook);
    expect(read.webhook).toEqual(made.webhook);
    expect(JSON.stringify(read)).not.toContain(made.secret!);

    const moved = await admin.ok(api.setWebhook, { body: { url: 'http://127.0.0.1:9/hook' } });
    expect(moved.secret).toBeNull();
    expect(moved.webhook.secretHint).toBe(made.webhook.secretHint);
    const rotated = await admin.ok(api.setWebhook, {
      body: { url: 'http://localhost:9/hook', rotateSecret: true },
    });
    expect(rotated.secret).not.toBeNull();
    expect(rotated.secret).not.toBe(made.secret);
    expect(rotated.webhook.secretHint).not.toBe(made.webhook.secretHint);

    const { entries } = await admin.ok(api.auditLog, { query: { limit: 500 } });
    const log = JSON.stringify(entries);
    expect(log).toContain('engagement.webhook.set');
    expect(log).not.toContain(made.secret!);
    expect(log).not.toContain(rotated.secret!);
  });

  it('sends a segment as a delivery; the same delivery id twice makes one', async () => {
    const deliveryId = '0190a5d4-0000-7000-8000-000000000001';
    const first = await admin.ok(api.sendSegment, { body: { ...EXPIRING, deliveryId } });
    expect(first).toMatchObject({
      id: deliveryId,
      status: 'sending',
      members: 4, // ann, bob, evil and dan (who agreed since)
      batches: 1,
      sentBatches: 0,
      segment: EXPIRING,
    });
    const again = await admin.ok(api.sendSegment, { body: { ...EXPIRING, deliveryId } });
    expect(again).toEqual(first);
    const { deliveries } = await admin.ok(api.listDeliveries);
    expect(deliveries.filter((d) => d.id === deliveryId)).toHaveLength(1);
    expect((await manager.call(api.sendSegment, { body: EXPIRING })).statusCode).toBe(403);

    const empty = await admin.call(api.sendSegment, { body: { segment: 'dormant', days: 365 } });
    expect(empty.json()).toMatchObject({ error: 'empty-segment' });
  });
});

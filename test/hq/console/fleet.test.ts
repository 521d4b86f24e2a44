// The console's fleet: stores, terminals and cashiers through the console API on both databases. What a
// store manager may see and do (their stores only), that an enrollment code made here enrolls a real
// terminal and is never audited, that revoking ends the terminal's access, that a cashier's new PIN or
// disabling reaches the terminal's pull feed and PIN list, and what HQ shows of each terminal (last seen,
// events held and missing, open reviews, the last day close).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { pendingEvents, terminalStatus, ONLINE_WITHIN_MS } from '../../../src-shared/console/fleet.js';
import { verifyPin } from '../../../src-shared/kernel/pin.js';
import {
  cashierDocSchema,
  closeFiguresFromEvents,
  staffPinsResponseSchema,
} from '../../../src-shared/sync/wire.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { isObviousPin, makePin } from '../../../src-hq/store/fleet.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from '../api/harness.js';
import { signedIn, type ConsoleClient } from './session.js';

const OTHER_STORE = 's-2';
const API = CONSOLE_API;

describe('fleet decisions', () => {
  it('names a terminal online within a few minutes of HQ hearing from it, then stale; revoked wins', () => {
    const seen = '2025-03-03T12:00:00.000Z';
    const at = Date.parse(seen);
    expect(terminalStatus({ revokedAt: null, lastSeenAt: null }, at)).toBe('never-seen');
    expect(terminalStatus({ revokedAt: null, lastSeenAt: seen }, at + ONLINE_WITHIN_MS)).toBe('online');
    expect(terminalStatus({ revokedAt: null, lastSeenAt: seen }, at + ONLINE_WITHIN_MS + 1)).toBe('stale');
    expect(terminalStatus({ revokedAt: seen, lastSeenAt: seen }, at)).toBe('revoked');
  });

  it('counts pending events from the gaps below the head and what the last close reported beyond it', () => {
    expect(pendingEvents({ lastSeq: 10, eventsReceived: 10, reportedLastSeq: null })).toBe(0);
    expect(pendingEvents({ lastSeq: 10, eventsReceived: 8, reportedLastSeq: 10 })).toBe(2);
    expect(pendingEvents({ lastSeq: 10, eventsReceived: 8, reportedLastSeq: 13 })).toBe(5);
    expect(pendingEvents({ lastSeq: 10, eventsReceived: 10, reportedLastSeq: 4 })).toBe(0);
  });

  it('makes PINs of the chain length that are no repeated digit or run', () => {
    expect(isObviousPin('111111')).toBe(true);
    expect(isObviousPin('123456')).toBe(true);
    expect(isObviousPin('6543')).toBe(true);
    expect(isObviousPin('135790')).toBe(false);
    for (let i = 0; i < 200; i++) {
      const pin = makePin({ min: 4, max: 8 });
      expect(pin).toMatch(/^\d{6}$/);
      expect(isObviousPin(pin)).toBe(false);
    }
    expect(makePin({ min: 4, max: 4 })).toMatch(/^\d{4}$/);
    expect(makePin({ min: 8, max: 8 })).toMatch(/^\d{8}$/);
  });
});

describe.each(databases)('console fleet on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let admin: ConsoleClient;
  let manager: ConsoleClient;
  let analyst: ConsoleClient;
  let programManager: ConsoleClient;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db);
    await createStore(t.db, { id: OTHER_STORE, name: 'Store two', timeZone: 'Europe/Dublin' });
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
    manager = await signedIn(h.app, h.db, h.clock, 'store-manager', [STORE_ID]);
    analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    programManager = await signedIn(h.app, h.db, h.clock, 'program-manager');
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  /** The last audit entry of an action, as the admin reads the log. */
  const lastAudit = async (action: string) => {
    const { entries } = await admin.ok(API.auditLog, { query: { action, limit: 1 } });
    const entry = entries[0];
    if (!entry) throw new Error(`no audit entry for ${action}`);
    return entry;
  };

  /** Enrolls a terminal with a code made through the console by `client`. */
  const enrollThroughConsole = async (client: ConsoleClient, name: string, storeId = STORE_ID) => {
    const made = await client.ok(API.createEnrollmentCode, { params: { storeId }, body: {} });
    const enrolled = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code: made.code, name },
    });
    expect(enrolled.statusCode).toBe(201);
    return { ...made, ...enrolled.json<{ terminalId: string; token: string; storeId: string }>() };
  };

  const terminalsOf = async (client: ConsoleClient, storeId = STORE_ID) =>
    (await client.ok(API.listTerminals, { params: { storeId } })).terminals;

  it('lists every store to HQ roles and only their own to a store manager, with counts', async () => {
    const { token, terminalId } = await h.enroll('Counting till');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: [f.enrolled('m-count-1'), f.enrolled('m-count-2'), f.earned('m-count-1', 10)] },
    });
    expect(pushed.statusCode).toBe(200);

    for (const client of [admin, analyst, programManager]) {
      const { stores } = await client.ok(API.listStores);
      expect(stores.map((s) => s.id)).toEqual([STORE_ID, OTHER_STORE]);
    }
    const { stores } = await manager.ok(API.listStores);
    expect(stores.map((s) => s.id)).toEqual([STORE_ID]);
    expect(stores[0]).toMatchObject({ name: 'Store one', members: 2 });
    expect(stores[0]?.terminals).toBeGreaterThanOrEqual(1);
    const other = (await admin.ok(API.listStores)).stores.find((s) => s.id === OTHER_STORE);
    expect(other).toMatchObject({ terminals: 0, members: 0, cashiers: 0 });
  });

  it('refuses a store manager everything of another store with 403, and audits the refused write', async () => {
    const params = { storeId: OTHER_STORE };
    expect((await manager.call(API.getStore, { params })).statusCode).toBe(403);
    expect((await manager.call(API.listTerminals, { params })).statusCode).toBe(403);
    expect((await manager.call(API.listCashiers, { params })).statusCode).toBe(403);
    const code = await manager.call(API.createEnrollmentCode, { params, body: {} });
    expect(code.statusCode).toBe(403);
    expect(code.json()).toMatchObject({ error: 'outside-your-stores' });
    const settings = await manager.call(API.changeStoreSettings, { params, body: { closeAt: '22:00' } });
    expect(settings.statusCode).toBe(403);
    expect((await admin.ok(API.getStore, { params })).settings.closeAt).toBe('23:30');
    const add = await manager.call(API.addCashier, {
      params,
      body: { name: 'Intruder', role: 'manager', pin: '4826' },
    });
    expect(add.statusCode).toBe(403);
    expect((await admin.ok(API.listCashiers, { params })).cashiers).toEqual([]);

    const refused = await lastAudit('cashier.add');
    expect(refused).toMatchObject({
      actor: manager.session.user.username,
      outcome: 'refused',
      target: `store ${OTHER_STORE}`,
    });
    // Only an admin adds stores; analysts and program managers work no terminal or cashier.
    const store = { id: 's-new', name: 'New store', timeZone: 'Europe/Paris' };
    expect((await manager.call(API.createStore, { body: store })).statusCode).toBe(403);
    expect((await admin.call(API.createStore, { body: store })).statusCode).toBe(200);
    for (const client of [analyst, programManager]) {
      const write = await client.call(API.createEnrollmentCode, { params: { storeId: STORE_ID }, body: {} });
      expect(write.statusCode).toBe(403);
      expect((await client.call(API.listTerminals, { params: { storeId: STORE_ID } })).statusCode).toBe(200);
    }
  });

  it('makes an enrollment code that enrolls a real terminal once, answered uncached and never audited', async () => {
    const made = await manager.call(API.createEnrollmentCode, {
      params: { storeId: STORE_ID },
      body: { ttlHours: 2, reason: 'new till at counter 2' },
    });
    expect(made.statusCode).toBe(200);
    expect(made.headers['cache-control']).toBe('no-store');
    const { code, expiresAt } = made.json<{ code: string; expiresAt: string }>();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(expiresAt).toBe(new Date(h.clock.now() + 2 * 3_600_000).toISOString());

    const enrolled = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Counter 2' },
    });
    expect(enrolled.statusCode).toBe(201);
    expect(enrolled.json()).toMatchObject({ storeId: STORE_ID });
    const again = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Counter 3' },
    });
    expect(again.statusCode).toBe(403);

    const entry = await lastAudit('terminal.enrollment-code');
    expect(entry).toMatchObject({
      actor: manager.session.user.username,
      outcome: 'done',
      target: `store ${STORE_ID}`,
      reason: 'new till at counter 2',
      details: { expiresAt },
    });
    const text = JSON.stringify(entry);
    expect(text).not.toContain(code);
    expect(text).not.toContain(code.replace(/-/g, ''));
    const listed = (await terminalsOf(manager)).find((x) => x.name === 'Counter 2');
    expect(listed).toMatchObject({ status: 'never-seen', revokedAt: null, pending: 0 });
  });

  it('records when HQ last heard from a terminal, at most once a minute, and calls it stale later', async () => {
    const { token, terminalId } = await enrollThroughConsole(admin, 'Seen till');
    const find = async () => (await terminalsOf(admin)).find((x) => x.id === terminalId)!;
    expect(await find()).toMatchObject({ status: 'never-seen', lastSeenAt: null });

    const pull = () => h.request({ method: 'GET', url: '/v1/pull/products', token });
    expect((await pull()).statusCode).toBe(200);
    const first = new Date(h.clock.now()).toISOString();
    expect(await find()).toMatchObject({ status: 'online', lastSeenAt: first });

    h.clock.advance(30_000);
    expect((await pull()).statusCode).toBe(200);
    expect((await find()).lastSeenAt).toBe(first);

    h.clock.advance(ONLINE_WITHIN_MS);
    expect(await find()).toMatchObject({ status: 'stale', lastSeenAt: first });
    expect((await pull()).statusCode).toBe(200);
    expect(await find()).toMatchObject({
      status: 'online',
      lastSeenAt: new Date(h.clock.now()).toISOString(),
    });
  });

  it('revokes a terminal: its token stops working, it shows revoked, and only within its store', async () => {
    const { token, terminalId } = await enrollThroughConsole(manager, 'Doomed till');
    const other = await enrollThroughConsole(admin, 'Other store till', OTHER_STORE);
    expect((await h.request({ method: 'GET', url: '/v1/pull/cashiers', token })).statusCode).toBe(200);

    // Another store's terminal through the manager's own store is not found; through its store, refused.
    const sideways = await manager.call(API.revokeTerminal, {
      params: { storeId: STORE_ID, terminalId: other.terminalId },
      body: {},
    });
    expect(sideways.statusCode).toBe(404);
    const direct = await manager.call(API.revokeTerminal, {
      params: { storeId: OTHER_STORE, terminalId: other.terminalId },
      body: {},
    });
    expect(direct.statusCode).toBe(403);
    expect(
      (await h.request({ method: 'GET', url: '/v1/pull/cashiers', token: other.token })).statusCode,
    ).toBe(200);

    const revoked = await manager.ok(API.revokeTerminal, {
      params: { storeId: STORE_ID, terminalId },
      body: { reason: 'stolen' },
    });
    expect(revoked).toEqual({ terminalId, revokedAt: new Date(h.clock.now()).toISOString() });
    const refused = await h.request({ method: 'GET', url: '/v1/pull/cashiers', token });
    expect(refused.statusCode).toBe(401);
    expect((await terminalsOf(manager)).find((x) => x.id === terminalId)).toMatchObject({
      status: 'revoked',
      revokedAt: revoked.revokedAt,
    });
    expect(await lastAudit('terminal.revoke')).toMatchObject({
      target: `terminal ${terminalId}`,
      reason: 'stolen',
      outcome: 'done',
    });
  });

  it('adds, disables, enables a cashier and resets their PIN, and each change reaches the till', async () => {
    const { token } = await enrollThroughConsole(manager, 'Cashier till');
    const pullCashiers = async (checkpoint: number) => {
      const res = await h.request({
        method: 'GET',
        url: `/v1/pull/cashiers?checkpoint=${checkpoint}`,
        token,
      });
      expect(res.statusCode).toBe(200);
      const page = res.json<{ documents: unknown[]; checkpoint: { seq: number } | null }>();
      return {
        docs: page.documents.map((d) => cashierDocSchema.parse(d)),
        seq: page.checkpoint?.seq ?? checkpoint,
      };
    };
    const staffPins = async () => {
      const res = await h.request({ method: 'GET', url: '/v1/staff-pins', token });
      return staffPinsResponseSchema.parse(res.json()).staff;
    };
    const start = (await pullCashiers(0)).seq;

    const params = { storeId: STORE_ID };
    const short = await manager.call(API.addCashier, {
      params,
      body: { name: 'Bo', role: 'cashier', pin: '12' },
    });
    expect(short.statusCode).toBe(400);
    const added = await manager.ok(API.addCashier, {
      params,
      body: { name: 'Aoife Byrne', role: 'cashier', pin: '482613' },
    });
    expect(added).toMatchObject({ name: 'Aoife Byrne', role: 'cashier', disabled: false });
    expect(JSON.stringify(await lastAudit('cashier.add'))).not.toContain('482613');
    const afterAdd = await pullCashiers(start);
    expect(afterAdd.docs).toEqual([
      { id: added.id, storeId: STORE_ID, name: 'Aoife Byrne', role: 'cashier', _deleted: false },
    ]);
    const firstHash = (await staffPins()).find((s) => s.id === added.id)!.pinHash;
    expect(verifyPin('482613', firstHash)).toBe(true);

    // HQ makes the PIN: answered once, working at the till, the old one not.
    const cashierParams = { storeId: STORE_ID, cashierId: added.id };
    const reset = await manager.ok(API.resetCashierPin, {
      params: cashierParams,
      body: { reason: 'forgot' },
    });
    expect(reset.pin).toMatch(/^\d{6}$/);
    const afterReset = await pullCashiers(afterAdd.seq);
    expect(afterReset.docs.map((d) => d.id)).toEqual([added.id]);
    const secondHash = (await staffPins()).find((s) => s.id === added.id)!.pinHash;
    expect(verifyPin(reset.pin!, secondHash)).toBe(true);
    expect(verifyPin('482613', secondHash)).toBe(false);
    const resetEntry = await lastAudit('cashier.pin-reset');
    expect(resetEntry).toMatchObject({
      target: `cashier ${added.id}`,
      reason: 'forgot',
      details: { madeByHq: true },
    });
    expect(JSON.stringify(resetEntry)).not.toContain(reset.pin!);

    // The manager chooses it.
    const chosen = await manager.ok(API.resetCashierPin, { params: cashierParams, body: { pin: '907153' } });
    expect(chosen.pin).toBeNull();
    expect(verifyPin('907153', (await staffPins()).find((s) => s.id === added.id)!.pinHash)).toBe(true);

    // Disabled: gone from the till's PINs and replica; enabled: back.
    const disabled = await manager.ok(API.changeCashier, { params: cashierParams, body: { disabled: true } });
    expect(disabled.disabled).toBe(true);
    const afterDisable = await pullCashiers(afterReset.seq);
    expect(afterDisable.docs.at(-1)).toMatchObject({ id: added.id, _deleted: true });
    expect((await staffPins()).map((s) => s.id)).not.toContain(added.id);
    expect((await manager.ok(API.listCashiers, { params })).cashiers).toContainEqual(disabled);

    // Disabling again changes nothing and sends the tills nothing.
    await manager.ok(API.changeCashier, { params: cashierParams, body: { disabled: true } });
    expect((await pullCashiers(afterDisable.seq)).docs).toEqual([]);

    await manager.ok(API.changeCashier, { params: cashierParams, body: { disabled: false } });
    expect((await pullCashiers(afterDisable.seq)).docs).toEqual([
      { id: added.id, storeId: STORE_ID, name: 'Aoife Byrne', role: 'cashier', _deleted: false },
    ]);
    expect((await staffPins()).map((s) => s.id)).toContain(added.id);

    // Analysts read only; a cashier of the store is not reachable through another store.
    expect((await analyst.ok(API.listCashiers, { params })).cashiers.map((c) => c.id)).toContain(added.id);
    expect((await analyst.call(API.resetCashierPin, { params: cashierParams, body: {} })).statusCode).toBe(
      403,
    );
    const elsewhere = await admin.call(API.resetCashierPin, {
      params: { storeId: OTHER_STORE, cashierId: added.id },
      body: {},
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ error: 'unknown-cashier' });
  });

  it('shows events held, missing and waiting, open reviews and the last day close with its differences', async () => {
    const { token, terminalId } = await enrollThroughConsole(manager, 'Closing till');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const events = [f.enrolled('m-close'), f.earned('m-close', 40), f.earned('m-close', 25)];
    // The second event never reaches HQ; an event for a member HQ does not know waits.
    const stranger = f.earned('m-unknown', 5);
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: [events[0], events[2], stranger] },
    });
    expect(pushed.statusCode).toBe(200);
    const figures = closeFiguresFromEvents('2025-03-03', [...events, stranger]);
    const close = await h.request({ method: 'POST', url: '/v1/close', token, payload: figures });
    expect(close.statusCode).toBe(200);

    const shown = (await terminalsOf(manager)).find((x) => x.id === terminalId)!;
    expect(shown).toMatchObject({
      lastSeq: 4,
      eventsReceived: 3,
      eventsWaiting: 1,
      reportedLastSeq: 4,
      pending: 1,
      lastClose: { businessDay: '2025-03-03', status: 'mismatch', missing: [[2, 2]] },
    });
    expect(shown.openReviews.map((r) => r.kind)).toEqual(expect.arrayContaining(['close-mismatch', 'gap']));
    expect(shown.lastClose?.differences.map((d) => d.field)).toEqual(
      expect.arrayContaining(['count', 'pointsIssued']),
    );
    expect(shown.lastClose?.differences.find((d) => d.field === 'count')).toEqual({
      field: 'count',
      terminal: 4,
      hq: 3,
    });

    // The missing event arrives and the close is sent again: it matches.
    await h.request({ method: 'POST', url: '/v1/events', token, payload: { events: [events[1]] } });
    await h.request({ method: 'POST', url: '/v1/close', token, payload: figures });
    const after = (await terminalsOf(manager)).find((x) => x.id === terminalId)!;
    expect(after).toMatchObject({
      eventsReceived: 4,
      pending: 0,
      lastClose: { status: 'match', differences: [], missing: [] },
    });
  });

  it('changes a store\u2019s settings within bounds, and the store\u2019s tills get them', async () => {
    const { token } = await enrollThroughConsole(manager, 'Settings till');
    const params = { storeId: STORE_ID };
    const bad = await manager.call(API.changeStoreSettings, { params, body: { memberIdleSeconds: 5 } });
    expect(bad.statusCode).toBe(400);
    const changed = await manager.ok(API.changeStoreSettings, {
      params,
      body: { closeAt: '21:45', locale: 'fr-FR', reason: 'winter hours' },
    });
    expect(changed.settings).toMatchObject({ closeAt: '21:45', locale: 'fr-FR', memberIdleSeconds: 90 });
    const till = await h.request({ method: 'GET', url: '/v1/store-settings', token });
    expect(till.json()).toEqual({ settings: changed.settings });
    expect(await lastAudit('store.settings')).toMatchObject({
      reason: 'winter hours',
      details: { change: { closeAt: '21:45', locale: 'fr-FR' } },
    });
    expect(
      (await analyst.call(API.changeStoreSettings, { params, body: { closeAt: '20:00' } })).statusCode,
    ).toBe(403);
  });
});

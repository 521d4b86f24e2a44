// The customer-facing display's path through main: the cashier's page sets the customer view over its
// TerminalApi socket, the host API checks it against the contract (nothing beyond first name, balance,
// basket, points and next reward), main keeps the latest (CustomerViewRelay) and the browser host pushes
// it on the customer page's own socket, `/customer-view`, which hears nothing else and can ask nothing.
// Also: the customer page at /customer (its own launch URL), the choice of the customer's display under
// Electron, and the customer preload's bridge. Electron itself is never imported: the window code takes
// plain objects.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCustomerDisplay, isCustomerFrameUrl } from '../../../src-main/customer-window.js';
import {
  CUSTOMER_SOCKET_PATH,
  startBrowserHost,
  TERMINAL_SOCKET_PATH,
  type BrowserHost,
} from '../../../src-main/host/browser-host.js';
import { CustomerViewRelay } from '../../../src-main/host/customer-view.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import { createCustomerPreloadApi } from '../../../src-main/preload/api.js';
import { socketSource } from '../../../src-renderer/customer/source.js';
import {
  channels,
  customerViewSchema,
  IDLE_CUSTOMER_VIEW,
  type CustomerView,
} from '../../../src-shared/ipc/index.js';
import { sessionCookie, upgradeStatus } from './browser-host-session.js';
import { fakeDevices, fakeLink, openClient, rendererFixture, scan, wsConnect } from './fakes.js';
import { SALE_VIEW } from '../../support/customer-views.js';
import { DEFAULT_STORE_SETTINGS } from '../../../src-shared/sync/wire.js';

const fixture = rendererFixture();
mkdirSync(join(fixture.rendererDir, 'customer'));
writeFileSync(
  join(fixture.rendererDir, 'customer', 'index.html'),
  '<!doctype html><title>Loyalty — customer display</title>',
);
const devices = fakeDevices();
const relay = new CustomerViewRelay();
const api = createHostApi({
  link: fakeLink().link,
  devices: devices.devices,
  hostInfo: { host: 'browser', version: '0.1.0' },
  customerView: relay,
});
let host: BrowserHost;
let cookie: string;
let cashierUrl: string;
let customerUrl: string;

const view = SALE_VIEW;

beforeAll(async () => {
  host = await startBrowserHost({ api, rendererDir: fixture.rendererDir });
  cookie = await sessionCookie(host);
  cashierUrl = `${host.origin.replace('http', 'ws')}${TERMINAL_SOCKET_PATH}`;
  customerUrl = `${host.origin.replace('http', 'ws')}${CUSTOMER_SOCKET_PATH}`;
});
afterAll(async () => {
  await host.close();
  rmSync(fixture.root, { recursive: true, force: true });
});

const isView = (m: Record<string, unknown>) => m.channel === channels.customerView;

describe('the customer view through the browser host', () => {
  it("reaches the customer page's socket as the cashier's page sets it, the latest at once on connect", async () => {
    const cashier = await openClient(cashierUrl, host.origin, { cookie });
    const customer = await openClient(customerUrl, host.origin, { cookie });
    // On connect: main's latest (the welcome, nothing set yet in this test file's relay... or the last set).
    expect((await customer.next(isView)).payload).toEqual(relay.current());

    expect(await cashier.call(1, channels.customerViewSet, view)).toEqual({ id: 1, result: null });
    await customer.next((m) => isView(m) && JSON.stringify(m.payload) === JSON.stringify(view));
    expect(relay.current()).toEqual(view);

    // A customer page that connects later gets the same view straight away.
    const late = await openClient(customerUrl, host.origin, { cookie });
    expect((await late.next(isView)).payload).toEqual(view);

    // The cashier's socket does not echo the customer view; the customer's hears no scan or device health.
    devices.emitScan(scan);
    await cashier.next((m) => m.channel === channels.scan);
    expect(cashier.messages.filter((m) => isView(m as Record<string, unknown>))).toEqual([]);
    expect(customer.messages.every((m) => isView(m as Record<string, unknown>))).toBe(true);
    for (const client of [cashier, customer, late]) client.socket.close();
  });

  it('refuses a view carrying more than the customer may see, and the customer page never hears it', async () => {
    const cashier = await openClient(cashierUrl, host.origin, { cookie });
    await cashier.call(1, channels.customerViewSet, IDLE_CUSTOMER_VIEW);
    const customer = await openClient(customerUrl, host.origin, { cookie });
    await customer.next(isView);
    const refused = [
      // A phone number, a card, a member id beside the first name: not in the schema.
      { ...view, member: { ...view.member!, phone: '+33612345678' } },
      { ...view, member: { ...view.member!, card: '0400000010014' } },
      { ...view, memberId: '01a24ba4-ce5b-77c9-8a5f-1bea7e0d8e5e' },
      // A "first name" with digits, a basket line that is a payment card number.
      { ...view, member: { ...view.member!, firstName: 'Alice 0612345678' } },
      {
        ...view,
        sale: { ...view.sale!, lines: [{ name: '4111 1111 1111 1111', quantity: 1, total: 100 }] },
      },
      // The cashier's own screens have no place in it.
      { ...view, screen: 'pin-pad' },
      // A language the counter does not speak, or no locale at all: the page would have no words for it.
      { ...view, locale: 'de-DE' },
      { ...view, locale: 'french' },
      { ...view, locale: undefined },
    ];
    let id = 10;
    for (const bad of refused) {
      expect(customerViewSchema.safeParse(bad).success).toBe(false);
      const answer = await cashier.call(++id, channels.customerViewSet, bad);
      expect(answer, JSON.stringify(bad)).toMatchObject({
        error: { message: expect.stringMatching(/could not answer/) },
      });
    }
    // Only the welcome ever reached the customer page, and main still holds it.
    expect(customer.messages.map((m) => (m as { payload: unknown }).payload)).toEqual([IDLE_CUSTOMER_VIEW]);
    expect(relay.current()).toEqual(IDLE_CUSTOMER_VIEW);
    cashier.socket.close();
    customer.socket.close();
  });

  it('asks nothing of main: a message from the customer page closes its socket, and it has no TerminalApi', async () => {
    const customer = await openClient(customerUrl, host.origin, { cookie });
    await customer.next(isView);
    customer.socket.send(JSON.stringify({ id: 1, channel: channels.hqPull, args: ['members', null, 10] }));
    expect(await customer.closed).toBe(1008);
    expect(customer.messages.every((m) => isView(m as Record<string, unknown>))).toBe(true);
  });

  it("is guarded like the cashier's socket: this host's origin and this launch's session only", async () => {
    expect((await upgradeStatus(customerUrl, host.origin, { cookie })).status).toBe(101);
    expect((await upgradeStatus(customerUrl, host.origin)).status).toBe(403);
    expect((await upgradeStatus(customerUrl, 'http://evil.example', { cookie })).status).toBe(403);
    expect(
      (await upgradeStatus(`${host.origin.replace('http', 'ws')}/other`, host.origin, { cookie })).status,
    ).toBe(400);
  });

  it('serves the customer page at /customer with the session, and opens it from a launch URL of its own', async () => {
    const page = await fetch(`${host.origin}/customer`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('customer display');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${host.origin}/customer`)).status).toBe(401);

    const launch = host.launchUrl('customer');
    expect(new URL(launch).pathname).toBe('/customer');
    const redeemed = await fetch(launch, { redirect: 'manual' });
    expect(redeemed.status).toBe(303);
    expect(redeemed.headers.get('location')).toBe('/customer');
    const [fresh] = redeemed.headers.getSetCookie();
    expect(fresh).toMatch(/HttpOnly/i);
    // Spent: the same link opens nothing twice.
    expect((await fetch(launch, { redirect: 'manual' })).status).toBe(403);
  });

  it("is what the customer page's source hears: valid views only, the last one to a late listener", async () => {
    const heard: CustomerView[] = [];
    const source = socketSource(customerUrl, {
      connect: wsConnect(host.origin, () => cookie),
      reconnectMs: { initial: 10, max: 50 },
    });
    const off = source.onView((v) => heard.push(v));
    const cashier = await openClient(cashierUrl, host.origin, { cookie });
    await cashier.call(1, channels.customerViewSet, view);
    await expect.poll(() => heard.at(-1)).toEqual(view);
    off();
    // A late listener hears the last view at once.
    const late: CustomerView[] = [];
    source.onView((v) => late.push(v));
    expect(late).toEqual([view]);
    // The store's locale crosses with the view, for the customer page to speak it.
    const french: CustomerView = { ...view, locale: 'fr-FR' };
    await cashier.call(2, channels.customerViewSet, french);
    await expect.poll(() => late.at(-1)).toEqual(french);
    source.close();
    cashier.socket.close();
  });
});

describe('the customer view in main', () => {
  it('keeps the latest and replays it to each new listener; a listener that throws stops no other', () => {
    const kept = new CustomerViewRelay();
    const first: CustomerView[] = [];
    kept.onView(() => {
      throw new Error('a closed socket');
    });
    const off = kept.onView((v) => first.push(v));
    expect(first).toEqual([IDLE_CUSTOMER_VIEW]);
    kept.set(view);
    expect(first).toEqual([IDLE_CUSTOMER_VIEW, view]);
    off();
    kept.set(IDLE_CUSTOMER_VIEW);
    expect(first).toHaveLength(2);
    const later: CustomerView[] = [];
    kept.onView((v) => later.push(v));
    expect(later).toEqual([IDLE_CUSTOMER_VIEW]);
  });

  it("welcomes in the store's language before the cashier's screen has set a view", () => {
    let locale: string | null = null;
    const relay = new CustomerViewRelay(() => locale);
    expect(relay.current()).toEqual(IDLE_CUSTOMER_VIEW);
    locale = 'fr-FR';
    const heard: CustomerView[] = [];
    relay.onView((v) => heard.push(v));
    expect(heard).toEqual([{ ...IDLE_CUSTOMER_VIEW, locale: 'fr-FR' }]);
    relay.set(view);
    expect(relay.current()).toEqual(view);

    // The host API's own relay follows the store settings main keeps.
    const french = createHostApi({
      link: fakeLink().link,
      hostInfo: { host: 'browser', version: '0.1.0' },
      storeSettings: () => ({ ...DEFAULT_STORE_SETTINGS, locale: 'fr-BE' }),
    });
    const first: CustomerView[] = [];
    french.onCustomerView((v) => first.push(v));
    expect(first.map((v) => v.locale)).toEqual(['fr-BE']);
  });

  it("the customer preload's bridge: checked views only, the last one replayed to a late page", () => {
    const ipc = new EventEmitter();
    const bridge = createCustomerPreloadApi({
      on: (channel, listener) => ipc.on(channel, listener),
    });
    ipc.emit(channels.customerView, {}, view);
    ipc.emit(channels.customerView, {}, { ...view, member: { ...view.member!, phone: '+33612345678' } });
    ipc.emit(channels.scan, {}, scan);
    const heard: CustomerView[] = [];
    bridge.onView((v) => heard.push(v));
    expect(heard).toEqual([view]);
  });
});

describe("the customer's display under Electron", () => {
  const display = (id: number, x: number, internal = false) => ({
    id,
    internal,
    bounds: { x, y: 0, width: 1024, height: 600 },
  });

  it('is a display other than the primary: an external one first, then the leftmost; none with one', () => {
    expect(chooseCustomerDisplay([display(1, 0, true)], 1)).toBeNull();
    expect(chooseCustomerDisplay([], 1)).toBeNull();
    expect(chooseCustomerDisplay([display(1, 0, true), display(2, 1280)], 1)?.id).toBe(2);
    // The primary may be the external one: the built-in panel serves the customer then.
    expect(chooseCustomerDisplay([display(1, 0, true), display(2, 1280)], 2)?.id).toBe(1);
    expect(chooseCustomerDisplay([display(1, 0), display(3, 2560, true), display(2, 1280)], 1)?.id).toBe(2);
    expect(chooseCustomerDisplay([display(1, 0), display(3, -1024), display(2, 1280)], 1)?.id).toBe(3);
  });

  it("knows the customer page's frames, which may invoke nothing", () => {
    expect(isCustomerFrameUrl('app://terminal/customer/index.html')).toBe(true);
    expect(isCustomerFrameUrl('app://terminal/index.html')).toBe(false);
    expect(isCustomerFrameUrl(undefined)).toBe(false);
  });
});

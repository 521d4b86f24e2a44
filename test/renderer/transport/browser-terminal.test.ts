// The renderer's end of the browser host (src-renderer/transport/browser-terminal.ts), driven in Node over
// a `ws` client: requests by id, validated answers and pushes, queueing until the socket opens, 'offline'
// for HQ calls while the host is away, DISCONNECTED on a drop, and reconnection.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startBrowserHost } from '../../../src-main/host/browser-host.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import {
  createBrowserTerminal,
  terminalSocketUrl,
  type BrowserTerminal,
} from '../../../src-renderer/transport/browser-terminal.js';
import {
  channels,
  type DeviceStatus,
  type HqStreamMessage,
  type ScanEvent,
} from '../../../src-shared/ipc/index.js';
import { sessionCookie } from '../../main/host/browser-host-session.js';
import { fakeDevices, fakeLink, rendererFixture, scan, status, wsConnect } from '../../main/host/fakes.js';

const fixture = rendererFixture();
afterAll(() => rmSync(fixture.root, { recursive: true, force: true }));

function hostParts() {
  const devices = fakeDevices();
  const hq = fakeLink();
  const api = createHostApi({
    link: hq.link,
    devices: devices.devices,
    hostInfo: { host: 'browser', version: '0.1.0' },
  });
  return { devices, hq, api };
}

/** Resolves with the next value a subscription hears. */
function nextOf<T>(
  subscribe: (listener: (value: T) => void) => () => void,
  check: (value: T) => boolean = () => true,
) {
  return new Promise<T>((resolve) => {
    const off = subscribe((value) => {
      if (!check(value)) return;
      off();
      resolve(value);
    });
  });
}

describe('browser terminal transport', () => {
  it('builds the socket URL from the page location', () => {
    expect(terminalSocketUrl({ protocol: 'http:', host: '127.0.0.1:8788' })).toBe(
      'ws://127.0.0.1:8788/terminal',
    );
    expect(terminalSocketUrl({ protocol: 'https:', host: 'till.example' })).toBe(
      'wss://till.example/terminal',
    );
  });

  it('carries TerminalApi: requests made before the socket opens, answers, pushes', async () => {
    const { devices, hq, api } = hostParts();
    const host = await startBrowserHost({ api, rendererDir: fixture.rendererDir });
    const cookie = await sessionCookie(host);
    const terminal = createBrowserTerminal({
      url: terminalSocketUrl(new URL(host.url)),
      connect: wsConnect(host.origin, () => cookie),
    });
    try {
      // Asked at once: queued until the socket opens.
      expect(await terminal.hostInfo()).toEqual({ host: 'browser', version: '0.1.0' });
      expect(terminal.connected).toBe(true);
      expect(await terminal.deviceStatuses()).toEqual([status]);
      expect(await terminal.hqStatus()).toMatchObject({ enrolled: true, terminalId: 't-1' });
      expect(await terminal.replicationKey()).toBe('a'.repeat(64));
      expect(await terminal.pull('members', null, 10)).toEqual({
        ok: true,
        value: { documents: [], checkpoint: { seq: 0 } },
      });
      expect(await terminal.lookup({ card: '0490000000017' })).toEqual({ ok: true, value: [] });
      // Bad arguments are the host's to refuse.
      expect(await terminal.pull('accounts' as never, null, 10)).toMatchObject({
        ok: false,
        error: { code: 'rejected' },
      });

      const scanned = nextOf<ScanEvent>(terminal.onScan);
      devices.emitScan(scan);
      expect(await scanned).toEqual(scan);
      const changed = nextOf<DeviceStatus>(terminal.onDeviceStatus);
      devices.emitStatus({ ...status, frames: 3 });
      expect(await changed).toMatchObject({ frames: 3 });
      const streamed = nextOf<HqStreamMessage>(terminal.onHqStream);
      hq.emitStream({ type: 'changed', collections: ['members'] });
      expect(await streamed).toEqual({ type: 'changed', collections: ['members'] });
    } finally {
      terminal.disconnect();
      await host.close();
    }
  });

  it('says DISCONNECTED when the host goes, answers HQ calls offline meanwhile, and reconnects', async () => {
    const { devices, api } = hostParts();
    let host = await startBrowserHost({ api, rendererDir: fixture.rendererDir });
    const port = Number(new URL(host.url).port);
    let cookie = await sessionCookie(host);
    const terminal = createBrowserTerminal({
      url: terminalSocketUrl(new URL(host.url)),
      connect: wsConnect(host.origin, () => cookie),
      // Long enough for a restarted host to be reconnected under load; the offline checks wait it once.
      requestTimeoutMs: 1500,
      reconnectMs: { initial: 20, max: 100 },
    });
    try {
      await terminal.hostInfo();
      const statuses: DeviceStatus[] = [];
      terminal.onDeviceStatus((s) => statuses.push(s));
      const dropped = nextOf<HqStreamMessage>(terminal.onHqStream);
      const down = nextOf<boolean>(
        (f) => terminal.onConnectionChange(f),
        (c) => !c,
      );
      await host.close();
      expect(await dropped).toEqual({ type: 'DISCONNECTED' });
      await down;
      expect(terminal.connected).toBe(false);

      // HQ calls are values even when the host is away; the others reject.
      const [pushed, info] = await Promise.allSettled([terminal.push([]), terminal.hostInfo()]);
      expect(pushed).toMatchObject({ status: 'fulfilled', value: { ok: false, error: { code: 'offline' } } });
      expect(info).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/did not answer/) },
      });

      // A request made while down is answered once the host is back.
      const up = nextOf<boolean>(
        (f) => terminal.onConnectionChange(f),
        (c) => c,
      );
      const asked = terminal.hostInfo();
      host = await startBrowserHost({ api, rendererDir: fixture.rendererDir, port });
      // A restarted host makes a new secret: the page is let in again through a new launch URL.
      cookie = await sessionCookie(host);
      await up;
      expect(await asked).toMatchObject({ host: 'browser' });
      // Device listeners hear the current statuses again after a reconnect.
      await until(() => statuses.length > 0);
      expect(statuses[0]).toEqual(status);
      expect(devices.listeners()).toBeGreaterThan(0);
    } finally {
      terminal.disconnect();
      await host.close();
    }
  });

  it('drops pushes and rejects answers that do not fit the contract', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    const address = wss.address() as { port: number };
    wss.on('connection', (socket) => {
      socket.on('message', (data) => {
        const { id } = JSON.parse((data as Buffer).toString('utf8')) as { id: number };
        // Garbage first, then pushes that do not fit, then one that does, then an answer that does not fit.
        socket.send('not json');
        socket.send(JSON.stringify({ channel: channels.scan, payload: { ...scan, deviceId: '' } }));
        socket.send(JSON.stringify({ channel: channels.scan, payload: scan, extra: 1 }));
        socket.send(JSON.stringify({ channel: 'terminal:unknown', payload: scan }));
        socket.send(JSON.stringify({ channel: channels.scan, payload: { ...scan, deviceId: 'good' } }));
        socket.send(JSON.stringify({ id, result: { host: 'mainframe', version: '1' } }));
      });
    });
    const terminal: BrowserTerminal = createBrowserTerminal({
      url: `ws://127.0.0.1:${address.port}/terminal`,
      connect: wsConnect('http://test'),
    });
    try {
      const scans: ScanEvent[] = [];
      terminal.onScan((event) => scans.push(event));
      await expect(terminal.hostInfo()).rejects.toThrow(/does not fit/);
      expect(scans.map((s) => s.deviceId)).toEqual(['good']);
    } finally {
      terminal.disconnect();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });

  it('fails pending requests when disconnected for good', async () => {
    const terminal = createBrowserTerminal({
      url: 'ws://127.0.0.1:9/terminal',
      connect: wsConnect('http://test'),
    });
    const info = terminal.hostInfo();
    const pushed = terminal.push([]);
    terminal.disconnect();
    await expect(info).rejects.toThrow(/closed/);
    expect(await pushed).toMatchObject({ ok: false, error: { code: 'offline' } });
    await expect(terminal.replicationKey()).rejects.toThrow(/closed/);
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

// The browser host: serves the built renderer with the kiosk's CSP and nothing outside its folder, and
// carries TerminalApi over a WebSocket that only its own origin may open, answering garbage with errors.
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  browserContentSecurityPolicy,
  startBrowserHost,
  type BrowserHost,
} from '../../../src-main/host/browser-host.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import { channels } from '../../../src-shared/ipc/index.js';
import { fakeDevices, fakeLink, openClient, rendererFixture, scan, status } from './fakes.js';

const fixture = rendererFixture();
const devices = fakeDevices();
const hq = fakeLink();
const api = createHostApi({
  link: hq.link,
  devices: devices.devices,
  hostInfo: { host: 'browser', version: '0.1.0' },
});
let host: BrowserHost;
let socketUrl: string;

beforeAll(async () => {
  host = await startBrowserHost({ api, rendererDir: fixture.rendererDir, maxMessageBytes: 64 * 1024 });
  socketUrl = `${host.origin.replace('http', 'ws')}/terminal`;
});
afterAll(async () => {
  await host.close();
  rmSync(fixture.root, { recursive: true, force: true });
});

/** A raw HTTP request: the path is sent exactly as given (fetch would normalise `..` away). */
function get(path: string, options: { method?: string; host?: string } = {}) {
  const url = new URL(host.url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: options.method ?? 'GET',
          headers: options.host ? { host: options.host } : {},
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('browser host: the renderer files', () => {
  it('serves index.html with the strict CSP header', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<title>Loyalty Terminal</title>');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
    // Its own WebSocket only, not ws: at large.
    const port = new URL(host.url).port;
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).not.toMatch(/ws:\/\/127\.0\.0\.1:\*/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(csp).toBe(browserContentSecurityPolicy(`127.0.0.1:${port}`));
  });

  it('gives each file its MIME type, the same CSP, and 404 for what is missing', async () => {
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await get('/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/index.html?x=1')).status).toBe(200);
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });

  it('refuses paths that leave the renderer folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/..\\secret.txt',
      '/%00index.html',
      '/%zz',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('credential');
    }
  });

  it('answers GET and HEAD only, and its own Host only (no DNS rebinding)', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    const head = await get('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(
      startBrowserHost({ api, rendererDir: fixture.rendererDir, host: '0.0.0.0' }),
    ).rejects.toThrow(/loopback/);
  });
});

describe('browser host: TerminalApi over the WebSocket', () => {
  it('answers hostInfo and deviceStatuses, and pushes scans, statuses and HQ stream messages', async () => {
    const client = await openClient(socketUrl, host.origin);
    expect(await client.call(1, channels.hostInfo)).toEqual({
      id: 1,
      result: { host: 'browser', version: '0.1.0' },
    });
    expect(await client.call(2, channels.deviceStatuses)).toEqual({ id: 2, result: [status] });

    devices.emitScan(scan);
    expect(await client.next((m) => m.channel === channels.scan)).toEqual({
      channel: channels.scan,
      payload: scan,
    });
    devices.emitStatus({ ...status, state: 'disconnected' });
    expect(await client.next((m) => m.channel === channels.deviceStatus)).toMatchObject({
      payload: { state: 'disconnected' },
    });
    hq.emitStream({ type: 'RESYNC' });
    expect(await client.next((m) => m.channel === channels.hqStream)).toEqual({
      channel: channels.hqStream,
      payload: { type: 'RESYNC' },
    });
    // A scan that does not fit the contract is not forwarded.
    devices.emitScan({ ...scan, result: { kind: 'pan', number: '4111111111111111' } } as never);
    devices.emitScan({ ...scan, deviceId: 'second' });
    await client.next(
      (m) => m.channel === channels.scan && (m.payload as { deviceId: string }).deviceId === 'second',
    );
    expect(JSON.stringify(client.messages)).not.toContain('4111111111111111');

    client.socket.close();
    await client.closed;
  });

  it('unsubscribes from the host API when the socket closes', async () => {
    const before = devices.listeners();
    const streams = hq.streamListeners();
    const client = await openClient(socketUrl, host.origin);
    await client.call(1, channels.hostInfo);
    expect(devices.listeners()).toBe(before + 2);
    expect(hq.streamListeners()).toBe(streams + 1);
    // The server sees the close after the client: wait for the listeners to go, checked on each event turn.
    client.socket.close();
    await client.closed;
    await until(() => devices.listeners() === before && hq.streamListeners() === streams);
  });

  it('refuses a socket from another origin, or with no origin', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:1', undefined, 'null']) {
      const socket = new WebSocket(socketUrl, origin === undefined ? {} : { origin });
      const status = await new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => resolve(101));
        socket.once('error', () => undefined);
      });
      expect(status, String(origin)).toBe(403);
      socket.terminate();
    }
  });

  it('answers garbage with errors and keeps working', async () => {
    const client = await openClient(socketUrl, host.origin);
    client.socket.send('not json {');
    expect(await client.next((m) => m.id === null)).toEqual({
      id: null,
      error: { message: 'The request is not JSON.' },
    });
    client.messages.length = 0;
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next((m) => m.id === null)).toMatchObject({
      error: { message: expect.stringContaining('JSON text') },
    });
    client.socket.send(JSON.stringify({ id: 7, channel: channels.hostInfo }));
    expect(await client.next((m) => m.id === 7)).toMatchObject({ error: { message: expect.any(String) } });
    client.socket.send(JSON.stringify([1, 2, 3]));
    client.socket.send('null');
    client.socket.send(JSON.stringify({ id: -1, channel: 'x', args: [] }));
    expect(await client.call(8, 'terminal:shell', 'rm -rf /')).toMatchObject({
      id: 8,
      error: { message: expect.stringContaining('No TerminalApi method') },
    });
    // The push channels are not invocable.
    expect(await client.call(9, channels.scan)).toMatchObject({ id: 9, error: expect.anything() });
    // Bad arguments reach the host API, which answers 'rejected' without calling HQ.
    expect(await client.call(10, channels.hqPull, 'accounts', null, 1e9)).toMatchObject({
      id: 10,
      result: { ok: false, error: { code: 'rejected' } },
    });
    expect(await client.call(11, channels.hostInfo)).toEqual({
      id: 11,
      result: { host: 'browser', version: '0.1.0' },
    });
    client.socket.close();
    await client.closed;
  });

  it('closes a socket that sends an oversized message, and accepts new ones', async () => {
    const client = await openClient(socketUrl, host.origin);
    client.socket.send(JSON.stringify({ id: 1, channel: channels.hqPush, args: ['x'.repeat(100 * 1024)] }));
    expect(await client.closed).toBe(1009);
    const again = await openClient(socketUrl, host.origin);
    expect(await again.call(2, channels.hostInfo)).toMatchObject({ result: { host: 'browser' } });
    again.socket.close();
    await again.closed;
  });
});

/** Resolves once `check` holds, testing it again after each turn of the event loop (no fixed delays). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

// The browser host: serves the built renderer with the kiosk's CSP and nothing outside its folder, and
// carries TerminalApi over a WebSocket that only its own page may open (its origin, and the session cookie
// of this launch, got through a one-time launch URL), answering garbage with errors.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserContentSecurityPolicy,
  startBrowserHost,
  type BrowserHost,
} from '../../../src-main/host/browser-host.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import { channels } from '../../../src-shared/ipc/index.js';
import {
  cookieValues,
  createLaunchSecret,
  launchPageHtml,
  MAX_PENDING_LAUNCHES,
  secretsEqual,
  writeLaunchPage,
} from '../../../src-main/host/launch-secret.js';
import { sessionCookie, upgradeStatus } from './browser-host-session.js';
import {
  fakeDevices,
  fakeLink,
  openClient as openClientWith,
  rendererFixture,
  scan,
  status,
} from './fakes.js';

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
/** The session cookie (`name=value`) of the host's own page. */
let cookie: string;
/** A client as the host's own page: its origin and its session cookie. */
const openClient = (url: string, origin: string) => openClientWith(url, origin, { cookie });

beforeAll(async () => {
  host = await startBrowserHost({ api, rendererDir: fixture.rendererDir, maxMessageBytes: 64 * 1024 });
  socketUrl = `${host.origin.replace('http', 'ws')}/terminal`;
  cookie = await sessionCookie(host);
});
afterAll(async () => {
  await host.close();
  rmSync(fixture.root, { recursive: true, force: true });
});

/**
 * A raw HTTP request: the path is sent exactly as given (fetch would normalise `..` away), with the page's
 * session cookie unless `cookie` says otherwise (null: none).
 */
function get(
  path: string,
  options: { method?: string; host?: string; cookie?: string | null; headers?: Record<string, string> } = {},
) {
  const url = new URL(host.url);
  const sent = options.cookie === undefined ? cookie : options.cookie;
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method: options.method ?? 'GET',
          headers: {
            ...(options.host ? { host: options.host } : {}),
            ...(sent === null ? {} : { cookie: sent }),
            ...options.headers,
          },
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

  it('refuses a socket from another origin, or with no origin, even with the session cookie', async () => {
    for (const origin of ['http://evil.example', 'http://localhost:1', undefined, 'null']) {
      expect((await upgradeStatus(socketUrl, origin, { cookie })).status, String(origin)).toBe(403);
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

describe('browser host: the launch secret', () => {
  it('opens the page only through a one-time launch URL, which hands back an httpOnly, strict cookie', async () => {
    const launch = new URL(host.launchUrl());
    expect(launch.origin).toBe(host.origin);
    expect(launch.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const path = `/${launch.search}`;

    // A HEAD does not spend it (a link checker, a preview).
    expect((await get(path, { method: 'HEAD', cookie: null })).headers['set-cookie']).toBeUndefined();
    const first = await get(path, { cookie: null });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const [setCookie] = first.headers['set-cookie'] as string[];
    const port = new URL(host.url).port;
    expect(setCookie).toMatch(new RegExp(`^loyalty-terminal-${port}=[A-Za-z0-9_-]{43}; `));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Max-Age');
    const fresh = setCookie!.split(';')[0]!;
    // Every launch of one host hands out the same session, which then opens the page and the socket.
    expect(fresh).toBe(cookie);
    expect((await get('/', { cookie: fresh })).status).toBe(200);

    // Spent: a second GET without the session gets nothing; a reload with it goes on to the page.
    const again = await get(path, { cookie: null });
    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).not.toContain(fresh.split('=')[1]);
    expect((await get(path, { cookie: fresh })).status).toBe(303);
    // Launch URLs are all different, and a made-up or mangled token is refused.
    expect(host.launchUrl()).not.toBe(host.launchUrl());
    for (const token of ['', 'x', launch.searchParams.get('launch')!.slice(1), 'a'.repeat(10_000)]) {
      const res = await get(`/?launch=${token}`, { cookie: null });
      expect(res.status, token.slice(0, 20)).toBe(403);
      expect(res.headers['set-cookie'], token.slice(0, 20)).toBeUndefined();
    }
  });

  it('gives a local process that fetches the page nothing: no page, no cookie, no secret', async () => {
    for (const path of ['/', '/index.html', '/?x=1', '/?launch']) {
      const res = await get(path, { cookie: null });
      expect(res.status, path).toBe(path === '/?launch' ? 403 : 401);
      expect(res.headers['set-cookie'], path).toBeUndefined();
      expect(res.body, path).not.toContain('<title>Loyalty Terminal</title>');
      expect(res.body, path).not.toContain(cookie.split('=')[1]);
      expect(res.headers['content-security-policy'], path).toBe(
        browserContentSecurityPolicy(new URL(host.url).host),
      );
    }
    // With a wrong session the page is refused all the same.
    const name = cookie.split('=')[0]!;
    expect((await get('/', { cookie: `${name}=${'A'.repeat(43)}` })).status).toBe(401);
    // The build's scripts and styles are public (no secret in them), so they load without the session.
    expect((await get('/assets/app.js', { cookie: null })).status).toBe(200);
  });

  it('hands a launch started by another page (a launch page on file:) a page that goes on to /', async () => {
    const path = `/${new URL(host.launchUrl()).search}`;
    const res = await get(path, { cookie: null, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<meta http-equiv="refresh" content="0;url=/">');
    expect((res.headers['set-cookie'] as string[])[0]!.split(';')[0]).toBe(cookie);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Browser-initiated or same-origin: a plain redirect.
    for (const site of ['none', 'same-origin']) {
      const redirected = await get(`/${new URL(host.launchUrl()).search}`, {
        cookie: null,
        headers: { 'sec-fetch-site': site },
      });
      expect(redirected.status, site).toBe(303);
    }
  });

  it('refuses a forged-Origin socket with no session or a wrong one, and that socket gets nothing', async () => {
    const listeners = devices.listeners();
    const streams = hq.streamListeners();
    const name = cookie.split('=')[0]!;
    const value = cookie.split('=')[1]!;
    const tries: Array<[string, Record<string, string>]> = [
      ['no cookie', {}],
      ['empty', { cookie: `${name}=` }],
      ['another host launch', { cookie: `${name}=${'A'.repeat(43)}` }],
      ['one character off', { cookie: `${name}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}` }],
      ['a prefix', { cookie: `${name}=${value.slice(0, 20)}` }],
      ['too long', { cookie: `${name}=${value}${value}` }],
      ['another port', { cookie: `loyalty-terminal-1=${value}` }],
      ['the launch token', { cookie: `${name}=${new URL(host.launchUrl()).searchParams.get('launch')!}` }],
      ['in a query', { cookie: '' }],
    ];
    for (const [what, headers] of tries) {
      const url = what === 'in a query' ? `${socketUrl}?${cookie}` : socketUrl;
      const refused = await upgradeStatus(url, host.origin, headers);
      expect(refused.status, what).toBe(403);
      expect(refused.body, what).not.toContain('browser');
    }
    // None of them reached the host API: no connection subscribed to scans, statuses or the stream.
    expect(devices.listeners()).toBe(listeners);
    expect(hq.streamListeners()).toBe(streams);
    // The page's own origin and session get in.
    const client = await openClient(socketUrl, host.origin);
    expect(await client.call(1, channels.hostInfo)).toMatchObject({ result: { host: 'browser' } });
    client.socket.close();
    await client.closed;
  });

  it("refuses one host's session at another host (each launch makes its own secret)", async () => {
    const other = await startBrowserHost({ api, rendererDir: fixture.rendererDir });
    try {
      const otherSocket = `${other.origin.replace('http', 'ws')}/terminal`;
      const [, value] = cookie.split('=');
      const name = `loyalty-terminal-${new URL(other.url).port}`;
      expect((await upgradeStatus(otherSocket, other.origin, { cookie: `${name}=${value}` })).status).toBe(
        403,
      );
      const own = await sessionCookie(other);
      expect(own).not.toBe(`${name}=${value}`);
      expect((await upgradeStatus(otherSocket, other.origin, { cookie: own })).status).toBe(101);
    } finally {
      await other.close();
    }
  });
});

describe('launch secret', () => {
  it('spends each token once, forgets the oldest past the bound, and matches the session only', () => {
    let n = 0;
    const secret = createLaunchSecret(8788, (bytes) => Buffer.alloc(bytes, (n += 1)));
    const tokens = Array.from({ length: MAX_PENDING_LAUNCHES + 1 }, () => secret.issueLaunchToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(secret.redeem(tokens[0]!)).toBe(false); // the oldest, forgotten
    expect(secret.redeem(tokens[1]!)).toBe(true);
    expect(secret.redeem(tokens[1]!)).toBe(false);
    expect(secret.redeem(tokens.at(-1)!)).toBe(true);
    expect(secret.redeem('')).toBe(false);

    const session = Buffer.alloc(32, 1).toString('base64url');
    expect(secret.sessionCookie()).toBe(
      `loyalty-terminal-8788=${session}; Path=/; HttpOnly; SameSite=Strict`,
    );
    expect(secret.hasSession(`a=b; loyalty-terminal-8788=${session}`)).toBe(true);
    expect(secret.hasSession(`loyalty-terminal-8788=stale; loyalty-terminal-8788=${session}`)).toBe(true);
    expect(secret.hasSession(`loyalty-terminal-8789=${session}`)).toBe(false);
    expect(secret.hasSession(`loyalty-terminal-8788=${session}x`)).toBe(false);
    expect(secret.hasSession(undefined)).toBe(false);
    expect(secret.hasSession('')).toBe(false);
  });

  it('reads cookies and compares secrets of any length', () => {
    expect(cookieValues(' a = 1 ;b=2; a=3;c', 'a')).toEqual(['1', '3']);
    expect(cookieValues(undefined, 'a')).toEqual([]);
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
  });

  it('writes a launch page readable by its owner only, made afresh', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'launch-page-'));
    try {
      const file = join(dir, 'launch.html');
      writeFileSync(file, 'someone else’s', { mode: 0o644 });
      await writeLaunchPage(file, 'http://127.0.0.1:8788/?launch=a"b&c<');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const html = readFileSync(file, 'utf8');
      expect(html).toBe(launchPageHtml('http://127.0.0.1:8788/?launch=a"b&c<'));
      expect(html).toContain('content="0;url=http://127.0.0.1:8788/?launch=a&quot;b&amp;c&lt;"');
      expect(html).not.toContain('<script');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Resolves once `check` holds, testing it again after each turn of the event loop (no fixed delays). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

// The browser host in a real browser: the renderer, built as `npm start` builds it, loaded from the host
// in Debian's Chromium through a launch URL, gets `window.terminal` over the WebSocket (under the strict
// CSP, with no violation) and hears scans pushed from the host. A browser profile that did not come in
// through a launch URL gets neither the page nor the socket, even at the host's own origin; a launch page
// on file: (how a start script keeps the token off Chromium's command line) lets the page in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../../scripts/start.js';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser-host.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import { writeLaunchPage } from '../../../src-main/host/launch-secret.js';
import type { ScanEvent, TerminalApi } from '../../../src-shared/ipc/index.js';
import { launchChromium } from '../../support/chromium.js';
import { fakeDevices, fakeLink, scan } from './fakes.js';

type PageWindow = { terminal?: TerminalApi; heard?: ScanEvent[] };

const dir = mkdtempSync(join(tmpdir(), 'browser-host-chromium-'));
const rendererDir = join(dir, 'renderer');
const devices = fakeDevices();
let host: BrowserHost;
let browser: Browser;

beforeAll(async () => {
  await buildRenderer(rendererDir);
  const api = createHostApi({
    link: fakeLink().link,
    devices: devices.devices,
    hostInfo: { host: 'browser', version: 'smoke' },
  });
  host = await startBrowserHost({ api, rendererDir });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser host in Chromium', () => {
  it('gives the page window.terminal, which answers hostInfo and hears scans', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(host.launchUrl());
    // The token is gone from the address bar (and so from the history): the launch redirected to the page.
    expect(page.url()).toBe(host.url);
    await page.waitForFunction(() => (window as PageWindow).terminal !== undefined);
    expect(await page.evaluate(() => (window as PageWindow).terminal!.hostInfo())).toEqual({
      host: 'browser',
      version: 'smoke',
    });

    await page.evaluate(() => {
      const w = window as PageWindow;
      w.heard = [];
      w.terminal!.onScan((event) => w.heard!.push(event));
    });
    devices.emitScan(scan);
    await page.waitForFunction(() => ((window as PageWindow).heard ?? []).length > 0);
    expect(await page.evaluate(() => (window as PageWindow).heard)).toEqual([scan]);
    // The page cannot replace its door to the host.
    expect(
      await page.evaluate(() => {
        try {
          (window as { terminal?: unknown }).terminal = { hostInfo: () => 'forged' };
        } catch {
          // strict-mode code throws; either way the value stays
        }
        return (window as PageWindow).terminal!.hostInfo();
      }),
    ).toEqual({ host: 'browser', version: 'smoke' });
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('opens the page from a launch page on file:, and keeps it across a reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const launchPage = join(dir, 'launch.html');
    await writeLaunchPage(launchPage, host.launchUrl());
    await page.goto(pathToFileURL(launchPage).href);
    await page.waitForURL(host.url);
    await page.waitForFunction(() => (window as PageWindow).terminal !== undefined);
    expect(await page.evaluate(() => (window as PageWindow).terminal!.hostInfo())).toEqual({
      host: 'browser',
      version: 'smoke',
    });
    await page.reload();
    await page.waitForFunction(() => (window as PageWindow).terminal !== undefined);
    expect(await page.evaluate(() => (window as PageWindow).terminal!.hostInfo())).toMatchObject({
      host: 'browser',
    });
    // The cookie is out of the page's reach (httpOnly).
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await context.close();
  });

  it('gives a browser that did not come in through a launch URL neither the page nor the socket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(host.url);
    expect(response?.status()).toBe(401);
    // Even at the host's own origin (so with the right Origin header), the socket is refused.
    const opened = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('open');
          socket.onclose = () => resolve('refused');
        }),
      `${host.origin.replace('http', 'ws')}/terminal`,
    );
    expect(opened).toBe('refused');
    // A spent launch URL does not let it in either.
    const launch = host.launchUrl();
    const other = await browser.newContext();
    await (await other.newPage()).goto(launch);
    expect((await page.goto(launch))?.status()).toBe(403);
    await other.close();
    await context.close();
  });
});

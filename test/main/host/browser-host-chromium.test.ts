// The browser host in a real browser: the renderer, built as `npm start` builds it, loaded from the host
// in Debian's Chromium, gets `window.terminal` over the WebSocket (under the strict CSP, with no
// violation) and hears scans pushed from the host.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../../scripts/start.js';
import { startBrowserHost, type BrowserHost } from '../../../src-main/host/browser-host.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
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
    await page.goto(host.url);
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
});

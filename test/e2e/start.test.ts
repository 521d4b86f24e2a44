// The README's start command on a fresh data folder: HQ on PGlite with the demo chain, an enrolled till,
// the browser host; the printed URL opens the cashier app in Chromium, a demo cashier signs in, and a demo
// member card scanned over the simulated serial scanner opens the member. The printed console URL answers
// and its admin sign-in works, and the admin CLI answers on the same PGlite folder while start runs. Then
// Ctrl-C stops it all.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/hq.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'loyalty-start-'));
let child: ChildProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child?.once('exit', done));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

/** Runs `npm start -- --no-open` and collects its output until the terminal's launch URL is printed. */
async function start(): Promise<{ url: string; output: string[] }> {
  const [hqPort, port] = [await freePort(), await freePort()];
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--no-open', '--port', String(port)],
    {
      cwd: ROOT,
      env: { ...process.env, LOYALTY_DATA_DIR: dataDir, HQ_PORT: String(hqPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<never>((_, fail) =>
    child?.once('exit', (code) => fail(new Error(`npm start exited (${code}):\n${output.join('\n')}`))),
  );
  const ready = (async () => {
    for await (const line of lines) {
      output.push(line);
      // With --no-open the start command prints the page's one-time launch link.
      const url = /Terminal:\s+(http:\/\/127\.0\.0\.1:\d+\/\?launch=\S+)/.exec(line)?.[1];
      if (url) return { url, output };
    }
    throw new Error(`npm start ended its output without a URL:\n${output.join('\n')}`);
  })();
  return Promise.race([ready, exited]);
}

describe('./loyalty start', () => {
  it('brings up a working terminal with demo data through the browser host', async () => {
    const { url, output } = await start();
    const text = output.join('\n');
    const pin = /(\S+ \S+)\s+cashier\s+(\d{4,8})/.exec(text);
    const card = /Member cards: (\d+)/.exec(text)?.[1];
    const scan = /npm run scanner -- --path (\S+) loyalty/.exec(text)?.[1];
    expect(pin, text).not.toBeNull();
    expect(card, text).toBeDefined();
    expect(scan, text).toBeDefined();

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 90_000 });
    await page.getByRole('combobox', { name: 'Cashier' }).selectOption({ label: pin![1]! });
    await page.getByLabel('PIN', { exact: true }).fill(pin![2]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Scan a card or enter a phone number' }).waitFor();

    // A demo member card through the simulated scanner, as the start command tells a newcomer to do.
    const scanner = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/scanner.ts', '--path', scan!, 'loyalty', card!],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    await new Promise((done) => scanner.once('exit', done));
    await page.getByRole('region', { name: 'Balance' }).waitFor();
    expect(await page.getByRole('region', { name: 'Balance' }).innerText()).toMatch(/points/);

    // The back office: its printed URL answers, and the printed admin signs in.
    const consoleUrl = /Console:\s+(http:\/\/127\.0\.0\.1:\d+\/console\/)/.exec(text)?.[1];
    const admin = /sign in as (\S+) \/ (\S+)/.exec(text);
    expect(consoleUrl, text).toBeDefined();
    expect(admin, text).not.toBeNull();
    const consolePage = await fetch(consoleUrl!);
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-type')).toContain('text/html');
    const signIn = await fetch(new URL('/v1/console/session', consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin![1], password: admin![2] }),
    });
    expect(signIn.status).toBe(200);

    // The admin CLI on the PGlite folder start is running: through HQ's shared database, not refused.
    const report = await promisify(execFile)('npm', ['run', '-s', 'hq', '--', 'report', 'liability'], {
      cwd: ROOT,
      env: { ...process.env, HQ_DATA_DIR: join(dataDir, 'hq') },
    });
    expect(report.stdout).toMatch(
      /Points liability \(.+\)\n\s+[\d,]+ points held by [\d,]+ of [\d,]+ members: /,
    );
  }, 300_000);
});

// The console's dashboard and ROI page in Chromium over the demo chain (`seed demo`: three stores, weeks of
// purchases and redemptions through the real ingest): an admin sees the charts and figure cards that
// equal the CLI's `report` on the same database; a store manager sees only their store's figures; the ROI
// page takes new assumptions and shows the ones it used. axe on each screen; screenshots of both with
// UPDATE_DOCS_SCREENSHOTS=1.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-hq/cli/run.js';
import { seedDemo } from '../../src-hq/seed/demo.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';

const LONG = 180_000;
let hq: ConsoleHarness;

interface CliReport {
  liability: { members: number; netPoints: number; liability: number };
  daily: {
    from: string;
    to: string;
    days: { day: string; issued: number; redeemed: number; expired: number }[];
  };
  reviews: { open: number };
}

/** The CLI's `report --json` for the days, on HQ's own database. */
async function cliReport(from: string, to: string): Promise<CliReport> {
  let out = '';
  const code = await runCli(['report', '--json', '--from', from, '--to', to], {
    env: {},
    stdout: { write: (s: string) => void (out += s) },
    stderr: { write: () => undefined },
    clock: hq.clock,
    db: hq.db,
  });
  expect(code).toBe(0);
  return JSON.parse(out) as CliReport;
}

/** What a figure card shows, by its label. */
const card = (page: Page, label: string): Promise<string> =>
  page
    .locator('.figure', { has: page.locator('.figure-label', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.figure-value')
    .innerText();

/** A chart's figures table (under its disclosure) as rows of cell texts, header row first. */
async function chartTable(page: Page, title: string): Promise<string[][]> {
  const details = page.locator('details', {
    has: page.locator('summary', { hasText: `${title}: the figures` }),
  });
  await details.locator('summary').click();
  return details
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
    );
}

const en = (n: number): string => new Intl.NumberFormat('en-IE').format(n);
const eur = (minor: number): string =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(minor / 100);

beforeAll(async () => {
  // An empty HQ the demo seed accepts (it makes its stores and publishes its program).
  hq = await startConsole({ stores: [], program: null });
  await seedDemo(hq.db, hq.clock, { members: 400, days: 45, pinCost: 16 });
}, LONG);

afterAll(async () => {
  await hq?.close();
}, LONG);

describe('the console dashboard and ROI', () => {
  it('an admin sees the charts, and the figure cards and daily figures equal the CLI report', async () => {
    const page = await hq.page('admin');
    await hq.open(page, '');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.locator('.figure').first().waitFor();
    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const to = await page.getByLabel('To', { exact: true }).inputValue();
    const cli = await cliReport(from, to);

    expect(await card(page, 'Points liability')).toBe(`${en(cli.liability.netPoints)} points`);
    expect(await card(page, 'Liability in money')).toBe(eur(cli.liability.liability));
    expect(await card(page, 'Members')).toBe(en(cli.liability.members));
    expect(await card(page, 'Open reviews')).toBe(en(cli.reviews.open));

    // Every chart is drawn, and each is an image with a name for assistive technology.
    const charts = [
      'Points issued, redeemed and expired per day',
      'Points liability at the end of each day',
      'New and active members per day',
      'Redemptions by reward',
      'Members by tier',
    ];
    for (const title of charts) await page.getByRole('img', { name: new RegExp(`^${title}:`) }).waitFor();
    await expect.poll(() => page.locator('.recharts-surface').count()).toBeGreaterThanOrEqual(charts.length);
    expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(10);

    // The daily figures, day by day, are the CLI's (days the CLI leaves out are zeros).
    const [header, ...rows] = await chartTable(page, 'Points issued, redeemed and expired per day');
    expect(header).toEqual(['Day', 'Issued', 'Redeemed', 'Expired']);
    expect(rows.length).toBeGreaterThanOrEqual(28);
    const shown = rows.map((r) => r.slice(1).join(' | '));
    const days = new Map(cli.daily.days.map((d) => [d.day, d]));
    expect(cli.daily.days.some((d) => d.issued > 0 && d.redeemed > 0)).toBe(true);
    const expected = [];
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
      const d = days.get(new Date(t).toISOString().slice(0, 10));
      expected.push([d?.issued ?? 0, d?.redeemed ?? 0, d?.expired ?? 0].map(en).join(' | '));
    }
    expect(shown).toEqual(expected);

    await hq.axe(page, 'dashboard');
    await page.locator('details[open] summary').click(); // closed again for the picture
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await hq.photograph(page, 'dashboard');
    expect(hq.errors(page)).toEqual([]);
  });

  it('a store manager sees only their store, with the figures of its line on the admin’s dashboard', async () => {
    const admin = await hq.page('admin');
    await hq.open(admin, '');
    const storesTable = admin.getByRole('table', { name: 'Figures by store for the range' });
    const cork = storesTable.getByRole('row', { name: /Cork/ });
    await cork.waitFor();
    const corkCells = await cork.locator('th, td').allInnerTexts();
    expect(await storesTable.getByRole('row').count()).toBeGreaterThanOrEqual(4); // header and three stores

    const page = await hq.page('store-manager', ['cork-patrick']);
    await hq.open(page, '');
    const mine = page.getByRole('table', { name: 'Figures by store for the range' });
    await mine.getByRole('row', { name: /Cork/ }).waitFor();
    expect(await mine.getByRole('row').count()).toBe(2);
    expect(await mine.getByRole('row', { name: /Cork/ }).locator('th, td').allInnerTexts()).toEqual(
      corkCells,
    );
    const body = await page.textContent('body');
    expect(body).not.toContain('Dublin');
    expect(body).not.toContain('Galway');
    const options = await page.getByLabel('Store', { exact: true }).locator('option').allInnerTexts();
    expect(options).toEqual(['All stores', 'GreenBasket Cork, Patrick Street']);
    // The store's issued points are the Cork line's.
    const [, ...rows] = await chartTable(page, 'Points issued, redeemed and expired per day');
    const issued = rows.reduce((s, r) => s + Number((r[1] ?? '0').replace(/,/g, '')), 0);
    expect(en(issued)).toBe(corkCells[2]);
    await hq.axe(page, 'dashboard (store manager)');
    expect(hq.errors(page)).toEqual([]);
  });

  it('the ROI page shows the result beside its assumptions and recalculates with new ones', async () => {
    const page = await hq.page('analyst');
    await hq.open(page, 'roi');
    await page.getByRole('heading', { level: 1, name: 'Program ROI' }).waitFor();
    const used = page.locator('.roi-used');
    await used.waitFor();
    expect(await used.innerText()).toContain('10% of members');
    const before = await card(page, 'Benefit');

    await page.getByLabel('Gross margin on sales (%)').fill('45');
    await page.getByLabel("Incremental share of members' spend (%)").fill('20');
    await page.getByRole('button', { name: 'Recalculate' }).click();
    await expect.poll(() => used.innerText()).toContain('20% of members');
    expect(await used.innerText()).toContain('45%');
    expect(await card(page, 'Benefit')).not.toBe(before);
    await page.getByRole('img', { name: /^Visits per member per month, by enrollment month:/ }).waitFor();

    await hq.axe(page, 'roi');
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await hq.photograph(page, 'roi');

    // A margin over 100 % is refused in the form, before HQ.
    await page.getByLabel('Gross margin on sales (%)').fill('140');
    await page.getByRole('button', { name: 'Recalculate' }).click();
    await page.getByText('A number from 0 to 100.').waitFor();
    expect(await used.innerText()).toContain('45%');

    expect(hq.errors(page)).toEqual([]);
  });
});

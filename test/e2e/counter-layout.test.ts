// The counter's layout, measured (test/support/counter.ts: the real renderer in Chromium, HQ on
// PostgreSQL): at 1024×768, the most common countertop screen, and at 1280×800, with a 12-line basket and
// a member who sees 11 rewards, the primary actions never leave the screen. Confirm sale, every reward and
// its confirmation sheet's Redeem, the member screen's New sale / Redeem / Done are inside the viewport
// (bounding boxes), and while the lists scroll (the mouse wheel, a line scrolled into view) the status bar
// stays whole at the top and the action bar at the bottom. The status bar is one row at 1024 (online and
// offline, its longest words). At 1920×1080 the screens use the width: no narrow centre column. The sale's
// amount keypad fits at 1024×768 with 48 px keys and leaves Confirm sale where it is.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../src-hq/import/gtin.js';
import type { Program, Reward } from '../../src-shared/program/schema.js';
import { expectNoSeriousViolations } from '../support/axe.js';
import { launchChromium } from '../support/chromium.js';
import {
  COUNTER_PRODUCTS,
  failureScreenshot,
  signIn,
  startCounter,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
  type CounterProduct,
} from '../support/counter.js';
import { exampleProgram } from '../support/hq.js';

interface Size {
  width: number;
  height: number;
}

const TILL: Size = { width: 1024, height: 768 };
const LAPTOP: Size = { width: 1280, height: 800 };
const FULL_HD: Size = { width: 1920, height: 1080 };
const LONG = 180_000;

/** Eight more rewards than the coffee shop's three, each within Alice's 1,240 points: 11 on the screen. */
const MORE_REWARDS: Reward[] = [
  { id: 'free-tea', label: 'Free tea (any size)', kind: 'free-product', sku: 'BT-TEA-ANY', cost: 60 },
  { id: 'free-muffin', label: 'Free muffin', kind: 'free-product', sku: 'BT-MUFFIN', cost: 50 },
  { id: 'free-sandwich', label: 'Free sandwich', kind: 'free-product', sku: 'BT-SANDWICH', cost: 120 },
  { id: 'free-beans', label: 'Free house beans 250 g', kind: 'free-product', sku: 'BT-BEANS-250', cost: 200 },
  { id: 'five-euro-off', label: '5.00 EUR off', kind: 'fixed-discount', amount: 500, cost: 90 },
  {
    id: 'ten-percent-off',
    label: '10% off the basket',
    kind: 'percent-discount',
    percent: 10,
    cap: 500,
    cost: 80,
  },
  { id: 'gift-card-10', label: '10 EUR gift card', kind: 'gift-card', amount: 1000, cost: 180 },
  {
    id: 'donation-2',
    label: 'Give 2.00 EUR to the food bank',
    kind: 'donation',
    charity: 'Banque Alimentaire',
    amount: 200,
    cost: 40,
  },
].map((r) => ({ maxPerTransaction: 1, active: true, ...r }) as Reward);

/** Nine more products: with the harness's four, a 12-line basket of distinct products. */
const MORE_PRODUCTS: CounterProduct[] = [
  ['Espresso', 'drinks', 250],
  ['Flat white', 'drinks', 390],
  ['Caffè latte', 'drinks', 410],
  ['Chai latte', 'drinks', 430],
  ['Hot chocolate', 'drinks', 380],
  ['Pain au chocolat', 'bakery', 190],
  ['Blueberry muffin', 'bakery', 290],
  ['Chocolate chip cookie', 'bakery', 220],
  ['Fresh orange juice', 'drinks', 450],
].map(([name, category, price], i) => ({
  sku: `BT-MORE-${i + 1}`,
  gtin: withCheckDigit(`3760000002${String(i + 1).padStart(2, '0')}`),
  name: String(name),
  category: String(category),
  price: Number(price),
}));

function layoutProgram(): Program {
  const program = exampleProgram('coffee-shop');
  return { ...program, rewards: [...program.rewards, ...MORE_REWARDS] };
}

let browser: Browser;
let c: Counter | null = null;

beforeAll(async () => {
  browser = await launchChromium();
}, LONG);

afterEach(async ({ task }) => {
  if (c) {
    if (task.result?.state === 'fail') await failureScreenshot(c.page, task.name);
    await c.close();
    c = null;
  }
}, LONG);

afterAll(async () => {
  await browser?.close();
}, LONG);

// ---- measuring -------------------------------------------------------------------------------------------

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator, what: string): Promise<Box> {
  await waitVisible(locator);
  const b = await locator.boundingBox();
  if (!b) throw new Error(`${what} has no box (not rendered)`);
  return b;
}

const bottom = (b: Box): number => b.y + b.height;
const right = (b: Box): number => b.x + b.width;
const text = (b: Box): string =>
  `x ${Math.round(b.x)}…${Math.round(right(b))}, y ${Math.round(b.y)}…${Math.round(bottom(b))}`;

/** The element is entirely inside the viewport. */
async function expectOnScreen(page: Page, locator: Locator, what: string): Promise<Box> {
  const size = page.viewportSize()!;
  const b = await box(locator, what);
  const inside = b.x >= 0 && b.y >= 0 && right(b) <= size.width + 0.5 && bottom(b) <= size.height + 0.5;
  expect(inside, `${what} (${text(b)}) inside ${size.width}×${size.height}`).toBe(true);
  return b;
}

const actionBar = (page: Page): Locator => page.locator('main .action-bar');

/**
 * The status bar is whole at the very top and the action bar whole at the very bottom; returns the band
 * between them, where the scrolling content shows.
 */
async function expectBarsInPlace(page: Page, when: string): Promise<{ top: number; bottom: number }> {
  const size = page.viewportSize()!;
  const status = await expectOnScreen(page, statusBar(page), `the status bar ${when}`);
  expect(Math.round(status.y), `the status bar's top ${when}`).toBe(0);
  const actions = await expectOnScreen(page, actionBar(page), `the action bar ${when}`);
  expect(Math.abs(bottom(actions) - size.height), `the action bar's bottom ${when}`).toBeLessThanOrEqual(1);
  // The page itself never scrolls: only the lists between the bars do.
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? 0)).toBe(0);
  return { top: bottom(status), bottom: actions.y };
}

/** The element shows whole between the bars (not under either). */
async function expectBetweenBars(page: Page, locator: Locator, what: string): Promise<void> {
  const band = await expectBarsInPlace(page, `with ${what} in view`);
  const b = await expectOnScreen(page, locator, what);
  expect(
    b.y >= band.top - 0.5 && bottom(b) <= band.bottom + 0.5,
    `${what} (${text(b)}) between the bars (${Math.round(band.top)}…${Math.round(band.bottom)})`,
  ).toBe(true);
}

/** How far the nearest scrolling ancestor of the element has scrolled. */
function scrolledAbove(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    for (let e = element.parentElement; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (/(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight) return e.scrollTop;
    }
    return 0;
  });
}

/** The wheel over `over`, then the bars checked again. */
async function wheelOver(page: Page, over: Locator, deltaY: number, when: string): Promise<void> {
  const b = await box(over, 'the scrolled list');
  await page.mouse.move(b.x + Math.min(b.width / 2, 40), b.y + Math.min(b.height / 2, 40));
  await page.mouse.wheel(0, deltaY);
  // Wheel scrolling is smooth and asynchronous: the bars are measured once it has settled.
  await page.waitForTimeout(300);
  await expectBarsInPlace(page, when);
}

/** The status bar is one row: every item level with the others, the bar no taller than one row. */
async function expectStatusBarOneRow(page: Page, when: string): Promise<void> {
  const bar = statusBar(page);
  const b = await box(bar, 'the status bar');
  // One row is the 48 px (or more) Sign out button and the bar's padding: about 67 px at 1024×768; a
  // second row of pills would add 40 px or more.
  expect(b.height, `the status bar's height ${when}`).toBeLessThanOrEqual(80);
  const items = await bar.locator(':scope > *').evaluateAll((elements) =>
    elements
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => r.top + r.height / 2),
  );
  expect(items.length).toBeGreaterThan(2);
  const middle = b.y + b.height / 2;
  for (const centre of items)
    expect(Math.abs(centre - middle), `an item off the row ${when}`).toBeLessThan(4);
}

// ---- the screens ---------------------------------------------------------------------------------------

const button = (page: Page, name: string): Locator => page.getByRole('button', { name, exact: true });

async function checkMember(page: Page, size: Size): Promise<void> {
  const at = `${size.width}×${size.height}`;
  for (const name of ['New sale', 'Redeem', 'Manager', 'Done'])
    await expectOnScreen(page, button(page, name), `the member screen's ${name} at ${at}`);
  await expectBarsInPlace(page, `on the member screen at ${at}`);
  // The rewards scroll between the bars: the last one in view, the bars where they were.
  const rewards = page.getByRole('region', { name: 'Rewards' }).getByRole('listitem');
  await expect.poll(() => rewards.count()).toBe(11);
  await rewards.last().scrollIntoViewIfNeeded();
  await expectBetweenBars(page, rewards.last(), `the member screen's last reward at ${at}`);
  await wheelOver(page, rewards.first(), 1500, `after the wheel on the member screen at ${at}`);
  for (const name of ['New sale', 'Redeem', 'Done'])
    await expectOnScreen(page, button(page, name), `the member screen's ${name} after scrolling at ${at}`);
}

async function checkRedeem(page: Page, size: Size): Promise<void> {
  const at = `${size.width}×${size.height}`;
  await button(page, 'Redeem').click();
  await waitVisible(page.getByRole('heading', { name: 'Redeem points' }));
  const rewards = page.getByRole('list', { name: 'Rewards catalog' }).getByRole('button');
  await expect.poll(() => rewards.count()).toBe(11);
  await expectOnScreen(page, button(page, 'Back'), `the redeem screen's Back at ${at}`);
  if (size === TILL) await expectNoSeriousViolations(page, 'redeem with 11 rewards');
  const sheet = page.getByRole('dialog', { name: 'Redeem this reward?' });
  for (let i = 0; i < 11; i += 1) {
    const reward = rewards.nth(i);
    const label = (await reward.getAttribute('aria-label')) ?? `reward ${i + 1}`;
    // Each reward: reachable whole between the bars, and its sheet's Redeem (and Cancel) on screen.
    await reward.scrollIntoViewIfNeeded();
    await expectBetweenBars(page, reward, `"${label}" at ${at}`);
    await reward.click();
    await waitVisible(sheet);
    await expectOnScreen(page, sheet, `the sheet for "${label}" at ${at}`);
    await expectOnScreen(page, sheet.getByRole('button', { name: 'Redeem' }), `its Redeem at ${at}`);
    await expectOnScreen(page, sheet.getByRole('button', { name: 'Cancel' }), `its Cancel at ${at}`);
    await sheet.getByRole('button', { name: 'Cancel' }).click();
    await sheet.waitFor({ state: 'detached' });
  }
  await wheelOver(page, rewards.first(), -3000, `after the wheel on the redeem screen at ${at}`);
  await button(page, 'Back').click();
}

async function checkSale(page: Page, size: Size): Promise<void> {
  const at = `${size.width}×${size.height}`;
  const basket = page.getByRole('list', { name: 'Basket' });
  const lines = basket.getByRole('listitem');
  await expectOnScreen(page, button(page, 'Confirm sale'), `Confirm sale at ${at}`);
  await expectOnScreen(page, button(page, 'Cancel sale'), `Cancel sale at ${at}`);
  await expectBarsInPlace(page, `on the sale screen at ${at}`);
  // The last line scrolled into view: the basket scrolled, the bars and Confirm sale did not move.
  await lines.last().scrollIntoViewIfNeeded();
  expect(await scrolledAbove(lines.last()), `the basket scrolled at ${at}`).toBeGreaterThan(0);
  await expectBetweenBars(page, lines.last(), `the 12th basket line at ${at}`);
  await expectOnScreen(page, button(page, 'Confirm sale'), `Confirm sale, the basket scrolled, at ${at}`);
  // The wheel back up, then down again.
  await wheelOver(page, lines.first(), -3000, `after the wheel up on the sale screen at ${at}`);
  await wheelOver(page, lines.first(), 3000, `after the wheel down on the sale screen at ${at}`);
  await expectOnScreen(page, button(page, 'Confirm sale'), `Confirm sale after the wheel at ${at}`);
}

/**
 * The amount's on-screen keypad at 1024×768: opened with its Keypad button, keys of 48 px or more on screen,
 * pressing them fills the field while the focus stays in it (the keyboard types on), ⌫ and Clear; Confirm
 * sale and the bars stay in place while it is open, and axe finds nothing serious.
 */
async function checkAmountKeypad(page: Page): Promise<void> {
  const amount = page.getByRole('textbox', { name: 'Amount' });
  const pad = page.getByRole('group', { name: 'Amount keypad' });
  const key = (name: string): Locator => pad.getByRole('button', { name, exact: true });
  await amount.click();
  await button(page, 'Keypad').click();
  await waitVisible(pad);
  for (const k of await pad.getByRole('button').all()) {
    const b = await expectOnScreen(page, k, `the amount keypad's ${await k.innerText()} key`);
    expect(Math.min(b.width, b.height), `a keypad key at ${text(b)}`).toBeGreaterThanOrEqual(48);
  }
  await expectOnScreen(page, button(page, 'Confirm sale'), 'Confirm sale with the amount keypad open');
  await expectBarsInPlace(page, 'with the amount keypad open');
  await expectNoSeriousViolations(page, 'sale with the amount keypad open');
  for (const k of ['1', '2']) await key(k).click();
  await page.keyboard.type(',5', { delay: 50 });
  expect(await amount.inputValue()).toBe('12,5');
  await key('Delete last character').click();
  expect(await amount.inputValue()).toBe('12,');
  await key('Clear').click();
  expect(await amount.inputValue()).toBe('');
  await button(page, 'Keypad').click();
  await pad.waitFor({ state: 'detached' });
}

/** The left and right edges of what the screen shows (its named parts), as shares of the width. */
async function contentSpan(page: Page, parts: Locator[]): Promise<{ left: number; right: number }> {
  const width = page.viewportSize()!.width;
  const boxes = await Promise.all(parts.map((p, i) => box(p, `part ${i + 1}`)));
  return {
    left: Math.min(...boxes.map((b) => b.x)) / width,
    right: Math.max(...boxes.map(right)) / width,
  };
}

async function expectUsesTheWidth(page: Page, screen: string, parts: Locator[]): Promise<void> {
  const span = await contentSpan(page, parts);
  // The body's padding is at most 40 px a side: the content spans more than 90% of the screen.
  expect(span.left, `${screen}: content starts near the left edge`).toBeLessThan(0.05);
  expect(span.right, `${screen}: content ends near the right edge`).toBeGreaterThan(0.95);
}

// ---- the tests -------------------------------------------------------------------------------------------

async function layoutCounter(size: Size): Promise<Counter> {
  c = await startCounter({
    browser,
    viewport: size,
    program: layoutProgram(),
    extraProducts: MORE_PRODUCTS,
  });
  await signIn(c.page, c.cashier);
  return c;
}

describe('the counter layout', () => {
  it(
    'keeps Confirm sale, each Redeem and New sale / Redeem / Done on screen at 1024×768 and 1280×800, with 12 lines and 11 rewards, the bars fixed',
    async () => {
      const counter = await layoutCounter(TILL);
      const { page } = counter;
      const alice = counter.members[0]!;
      await waitForText(statusBar(page), 'Online');
      await expectStatusBarOneRow(page, 'online at 1024×768');

      // The member, then every reward and its sheet, at both sizes.
      await counter.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      for (const size of [TILL, LAPTOP]) {
        await page.setViewportSize(size);
        if (size === TILL) await expectNoSeriousViolations(page, 'member with 11 rewards');
        await checkMember(page, size);
        await checkRedeem(page, size);
        await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      }

      // A 12-line basket, at both sizes.
      await page.setViewportSize(TILL);
      await button(page, 'New sale').click();
      await waitVisible(page.getByRole('heading', { name: 'New sale' }));
      const products = [...COUNTER_PRODUCTS.slice(0, 3), ...MORE_PRODUCTS];
      expect(products).toHaveLength(12);
      for (const product of products) await counter.scanProduct(product.gtin);
      const lines = page.getByRole('list', { name: 'Basket' }).getByRole('listitem');
      await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(12);
      await waitVisible(page.locator('section[aria-label="Points quote"][aria-busy="false"]'));
      await checkAmountKeypad(page);
      for (const size of [TILL, LAPTOP]) {
        await page.setViewportSize(size);
        await checkSale(page, size);
      }
      await page.setViewportSize(TILL);
      await expectNoSeriousViolations(page, 'sale with 12 lines');

      // Confirmed: back on the member screen with its message (and the slip) above, still all on screen.
      await button(page, 'Confirm sale').click();
      await waitVisible(page.getByRole('status').filter({ hasText: 'Sale recorded' }));
      for (const size of [TILL, LAPTOP]) {
        await page.setViewportSize(size);
        await checkMember(page, size);
      }
      await expectNoSeriousViolations(page, 'member after a sale');

      // Offline, the status bar's longest words: still one row at 1024.
      await page.setViewportSize(TILL);
      await counter.stopHq();
      await waitForText(statusBar(page), 'Offline since');
      await expectStatusBarOneRow(page, 'offline at 1024×768');
      await expectBarsInPlace(page, 'offline at 1024×768');
      expect(counter.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'uses the width at 1920×1080: no narrow centre column',
    async () => {
      const counter = await layoutCounter(FULL_HD);
      const { page } = counter;
      const alice = counter.members[0]!;
      await expectStatusBarOneRow(page, 'at 1920×1080');
      await counter.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      await expectUsesTheWidth(page, 'member', [
        page.getByRole('region', { name: 'Balance' }),
        page.getByRole('region', { name: 'Rewards' }),
      ]);
      await expectBarsInPlace(page, 'on the member screen at 1920×1080');

      await button(page, 'Redeem').click();
      const rewards = page.getByRole('list', { name: 'Rewards catalog' });
      await waitVisible(rewards.getByRole('button').first());
      await expectUsesTheWidth(page, 'redeem', [rewards]);
      await expectUsesTheWidth(page, 'redeem', await rewards.getByRole('button').all());
      await button(page, 'Back').click();

      await button(page, 'New sale').click();
      for (const product of COUNTER_PRODUCTS.slice(0, 3)) await counter.scanProduct(product.gtin);
      const basket = page.getByRole('list', { name: 'Basket' });
      await expect.poll(() => basket.getByRole('listitem').count()).toBe(3);
      await expectUsesTheWidth(page, 'sale', [basket, page.getByRole('region', { name: 'Points quote' })]);
      await expectBarsInPlace(page, 'on the sale screen at 1920×1080');
      await expectOnScreen(page, button(page, 'Confirm sale'), 'Confirm sale at 1920×1080');
      expect(counter.pageErrors).toEqual([]);
    },
    LONG,
  );
});

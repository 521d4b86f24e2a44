// The console's review queue in Chromium: items raised by terminals of two stores, each holding points
// for a member. A store manager of the first store sees only its item and is refused the other's; an
// admin opens the first store's item (its event, the member's balance and history), approves it with a
// note, and the member's balance goes up by the held points. axe runs on the queue and the item page; the
// queue is photographed (docs with UPDATE_DOCS_SCREENSHOTS=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushEvents } from '../../src-hq/store/ingest.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';
import { testProgram } from '../support/events.js';
import { terminalWithFactory } from '../hq/store/helpers.js';
import { balanceOf, insertHeldReview } from '../hq/store/review-fixtures.js';

describe('console review queue', () => {
  let hq: ConsoleHarness;
  /** Per store: the member it enrolled (100 points earned) and the item holding points for them. */
  const raised: Record<string, { memberId: string; item: number }> = {};

  beforeAll(async () => {
    hq = await startConsole({ program: testProgram() });
    for (const [storeId, held] of [
      ['s-1', 40],
      ['s-2', 25],
    ] as const) {
      const { terminal, f } = await terminalWithFactory(hq.db, storeId);
      const memberId = `m-review-${storeId}`;
      await pushEvents(hq.db, terminal, [f.enrolled(memberId), f.earned(memberId, 100)], hq.clock);
      const item = await insertHeldReview(hq.db, { memberId, held, terminalId: terminal.id });
      raised[storeId] = { memberId, item };
    }
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('a store manager sees only their store’s items and is refused another store’s', async () => {
    const mine = raised['s-1']!;
    const theirs = raised['s-2']!;
    const page = await hq.page('store-manager', ['s-1']);
    await hq.open(page, 'reviews');
    const queue = page.getByRole('table', { name: 'Review items' });
    await queue.getByRole('link', { name: `#${mine.item}` }).waitFor();
    expect(await queue.getByRole('link', { name: `#${theirs.item}` }).count()).toBe(0);

    await hq.open(page, `reviews/${theirs.item}`);
    await page.getByRole('alert').filter({ hasText: 'This belongs to a store you do not manage.' }).waitFor();
    expect(await balanceOf(hq.db, theirs.memberId)).toBe(100);
  });

  it('an admin approves an item with a note and the member’s balance goes up by the held points', async () => {
    const { memberId, item } = raised['s-1']!;
    const page = await hq.page('admin');
    await hq.open(page, 'reviews');
    const queue = page.getByRole('table', { name: 'Review items' });
    await queue.getByRole('link', { name: `#${raised['s-2']!.item}` }).waitFor();
    await hq.axe(page, 'review queue');
    await hq.photograph(page, 'review-queue');

    await queue.getByRole('link', { name: `#${item}` }).click();
    await page.getByRole('heading', { level: 1, name: `Review item #${item}` }).waitFor();
    expect(await page.getByTestId('member-balance').innerText()).toBe('100 points');
    const events = page.getByRole('table', { name: "The member's latest events" });
    expect(await events.innerText()).toContain('points-earned');
    await hq.axe(page, 'review item');

    await page.getByLabel('Note').fill('claim checked against the till roll');
    await page.getByRole('button', { name: 'Approve and credit 40 points' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved.' }).waitFor();
    await page.getByTestId('member-balance').filter({ hasText: '140 points' }).waitFor();
    expect(await balanceOf(hq.db, memberId)).toBe(140);
    expect(await page.getByText('claim checked against the till roll').count()).toBeGreaterThan(0);
    expect(hq.errors(page)).toEqual([]);
  });
});

// Selling a plan and awarding an action end to end: the real renderer in Chromium at the till's size
// (1024×768), the terminal host as `npm start` composes it, HQ on PostgreSQL, with the coffee-shop program
// plus a paid plan. From the member screen: Plans & actions, the plan's sheet (the fee is taken at the
// till's payment), the action's sheet; each goes back to the member with its confirmation. HQ applies both
// (the plan and its end on the member, the join bonus and the action's points credited), a second award
// past the action's lifetime limit and a second plan while the first runs are refused at the counter and
// never reach HQ, and the screen passes axe with every target at least 48 px and inside the viewport.
import { describe, expect, it } from 'vitest';
import { getMember } from '../../src-hq/store/members.js';
import { DAY_MS } from '../../src-shared/kernel/clock.js';
import { moneyText } from '../../src-renderer/hooks/format.js';
import { planDayText } from '../../src-renderer/services/plans.js';
import { DEFAULT_LOCALE } from '../../src-shared/kernel/locale.js';
import { expectNoSeriousViolations } from '../support/axe.js';
import { photograph } from '../support/screenshots.js';
import {
  counterPerTest,
  signIn,
  statusBar,
  waitForText,
  waitVisible,
  type Counter,
} from '../support/counter.js';
import { COFFEE_CLUB_PLAN, coffeeClubProgram } from '../support/hq.js';
import { TILL } from '../support/screenshots.js';

const LONG = 150_000;
const counter = counterPerTest(LONG);

const PLAN = COFFEE_CLUB_PLAN;
const planProgram = coffeeClubProgram;

async function terminalEvents(c: Counter) {
  const terminalId = await c.terminalId();
  return (await c.hqEvents()).filter((e) => e.terminalId === terminalId);
}

describe('plans and actions at the till', () => {
  it(
    'sells a plan and awards an action that HQ applies, and refuses a second award past the limit',
    async () => {
      const c = await counter({ viewport: TILL, program: planProgram() });
      const { page } = c;
      const alice = c.members[0];
      const app = c.program.actions.find((a) => a.id === 'app-installed');
      if (!alice || !app || !c.fixedTime) throw new Error('the counter has no member, action or fixed time');
      const before = await getMember(c.db, alice.id);
      if (!before) throw new Error('HQ does not hold the member');
      const until = new Date(c.fixedTime.getTime() + PLAN.durationDays * DAY_MS);
      // In the till's locale (HQ's default, en-IE): "11 Mar 2027", "€15.00".
      const untilText = planDayText(until.getTime(), c.program.timeZone);
      const fee = moneyText(PLAN.fee, c.program.currency, DEFAULT_LOCALE);

      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Online');
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      const open = page.getByRole('button', { name: 'Plans & actions' });
      expect(await inViewport(page, open)).toBe(true);
      await open.click();
      await waitVisible(page.getByRole('heading', { name: 'Plans & actions' }));
      const header = page.locator('.screen-head');
      await waitForText(header, 'No paid plan');

      // The plan: its fee as money, duration, join bonus and perks.
      const sell = page.getByRole('button', { name: `Sell ${PLAN.label}, ${fee}` });
      await waitForText(sell, `${fee} · 1 year`);
      await waitForText(sell, 'Join bonus 200 points · ×2 points on purchases');
      await waitForText(page.getByRole('list', { name: `${PLAN.label} perks` }), 'A free refill a day');
      const award = page.getByRole('button', { name: `Award ${app.label}, ${app.points} points` });
      await waitForText(award, '0 of 1 used in total');
      for (const target of [sell, award, page.getByRole('button', { name: 'Back' })]) {
        expect(await inViewport(page, target)).toBe(true);
        expect((await target.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(48);
      }
      await expectNoSeriousViolations(page, 'plans and actions');
      await photograph(page, 'plans-actions');

      // Selling asks first and says the fee is not taken here.
      await sell.click();
      const planSheet = page.getByRole('dialog', { name: 'Sell this plan?' });
      await waitVisible(planSheet);
      await waitForText(planSheet, `Take the fee of ${fee} at the till's payment`);
      await waitForText(planSheet, untilText);
      await photograph(page, 'plans-actions-confirm');
      await planSheet.getByRole('button', { name: 'Record plan' }).click();
      await waitVisible(
        page
          .getByRole('status')
          .filter({ hasText: `Plan recorded: ${PLAN.label} until ${untilText}, +200 points` }),
      );
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // The action: asked, then awarded with the program's points.
      await open.click();
      await waitForText(header, `${PLAN.label} until ${untilText}`);
      await waitForText(sell, `Current plan, until ${untilText}`);
      await award.click();
      const actionSheet = page.getByRole('dialog', { name: 'Award this action?' });
      await waitVisible(actionSheet);
      await actionSheet.getByRole('button', { name: 'Award', exact: true }).click();
      await waitVisible(
        page.getByRole('status').filter({ hasText: `Action awarded: ${app.label}, +15 points` }),
      );
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));

      // Again: the limit is reached and the plan still runs; both refused at the counter, with the reason.
      await open.click();
      await waitForText(award, 'Limit reached: 1 of 1 used in total');
      await award.click();
      await waitForText(page.getByRole('alert'), `"${app.label}" already given 1 time in total (limit 1)`);
      expect(await actionSheet.count()).toBe(0);
      await sell.click();
      await waitForText(page.getByRole('alert'), `Already a ${PLAN.label} member until ${untilText}`);
      expect(await planSheet.count()).toBe(0);

      // HQ: both posted at the till's figures, the member holds the plan and the action, once each.
      await waitForText(statusBar(page), 'Pending: 0');
      await expect
        .poll(async () => (await terminalEvents(c)).map((e) => [e.type, e.status, e.pointsDelta]), {
          timeout: 30_000,
        })
        .toEqual([
          ['plan-joined', 'posted', PLAN.joinBonus],
          ['bonus-awarded', 'posted', app.points],
        ]);
      const [joined, bonus] = await terminalEvents(c);
      expect(joined?.body.payload).toEqual({ planId: PLAN.id, fee: PLAN.fee, until: until.toISOString() });
      expect(bonus?.body.payload).toEqual({
        kind: 'action',
        actionId: app.id,
        points: app.points,
        note: null,
      });
      const after = await getMember(c.db, alice.id);
      expect(after?.plan).toEqual({ id: PLAN.id, until: until.toISOString() });
      expect(after?.actions[app.id]).toHaveLength(1);
      expect(after?.balance).toBe(before.balance + PLAN.joinBonus + app.points);
      expect(after?.totals.bonus).toBe(before.totals.bonus + PLAN.joinBonus + app.points);
    },
    LONG,
  );
});

/** Whether the element lies wholly inside the page's viewport. */
async function inViewport(page: Counter['page'], locator: ReturnType<Counter['page']['locator']>) {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

// The console's members area in Chromium against the same HQ a till replicates from: a till (its real
// replica over HTTP: TerminalLink and the renderer's RxDB on fake IndexedDB) enrolls a member with a phone
// and a card and earns points; an admin finds the member by that phone, replaces the lost card (the till's
// replica then holds the new card, with the same balance, and no longer the old one), and erases the member
// with a typed confirmation (the till's replica then has no trace of them: no member, no card). axe runs on
// the search and the member page; the member page is photographed (docs with UPDATE_DOCS_SCREENSHOTS=1).
// On PGlite and on PostgreSQL.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../src-hq/store/terminals.js';
import { createHostApi } from '../../src-main/host/host-api.js';
import { createPhoneLookup } from '../../src-main/hq/phone-lookup.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';
import {
  breadBasket,
  connectTestLink,
  FAST_RETRY,
  openTestTerminal,
  TEST_CASHIER,
  type TestLink,
  type TestTerminal,
} from '../support/terminal.js';

const PHONE = '087 765 4321';
const OLD_CARD = '0400000077001';
const NEW_CARD = '0400000077018';

/** Resolves once `check` answers true (polled: the till hears of HQ's changes through its stream). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(['pglite', 'postgres'] as const)(
  'console members on %s with a till replicating from the same HQ',
  (database) => {
    let hq: ConsoleHarness;
    let link: TestLink;
    let till: TestTerminal;
    beforeAll(async () => {
      hq = await startConsole({ database });
      link = await connectTestLink(
        {
          url: hq.hqUrl,
          enrollmentCode: async () => (await createEnrollmentCode(hq.db, 's-1', hq.clock)).code,
        },
        { name: 'Till members' },
      );
      // The till's main process with its phone lookup (main keeps HQ's phone key; the renderer asks it).
      const api = createHostApi({
        link: link.link,
        hostInfo: { host: 'browser', version: 'test' },
        phones: createPhoneLookup(link.link),
      });
      till = await openTestTerminal({ api, backoff: FAST_RETRY });
      await till.until((s) => s.initialDone && s.replica !== null);
    });
    afterAll(async () => {
      await till?.close();
      await link?.stop();
      await hq?.close();
    });

    const replicaMember = async (id: string) =>
      (await till.terminal.databases.catalog.members.findOne(id).exec())?.toJSON() ?? null;
    // Who the till's card lookup points a card at (members' cardKey, and the card index), or null.
    const replicaCard = async (number: string) => {
      const owners = await till.terminal.catalog.cardOwners(number);
      return owners.length > 0 ? owners : null;
    };

    async function section(page: Page, title: string) {
      return page.getByRole('region', { name: title });
    }

    it('finds a member by phone, replaces a lost card and erases the member; the till’s replica follows', async () => {
      const { services, sync } = till.terminal;
      const enrolled = await services.recordEnroll({
        cashierId: TEST_CASHIER,
        displayName: 'Nora K.',
        phone: PHONE,
        cards: [OLD_CARD],
        profile: { firstName: 'Nora', lastName: 'Keane', email: 'nora.keane@example.org', phone: PHONE },
      });
      if (!enrolled.ok) throw new Error(enrolled.error.message);
      const memberId = enrolled.value.event.memberId;
      const earned = await services.recordEarn({
        cashierId: TEST_CASHIER,
        memberId,
        basket: breadBasket(40),
      });
      if (!earned.ok) throw new Error(earned.error.message);
      await sync.flush();
      await eventually(
        async () => ((await replicaMember(memberId))?.balance ?? 0) > 0,
        'HQ’s balance in the replica',
      );
      const balance = (await replicaMember(memberId))!.balance;

      const page = await hq.page('admin');
      await hq.open(page, 'members');
      await page.getByLabel('Card, phone, name or e-mail').fill(PHONE);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Nora Keane' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nora Keane' }).waitFor();
      await hq.axe(page, 'member');
      if (database === 'pglite') await hq.photograph(page, 'member');
      expect(await (await section(page, 'Cards')).innerText()).toContain(OLD_CARD);

      // The lost card: blocked, and its replacement linked.
      const cards = await section(page, 'Block a lost card and link a new one');
      await cards.getByLabel('New card number').fill(NEW_CARD);
      await cards.getByLabel('Reason').fill('lost on the bus');
      await cards.getByRole('button', { name: 'Block and replace' }).click();
      await cards
        .getByRole('status')
        .filter({ hasText: `Card ${OLD_CARD} is blocked` })
        .waitFor();
      await page.getByRole('cell', { name: 'Blocked', exact: true }).waitFor();
      await eventually(
        async () => (await services.lookupByCard(NEW_CARD))?.member.id === memberId,
        'the new card to find the member at the till',
      );
      expect(await replicaCard(NEW_CARD)).not.toBeNull();
      expect((await replicaMember(memberId))!.balance).toBe(balance);
      expect((await replicaMember(memberId))!.cards).toEqual([NEW_CARD]);
      expect(await replicaCard(OLD_CARD)).toBeNull();
      expect(await services.lookupByCard(OLD_CARD)).toBeNull();

      // Erasure, with the typed confirmation.
      await page.getByRole('button', { name: 'Erase member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Erase Nora Keane?' });
      await dialog.getByLabel('Type ERASE to confirm').fill('ERASE');
      await dialog.getByLabel('Reason').fill('the member asked to be forgotten');
      await hq.axe(page, 'member-erase');
      await dialog.getByRole('button', { name: 'Erase' }).click();
      await page.getByRole('status').filter({ hasText: 'Erased' }).waitFor();
      expect(await page.locator('main').innerText()).not.toContain('Keane');

      await eventually(
        async () => (await replicaMember(memberId)) === null,
        'the member to leave the replica',
      );
      expect(await replicaCard(NEW_CARD)).toBeNull();
      const byPhone = await services.lookupByPhone(PHONE);
      expect(byPhone.ok && byPhone.value.map((m) => m.member.id)).toEqual([]);

      await hq.open(page, 'members');
      await page.getByLabel('Card, phone, name or e-mail').fill('Keane');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: 'No member found' }).waitFor();
      await hq.axe(page, 'members-search');
      expect(hq.errors(page)).toEqual([]);
    });
  },
);

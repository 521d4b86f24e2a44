// The counter end to end with what comes in over the wire (test/support/counter.ts: the real renderer in
// Chromium through the browser host, the scanner on a socat pty, HQ on real PostgreSQL):
//
// - A member enrolled while HQ is down, with a new card scanned into the form and the phone keyed on the
//   on-screen keypad, is served at once and reaches HQ when it returns: HQ holds the member with the card,
//   the welcome bonus and the phone's key; the idle screen's keypad finds them by phone.
// - A payment card swiped by mistake is refused in plain words (none of its digits shown), a code the till
//   does not know is answered with the code, its answer replacing the refusal (one message at a time), and
//   the payment card's number (the test PAN
//   4111111111111111) is nowhere: not in the page, not in any HQ table, not in any log or file of the run.
// - Unplugging the scanner (socat killed) and plugging it back (a new pair at the same path) shows in the
//   status bar, and the scanner works again without touching the terminal.
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findMembers, getMember } from '../../src-hq/store/members.js';
import { getPhoneKey } from '../../src-hq/store/phone-key.js';
import { phoneLookupKey } from '../../src-shared/ledger/phone.js';
import { PAYMENT_CARD_REFUSED } from '../../src-renderer/hooks/scan-outcome.js';
import {
  cardNumber,
  IDLE_HEADING,
  signIn,
  counterPerTest,
  statusBar,
  TEST_PAN,
  waitForText,
  waitVisible,
} from '../support/counter.js';

const LONG = 120_000;

const counter = counterPerTest(LONG);

/** Presses the keypad's keys, one character of `keys` each (⌫ is the key that deletes). */
async function pressKeys(keypad: Locator, keys: string): Promise<void> {
  for (const key of keys) {
    const name = key === '⌫' ? 'Delete last character' : key;
    await keypad.getByRole('button', { name, exact: true }).click();
  }
}

describe('the counter and its devices', () => {
  it(
    'enrolls a member offline with a scanned card; HQ has the member once it is back',
    async () => {
      const c = await counter();
      const { page } = c;
      const bar = statusBar(page);
      await signIn(page, c.cashier);
      await waitForText(bar, 'Online');
      await c.stopHq();
      await waitForText(bar, 'Offline since');

      const card = cardNumber(2001);
      await page.getByRole('button', { name: 'Enroll new member' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Enroll new member' }));
      await page.getByRole('textbox', { name: 'First name' }).fill('Dana');
      await page.getByRole('textbox', { name: 'Last name' }).fill('Roux');
      // The phone on the on-screen keypad (a touch till): the keys fill the form's field, ⌫ takes one off.
      const phone = page.getByRole('textbox', { name: 'Phone' });
      await page.getByRole('button', { name: 'Keypad' }).click();
      await pressKeys(page.getByRole('group', { name: 'Phone keypad' }), '+336554433229');
      await pressKeys(page.getByRole('group', { name: 'Phone keypad' }), '⌫');
      expect(await phone.inputValue()).toBe('+33655443322');
      await page.getByRole('combobox', { name: 'Birth month' }).selectOption({ label: 'March' });
      // The new card, scanned over serial, fills in its number.
      const cardBox = page.getByRole('textbox', { name: 'Card number' });
      await c.scanCard(card);
      await expect.poll(() => cardBox.inputValue(), { timeout: 15_000 }).toBe(card);
      await page.getByRole('button', { name: 'Enroll member' }).click();

      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));
      await waitVisible(page.getByRole('status').filter({ hasText: 'Member enrolled: Dana R.' }));
      const balance = page.getByRole('region', { name: 'Balance' });
      await waitForText(balance, `${c.program.bonuses.welcome} points`);
      await waitForText(bar, 'Pending: 1');
      const terminalId = await c.terminalId();
      expect((await c.hqEvents()).filter((e) => e.terminalId === terminalId)).toEqual([]);

      await c.startHq();
      await waitForText(bar, 'Online');
      await waitForText(bar, 'Pending: 0');
      const enrolled = (await c.hqEvents()).filter((e) => e.terminalId === terminalId);
      expect(enrolled.map((e) => [e.type, e.status])).toEqual([['member-enrolled', 'posted']]);
      const payload = enrolled[0]!.body.payload as Record<string, unknown>;
      expect(payload).toMatchObject({
        displayName: 'Dana R.',
        cards: [card],
        birthMonth: 3,
        phoneLast4: '3322',
        profile: expect.objectContaining({ firstName: 'Dana', lastName: 'Roux' }),
      });
      const member = await getMember(c.db, enrolled[0]!.memberId);
      expect(member).toMatchObject({ displayName: 'Dana R.', cards: [card], status: 'active' });
      expect(member!.balance).toBe(c.program.bonuses.welcome);
      // The phone went through main's keyed lookup: HQ finds the member by the value its own key derives.
      const keyed = await phoneLookupKey('+33655443322', await getPhoneKey(c.db));
      expect(payload.phoneHash).toBe(keyed);
      expect((await findMembers(c.db, { phoneHash: keyed })).map((m) => m.id)).toEqual([member!.id]);
      // The counter now shows HQ's member: the card finds them.
      await waitForText(balance, `Confirmed by HQ: ${c.program.bonuses.welcome} points`);
      await page.getByRole('button', { name: 'Done' }).click();
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
      // Found again by the phone keyed on the idle screen's keypad.
      await page.getByRole('button', { name: 'Keypad' }).click();
      await pressKeys(page.getByRole('group', { name: 'Phone keypad' }), '+33655443322');
      expect(await page.getByRole('textbox', { name: 'Phone number or name' }).inputValue()).toBe(
        '+33655443322',
      );
      await page.getByRole('button', { name: 'Find' }).click();
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));
      await page.getByRole('button', { name: 'Done' }).click();
      await waitVisible(page.getByRole('heading', { name: IDLE_HEADING }));
      await c.scanCard(card);
      await waitVisible(page.getByRole('heading', { name: 'Dana R.' }));
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'refuses a payment card in plain words and keeps its number nowhere',
    async () => {
      const c = await counter();
      const { page } = c;
      await signIn(page, c.cashier);
      await waitForText(statusBar(page), 'Scanner connected');

      await c.swipePayment();
      const refusal = page.getByRole('alert').filter({ hasText: PAYMENT_CARD_REFUSED });
      await waitVisible(refusal);
      // None of its digits are shown, not even the last four.
      expect(await refusal.innerText()).not.toMatch(/\d/);
      // A noise scan (text that is neither a card nor a product) is answered, and its answer replaces the
      // refusal: the counter shows one message at a time.
      await c.writeRaw(Buffer.from('HELLO-TILL\r', 'latin1'));
      await waitVisible(
        page.getByRole('status').filter({ hasText: 'Not a card or product this till knows: HELLO-TILL' }),
      );
      expect(await page.getByRole('alert').count()).toBe(0);
      // The member screen refuses it too (and a sale goes on after it).
      await c.scanCard(c.members[1]!.card);
      await waitVisible(page.getByRole('heading', { name: c.members[1]!.displayName }));
      await c.swipePayment();
      await waitVisible(page.getByRole('alert').filter({ hasText: PAYMENT_CARD_REFUSED }));

      const pageText = `${await page.content()}\n${await page.evaluate(() => document.body.innerText)}`;
      expect(pageText).not.toContain(TEST_PAN);
      const hqText = await c.hqDatabaseText();
      expect(hqText).toContain(c.members[1]!.card); // every table was read…
      expect(hqText).not.toContain(TEST_PAN); // …and the PAN is in none of them
      const files = c.filesText();
      expect(files).toContain('terminal.log'); // the logs were read…
      expect(files).not.toContain(TEST_PAN); // …and the PAN is in none of them
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );

  it(
    'follows the scanner being unplugged and plugged back in',
    async () => {
      const c = await counter();
      const { page } = c;
      const bar = statusBar(page);
      await signIn(page, c.cashier);
      await waitForText(bar, 'Scanner connected');

      await c.unplugScanner();
      await waitForText(bar, 'Scanner disconnected');
      await c.replugScanner();
      await waitForText(bar, 'Scanner connected');

      // Plugged back in, it scans: the DeviceManager reopened the same path by itself.
      const alice = c.members[0]!;
      await c.scanCard(alice.card);
      await waitVisible(page.getByRole('heading', { name: alice.displayName }));
      expect(c.devices.statuses()).toEqual([expect.objectContaining({ state: 'connected' })]);
      expect(c.pageErrors).toEqual([]);
    },
    LONG,
  );
});

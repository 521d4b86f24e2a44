// The console's stores, terminals and cashiers in Chromium, as a store manager: they see only their store
// (the other store's page is refused in HQ's words), read their tills' status and last day close, make an
// enrollment code that is shown once and really enrolls a till, and reset a cashier's PIN to one HQ makes,
// which the store's tills then receive. axe on each screen; screenshots with UPDATE_DOCS_SCREENSHOTS=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCashier, listStaffPins } from '../../src-hq/store/catalog.js';
import { recordClose } from '../../src-hq/store/closes.js';
import { touchTerminal } from '../../src-hq/store/fleet-last-seen.js';
import { createEnrollmentCode, enrollTerminal } from '../../src-hq/store/terminals.js';
import { verifyPin } from '../../src-shared/kernel/pin.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';

const LONG = 120_000;
let hq: ConsoleHarness;

/** A till enrolled in a store the way HQ enrolls one (code, then exchange). */
async function enrolledTill(storeId: string, name: string): Promise<string> {
  const { code } = await createEnrollmentCode(hq.db, storeId, hq.clock);
  return (await enrollTerminal(hq.db, code, name, hq.clock)).terminalId;
}

beforeAll(async () => {
  hq = await startConsole();
  const [mine, other] = hq.stores;
  if (!mine || !other) throw new Error('the harness starts with two stores');
  const till = await enrolledTill(mine.id, 'Counter 1');
  await touchTerminal(hq.db, till, hq.clock);
  // A close that HQ cannot match: two events the till counted never reached HQ.
  await recordClose(
    hq.db,
    till,
    {
      businessDay: '2025-03-03',
      firstSeq: 1,
      lastSeq: 2,
      count: 2,
      lastHash: 'a'.repeat(64),
      pointsIssued: 120,
      pointsRedeemed: 0,
    },
    hq.clock,
  );
  await enrolledTill(other.id, 'Lyon counter');
  const staff = [
    { id: 'c-aoife', storeId: mine.id, name: 'Aoife Byrne', role: 'cashier' as const, pin: '4826' },
    { id: 'c-marc', storeId: mine.id, name: 'Marc Petit', role: 'manager' as const, pin: '7391' },
    { id: 'c-lyon', storeId: other.id, name: 'Louise Martin', role: 'cashier' as const, pin: '5172' },
  ];
  for (const cashier of staff) await addCashier(hq.db, cashier, { pinCost: 16 });
}, LONG);

afterAll(async () => {
  await hq?.close();
}, LONG);

describe('stores, terminals and cashiers in the console', () => {
  it('a store manager sees only their store, makes an enrollment code that enrolls a till, and resets a PIN', async () => {
    const [mine, other] = hq.stores as [(typeof hq.stores)[0], (typeof hq.stores)[0]];
    const page = await hq.page('store-manager', [mine.id]);

    await hq.open(page, 'stores');
    const table = page.getByRole('table');
    await table.getByRole('link', { name: mine.name }).waitFor();
    expect(await table.textContent()).not.toContain(other.name);
    await hq.axe(page, 'stores');
    await hq.photograph(page, 'stores');

    // Another store's page, even by its address, is refused in HQ's words.
    await hq.open(page, `stores/${other.id}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('a store you do not manage');
    expect(await page.textContent('body')).not.toContain('Lyon counter');

    await hq.open(page, 'stores');
    await table.getByRole('link', { name: mine.name }).click();
    await page.getByRole('heading', { level: 1, name: mine.name }).waitFor();
    const terminals = page.getByRole('table', { name: 'Terminals of this store' });
    const counter = terminals.getByRole('row', { name: /Counter 1/ });
    await counter.waitFor();
    expect(await counter.textContent()).toContain('Online');
    expect(await counter.textContent()).toContain('Mismatch');
    await counter.getByText('Mismatch', { exact: true }).click();
    expect(await counter.textContent()).toContain('HQ had not received #1–#2');
    expect(await counter.textContent()).toContain('1 in review: day close mismatch');
    await hq.axe(page, 'store');
    await hq.photograph(page, 'store');

    // The enrollment code: asked for, shown once, and good for one real enrollment.
    await page.getByRole('button', { name: 'Make an enrollment code' }).click();
    const ask = page.getByRole('dialog', { name: 'Make an enrollment code' });
    await ask.getByLabel('Valid for').selectOption('1');
    await ask.getByLabel('Reason').fill('second counter');
    await ask.getByRole('button', { name: 'Make code' }).click();
    const shown = page.getByRole('dialog', { name: 'Enrollment code' });
    const code = (await shown.getByTestId('secret').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(await shown.textContent()).toContain('Valid until');
    await hq.axe(page, 'enrollment code');
    const enrolled = await fetch(`${hq.hqUrl}/v1/terminals/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify({ code, name: 'Counter 2' }),
    });
    expect(enrolled.status).toBe(201);
    await shown.getByRole('button', { name: 'Done' }).click();
    await terminals.getByRole('row', { name: /Counter 2/ }).waitFor();
    expect(await page.textContent('body')).not.toContain(code);

    // A PIN HQ makes: shown once, and the one the store's tills now check.
    await page.getByRole('button', { name: 'Reset PIN of Aoife Byrne' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset Aoife Byrne’s PIN?' });
    await reset.getByLabel('Reason').fill('forgotten');
    await reset.getByRole('button', { name: 'Reset PIN' }).click();
    const pinDialog = page.getByRole('dialog', { name: 'Aoife Byrne’s new PIN' });
    const pin = (await pinDialog.getByTestId('secret').textContent()) ?? '';
    expect(pin).toMatch(/^\d{4,8}$/);
    await hq.axe(page, 'new PIN');
    const staff = await listStaffPins(hq.db, mine.id);
    const aoife = staff.find((s) => s.id === 'c-aoife');
    expect(aoife && verifyPin(pin, aoife.pinHash)).toBe(true);
    expect(aoife && verifyPin('4826', aoife.pinHash)).toBe(false);
    await pinDialog.getByRole('button', { name: 'Done' }).click();
    await pinDialog.waitFor({ state: 'hidden' });

    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });
});

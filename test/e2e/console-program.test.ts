// The console's program work in Chromium: a program manager uploads a draft with a mistake and sees the
// problem with its path, fixes it, reads what it changes, simulates a basket and sees both versions'
// points (figures by hand, as in test/shared/program/simulate.test.ts), publishes it now, and the new
// version is current at HQ and in what a terminal pulls. axe runs on the program, draft and version pages;
// the program page is photographed once version 2 is current (docs with UPDATE_DOCS_SCREENSHOTS=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentCode, enrollTerminal } from '../../src-hq/store/terminals.js';
import { currentProgramRef } from '../../src-hq/store/programs.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';
import { simulationCurrent, simulationDraftDocument } from '../support/simulation-programs.js';

const current = simulationCurrent;
/** The draft as the manager types it, `per` mistyped as 0 at first. */
const draft = (per: number) => JSON.stringify(simulationDraftDocument(2, { per }), null, 2);

describe('console program: draft, simulate, publish', () => {
  let hq: ConsoleHarness;
  beforeAll(async () => {
    hq = await startConsole({ program: current });
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('a program manager fixes a draft by its problem’s path, simulates a basket and publishes it', async () => {
    const page = await hq.page('program-manager');
    await hq.open(page, 'program');
    await page.getByRole('cell', { name: 'Current' }).waitFor();
    await hq.axe(page, 'program');

    await page.getByLabel('Program document').fill(draft(0));
    await page.getByRole('button', { name: 'Upload draft' }).click();
    await page.getByRole('heading', { level: 1, name: /^Draft #\d+$/ }).waitFor();
    const problems = page.getByRole('list', { name: 'Problems by path' });
    await problems.waitFor();
    expect(await problems.innerText()).toContain('earning.rules.0.per');

    // The fix: the form holds the draft as uploaded.
    const fix = page.getByLabel('Program document');
    expect(await fix.inputValue()).toContain('"per": 0');
    await fix.fill(draft(100));
    await page.getByRole('button', { name: 'Save the fixed draft' }).click();
    await page.getByText('This draft is valid.').waitFor();
    expect(await page.getByRole('list', { name: 'Problems by path' }).count()).toBe(0);

    // What it changes: the base rule's points, the bakery double removed.
    const diff = page.getByRole('table', { name: /From current version 1 to this draft/ });
    await diff.waitFor();
    expect(await diff.innerText()).toMatch(/bakery-double/);

    await page.getByLabel('Line 1 SKU').fill('BT-CROISSANT');
    await page.getByLabel('Line 1 category').fill('bakery');
    await page.getByLabel('Line 1 quantity').fill('3');
    await page.getByLabel('Line 1 amount (minor units)').fill('450');
    await page.getByRole('button', { name: 'Add a line' }).click();
    await page.getByLabel('Line 2 SKU').fill('CF-1');
    await page.getByLabel('Line 2 category').fill('coffee');
    await page.getByLabel('Line 2 amount (minor units)').fill('1250');
    await page.getByLabel('Member tier').selectOption('gold');
    await page.getByLabel('Date and time at the store').fill('2026-03-14T09:00');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByTestId('draft-total').waitFor();
    // Current: 17 + 4 (bakery) + 6 (gold) + 5 (visit) = 32; draft: 34 + 17 (gold) + 10 = 61.
    expect(await page.getByTestId('current-total').innerText()).toMatch(/^32 points/);
    expect(await page.getByTestId('draft-total').innerText()).toMatch(/^61 points/);
    expect(await page.getByTestId('difference-total').innerText()).toBe('+29');
    expect(await page.getByRole('table', { name: 'Simulation result' }).innerText()).toContain(
      'Bakery double: +4',
    );
    await hq.axe(page, 'program draft');

    await page.getByLabel('Why (for the audit log)').fill('spring double points');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Version 2 is published: it is the current version now.').waitFor();
    expect(await currentProgramRef(hq.db)).toEqual({ programId: current.id, version: 2 });

    // A terminal pulls the switch: version 2 current.
    const { code } = await createEnrollmentCode(hq.db, 's-1', hq.clock);
    const terminal = await enrollTerminal(hq.db, code, 'Till program', hq.clock);
    const pulled = await fetch(`${hq.hqUrl}/v1/pull/programs`, {
      headers: { authorization: `Bearer ${terminal.token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    const { documents } = (await pulled.json()) as { documents: { version: number; current: boolean }[] };
    expect(documents.filter((d) => d.current).map((d) => d.version)).toEqual([2]);

    await hq.open(page, 'program');
    const versions = page.getByRole('table', { name: 'Published versions' });
    await versions
      .getByRole('row', { name: /Version 2/ })
      .getByText('Current')
      .waitFor();
    await hq.photograph(page, 'program');

    // Version 2's page: what it changed from version 1, and its document.
    await versions.getByRole('link', { name: 'Version 2' }).click();
    await page.getByRole('heading', { level: 1, name: 'Program version 2' }).waitFor();
    const changes = page.getByRole('table', { name: 'From version 1 to version 2' });
    await changes.waitFor();
    expect(await changes.innerText()).toContain('bakery-double');
    await hq.axe(page, 'program version');
    expect(hq.errors(page)).toEqual([]);
  });
});

// The back-office console's shell in Chromium: sign-in (a wrong password is refused in words), the
// navigation by role, the users screens (an admin adds an analyst through the form), the 403 page for a
// page the role may not open, CSRF (a write without the header, sent from the page itself, is refused and
// changes nothing), sign-out (back does not bring the data back), the audit log, no CSP violation, and axe
// on every screen. Screenshots of sign-in, users and the audit log with UPDATE_DOCS_SCREENSHOTS=1.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src-hq/store/console/audit.js';
import { listConsoleUsers } from '../../src-hq/store/console/users.js';
import { CONSOLE_API } from '../../src-shared/console/api.js';
import { CONSOLE_CSP } from '../../src-hq/api/console/pages.js';
import { CONSOLE_PASSWORD, startConsole, type ConsoleHarness } from '../support/console.js';

const LONG = 120_000;
let hq: ConsoleHarness;

beforeAll(async () => {
  hq = await startConsole();
}, LONG);

afterAll(async () => {
  await hq?.close();
}, LONG);

const navLinks = (page: Page) =>
  page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();

describe('the console shell', () => {
  it('refuses a wrong password in words, and signs in with the right one', async () => {
    const admin = await hq.createUser('admin', { name: 'Ada Lovelace', username: 'ada' });
    const page = await hq.blankPage();
    const response = await page.goto(hq.consoleUrl);
    expect(response?.headers()['content-security-policy']).toBe(CONSOLE_CSP);
    await hq.axe(page, 'sign-in');
    await hq.photograph(page, 'sign-in');

    await page.getByLabel('Username').fill('ada');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The username or password is not right.');
    await hq.axe(page, 'sign-in with an error');

    await hq.signIn(page, admin);
    const banner = page.getByRole('banner');
    expect(await banner.textContent()).toContain('Ada Lovelace');
    expect(await banner.textContent()).toContain('Administrator');
    expect(await navLinks(page)).toEqual(expect.arrayContaining(['Users', 'Audit log']));
    await hq.axe(page, 'home');
    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });

  it('an admin adds an analyst, who signs in without the users pages and gets the 403 page at their address', async () => {
    const page = await hq.page('admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/users');
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a user' }).waitFor();
    await hq.axe(page, 'add a user');

    // HQ's refusal shows beside its field: a password too short.
    await page.getByLabel('Username', { exact: true }).fill('grace');
    await page.getByLabel('Name', { exact: true }).fill('Grace Hopper');
    await page.getByLabel('Role').selectOption({ label: 'Analyst' });
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await expect.poll(() => page.locator('.field-invalid').textContent()).toContain('at least 12 characters');
    await hq.axe(page, 'add a user with an error');

    await page.getByLabel('Password').fill(CONSOLE_PASSWORD);
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('status').filter({ hasText: 'Added grace.' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Grace Hopper' });
    expect(await row.textContent()).toContain('Analyst');
    await hq.axe(page, 'users');
    await hq.photograph(page, 'users');

    const grace = (await listConsoleUsers(hq.db)).find((u) => u.username === 'grace');
    expect(grace).toMatchObject({ role: 'analyst', name: 'Grace Hopper', disabled: false });

    // The analyst, in a browser of their own.
    const analyst = await hq.blankPage();
    await hq.signIn(analyst, { username: 'grace', password: CONSOLE_PASSWORD });
    const links = await navLinks(analyst);
    expect(links).not.toContain('Users');
    expect(links).not.toContain('Audit log');
    await hq.open(analyst, 'users');
    await analyst.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor();
    expect(await analyst.locator('main').textContent()).not.toContain('Ada');
    await hq.axe(analyst, 'not allowed');
    await hq.open(analyst, 'no/such/page');
    await analyst.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();

    expect(hq.errors(page)).toEqual([]);
    expect(hq.errors(analyst)).toEqual([]);
    await analyst.context().close();
    await page.context().close();
  });

  it("changes a user's role with a reason, sets their password, disables them, and the audit log says why", async () => {
    const page = await hq.page('admin');
    const bob = await hq.createUser('analyst', { username: 'bob', name: 'Bob Analyst' });
    await hq.open(page, 'users');
    await page.getByRole('link', { name: 'Bob Analyst' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bob Analyst' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/users/${bob.user.id}`);
    await hq.axe(page, 'user');

    // A store manager needs a store that exists: HQ's refusal shows, then the right store is saved.
    const role = page.getByRole('region', { name: 'Role and stores' });
    await role.getByLabel('Role').selectOption({ label: 'Store manager' });
    await role.getByLabel('Stores').fill('s-9');
    await role.getByLabel('Reason').fill('runs Bastille now');
    await role.getByRole('button', { name: 'Save role' }).click();
    await expect.poll(() => role.getByRole('alert').textContent()).toContain('s-9');
    await role.getByLabel('Stores').fill('s-1');
    await role.getByRole('button', { name: 'Save role' }).click();
    await role.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await listConsoleUsers(hq.db)).find((u) => u.id === bob.user.id)).toMatchObject({
      role: 'store-manager',
      storeIds: ['s-1'],
    });

    const password = page.getByRole('region', { name: 'Password' });
    await password.getByLabel('New password').fill('a brand new passphrase');
    await password.getByRole('button', { name: 'Set password' }).click();
    await password.getByRole('status').waitFor();

    await page.getByRole('button', { name: 'Disable user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable Bob Analyst?' });
    await dialog.getByLabel('Reason').fill('left the company');
    await hq.axe(page, 'disable a user');
    await dialog.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable user' }).waitFor();
    expect((await listConsoleUsers(hq.db)).find((u) => u.id === bob.user.id)?.disabled).toBe(true);

    // Disabled: the new password does not open the console.
    const bobPage = await hq.blankPage();
    await bobPage.getByLabel('Username').fill('bob');
    await bobPage.getByLabel('Password').fill('a brand new passphrase');
    await bobPage.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => bobPage.getByRole('alert').textContent())
      .toBe('The username or password is not right.');
    await bobPage.context().close();

    await hq.open(page, 'audit');
    await page.getByLabel('Action').fill('user.change');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('row').filter({ hasText: 'left the company' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'runs Bastille now' }).first().waitFor();
    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });

  it('refuses a write sent from the page without the CSRF header, and nothing changes', async () => {
    const page = await hq.page('admin');
    const before = await listConsoleUsers(hq.db);
    const status = await page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: 'mallory',
          name: 'Mallory',
          role: 'admin',
          password: 'correct horse battery staple',
        }),
      });
      return { status: response.status, body: (await response.json()) as { error: string } };
    }, CONSOLE_API.createUser.path);
    expect(status).toMatchObject({ status: 403, body: { error: 'csrf' } });
    expect(await listConsoleUsers(hq.db)).toEqual(before);
    await page.context().close();
  });

  it('signs out to the sign-in page, and the back button shows no data', async () => {
    const page = await hq.page('admin');
    await hq.open(page, 'users');
    await page.getByRole('row').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Ada Lovelace');
    // A reload asks HQ, which knows the session has ended.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain('Ada Lovelace');
    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });

  it('shows the audit log with its filters and pages', async () => {
    const page = await hq.page('admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'user.create' }).first().waitFor();
    await hq.axe(page, 'audit log');
    await hq.photograph(page, 'audit-log');

    await page.getByLabel('Action').fill('user.create');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(async () => {
        const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
        return actions.length > 0 && actions.every((a) => a === 'user.create');
      })
      .toBe(true);
    // Who added grace, and that it was done.
    const row = page.getByRole('row').filter({ hasText: 'user grace' });
    expect(await row.textContent()).toContain('Done');

    // Paging: 60 entries of one action are a page of 50 and a page of 10.
    for (let i = 0; i < 60; i++)
      await recordAudit(
        hq.db,
        {
          userId: null,
          actor: 'pager',
          action: 'test.page',
          target: `entry ${i}`,
          reason: null,
          outcome: 'done',
          details: {},
          ip: null,
        },
        hq.clock,
      );
    await page.getByLabel('Action').fill('test.page');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await rows.first().textContent()).toContain('entry 59');
    const pager = page.getByRole('navigation', { name: 'Audit log pages' });
    expect(await pager.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => rows.count()).toBe(10);
    expect(await rows.first().textContent()).toContain('entry 9');
    expect(await pager.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await pager.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows.first().textContent()).toContain('entry 59');

    await page.getByLabel('Action').fill('');
    await page.getByLabel('Who (username)').fill('nobody-at-all');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entries match these filters.').waitFor();
    expect(hq.errors(page)).toEqual([]);
    await page.context().close();
  });
});

describe("the console on PostgreSQL, with HQ's sign-in limit", () => {
  it(
    'signs in and lists the users; too many sign-ins for one username are refused in words',
    async () => {
      const pg = await startConsole({
        database: 'postgres',
        // The admin's own sign-in and two guesses: the third guess is one too many.
        api: { rateLimits: { signInPerUsername: { max: 3, windowMs: 60_000 } } },
      });
      try {
        const page = await pg.page('admin');
        await pg.open(page, 'users');
        await page.getByRole('row').filter({ hasText: 'Admin 1' }).waitFor();
        expect(pg.errors(page)).toEqual([]);

        const guesser = await pg.blankPage();
        const alert = guesser.getByRole('alert');
        for (const attempt of [1, 2, 3]) {
          await guesser.getByLabel('Username').fill('admin-1');
          await guesser.getByLabel('Password').fill(`guess number ${attempt}`);
          await guesser.getByRole('button', { name: 'Sign in' }).click();
          await expect.poll(() => alert.textContent()).toMatch(attempt < 3 ? /not right/ : /Too many/);
        }
        expect(await alert.textContent()).toMatch(
          /^Too many sign-in attempts for this username\. Wait \d+ seconds? and try again\.$/,
        );
      } finally {
        await pg.close();
      }
    },
    LONG,
  );
});

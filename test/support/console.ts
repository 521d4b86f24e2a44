// The back-office console in a real browser, for end-to-end tests: HQ (buildServer, listening on
// 127.0.0.1) over PGlite in memory or, when asked, a fresh PostgreSQL schema (TEST_DATABASE_URL), serving
// the built console (out/console, built when missing or stale: vitest's e2e global setup builds it once per
// run, test/support/console-global-setup.ts), with two stores and a published program, and Debian's
// Chromium driven by playwright-core. Each `page(role)` is a fresh browser context (its own cookies) with a
// console user of that role made in the database and signed in through the sign-in form.
//
//   const hq = await startConsole();                       // { database: 'postgres' } for PostgreSQL
//   const page = await hq.page('admin');                   // signed in, on /console/
//   await hq.open(page, 'users');                          // a console page by its path
//   const manager = await hq.page('store-manager', ['s-1']);
//   const analyst = await hq.createUser('analyst');        // { user, username, password }
//   const fresh = await hq.blankPage();  await hq.signIn(fresh, analyst);
//   await hq.axe(page, 'users');                           // fails on a serious or critical violation
//   await hq.photograph(page, 'users');                    // docs/screenshots/console/ with UPDATE_DOCS_SCREENSHOTS=1
//   expect(hq.errors(page)).toEqual([]);                   // console errors, CSP violations, page errors
//   await hq.close();
//
// hq.db is HQ's own database (seed members and events with the store helpers); hq.clock is HQ's clock (a
// ManualClock moves time for sessions and reports, but a browser's requests do not wait for it).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { consoleIsStale, CONSOLE_OUT, ensureConsoleBuilt } from '../../scripts/console-build.js';
import { buildServer, type ApiConfig } from '../../src-hq/api/server.js';
import type { Db } from '../../src-hq/db/database.js';
import { createConsoleUser } from '../../src-hq/store/console/users.js';
import { publishProgram } from '../../src-hq/store/programs.js';
import { createStore } from '../../src-hq/store/stores.js';
import type { ConsoleUser } from '../../src-shared/console/auth.js';
import type { ConsoleRole } from '../../src-shared/console/endpoint.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import type { Program } from '../../src-shared/program/schema.js';
import { expectNoSeriousViolations, type AxeReport } from './axe.js';
import { launchChromium } from './chromium.js';
import { pgliteDatabase, postgresDatabase, type TestDatabase } from './databases.js';
import { exampleProgram, type ExampleProgram } from './hq.js';

/** Every console user the harness makes has this password. */
export const CONSOLE_PASSWORD = 'correct horse battery staple';

export interface ConsoleStore {
  id: string;
  name: string;
  timeZone: string;
}

/** The stores HQ starts with (a store manager gets the first unless told otherwise). */
export const CONSOLE_STORES: readonly ConsoleStore[] = [
  { id: 's-1', name: 'Bastille', timeZone: 'Europe/Paris' },
  { id: 's-2', name: 'Lyon Part-Dieu', timeZone: 'Europe/Paris' },
];

/** Sign-ins allowed per address in the harness's HQ: all of a test's pages come from 127.0.0.1. */
const TEST_SIGN_IN_PER_IP = { max: 1000, windowMs: 60_000 };

/** The browser window of every page: a laptop screen. */
export const CONSOLE_VIEWPORT = { width: 1280, height: 800 } as const;

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results', 'screenshots', 'console');
const DOCS_SHOTS = join(ROOT, 'docs', 'screenshots', 'console');

export interface ConsoleOptions {
  /** HQ's database (default PGlite in memory). */
  database?: 'pglite' | 'postgres';
  /** HQ's clock (default the system clock). */
  clock?: Clock;
  /** Published at start (default grocery-chain); null for none. */
  program?: ExampleProgram | Program | null;
  stores?: readonly ConsoleStore[];
  /** Show the browser (default headless). */
  headless?: boolean;
  /**
   * HQ's API settings. By default sign-ins per address are not limited in practice (every page of a test
   * signs in from 127.0.0.1; HQ allows 10 a minute): pass `rateLimits` to test a limit itself.
   */
  api?: ApiConfig;
}

export interface TestConsoleUser {
  user: ConsoleUser;
  username: string;
  password: string;
}

export interface ConsoleHarness {
  /** http://127.0.0.1:<port>: HQ, its API under /v1 and the console under /console/. */
  hqUrl: string;
  /** `${hqUrl}/console/` */
  consoleUrl: string;
  db: Db;
  database: 'pglite' | 'postgres';
  clock: Clock;
  app: FastifyInstance;
  stores: readonly ConsoleStore[];
  browser: Browser;
  /** A console user in the database (username `<role>-<n>` unless given; password CONSOLE_PASSWORD). */
  createUser(
    role: ConsoleRole,
    options?: { storeIds?: readonly string[]; name?: string; username?: string },
  ): Promise<TestConsoleUser>;
  /** A new user of `role` (a store manager: `storeIds`, default the first store), signed in on /console/. */
  page(role: ConsoleRole | TestConsoleUser, storeIds?: readonly string[]): Promise<Page>;
  /** A fresh browser context's page on the sign-in form (no one signed in). */
  blankPage(): Promise<Page>;
  /** Signs in through the form on `page` (opening /console/ if the form is not shown) and waits for the layout. */
  signIn(page: Page, who: { username: string; password: string }): Promise<void>;
  /** Opens a console page by its path ('users', 'members/0190…') and waits for its heading. */
  open(page: Page, path: string): Promise<void>;
  /** axe on the page as it is: fails on a serious or critical violation. */
  axe(page: Page, screen: string): Promise<AxeReport>;
  /** A screenshot to test-results/screenshots/console/<name>.png; also to docs/ with UPDATE_DOCS_SCREENSHOTS=1. */
  photograph(page: Page, name: string): Promise<void>;
  /** What went wrong in the page so far: console errors (CSP violations among them) and uncaught errors. */
  errors(page: Page): string[];
  close(): Promise<void>;
}

/** out/console, built when missing or older than its sources (the global setup usually did it already). */
export async function consoleBuild(): Promise<string> {
  return consoleIsStale() ? ensureConsoleBuilt() : CONSOLE_OUT;
}

export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleHarness> {
  const database = options.database ?? 'pglite';
  const clock = options.clock ?? systemClock;
  const stores = options.stores ?? CONSOLE_STORES;
  await consoleBuild();
  const test: TestDatabase = database === 'postgres' ? await postgresDatabase() : await pgliteDatabase();
  let app: FastifyInstance | null = null;
  let browser: Browser | null = null;
  try {
    const { db } = test;
    for (const store of stores) await createStore(db, store);
    const program = options.program === undefined ? 'grocery-chain' : options.program;
    if (program !== null)
      await publishProgram(db, typeof program === 'string' ? exampleProgram(program) : program);
    app = buildServer({
      db,
      clock,
      logger: false,
      config: {
        ...options.api,
        rateLimits: { signInPerIp: TEST_SIGN_IN_PER_IP, ...options.api?.rateLimits },
      },
    });
    const hqUrl = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    browser = await launchChromium({ headless: options.headless ?? true });
    return harness({ hqUrl, db, database, clock, app, stores, browser, test });
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await test.close().catch(() => undefined);
    throw error;
  }
}

function harness(parts: {
  hqUrl: string;
  db: Db;
  database: 'pglite' | 'postgres';
  clock: Clock;
  app: FastifyInstance;
  stores: readonly ConsoleStore[];
  browser: Browser;
  test: TestDatabase;
}): ConsoleHarness {
  const { hqUrl, db, clock, app, stores, browser, test } = parts;
  const consoleUrl = `${hqUrl}/console/`;
  const made = new Map<ConsoleRole, number>();
  const errorsOf = new WeakMap<Page, string[]>();

  const blankPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: CONSOLE_VIEWPORT, locale: 'en-IE' });
    const page = await context.newPage();
    const errors: string[] = [];
    errorsOf.set(page, errors);
    page.on('console', (message) => {
      // A refused request (401, 403, 404) is logged by Chromium as a console error: it is an answer the
      // page handles, not a fault.
      if (message.type() === 'error' && !/the server responded with a status of 4\d\d/.test(message.text()))
        errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    await page.goto(consoleUrl);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    return page;
  };

  const signIn: ConsoleHarness['signIn'] = async (page, who) => {
    const form = page.getByRole('button', { name: 'Sign in' });
    if (!(await form.isVisible())) {
      await page.goto(consoleUrl);
      await form.waitFor();
    }
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await form.click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  const createUser: ConsoleHarness['createUser'] = async (role, options = {}) => {
    const n = (made.get(role) ?? 0) + 1;
    made.set(role, n);
    const username = options.username ?? `${role}-${n}`;
    const storeIds =
      role === 'store-manager' ? (options.storeIds ?? [stores[0]?.id ?? 's-1']) : (options.storeIds ?? []);
    const user = await createConsoleUser(
      db,
      {
        username,
        name: options.name ?? `${role.replace('-', ' ')} ${n}`.replace(/^./, (c) => c.toUpperCase()),
        role,
        storeIds,
        password: CONSOLE_PASSWORD,
      },
      clock,
    );
    return { user, username: user.username, password: CONSOLE_PASSWORD };
  };

  return {
    hqUrl,
    consoleUrl,
    db,
    database: parts.database,
    clock,
    app,
    stores,
    browser,
    createUser,
    blankPage,
    signIn,
    async page(role, storeIds) {
      const who = typeof role === 'string' ? await createUser(role, storeIds ? { storeIds } : {}) : role;
      const page = await blankPage();
      await signIn(page, who);
      return page;
    },
    async open(page, path) {
      await page.goto(consoleUrl + path.replace(/^\/+/, ''));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
    },
    axe: (page, screen) => expectNoSeriousViolations(page, `console ${screen}`),
    async photograph(page, name) {
      mkdirSync(SHOTS, { recursive: true });
      const path = join(SHOTS, `${name}.png`);
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.screenshot({ path, animations: 'disabled', caret: 'hide', fullPage: false });
      if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
        mkdirSync(DOCS_SHOTS, { recursive: true });
        copyFileSync(path, join(DOCS_SHOTS, `${name}.png`));
      }
    },
    errors: (page) => [...(errorsOf.get(page) ?? [])],
    async close() {
      await browser.close().catch(() => undefined);
      await app.close();
      await test.close();
    },
  };
}

/** Whether a build is there to serve (for a test that checks the harness itself). */
export const consoleBuilt = (): boolean => existsSync(join(CONSOLE_OUT, 'index.html'));

// `npm start` (`./loyalty start`): the whole system on one machine, for a demo or for development.
//
//   1. HQ on PGlite in <data>/hq (DATABASE_URL for PostgreSQL instead), seeded with the demo chain on the
//      first run (its PINs and sample cards are kept in <data>/demo.json and printed on every run), with its
//      back-office console at <HQ>/console/ (built into out/console when missing or stale) and a first
//      console admin, `admin`, whose random password is kept in demo.json and printed too. While it runs,
//      `npm run hq -- …` works on the same PGlite folder (HQ shares it: src-hq/db/pglite-share.ts);
//   2. a simulated barcode scanner: a socat pty pair in <data>/serial, the terminal's DeviceManager on one
//      end, `npm run scanner -- --path <data>/serial/scanner …` writes the other (no socat: no scanner);
//   3. the terminal host (src-main/host/compose.ts, as Electron main composes it), enrolled with that HQ: a
//      one-time code made in-process, TerminalLink.enroll, and the credential in
//      <data>/terminal/credential.json (a plain file, mode 0600: this is a development setup);
//   4. the renderer built into out/renderer when missing or older than its sources;
//   5. the terminal UI: Electron when its binary is installed; otherwise the browser host on 127.0.0.1, shown
//      in Debian's Chromium in app mode when there is a display, or just its URL.
//
// Ctrl-C (or SIGTERM) stops everything in reverse order. Options: --no-open (browser host, print its link),
// --port <n> (the browser host's port, default 8788: a fixed port keeps the page's origin, and so its
// IndexedDB replica, across runs), --browser (the browser host even when Electron is installed), --kiosk
// (Chromium full screen). Environment: LOYALTY_DATA_DIR (default ./data), HQ_DATA_DIR, HQ_PORT (8787),
// DATABASE_URL, CHROMIUM_PATH, LOYALTY_LOG_LEVEL (default warn).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { InlineConfig } from 'vite';
import { z } from 'zod';
import { startServer, type StartedServer } from '../src-hq/api/server.js';
import { loadHqConfig } from '../src-hq/config.js';
import { DEMO_STORES, demoProducts, seedDemo, SeedRefusedError } from '../src-hq/seed/demo.js';
import { generatePassword } from '../src-hq/cli/console-users.js';
import { createConsoleUser, listConsoleUsers } from '../src-hq/store/console/users.js';
import { listStores } from '../src-hq/store/stores.js';
import { createEnrollmentCode } from '../src-hq/store/terminals.js';
import { parseTerminalConfig } from '../src-main/config.js';
import type { DeviceConfigInput } from '../src-main/devices/index.js';
import { composeTerminalHost } from '../src-main/host/compose.js';
import { writeLaunchPage } from '../src-main/host/launch-secret.js';
import { StopList } from '../src-main/host/stop-list.js';
import { fileCredentialStore, writeFileAtomically } from '../src-main/hq/credential-store.js';
import { systemClock } from '../src-shared/kernel/clock.js';
import { consoleIsStale, ensureConsoleBuilt } from './console-build.js';
import { createSocatPair, type SocatPair } from './socat.js';
import { QUIET_CHROMIUM_FLAGS } from './chromium-flags.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const RENDERER_OUT = join(ROOT, 'out', 'renderer');
export const DEFAULT_PORT = 8788;
const DEMO_TILL_NAME = 'Demo till (npm start)';

export const HELP = `Loyalty Terminal: HQ with demo data, an enrolled terminal and a simulated scanner.

  npm start -- [--no-open] [--port <n>] [--browser] [--kiosk]

  --no-open     do not open a window: run the browser host and print its one-time launch link
  --port <n>    the browser host's port (default ${DEFAULT_PORT}; keep it stable: the page's data lives per origin)
  --browser     use the browser host even when Electron is installed
  --kiosk       open Chromium full screen (kiosk) rather than as an app window
  --help        this text

Data: LOYALTY_DATA_DIR (default ./data). HQ: HQ_PORT (default 8787), HQ_DATA_DIR, DATABASE_URL.`;

const optionsSchema = z
  .object({
    open: z.boolean(),
    port: z.coerce.number().int().min(1).max(65535).default(DEFAULT_PORT),
    browser: z.boolean(),
    kiosk: z.boolean(),
  })
  .strict();
export type StartOptions = z.infer<typeof optionsSchema>;

/** The command line, or a usage error message. */
export function parseStartArgs(
  argv: readonly string[],
): { ok: true; options: StartOptions; help: boolean } | { ok: false; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'no-open': { type: 'boolean' },
        port: { type: 'string' },
        browser: { type: 'boolean' },
        kiosk: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const { values } = parsed;
  const options = optionsSchema.safeParse({
    open: values['no-open'] !== true,
    port: values.port,
    browser: values.browser === true,
    kiosk: values.kiosk === true,
  });
  if (!options.success)
    return { ok: false, message: `--port: ${options.error.issues[0]?.message ?? 'invalid'}` };
  return { ok: true, options: options.data, help: values.help === true };
}

// ---- building --------------------------------------------------------------------------------------

/** The newest modification time of any file under these paths (0 when none exists). */
function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

const mtimeOf = (file: string): number | null => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

const RENDERER_SOURCES = ['src-renderer', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((p) =>
  join(ROOT, p),
);
const MAIN_SOURCES = ['src-main', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((p) =>
  join(ROOT, p),
);

/** Whether `outputs` are missing or older than any of `sources`. */
export function isStale(outputs: readonly string[], sources: readonly string[]): boolean {
  const built = outputs.map(mtimeOf);
  if (built.some((t) => t === null)) return true;
  return newestMtime(sources) > Math.min(...(built as number[]));
}

export const rendererIsStale = (outDir = RENDERER_OUT): boolean =>
  isStale([join(outDir, 'index.html')], RENDERER_SOURCES);

/**
 * Builds the renderer alone with Vite, from electron.vite.config.ts's renderer section, into `outDir`: into
 * a fresh folder first, then moved into place, so a failed build leaves the previous one untouched.
 */
export async function buildRenderer(outDir = RENDERER_OUT): Promise<void> {
  const [{ build }, config] = await Promise.all([
    import('vite'),
    import('../electron.vite.config.js').then((m) => m.default),
  ]);
  const renderer = config.renderer ?? {};
  const staging = `${outDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    await build({
      ...(renderer as InlineConfig),
      configFile: false,
      logLevel: 'warn',
      mode: 'production',
      build: {
        ...renderer.build,
        outDir: staging,
        emptyOutDir: true,
        reportCompressedSize: false,
        chunkSizeWarningLimit: 10_000,
      },
    });
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(dirname(outDir), { recursive: true });
    renameSync(staging, outDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** `electron-vite build`: main, the CommonJS preload and the renderer into out/. */
function buildElectron(): Promise<void> {
  const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return new Promise((resolveBuild, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolveBuild() : reject(new Error(`electron-vite build failed (exit ${code})`)),
    );
  });
}

// ---- what can open the terminal -------------------------------------------------------------------

/**
 * The Electron binary, when installed: what `require('electron')` would return, worked out from the
 * package's path.txt without loading the package into this process. Null when it is not there (our build
 * machines install electron with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
 */
export function electronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const relative = readFileSync(pathFile, 'utf8').trim();
    if (relative === '') return null;
    const binary = env.ELECTRON_OVERRIDE_DIST_PATH
      ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
      : join(packageDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const hasDisplay = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);

const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Chromium's command line for the terminal: an app window (or kiosk) on `url`, its own profile in
 * `profileDir`, and the quiet flags the tests use (test/support/chromium.ts). The sandbox stays on unless
 * running as root, where Chromium refuses to start with it.
 */
export function chromiumArgs(
  url: string,
  profileDir: string,
  options: { kiosk: boolean; root?: boolean },
): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    ...(options.kiosk ? ['--kiosk'] : []),
    ...((options.root ?? runningAsRoot()) ? ['--no-sandbox'] : []),
    ...QUIET_CHROMIUM_FLAGS,
    // No keyring prompt: this profile stores no passwords.
    '--password-store=basic',
  ];
}

// ---- the run ----------------------------------------------------------------------------------------

const demoFileSchema = z.object({
  seededAt: z.string(),
  cashiers: z.array(
    z.object({
      storeId: z.string(),
      name: z.string(),
      role: z.enum(['cashier', 'manager']),
      pin: z.string(),
    }),
  ),
  sampleCards: z.array(z.string()),
  /** The first console admin, made on the first run (a demo: kept here like the PINs, printed every run). */
  console: z.object({ username: z.string(), password: z.string() }).optional(),
});
type DemoFile = z.infer<typeof demoFileSchema>;

const DEMO_ADMIN = 'admin';

/**
 * The demo's console sign-in: the one in demo.json, or, on a demo HQ with no `admin` yet, a new admin with
 * a random password, kept in demo.json. Null on an HQ with its own data (no demo.json): its users are its
 * own (`npm run hq -- console-user add`), and for an `admin` whose password is not in the file.
 */
async function demoConsoleSignIn(
  db: StartedServer['db'],
  demoPath: string,
  demo: DemoFile | null,
): Promise<DemoFile['console'] | null> {
  if (!demo) return null;
  if (demo.console) return demo.console;
  if ((await listConsoleUsers(db)).some((u) => u.username === DEMO_ADMIN)) return null;
  const signIn = { username: DEMO_ADMIN, password: generatePassword() };
  await createConsoleUser(
    db,
    { username: DEMO_ADMIN, name: 'Demo admin', role: 'admin', password: signIn.password },
    systemClock,
  );
  await writeFileAtomically(demoPath, `${JSON.stringify({ ...demo, console: signIn }, null, 2)}\n`);
  return signIn;
}

function readDemoFile(path: string): DemoFile | null {
  try {
    return demoFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/** Runs everything until a signal; resolves with the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseStartArgs(argv);
  if (!args.ok) {
    console.error(`${args.message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const { options } = args;
  const dataDir = resolve(process.env.LOYALTY_DATA_DIR ?? 'data');
  const terminalDir = join(dataDir, 'terminal');
  mkdirSync(terminalDir, { recursive: true, mode: 0o700 });

  // Everything started is stopped in reverse order, once, on a signal or when the UI process ends.
  const stops = new StopList();
  const stopAll = async (): Promise<void> => {
    for (const failure of await stops.stopAll()) console.error(`stopping ${failure}`);
  };
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolveFinished) => (finish = resolveFinished));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stops.stopped) {
        console.error('\nStopping anyway.');
        process.exit(130);
      }
      console.log('\nStopping…');
      void stopAll().then(() => finish(0));
    });
  }

  try {
    await run(options, dataDir, terminalDir, stops, finish);
  } catch (error) {
    console.error(`\n${(error as Error).message}`);
    await stopAll();
    return 1;
  }
  const code = await finished;
  await stopAll();
  console.log('Stopped.');
  return code;
}

async function run(
  options: StartOptions,
  dataDir: string,
  terminalDir: string,
  stops: StopList,
  finish: (code: number) => void,
): Promise<void> {
  const log = pino(
    { level: process.env.LOYALTY_LOG_LEVEL ?? 'warn' },
    { write: (line: string) => console.log(logLine(line)) },
  );
  const electron = options.open && !options.browser ? electronBinary() : null;

  // 1. HQ --------------------------------------------------------------------------------------------
  const hqConfig = loadHqConfig({
    ...process.env,
    HQ_DATA_DIR: process.env.HQ_DATA_DIR ?? join(dataDir, 'hq'),
  });
  const where = hqConfig.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${hqConfig.HQ_DATA_DIR}`;
  // The back office HQ serves under /console/: built when missing or older than its sources.
  if (consoleIsStale()) console.log('Building the back-office console…');
  const consoleBuilt = await ensureConsoleBuilt().then(
    () => true,
    (error: unknown) => {
      console.log(
        `No console build (${(error as Error).message}): HQ serves its "not built" page at /console/.`,
      );
      return false;
    },
  );
  console.log(`Starting HQ on ${where}…`);
  let hq: StartedServer;
  try {
    // The same jobs as `npm run hq -- serve`: nightly jobs, scheduled publications, webhook deliveries.
    hq = await startServer(hqConfig, {
      logger: log.child({ name: 'hq' }),
      jobs: {
        at: process.env.HQ_JOBS_AT ?? '02:30',
        onError: (error) => log.warn({ err: error }, 'HQ jobs failed'),
      },
    });
  } catch (error) {
    throw new Error(
      `HQ could not start on ${hqConfig.HQ_HOST}:${hqConfig.HQ_PORT}: ${(error as Error).message}` +
        ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (set HQ_PORT to another port)' : ''),
      { cause: error },
    );
  }
  stops.push({ what: 'HQ', stop: () => hq.close() });

  const demoPath = join(dataDir, 'demo.json');
  let storeId: string = DEMO_STORES[0].id;
  try {
    const seeded = await seedDemo(hq.db, systemClock, {
      onProgress: (message) => console.log(`  seeding the demo chain: ${message}`),
    });
    if (seeded.status === 'seeded') {
      const { cashiers, sampleCards } = seeded.summary;
      const demo: DemoFile = {
        seededAt: new Date().toISOString(),
        cashiers: cashiers.map(({ storeId: s, name, role, pin }) => ({ storeId: s, name, role, pin })),
        sampleCards,
      };
      await writeFileAtomically(demoPath, `${JSON.stringify(demo, null, 2)}\n`);
    }
  } catch (error) {
    if (!(error instanceof SeedRefusedError)) throw error;
    // An HQ with its own data: enroll with its first store, without demo data.
    console.log(`  ${error.message}`);
    const stores = await listStores(hq.db);
    if (!stores[0]) throw new Error('HQ has no store to enroll the terminal with.', { cause: error });
    storeId = stores[0].id;
  }
  const demo = readDemoFile(demoPath);
  const consoleSignIn = await demoConsoleSignIn(hq.db, demoPath, demo);

  // 2. A simulated scanner ---------------------------------------------------------------------------
  const serialDir = join(dataDir, 'serial');
  mkdirSync(serialDir, { recursive: true });
  let pair: SocatPair | null = null;
  for (const name of ['terminal', 'scanner']) rmSync(join(serialDir, name), { force: true });
  try {
    pair = await createSocatPair(serialDir, { names: ['terminal', 'scanner'] });
    const started = pair;
    stops.push({ what: 'the simulated scanner', stop: () => started.kill() });
  } catch (error) {
    console.log(`No simulated scanner: ${(error as Error).message}. Running without scanners.`);
  }
  const devices: DeviceConfigInput[] = pair
    ? [
        {
          id: 'scanner-1',
          role: 'barcode',
          path: pair.a,
          baudRate: 9600,
          framing: { kind: 'suffix', suffix: 'CR' },
        },
      ]
    : [];
  const parsedConfig = parseTerminalConfig({ hqUrl: hq.url, devices });
  if (!parsedConfig.ok) throw new Error(`Internal error: the terminal configuration is invalid.`);
  const configFile = join(terminalDir, 'terminal.json');
  await writeFileAtomically(configFile, `${JSON.stringify({ hqUrl: hq.url, devices }, null, 2)}\n`);

  // 3. The terminal host (src-main/host/compose.ts, as Electron main composes it), enrolled -------------
  const credentialFile = join(terminalDir, 'credential.json');
  const host = composeTerminalHost({
    config: parsedConfig.value,
    credentials: fileCredentialStore(credentialFile),
    dataDir: terminalDir,
    version: packageVersion(),
    logger: log,
  });
  stops.push({ what: 'the terminal host', stop: () => host.close() });
  const { link } = host;
  const status = await link.hqStatus();
  let enrolled = status.enrolled ? { terminalId: status.terminalId, storeId: status.storeId } : null;
  if (enrolled) {
    // The credential may be for an HQ whose data was wiped since: ask HQ.
    const probe = await link.pull('programs', null, 1);
    if (!probe.ok && (probe.error.code === 'unauthorised' || probe.error.code === 'not-enrolled'))
      enrolled = null;
  }
  if (!enrolled) {
    const { code } = await createEnrollmentCode(hq.db, storeId, systemClock, { ttlHours: 1 });
    const result = await link.enroll({ code, name: DEMO_TILL_NAME });
    if (!result.ok) throw new Error(`The terminal could not enroll with HQ: ${result.error.message}`);
    enrolled = result.value;
  }

  // 4. The renderer (and, for Electron, main and preload) --------------------------------------------
  if (electron) {
    const outputs = [join(ROOT, 'out/main/index.js'), join(ROOT, 'out/preload/index.cjs')];
    if (rendererIsStale() || isStale(outputs, MAIN_SOURCES)) {
      console.log('Building the terminal (electron-vite build)…');
      await buildElectron();
    }
  } else if (rendererIsStale()) {
    console.log('Building the renderer…');
    await buildRenderer();
  }

  // 5. The terminal UI ---------------------------------------------------------------------------------
  let uiLine: string;
  let customerLine: string | null = null;
  let openUi: (() => void) | null = null;
  if (electron) {
    // Electron main composes its own host (devices, HQ link): this process only enrolled the till.
    await host.close();
    uiLine = `Terminal: Electron (${electron})`;
    openUi = () => {
      const child = spawn(electron, [ROOT, ...(runningAsRoot() ? ['--no-sandbox'] : [])], {
        cwd: ROOT,
        stdio: 'inherit',
        env: {
          ...process.env,
          LOYALTY_TERMINAL_CONFIG: configFile,
          LOYALTY_CREDENTIAL_FILE: credentialFile,
          LOYALTY_USER_DATA_DIR: join(dataDir, 'electron'),
        },
      });
      stops.push({ what: 'Electron', stop: () => stopChild(child) });
      child.once('exit', (code) => {
        console.log(`Electron exited (${code ?? 'signal'}).`);
        finish(0);
      });
    };
  } else {
    const served = await host
      .start({
        kind: 'browser',
        rendererDir: RENDERER_OUT,
        port: options.port,
        logger: log.child({ name: 'browser-host' }),
      })
      .catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `The browser host could not listen on 127.0.0.1:${options.port}: ${error.message}` +
            (error.code === 'EADDRINUSE' ? ' (choose another with --port)' : ''),
          { cause: error },
        );
      });
    const browserHost = served.browser;
    if (!browserHost) throw new Error('Internal error: the browser host did not start.');
    // The page opens only through a one-time launch URL (src-main/host/launch-secret.ts): Chromium gets
    // it in a 0600 launch page (not on its command line, which every local user can read); without a
    // window, this process's owner gets it printed.
    uiLine = `Terminal: ${browserHost.url}`;
    // The customer display is a second page of the same session, for a screen turned to the customer.
    customerLine = `Customer display: ${browserHost.url}customer  (in the terminal's browser)`;
    if (options.open && existsSync(CHROMIUM) && hasDisplay()) {
      const launchPage = join(dataDir, 'launch.html');
      await writeLaunchPage(launchPage, browserHost.launchUrl());
      openUi = () => {
        const child = spawn(
          CHROMIUM,
          chromiumArgs(pathToFileURL(launchPage).href, join(dataDir, 'chromium'), { kiosk: options.kiosk }),
          { stdio: 'ignore' },
        );
        child.once('error', (error) => console.error(`Chromium did not start: ${error.message}`));
        child.once('exit', () =>
          console.log(
            `Chromium closed; the terminal opens again at ${browserHost.launchUrl()} (once; Ctrl-C stops).`,
          ),
        );
        stops.push({ what: 'Chromium', stop: () => stopChild(child) });
      };
    } else {
      // A one-time link: it opens the terminal in one browser profile.
      uiLine = `Terminal: ${browserHost.launchUrl()}`;
      if (options.open)
        uiLine += existsSync(CHROMIUM)
          ? '  (no display: open it in a browser)'
          : `  (open it in Chromium; ${CHROMIUM} is not installed: apt-get install chromium)`;
    }
  }

  // What to try ----------------------------------------------------------------------------------------
  const lines = [
    '',
    'Loyalty Terminal is running.',
    `  HQ:       ${hq.url}  (${where})`,
    `  Till:     ${DEMO_TILL_NAME}, terminal ${enrolled.terminalId} at store ${enrolled.storeId}`,
    `  Console:  ${hq.url}/console/${consoleBuilt ? '' : '  (not built: npm run build:console)'}`,
    consoleSignIn
      ? `            sign in as ${consoleSignIn.username} / ${consoleSignIn.password}`
      : '            sign in with a console user (npm run hq -- console-user add --help)',
  ];
  if (demo) {
    const staff = demo.cashiers.filter((c) => c.storeId === enrolled.storeId);
    lines.push(`  Staff at ${enrolled.storeId} (name, role, PIN):`);
    for (const c of staff) lines.push(`            ${c.name.padEnd(16)} ${c.role.padEnd(8)} ${c.pin}`);
    lines.push(`  Member cards: ${demo.sampleCards.join(', ')}`);
  }
  if (pair) {
    const product = demoProducts('EUR')[0]?.gtin ?? '4006381333931';
    lines.push(
      `  Scanner:  the terminal reads ${pair.a}; scan from another shell with`,
      `            npm run scanner -- --path ${pair.b} loyalty ${demo?.sampleCards[0] ?? ''}`.trimEnd(),
      `            npm run scanner -- --path ${pair.b} ean13 ${product}`,
    );
  }
  lines.push(`  ${uiLine}`);
  if (customerLine) lines.push(`  ${customerLine}`);
  lines.push('', 'Ctrl-C stops everything.');
  console.log(lines.join('\n'));
  openUi?.();
}

const LEVELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A pino JSON line as one readable line: `warn devices scanner-1: disconnected (reason=…)`. */
export function logLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const { level, time: _time, pid: _pid, hostname: _host, name, msg, device, ...rest } = entry;
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const who = [name, device].filter((part) => typeof part === 'string').join(' ');
  return `${LEVELS[level as number] ?? 'log'} ${who}: ${typeof msg === 'string' ? msg : JSON.stringify(msg ?? '')}${fields ? ` (${fields})` : ''}`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}

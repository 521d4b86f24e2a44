// Electron main with a fake `electron` (the real package throws without its binary, which our machines
// cannot download): the kiosk window's security settings, the CSP, navigation and window.open guards,
// deny-all permissions, the app:// scheme, the single-instance lock, crash recovery, and TerminalApi's IPC
// handlers (our frame only, arguments validated).
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTerminalApp, type ElectronMain, type TerminalAppOptions } from '../../src-main/app.js';
import { invokedChannels } from '../../src-main/host/host-api.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../src-main/security.js';
import { CRASH_BURST, KIOSK_URL, MAX_RELOAD_DELAY_MS, reloadWhenGone } from '../../src-main/window.js';
import { CUSTOMER_URL } from '../../src-main/customer-window.js';
import { channels, IDLE_CUSTOMER_VIEW, type CustomerView } from '../../src-shared/ipc/index.js';

// index.ts imports the real module names: this stands in for all of them in this file. Its whenReady never
// resolves, so importing index.ts only runs the synchronous start.
const mocked = vi.hoisted(() => ({
  requestSingleInstanceLock: vi.fn(() => true),
  registerSchemesAsPrivileged: vi.fn(),
}));
vi.mock('electron', () => ({
  app: {
    isPackaged: false,
    requestSingleInstanceLock: mocked.requestSingleInstanceLock,
    setPath: vi.fn(),
    on: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: () => new Promise(() => undefined),
  },
  protocol: { registerSchemesAsPrivileged: mocked.registerSchemesAsPrivileged, handle: vi.fn() },
  BrowserWindow: class {},
  ipcMain: { handle: vi.fn() },
  Menu: { setApplicationMenu: vi.fn() },
  safeStorage: {},
  screen: {},
  session: {},
}));

const dir = mkdtempSync(join(tmpdir(), 'electron-main-'));
const rendererDir = join(dir, 'renderer');
mkdirSync(rendererDir, { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>kiosk</title>');
writeFileSync(join(dir, 'secret.txt'), 'credential');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  send = vi.fn<(channel: string, payload: unknown) => void>();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  isDestroyed = () => false;
}

class FakeWindow extends EventEmitter {
  static all: FakeWindow[] = [];
  static getAllWindows = () => FakeWindow.all.filter((w) => !w.destroyed);
  readonly webContents = new FakeWebContents();
  destroyed = false;
  minimized = true;
  loadURL = vi.fn(async (_url: string) => undefined);
  setMenu = vi.fn();
  setBounds = vi.fn();
  restore = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  close = vi.fn(() => {
    this.destroyed = true;
    this.emit('closed');
  });
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.all.push(this);
  }
}

type Handler = (...args: unknown[]) => unknown;

const PRIMARY = { id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 }, internal: true };
const SECOND = { id: 2, bounds: { x: 1280, y: 0, width: 1024, height: 600 }, internal: false };

/** Electron's `screen` with the displays given (the first is the primary). */
function fakeScreen(displays: (typeof PRIMARY)[]) {
  return Object.assign(new EventEmitter(), {
    getAllDisplays: () => displays,
    getPrimaryDisplay: () => displays[0]!,
  });
}

function fakeElectron(options: { packaged?: boolean; lock?: boolean; displays?: (typeof PRIMARY)[] } = {}) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: options.packaged ?? false,
    requestSingleInstanceLock: vi.fn(() => options.lock ?? true),
    quit: vi.fn(),
    exit: vi.fn(),
    setPath: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    getPath: (_name: string) => join(dir, 'user-data'),
    getVersion: () => '0.1.0',
  });
  const ipcHandlers = new Map<string, Handler>();
  const protocolHandlers = new Map<string, (request: { url: string }) => Promise<Response>>();
  const permissions: { request?: Handler; check?: Handler; device?: Handler } = {};
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, handler: Handler) => ipcHandlers.set(channel, handler) },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string, handler: (request: { url: string }) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => (permissions.request = handler),
        setPermissionCheckHandler: (handler: Handler) => (permissions.check = handler),
        setDevicePermissionHandler: (handler: Handler) => (permissions.device = handler),
      },
    },
    Menu: { setApplicationMenu: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
    },
    screen: fakeScreen(options.displays ?? [PRIMARY]),
  };
  return { electron, app, ipcHandlers, protocolHandlers, permissions };
}

const appOptions = (env: NodeJS.ProcessEnv = {}): TerminalAppOptions => ({
  rendererDir,
  preloadDir: join(dir, 'preload'),
  env: { LOYALTY_TERMINAL_CONFIG: join(dir, 'no-such-config.json'), ...env },
  logger: pino({ level: 'silent' }),
  binding: () => ({ list: async () => [], open: async () => Promise.reject(new Error('no ports here')) }),
});

async function start(
  options: {
    packaged?: boolean;
    lock?: boolean;
    env?: NodeJS.ProcessEnv;
    displays?: (typeof PRIMARY)[];
  } = {},
) {
  const fake = fakeElectron(options);
  const opened = FakeWindow.all.length;
  const started = await startTerminalApp(fake.electron as unknown as ElectronMain, appOptions(options.env));
  // The kiosk window is the first this start opened (the customer window, on a second display, comes after).
  const win = FakeWindow.all[opened];
  const customerWin = FakeWindow.all[opened + 1];
  return { ...fake, started, win, customerWin };
}

beforeEach(() => {
  FakeWindow.all = [];
});

describe('Electron main: the kiosk window', () => {
  it('opens a sandboxed, isolated window with a CommonJS preload, loading app://terminal', async () => {
    const { win, started } = await start();
    expect(started).not.toBeNull();
    const prefs = win?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(win?.loadURL).toHaveBeenCalledWith('app://terminal/index.html');
    expect(win?.setMenu).toHaveBeenCalledWith(null);
  });

  it('is a full-screen kiosk without devtools when packaged, a window with devtools when not', async () => {
    const packaged = (await start({ packaged: true })).win;
    expect(packaged?.options).toMatchObject({ kiosk: true });
    expect(packaged?.options.webPreferences).toMatchObject({ devTools: false });
    const development = (await start({ packaged: false })).win;
    expect(development?.options).toMatchObject({ kiosk: false });
    expect(development?.options.webPreferences).toMatchObject({ devTools: true });
  });

  it('has no application menu', async () => {
    const { electron } = await start();
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('denies navigation to anything but app://terminal, window.open and webviews', async () => {
    const { win } = await start();
    const contents = win!.webContents;
    const navigate = (event: string, url: string) => {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    };
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(navigate(event, 'https://evil.example/'), event).toBe(true);
      expect(navigate(event, 'app://terminal.evil.example/index.html'), event).toBe(true);
      expect(navigate(event, 'file:///etc/passwd'), event).toBe(true);
      expect(navigate(event, 'app://terminal/index.html'), event).toBe(false);
    }
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'app://terminal/index.html' })).toEqual({ action: 'deny' });
    const preventDefault = vi.fn();
    contents.emit('will-attach-webview', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check, devices included', async () => {
    const { permissions } = await start();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial']) {
      const callback = vi.fn();
      permissions.request?.({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(permissions.check?.({}, permission, 'app://terminal')).toBe(false);
    }
    expect(permissions.device?.({ deviceType: 'usb' })).toBe(false);
  });
});

describe('Electron main: the CSP and the app:// scheme', () => {
  it('has a strict CSP: default-src self, no eval, no frames, no plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('registers app:// as a standard, secure scheme before the app is ready', async () => {
    const { electron, app } = await start();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: APP_SCHEME,
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(electron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(
      app.whenReady.mock.invocationCallOrder[0]!,
    );
  });

  it('serves the renderer files with the CSP header and refuses path traversal', async () => {
    const { protocolHandlers } = await start();
    const handle = protocolHandlers.get(APP_SCHEME)!;
    const page = await handle({ url: 'app://terminal/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>kiosk</title>');
    expect((await handle({ url: 'app://terminal/' })).status).toBe(200);
    expect((await handle({ url: 'app://terminal/missing.js' })).status).toBe(404);

    for (const url of [
      'app://terminal/..%2fsecret.txt',
      'app://terminal/..%2f..%2fsecret.txt',
      'app://terminal/%2e%2e%2fsecret.txt',
      'app://terminal/assets/..%5c..%5csecret.txt',
      'app://terminal/%00',
    ]) {
      const res = await handle({ url });
      expect(res.status, url).toBe(403);
      expect(res.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text(), url).not.toContain('credential');
    }
  });
});

describe('Electron main: one instance, and a renderer that comes back', () => {
  it('quits when another instance holds the lock, before opening anything', async () => {
    const { started, app, electron } = await start({ lock: false });
    expect(started).toBeNull();
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(FakeWindow.all).toHaveLength(0);
  });

  it('focuses (and restores) the existing window when a second instance starts', async () => {
    const { app, win } = await start();
    app.emit('second-instance', {}, [], dir);
    expect(win?.restore).toHaveBeenCalled();
    expect(win?.show).toHaveBeenCalled();
    expect(win?.focus).toHaveBeenCalled();
  });

  it('quits when the window is closed', async () => {
    const { app } = await start();
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalled();
  });

  it('reloads the kiosk page when the renderer process is gone', async () => {
    const { win } = await start();
    expect(win?.loadURL).toHaveBeenCalledTimes(1);
    win!.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(win?.loadURL).toHaveBeenCalledTimes(2);
    expect(win?.loadURL).toHaveBeenLastCalledWith(KIOSK_URL);
    win!.webContents.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
    expect(win?.loadURL).toHaveBeenCalledTimes(3);
  });

  it('backs off when the renderer keeps dying, and not at all for a destroyed window', () => {
    const win = new FakeWindow({});
    const delays: number[] = [];
    const scheduled: Array<() => void> = [];
    let now = 0;
    reloadWhenGone(win as never, {
      now: () => now,
      setTimeout: (run, ms) => {
        delays.push(ms);
        scheduled.push(run);
      },
    });
    const crash = () => win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    for (let i = 0; i < CRASH_BURST; i += 1) crash();
    expect(win.loadURL).toHaveBeenCalledTimes(CRASH_BURST);
    for (let i = 0; i < 8; i += 1) crash();
    expect(delays).toEqual(
      [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000].map((d) => Math.min(d, MAX_RELOAD_DELAY_MS)),
    );
    scheduled[0]?.();
    expect(win.loadURL).toHaveBeenCalledTimes(CRASH_BURST + 1);
    // A minute later the slate is clean again.
    now += 61_000;
    crash();
    expect(win.loadURL).toHaveBeenCalledTimes(CRASH_BURST + 2);
    win.destroyed = true;
    scheduled[1]?.();
    expect(win.loadURL).toHaveBeenCalledTimes(CRASH_BURST + 2);
  });
});

describe('Electron main: TerminalApi over IPC', () => {
  const appFrame = { senderFrame: { url: 'app://terminal/index.html' } };

  it('handles every invoked channel', async () => {
    const { ipcHandlers } = await start();
    expect([...ipcHandlers.keys()].sort()).toEqual([...invokedChannels].sort());
  });

  it('refuses calls from any frame but the app:// page', async () => {
    const { ipcHandlers } = await start();
    const hostInfo = ipcHandlers.get(channels.hostInfo)!;
    for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'app://terminal.evil/' }, null]) {
      expect(() => hostInfo({ senderFrame }), String(senderFrame?.url)).toThrow(/terminal app only/);
    }
    expect(await hostInfo(appFrame)).toEqual({ host: 'electron', version: '0.1.0' });
  });

  it("answers invalid arguments with a 'rejected' result, without reaching HQ", async () => {
    const { ipcHandlers } = await start();
    expect(await ipcHandlers.get(channels.hqPull)!(appFrame, 'accounts', null, 1e9)).toMatchObject({
      ok: false,
      error: { code: 'rejected', problems: expect.any(Array) },
    });
    expect(await ipcHandlers.get(channels.hqPush)!(appFrame, 'not events')).toMatchObject({
      ok: false,
      error: { code: 'rejected' },
    });
    expect(await ipcHandlers.get(channels.hqLookup)!(appFrame, { card: '1', phoneHash: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'rejected' },
    });
    // With valid arguments the unenrolled terminal says so (no HQ address configured here).
    expect(await ipcHandlers.get(channels.hqPull)!(appFrame, 'members', null, 10)).toMatchObject({
      ok: false,
      error: { code: 'not-enrolled' },
    });
  });
});

describe('Electron main: the customer display', () => {
  const kioskFrame = { senderFrame: { url: 'app://terminal/index.html' } };
  const view: CustomerView = {
    locale: 'en-IE',
    programName: 'Bean There Rewards',
    member: { firstName: 'Alice', balance: 1240, nextReward: null },
    sale: {
      currency: 'EUR',
      lines: [{ name: 'Cappuccino', quantity: 2, total: 840 }],
      total: 840,
      points: 12,
    },
    done: null,
  };
  const sentOn = (win: FakeWindow | undefined, channel: string) =>
    (win?.webContents.send.mock.calls ?? []).filter(([c]) => c === channel).map(([, payload]) => payload);

  it('opens no customer window with a single display', async () => {
    const { customerWin, started } = await start();
    expect(customerWin).toBeUndefined();
    expect(started?.customerWindow()).toBeNull();
  });

  it('opens a sandboxed customer window on the second display, with its own preload and page', async () => {
    const { win, customerWin, started } = await start({ displays: [PRIMARY, SECOND] });
    expect(started?.customerWindow()).toBe(customerWin);
    expect(customerWin?.options).toMatchObject({ ...SECOND.bounds, focusable: false });
    const prefs = customerWin?.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(prefs.preload)).toMatch(/preload[/\\]customer\.cjs$/);
    expect(customerWin?.loadURL).toHaveBeenCalledWith(CUSTOMER_URL);
    expect(win?.loadURL).toHaveBeenCalledWith('app://terminal/index.html');
    // No navigation away, no window.open, like the kiosk's.
    expect(customerWin?.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });

  it("hears the customer view the cashier's page sets, and nothing else; the kiosk does not hear it", async () => {
    const { win, customerWin, ipcHandlers } = await start({ displays: [PRIMARY, SECOND] });
    // The welcome at once (main's latest), then what the cashier's page sets.
    expect(sentOn(customerWin, channels.customerView)).toEqual([IDLE_CUSTOMER_VIEW]);
    expect(await ipcHandlers.get(channels.customerViewSet)!(kioskFrame, view)).toBeNull();
    expect(sentOn(customerWin, channels.customerView)).toEqual([IDLE_CUSTOMER_VIEW, view]);
    // A page (re)load gets the latest again.
    customerWin!.webContents.emit('did-finish-load');
    expect(sentOn(customerWin, channels.customerView).at(-1)).toEqual(view);
    // Only ever the customer view reaches the customer window.
    for (const [channel] of customerWin!.webContents.send.mock.calls)
      expect(channel).toBe(channels.customerView);
    expect(sentOn(win, channels.customerView)).toEqual([]);
  });

  it('refuses a customer view that carries more than the schema allows, before anyone hears it', async () => {
    const { customerWin, ipcHandlers } = await start({ displays: [PRIMARY, SECOND] });
    const set = ipcHandlers.get(channels.customerViewSet)!;
    const withPhone = { ...view, member: { ...view.member!, phone: '+33612345678' } };
    await expect(set(kioskFrame, withPhone)).rejects.toThrow(/Not valid: the customer view/);
    await expect(
      set(kioskFrame, { ...view, member: { ...view.member!, firstName: '4111 1111 1111 1111' } }),
    ).rejects.toThrow();
    expect(sentOn(customerWin, channels.customerView)).toEqual([IDLE_CUSTOMER_VIEW]);
  });

  it('lets the customer page invoke nothing', async () => {
    const { ipcHandlers } = await start({ displays: [PRIMARY, SECOND] });
    const customerFrame = { senderFrame: { url: CUSTOMER_URL } };
    for (const channel of [channels.hostInfo, channels.customerViewSet, channels.checkPin]) {
      expect(() => ipcHandlers.get(channel)!(customerFrame, view), channel).toThrow(/terminal app only/);
    }
  });

  it('follows the displays: closes the customer window when the second goes, opens it when it comes back', async () => {
    const displays = [PRIMARY, SECOND];
    const { electron, customerWin, started } = await start({ displays });
    displays.pop();
    electron.screen.emit('display-removed', {}, SECOND);
    expect(customerWin?.close).toHaveBeenCalled();
    expect(started?.customerWindow()).toBeNull();
    displays.push(SECOND);
    electron.screen.emit('display-added', {}, SECOND);
    const again = started?.customerWindow() as unknown as FakeWindow;
    expect(again).not.toBe(customerWin);
    expect(again.loadURL).toHaveBeenCalledWith(CUSTOMER_URL);
    // The cashier's window closing takes the customer's with it.
    const kiosk = started?.window() as unknown as FakeWindow;
    kiosk.emit('closed');
    expect(again.close).toHaveBeenCalled();
  });
});

describe('Electron main: configuration', () => {
  it('stops with exit code 2 on a bad configuration file', async () => {
    const config = join(dir, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ hqUrl: 'not a url', devices: [{ id: 'X' }] }));
    const { started, app } = await start({ env: { LOYALTY_TERMINAL_CONFIG: config } });
    expect(started).toBeNull();
    expect(app.exit).toHaveBeenCalledWith(2);
    expect(FakeWindow.all).toHaveLength(0);
  });

  it('honours the development switches only when unpackaged', async () => {
    const credential = join(dir, 'credential.json');
    const env = { LOYALTY_USER_DATA_DIR: join(dir, 'dev-data'), LOYALTY_CREDENTIAL_FILE: credential };
    const development = await start({ env });
    expect(development.app.setPath).toHaveBeenCalledWith('userData', join(dir, 'dev-data'));
    // The plain credential file is used: not-enrolled, rather than safeStorage's "no keyring" refusal.
    expect(await development.started?.api.hqStatus()).toMatchObject({ enrolled: false, lastError: null });

    const packaged = await start({ packaged: true, env });
    expect(packaged.app.setPath).not.toHaveBeenCalled();
    expect(await packaged.started?.api.hqStatus()).toMatchObject({
      enrolled: false,
      lastError: { code: 'not-enrolled', message: expect.stringContaining('safely') },
    });
  });
});

describe('Electron main: the entry point', () => {
  it('hands the electron modules to startTerminalApp', async () => {
    await import('../../src-main/index.js');
    expect(mocked.requestSingleInstanceLock).toHaveBeenCalled();
    expect(mocked.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: APP_SCHEME }),
    ]);
  });
});

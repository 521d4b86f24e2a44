// The kiosk window: full screen when packaged, sandboxed renderer, no way to navigate away or open new
// windows, devtools only in development, and a renderer that crashes or is killed comes back by itself.
// Electron is injected (the BrowserWindow class), so Node tests drive this with fakes.
import { backoffDelay } from '../src-shared/kernel/backoff.js';
import { join } from 'node:path';
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import { isAppFrameUrl } from './host/host-api.js';
import { APP_ORIGIN, secureWebPreferences } from './security.js';

export type BrowserWindowClass = typeof BrowserWindow;

export interface KioskWindowOptions {
  preloadDir: string;
  /** Full-screen kiosk (packaged builds). */
  kiosk: boolean;
  /** Whether devtools may open at all (unpackaged builds only). */
  devTools: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Timers for the reload backoff (tests pass fakes). */
  setTimeout?: (run: () => void, ms: number) => unknown;
  now?: () => number;
}

/** A renderer is reloaded at once this many times within CRASH_WINDOW_MS; after that with a doubling delay. */
export const CRASH_BURST = 3;
export const CRASH_WINDOW_MS = 60_000;
export const MAX_RELOAD_DELAY_MS = 30_000;

export const KIOSK_URL = `${APP_ORIGIN}/index.html`;

export function createKioskWindow(
  BrowserWindowCtor: BrowserWindowClass,
  options: KioskWindowOptions,
): BrowserWindow {
  const win = new BrowserWindowCtor({
    width: 1280,
    height: 800,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    webPreferences: {
      ...secureWebPreferences(join(options.preloadDir, 'index.cjs')),
      devTools: options.devTools,
    },
  });
  win.setMenu(null);
  guardWebContents(win.webContents);
  reloadWhenGone(win, options);
  void win.loadURL(KIOSK_URL);
  return win;
}

/** The part of WebContents the guards use. */
type GuardedContents = Pick<BrowserWindow['webContents'], 'on' | 'setWindowOpenHandler'>;

/** Navigation only within app://terminal; no new windows, no webviews. */
export function guardWebContents(contents: GuardedContents): void {
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppFrameUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Reloads the page when its renderer process is gone (crashed, killed, out of memory): the kiosk must never
 * be left showing a dead page. A renderer that keeps dying is reloaded with a doubling delay, so a page that
 * crashes on load does not spin the CPU.
 */
export function reloadWhenGone(
  win: BrowserWindow,
  options: Pick<KioskWindowOptions, 'log' | 'setTimeout' | 'now'> & {
    /** The page to load again (default the kiosk's; the customer window's is its own). */
    url?: string;
  },
): void {
  const url = options.url ?? KIOSK_URL;
  const schedule = options.setTimeout ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  let crashes: number[] = [];
  win.webContents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    const at = now();
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at];
    const over = crashes.length - CRASH_BURST;
    const delay = over <= 0 ? 0 : backoffDelay({ initialMs: 1000, maxMs: MAX_RELOAD_DELAY_MS }, over - 1);
    log('renderer gone: reloading', { reason: details.reason, exitCode: details.exitCode, delayMs: delay });
    const reload = (): void => {
      if (win.isDestroyed()) return;
      // A crashed renderer keeps no page to reload: load the page again.
      void win.loadURL(url).catch(() => undefined);
    };
    if (delay === 0) reload();
    else schedule(reload, delay);
  });
  win.webContents.on('unresponsive', () => log('renderer unresponsive'));
}

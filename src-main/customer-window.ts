// The customer-facing display under Electron: a second window, full screen on the second display, showing
// the customer page of the renderer build (app://terminal/customer/index.html) through its own preload,
// which exposes the customer view and nothing else (src-main/preload/customer.ts). Main forwards it the
// customer view only (TerminalApi.onCustomerView: the latest when the page loads, then every change);
// scans, device health and HQ's stream go to the cashier's window alone, and the customer page can invoke
// no TerminalApi method (app.ts refuses its frame).
//
// With one display there is no customer window; plugging a second one in opens it, unplugging closes it.
// Electron is injected (the BrowserWindow class and `screen`), so Node tests drive this with fakes.
import { join } from 'node:path';
import type { BrowserWindow, Display, Screen } from 'electron';
import { customerPushedMethods, pushedEntries, type TerminalApi } from '../src-shared/ipc/index.js';
import { forwardPushes } from './host/host-api.js';
import { APP_ORIGIN, secureWebPreferences } from './security.js';
import { guardWebContents, reloadWhenGone, type BrowserWindowClass } from './window.js';

/** The customer page in the app:// origin. */
export const CUSTOMER_URL = `${APP_ORIGIN}/customer/index.html`;

/** Whether an IPC sender is the customer page (which may invoke nothing). */
export const isCustomerFrameUrl = (url: string | null | undefined): boolean =>
  typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/customer/`);

/** The part of a Display the choice looks at. */
export type DisplayLike = Pick<Display, 'id' | 'bounds' | 'internal'>;

/**
 * The display for the customer window: one that is not the primary (where the cashier's kiosk window
 * is), an external one before a built-in panel, then the leftmost; null with a single display (mirrored
 * screens count as one).
 */
export function chooseCustomerDisplay<D extends DisplayLike>(
  displays: readonly D[],
  primaryId: number,
): D | null {
  const others = displays.filter((d) => d.id !== primaryId);
  const sorted = [...others].sort(
    (a, b) => Number(a.internal) - Number(b.internal) || a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y,
  );
  return sorted[0] ?? null;
}

export interface CustomerWindowOptions {
  preloadDir: string;
  /** Full screen on its display (packaged builds); a window there otherwise. */
  kiosk: boolean;
  devTools: boolean;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Opens the customer window on `display`: sandboxed, its own preload, no navigation, no menu. */
export function createCustomerWindow(
  BrowserWindowCtor: BrowserWindowClass,
  display: DisplayLike,
  options: CustomerWindowOptions,
): BrowserWindow {
  const { x, y, width, height } = display.bounds;
  const win = new BrowserWindowCtor({
    x,
    y,
    width,
    height,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    frame: !options.kiosk,
    autoHideMenuBar: true,
    // The customer never types into it: it must not take the focus from the cashier's window.
    focusable: false,
    backgroundColor: '#f8fafc',
    title: 'Customer display',
    webPreferences: {
      ...secureWebPreferences(join(options.preloadDir, 'customer.cjs')),
      devTools: options.devTools,
    },
  });
  win.setMenu(null);
  guardWebContents(win.webContents);
  reloadWhenGone(win, { ...(options.log ? { log: options.log } : {}), url: CUSTOMER_URL });
  void win.loadURL(CUSTOMER_URL);
  return win;
}

export interface CustomerDisplay {
  /** The customer window (null with one display, or once closed). */
  window(): BrowserWindow | null;
  /** Closes the window and stops following the displays. */
  close(): void;
}

/**
 * Keeps a customer window on the second display while there is one, fed with the customer view: opens it
 * now if a second display is there, and again whenever displays are added or removed.
 */
export function startCustomerDisplay(deps: {
  BrowserWindow: BrowserWindowClass;
  screen: Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'on' | 'removeListener'>;
  api: TerminalApi;
  options: CustomerWindowOptions;
}): CustomerDisplay {
  const { screen, api, options } = deps;
  let win: BrowserWindow | null = null;
  let on: DisplayLike | null = null;
  let stopForwarding: (() => void) | null = null;
  let stopped = false;

  const shut = (): void => {
    stopForwarding?.();
    stopForwarding = null;
    const closing = win;
    win = null;
    on = null;
    if (closing && !closing.isDestroyed()) closing.close();
  };

  const follow = (): void => {
    if (stopped) return;
    const display = chooseCustomerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    if (display === null) return shut();
    if (win && !win.isDestroyed() && on?.id === display.id) {
      win.setBounds(display.bounds);
      return;
    }
    shut();
    const opened = createCustomerWindow(deps.BrowserWindow, display, options);
    win = opened;
    on = display;
    let latest: unknown = null;
    const send = (channel: string, payload: unknown): void => {
      latest = payload;
      if (!opened.isDestroyed()) opened.webContents.send(channel, payload);
    };
    // The latest view at once (the relay replays it), then every change; again after each (re)load.
    stopForwarding = forwardPushes(api, send, customerPushedMethods);
    opened.webContents.on('did-finish-load', () => {
      if (latest !== null && !opened.isDestroyed())
        opened.webContents.send(pushedEntries.onCustomerView.channel, latest);
    });
    opened.on('closed', () => {
      if (win === opened) {
        stopForwarding?.();
        stopForwarding = null;
        win = null;
        on = null;
      }
    });
  };

  const changed = (): void => follow();
  screen.on('display-added', changed);
  screen.on('display-removed', changed);
  screen.on('display-metrics-changed', changed);
  follow();

  return {
    window: () => win,
    close() {
      stopped = true;
      screen.removeListener('display-added', changed);
      screen.removeListener('display-removed', changed);
      screen.removeListener('display-metrics-changed', changed);
      shut();
    },
  };
}

// Electron main, as a function of the Electron modules it uses (src-main/index.ts passes the real ones,
// Node tests pass fakes): single-instance lock, the app:// scheme serving the built renderer, deny-all
// permissions, no menu, the kiosk window, and the TerminalApi handlers over IPC. The terminal host itself
// (HQ link, devices, the program's card patterns, TerminalApi) is composed by src-main/host/compose.ts,
// as for `npm start` and the end-to-end harness; here it is served over Electron IPC. The terminal
// credential and HQ traffic stay in this process: the renderer reaches HQ only through TerminalApi
// (validated arguments, from our app:// frame only). A second display gets the customer-facing window
// (customer-window.ts), which hears the customer view only and may invoke nothing.
//
// Development switches (ignored when packaged, so a kiosk's behaviour cannot be changed from outside):
//   LOYALTY_USER_DATA_DIR   Electron's userData folder (IndexedDB, the config, the credential, main's files)
//   LOYALTY_CREDENTIAL_FILE keep the HQ credential in this plain JSON file (mode 0600) instead of
//                           encrypting it with safeStorage (`npm start` enrolls the terminal this way)
// Always: LOYALTY_TERMINAL_CONFIG, the terminal configuration file (default <userData>/terminal.json).
import { join } from 'node:path';
import type * as Electron from 'electron';
import pino, { type Logger } from 'pino';
import { cashierPushedMethods, type TerminalApi } from '../src-shared/ipc/index.js';
import { formatProblems } from '../src-shared/kernel/problems.js';
import { loadTerminalConfig } from './config.js';
import type { DeviceManager, SerialBinding } from './devices/index.js';
import { composeTerminalHost } from './host/compose.js';
import { forwardPushes, invokedChannels, invokeHostApi, isAppFrameUrl } from './host/host-api.js';
import { readStaticFile } from './host/static-files.js';
import { fileCredentialStore, safeStorageCredentialStore } from './hq/credential-store.js';
import type { TerminalLink } from './hq/terminal-link.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';
import { isCustomerFrameUrl, startCustomerDisplay, type CustomerDisplay } from './customer-window.js';
import { createKioskWindow } from './window.js';

/** The Electron modules main uses. */
export type ElectronMain = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'Menu' | 'safeStorage' | 'screen'
>;

export interface TerminalAppOptions {
  /** The built renderer (out/renderer) and the folder of the CommonJS preload (out/preload). */
  rendererDir: string;
  preloadDir: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** The serial binding (default: the platform's). */
  binding?: () => SerialBinding;
}

export interface TerminalApp {
  api: TerminalApi;
  link: TerminalLink;
  devices: DeviceManager;
  /** The kiosk window (null once closed). */
  window(): Electron.BrowserWindow | null;
  /** The customer-facing window on the second display (null without one). */
  customerWindow(): Electron.BrowserWindow | null;
}

/** Registers the app:// scheme's handler: files of the built renderer only, each with the kiosk's CSP. */
export function registerAppProtocol(protocol: ElectronMain['protocol'], rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    let pathname: string;
    try {
      pathname = new URL(request.url).pathname;
    } catch {
      return new Response('bad request', { status: 400 });
    }
    const found = await readStaticFile(rendererDir, pathname);
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    };
    if (found.status !== 200) {
      return new Response(found.body, {
        status: found.status,
        headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    return new Response(new Uint8Array(found.body), {
      headers: { ...headers, 'content-type': found.contentType },
    });
  });
}

/**
 * Every invoked TerminalApi channel: only our app:// frame may call, and not the customer display's page
 * (it only hears the customer view); the host API validates arguments.
 */
export function registerIpcHandlers(ipcMain: ElectronMain['ipcMain'], api: TerminalApi): void {
  for (const channel of invokedChannels) {
    ipcMain.handle(channel, (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => {
      const url = event.senderFrame?.url;
      if (!isAppFrameUrl(url) || isCustomerFrameUrl(url)) {
        throw new Error('TerminalApi answers the terminal app only.');
      }
      return invokeHostApi(api, channel, args);
    });
  }
}

/**
 * Starts the terminal. Resolves with its parts once the window is open, or null when this process quits
 * instead (another instance runs: it is focused; or the configuration is bad).
 */
export async function startTerminalApp(
  electron: ElectronMain,
  options: TerminalAppOptions,
): Promise<TerminalApp | null> {
  const { app, protocol, session, ipcMain, Menu, BrowserWindow } = electron;
  const env = options.env ?? process.env;
  const log = options.logger ?? pino({ name: 'terminal' });
  const development = !app.isPackaged;

  // The single-instance lock lives in the userData folder: choose it first.
  if (development && env.LOYALTY_USER_DATA_DIR) app.setPath('userData', env.LOYALTY_USER_DATA_DIR);
  // A second kiosk process would fight the first for the serial ports: it focuses the first and quits.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  let win: Electron.BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  Menu.setApplicationMenu(null);
  registerAppProtocol(protocol, options.rendererDir);
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);

  const userData = app.getPath('userData');
  const configPath = env.LOYALTY_TERMINAL_CONFIG ?? join(userData, 'terminal.json');
  const config = loadTerminalConfig(configPath);
  if (!config.ok) {
    log.error(`Bad terminal configuration ${configPath}:\n${formatProblems(config.error)}`);
    app.exit(2);
    return null;
  }
  // The HQ credential is encrypted with the OS keyring; without one (Linux basic_text) enrollment is refused.
  const credentialFile = development ? env.LOYALTY_CREDENTIAL_FILE : undefined;
  const host = composeTerminalHost({
    config: config.value,
    credentials: credentialFile
      ? fileCredentialStore(credentialFile)
      : safeStorageCredentialStore(electron.safeStorage, join(userData, 'hq-credential.json')),
    dataDir: userData,
    version: app.getVersion(),
    logger: log,
    ...(options.binding ? { binding: options.binding() } : {}),
  });
  let customer: CustomerDisplay | null = null;
  // The cashier's windows: every window but the customer display's, which is fed on its own.
  const toWindows = (channel: string, payload: unknown): void => {
    const customerWindow = customer?.window() ?? null;
    for (const open of BrowserWindow.getAllWindows()) {
      if (open !== customerWindow && !open.isDestroyed()) open.webContents.send(channel, payload);
    }
  };
  await host.start({
    kind: 'electron',
    attach: (api) => {
      registerIpcHandlers(ipcMain, api);
      // The cashier's pushed methods (scans, device health, the HQ stream) go to the cashier's window,
      // checked by the host API; main listens for the whole session, so the stream runs while enrolled.
      // (The invoke handlers stay until the process ends: only the pushes are detached.) The customer
      // view goes to the customer window alone (customer-window.ts).
      return forwardPushes(api, toWindows, cashierPushedMethods);
    },
  });
  app.on('before-quit', () => {
    customer?.close();
    void host.close();
  });

  win = createKioskWindow(BrowserWindow, {
    preloadDir: options.preloadDir,
    kiosk: app.isPackaged,
    devTools: development,
    log: (message, fields) => log.warn(fields ?? {}, message),
  });
  // The customer-facing display, on a second display when there is one (opened and closed as they come).
  customer = startCustomerDisplay({
    BrowserWindow,
    screen: electron.screen,
    api: host.api,
    options: {
      preloadDir: options.preloadDir,
      kiosk: app.isPackaged,
      devTools: development,
      log: (message, fields) => log.warn(fields ?? {}, message),
    },
  });
  win.on('closed', () => {
    win = null;
    // The cashier's window gone, the customer's goes too (and the app quits: no window is left).
    customer?.close();
  });
  return {
    api: host.api,
    link: host.link,
    devices: host.devices,
    window: () => win,
    customerWindow: () => customer?.window() ?? null,
  };
}

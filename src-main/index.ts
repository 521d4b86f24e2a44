// Electron main: single instance, the app:// scheme serving the built renderer, deny-all permissions,
// and the TerminalApi handlers. The terminal credential and HQ traffic stay in this process: the renderer
// reaches HQ only through TerminalApi (validated arguments, from our app:// frame only).
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  safeStorage,
  session,
  Menu,
  type IpcMainInvokeEvent,
} from 'electron';
import pino from 'pino';
import { channels } from '../src-shared/ipc/index.js';
import { formatProblems } from '../src-shared/kernel/problems.js';
import { loadTerminalConfig } from './config.js';
import { DeviceManager, systemBinding } from './devices/index.js';
import { createHostApi, invokedChannels, invokeHostApi, isAppFrameUrl } from './host/host-api.js';
import { bridgeScans } from './host/scan-bridge.js';
import { safeStorageCredentialStore } from './hq/credential-store.js';
import { TerminalLink } from './hq/terminal-link.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';
import { createKioskWindow } from './window.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  Menu.setApplicationMenu(null);
  const rendererDir = join(import.meta.dirname, '../renderer');
  protocol.handle(APP_SCHEME, async (request) => {
    const path = normalize(decodeURIComponent(new URL(request.url).pathname)).replace(/^([/\\])+/, '');
    const file = join(rendererDir, path || 'index.html');
    if (!file.startsWith(rendererDir)) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const configPath = process.env.LOYALTY_TERMINAL_CONFIG ?? join(app.getPath('userData'), 'terminal.json');
  const config = loadTerminalConfig(configPath);
  if (!config.ok) {
    console.error(`Bad terminal configuration ${configPath}:\n${formatProblems(config.error)}`);
    app.exit(2);
    return;
  }
  const devices = new DeviceManager(config.value.devices, {
    binding: systemBinding(),
    logger: pino({ name: 'devices' }),
  });
  const toWindows = (channel: string, payload: unknown): void => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(channel, payload);
  };
  bridgeScans(devices, toWindows);

  // The HQ credential is encrypted with the OS keyring; without one (Linux basic_text) enrollment is refused.
  const link = new TerminalLink({
    hqUrl: config.value.hqUrl,
    credentials: safeStorageCredentialStore(safeStorage, join(app.getPath('userData'), 'hq-credential.json')),
  });
  const api = createHostApi({
    link,
    devices,
    hostInfo: { host: 'electron', version: app.getVersion() },
  });
  // Every invoked channel: only our app:// frame may call, and the host API validates the arguments.
  for (const channel of invokedChannels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isAppFrameUrl(event.senderFrame?.url)) {
        throw new Error('TerminalApi answers the terminal app only.');
      }
      return invokeHostApi(api, channel, args);
    });
  }
  // Main listens for the whole session, so the stream runs while enrolled; windows get each message.
  api.onHqStream((message) => toWindows(channels.hqStream, message));
  devices.start();
  app.on('before-quit', () => {
    void devices.close();
    void link.stop();
  });
  createKioskWindow({ preloadDir: join(import.meta.dirname, '../preload'), kiosk: app.isPackaged });
});

app.on('window-all-closed', () => app.quit());

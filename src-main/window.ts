// The kiosk window: full screen, sandboxed renderer, and no way to navigate away or open new windows.
import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ORIGIN, secureWebPreferences } from './security.js';

export function createKioskWindow(options: { preloadDir: string; kiosk: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    kiosk: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#0f172a',
    webPreferences: secureWebPreferences(join(options.preloadDir, 'index.cjs')),
  });
  win.setMenu(null);
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

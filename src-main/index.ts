// Electron main's entry point: hands the real Electron modules to startTerminalApp (src-main/app.ts),
// where everything happens, so that Node tests can run the same code with fakes.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, screen, session } from 'electron';
import { startTerminalApp } from './app.js';

startTerminalApp(
  { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, screen, session },
  {
    rendererDir: join(import.meta.dirname, '../renderer'),
    preloadDir: join(import.meta.dirname, '../preload'),
  },
).catch((error: unknown) => {
  console.error('The terminal could not start:', error);
  app.exit(1);
});

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app.js';
import { speakLocale } from './i18n/index.js';
import { terminalApi } from './terminal.js';
import { installBrowserTerminal } from './transport/browser-terminal.js';

// zod probes for `new Function` to compile faster validators; the kiosk's CSP forbids eval, so say no up
// front instead of logging a CSP violation at every start.
z.config({ jitless: true });
installBrowserTerminal(); // the browser host's TerminalApi, unless Electron's preload set window.terminal
// The store's language (store settings from HQ, which main keeps for an offline start); English until then.
terminalApi()
  ?.hqStatus()
  .then((status) => (status.storeSettings ? speakLocale(status.storeSettings.locale) : undefined))
  .catch(() => undefined);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

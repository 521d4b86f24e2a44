import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { installBrowserTerminal } from './transport/browser-terminal.js';

installBrowserTerminal(); // the browser host's TerminalApi, unless Electron's preload set window.terminal

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

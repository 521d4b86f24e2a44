// The renderer's only door to the host: `window.terminal`, set by the Electron preload or the browser host.
import type { TerminalApi } from '../src-shared/ipc/index.js';

declare global {
  interface Window {
    terminal?: TerminalApi;
  }
}

export function terminalApi(): TerminalApi | null {
  return window.terminal ?? null;
}

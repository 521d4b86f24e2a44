// The harness page's window.terminal: the production browser transport (TerminalApi over the browser
// host's WebSocket, every answer checked with the contract's zod schemas), installed when this module is
// evaluated, before the database code runs. Test/support/browser-harness.ts serves the page through the
// browser host, with a real host side or a fake behind it.
import { installBrowserTerminal } from '../../../src-renderer/transport/browser-terminal.js';
import type { TerminalApi } from '../../../src-shared/ipc/index.js';

const installed = installBrowserTerminal();
if (!installed) throw new Error('the harness page must be served over http by the browser host');

export const bridge: TerminalApi = installed;

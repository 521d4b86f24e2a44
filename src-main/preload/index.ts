// The sandboxed preload: exposes TerminalApi as `window.terminal` and nothing else of Electron.
// What main pushes is validated again here, so a renderer never receives a malformed scan.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './api.js';

contextBridge.exposeInMainWorld('terminal', createPreloadApi(ipcRenderer));

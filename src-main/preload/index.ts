// The sandboxed preload: exposes TerminalApi as `window.terminal` and nothing else of Electron.
import { contextBridge, ipcRenderer } from 'electron';
import { channels, hostInfoSchema, type TerminalApi } from '../../src-shared/ipc/index.js';

const api: TerminalApi = {
  hostInfo: async () => hostInfoSchema.parse(await ipcRenderer.invoke(channels.hostInfo)),
};

contextBridge.exposeInMainWorld('terminal', api);

// The customer window's sandboxed preload: exposes the customer view main sends as
// `window.customerDisplay`, and nothing else of Electron or of TerminalApi (the customer's screen can
// neither ask main anything nor act). Checked again here against the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { createCustomerPreloadApi } from './api.js';

contextBridge.exposeInMainWorld('customerDisplay', createCustomerPreloadApi(ipcRenderer));

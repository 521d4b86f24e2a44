// TerminalApi over Electron IPC, built from an ipcRenderer-like object so tests can drive it without Electron.
// Derived from the contract table (src-shared/ipc/terminal-api.ts): an invoked method is invoked on its
// channel; a pushed one (scans, device health, HQ's stream) listens with `on`. Every answer and every
// pushed message is validated here, in the renderer's process: an answer that does not fit the contract
// rejects, a pushed message that does not fit is dropped.
import {
  buildTerminalApi,
  checkAnswer,
  deliverPushed,
  invokedEntries,
  pushedEntries,
  type CustomerView,
  type TerminalApi,
} from '../../src-shared/ipc/index.js';

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadApi(ipc: IpcRendererLike): TerminalApi {
  return buildTerminalApi({
    invoked: (method) => {
      const entry = invokedEntries[method];
      return async (...args) => checkAnswer(entry, await ipc.invoke(entry.channel, ...args));
    },
    pushed: (method) => (listener) => {
      const { channel } = pushedEntries[method];
      const deliver = deliverPushed(pushedEntries[method], listener);
      const handler = (_event: unknown, payload: unknown) => deliver(payload);
      ipc.on(channel, handler);
      return () => void ipc.removeListener(channel, handler);
    },
  });
}

/**
 * The customer display's bridge (`window.customerDisplay`, src-main/preload/customer.ts): the customer
 * view main sends, and nothing else — no invoke at all. Each message is checked against the contract's
 * entry; the last one is kept, so a page that subscribes after main sent it still shows it.
 */
export function createCustomerPreloadApi(ipc: Pick<IpcRendererLike, 'on'>): {
  onView(listener: (view: CustomerView) => void): () => void;
} {
  const entry = pushedEntries.onCustomerView;
  const listeners = new Set<(view: CustomerView) => void>();
  let latest: CustomerView | null = null;
  ipc.on(
    entry.channel,
    (_event, payload) =>
      void deliverPushed(entry, (view: CustomerView) => {
        latest = view;
        for (const listener of listeners) listener(view);
      })(payload),
  );
  return {
    onView(listener) {
      listeners.add(listener);
      if (latest !== null) listener(latest);
      return () => void listeners.delete(listener);
    },
  };
}

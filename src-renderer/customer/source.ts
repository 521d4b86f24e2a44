// Where the customer display hears the customer view from: Electron's customer preload
// (`window.customerDisplay`, src-main/preload/customer.ts) or, in a plain browser, the browser host's
// `/customer-view` socket, which only ever pushes that one message (src-main/host/browser-host.ts). Either
// way every message is checked against the contract's entry (TerminalApi.onCustomerView): one that does
// not fit is dropped. The socket comes back by itself with backoff; main sends the latest view on every
// (re)connection. The customer page has no TerminalApi: it can neither ask nor do anything.
import { backoffDelay } from '../../src-shared/kernel/backoff.js';
import { z } from 'zod';
import { deliverPushed, pushedEntries, type CustomerView } from '../../src-shared/ipc/index.js';
import { browserConnect, type Connect } from '../transport/browser-terminal.js';

/** The browser host's socket for the customer display. */
export const CUSTOMER_SOCKET_PATH = '/customer-view';

/** What the customer preload exposes as `window.customerDisplay`. */
export interface CustomerDisplayBridge {
  /** Hears every customer view main sends (the latest at once); returns the unsubscribe. */
  onView(listener: (view: unknown) => void): () => void;
}

declare global {
  interface Window {
    customerDisplay?: CustomerDisplayBridge;
  }
}

export interface CustomerViewSource {
  /** Hears the last view received at once (if any), then every valid view; returns the unsubscribe. */
  onView(listener: (view: CustomerView) => void): () => void;
  /** Whether the source is connected (always true under Electron). */
  onConnection(listener: (connected: boolean) => void): () => void;
  close(): void;
}

const pushSchema = z.object({ channel: z.string(), payload: z.unknown() }).strict();
const entry = pushedEntries.onCustomerView;

/** Views from Electron's customer preload, checked here too. */
export function bridgeSource(bridge: CustomerDisplayBridge): CustomerViewSource {
  return {
    onView: (listener) => bridge.onView(deliverPushed(entry, listener)),
    onConnection: (listener) => {
      listener(true);
      return () => undefined;
    },
    close: () => undefined,
  };
}

/** Views over the browser host's customer socket at `url`, reconnecting with backoff. */
export function socketSource(
  url: string,
  options: { connect?: Connect; reconnectMs?: { initial: number; max: number } } = {},
): CustomerViewSource {
  const connect = options.connect ?? browserConnect;
  const backoff = options.reconnectMs ?? { initial: 250, max: 5000 };
  const views = new Set<(view: CustomerView) => void>();
  const connections = new Set<(connected: boolean) => void>();
  let connected = false;
  let latest: CustomerView | null = null;
  let closed = false;
  let attempts = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let socket: { close(): void } | null = null;

  const setConnected = (value: boolean): void => {
    if (connected === value) return;
    connected = value;
    for (const listener of connections) listener(value);
  };
  const deliver = deliverPushed(entry, (view: CustomerView) => {
    latest = view;
    for (const listener of views) listener(view);
  });
  const open = (): void => {
    socket = connect(url, {
      onOpen: () => {
        attempts = 0;
        setConnected(true);
      },
      onMessage: (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return;
        }
        const message = pushSchema.safeParse(json);
        if (message.success && message.data.channel === entry.channel) deliver(message.data.payload);
      },
      onClose: () => {
        socket = null;
        setConnected(false);
        if (closed) return;
        const delay = backoffDelay({ initialMs: backoff.initial, maxMs: backoff.max }, attempts);
        attempts += 1;
        timer = setTimeout(open, delay);
      },
    });
  };
  open();
  return {
    onView: (listener) => {
      views.add(listener);
      if (latest !== null) listener(latest);
      return () => void views.delete(listener);
    },
    onConnection: (listener) => {
      connections.add(listener);
      listener(connected);
      return () => void connections.delete(listener);
    },
    close: () => {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
    },
  };
}

/** The page's source: Electron's bridge when the preload set one, else the host's socket. */
export function customerViewSource(): CustomerViewSource {
  if (window.customerDisplay) return bridgeSource(window.customerDisplay);
  const { protocol, host } = window.location;
  return socketSource(`${protocol === 'https:' ? 'wss' : 'ws'}://${host}${CUSTOMER_SOCKET_PATH}`);
}

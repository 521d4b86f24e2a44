// TerminalApi over the browser host's WebSocket (src-main/host/browser-host.ts): what `window.terminal` is
// when the renderer runs in a plain browser rather than under Electron's preload. Same origin, path
// `/terminal`:
//
//   renderer → host   { id, channel, args }         a request on an invoked channel
//   host → renderer   { id, result } | { id, error: { message } }     its answer
//   host → renderer   { channel, payload }          pushed: scans, device statuses, HQ's stream
//
// Like the preload, the methods are derived from the contract table (src-shared/ipc/terminal-api.ts), and
// every answer and every pushed message is validated with the entry's zod schemas: an answer that does
// not fit rejects, a pushed message that does not fit is dropped. The socket
// reconnects with backoff; requests made while it is down wait for it (up to the request timeout). When
// the host cannot be reached, the HQ methods answer 'offline' (a value, as the contract wants), the others
// reject. A dropped socket is a dropped HQ stream: listeners hear DISCONNECTED, and after reconnecting
// the host's stream starts again with RESYNC; device listeners get the current statuses again.
import { backoffDelay } from '../../src-shared/kernel/backoff.js';
import { z } from 'zod';
import {
  buildTerminalApi,
  channels,
  checkAnswer,
  deliverPushed,
  invokedEntries,
  pushedEntries,
  type DeviceStatus,
  type HqStreamMessage,
  type TerminalApi,
} from '../../src-shared/ipc/index.js';

export const TERMINAL_SOCKET_PATH = '/terminal';

/** What the transport needs of a WebSocket, so Node tests can pass a `ws` client. */
export interface SocketLike {
  send(text: string): void;
  close(): void;
}

export interface SocketEvents {
  onOpen(): void;
  /** A text message. */
  onMessage(text: string): void;
  /** The socket closed or could not connect (called once per socket). */
  onClose(): void;
}

export type Connect = (url: string, events: SocketEvents) => SocketLike;

export interface BrowserTerminalOptions {
  /** ws://<host>/terminal */
  url: string;
  /** Opens a socket; default: the browser's WebSocket. */
  connect?: Connect;
  /** A request with no answer by then fails (default 30 s). */
  requestTimeoutMs?: number;
  /** Reconnection backoff: first delay and ceiling (default 250 ms, 5 s). */
  reconnectMs?: { initial: number; max: number };
}

export interface BrowserTerminal extends TerminalApi {
  /** Whether the socket to the host is open now. */
  readonly connected: boolean;
  /** Called on every open and close of the socket; returns the unsubscribe. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
  /** Closes the socket for good; pending requests fail. (`close` is TerminalApi's day close.) */
  disconnect(): void;
}

const replySchema = z.union([
  z.object({ id: z.int().nullable(), error: z.object({ message: z.string() }).strict() }).strict(),
  z.object({ id: z.int(), result: z.unknown() }).strict(),
]);
const pushSchema = z.object({ channel: z.string(), payload: z.unknown() }).strict();

/** The host is not reachable (socket down, or no answer in time). */
export class HostUnreachableError extends Error {
  override readonly name = 'HostUnreachableError';
}

/** The browser's WebSocket, through the SocketLike interface. */
export const browserConnect: Connect = (url, events) => {
  const socket = new WebSocket(url);
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    events.onClose();
  };
  socket.onopen = () => events.onOpen();
  socket.onmessage = (message: MessageEvent) => {
    if (typeof message.data === 'string') events.onMessage(message.data);
  };
  socket.onclose = closeOnce;
  socket.onerror = () => {
    // 'close' follows an error; a socket that never opened may only say 'error' on some engines.
    if (socket.readyState === WebSocket.CLOSED) closeOnce();
  };
  return { send: (text) => socket.send(text), close: () => socket.close() };
};

/** ws:// (or wss://) and the page's host, path /terminal. */
export const terminalSocketUrl = (location: { protocol: string; host: string }): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${TERMINAL_SOCKET_PATH}`;

interface Pending {
  channel: string;
  text: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export function createBrowserTerminal(options: BrowserTerminalOptions): BrowserTerminal {
  const connect = options.connect ?? browserConnect;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const backoff = options.reconnectMs ?? { initial: 250, max: 5000 };

  let socket: SocketLike | null = null;
  let open = false;
  let closedForGood = false;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** By channel; each listener checks the payload against its own entry (deliverPushed). */
  const pushListeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();

  const notify = <T>(listeners: Set<(value: T) => void>, value: T): void => {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch {
        // One listener's failure must not starve the others.
      }
    }
  };

  const settle = (id: number, outcome: { result: unknown } | { error: Error }): void => {
    const request = pending.get(id);
    if (!request) return;
    pending.delete(id);
    clearTimeout(request.timer);
    if ('error' in outcome) request.reject(outcome.error);
    else request.resolve(outcome.result);
  };

  const onMessage = (text: string): void => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const reply = replySchema.safeParse(json);
    if (reply.success) {
      const message = reply.data;
      if (message.id === null) return;
      if ('error' in message) {
        settle(message.id, { error: new Error(message.error.message) });
      } else {
        settle(message.id, { result: message.result });
      }
      return;
    }
    const pushed = pushSchema.safeParse(json);
    if (!pushed.success) return;
    const { channel, payload } = pushed.data;
    hear(channel, payload);
  };

  /** Hands a pushed message to the listeners of its channel (none for an unknown channel). */
  const hear = (channel: string, payload: unknown): void => {
    const listeners = pushListeners.get(channel);
    if (listeners) notify(listeners, payload);
  };
  const listening = (channel: string): boolean => (pushListeners.get(channel)?.size ?? 0) > 0;

  const onOpen = (): void => {
    open = true;
    attempts = 0;
    for (const request of pending.values()) {
      if (!request.sent && socket) {
        request.sent = true;
        socket.send(request.text);
      }
    }
    notify(connectionListeners, true);
    // Device health may have changed while the socket was down.
    if (listening(channels.deviceStatus)) {
      api.deviceStatuses().then(
        (statuses) => statuses.forEach((status: DeviceStatus) => hear(channels.deviceStatus, status)),
        () => undefined,
      );
    }
  };

  const onClose = (): void => {
    const wasOpen = open;
    open = false;
    socket = null;
    // Requests already sent may or may not have been carried out: their callers decide (HQ is idempotent).
    for (const [id, request] of [...pending]) {
      if (request.sent)
        settle(id, { error: new HostUnreachableError('The connection to the terminal host dropped.') });
    }
    if (wasOpen) {
      notify(connectionListeners, false);
      const dropped: HqStreamMessage = { type: 'DISCONNECTED' };
      hear(channels.hqStream, dropped);
    }
    scheduleReconnect();
  };

  function scheduleReconnect(): void {
    if (closedForGood || reconnectTimer) return;
    // Half the wait random, so a restarted host is not met by every tab at once.
    const delay = backoffDelay({ initialMs: backoff.initial, maxMs: backoff.max, jitter: 0.5 }, attempts);
    attempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      start();
    }, delay);
  }

  function start(): void {
    if (closedForGood || socket) return;
    let current: SocketLike | null = null;
    let closed = false;
    const events: SocketEvents = {
      onOpen: () => {
        if (current && socket === current) onOpen();
      },
      onMessage: (text) => {
        if (current && socket === current) onMessage(text);
      },
      onClose: () => {
        if (closed) return;
        closed = true;
        if (socket === current || socket === null) onClose();
      },
    };
    try {
      current = connect(options.url, events);
      if (!closed) socket = current;
    } catch {
      closed = true;
      onClose();
    }
  }

  function call(channel: string, args: unknown[]): Promise<unknown> {
    if (closedForGood) return Promise.reject(new HostUnreachableError('The terminal transport is closed.'));
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const text = JSON.stringify({ id, channel, args });
      const timer = setTimeout(
        () =>
          settle(id, {
            error: new HostUnreachableError(`The terminal host did not answer on ${channel} in time.`),
          }),
        timeoutMs,
      );
      const request: Pending = { channel, text, sent: false, resolve, reject, timer };
      pending.set(id, request);
      if (open && socket) {
        request.sent = true;
        socket.send(text);
      }
    });
  }

  const subscribe =
    <T>(listeners: Set<(value: T) => void>) =>
    (listener: (value: T) => void): (() => void) => {
      const own = (value: T): void => listener(value);
      listeners.add(own);
      return () => void listeners.delete(own);
    };

  const api: BrowserTerminal = {
    get connected() {
      return open;
    },
    onConnectionChange: subscribe(connectionListeners),
    disconnect() {
      closedForGood = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const current = socket;
      socket = null;
      open = false;
      current?.close();
      for (const id of [...pending.keys()]) {
        settle(id, { error: new HostUnreachableError('The terminal transport is closed.') });
      }
    },

    ...buildTerminalApi({
      invoked: (method) => {
        const entry = invokedEntries[method];
        return async (...args) => {
          try {
            return checkAnswer(entry, await call(entry.channel, args));
          } catch (error) {
            // An HQ call answers an unreachable host as HQ unreachable: the contract's 'offline' value.
            if (!(entry.failures && error instanceof HostUnreachableError)) throw error;
            return entry.failures.offline(`The terminal host is not reachable: ${error.message}`);
          }
        };
      },
      pushed: (method) => (listener) => {
        const { channel } = pushedEntries[method];
        const own = deliverPushed(pushedEntries[method], listener);
        const listeners = pushListeners.get(channel) ?? new Set();
        pushListeners.set(channel, listeners.add(own));
        return () => void listeners.delete(own);
      },
    }),
  };
  start();
  return api;
}

/**
 * Sets `window.terminal` to the browser transport when no host put one there (the Electron preload does),
 * for a page served over http(s) by the browser host. Returns the TerminalApi in use, or null.
 */
export function installBrowserTerminal(): TerminalApi | null {
  if (window.terminal) return window.terminal;
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  const api = createBrowserTerminal({ url: terminalSocketUrl(location) });
  // Fixed, as contextBridge makes it under Electron: page code cannot swap the door to the host.
  Object.defineProperty(window, 'terminal', {
    value: Object.freeze(api),
    writable: false,
    configurable: false,
  });
  return api;
}

// Fakes for the host tests: an HqApi that answers from memory, serial devices a test drives by hand, a
// renderer folder on disk, and a `ws` client that records what the browser host sends (waited on by
// predicate, never by time).
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { HostDevices } from '../../../src-main/host/host-api.js';
import type {
  DeviceStatus,
  HqApi,
  HqLinkStatus,
  HqStreamMessage,
  ScanEvent,
} from '../../../src-shared/ipc/index.js';
import type { Connect } from '../../../src-renderer/transport/browser-terminal.js';

export const scan: ScanEvent = {
  deviceId: 'front-scanner',
  role: 'barcode',
  at: '2026-11-23T10:00:00.000Z',
  result: { kind: 'nfc-uid', uid: '04A224B2C35E80' },
};

export const status: DeviceStatus = {
  deviceId: 'front-scanner',
  role: 'barcode',
  path: '/dev/ttyACM0',
  state: 'connected',
  lastFrameAt: null,
  frames: 0,
  rejected: 0,
  errors: 0,
  lastError: null,
};

/** Devices whose scans and statuses the test emits; counts listeners so a test can see unsubscribes. */
export function fakeDevices(statuses: DeviceStatus[] = [status]) {
  const emitter = new EventEmitter();
  const devices: HostDevices = {
    onScan: (listener) => {
      emitter.on('scan', listener);
      return () => void emitter.off('scan', listener);
    },
    onStatus: (listener) => {
      emitter.on('status', listener);
      return () => void emitter.off('status', listener);
    },
    statuses: () => statuses,
  };
  return {
    devices,
    emitScan: (event: ScanEvent) => emitter.emit('scan', event),
    emitStatus: (value: DeviceStatus) => emitter.emit('status', value),
    listeners: () => emitter.listenerCount('scan') + emitter.listenerCount('status'),
  };
}

const linkStatus: HqLinkStatus = {
  enrolled: true,
  terminalId: 't-1',
  storeId: 's-1',
  online: true,
  lastContactAt: null,
  lastError: null,
};

/** An HqApi answering from memory; `emitStream` feeds its stream listeners. */
export function fakeLink() {
  const listeners = new Set<(message: HqStreamMessage) => void>();
  const link: HqApi = {
    hqStatus: async () => linkStatus,
    enroll: async () => ({ ok: true, value: { terminalId: 't-1', storeId: 's-1' } }),
    replicationKey: async () => 'a'.repeat(64),
    pull: async (_collection, _checkpoint) => ({
      ok: true,
      value: { documents: [], checkpoint: { seq: 0 } },
    }),
    snapshot: async () => ({ ok: false, error: { code: 'offline', message: 'HQ is down' } }),
    push: async () => ({ ok: false, error: { code: 'offline', message: 'HQ is down' } }),
    close: async () => ({ ok: false, error: { code: 'offline', message: 'HQ is down' } }),
    lookup: async () => ({ ok: true, value: [] }),
    onHqStream: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return {
    link,
    emitStream: (message: HqStreamMessage) => listeners.forEach((l) => l(message)),
    streamListeners: () => listeners.size,
  };
}

/** A renderer folder with an index.html, a script and a secret file beside (not inside) it. */
export function rendererFixture() {
  const root = mkdtempSync(join(tmpdir(), 'browser-host-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Loyalty Terminal</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'credential');
  return { root, rendererDir };
}

/** A ws client that records every message it receives. */
export interface RecordingClient {
  socket: WebSocket;
  messages: unknown[];
  /** Resolves with the first message (received already or later) that satisfies `check`. */
  next(check: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /** Sends `{ id, channel, args }` and resolves with the reply of that id. */
  call(id: number, channel: string, ...args: unknown[]): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

export async function openClient(
  url: string,
  origin: string | undefined,
  headers: Record<string, string> = {},
): Promise<RecordingClient> {
  const socket = new WebSocket(url, { ...(origin === undefined ? {} : { origin }), headers });
  const messages: unknown[] = [];
  const waiters: Array<{
    check: (m: Record<string, unknown>) => boolean;
    done: (m: Record<string, unknown>) => void;
  }> = [];
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.check(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done(message);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = (check: (m: Record<string, unknown>) => boolean) => {
    const found = (messages as Record<string, unknown>[]).find(check);
    if (found) return Promise.resolve(found);
    return new Promise<Record<string, unknown>>((done) => waiters.push({ check, done }));
  };
  return {
    socket,
    messages,
    next,
    call(id, channel, ...args) {
      socket.send(JSON.stringify({ id, channel, args }));
      return next((m) => m.id === id);
    },
    closed,
  };
}

/**
 * The renderer transport's Connect over a `ws` client (Node has no browser WebSocket), with an Origin and
 * the Cookie a browser would send (read at each connect: a restarted host hands out a new session).
 */
export const wsConnect =
  (origin: string, cookie: () => string | undefined = () => undefined): Connect =>
  (url, events) => {
    const sent = cookie();
    const socket = new WebSocket(url, { origin, headers: sent === undefined ? {} : { cookie: sent } });
    socket.on('open', () => events.onOpen());
    socket.on('message', (data, isBinary) => {
      if (!isBinary) events.onMessage((data as Buffer).toString('utf8'));
    });
    socket.on('close', () => events.onClose());
    socket.on('error', () => undefined); // 'close' follows
    return { send: (text) => socket.send(text), close: () => socket.close() };
  };

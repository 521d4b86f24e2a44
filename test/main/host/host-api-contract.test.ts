// Every entry of the TerminalApi contract table is served by main's dispatcher and reaches the renderer
// through both transports: the preload over a fake ipcRenderer (main side: invokeHostApi and
// forwardPushes, as Electron main wires them) and the WebSocket client over a fake socket (main side: the
// browser host's message shapes). The samples below are typed by the table, so a new method does not
// compile here until it has a sample, and then it is checked like the others.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createHostApi, forwardPushes, invokeHostApi } from '../../../src-main/host/host-api.js';
import { createPreloadApi, type IpcRendererLike } from '../../../src-main/preload/api.js';
import { createBrowserTerminal, type Connect } from '../../../src-renderer/transport/browser-terminal.js';
import {
  invokedChannels,
  invokedEntries,
  invokedMethods,
  pushedChannels,
  pushedEntries,
  pushedMethods,
  terminalMethods,
  type ArgsOf,
  type HqApi,
  type InvokedApi,
  type InvokedMethod,
  type PayloadOf,
  type PushedApi,
  type PushedMethod,
  type ResultOf,
  type TerminalApi,
} from '../../../src-shared/ipc/index.js';
import { eventFactory } from '../../support/events.js';
import { scan, status } from './fakes.js';
import { SALE_VIEW } from '../../support/customer-views.js';

const event = eventFactory({ terminalId: 't-1', storeId: 's-1' }).enrolled('m-1');
const peerEvent = eventFactory({ terminalId: 't-2', storeId: 's-1' }).enrolled('m-1');
const figures = {
  businessDay: '2026-11-23',
  firstSeq: 1,
  lastSeq: 1,
  count: 1,
  lastHash: null,
  pointsIssued: 0,
  pointsRedeemed: 0,
};

const customerView = SALE_VIEW;

const sampleArgs: { [K in InvokedMethod]: ArgsOf[K] } = {
  hostInfo: [],
  checkPin: [{ staffId: 'manon', pin: '1357', purpose: 'manager' }],
  phoneLookupKey: ['+353871234567'],
  deviceStatuses: [],
  printSlip: [
    {
      kind: 'earn',
      eventId: event.id,
      lines: [{ kind: 'pair', label: 'Points earned', value: '+12', strong: true }],
    },
  ],
  setCustomerView: [customerView],
  hqStatus: [],
  enroll: [{ code: 'K7QM-2XHD-R9TB', name: 'Till 1' }],
  replicationKey: [],
  pull: ['members', { seq: 1 }, 50],
  snapshot: [{ checkpoint: { seq: 4 }, after: 'm-1' }, 1_000],
  push: [[event]],
  close: [figures],
  lookup: [{ card: '0490000000017' }],
  lanStatus: [],
  peerEvents: ['m-1'],
  keepOwnEvents: [[event]],
};

const sampleAnswers: { [K in InvokedMethod]: ResultOf[K] } = {
  hostInfo: { host: 'browser', version: '0.1.0' },
  checkPin: { ok: false, reason: 'locked', lockedUntil: '2026-11-23T09:00:30.000Z' },
  phoneLookupKey: { ok: true, lookupKey: 'b'.repeat(64) },
  deviceStatuses: [status],
  printSlip: { printed: false, reason: 'paper-out', message: 'Out of paper.' },
  setCustomerView: null,
  hqStatus: {
    enrolled: false,
    terminalId: null,
    storeId: null,
    online: false,
    lastContactAt: '2026-11-23T09:00:00.000Z',
    lastError: { code: 'not-enrolled', message: 'Enroll this terminal.' },
  },
  enroll: { ok: true, value: { terminalId: 't-1', storeId: 's-1' } },
  replicationKey: 'a'.repeat(64),
  pull: { ok: true, value: { documents: [{ any: 'thing' }], checkpoint: { seq: 3 } } },
  snapshot: {
    ok: true,
    value: { documents: [{ any: 'thing' }], checkpoint: { seq: 4 }, last: 'm-2', done: true },
  },
  push: { ok: true, value: { results: [] } },
  close: { ok: false, error: { code: 'offline', message: 'HQ is down' } },
  lookup: { ok: true, value: [] },
  lanStatus: { enabled: true, reachable: 1, known: 2 },
  peerEvents: [peerEvent],
  keepOwnEvents: null,
};

const samplePayloads: { [K in PushedMethod]: PayloadOf[K] } = {
  onScan: scan,
  onDeviceStatus: { ...status, frames: 7 },
  onHqStream: { type: 'changed', collections: ['members'] },
  onCustomerView: customerView,
  onLanStatus: { enabled: true, reachable: 0, known: 2 },
  onPeerEvents: { memberIds: ['m-1', 'm-2'] },
};

/** Main's side: createHostApi over a link and devices that answer the samples and record what they get. */
function mainSide() {
  const calls: unknown[][] = [];
  const sources = new EventEmitter();
  const source =
    <K extends PushedMethod>(method: K) =>
    (listener: (payload: PayloadOf[K]) => void): (() => void) => {
      sources.on(method, listener);
      return () => void sources.off(method, listener);
    };
  const answer =
    <K extends InvokedMethod>(method: K) =>
    (...args: unknown[]): Promise<ResultOf[K]> => {
      calls.push([method, ...args]);
      return Promise.resolve(sampleAnswers[method]);
    };
  const link: HqApi = {
    hqStatus: answer('hqStatus'),
    enroll: answer('enroll'),
    replicationKey: answer('replicationKey'),
    pull: answer('pull'),
    snapshot: answer('snapshot'),
    push: answer('push'),
    close: answer('close'),
    lookup: answer('lookup'),
    onHqStream: source('onHqStream'),
  };
  const api = createHostApi({
    link,
    devices: {
      onScan: source('onScan'),
      onStatus: source('onDeviceStatus'),
      statuses: () => sampleAnswers.deviceStatuses,
      printSlip: answer('printSlip'),
    },
    customerView: {
      set: (view) => void answer('setCustomerView')(view),
      onView: source('onCustomerView'),
    },
    hostInfo: sampleAnswers.hostInfo,
    pins: { checkPin: answer('checkPin') },
    phones: { lookupKey: answer('phoneLookupKey') },
    lan: {
      status: () => sampleAnswers.lanStatus,
      onStatus: source('onLanStatus'),
      peerEvents: answer('peerEvents'),
      onPeerEvents: source('onPeerEvents'),
    },
  });
  const emit = <K extends PushedMethod>(method: K, payload: PayloadOf[K]) => sources.emit(method, payload);
  return { api, calls, emit, sources };
}

/** The preload, over an ipcRenderer whose invokes main's dispatcher answers (IPC copies every value). */
function overIpc(main: ReturnType<typeof mainSide>): TerminalApi {
  const renderer = new EventEmitter();
  forwardPushes(main.api, (channel, payload) => renderer.emit(channel, {}, structuredClone(payload)));
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) =>
      structuredClone(await invokeHostApi(main.api, channel, structuredClone(args))),
    on: (channel, listener) => renderer.on(channel, listener),
    removeListener: (channel, listener) => renderer.removeListener(channel, listener),
  };
  return createPreloadApi(ipc);
}

/** The WebSocket client, over a socket whose far end speaks the browser host's messages. */
function overSocket(main: ReturnType<typeof mainSide>): TerminalApi {
  const connect: Connect = (_url, events) => {
    const stop = forwardPushes(main.api, (channel, payload) =>
      events.onMessage(JSON.stringify({ channel, payload })),
    );
    queueMicrotask(() => events.onOpen());
    return {
      send(text) {
        const { id, channel, args } = JSON.parse(text) as { id: number; channel: string; args: unknown[] };
        void invokeHostApi(main.api, channel, args).then(
          (result) => events.onMessage(JSON.stringify({ id, result })),
          (error: Error) => events.onMessage(JSON.stringify({ id, error: { message: error.message } })),
        );
      },
      close() {
        stop();
        events.onClose();
      },
    };
  };
  return createBrowserTerminal({ url: 'ws://127.0.0.1:1/terminal', connect });
}

const invoke = <K extends InvokedMethod>(api: InvokedApi, method: K) => api[method](...sampleArgs[method]);
const listen = <K extends PushedMethod>(api: PushedApi, method: K) => {
  const heard: Array<PayloadOf[K]> = [];
  const off = api[method]((payload) => heard.push(payload));
  return { heard, off };
};

describe('TerminalApi contract: every entry on every transport', () => {
  it('lists every method once, each on its own channel', () => {
    expect([...invokedMethods, ...pushedMethods].sort()).toEqual([...terminalMethods].sort());
    const all = [...invokedChannels, ...pushedChannels];
    expect(new Set(all).size).toBe(terminalMethods.length);
    expect(Object.keys(sampleArgs).sort()).toEqual([...invokedMethods].sort());
    expect(Object.keys(samplePayloads).sort()).toEqual([...pushedMethods].sort());
  });

  for (const [name, transport] of [
    ['in process', (main: ReturnType<typeof mainSide>) => main.api],
    ['the preload over IPC', overIpc],
    ['the WebSocket client', overSocket],
  ] as const) {
    it(`${name}: every invoked method reaches main's method with its arguments, and answers`, async () => {
      const main = mainSide();
      const api = transport(main);
      for (const method of terminalMethods) expect(typeof api[method], method).toBe('function');
      for (const method of invokedMethods) {
        expect(await invoke(api, method), method).toEqual(sampleAnswers[method]);
      }
      // The link's methods, main's PIN check and its phone lookup saw exactly the renderer's arguments;
      // hostInfo and deviceStatuses are the host's. The slip reached the devices as the renderer sent it,
      // the customer view its relay, the member id the LAN's peers' events.
      expect(main.calls).toEqual(
        invokedMethods
          .filter(
            (method) =>
              invokedEntries[method].channel.startsWith('terminal:hq-') ||
              method === 'checkPin' ||
              method === 'phoneLookupKey' ||
              method === 'printSlip' ||
              method === 'setCustomerView' ||
              method === 'peerEvents',
          )
          .map((method) => [method, ...sampleArgs[method]]),
      );
    });

    it(`${name}: every pushed method hears main's messages until unsubscribed`, async () => {
      const main = mainSide();
      const api = transport(main);
      // Let the socket open (the WebSocket client subscribes main's pushes when it connects).
      await invoke(api, 'hostInfo');
      for (const method of pushedMethods) {
        const { heard, off } = listen(api, method);
        main.emit(method, samplePayloads[method]);
        expect(heard, method).toEqual([samplePayloads[method]]);
        off();
        main.emit(method, samplePayloads[method]);
        expect(heard, `${method} after unsubscribing`).toHaveLength(1);
        // A message that does not fit its entry is dropped on the way, wherever it is checked.
        const bad = listen(api, method);
        main.sources.emit(method, { garbage: pushedEntries[method].channel });
        expect(bad.heard, `${method}: malformed`).toEqual([]);
      }
    });

    it(`${name}: arguments that do not fit are refused before main's method runs`, async () => {
      const main = mainSide();
      const api = transport(main);
      for (const method of invokedMethods) {
        const bad: unknown[] = [{ not: 'an argument' }, 'extra', 'extra'];
        // As an untrusted renderer would: the types do not stop it at run time.
        const call = api[method] as (...args: unknown[]) => Promise<unknown>;
        if (invokedEntries[method].failures) {
          expect(await call(...bad), method).toMatchObject({ ok: false, error: { code: 'rejected' } });
        } else {
          await expect(call(...bad), method).rejects.toThrow();
        }
      }
      expect(main.calls).toEqual([]);
    });
  }
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createPreloadApi, type IpcRendererLike } from '../../../src-main/preload/api.js';
import { channels, type HqStreamMessage, type ScanEvent } from '../../../src-shared/ipc/index.js';

function fakeIpc(replies: Record<string, unknown>) {
  const emitter = new EventEmitter();
  const invoked: unknown[][] = [];
  const ipc: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      invoked.push([channel, ...args]);
      return replies[channel];
    },
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  };
  return { ipc, emitter, invoked };
}

const scan: ScanEvent = {
  deviceId: 'front-scanner',
  role: 'barcode',
  at: '2026-11-23T10:00:00.000Z',
  result: { kind: 'nfc-uid', uid: '04A224B2C35E80' },
};

describe('preload TerminalApi', () => {
  it('delivers valid scans until unsubscribed', () => {
    const { ipc, emitter } = fakeIpc({});
    const api = createPreloadApi(ipc);
    const seen: ScanEvent[] = [];
    const off = api.onScan((e) => seen.push(e));
    emitter.emit(channels.scan, {}, scan);
    off();
    emitter.emit(channels.scan, {}, scan);
    expect(seen).toEqual([scan]);
    expect(emitter.listenerCount(channels.scan)).toBe(0);
  });

  it('drops a malformed scan instead of passing it on', () => {
    const { ipc, emitter } = fakeIpc({});
    const seen: unknown[] = [];
    createPreloadApi(ipc).onScan((e) => seen.push(e));
    emitter.emit(channels.scan, {}, { ...scan, result: { kind: 'refused', reason: 'payment-card' } });
    emitter.emit(channels.scan, {}, 'garbage');
    expect(seen).toEqual([]);
  });

  it('validates what main answers', async () => {
    const good = fakeIpc({
      [channels.hostInfo]: { host: 'electron', version: '0.1.0' },
      [channels.deviceStatuses]: [],
    });
    await expect(createPreloadApi(good.ipc).hostInfo()).resolves.toEqual({
      host: 'electron',
      version: '0.1.0',
    });
    await expect(createPreloadApi(good.ipc).deviceStatuses()).resolves.toEqual([]);
    const bad = fakeIpc({ [channels.hostInfo]: { host: 'elsewhere' } });
    await expect(createPreloadApi(bad.ipc).hostInfo()).rejects.toThrow();
  });
});

describe('preload TerminalApi: HQ', () => {
  const status = {
    enrolled: true,
    terminalId: 't-1',
    storeId: 's-1',
    online: false,
    lastContactAt: null,
    lastError: { code: 'offline', message: 'HQ cannot be reached: the connection was refused.' },
  };

  it('invokes each HQ channel with its arguments and validates the answers', async () => {
    const { ipc, invoked } = fakeIpc({
      [channels.hqStatus]: status,
      [channels.hqEnroll]: { ok: false, error: { code: 'rejected', message: 'used' } },
      [channels.hqReplicationKey]: 'a'.repeat(64),
      [channels.hqPull]: { ok: true, value: { documents: [{ any: 'thing' }], checkpoint: { seq: 3 } } },
      [channels.hqPush]: { ok: true, value: { results: [] } },
      [channels.hqClose]: { ok: false, error: { code: 'offline', message: 'down' } },
      [channels.hqLookup]: { ok: true, value: [] },
    });
    const api = createPreloadApi(ipc);
    expect(await api.hqStatus()).toEqual(status);
    expect(await api.enroll({ code: 'K7QM-2XHD-R9TB', name: 'Till 1' })).toEqual({
      ok: false,
      error: { code: 'rejected', message: 'used' },
    });
    expect(await api.replicationKey()).toBe('a'.repeat(64));
    expect(await api.pull('members', { seq: 1 }, 50)).toEqual({
      ok: true,
      value: { documents: [{ any: 'thing' }], checkpoint: { seq: 3 } },
    });
    expect(await api.push([])).toEqual({ ok: true, value: { results: [] } });
    expect(await api.lookup({ card: '123' })).toEqual({ ok: true, value: [] });
    expect(invoked).toEqual([
      [channels.hqStatus],
      [channels.hqEnroll, { code: 'K7QM-2XHD-R9TB', name: 'Till 1' }],
      [channels.hqReplicationKey],
      [channels.hqPull, 'members', { seq: 1 }, 50],
      [channels.hqPush, []],
      [channels.hqLookup, { card: '123' }],
    ]);
  });

  it('rejects an answer from main that does not fit the contract', async () => {
    const { ipc } = fakeIpc({
      [channels.hqStatus]: { ...status, token: 'secret' },
      [channels.hqPull]: { ok: true, value: { documents: [] } },
      [channels.hqPush]: { ok: false, error: { code: 'teapot', message: 'x' } },
      [channels.hqReplicationKey]: 'https://hq.example.com',
    });
    const api = createPreloadApi(ipc);
    await expect(api.hqStatus()).rejects.toThrow(channels.hqStatus);
    await expect(api.pull('members', null, 1)).rejects.toThrow();
    await expect(api.push([])).rejects.toThrow();
    await expect(api.replicationKey()).rejects.toThrow();
  });

  it('delivers valid stream messages until unsubscribed, and drops the rest', () => {
    const { ipc, emitter } = fakeIpc({});
    const heard: HqStreamMessage[] = [];
    const off = createPreloadApi(ipc).onHqStream((m) => heard.push(m));
    emitter.emit(channels.hqStream, {}, { type: 'RESYNC' });
    emitter.emit(channels.hqStream, {}, { type: 'changed', collections: ['members', 'secrets'] });
    emitter.emit(channels.hqStream, {}, { type: 'changed', collections: ['members'] });
    emitter.emit(channels.hqStream, {}, { type: 'DISCONNECTED' });
    off();
    emitter.emit(channels.hqStream, {}, { type: 'RESYNC' });
    expect(heard).toEqual([
      { type: 'RESYNC' },
      { type: 'changed', collections: ['members'] },
      { type: 'DISCONNECTED' },
    ]);
    expect(emitter.listenerCount(channels.hqStream)).toBe(0);
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createPreloadApi, type IpcRendererLike } from '../../../src-main/preload/api.js';
import { channels, type ScanEvent } from '../../../src-shared/ipc/index.js';

function fakeIpc(replies: Record<string, unknown>) {
  const emitter = new EventEmitter();
  const ipc: IpcRendererLike = {
    invoke: async (channel) => replies[channel],
    on: (channel, listener) => emitter.on(channel, listener),
    removeListener: (channel, listener) => emitter.removeListener(channel, listener),
  };
  return { ipc, emitter };
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

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { bridgeScans, type ScanSource } from '../../src-main/host/scan-bridge.js';
import { channels, type DeviceStatus, type ScanEvent } from '../../src-shared/ipc/index.js';
import { PAYMENT_CARD_MESSAGE } from '../../src-shared/scan/index.js';

function fakeSource() {
  const emitter = new EventEmitter();
  const source: ScanSource = {
    onScan: (l) => (emitter.on('scan', l), () => void emitter.off('scan', l)),
    onStatus: (l) => (emitter.on('status', l), () => void emitter.off('status', l)),
  };
  return { source, emitter };
}

const status: DeviceStatus = {
  deviceId: 'reader',
  role: 'card',
  path: '/dev/ttyACM0',
  state: 'connected',
  lastFrameAt: null,
  frames: 0,
  rejected: 0,
  errors: 0,
  lastError: null,
};

describe('scan bridge', () => {
  it('forwards scans and statuses on their channels until stopped', () => {
    const { source, emitter } = fakeSource();
    const sent: [string, unknown][] = [];
    const stop = bridgeScans(source, (channel, payload) => sent.push([channel, payload]));
    const refused: ScanEvent = {
      deviceId: 'reader',
      role: 'card',
      at: '2026-11-23T10:00:00.000Z',
      result: {
        kind: 'refused',
        reason: 'payment-card',
        message: PAYMENT_CARD_MESSAGE,
        brand: 'visa',
        last4: '1111',
      },
    };
    emitter.emit('scan', refused);
    emitter.emit('status', status);
    stop();
    emitter.emit('status', status);
    expect(sent).toEqual([
      [channels.scan, refused],
      [channels.deviceStatus, status],
    ]);
  });

  it('never forwards a message that fails the IPC schema', () => {
    const { source, emitter } = fakeSource();
    const sent: unknown[] = [];
    bridgeScans(source, (_c, p) => sent.push(p));
    emitter.emit('status', { ...status, frames: -1 });
    emitter.emit('scan', { deviceId: 'x', role: 'barcode', at: 'yesterday', result: { kind: 'text' } });
    expect(sent).toEqual([]);
  });
});

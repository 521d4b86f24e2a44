// Device configuration: defaults for the common scanner, every mistake reported by its path, USB matching
// and the backoff schedule.
import { describe, expect, it } from 'vitest';
import {
  formatConfigProblems,
  parseDeviceConfig,
  parseDeviceConfigs,
} from '../../../src-main/devices/config.js';
import { matchesUsb } from '../../../src-main/devices/discovery.js';
import { backoffDelay, defaultBackoff } from '../../../src-main/devices/timers.js';

const problems = (input: unknown) => {
  const parsed = parseDeviceConfigs(input);
  if (parsed.ok) throw new Error('expected problems');
  return parsed.error;
};

describe('device configuration', () => {
  it('fills the defaults of a 9600 8N1 scanner with a CR suffix', () => {
    const parsed = parseDeviceConfig({ id: 'scanner', role: 'barcode', path: '/dev/ttyACM0' });
    expect(parsed).toEqual({
      ok: true,
      value: {
        id: 'scanner',
        role: 'barcode',
        path: '/dev/ttyACM0',
        baudRate: 9600,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        framing: { kind: 'suffix', suffix: 'CR', partialTimeoutMs: 1000 },
        stripPrefix: '',
        stripSuffix: '',
        maxFrameLength: 512,
      },
    });
  });

  it('accepts a USB match and timeout framing', () => {
    const parsed = parseDeviceConfigs([
      { id: 'scanner', role: 'barcode', usb: { vendorId: '0c2e', productId: '0b61' }, baudRate: 115200 },
      {
        id: 'msr',
        role: 'card',
        usb: {},
        framing: { kind: 'timeout', interByteTimeoutMs: 50 },
        stripPrefix: '\u0002',
        dataBits: 7,
        parity: 'even',
      },
    ]);
    expect(parsed.ok).toBe(true);
  });

  it('lists every problem with its path', () => {
    const found = problems([
      {
        id: 'Scanner 1',
        role: 'scale',
        path: '/dev/ttyS0',
        baudRate: 9601,
        dataBits: 9,
        parity: 'maybe',
        stopBits: 3,
        framing: { kind: 'suffix', suffix: 'TAB' },
        maxFrameLength: 1_000_000,
        colour: 'red',
      },
      { id: 'msr', role: 'card', usb: { vendorId: '0x0801', productId: 'ABCD' } },
      { id: 'msr', role: 'card', path: '/dev/ttyS0', usb: { vendorId: '0801' } },
      { id: 'x', role: 'card' },
      { id: 'y', role: 'card', usb: { productId: '0001' } },
      { id: 'z', role: 'card', path: '/dev/ttyS0', framing: { kind: 'timeout', interByteTimeoutMs: 0 } },
    ]);
    const paths = found.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '0.id',
        '0.role',
        '0.baudRate',
        '0.dataBits',
        '0.parity',
        '0.stopBits',
        '0.framing.suffix',
        '0.maxFrameLength',
        '1.usb.vendorId',
        '1.usb.productId',
        '2.usb',
        '3.path',
        '4.usb.productId',
        '5.framing.interByteTimeoutMs',
      ]),
    );
    expect(found.find((p) => p.path === '0.baudRate')?.message).toMatch(/9600/);
    expect(found.find((p) => p.path === '1.usb.vendorId')?.message).toMatch(/without 0x/);
    expect(found.some((p) => p.path === '0' && /colour/.test(p.message))).toBe(true);
    expect(formatConfigProblems(found)).toMatch(/^0\.id: /m);
  });

  it('reports duplicate ids and shared paths', () => {
    const found = problems([
      { id: 'a', role: 'barcode', path: '/dev/ttyACM0' },
      { id: 'a', role: 'card', path: '/dev/ttyACM0' },
    ]);
    expect(found).toEqual([
      { path: '1.id', message: 'duplicate device id "a"' },
      { path: '1.path', message: 'two devices on the same path' },
    ]);
  });

  it('takes a receipt printer beside the scanners, with its own defaults and problems', () => {
    const parsed = parseDeviceConfigs([
      { id: 'scanner', role: 'barcode', path: '/dev/ttyACM0' },
      { id: 'printer', role: 'printer', path: '/dev/ttyUSB0', baudRate: 19200 },
    ]);
    expect(parsed.ok && parsed.value[1]).toEqual({
      id: 'printer',
      role: 'printer',
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      columns: 42,
      statusQuery: true,
      statusTimeoutMs: 500,
      statusIntervalMs: 15_000,
    });
    const found = problems([
      { id: 'p1', role: 'printer', path: '/dev/ttyUSB0', columns: 40, framing: { kind: 'timeout' } },
      { id: 'p2', role: 'printer', usb: {} },
    ]);
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['0.columns', '1.usb.vendorId']));
    expect(found.some((p) => p.path === '0' && /framing/.test(p.message))).toBe(true);
    expect(
      problems([
        { id: 'scanner', role: 'barcode', path: '/dev/ttyUSB0' },
        { id: 'printer', role: 'printer', path: '/dev/ttyUSB0' },
      ]),
    ).toEqual([{ path: '1.path', message: 'two devices on the same path' }]);
  });

  it('rejects what is not a list of devices', () => {
    expect(problems({ id: 'a' })[0]?.path).toBe('');
    expect(problems('scanner')[0]?.path).toBe('');
  });
});

describe('USB matching', () => {
  const port = (vendorId?: string, productId?: string, serialNumber?: string) => ({
    path: '/dev/ttyACM0',
    vendorId,
    productId,
    serialNumber,
  });

  it('matches known vendors by role when no vendor id is set', () => {
    expect(matchesUsb(port('0c2e', '0b61'), {}, 'barcode')).toBe(true);
    expect(matchesUsb(port('0C2E'), {}, 'barcode')).toBe(true);
    expect(matchesUsb(port('0801'), {}, 'barcode')).toBe(false);
    expect(matchesUsb(port('0801'), {}, 'card')).toBe(true);
    expect(matchesUsb(port('0acd'), {}, 'card')).toBe(true);
    expect(matchesUsb(port('2341'), {}, 'barcode')).toBe(false);
    expect(matchesUsb(port(), {}, 'barcode')).toBe(false);
  });

  it('matches the configured vendor, product and serial number', () => {
    expect(matchesUsb(port('2341', '0043'), { vendorId: '2341' }, 'barcode')).toBe(true);
    expect(matchesUsb(port('2341', '0043'), { vendorId: '2341', productId: '0043' }, 'card')).toBe(true);
    expect(matchesUsb(port('2341', '0044'), { vendorId: '2341', productId: '0043' }, 'card')).toBe(false);
    expect(matchesUsb(port('05e0', '1200', 'S1'), { vendorId: '05e0', serialNumber: 'S2' }, 'barcode')).toBe(
      false,
    );
  });
});

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const schedule = Array.from({ length: 8 }, (_, attempt) => backoffDelay(defaultBackoff, attempt));
    expect(schedule).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(backoffDelay({ initialMs: 100, maxMs: 60_000, factor: 2 }, 10_000)).toBe(60_000);
  });
});

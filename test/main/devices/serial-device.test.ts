// SerialDevice and DeviceManager over serialport's MockBinding: frames become classified ScanEvents,
// prefixes are stripped, garbage is counted and dropped, an unplug cuts the partial frame and the device
// reconnects on the backoff schedule, USB discovery, and nothing a listener or the line does escapes.
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import {
  deviceStatusSchema,
  scanEventSchema,
  type DeviceStatus,
  type ScanEvent,
} from '../../../src-shared/ipc/scan-events.js';
import type { BindingOpenOptions, PortInfo, SerialBinding } from '../../../src-main/devices/binding.js';
import {
  parseDeviceConfig,
  type DeviceConfig,
  type DeviceConfigInput,
} from '../../../src-main/devices/config.js';
import { DeviceManager } from '../../../src-main/devices/device-manager.js';
import { SerialDevice, type SerialDeviceOptions } from '../../../src-main/devices/serial-device.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';

// ---- serialport's MockBinding, made unpluggable -------------------------------------------------------

/** The parts of @serialport/binding-mock used here (the package ships no types for ESM resolution). */
interface MockPortBinding {
  readonly isOpen: boolean;
  readonly openOptions: unknown;
  emitData(data: Buffer | string): void;
  close(): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: object): Promise<void>;
  get(): Promise<object>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}
interface MockBindingApi {
  reset(): void;
  createPort(path: string, options?: { vendorId?: string; productId?: string }): void;
  list(): Promise<PortInfo[]>;
  open(options: BindingOpenOptions): Promise<MockPortBinding>;
}
// The CommonJS copy is the one serialport itself loads.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingApi;
};

/** A MockBinding port whose pending read fails like a pulled USB cable. */
class UnpluggablePort {
  private unplugFn: (error: Error) => void = () => undefined;
  private readonly gone: Promise<never>;
  constructor(readonly inner: MockPortBinding) {
    this.gone = new Promise<never>((_, reject) => {
      this.unplugFn = reject;
    });
    this.gone.catch(() => undefined);
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  get openOptions(): unknown {
    return this.inner.openOptions;
  }
  unplug(): void {
    this.unplugFn(new Error('EIO: i/o error, read'));
  }
  read(buffer: Buffer, offset: number, length: number) {
    return Promise.race([this.inner.read(buffer, offset, length), this.gone]);
  }
  close = () => this.inner.close();
  write = (b: Buffer) => this.inner.write(b);
  update = (o: { baudRate: number }) => this.inner.update(o);
  set = (o: object) => this.inner.set(o);
  get = () => this.inner.get();
  getBaudRate = () => this.inner.getBaudRate();
  flush = () => this.inner.flush();
  drain = () => this.inner.drain();
}

class TestBinding implements SerialBinding {
  readonly ports = new Map<string, UnpluggablePort>();
  readonly absent = new Set<string>();
  openError: Error | null = null;
  async list(): Promise<PortInfo[]> {
    return (await MockBinding.list()).filter((p) => !this.absent.has(p.path));
  }
  async open(options: BindingOpenOptions): Promise<UnpluggablePort> {
    if (this.openError) throw this.openError;
    if (this.absent.has(options.path)) {
      throw new Error(`No such file or directory, cannot open ${options.path}`);
    }
    const port = new UnpluggablePort(await MockBinding.open(options));
    this.ports.set(options.path, port);
    return port;
  }
  /** Bytes arriving from the device at `path`. */
  send(path: string, data: string | Buffer): void {
    const port = this.ports.get(path);
    if (!port?.isOpen) throw new Error(`${path} is not open`);
    port.inner.emitData(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }
  unplug(path: string): void {
    this.absent.add(path);
    this.ports.get(path)?.unplug();
  }
  replug(path: string): void {
    this.absent.delete(path);
  }
}

// ---- helpers -----------------------------------------------------------------------------------------

/** A pino logger writing into an array the test can search. */
function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

function config(input: Partial<DeviceConfigInput> = {}): DeviceConfig {
  const parsed = parseDeviceConfig({ id: 'scanner', role: 'barcode', path: '/dev/ttyMOCK0', ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

interface Source {
  onScan(listener: (event: ScanEvent) => void): () => void;
  onStatus(listener: (status: DeviceStatus) => void): () => void;
}

const nextScan = (source: Source): Promise<ScanEvent> =>
  new Promise((resolve) => {
    const off = source.onScan((event) => {
      off();
      resolve(event);
    });
  });

const scanWhere = (source: Source, predicate: (e: ScanEvent) => boolean): Promise<ScanEvent> =>
  new Promise((resolve) => {
    const off = source.onScan((event) => {
      if (!predicate(event)) return;
      off();
      resolve(event);
    });
  });

/** Resolves with the first status (current or next) that satisfies `predicate`. */
function statusWhere(
  source: Source & { status?: () => DeviceStatus },
  predicate: (s: DeviceStatus) => boolean,
): Promise<DeviceStatus> {
  return new Promise((resolve) => {
    const current = source.status?.();
    if (current && predicate(current)) return resolve(current);
    const off = source.onStatus((status) => {
      if (!predicate(status)) return;
      off();
      resolve(status);
    });
  });
}

const START = Date.parse('2026-03-02T09:00:00.000Z');
let binding: TestBinding;
let timers: ManualTimers;
let clock: ManualClock;
let log: ReturnType<typeof memoryLogger>;
const open: { close(): Promise<void> }[] = [];

function device(input: Partial<DeviceConfigInput> = {}, options: Partial<SerialDeviceOptions> = {}) {
  const d = new SerialDevice(config(input), { binding, logger: log.logger, clock, timers, ...options });
  open.push(d);
  return d;
}

async function connected(input: Partial<DeviceConfigInput> = {}, options: Partial<SerialDeviceOptions> = {}) {
  const d = device(input, options);
  d.start();
  await statusWhere(d, (s) => s.state === 'connected');
  return d;
}

beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort('/dev/ttyMOCK0');
  binding = new TestBinding();
  timers = new ManualTimers();
  clock = new ManualClock(START);
  log = memoryLogger();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.close()));
});

// ---- tests -------------------------------------------------------------------------------------------

describe('SerialDevice', () => {
  it('turns a frame into a classified ScanEvent', async () => {
    const d = await connected();
    const scan = nextScan(d);
    binding.send('/dev/ttyMOCK0', ']E04006381333931\r');
    const event = await scan;
    expect(scanEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      deviceId: 'scanner',
      role: 'barcode',
      at: '2026-03-02T09:00:00.000Z',
      result: { kind: 'product', gtin14: '04006381333931' },
    });
  });

  it('splits frames that arrive in one chunk, and one frame that arrives in pieces', async () => {
    const d = await connected({ framing: { kind: 'suffix', suffix: 'CRLF' } });
    const events: ScanEvent[] = [];
    d.onScan((e) => events.push(e));
    const third = new Promise<void>((resolve) => d.onScan(() => events.length === 3 && resolve()));
    binding.send('/dev/ttyMOCK0', '4006381333931\r\n9501101531000\r\n40063');
    binding.send('/dev/ttyMOCK0', '81333931\r\n');
    await third;
    expect(events.map((e) => e.result.kind === 'product' && e.result.gtin14)).toEqual([
      '04006381333931',
      '09501101531000',
      '04006381333931',
    ]);
  });

  it('strips a configured prefix and suffix before classifying', async () => {
    const d = await connected({
      stripPrefix: '\u0002',
      stripSuffix: '#',
      framing: { kind: 'suffix', suffix: 'ETX' },
    });
    const scan = nextScan(d);
    binding.send('/dev/ttyMOCK0', '\u00024006381333931#\u0003');
    expect((await scan).result).toMatchObject({ kind: 'product', gtin14: '04006381333931' });
  });

  it('frames by inter-byte timeout', async () => {
    const d = await connected({ framing: { kind: 'timeout', interByteTimeoutMs: 40 } });
    const scan = nextScan(d);
    const armed = timers.whenSet(40);
    binding.send('/dev/ttyMOCK0', '04A224B2C81C80');
    await armed; // the bytes reached the framer, which waits for the line to go quiet
    expect(d.status().frames).toBe(0);
    timers.fireAll();
    expect((await scan).result).toEqual({ kind: 'nfc-uid', uid: '04A224B2C81C80' });
  });

  it('counts frames, rejections and the last frame time, and throttles rejection events', async () => {
    const d = await connected({ maxFrameLength: 16 });
    const events: ScanEvent[] = [];
    d.onScan((e) => events.push(e));
    clock.advance(1000);
    const done = statusWhere(d, (s) => s.frames === 4);
    binding.send('/dev/ttyMOCK0', '4006381333931\r\x01\x02\x03garbage\x7f\r');
    binding.send('/dev/ttyMOCK0', `${'9'.repeat(40)}\r\u00ff\u00fe\r`);
    const status = await done;
    expect(deviceStatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({
      state: 'connected',
      frames: 4,
      rejected: 3,
      errors: 0,
      lastFrameAt: '2026-03-02T09:00:01.000Z',
    });
    // One product, then only the first of three rejections inside the throttle interval.
    expect(events.map((e) => e.result.kind)).toEqual(['product', 'rejected']);
    clock.advance(250);
    const later = nextScan(d);
    binding.send('/dev/ttyMOCK0', `${'9'.repeat(40)}\r`);
    expect((await later).result).toMatchObject({ kind: 'rejected', reason: 'too-long' });
  });

  it('ignores empty lines', async () => {
    const d = await connected();
    const scan = nextScan(d);
    binding.send('/dev/ttyMOCK0', '\r\r\r4006381333931\r');
    await scan;
    expect(d.status()).toMatchObject({ frames: 1, rejected: 0 });
  });

  it('refuses a payment card and never logs its number', async () => {
    const d = await connected({ role: 'card' });
    const scan = nextScan(d);
    binding.send(
      '/dev/ttyMOCK0',
      '%B4111111111111111^TEST/CARD^30121010000000000000?;4111111111111111=3012?\r',
    );
    const event = await scan;
    expect(event.result).toMatchObject({ kind: 'refused', last4: '1111' });
    expect(JSON.stringify(event)).not.toContain('4111111111111111');
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('')).not.toContain('411111');
  });

  it('survives noise and a listener that throws', async () => {
    const d = await connected();
    d.onScan(() => {
      throw new Error('listener bug');
    });
    const noise = Buffer.alloc(256 * 1024);
    let x = 0x2545f491; // xorshift32: the same "random" bytes on every run
    for (let i = 0; i < noise.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      noise[i] = x & 0xff;
    }
    // Noise can read as text; the product after it proves the device still frames and classifies.
    const product = scanWhere(d, (e) => e.result.kind === 'product');
    binding.send('/dev/ttyMOCK0', noise);
    binding.send('/dev/ttyMOCK0', '\r]E04006381333931\r');
    expect((await product).result).toMatchObject({ kind: 'product', gtin14: '04006381333931' });
    expect(d.status()).toMatchObject({ state: 'connected', errors: 0 });
    expect(d.status().rejected).toBeGreaterThan(500);
    expect(log.lines.join('')).toContain('listener threw');
  });

  it('reports an unplug, cuts the partial frame, and reconnects on the backoff schedule', async () => {
    const d = await connected({ role: 'card' }, { backoff: { initialMs: 100, maxMs: 1000, factor: 2 } });
    const events: ScanEvent[] = [];
    d.onScan((e) => events.push(e));
    const cut = nextScan(d);
    const held = timers.whenSet(1000);
    binding.send('/dev/ttyMOCK0', '%B41111111');
    await held; // the partial frame is in the framer, its no-terminator timeout armed
    const down = statusWhere(d, (s) => s.state === 'disconnected');
    timers.requested.length = 0;
    binding.unplug('/dev/ttyMOCK0');
    expect(await down).toMatchObject({ rejected: 1, lastError: expect.stringMatching(/^unplugged/) });
    expect((await cut).result).toMatchObject({ kind: 'rejected', detail: 'cut by unplug after 10 bytes' });

    // Still absent: each retry fails and waits longer, up to the cap.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const retried = statusWhere(
        d,
        (s) => s.state === 'disconnected' && timers.requested.length === attempt + 2,
      );
      timers.fireAll();
      await retried;
    }
    expect(timers.requested).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(d.status().errors).toBe(0); // absent is not an error

    binding.replug('/dev/ttyMOCK0');
    const up = statusWhere(d, (s) => s.state === 'connected');
    timers.fireAll();
    await up;
    const scan = nextScan(d);
    binding.send('/dev/ttyMOCK0', ';0412345678901=4912?\r');
    expect((await scan).result.kind).toBe('magstripe-card');

    // A successful open resets the schedule.
    timers.requested.length = 0;
    const downAgain = statusWhere(d, (s) => s.state === 'disconnected');
    binding.unplug('/dev/ttyMOCK0');
    await downAgain;
    expect(timers.requested).toEqual([100]);
    expect(log.lines.join('')).not.toContain('41111111');
  });

  it('reports a port it cannot open as an error and keeps retrying', async () => {
    binding.openError = new Error('Permission denied, cannot open /dev/ttyMOCK0');
    const d = device();
    d.start();
    const failed = await statusWhere(d, (s) => s.state === 'error');
    expect(failed).toMatchObject({ errors: 1, lastError: expect.stringMatching(/Permission denied/) });
    binding.openError = null;
    const up = statusWhere(d, (s) => s.state === 'connected');
    timers.fireAll();
    await up;
  });

  it('finds a USB scanner through the port list', async () => {
    MockBinding.createPort('/dev/ttyACM3', { vendorId: '2341', productId: '0043' });
    MockBinding.createPort('/dev/ttyACM4', { vendorId: '0c2e', productId: '0b61' });
    const d = await connected({ path: undefined, usb: {} });
    expect(d.status().path).toBe('/dev/ttyACM4');
    const other = device({ id: 'other', path: undefined, usb: { vendorId: 'ffff' } });
    other.start();
    expect(await statusWhere(other, (s) => s.state === 'disconnected' && s.lastError !== null)).toMatchObject(
      {
        path: null,
        lastError: 'no matching USB device found',
      },
    );
  });

  it('closes cleanly, also while still opening', async () => {
    const d = device();
    d.start();
    await d.close();
    expect(d.status().state).toBe('disconnected');
    const e = await connected({ id: 'second' });
    await e.close();
    expect(e.status().state).toBe('disconnected');
    // The port is free again.
    await connected({ id: 'third' });
  });
});

describe('DeviceManager', () => {
  it('runs several devices, forwards their scans and reports every status', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { vendorId: '0c2e' });
    MockBinding.createPort('/dev/ttyUSB1', { vendorId: '05f9' });
    MockBinding.createPort('/dev/ttyUSB2', { vendorId: '0801' });
    const manager = new DeviceManager(
      [
        config({ id: 'a', path: undefined, usb: {} }),
        config({ id: 'b', path: undefined, usb: {} }),
        config({ id: 'msr', role: 'card', path: undefined, usb: {} }),
      ],
      { binding, logger: log.logger, clock, timers },
    );
    open.push(manager);
    const all = new Promise<void>((resolve) => {
      manager.onStatus(() => {
        if (manager.statuses().every((s) => s.state === 'connected')) resolve();
      });
    });
    manager.start();
    await all;
    const paths = manager.statuses().map((s) => [s.deviceId, s.path]);
    expect(paths).toEqual([
      ['a', '/dev/ttyUSB0'],
      ['b', '/dev/ttyUSB1'],
      ['msr', '/dev/ttyUSB2'],
    ]);
    const scan = nextScan(manager);
    binding.send('/dev/ttyUSB2', '%B4111111111111111^TEST/CARD^3012101?\r');
    expect(await scan).toMatchObject({ deviceId: 'msr', role: 'card', result: { kind: 'refused' } });
    await manager.close();
    expect(manager.statuses().map((s) => s.state)).toEqual(['disconnected', 'disconnected', 'disconnected']);
  });
});

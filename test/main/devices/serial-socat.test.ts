// The serial service over real pseudo-terminals with the real serialport package: socat plays the cable,
// a SerialPort on the far end plays the scanner. Killing socat is an unplug. Everything waits on events;
// the only upper bounds are the test timeouts. Needs socat (fails, never skips, when it is missing).
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { scanEventSchema, type DeviceStatus, type ScanEvent } from '../../../src-shared/ipc/scan-events.js';
import { systemBinding } from '../../../src-main/devices/binding.js';
import { parseDeviceConfigs } from '../../../src-main/devices/config.js';
import { DeviceManager } from '../../../src-main/devices/device-manager.js';
import { createSocatPair, type SocatPair } from '../../../scripts/socat.js';

// Bounds a hang, not a timing: a loaded CI machine can take seconds to start socat or close a port.
const TIMEOUT = 60_000;
const PAN = '4111111111111111';
const NAMES = ['terminal', 'scanner'] as const;

let dir: string;
let logFile: string;
let pair: SocatPair;
let manager: DeviceManager;
let writer: SerialPort;
const writers: SerialPort[] = [];

function openWriter(path: string, baudRate = 9600): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.on('error', () => undefined); // the far end disappears with socat; that is the point
    port.open((error) => (error ? reject(error) : resolve(port)));
    writers.push(port);
  });
}

function write(port: SerialPort, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data, (error) => {
      if (error) reject(error);
      else port.drain((e) => (e ? reject(e) : resolve()));
    });
  });
}

const scanWhere = (predicate: (e: ScanEvent) => boolean): Promise<ScanEvent> =>
  new Promise((resolve) => {
    const off = manager.onScan((event) => {
      if (!predicate(event)) return;
      off();
      resolve(event);
    });
  });

/** The first status of the device (now or later) that satisfies `predicate`. */
const statusWhere = (predicate: (s: DeviceStatus) => boolean): Promise<DeviceStatus> =>
  new Promise((resolve) => {
    const now = manager.statuses()[0];
    if (now && predicate(now)) return resolve(now);
    const off = manager.onStatus((status) => {
      if (!predicate(status)) return;
      off();
      resolve(status);
    });
  });

/** Every regular file under `root` (the pty links are character devices: reading one would block). */
function regularFiles(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) return regularFiles(path);
    return stat.isFile() ? [path] : [];
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serial-socat-'));
  logFile = join(dir, 'devices.log');
  pair = await createSocatPair(dir, { names: NAMES });
  const configs = parseDeviceConfigs([{ id: 'counter', role: 'card', path: pair.a, baudRate: 9600 }]);
  if (!configs.ok) throw new Error(JSON.stringify(configs.error));
  manager = new DeviceManager(configs.value, {
    binding: systemBinding(),
    logger: pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true })),
    backoff: { initialMs: 20, maxMs: 200, factor: 2 },
  });
  const up = statusWhere((s) => s.state === 'connected');
  manager.start();
  await up;
  writer = await openWriter(pair.b);
}, TIMEOUT);

afterEach(async () => {
  await manager.close();
  await Promise.all(
    writers
      .splice(0)
      .map((w) => new Promise<void>((resolve) => (w.isOpen ? w.close(() => resolve()) : resolve()))),
  );
  await pair.kill();
  rmSync(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('serial devices over socat pseudo-terminals', () => {
  it(
    'delivers a scan written to the far end as a classified ScanEvent',
    async () => {
      const scan = scanWhere(() => true);
      await write(writer, ']E04006381333931\r');
      const event = await scan;
      expect(scanEventSchema.parse(event)).toEqual(event);
      expect(event).toMatchObject({
        deviceId: 'counter',
        role: 'card',
        result: { kind: 'product', symbology: 'ean-13', gtin14: '04006381333931' },
      });
      expect(manager.statuses()[0]).toMatchObject({
        state: 'connected',
        frames: 1,
        rejected: 0,
        path: pair.a,
      });
    },
    TIMEOUT,
  );

  it(
    'reports an unplug, reconnects to a new cable on the same path, and scans flow again',
    async () => {
      // A failure here once came as a bare timeout: say which step hung, and what the device saw.
      let step = 'unplug';
      const before = pair.ptys;
      onTestFailed(() => {
        const log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
        console.error(
          `serial-socat unplug/replug failed at step "${step}"; ptys before ${before.join(', ')}, ` +
            `after ${pair.ptys.join(', ')}; status ${JSON.stringify(manager.statuses())}\n${log}`,
        );
      });
      const down = statusWhere((s) => s.state === 'disconnected');
      await pair.kill();
      expect(await down).toMatchObject({ lastError: expect.stringMatching(/^unplugged/) });

      step = 'replug';
      const up = statusWhere((s) => s.state === 'connected');
      pair = await createSocatPair(dir, { names: NAMES });
      expect(await up).toMatchObject({ path: pair.a });
      step = 'open the far end';
      writer = await openWriter(pair.b);
      step = 'scan';
      const scan = scanWhere(() => true);
      await write(writer, ';0412345678901=4912?\r');
      expect((await scan).result).toMatchObject({ kind: 'magstripe-card', number: '0412345678901' });
    },
    TIMEOUT,
  );

  it(
    'rejects a megabyte of random bytes without crashing, and keeps working',
    async () => {
      let x = 0x9e3779b9; // xorshift32, seeded: the same noise every run
      const noise = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < noise.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        noise[i] = x & 0xff;
      }
      const rejection = scanWhere((e) => e.result.kind === 'rejected');
      const product = scanWhere((e) => e.result.kind === 'product');
      await write(writer, noise);
      await write(writer, '\r]E04006381333931\r');
      expect((await rejection).result).toMatchObject({ kind: 'rejected' });
      expect((await product).result).toMatchObject({ gtin14: '04006381333931' });
      const status = manager.statuses()[0];
      expect(status).toMatchObject({ state: 'connected', errors: 0 });
      // About one CR in 256 random bytes: thousands of frames, nearly all garbage.
      expect(status?.rejected).toBeGreaterThan(1000);
    },
    TIMEOUT,
  );

  it(
    'refuses a payment card and leaves its number in no log line and no file',
    async () => {
      const scan = scanWhere(() => true);
      await write(writer, `%B${PAN}^TEST/CARD^30121010000000000000?;${PAN}=30121010000000000000?\r`);
      const event = await scan;
      expect(event.result).toMatchObject({
        kind: 'refused',
        reason: 'payment-card',
        brand: 'visa',
        last4: '1111',
      });
      expect(JSON.stringify(event)).not.toContain(PAN);
      // Track 2 alone, and a stripe misread so that it fails its format: refused or rejected, never logged.
      const second = scanWhere(() => true);
      await write(writer, `;${PAN}=3012101?\r`);
      expect((await second).result).toMatchObject({ kind: 'refused', last4: '1111' });
      const third = scanWhere(() => true);
      await write(writer, `%B${PAN}^TEST\r`);
      expect((await third).result.kind).toMatch(/^(refused|rejected)$/);
      await manager.close();

      const logged = readFileSync(logFile, 'utf8');
      expect(logged).toMatch(/payment card refused/);
      const files = regularFiles(dir);
      expect(files).toContain(logFile);
      for (const file of files) {
        const text = readFileSync(file, 'latin1');
        expect(text, file).not.toContain(PAN);
        expect(text.replace(/\D/g, ''), file).not.toContain(PAN);
      }
    },
    TIMEOUT,
  );
});

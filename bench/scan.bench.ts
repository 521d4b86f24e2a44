// Serial frame in → classified ScanEvent out, over a socat pty pair with the real serialport package, at
// 9600 and 115200 baud. A pty moves bytes instantly, so the figure is the software's share; the limit
// beside it is the bytes' own wire time at that baud (10 bits per byte, 8N1), which real hardware adds.
// Run: node --import tsx bench/scan.bench.ts (or npm run bench -- scan).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { SerialPort } from 'serialport';
import { systemBinding } from '../src-main/devices/binding.js';
import { parseDeviceConfigs } from '../src-main/devices/config.js';
import { DeviceManager } from '../src-main/devices/device-manager.js';
import type { ScanEvent } from '../src-shared/ipc/scan-events.js';
import { createSocatPair } from '../scripts/socat.js';
import { median, percentile, writeResult } from './support.js';

const SAMPLES = 300;
const WARMUP = 30;
const BAUDS = [9600, 115200] as const;
const PAYLOADS = [
  { name: 'ean13-aim', frame: ']E04006381333931\r' },
  {
    // A loyalty card with both tracks near their ISO maximum (79 + 40 characters): the slow case.
    name: 'two-track-swipe',
    frame: `%N0412345678901^MEMBER/TEST ${'A'.repeat(7)}^4912${'0'.repeat(38)}?;0412345678901=4912${'0'.repeat(17)}?\r`,
  },
] as const;

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function open(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.on('error', () => undefined);
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

async function measure(baudRate: number) {
  const dir = mkdtempSync(join(tmpdir(), 'scan-bench-'));
  const pair = await createSocatPair(dir, { names: ['terminal', 'scanner'] });
  const configs = parseDeviceConfigs([{ id: 'bench', role: 'card', path: pair.a, baudRate }]);
  if (!configs.ok) throw new Error(JSON.stringify(configs.error));
  const manager = new DeviceManager(configs.value, {
    binding: systemBinding(),
    logger: pino({ level: 'silent' }),
  });
  await new Promise<void>((resolve) => {
    const off = manager.onStatus((s) => {
      if (s.state !== 'connected') return;
      off();
      resolve();
    });
    manager.start();
  });
  const writer = await open(pair.b, baudRate);

  const scanOnce = (bytes: Buffer): Promise<{ ms: number; event: ScanEvent }> =>
    new Promise((resolve, reject) => {
      const off = manager.onScan((event) => {
        off();
        resolve({ ms: performance.now() - start, event });
      });
      const start = performance.now();
      writer.write(bytes, (error) => {
        if (error) reject(error);
      });
    });

  const runs = [];
  for (const payload of PAYLOADS) {
    const bytes = Buffer.from(payload.frame, 'latin1');
    const samples: number[] = [];
    let kind = '';
    for (let i = 0; i < WARMUP + SAMPLES; i += 1) {
      const { ms, event } = await scanOnce(bytes);
      kind = event.result.kind;
      if (i >= WARMUP) samples.push(ms);
    }
    runs.push({
      baudRate,
      payload: payload.name,
      bytes: bytes.length,
      classifiedAs: kind,
      samples: samples.length,
      p50Ms: round(median(samples)),
      p95Ms: round(percentile(samples, 95)),
      maxMs: round(Math.max(...samples)),
      wireTimeMs: round((bytes.length * 10 * 1000) / baudRate),
    });
  }
  await manager.close();
  await new Promise<void>((resolve) => writer.close(() => resolve()));
  await pair.kill();
  rmSync(dir, { recursive: true, force: true });
  return runs;
}

const runs = [];
for (const baud of BAUDS) runs.push(...(await measure(baud)));

const path = writeResult('scan', {
  what: 'serial frame written to a socat pty → classified ScanEvent emitted by DeviceManager (real serialport)',
  limit:
    'wireTimeMs: the frame’s own transmission time at that baud (10 bits per byte, 8N1); a pty adds none, ' +
    'so real hardware latency ≈ wireTimeMs + p50Ms',
  budget:
    'scan bytes in → member on screen p95 < 100 ms (docs/architecture.md section 9); this is the serial share of it',
  runs,
});
console.log(
  `scan: ${runs
    .map(
      (r) => `${r.baudRate} baud ${r.payload} p50 ${r.p50Ms} ms p95 ${r.p95Ms} ms (wire ${r.wireTimeMs} ms)`,
    )
    .join(' | ')} → ${path}`,
);

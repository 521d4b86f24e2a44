// The receipt printer over real pseudo-terminals with the real serialport package: socat plays the cable,
// a SerialPort on the far end plays an ESC/POS printer that answers DLE EOT status queries and keeps what it
// is sent (test/support/fake-printer.ts). The bytes are decoded (test/support/escpos.ts) and the slip read
// back from them. Everything waits on events; the only time bound besides the test timeouts is the
// printer's status timeout, which is the behaviour under test when the "printer" stays silent. Needs socat
// (fails, never skips, when missing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src-shared/ipc/scan-events.js';
import { applyEvent } from '../../../src-shared/ledger/apply-event.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import { buildSlip, type Slip } from '../../../src-shared/receipt/slip.js';
import { systemBinding } from '../../../src-main/devices/binding.js';
import { parseDeviceConfigs } from '../../../src-main/devices/config.js';
import { DeviceManager } from '../../../src-main/devices/device-manager.js';
import { createSocatPair, type SocatPair } from '../../../scripts/socat.js';
import { decodeEscPos } from '../../support/escpos.js';
import { openFakePrinter, type FakePrinter } from '../../support/fake-printer.js';
import { eventFactory, testProgram } from '../../support/events.js';

const TIMEOUT = 20_000;
const PAN = '4111111111111111';

let dir: string;
let pair: SocatPair;
let manager: DeviceManager;
let printer: FakePrinter;

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

/** A sale of 123.45 EUR earning 120 points for a member who had 380, not yet posted by HQ. */
function saleSlip(): Slip {
  const program = testProgram();
  const t = eventFactory({ terminalId: 'till-2', start: '2025-07-01T16:05:00.000Z' });
  const enrolled = t.enrolled('m-1', { displayName: 'Anna K.', cards: ['0412345678901'] });
  const before = t.earned('m-1', 380);
  const sale = t.earned('m-1', 120, undefined, { total: 12_345 });
  let hq: Member | null = null;
  hq = applyEvent(hq, enrolled, program, 1);
  hq = applyEvent(hq, before, program, 2);
  const member = applyEvent(hq, sale, program);
  return buildSlip({
    event: sale,
    shown: { member, hq },
    program,
    store: { id: 's-1' },
    cashier: { name: 'Ann' },
    expiringWithinDays: 30,
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'printer-socat-'));
  pair = await createSocatPair(dir, { names: ['terminal', 'printer'] });
  // The printer is on before the till opens its port: the till's first status query has an answer.
  printer = await openFakePrinter(pair.b);
  const configs = parseDeviceConfigs([
    {
      id: 'printer-1',
      role: 'printer',
      path: pair.a,
      baudRate: 19200,
      columns: 42,
      statusTimeoutMs: 300,
      statusIntervalMs: 600_000,
    },
  ]);
  if (!configs.ok) throw new Error(JSON.stringify(configs.error));
  manager = new DeviceManager(configs.value, {
    binding: systemBinding(),
    logger: pino({ level: 'silent' }),
    backoff: { initialMs: 20, maxMs: 200, factor: 2 },
  });
  const up = statusWhere((s) => s.state === 'connected');
  manager.start();
  await up;
}, TIMEOUT);

afterEach(async () => {
  await manager.close();
  await printer.close();
  await pair.kill();
  rmSync(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('the receipt printer over socat pseudo-terminals', () => {
  it(
    'prints a slip the far end decodes: points, balance, the cut, and status asked first',
    async () => {
      const slip = saleSlip();
      expect(await manager.printSlip(slip)).toEqual({ printed: true, deviceId: 'printer-1' });
      await printer.until(() => printer.cuts() === 1);
      const decoded = decodeEscPos(Uint8Array.from(printer.received));
      const text = decoded.lines.map((l) => l.trim());
      expect(text).toContain('Test program');
      expect(text).toContain('Store s-1, terminal till-2');
      expect(text).toContain('2025-07-01 18:07');
      expect(text.some((l) => /^Purchase total +123\.45 EUR$/.test(l))).toBe(true);
      expect(text.some((l) => /^Points earned +\+120$/.test(l))).toBe(true);
      expect(text.some((l) => /^Balance \(pending\) +500 points$/.test(l))).toBe(true);
      expect(text.some((l) => /^Card +ending 8901$/.test(l))).toBe(true);
      expect(decoded.cuts).toEqual(['partial']);
      // Asked on connect and again before the slip: printer status (1), then paper (4).
      expect(decoded.statusQueries.slice(-2)).toEqual([1, 4]);
      expect(Buffer.from(printer.received).toString('latin1')).not.toContain(PAN);
      expect(manager.statuses()[0]).toMatchObject({ role: 'printer', state: 'connected', frames: 1 });
    },
    TIMEOUT,
  );

  it(
    'shows paper-out as the device status, refuses the slip, and prints again once paper is back',
    async () => {
      printer.paper = 'out';
      const shown = statusWhere((s) => s.state === 'error');
      const answer = await manager.printSlip(saleSlip());
      expect(answer).toMatchObject({ printed: false, reason: 'paper-out' });
      expect(await shown).toMatchObject({
        deviceId: 'printer-1',
        role: 'printer',
        state: 'error',
        lastError: expect.stringMatching(/out of paper/i),
      });

      printer.paper = 'ok';
      const back = statusWhere((s) => s.state === 'connected' && s.lastError === null);
      expect(await manager.printSlip(saleSlip())).toMatchObject({ printed: true });
      await back;
      await printer.until(() => printer.cuts() >= 1);
      // One slip on paper: the refused one was never sent.
      expect(printer.cuts()).toBe(1);
      expect(manager.statuses()[0]).toMatchObject({ frames: 1 });
    },
    TIMEOUT,
  );

  it(
    'calls a printer that does not answer its status "not answering", and prints nothing',
    async () => {
      printer.silent = true;
      const answer = await manager.printSlip(saleSlip());
      expect(answer).toMatchObject({ printed: false, reason: 'not-answering' });
      expect(manager.statuses()[0]).toMatchObject({
        state: 'error',
        lastError: expect.stringMatching(/does not answer/),
      });
      printer.silent = false;
      expect(await manager.printSlip(saleSlip())).toMatchObject({ printed: true });
      await printer.until(() => printer.cuts() >= 1);
      expect(printer.cuts()).toBe(1);
    },
    TIMEOUT,
  );
});

// The same frames through both scan paths give the same results (issue 12). Serial: bytes on a port of the
// terminal host as every entry point composes it (src-main/host/compose.ts: a real TerminalLink enrolled
// with a real HQ on PGlite, whose program has its own card patterns), read back as TerminalApi pushes them.
// Keyboard wedge: the same text typed by a scanner into the renderer's WedgeDetector and classified as
// src-renderer/hooks/use-keyboard-wedge.ts does, with the program's patterns as use-scans.tsx takes them.
// Then HQ publishes a new version, and the till restarts offline: serial scans follow the program.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { payloads } from '../../../scripts/scanner.js';
import { withCheckDigit } from '../../../src-hq/import/gtin.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import type { BindingOpenOptions, PortInfo, SerialBinding } from '../../../src-main/devices/binding.js';
import { parseDeviceConfigs } from '../../../src-main/devices/config.js';
import { composeTerminalHost, type TerminalHost } from '../../../src-main/host/compose.js';
import { fileCredentialStore } from '../../../src-main/hq/credential-store.js';
import { WedgeDetector } from '../../../src-renderer/hooks/wedge-detector.js';
import type { ScanEvent } from '../../../src-shared/ipc/index.js';
import type { CardPattern, Program } from '../../../src-shared/program/schema.js';
import { cardPatternsOf, classifyFrame, type ScanResult } from '../../../src-shared/scan/index.js';
import { exampleProgram, startTestHq, type TestHq } from '../../support/hq.js';

// ---- serialport's MockBinding (CommonJS: the copy serialport loads) ------------------------------------

interface MockPort {
  emitData(data: Buffer | string): void;
}
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: {
    reset(): void;
    createPort(path: string, options?: { echo?: boolean; record?: boolean }): void;
    list(): Promise<PortInfo[]>;
    open(options: BindingOpenOptions): Promise<MockPort>;
  };
};

const PORT = '/dev/ttyEQUIV0';

/** MockBinding, keeping the port the terminal opened so the test can write to it. */
function recordingBinding() {
  let port: MockPort | null = null;
  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    open: async (options) => (port = await MockBinding.open(options)),
  };
  return { binding, write: (text: string) => port?.emitData(Buffer.from(`${text}\r`, 'latin1')) };
}

// ---- the program -------------------------------------------------------------------------------------

const patterns = (...extra: CardPattern[]): CardPattern[] => [
  { id: 'store-card-04', label: 'Store card', kind: 'ean13-prefix', prefix: '04' },
  { id: 'partner-05', label: 'Partner card', kind: 'ean13-prefix', prefix: '05' },
  { id: 'stripe-7001', label: 'Stripe card', kind: 'magstripe-prefix', prefix: '7001' },
  ...extra,
];
const withPatterns = (program: Program, cardPatterns: CardPattern[], version: number): Program => ({
  ...program,
  version,
  cards: { patterns: cardPatterns },
});
const v1 = withPatterns(exampleProgram('coffee-shop'), patterns(), 1);
const v2 = withPatterns(
  v1,
  patterns({ id: 'gift-06', label: 'Gift card', kind: 'ean13-prefix', prefix: '06' }),
  2,
);

const FRAMES = {
  /** The card: a product under the default patterns, a loyalty card under this program's. */
  partnerCard: withCheckDigit('050000001234'),
  storeCard: withCheckDigit('040000001001'),
  product: '4006381333931',
  productWithAim: ']E05012345678900',
  stripeLoyalty: payloads.loyalty('7001234567890', '4912'),
  payment: payloads.payment(),
  giftCard: withCheckDigit('060000000017'),
};

// ---- the wedge path, as the renderer runs it --------------------------------------------------------------

/** A scanner typing `text` and Enter, 4 ms a key, into the wedge detector; then the renderer's classification. */
function wedgeScan(text: string, program: Program | null, at: Date): ScanResult {
  let typed: string | null = null;
  const detector = new WedgeDetector((scanned) => (typed = scanned));
  let t = 1_000;
  for (const key of [...text, 'Enter']) detector.key({ key, timeStamp: (t += 4) });
  if (typed === null) throw new Error('the wedge detector did not recognise the scan');
  return classifyFrame(typed, {
    cardPatterns: cardPatternsOf(program),
    referenceYear: at.getUTCFullYear(),
    source: 'wedge',
  });
}

// ---- the serial path, through the composed host ---------------------------------------------------------

const root = mkdtempSync(join(tmpdir(), 'scan-equivalence-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** Each test: its own HQ (publishing v1), and its own folder for the till's credential and files. */
let hq: TestHq;
let dir: string;
let host: TerminalHost | null = null;

beforeEach(async () => {
  hq = await startTestHq({ program: v1 });
  dir = mkdtempSync(join(root, 'till-'));
}, 60_000);
afterEach(async () => {
  await host?.close();
  host = null;
  MockBinding.reset();
  await hq?.close();
});

/** The terminal host as every entry point composes it, with one barcode scanner on a mock port. */
async function startHost() {
  MockBinding.createPort(PORT, { echo: false, record: false });
  const serial = recordingBinding();
  const devices = parseDeviceConfigs([
    {
      id: 'scanner-1',
      role: 'barcode',
      path: PORT,
      baudRate: 9600,
      framing: { kind: 'suffix', suffix: 'CR' },
    },
  ]);
  if (!devices.ok) throw new Error('bad device config');
  const started = composeTerminalHost({
    config: { hqUrl: hq.url, devices: devices.value },
    credentials: fileCredentialStore(join(dir, 'credential.json')),
    dataDir: join(dir, 'main'),
    version: 'test',
    logger: pino({ level: 'silent' }),
    binding: serial.binding,
    link: { stream: { initialDelayMs: 10, maxDelayMs: 100 }, timeoutMs: 2_000 },
  });
  host = started;
  const scans: ScanEvent[] = [];
  const waiting: Array<(event: ScanEvent) => void> = [];
  const connected = new Promise<void>((resolve) => {
    const off = started.api.onDeviceStatus((status) => {
      if (status.state === 'connected') {
        off();
        resolve();
      }
    });
  });
  // What a transport would push to the renderer: TerminalApi's scans.
  await started.start({
    kind: 'electron',
    attach: (api) =>
      api.onScan((event) => {
        const waiter = waiting.shift();
        if (waiter) waiter(event);
        else scans.push(event);
      }),
  });
  await connected;
  const serialScan = (text: string): Promise<ScanResult> => {
    const next = new Promise<ScanEvent>((resolve) => {
      const ready = scans.shift();
      if (ready) resolve(ready);
      else waiting.push(resolve);
    });
    serial.write(text);
    return next.then((event) => event.result);
  };
  return { host: started, serialScan };
}

/** Resolves at the next change of the host's card patterns. */
const nextPatternChange = (h: TerminalHost): Promise<void> =>
  new Promise((resolve) => {
    const off = h.cardPatterns.onChange(() => {
      off();
      resolve();
    });
  });

describe('one scan path: serial and keyboard wedge classify alike', () => {
  it('gives the same result for the same frames, with the program’s card patterns', async () => {
    const { host: h, serialScan } = await startHost();
    const changed = nextPatternChange(h);
    const enrolled = await h.link.enroll({ code: await hq.enrollmentCode(), name: 'Till' });
    expect(enrolled.ok).toBe(true);
    await changed;

    const at = new Date();
    const results: Record<string, { serial: ScanResult; wedge: ScanResult }> = {};
    for (const [name, frame] of Object.entries(FRAMES)) {
      results[name] = { serial: await serialScan(frame), wedge: wedgeScan(frame, v1, at) };
      expect(results[name]?.serial, name).toEqual(results[name]?.wedge);
    }
    expect(results.partnerCard?.serial).toEqual({
      kind: 'loyalty-card',
      via: 'barcode',
      number: FRAMES.partnerCard,
      patternId: 'partner-05',
    });
    expect(results.storeCard?.serial).toMatchObject({ kind: 'loyalty-card', patternId: 'store-card-04' });
    expect(results.product?.serial).toMatchObject({ kind: 'product', gtin13: FRAMES.product });
    expect(results.productWithAim?.serial).toMatchObject({ kind: 'product', gtin13: '5012345678900' });
    expect(results.stripeLoyalty?.serial).toMatchObject({
      kind: 'loyalty-card',
      via: 'magstripe',
      patternId: 'stripe-7001',
    });
    expect(results.payment?.serial).toMatchObject({ kind: 'refused', reason: 'payment-card', last4: '1111' });
    // Not a card of v1: a product on both paths.
    expect(results.giftCard?.serial).toMatchObject({ kind: 'product' });
  });

  it('follows a new program version, and keeps its patterns across an offline restart', async () => {
    const first = await startHost();
    expect((await first.host.link.enroll({ code: await hq.enrollmentCode(), name: 'Till' })).ok).toBe(true);
    await first.host.cardPatterns.refresh();
    expect(first.host.cardPatterns.source()).toBe(`${v1.id}@1`);

    const changed = nextPatternChange(first.host);
    await publishProgram(hq.db, v2);
    await changed;
    expect(first.host.cardPatterns.source()).toBe(`${v1.id}@2`);
    const at = new Date();
    expect(await first.serialScan(FRAMES.giftCard)).toEqual(wedgeScan(FRAMES.giftCard, v2, at));
    expect(await first.serialScan(FRAMES.giftCard)).toMatchObject({
      kind: 'loyalty-card',
      patternId: 'gift-06',
    });
    await first.host.close();
    MockBinding.reset();

    // HQ down: the restarted till classifies with the last program it knew, as its replica does.
    await hq.stop();
    const second = await startHost();
    await second.host.cardPatterns.refresh();
    expect(second.host.cardPatterns.source()).toBe(`${v1.id}@2`);
    expect(await second.serialScan(FRAMES.giftCard)).toEqual(wedgeScan(FRAMES.giftCard, v2, at));
    expect(await second.serialScan(FRAMES.partnerCard)).toMatchObject({ patternId: 'partner-05' });
  });
});

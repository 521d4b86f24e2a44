// The browser harness for end-to-end tests and benchmarks: builds test/e2e/harness (a page that imports the
// real src-renderer/db code) once per process with Vite's build() API into a temporary folder, and serves it
// with the production browser host (src-main/host/browser-host.ts: node:http on 127.0.0.1:0, the kiosk's
// CSP, TerminalApi over its WebSocket). The page's window.terminal is the production browser transport
// (src-renderer/transport/browser-terminal.ts), so every call crosses the same socket and zod checks as in
// `npm start`. Behind the host sits a switchable TerminalApi: the real host side (createHostApi over a
// TerminalLink enrolled with a test HQ: enrollHarnessTerminal) or `membersBackend`, a fake serving
// pre-generated member documents, so a benchmark measures the terminal's replication and IndexedDB writes
// rather than HQ's SQL.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { startBrowserHost } from '../../src-main/host/browser-host.js';
import { createHostApi } from '../../src-main/host/host-api.js';
import { fileCredentialStore } from '../../src-main/hq/credential-store.js';
import { TerminalLink } from '../../src-main/hq/terminal-link.js';
import type { HqStreamMessage, TerminalApi } from '../../src-shared/ipc/index.js';
import { err, ok } from '../../src-shared/kernel/result.js';
import { LAN_OFF } from '../../src-shared/ipc/lan-api.js';
import type { MemberDoc, ProgramDoc } from '../../src-shared/sync/wire.js';
import { memberDoc, memberIdFor } from '../e2e/harness/members.js';
import { SnapshotRelay } from '../../src-main/hq/snapshot-relay.js';
import {
  SNAPSHOT_BLOCK,
  SNAPSHOT_FORMAT,
  SnapshotChain,
  type SnapshotHeader,
  type SnapshotPosition,
} from '../../src-shared/sync/snapshot.js';
import { CHROMIUM_FLAGS, CHROMIUM_HINT, CHROMIUM_PATH } from './chromium.js';
import { exampleProgram, startTestHq, type TestHq } from './hq.js';

export { cardFor, memberDoc, memberIdFor } from '../e2e/harness/members.js';
export const HARNESS_ROOT = resolve(import.meta.dirname, '../e2e/harness');

let built: { outDir: string; ready: Promise<string> } | null = null;
/** Servers using the build: the last one to close removes it (test workers may die without an exit event). */
let servers = 0;

function removeBuild(): void {
  if (!built) return;
  rmSync(built.outDir, { recursive: true, force: true });
  built = null;
}

/**
 * Builds the harness page once (calls while it is in use share the build); returns the output folder. The
 * folder is removed when the last harness server closes, or when the process exits.
 */
export function buildHarness(): Promise<string> {
  if (!built) {
    const outDir = mkdtempSync(join(tmpdir(), 'loyalty-harness-'));
    const ready = build({
      configFile: false,
      root: HARNESS_ROOT,
      logLevel: 'warn',
      mode: 'production',
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        minify: false,
        sourcemap: false,
        reportCompressedSize: false,
        chunkSizeWarningLimit: 10_000,
        rollupOptions: { input: resolve(HARNESS_ROOT, 'index.html') },
      },
    }).then(() => outDir);
    built = { outDir, ready };
  }
  return built.ready;
}
process.once('exit', removeBuild);

export interface HarnessServer {
  /** http://127.0.0.1:<port>/ — the page's origin, which IndexedDB data is tied to. */
  url: string;
  /**
   * Swaps the TerminalApi behind the host (the page keeps its origin and data). HQ stream listeners move
   * to the new one: they hear DISCONNECTED, then whatever it sends on subscribing (RESYNC).
   */
  setBackend(backend: TerminalApi): void;
  close(): Promise<void>;
}

/** A TerminalApi that forwards every call to the backend of the moment. */
function switchable(initial: TerminalApi): { api: TerminalApi; swap(next: TerminalApi): void } {
  let current = initial;
  const streams = new Set<{ listener: (message: HqStreamMessage) => void; off: () => void }>();
  const api: TerminalApi = {
    hostInfo: () => current.hostInfo(),
    checkPin: (request) => current.checkPin(request),
    phoneLookupKey: (normalised) => current.phoneLookupKey(normalised),
    onScan: (listener) => current.onScan(listener),
    onDeviceStatus: (listener) => current.onDeviceStatus(listener),
    deviceStatuses: () => current.deviceStatuses(),
    printSlip: (slip) => current.printSlip(slip),
    setCustomerView: (view) => current.setCustomerView(view),
    onCustomerView: (listener) => current.onCustomerView(listener),
    hqStatus: () => current.hqStatus(),
    enroll: (input) => current.enroll(input),
    replicationKey: () => current.replicationKey(),
    pull: (collection, checkpoint, limit) => current.pull(collection, checkpoint, limit),
    snapshot: (position, limit) => current.snapshot(position, limit),
    push: (events) => current.push(events),
    close: (figures) => current.close(figures),
    lookup: (query) => current.lookup(query),
    lanStatus: () => current.lanStatus(),
    onLanStatus: (listener) => current.onLanStatus(listener),
    peerEvents: (memberId) => current.peerEvents(memberId),
    keepOwnEvents: (events) => current.keepOwnEvents(events),
    onPeerEvents: (listener) => current.onPeerEvents(listener),
    onHqStream(listener) {
      const entry = { listener, off: current.onHqStream(listener) };
      streams.add(entry);
      return () => {
        entry.off();
        streams.delete(entry);
      };
    },
  };
  return {
    api,
    swap(next) {
      current = next;
      for (const entry of streams) {
        entry.off();
        entry.listener({ type: 'DISCONNECTED' });
        entry.off = next.onHqStream(entry.listener);
      }
    },
  };
}

/** Builds (once) and serves the harness through the browser host, with `backend` behind it. */
export async function serveHarness(backend: TerminalApi): Promise<HarnessServer> {
  servers += 1;
  let closed = false;
  const release = (): void => {
    if (closed) return;
    closed = true;
    servers -= 1;
    if (servers === 0) removeBuild();
  };
  try {
    const rendererDir = await buildHarness();
    const backends = switchable(backend);
    const host = await startBrowserHost({ api: backends.api, rendererDir });
    return {
      get url() {
        return host.launchUrl();
      },
      setBackend: (next) => backends.swap(next),
      async close() {
        if (closed) return;
        await host.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens the harness in a page and waits for its window.harness. */
export async function openHarnessPage(target: Browser | BrowserContext, url: string): Promise<Page> {
  const page = await target.newPage();
  page.on('pageerror', (error) => console.error(`[harness page] ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.harness !== undefined);
  return page;
}

/** The flags of launchChromium, for persistent contexts. */
const PERSISTENT_FLAGS = CHROMIUM_FLAGS;

/**
 * A persistent Chromium profile (user-data-dir), so IndexedDB outlives the browser: for the "kill" tests.
 * Same flags as launchChromium.
 */
export async function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_HINT);
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: PERSISTENT_FLAGS,
  });
}

/**
 * Kills a Chromium abruptly (SIGKILL to every one of its processes, as a power cut or the OOM killer would):
 * the browser's own process list comes from CDP (SystemInfo.getProcessInfo), so only processes this
 * Chromium started are signalled, by id. Resolves once Playwright has seen the browser go.
 */
export async function killChromium(context: BrowserContext): Promise<number[]> {
  const browser = context.browser();
  if (!browser) throw new Error('this context has no browser to kill');
  const session = await browser.newBrowserCDPSession();
  const info = (await session.send('SystemInfo.getProcessInfo')) as {
    processInfo: Array<{ type: string; id: number }>;
  };
  const closed = new Promise<void>((done) => context.once('close', () => done()));
  const pids = info.processInfo.map((p) => p.id);
  const browserPid = info.processInfo.find((p) => p.type === 'browser')?.id;
  // The browser process first, so no child is respawned; then every other one it had.
  const order = [...pids].sort((a, b) => (a === browserPid ? -1 : b === browserPid ? 1 : 0));
  for (const pid of order) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone with its parent
    }
  }
  await closed;
  return pids;
}

/**
 * HQ's snapshot body (src-shared/sync/snapshot.ts) of members 0…count-1 (memberDoc), at checkpoint
 * `count` (the pull's checkpoint after them), from the position asked: made block by block as it is read.
 */
export function snapshotStream(count: number, position: SnapshotPosition): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chain = new SnapshotChain(() => {
    const hash = createHash('sha256');
    return { update: (text) => void hash.update(text, 'utf8'), hex: () => hash.digest('hex') };
  });
  const header: SnapshotHeader = {
    snapshot: 'header',
    format: SNAPSHOT_FORMAT,
    collection: 'members',
    checkpoint: position.checkpoint ?? { seq: count },
    after: position.after,
  };
  const headerLine = JSON.stringify(header);
  chain.start(headerLine);
  let next = position.after === null ? 0 : Number(position.after.slice(2)) + 1;
  let sent = 0;
  let ended = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${headerLine}\n`));
    },
    pull(controller) {
      if (ended) return controller.close();
      const to = Math.min(count, next + SNAPSHOT_BLOCK);
      let out = '';
      for (let i = next; i < to; i += 1) {
        const line = JSON.stringify(memberDoc(i));
        chain.line(line);
        out += `${line}\n`;
      }
      if (to > next) {
        const block = {
          snapshot: 'block',
          count: to - next,
          last: memberIdFor(to - 1),
          sha256: chain.seal(),
        };
        out += `${JSON.stringify(block)}\n`;
        sent += to - next;
        next = to;
      } else {
        out += `${JSON.stringify({ snapshot: 'end', count: sent, sha256: chain.seal() })}\n`;
        ended = true;
      }
      controller.enqueue(encoder.encode(out));
    },
  });
}

/** A fake host for catalog benchmarks: see membersBackend. */
export interface MembersBackend extends TerminalApi {
  /** How many members HQ has: raise it and the next pulls serve the new ones. */
  count: number;
  /** Pull requests answered, and member documents served. */
  readonly pulls: number;
  readonly served: number;
}

/**
 * A fake host for catalog benchmarks: an enrolled, online HQ with `count` members (generated per batch:
 * memberDoc is deterministic, so a million members cost no memory) and the grocery-chain program.
 * pull('members', checkpoint, limit) returns the next `limit` members after `checkpoint.seq`; `programs`
 * returns the program once; other collections are empty; push answers `stored` for every event; the stream
 * sends RESYNC on subscribing. No scanners.
 */
export function membersBackend(count: number): MembersBackend {
  const program = exampleProgram('grocery-chain');
  const programDoc: ProgramDoc = {
    id: `${program.id}@${program.version}`,
    programId: program.id,
    version: program.version,
    publishedAt: '2025-01-01T00:00:00.000Z',
    current: true,
    definition: program,
    _deleted: false,
  };
  const page = (documents: unknown[], seq: number) => ok({ documents, checkpoint: { seq } });
  let pulls = 0;
  let served = 0;
  // The snapshot goes through main's real reader (checksums, one zod check per document).
  const relay = new SnapshotRelay();
  const backend: MembersBackend = {
    count,
    get pulls() {
      return pulls;
    },
    get served() {
      return served;
    },
    hostInfo: async () => ({ host: 'browser', version: 'harness' }),
    checkPin: async () => ({ ok: false, reason: 'unknown-staff' }),
    phoneLookupKey: async () => ({ ok: false, reason: 'no-phone-key' }),
    onScan: () => () => undefined,
    onDeviceStatus: () => () => undefined,
    deviceStatuses: async () => [],
    printSlip: async () => ({ printed: false, reason: 'no-printer', message: 'No receipt printer.' }),
    setCustomerView: async () => null,
    onCustomerView: () => () => undefined,
    hqStatus: async () => ({
      enrolled: true,
      terminalId: 't-harness',
      storeId: 's-harness',
      online: true,
      lastContactAt: new Date().toISOString(),
      lastError: null,
    }),
    enroll: async () => err({ code: 'rejected', message: 'the harness host is enrolled already' }),
    replicationKey: async () => createHash('sha256').update('harness-members').digest('hex'),
    async pull(collection, checkpoint, limit) {
      pulls += 1;
      const from = checkpoint?.seq ?? 0;
      if (collection === 'programs') return from === 0 ? page([programDoc], 1) : page([], from);
      if (collection !== 'members') return page([], from);
      const to = Math.min(backend.count, from + limit);
      const documents: MemberDoc[] = [];
      for (let i = from; i < to; i += 1) documents.push(memberDoc(i));
      served += documents.length;
      return page(documents, to);
    },
    snapshot: (position, limit) =>
      relay.page((at) => Promise.resolve(ok(snapshotStream(backend.count, at))), position, limit),
    push: async (events) =>
      ok({
        results: events.map((e) => ({
          id: e.id,
          outcome: 'stored' as const,
          status: 'posted' as const,
          memberSeq: null,
          reason: null,
        })),
      }),
    close: async () => err({ code: 'offline', message: 'the harness host has no day close' }),
    lookup: async () => ok([]),
    lanStatus: async () => LAN_OFF,
    onLanStatus: () => () => undefined,
    peerEvents: async () => [],
    keepOwnEvents: async () => null,
    onPeerEvents: () => () => undefined,
    onHqStream(listener) {
      listener({ type: 'RESYNC' });
      return () => undefined;
    },
  };
  return backend;
}

export interface HarnessTerminal {
  link: TerminalLink;
  /** The real host side (createHostApi over the link): pass it to serveHarness or setBackend. */
  api: TerminalApi;
  terminalId: string;
  storeId: string;
  /** Stops the link's event stream and removes its credential. */
  close(): Promise<void>;
}

/**
 * A terminal enrolled with a test HQ (startTestHq: HQ's HTTP API over PGlite): its TerminalLink (real HTTP
 * and event stream, credential in a temporary file) behind the host's createHostApi, so the page's
 * replication talks to HQ exactly as in production. One per terminal database: a terminal's ledger is one
 * hash chain, so two databases must never share an identity.
 */
export async function enrollHarnessTerminal(hq: TestHq, name = 'Harness till'): Promise<HarnessTerminal> {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-harness-credential-'));
  const link = new TerminalLink({
    hqUrl: hq.url,
    credentials: fileCredentialStore(join(dir, 'credential.json')),
  });
  const enrolled = await link.enroll({ code: await hq.enrollmentCode(), name });
  if (!enrolled.ok) throw new Error(`enrollment failed: ${enrolled.error.message}`);
  const api = createHostApi({ link, hostInfo: { host: 'browser', version: 'harness' } });
  return {
    link,
    api,
    ...enrolled.value,
    async close() {
      await link.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { startTestHq, type TestHq };

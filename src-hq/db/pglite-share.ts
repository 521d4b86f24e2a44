// HQ's embedded PGlite, shared with the admin CLI while HQ runs. PGlite is one process's database: a second
// process opening its folder would corrupt it. So HQ holds the folder (`hq.pid`) and, while it runs, serves
// its PGlite over the PostgreSQL wire protocol (@electric-sql/pglite-socket's protocol handler) on a Unix
// socket in a private folder (`socket/`, mode 0700: only HQ's own OS user can connect, since the socket asks
// no password), or on 127.0.0.1 when the socket's path is too long for the OS. It writes where in
// `hq.endpoint.json` (mode 0600) and removes both at shutdown. The CLI, finding the folder held, connects
// there with `pg` (folderState); a file left by a crashed HQ names a dead process and is ignored.
//
// PGlite has a single backend, so a session must never interleave with HQ's own statements: every session
// takes the floor (floor.ts) with its first message and gives it back when PostgreSQL says it is idle again
// (ReadyForQuery 'I'), so an admin's transaction runs whole between HQ's, never inside one. A session that
// holds the floor mid-transaction and goes quiet for HOLD_TIMEOUT_MS is disconnected (its transaction rolled
// back), so a stopped CLI cannot stall HQ for long. Notifications its commits raise (terminals' `changed`)
// are handed to HQ's listeners.
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import type { PgliteDb } from './database.js';

export const LOCK_FILE = 'hq.pid';
export const ENDPOINT_FILE = 'hq.endpoint.json';
/** The socket's folder in the data folder; `.s.PGSQL.<port>` is the name libpq and `pg` look for. */
const SOCKET_DIR = 'socket';
const SOCKET_PORT = 5432;
/** sockaddr_un's path is 108 bytes on Linux, 104 on macOS, with its terminating NUL. */
const MAX_SOCKET_PATH = 103;
export const HOLD_TIMEOUT_MS = 30_000;

// ---- the folder's lock and endpoint ---------------------------------------------------------------

/** Another live process holds the folder. */
export class FolderHeldError extends Error {
  override readonly name = 'FolderHeldError';
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(`HQ is running on ${dataDir} (process ${pid}).`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readPid = (dataDir: string): number | null => {
  try {
    const pid = Number(readFileSync(resolve(dataDir, LOCK_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * The live process that holds the folder (this one too: opening a folder twice in one process corrupts it
 * as surely); null when none does, or its file names a process that is gone.
 */
export function lockHolder(dataDir: string): number | null {
  const pid = readPid(dataDir);
  return pid !== null && alive(pid) ? pid : null;
}

/** Takes the folder for this process (a stale lock is replaced); returns the release. */
export function lockFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = lockHolder(dataDir);
      if (holder !== null) throw new FolderHeldError(holder, dataDir);
      rmSync(path, { force: true });
    }
  }
  return () => {
    if (readPid(dataDir) === process.pid) rmSync(path, { force: true });
  };
}

export interface Endpoint {
  pid: number;
  /** An absolute socket folder (a Unix socket), or 127.0.0.1. */
  host: string;
  port: number;
}

function readEndpoint(dataDir: string): Endpoint | null {
  try {
    const value = JSON.parse(readFileSync(resolve(dataDir, ENDPOINT_FILE), 'utf8')) as Partial<Endpoint>;
    const { pid, host, port } = value;
    return typeof pid === 'number' && typeof host === 'string' && typeof port === 'number'
      ? { pid, host, port }
      : null;
  } catch {
    return null;
  }
}

/** A connection string for `pg` (PGlite takes any user and database name). */
export function endpointUrl(endpoint: Endpoint): string {
  return endpoint.host.startsWith('/')
    ? `postgresql://hq@localhost/hq?host=${encodeURIComponent(endpoint.host)}&port=${endpoint.port}`
    : `postgresql://hq@${endpoint.host}:${endpoint.port}/hq`;
}

export type FolderState =
  /** No live process holds it: open it directly. */
  | { state: 'free' }
  /** HQ holds it and shares its database at `url`. */
  | { state: 'shared'; pid: number; url: string }
  /** A live process holds it with no endpoint (HQ starting, or not an HQ that shares). */
  | { state: 'held'; pid: number };

export function folderState(dataDir: string): FolderState {
  const pid = lockHolder(dataDir);
  if (pid === null) return { state: 'free' };
  const endpoint = readEndpoint(dataDir);
  return endpoint?.pid === pid
    ? { state: 'shared', pid, url: endpointUrl(endpoint) }
    : { state: 'held', pid };
}

function writePrivateFile(path: string, text: string): void {
  const staging = `${path}.${process.pid}`;
  rmSync(staging, { force: true });
  writeFileSync(staging, text, { mode: 0o600, flag: 'wx' });
  renameSync(staging, path);
}

// ---- the wire: what PostgreSQL answered -----------------------------------------------------------

const READY_FOR_QUERY = 0x5a; // 'Z'
const NOTIFICATION = 0x41; // 'A'
const TERMINATE = 0x58; // 'X'
const IDLE = 0x49; // 'I': no transaction open
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * Reads the backend's messages as they stream out (split anywhere): whether the last one said "idle", and
 * the notifications among them.
 */
class BackendMessages {
  private carry = Buffer.alloc(0);
  idle = false;
  readonly notifications: { channel: string; payload: string }[] = [];

  push(chunk: Uint8Array): void {
    let buffer = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk);
    while (buffer.length >= 5) {
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) break;
      const type = buffer[0];
      this.idle = type === READY_FOR_QUERY && buffer[5] === IDLE;
      if (type === NOTIFICATION) {
        const body = buffer.subarray(9, 1 + length);
        const end = body.indexOf(0);
        this.notifications.push({
          channel: body.subarray(0, end).toString('utf8'),
          payload: body.subarray(end + 1, body.indexOf(0, end + 1)).toString('utf8'),
        });
      }
      buffer = buffer.subarray(1 + length);
    }
    this.carry = Buffer.from(buffer);
  }
}

// ---- sessions on the floor ------------------------------------------------------------------------

/**
 * What PGLiteSocketHandler asks of its queue (the package's own queue lets HQ's statements interleave
 * with a session's, which is why this one replaces it): run each session's messages in order, holding the
 * floor from a session's first message until it is idle; forget a session that disconnected, rolling back
 * what it left open.
 */
class SessionQueue {
  private holder: { id: number; release: () => void } | null = null;
  private readonly chains = new Map<number, Promise<unknown>>();
  private readonly gone = new Set<number>();
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: PgliteDb['engine'],
    private readonly holdTimeoutMs: number,
    private readonly onQuiet: (id: number) => void,
  ) {}

  enqueue(id: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const run = () => this.execute(id, message, onData);
    const next = (this.chains.get(id) ?? Promise.resolve()).then(run);
    this.chains.set(
      id,
      next.catch(() => undefined),
    );
    return next;
  }

  clearQueueForHandler(id: number): void {
    this.gone.add(id);
  }

  async clearTransactionIfNeeded(id: number): Promise<void> {
    this.gone.add(id);
    await this.chains.get(id);
    this.chains.delete(id);
    if (this.holder?.id === id) {
      const { pglite } = this.engine;
      // End an extended-protocol exchange cut short, then any transaction the session left open.
      await pglite.runExclusive(() => pglite.execProtocolRaw(SYNC));
      if (pglite.isInTransaction()) await pglite.exec('ROLLBACK');
      this.giveBack(id);
    }
    this.gone.delete(id);
  }

  private async execute(
    id: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    if (this.gone.has(id)) throw new Error('Handler disconnected');
    if (this.holder?.id !== id) {
      const release = await this.engine.floor.acquire();
      if (this.gone.has(id)) {
        release();
        throw new Error('Handler disconnected');
      }
      this.holder = { id, release };
    }
    clearTimeout(this.holdTimer);
    const { pglite } = this.engine;
    const answer = new BackendMessages();
    let bytes = 0;
    try {
      await pglite.runExclusive(() =>
        pglite.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            answer.push(data);
            onData(data);
          },
        }),
      );
    } finally {
      for (const { channel, payload } of answer.notifications) this.engine.notify(channel, payload);
    }
    if (answer.idle || message[0] === TERMINATE) {
      this.giveBack(id);
    } else {
      this.holdTimer = setTimeout(() => this.onQuiet(id), this.holdTimeoutMs);
      this.holdTimer.unref();
    }
    return bytes;
  }

  private giveBack(id: number): void {
    if (this.holder?.id !== id) return;
    clearTimeout(this.holdTimer);
    this.holder.release();
    this.holder = null;
  }
}

// ---- the server -------------------------------------------------------------------------------------

export interface SharedPglite {
  endpoint: Endpoint;
  /** Sessions connected now (for tests and operations). */
  readonly sessions: number;
  /** Disconnects every session (rolling back what they left open), stops listening, removes the files. */
  close(): Promise<void>;
}

function listen(server: Server, where: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
}

/**
 * Shares `db` while HQ holds `dataDir` (lockFolder first): serves it on a private Unix socket in the
 * folder (127.0.0.1 when that path is too long) and writes the endpoint file.
 */
export async function sharePglite(
  db: PgliteDb,
  dataDir: string,
  options: { holdTimeoutMs?: number } = {},
): Promise<SharedPglite> {
  const dir = resolve(dataDir);
  const socketDir = join(dir, SOCKET_DIR);
  const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  const sockets = new Map<number, Socket>();
  const handlers = new Set<PGLiteSocketHandler>();
  const queue = new SessionQueue(db.engine, options.holdTimeoutMs ?? HOLD_TIMEOUT_MS, (id) =>
    sockets.get(id)?.destroy(),
  );

  const server = createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      // The package types its queue as its own class; SessionQueue has the three methods it calls.
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    sockets.set(handler.handlerId, socket);
    const forget = () => {
      handlers.delete(handler);
      sockets.delete(handler.handlerId);
    };
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => socket.destroy());
  });

  let endpoint: Endpoint;
  if (Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH) {
    // Created private, and made private if it was not: the folder is what keeps other users out.
    mkdirSync(socketDir, { recursive: true, mode: 0o700 });
    chmodSync(socketDir, 0o700);
    // A socket left by a crashed HQ: this process holds the folder now.
    rmSync(socketPath, { force: true });
    await listen(server, { path: socketPath });
    endpoint = { pid: process.pid, host: socketDir, port: SOCKET_PORT };
  } else {
    await listen(server, { host: '127.0.0.1', port: 0 });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the socket server has no port');
    endpoint = { pid: process.pid, host: '127.0.0.1', port: address.port };
  }
  writePrivateFile(join(dir, ENDPOINT_FILE), `${JSON.stringify(endpoint)}\n`);

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    get sessions() {
      return handlers.size;
    },
    close() {
      closing ??= (async () => {
        rmSync(join(dir, ENDPOINT_FILE), { force: true });
        const stopped = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        await Promise.all([...handlers].map((handler) => handler.detach(true)));
        await stopped;
        if (endpoint.host === socketDir) rmSync(socketDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

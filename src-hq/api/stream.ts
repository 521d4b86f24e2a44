// The live stream (GET /v1/stream): server-sent events that tell terminals when to pull. Each connection
// gets `RESYNC` first (so a reconnect never misses what changed while it was away), then `changed` with
// the collections that moved, driven by the database's change notifications (Db.listen on CHANGES_CHANNEL,
// so a commit by any HQ process reaches the terminals of every process). A pull held back at the change
// horizon is announced again on the same channel once the horizon passes it (store/change-horizon.ts), so
// a terminal never waits for the next unrelated change. Notifications are coalesced over a
// short window, comment heartbeats keep proxies from closing idle connections, and a client that stops
// reading is disconnected (it reconnects and resyncs) rather than buffered without bound. A terminal may
// hold a few streams at once (its live one, and one a network change left half-open until it times out);
// one more is refused with 429 rather than closing the oldest, since two live readers of one terminal
// would otherwise take turns closing each other for ever.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { collectionSchema, type CollectionName, type StreamMessage } from '../../src-shared/sync/wire.js';
import type { Db, Unlisten } from '../db/database.js';
import { CHANGES_CHANNEL } from '../store/changes.js';
import { HttpError } from './errors.js';

export interface StreamOptions {
  /** Interval of the `: heartbeat` comments (default 15 s). */
  heartbeatMs?: number;
  /** Notifications within this window go out as one `changed` message (default 100 ms). */
  coalesceMs?: number;
  /** Reconnect delay suggested to EventSource clients (the `retry:` field; default 3 s). */
  retryMs?: number;
  /** Streams one terminal may hold open at once (default 2); one more is refused with 429. */
  maxPerTerminal?: number;
}

/** Seconds a refused stream is told to wait: about when a half-open connection's heartbeat fails. */
export const STREAM_CAP_RETRY_SECONDS = 30;

export function tooManyStreams(max: number): HttpError {
  return new HttpError(
    429,
    'too-many-streams',
    `This terminal already has ${max} live stream${max === 1 ? '' : 's'} open at HQ, the most it may hold. ` +
      'Close one, or retry once a dropped connection has timed out.',
    undefined,
    { 'retry-after': String(STREAM_CAP_RETRY_SECONDS) },
  );
}

/** A client whose unsent output exceeds this is not reading: it is disconnected. */
const MAX_BUFFERED_BYTES = 64 * 1024;

interface StreamClient {
  terminalId: string;
  res: ServerResponse;
}

export const formatMessage = (message: StreamMessage): string => `data: ${JSON.stringify(message)}\n\n`;

/** Emits `connected` and `disconnected` with the terminal id as streams open and end. */
export class StreamHub extends EventEmitter<{ connected: [string]; disconnected: [string] }> {
  private readonly clients = new Set<StreamClient>();
  private readonly pending = new Set<CollectionName>();
  private readonly heartbeatMs: number;
  private readonly coalesceMs: number;
  private readonly retryMs: number;
  private readonly maxPerTerminal: number;
  private listening: Promise<Unlisten> | null = null;
  private flushTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    options: StreamOptions = {},
  ) {
    super();
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.coalesceMs = options.coalesceMs ?? 100;
    this.retryMs = options.retryMs ?? 3_000;
    this.maxPerTerminal = options.maxPerTerminal ?? 2;
  }

  /** Connected clients (for tests and health). */
  get size(): number {
    return this.clients.size;
  }

  /** The streams `terminalId` holds open. */
  streamsOf(terminalId: string): number {
    let n = 0;
    for (const client of this.clients) if (client.terminalId === terminalId) n += 1;
    return n;
  }

  /** Starts listening for change notifications once; later calls share the first. Retried after a failure. */
  listen(): Promise<Unlisten> {
    if (!this.listening) {
      this.listening = this.db
        .listen(CHANGES_CHANNEL, (payload) => this.notified(payload), {
          onReconnect: () => {
            this.log.warn('change notifications reconnected; telling every stream to resync');
            this.broadcast({ type: 'RESYNC' });
          },
        })
        .catch((error: unknown) => {
          this.listening = null;
          throw error;
        });
    }
    return this.listening;
  }

  /**
   * Takes over a response as an event stream for a terminal: listens first, registers the client, then
   * sends RESYNC, so any change committed after the terminal's next pull reaches it as `changed`. A
   * terminal at its cap gets HQ's error body instead (429, Retry-After).
   */
  async open(terminalId: string, res: ServerResponse, headers: Record<string, string> = {}): Promise<void> {
    await this.listen();
    // The client may have gone, or the server begun closing, while listening started.
    if (this.closed || res.destroyed || !res.socket || res.socket.destroyed) {
      res.destroy();
      return;
    }
    // Counted and registered with no await between: concurrent opens cannot both squeeze in.
    const open = this.streamsOf(terminalId);
    if (open >= this.maxPerTerminal) {
      this.log.warn({ terminalId, open }, 'stream refused: the terminal holds its most streams already');
      const refusal = tooManyStreams(this.maxPerTerminal);
      res.writeHead(refusal.statusCode, {
        ...headers,
        ...refusal.headers,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(JSON.stringify(refusal.body()));
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies must pass events through as they come.
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    const client: StreamClient = { terminalId, res };
    this.clients.add(client);
    res.on('close', () => this.remove(client));
    this.write(client, `retry: ${this.retryMs}\n${formatMessage({ type: 'RESYNC' })}`);
    this.startHeartbeat();
    this.emit('connected', terminalId);
  }

  /** Ends the streams of one terminal (revoked). */
  disconnectTerminal(terminalId: string): void {
    for (const client of this.clients) {
      if (client.terminalId === terminalId) this.end(client);
    }
  }

  /** Ends every stream (server closing); listening goes on until stop(). */
  endAll(): void {
    this.closed = true;
    for (const client of this.clients) this.end(client);
  }

  /** Ends every stream and stops listening. */
  async stop(): Promise<void> {
    this.endAll();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const listening = this.listening;
    this.listening = null;
    if (listening) await (await listening.catch(() => null))?.();
  }

  private notified(payload: string): void {
    const collection = collectionSchema.safeParse(payload);
    if (!collection.success) return;
    this.pending.add(collection.data);
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), this.coalesceMs);
    this.flushTimer.unref();
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const collections = [...this.pending].sort();
    this.pending.clear();
    this.broadcast({ type: 'changed', collections });
  }

  private broadcast(message: StreamMessage): void {
    const text = formatMessage(message);
    for (const client of this.clients) this.write(client, text);
  }

  private write(client: StreamClient, text: string): void {
    const { res } = client;
    if (res.writableEnded || res.destroyed) {
      this.remove(client);
      return;
    }
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.log.warn({ terminalId: client.terminalId }, 'stream client is not reading; disconnecting it');
      res.destroy();
      this.remove(client);
      return;
    }
    res.write(text);
  }

  private end(client: StreamClient): void {
    this.remove(client);
    if (!client.res.writableEnded) client.res.end();
  }

  private remove(client: StreamClient): void {
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0 && this.heartbeatTimer) {
      clearInterval(this.heartbeatTimer);
      this.heartbeatTimer = undefined;
    }
    this.emit('disconnected', client.terminalId);
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => {
      for (const client of this.clients) this.write(client, ': heartbeat\n\n');
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }
}

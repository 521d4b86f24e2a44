// HQ's live event stream (GET /v1/stream, server-sent events) as the terminal consumes it: a small SSE
// parser over a fetch body (Node 20's EventSource is experimental, and cannot send a bearer token), and a
// loop that reconnects with capped, jittered exponential backoff after any error or end. Listeners hear
// HQ's messages (`RESYNC` first on every connection, then `changed`) and one `DISCONNECTED` each time the
// stream goes down (or cannot be opened), never a repeat while it stays down.
import { setTimeout as delay } from 'node:timers/promises';
import type { HqError, HqResult, HqStreamMessage } from '../../src-shared/ipc/hq-api.js';
import { backoffDelay } from '../../src-shared/kernel/backoff.js';
import { streamMessageSchema } from '../../src-shared/sync/wire.js';

/** One dispatched server-sent event. */
export interface SseEvent {
  /** `event:` field; `message` when absent. */
  type: string;
  data: string;
  lastEventId: string;
}

/** A line longer than this is not HQ's: the connection is dropped (and made again). */
export const MAX_SSE_LINE = 1024 * 1024;

/**
 * The text/event-stream format (WHATWG HTML, server-sent events): lines end with CRLF, LF or CR; `data:`
 * lines accumulate; a blank line dispatches; lines starting with `:` are comments; `retry:` sets the
 * reconnection delay. Feed it decoded text in any chunking.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private lastEventId = '';
  /** The last `retry:` value HQ sent, in milliseconds. */
  retryMs: number | null = null;
  /** Comments seen (HQ's heartbeats). */
  comments = 0;

  /** Parses a chunk; returns the events it completed. Throws when a line exceeds MAX_SSE_LINE. */
  push(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR at the end of the chunk may be the first half of a CRLF: wait for the next chunk.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      const event = this.line(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > MAX_SSE_LINE) throw new Error('event stream line too long');
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments += 1;
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  private dispatch(): SseEvent | null {
    const data = this.data;
    const type = this.type || 'message';
    this.data = [];
    this.type = '';
    if (data.length === 0) return null;
    return { type, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

export interface EventStreamTiming {
  /** First reconnection delay (default 1 s; HQ's `retry:` replaces it once received). */
  initialDelayMs?: number;
  /** Longest reconnection delay (default 30 s). */
  maxDelayMs?: number;
  /** No byte for this long (HQ sends a heartbeat every 15 s) and the connection is presumed dead (default 45 s). */
  idleTimeoutMs?: number;
  /** For the jitter; default Math.random. */
  random?: () => number;
}

export interface EventStreamOptions extends EventStreamTiming {
  /** Opens the stream (HqClient.openStream): its body, or why not. */
  connect(signal: AbortSignal): Promise<HqResult<ReadableStream<Uint8Array>>>;
  /** HQ's messages and DISCONNECTED. */
  onMessage(message: HqStreamMessage): void;
  /** Bytes arrived from HQ (a message or a heartbeat): HQ is reachable. */
  onContact?(): void;
  /** The stream failed to open or dropped, and why. */
  onError?(error: HqError): void;
}

/** Errors that another attempt cannot fix: the stream stops until it is started again. */
const PERMANENT: ReadonlySet<HqError['code']> = new Set(['not-enrolled', 'unauthorised', 'upgrade-required']);

type ReadOutcome = { error: HqError; delivered: boolean };

export class EventStream {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly idleTimeoutMs: number;
  private readonly random: () => number;
  private abort: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private up = false;
  /** DISCONNECTED was sent for the current outage. */
  private announcedDown = false;
  private serverRetryMs: number | null = null;

  constructor(private readonly options: EventStreamOptions) {
    this.initialDelayMs = options.initialDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
    this.random = options.random ?? Math.random;
  }

  /** Whether a connection is open now. */
  get connected(): boolean {
    return this.up;
  }

  /** Whether the loop runs (connected, connecting or waiting to reconnect). */
  get running(): boolean {
    return this.loop !== null;
  }

  /** Starts connecting (no-op when running). */
  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.announcedDown = false;
    this.loop = this.run(abort.signal).finally(() => {
      if (this.abort === abort) {
        this.abort = null;
        this.loop = null;
      }
    });
  }

  /** Stops: closes the connection and cancels any wait; resolves when the loop has ended. */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.abort?.abort();
    await loop;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      const opened = await this.options.connect(signal).catch((): HqResult<ReadableStream<Uint8Array>> => ({
        ok: false,
        error: { code: 'offline', message: 'HQ cannot be reached: the event stream could not open.' },
      }));
      if (signal.aborted) {
        if (opened.ok) await opened.value.cancel().catch(() => undefined);
        break;
      }
      let failure: HqError;
      if (opened.ok) {
        this.up = true;
        this.announcedDown = false;
        const outcome = await this.read(opened.value, signal);
        this.up = false;
        if (outcome.delivered) attempt = 0;
        failure = outcome.error;
      } else {
        failure = opened.error;
      }
      if (signal.aborted) break;
      this.down(failure);
      if (PERMANENT.has(failure.code)) break;
      try {
        await delay(this.backoff(attempt), undefined, { signal });
      } catch {
        break;
      }
      attempt += 1;
    }
    this.up = false;
  }

  /** Reads one connection until it ends, fails, goes silent or the stream is stopped. */
  private async read(body: ReadableStream<Uint8Array>, stopped: AbortSignal): Promise<ReadOutcome> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let delivered = false;
    let idle: NodeJS.Timeout | undefined;
    let silent = false;
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        silent = true;
        void reader.cancel().catch(() => undefined);
      }, this.idleTimeoutMs);
    };
    const onStop = (): void => void reader.cancel().catch(() => undefined);
    stopped.addEventListener('abort', onStop, { once: true });
    armIdle();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armIdle();
        this.options.onContact?.();
        const events = parser.push(decoder.decode(value, { stream: true }));
        if (parser.retryMs !== null) this.serverRetryMs = parser.retryMs;
        for (const event of events) {
          if (stopped.aborted) break;
          if (event.type !== 'message') continue;
          const message = parseMessage(event.data);
          if (!message) continue;
          delivered = true;
          this.options.onMessage(message);
        }
      }
    } catch (error) {
      if (!stopped.aborted && !silent) {
        const why = error instanceof Error && error.message.includes('too long') ? 'sent garbage' : 'was cut';
        return { delivered, error: offline(`the event stream ${why}.`) };
      }
    } finally {
      clearTimeout(idle);
      stopped.removeEventListener('abort', onStop);
      // Frees the connection whatever ended the read (a no-op after a clean end).
      await reader.cancel().catch(() => undefined);
    }
    if (silent)
      return { delivered, error: offline(`the event stream was silent for ${this.idleTimeoutMs} ms.`) };
    return { delivered, error: offline('HQ ended the event stream.') };
  }

  private down(error: HqError): void {
    this.options.onError?.(error);
    if (this.announcedDown) return;
    this.announcedDown = true;
    this.options.onMessage({ type: 'DISCONNECTED' });
  }

  /** Exponential from HQ's `retry:` (or initialDelayMs), capped, with jitter of up to half the delay. */
  private backoff(attempt: number): number {
    const initialMs = this.serverRetryMs ?? this.initialDelayMs;
    return backoffDelay({ initialMs, maxMs: this.maxDelayMs, jitter: 0.5 }, attempt, this.random);
  }
}

const offline = (why: string): HqError => ({ code: 'offline', message: `HQ cannot be reached: ${why}` });

function parseMessage(data: string): HqStreamMessage | null {
  try {
    const parsed = streamMessageSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

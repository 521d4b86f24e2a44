// The live stream over real HTTP: HQ listens on 127.0.0.1:0 and a terminal reads /v1/stream with fetch.
// Every wait is on something the stream (or the hub) says, never on time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../src-hq/api/server.js';
import type { StreamHub } from '../../../src-hq/api/stream.js';
import type { Db } from '../../../src-hq/db/database.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createAdminToken, createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { streamMessageSchema, type StreamMessage } from '../../../src-shared/sync/wire.js';
import { pgliteDatabase, postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';

/** What arrives on an event stream: messages and comments, in order. */
type Arrival = { kind: 'message'; message: StreamMessage } | { kind: 'comment'; text: string };

/** A terminal reading /v1/stream: `next(match)` waits for the next arrival that matches. */
class StreamReader {
  private readonly arrivals: Arrival[] = [];
  private readonly waiting: {
    match: (a: Arrival) => boolean;
    resolve: (a: Arrival) => void;
    reject: (e: Error) => void;
  }[] = [];
  private ended = false;
  readonly done: Promise<void>;

  constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.done = this.read();
  }

  static async open(url: string, token: string): Promise<StreamReader> {
    const abort = new AbortController();
    const response = await fetch(`${url}/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      signal: abort.signal,
    });
    return new StreamReader(response, abort);
  }

  private async read(): Promise<void> {
    const body = this.response.body;
    if (!body) throw new Error('no body');
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.block(block);
        }
      }
    } catch {
      // aborted by the test
    } finally {
      this.ended = true;
      for (const w of this.waiting.splice(0)) w.reject(new Error('stream ended'));
    }
  }

  private block(block: string): void {
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.arrive({ kind: 'comment', text: line.slice(1).trim() });
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length > 0) {
      this.arrive({ kind: 'message', message: streamMessageSchema.parse(JSON.parse(data.join('\n'))) });
    }
  }

  private arrive(arrival: Arrival): void {
    const waiter = this.waiting.find((w) => w.match(arrival));
    if (waiter) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve(arrival);
    } else {
      this.arrivals.push(arrival);
    }
  }

  /** The next arrival matching (earlier non-matching ones are dropped). */
  next(match: (a: Arrival) => boolean): Promise<Arrival> {
    while (this.arrivals.length > 0) {
      const a = this.arrivals.shift() as Arrival;
      if (match(a)) return Promise.resolve(a);
    }
    if (this.ended) return Promise.reject(new Error('stream ended'));
    return new Promise((resolve, reject) => this.waiting.push({ match, resolve, reject }));
  }

  nextMessage(): Promise<StreamMessage> {
    return this.next((a) => a.kind === 'message').then((a) => (a as { message: StreamMessage }).message);
  }

  /** Waits until `changed` messages have named every one of `collections`. */
  async changed(collections: readonly string[]): Promise<void> {
    const missing = new Set(collections);
    while (missing.size > 0) {
      const m = await this.nextMessage();
      if (m.type === 'changed') for (const c of m.collections) missing.delete(c);
    }
  }

  close(): void {
    this.abort.abort();
  }
}

/** Resolves when the hub has no stream of `terminalId` left. */
function streamGone(hub: StreamHub, terminalId: string): Promise<void> {
  return new Promise((resolve) => {
    const onGone = (id: string) => {
      if (id !== terminalId) return;
      hub.off('disconnected', onGone);
      resolve();
    };
    hub.on('disconnected', onGone);
  });
}

interface Hq {
  app: FastifyInstance;
  url: string;
}

async function startHq(db: Db, heartbeatMs = 15_000): Promise<Hq> {
  const app = buildServer({
    db,
    clock: new ManualClock(Date.parse('2025-03-03T12:00:00Z')),
    config: { stream: { heartbeatMs, coalesceMs: 20 } },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

async function setUp(db: Db, storeId: string) {
  const clock = new ManualClock(Date.parse('2025-03-03T12:00:00Z'));
  await createStore(db, { id: storeId, name: storeId, timeZone: 'Europe/Paris' });
  const enroll = async (name: string) =>
    enrollTerminal(db, (await createEnrollmentCode(db, storeId, clock)).code, name, clock);
  return { enroll, adminToken: await createAdminToken(db, `admin ${storeId}`) };
}

async function push(url: string, token: string, events: unknown[]): Promise<Response> {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
    body: JSON.stringify({ events }),
  });
}

describe('the live stream on PGlite', () => {
  let t: TestDatabase;
  let hq: Hq;
  let terminals: Awaited<ReturnType<typeof setUp>>;

  beforeAll(async () => {
    t = await pgliteDatabase();
    await publishProgram(t.db, testProgram());
    terminals = await setUp(t.db, 's-1');
    hq = await startHq(t.db, 30);
  });
  afterAll(async () => {
    await hq.app.close();
    await t.close();
  });

  it('sends RESYNC first, then `changed` when another terminal pushes, and heartbeats', async () => {
    const a = await terminals.enroll('Till A');
    const b = await terminals.enroll('Till B');
    const stream = await StreamReader.open(hq.url, a.token);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.response.headers.get('cache-control')).toContain('no-cache');
    expect(stream.response.headers.get(PROTOCOL_HEADER)).toBe(String(PROTOCOL_VERSION));
    expect(await stream.nextMessage()).toEqual({ type: 'RESYNC' });

    const f = eventFactory({ terminalId: b.terminalId, storeId: 's-1' });
    const pushed = await push(hq.url, b.token, [f.enrolled('m-stream'), f.earned('m-stream', 40)]);
    expect(pushed.status).toBe(200);
    await stream.changed(['events', 'members']);

    const heartbeat = await stream.next((x) => x.kind === 'comment');
    expect(heartbeat).toEqual({ kind: 'comment', text: 'heartbeat' });

    const gone = streamGone(hq.app.streamHub, a.terminalId);
    stream.close();
    await gone;
    await stream.done;
  });

  it('sends RESYNC again on every reconnect', async () => {
    const a = await terminals.enroll('Till reconnect');
    for (let i = 0; i < 3; i++) {
      const stream = await StreamReader.open(hq.url, a.token);
      expect(await stream.nextMessage()).toEqual({ type: 'RESYNC' });
      const gone = streamGone(hq.app.streamHub, a.terminalId);
      stream.close();
      await gone;
    }
  });

  it('ends the stream of a revoked terminal and refuses it afterwards', async () => {
    const a = await terminals.enroll('Till revoke');
    const stream = await StreamReader.open(hq.url, a.token);
    expect(await stream.nextMessage()).toEqual({ type: 'RESYNC' });
    const revoked = await fetch(`${hq.url}/v1/admin/terminals/${a.terminalId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${terminals.adminToken}` },
    });
    expect(revoked.status).toBe(200);
    await stream.done;
    const again = await fetch(`${hq.url}/v1/stream`, {
      headers: { authorization: `Bearer ${a.token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(again.status).toBe(401);
  });

  it('closes with streams open', async () => {
    const other = await startHq(t.db);
    const a = await terminals.enroll('Till closing');
    const stream = await StreamReader.open(other.url, a.token);
    expect(await stream.nextMessage()).toEqual({ type: 'RESYNC' });
    await other.app.close();
    await stream.done;
    expect(other.app.streamHub.size).toBe(0);
  });
});

describe('the live stream on PostgreSQL, across HQ processes', () => {
  let t: TestDatabase;
  let one: Hq;
  let two: Hq;

  beforeAll(async () => {
    t = await postgresDatabase();
    await publishProgram(t.db, testProgram());
    // Two HQ instances, each with its own connections, as two processes behind a load balancer would be.
    one = await startHq(t.db);
    two = await startHq(t.db);
  });
  afterAll(async () => {
    await one.app.close();
    await two.app.close();
    await t.close();
  });

  it('tells a terminal streaming from one process about a push to the other', async () => {
    const terminals = await setUp(t.db, 's-pg');
    const a = await terminals.enroll('Till A');
    const b = await terminals.enroll('Till B');
    const stream = await StreamReader.open(one.url, a.token);
    expect(await stream.nextMessage()).toEqual({ type: 'RESYNC' });
    const f = eventFactory({ terminalId: b.terminalId, storeId: 's-pg' });
    const pushed = await push(two.url, b.token, [f.enrolled('m-pg'), f.earned('m-pg', 40)]);
    expect(pushed.status).toBe(200);
    await stream.changed(['events', 'members']);
    stream.close();
    await stream.done;
  });
});

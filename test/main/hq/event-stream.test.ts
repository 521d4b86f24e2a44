// The SSE parser in any chunking, and EventStream's reconnection rules against scripted connections:
// one DISCONNECTED per outage, RESYNC passed through on every connection, permanent refusals stop it,
// silence counts as a drop, and stop() ends everything (even a wait between attempts).
import { describe, expect, it } from 'vitest';
import { EventStream, SseParser, type SseEvent } from '../../../src-main/hq/event-stream.js';
import type { HqError, HqResult, HqStreamMessage } from '../../../src-shared/ipc/hq-api.js';

describe('SseParser', () => {
  const feed = (chunks: string[]): { events: SseEvent[]; parser: SseParser } => {
    const parser = new SseParser();
    const events = chunks.flatMap((chunk) => parser.push(chunk));
    return { events, parser };
  };

  it('parses HQ’s stream: retry, messages, heartbeats', () => {
    const text =
      'retry: 3000\ndata: {"type":"RESYNC"}\n\n: heartbeat\n\ndata: {"type":"changed","collections":["members"]}\n\n';
    const { events, parser } = feed([text]);
    expect(events.map((e) => e.data)).toEqual([
      '{"type":"RESYNC"}',
      '{"type":"changed","collections":["members"]}',
    ]);
    expect(events.every((e) => e.type === 'message')).toBe(true);
    expect(parser.retryMs).toBe(3000);
    expect(parser.comments).toBe(1);
  });

  it('gives the same events however the text is cut, CR, LF or CRLF', () => {
    const text = 'event: note\r\ndata: a\r\ndata:b\r\rdata: c\n\nid: 7\ndata: d\r\n\r\n';
    const whole = feed([text]).events;
    expect(whole).toEqual([
      { type: 'note', data: 'a\nb', lastEventId: '' },
      { type: 'message', data: 'c', lastEventId: '' },
      { type: 'message', data: 'd', lastEventId: '7' },
    ]);
    for (let size = 1; size <= 5; size += 1) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      expect(feed(chunks).events).toEqual(whole);
    }
  });

  it('dispatches nothing for a block without data, and refuses an endless line', () => {
    expect(feed(['event: x\n\n', ': only a comment\n\n']).events).toEqual([]);
    expect(() => new SseParser().push('data: '.padEnd(1024 * 1024 + 10, 'x'))).toThrow();
  });
});

/** A connection the test writes to. */
function scriptedBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    body,
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

type Attempt = HqResult<ReadableStream<Uint8Array>>;
const offline: HqError = { code: 'offline', message: 'HQ cannot be reached: the connection was refused.' };

/** An EventStream whose connection attempts are answered, in order, by `attempts` (then: offline). */
function scripted(attempts: Array<() => Attempt>, options: { idleTimeoutMs?: number } = {}) {
  const heard: HqStreamMessage[] = [];
  const errors: HqError[] = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  let connects = 0;
  const stream = new EventStream({
    initialDelayMs: 1,
    maxDelayMs: 4,
    ...options,
    connect: async () => {
      const next = attempts[connects];
      connects += 1;
      return next ? next() : { ok: false, error: offline };
    },
    onMessage: (message) => {
      heard.push(message);
      for (const w of waiting.filter((w) => heard.length >= w.count)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    },
    onError: (error) => errors.push(error),
  });
  const heardCount = (count: number): Promise<void> =>
    heard.length >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }));
  return { stream, heard, errors, heardCount, connects: () => connects };
}

describe('EventStream', () => {
  it('passes HQ’s messages on, then says DISCONNECTED once however many attempts fail', async () => {
    const first = scriptedBody();
    const second = scriptedBody();
    const failing = (): Attempt => ({ ok: false, error: offline });
    const s = scripted([
      () => ({ ok: true, value: first.body }),
      failing,
      failing,
      failing,
      () => ({ ok: true, value: second.body }),
    ]);
    s.stream.start();
    first.send('data: {"type":"RESYNC"}\n\ndata: {"type":"changed","collections":["events"]}\n\n');
    await s.heardCount(2);
    expect(s.stream.connected).toBe(true);
    first.end();
    await s.heardCount(3);
    second.send('data: {"type":"RESYNC"}\n\n');
    await s.heardCount(4);
    expect(s.heard.map((m) => m.type)).toEqual(['RESYNC', 'changed', 'DISCONNECTED', 'RESYNC']);
    expect(s.connects()).toBe(5);
    await s.stream.stop();
    expect(s.stream.running).toBe(false);
  });

  it('drops messages that do not fit the protocol', async () => {
    const body = scriptedBody();
    const s = scripted([() => ({ ok: true, value: body.body })]);
    s.stream.start();
    body.send('data: not json\n\ndata: {"type":"BOOM"}\n\nevent: other\ndata: {"type":"RESYNC"}\n\n');
    body.send('data: {"type":"RESYNC"}\n\n');
    await s.heardCount(1);
    expect(s.heard).toEqual([{ type: 'RESYNC' }]);
    await s.stream.stop();
  });

  it('stops by itself when HQ refuses the credential', async () => {
    const s = scripted([() => ({ ok: false, error: { code: 'unauthorised', message: 'revoked' } })]);
    s.stream.start();
    await s.heardCount(1);
    await s.stream.stop();
    expect(s.heard).toEqual([{ type: 'DISCONNECTED' }]);
    expect(s.errors).toEqual([{ code: 'unauthorised', message: 'revoked' }]);
    expect(s.connects()).toBe(1);
  });

  it('treats a silent connection as dropped, and reconnects', async () => {
    const silent = scriptedBody();
    const next = scriptedBody();
    const s = scripted([() => ({ ok: true, value: silent.body }), () => ({ ok: true, value: next.body })], {
      idleTimeoutMs: 20,
    });
    s.stream.start();
    silent.send('data: {"type":"RESYNC"}\n\n');
    await s.heardCount(2);
    expect(s.heard[1]).toEqual({ type: 'DISCONNECTED' });
    expect(s.errors[0]?.message).toContain('silent');
    next.send('data: {"type":"RESYNC"}\n\n');
    await s.heardCount(3);
    await s.stream.stop();
  });

  it('stop() ends a wait between attempts and an open connection alike', async () => {
    let down!: () => void;
    const wentDown = new Promise<void>((resolve) => (down = resolve));
    const slow = new EventStream({
      initialDelayMs: 60_000,
      maxDelayMs: 60_000,
      connect: async () => ({ ok: false, error: offline }),
      onMessage: (message) => {
        if (message.type === 'DISCONNECTED') down();
      },
    });
    slow.start();
    await wentDown; // now waiting a minute before the next attempt
    await slow.stop();
    expect(slow.running).toBe(false);

    const open = scriptedBody();
    const s = scripted([() => ({ ok: true, value: open.body })]);
    s.stream.start();
    open.send('data: {"type":"RESYNC"}\n\n');
    await s.heardCount(1);
    await s.stream.stop();
    expect(s.stream.connected).toBe(false);
    expect(s.connects()).toBe(1);
  });
});

// The cap on live streams per terminal, over real HTTP: a terminal holding its most streams is refused one
// more with HQ's error body (429, Retry-After) and nothing registered; another terminal is not; once one of
// its streams ends, it may open again. Waits are on the hub's own events, never on time.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src-hq/api/server.js';
import { STREAM_CAP_RETRY_SECONDS } from '../../../src-hq/api/stream.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';

describe('the cap on streams per terminal', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const clock = new ManualClock(Date.parse('2025-03-03T12:00:00Z'));
  const opened: AbortController[] = [];

  beforeAll(async () => {
    t = await pgliteDatabase();
    await createStore(t.db, { id: 's-1', name: 'Store', timeZone: 'Europe/Paris' });
    app = buildServer({ db: t.db, clock, config: { stream: { maxPerTerminal: 2 } } });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const abort of opened) abort.abort();
    await app?.close();
    await t?.close();
  });

  const enroll = async (name: string) =>
    enrollTerminal(t.db, (await createEnrollmentCode(t.db, 's-1', clock)).code, name, clock);

  const open = async (token: string): Promise<{ response: Response; abort: AbortController }> => {
    const abort = new AbortController();
    opened.push(abort);
    const response = await fetch(`${url}/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      signal: abort.signal,
    });
    return { response, abort };
  };

  it('refuses the third stream of one terminal with 429 and the error body, not another terminal’s', async () => {
    const a = await enroll('Till A');
    const b = await enroll('Till B');
    const first = await open(a.token);
    const second = await open(a.token);
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(app.streamHub.streamsOf(a.terminalId)).toBe(2);

    const third = await open(a.token);
    expect(third.response.status).toBe(429);
    expect(third.response.headers.get('retry-after')).toBe(String(STREAM_CAP_RETRY_SECONDS));
    expect(third.response.headers.get('content-type')).toContain('application/json');
    expect(third.response.headers.get(PROTOCOL_HEADER)).toBe(String(PROTOCOL_VERSION));
    expect(await third.response.json()).toEqual({
      error: 'too-many-streams',
      message: expect.stringContaining('already has 2 live streams'),
    });
    expect(app.streamHub.streamsOf(a.terminalId)).toBe(2);

    const other = await open(b.token);
    expect(other.response.status).toBe(200);
    expect(app.streamHub.size).toBe(3);

    // One of A's streams ends: A may open one again.
    const gone = new Promise<void>((resolve) =>
      app.streamHub.once('disconnected', (id) => id === a.terminalId && resolve()),
    );
    first.abort.abort();
    await gone;
    expect(app.streamHub.streamsOf(a.terminalId)).toBe(1);
    const again = await open(a.token);
    expect(again.response.status).toBe(200);
    expect(app.streamHub.streamsOf(a.terminalId)).toBe(2);
  });

  it('lets concurrent opens of one terminal past the cap not squeeze in', async () => {
    const c = await enroll('Till C');
    const answers = await Promise.all([open(c.token), open(c.token), open(c.token), open(c.token)]);
    const statuses = answers.map((x) => x.response.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(app.streamHub.streamsOf(c.terminalId)).toBe(2);
  });
});

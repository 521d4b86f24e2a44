// HqClient against fake fetches: every HTTP outcome maps to an HqError code, answers are validated, and no
// error carries the token or HQ's address, whatever HQ or the network says.
import { describe, expect, it } from 'vitest';
import {
  describeNetworkFailure,
  HqClient,
  normaliseHqUrl,
  type FetchLike,
} from '../../../src-main/hq/hq-client.js';
import type { SignedEvent } from '../../../src-shared/lan/signature.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import {
  connectionResetError,
  recordingFetch as fakeFetch,
  type SeenRequest as Seen,
} from '../../support/fetch-fakes.js';

const BASE = 'https://hq.example.test:8443/loyalty';
const TOKEN = 'tok_0123456789abcdefghijklmnopqrstuvwxyz_ABCDEFG';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: '1', ...headers },
  });

const client = (fetch: FetchLike, token: string | null = TOKEN) =>
  new HqClient({ baseUrl: `${BASE}/`, token, fetch, timeoutMs: 1_000 });

const leaks = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [TOKEN, 'hq.example.test', '8443', BASE].filter((secret) => text.includes(secret));
};

describe('HqClient', () => {
  it('sends the protocol header and the bearer token to the base URL', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { documents: [], checkpoint: { seq: 0 } }));
    const result = await client(fetch).pull('members', { seq: 7 }, 100);
    expect(result).toEqual({ ok: true, value: { documents: [], checkpoint: { seq: 0 } } });
    const call = calls[0] as Seen;
    expect(call.url).toBe(`${BASE}/v1/pull/members?limit=100&checkpoint=7`);
    const headers = call.init.headers as Record<string, string>;
    expect(headers[PROTOCOL_HEADER]).toBe(String(PROTOCOL_VERSION));
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('answers not-enrolled without a request when it has no token', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, {}));
    const result = await client(fetch, null).push([]);
    expect(result).toMatchObject({ ok: false, error: { code: 'not-enrolled' } });
    expect(calls).toHaveLength(0);
  });

  it.each([
    [401, { error: 'invalid-token', message: 'This terminal token is not valid.' }, 'unauthorised'],
    [426, { error: 'protocol-too-old', message: 'Update the terminal software.' }, 'upgrade-required'],
    [400, { error: 'invalid-request', message: 'bad', problems: [{ path: 'x', message: 'y' }] }, 'rejected'],
    [403, { error: 'forbidden', message: 'not yours' }, 'rejected'],
    [413, { error: 'body-too-large', message: 'too big' }, 'rejected'],
    [429, { error: 'slow-down', message: 'busy' }, 'server-error'],
    [500, { error: 'internal', message: 'oops' }, 'server-error'],
    [503, { error: 'database-unavailable', message: 'no db' }, 'server-error'],
  ] as const)('maps HTTP %i to %s', async (status, body, code) => {
    const { fetch } = fakeFetch(() => json(status, body));
    const result = await client(fetch).push([]);
    expect(result).toMatchObject({ ok: false, error: { code } });
    if (status === 400) expect(result).toMatchObject({ error: { problems: [{ path: 'x', message: 'y' }] } });
    if (status === 426) expect(result).toMatchObject({ error: { message: 'Update the terminal software.' } });
  });

  it('relays signed envelopes to POST /v1/events/relay and validates the answer as a push', async () => {
    const envelope = { event: { id: 'e-1' }, signature: 'ab'.repeat(64) } as unknown as SignedEvent;
    const answer = {
      results: [{ id: 'e-1', outcome: 'duplicate', status: 'posted', memberSeq: 3, reason: null }],
    };
    const { fetch, calls } = fakeFetch(() => json(200, answer));
    expect(await client(fetch).relay([envelope])).toEqual({ ok: true, value: answer });
    const call = calls[0] as Seen;
    expect(call.url).toBe(`${BASE}/v1/events/relay`);
    expect(call.init.method).toBe('POST');
    expect(JSON.parse(call.init.body as string)).toEqual({ events: [envelope] });
    const refused = fakeFetch(() =>
      json(403, {
        error: 'relay-unverified',
        message: 'Event 0 does not verify',
        problems: [{ path: 'events[0]', message: 'bad-signature' }],
      }),
    );
    expect(await client(refused.fetch).relay([envelope])).toMatchObject({
      ok: false,
      error: { code: 'rejected', problems: [{ path: 'events[0]', message: 'bad-signature' }] },
    });
    const none = fakeFetch(() => json(200, answer));
    expect(await client(none.fetch, null).relay([envelope])).toMatchObject({
      ok: false,
      error: { code: 'not-enrolled' },
    });
    expect(none.calls).toHaveLength(0);
  });

  it('maps a gateway error without HQ behind it to offline', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await client(fetch).push([])).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('maps network failures and timeouts to offline, in its own words', async () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:8443'), { code: 'ECONNREFUSED' }),
    });
    for (const failure of [refused, connectionResetError(), new DOMException('late', 'TimeoutError')]) {
      const { fetch } = fakeFetch(() => Promise.reject(failure));
      const result = await client(fetch).push([]);
      expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
      expect(JSON.stringify(result)).not.toContain('10.1.2.3');
    }
    expect(describeNetworkFailure(new DOMException('late', 'TimeoutError'), 1_500)).toContain('1.5 s');
  });

  it('times out a request whose answer never comes', async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    const result = await new HqClient({ baseUrl: BASE, token: TOKEN, fetch, timeoutMs: 20 }).push([]);
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
  });

  it('refuses an answer that does not fit the protocol', async () => {
    const { fetch } = fakeFetch(() => json(200, { documents: [{ id: 1 }], checkpoint: { seq: 1 } }));
    const result = await client(fetch).pull('members', null, 10);
    expect(result).toMatchObject({ ok: false, error: { code: 'server-error' } });
    const notJson = fakeFetch(() => new Response('<html>', { status: 200 }));
    expect(await client(notJson.fetch).push([])).toMatchObject({
      ok: false,
      error: { code: 'server-error' },
    });
  });

  it('never returns the token or the address, even when HQ quotes them', async () => {
    const { fetch } = fakeFetch(() =>
      json(400, {
        error: 'invalid-request',
        message: `token ${TOKEN} sent to ${BASE} at hq.example.test:8443`,
        problems: [{ path: TOKEN, message: `see ${BASE}` }],
      }),
    );
    const result = await client(fetch).close({
      businessDay: '2025-03-03',
      firstSeq: 0,
      lastSeq: 0,
      count: 0,
      lastHash: null,
      pointsIssued: 0,
      pointsRedeemed: 0,
    });
    expect(result.ok).toBe(false);
    expect(leaks(result)).toEqual([]);
  });

  it('normalises HQ addresses and refuses unusable ones', () => {
    expect(normaliseHqUrl('https://hq.example.com/')).toBe('https://hq.example.com');
    expect(normaliseHqUrl('HTTP://HQ.example.com:80/loyalty//')).toBe('http://hq.example.com/loyalty');
    expect(() => normaliseHqUrl('ftp://hq.example.com')).toThrow();
    expect(() => normaliseHqUrl('https://user:pw@hq.example.com')).toThrow();
    expect(() => normaliseHqUrl('https://hq.example.com/?a=1')).toThrow();
  });

  it('opens the stream only on a 200 event stream', async () => {
    const notStream = fakeFetch(() => json(200, {}));
    const abort = new AbortController();
    expect(await client(notStream.fetch).openStream(abort.signal)).toMatchObject({
      ok: false,
      error: { code: 'server-error' },
    });
    const revoked = fakeFetch(() => json(401, { error: 'invalid-token', message: 'revoked' }));
    expect(await client(revoked.fetch).openStream(abort.signal)).toMatchObject({
      ok: false,
      error: { code: 'unauthorised' },
    });
  });
});

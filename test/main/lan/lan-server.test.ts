// The till's LAN server refuses everyone but a till of its store holding its key (issue 16): no proof, a
// self-signed or another store's credential, a copied credential without the key, a replayed, unknown or
// expired challenge, a revoked key → 401/403 and no event; bad queries → 400; the open door is rate-limited.
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { provePeer } from '../../../src-shared/lan/peer-proof.js';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';
import { LanServer, type LanServerOptions } from '../../../src-main/lan/lan-server.js';
import { encodeHello } from '../../../src-main/lan/lan-wire.js';
import type { SignedLog } from '../../../src-main/lan/signed-log.js';
import { OTHER_HQ, OTHER_STORE, chainOf, seed, till, type Till } from '../../shared/lan/builders.js';
import { openLog, removeDir, tempDir, trust } from './harness.js';

const a = till('t-a', 51);
const b = till('t-b', 52);
const chainA = chainOf(a, 6).events;

let dir: string;
let log: SignedLog;
let server: LanServer | null = null;
let base = '';
const clock = new ManualClock(Date.parse('2026-12-07T09:00:00.000Z'));
const refused: string[] = [];

beforeEach(async () => {
  dir = await tempDir();
  log = await openLog(a, dir);
  await log.appendOwn(chainA);
  refused.length = 0;
});
afterEach(async () => {
  await server?.stop();
  server = null;
  await log.close();
  await removeDir(dir);
});

async function serve(options: Partial<LanServerOptions> = {}): Promise<void> {
  server = new LanServer({
    source: log,
    trust,
    host: '127.0.0.1',
    port: 0,
    clock,
    onRefused: (r) => refused.push(`${r.status} ${r.code}`),
    ...options,
  });
  base = (await server.start()).url;
}

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function challenge(): Promise<string> {
  const { status, body } = await call('/v1/lan/challenge', { method: 'POST' });
  expect(status).toBe(200);
  return body.challenge as string;
}

/** Headers of a hello: `who`'s credential, signed with `key` (its own unless said), for `verifier`. */
async function helloHeaders(
  who: Till,
  options: { key?: Uint8Array; verifier?: string; challenge?: string } = {},
): Promise<Record<string, string>> {
  const c = options.challenge ?? (await challenge());
  const hello = provePeer(
    { challenge: c, verifierTerminalId: options.verifier ?? 't-a' },
    who.credential,
    options.key ?? who.keys.secretKey,
  );
  return { 'x-lan-challenge': c, 'x-lan-hello': encodeHello(hello) };
}

const eventsPath = '/v1/lan/events?origin=t-a&after=0&limit=10';

describe('LanServer', () => {
  it('serves heads and pages to a till of its store that proves its key', async () => {
    await serve();
    const heads = await call('/v1/lan/heads', { headers: await helloHeaders(b) });
    expect(heads).toEqual({
      status: 200,
      body: { terminalId: 't-a', heads: [{ origin: 't-a', terminalSeq: 6, hash: chainA[5]!.hash }] },
    });
    const page = await call('/v1/lan/events?origin=t-a&after=2&limit=3', { headers: await helloHeaders(b) });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ origin: 't-a', after: 2 });
    expect(
      (page.body.events as { event: { terminalSeq: number } }[]).map((e) => e.event.terminalSeq),
    ).toEqual([3, 4, 5]);
    const unknown = await call('/v1/lan/events?origin=t-z&after=0', { headers: await helloHeaders(b) });
    expect(unknown).toEqual({ status: 200, body: { origin: 't-z', after: 0, events: [] } });
  });

  it('challenges are fresh 32-byte values, each one outstanding until spent', async () => {
    await serve();
    const [c1, c2] = [await challenge(), await challenge()];
    expect(c1).toMatch(/^[0-9a-f]{64}$/);
    expect(c1).not.toBe(c2);
    expect(server?.outstandingChallenges).toBe(2);
    await call('/v1/lan/heads', { headers: await helloHeaders(b, { challenge: c1 }) });
    expect(server?.outstandingChallenges).toBe(1);
  });

  const self = till('t-b', 52, undefined, OTHER_HQ);
  const foreign = till('t-f', 53, OTHER_STORE);
  const thief = keyPairFromSeed(seed(54));
  const forged: [string, () => Promise<Record<string, string>>, number, string][] = [
    ['no hello at all', async () => ({}), 401, 'no-proof'],
    ['a challenge but no hello', async () => ({ 'x-lan-challenge': await challenge() }), 401, 'no-proof'],
    ['a self-signed credential', () => helloHeaders(self), 403, 'not-signed-by-hq'],
    ["another store's credential", () => helloHeaders(foreign), 403, 'other-store'],
    [
      "B's copied credential without B's key",
      () => helloHeaders(b, { key: thief.secretKey }),
      401,
      'bad-proof',
    ],
    ['a proof made for another till', () => helloHeaders(b, { verifier: 't-c' }), 401, 'bad-proof'],
    [
      'a challenge this till never issued',
      () => helloHeaders(b, { challenge: 'ab'.repeat(32) }),
      401,
      'unknown-challenge',
    ],
    [
      'a hello that is not base64url JSON',
      async () => ({ 'x-lan-challenge': await challenge(), 'x-lan-hello': 'e30!' }),
      401,
      'malformed',
    ],
  ];
  it.each(forged)('%s: refused, nothing served', async (_, headers, status, code) => {
    await serve();
    for (const path of ['/v1/lan/heads', eventsPath]) {
      const answer = await call(path, { headers: await headers() });
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ code, message: expect.any(String) });
    }
    expect(refused).toEqual([`${status} ${code}`, `${status} ${code}`]);
    expect(await readdir(dir)).toHaveLength(1);
    expect(log.heads()).toHaveLength(1);
  });

  it('a replayed challenge is refused: each one answers one read', async () => {
    await serve();
    const headers = await helloHeaders(b);
    expect((await call(eventsPath, { headers })).status).toBe(200);
    expect(await call(eventsPath, { headers })).toMatchObject({
      status: 401,
      body: { code: 'unknown-challenge' },
    });
    // Spent by a failed attempt too: a wrong proof burns the challenge.
    const c = await challenge();
    expect(
      (await call(eventsPath, { headers: await helloHeaders(b, { challenge: c, key: thief.secretKey }) }))
        .status,
    ).toBe(401);
    expect((await call(eventsPath, { headers: await helloHeaders(b, { challenge: c }) })).status).toBe(401);
  });

  it('an expired challenge, or a revoked key, is refused', async () => {
    await serve({ trust: { ...trust, revokedKeys: () => new Set([b.keys.publicKey]) } });
    expect(await call(eventsPath, { headers: await helloHeaders(b) })).toMatchObject({
      status: 403,
      body: { code: 'revoked' },
    });
    await server?.stop();
    await serve({ limits: { challengeTtlMs: 1_000 } });
    const headers = await helloHeaders(b);
    clock.advance(1_000);
    expect(await call(eventsPath, { headers })).toMatchObject({
      status: 401,
      body: { code: 'unknown-challenge' },
    });
  });

  it.each([
    'origin=t-a',
    'after=0',
    'origin=&after=0',
    'origin=t-a&after=-1',
    'origin=t-a&after=1.5',
    'origin=t-a&after=0&limit=0',
    'origin=t-a&after=0&limit=1001',
    'origin=t-a&after=0&extra=1',
    'origin=t-a&after=0&after=1',
    `origin=${'x'.repeat(65)}&after=0`,
  ])('a bad query (%s) is a 400', async (query) => {
    await serve();
    expect(await call(`/v1/lan/events?${query}`, { headers: await helloHeaders(b) })).toMatchObject({
      status: 400,
      body: { code: 'bad-query' },
    });
  });

  it('unknown routes, wrong methods and bodies are refused', async () => {
    await serve();
    expect((await call('/v1/lan/nothing')).status).toBe(404);
    expect((await call('/v1/lan/challenge')).status).toBe(405);
    expect((await call('/v1/lan/heads', { method: 'POST' })).status).toBe(405);
    expect((await call('/v1/lan/challenge', { method: 'POST', body: 'x'.repeat(2_000) })).status).toBe(413);
    expect((await call('/v1/lan/heads?x=1', { headers: await helloHeaders(b) })).status).toBe(400);
  });

  it('rate-limits challenges and refused reads per address, on the clock', async () => {
    await serve({
      limits: {
        challengesPerAddress: { max: 3, windowMs: 60_000 },
        refusalsPerAddress: { max: 2, windowMs: 60_000 },
      },
    });
    for (let i = 0; i < 3; i++) await challenge();
    const limited = await fetch(`${base}/v1/lan/challenge`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(60_000);

    const bad = { 'x-lan-challenge': 'ab'.repeat(32), 'x-lan-hello': 'e30' };
    expect((await call(eventsPath, { headers: bad })).status).toBe(401);
    expect((await call(eventsPath, { headers: bad })).status).toBe(401);
    // Now even a valid proof waits out the window.
    expect(await call(eventsPath, { headers: await helloHeaders(b) })).toMatchObject({ status: 429 });
    clock.advance(60_000);
    expect((await call(eventsPath, { headers: await helloHeaders(b) })).status).toBe(200);
  });

  it('bounds the challenges outstanding', async () => {
    await serve({ limits: { maxChallenges: 2, challengeTtlMs: 5_000 } });
    await challenge();
    await challenge();
    expect((await call('/v1/lan/challenge', { method: 'POST' })).status).toBe(503);
    clock.advance(5_000);
    await challenge();
  });
});

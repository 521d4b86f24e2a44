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
import { answerKey, openAnswer, sealedAnswerSchema } from '../../../src-main/lan/lan-seal.js';
import type { SignedLog } from '../../../src-main/lan/signed-log.js';
import { OTHER_HQ, OTHER_STORE, chainOf, seed, till, type Till } from '../../shared/lan/builders.js';
import { openLog, removeDir, tempDir, trust } from './harness.js';

const a = till('t-a', 51);
const b = till('t-b', 52);
const chainA = chainOf(a, 6).events;
const thief = keyPairFromSeed(seed(54));

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
    secretKey: a.keys.secretKey,
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
  /** An authenticated read as `who` (its own key), its sealed answer opened with `key` (who's by default). */
  async function readAs(who: Till, path: string, key: Uint8Array = who.keys.secretKey) {
    const headers = await helloHeaders(who);
    const response = await fetch(`${base}${path}`, { headers });
    const raw = await response.text();
    const sealed = sealedAnswerSchema.parse(JSON.parse(raw));
    const context = {
      challenge: headers['x-lan-challenge']!,
      serverTerminalId: 't-a',
      clientTerminalId: who.terminalId,
      path,
    };
    const plain = openAnswer(sealed, answerKey(key, a.keys.publicKey, context));
    return {
      status: response.status,
      raw,
      body: plain === null ? null : (JSON.parse(plain) as Record<string, unknown>),
      sealed,
      context,
    };
  }

  it('serves heads and pages, sealed, to a till of its store that proves its key', async () => {
    await serve();
    const heads = await readAs(b, '/v1/lan/heads');
    expect(heads.status).toBe(200);
    expect(heads.body).toEqual({
      terminalId: 't-a',
      heads: [{ origin: 't-a', terminalSeq: 6, hash: chainA[5]!.hash }],
    });
    const page = await readAs(b, '/v1/lan/events?origin=t-a&after=2&limit=3');
    expect(page.body).toMatchObject({ origin: 't-a', after: 2 });
    expect(
      (page.body?.events as { event: { terminalSeq: number } }[]).map((e) => e.event.terminalSeq),
    ).toEqual([3, 4, 5]);
    const unknown = await readAs(b, '/v1/lan/events?origin=t-z&after=0');
    expect(unknown.body).toEqual({ origin: 't-z', after: 0, events: [] });
  });

  it("a watcher of the LAN reads nothing, and a relay of B's proof cannot open the answer", async () => {
    await serve();
    const page = await readAs(b, '/v1/lan/events?origin=t-a&after=0&limit=6');
    expect(page.body?.events).toHaveLength(6);
    for (const event of chainA) {
      expect(page.raw).not.toContain(event.hash);
      expect(page.raw).not.toContain(event.id);
    }
    // A device between B and A relayed B's hello and got this answer: without B's key it opens nothing,
    // nor does B's key under another request's context.
    expect(openAnswer(page.sealed, answerKey(thief.secretKey, a.keys.publicKey, page.context))).toBeNull();
    expect(
      openAnswer(
        page.sealed,
        answerKey(b.keys.secretKey, a.keys.publicKey, { ...page.context, path: '/v1/lan/heads' }),
      ),
    ).toBeNull();
    const bytes = Buffer.from(page.sealed.sealed.data, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    const flipped = { sealed: { ...page.sealed.sealed, data: bytes.toString('base64url') } };
    expect(openAnswer(flipped, answerKey(b.keys.secretKey, a.keys.publicKey, page.context))).toBeNull();
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

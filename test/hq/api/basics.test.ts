// The API's edges on PGlite: health, protocol versions, authentication, enrollment, error bodies, limits and
// what the logs may contain.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src-hq/api/server.js';
import type { Db } from '../../../src-hq/db/database.js';
import { HOUR_MS } from '../../../src-shared/kernel/clock.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { errorBodySchema, healthSchema, staffPinsResponseSchema } from '../../../src-shared/sync/wire.js';
import { verifyPin } from '../../../src-shared/kernel/pin.js';
import { addCashier } from '../../../src-hq/store/catalog.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { eventFactory } from '../../support/events.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { apiHarness, LogCapture, STORE_ID, type Harness } from './harness.js';

let t: TestDatabase;
let h: Harness;

beforeAll(async () => {
  t = await pgliteDatabase();
  h = await apiHarness(t.db);
});
afterAll(async () => {
  await h.close();
  await t.close();
});

const errorOf = (res: { json(): unknown }) => errorBodySchema.parse(res.json());

/** /v1/health's body, 200 and 503 alike. */
const healthOf = (res: { json(): unknown }) => healthSchema.parse(res.json());

describe('health and protocol versions', () => {
  it('answers health without a token or protocol header', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v1/health' });
    expect(res.statusCode).toBe(200);
    const health = healthOf(res);
    expect(health).toMatchObject({
      status: 'ok',
      protocol: PROTOCOL_VERSION,
      database: 'pglite',
      databaseState: { reachable: true },
    });
    expect(health.databaseState.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers[PROTOCOL_HEADER]).toBe(String(PROTOCOL_VERSION));
  });

  it('answers 426 to a terminal below the minimum protocol, on any route', async () => {
    for (const url of ['/v1/health', '/v1/pull/members', '/v1/admin/stores']) {
      const res = await h.app.inject({ method: 'GET', url, headers: { [PROTOCOL_HEADER]: '0' } });
      expect(res.statusCode, url).toBe(426);
      const body = errorOf(res);
      expect(body.error).toBe('protocol-too-old');
      expect(body.message).toContain('Update the terminal software');
    }
  });

  it('requires the protocol header on terminal routes only', async () => {
    const { token } = await h.enroll('Till header');
    const pull = await h.app.inject({
      method: 'GET',
      url: '/v1/pull/members',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pull.statusCode).toBe(426);
    expect(errorOf(pull).message).toContain(PROTOCOL_HEADER);
    const admin = await h.app.inject({
      method: 'GET',
      url: '/v1/admin/stores',
      headers: { authorization: `Bearer ${h.adminToken}` },
    });
    expect(admin.statusCode).toBe(200);
  });

  it('refuses a protocol header that is not a number', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { [PROTOCOL_HEADER]: 'v1' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).error).toBe('bad-protocol-header');
  });

  it('accepts a newer terminal (HQ answers with its own version)', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/health',
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers[PROTOCOL_HEADER]).toBe(String(PROTOCOL_VERSION));
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 in the error body', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/nothing-here?card=6280001234567890' });
    expect(res.statusCode).toBe(404);
    const body = errorOf(res);
    expect(body.error).toBe('not-found');
    expect(body.message).toContain('/v1/nothing-here');
    expect(res.body).not.toContain('6280001234567890');
  });

  it('answers an unknown collection with 404', async () => {
    const { token } = await h.enroll('Till collections');
    const res = await h.request({ method: 'GET', url: '/v1/pull/secrets', token });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).error).toBe('unknown-collection');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      headers: { 'content-type': 'text/plain' },
      payload: 'code=ABCD-EFGH-JKLM',
    });
    expect(res.statusCode).toBe(415);
    expect(errorOf(res).error).toBe('unsupported-media-type');
  });

  it('refuses broken JSON with 400 without quoting it back', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": "6280001234567890", "name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).error).toBe('invalid-json');
    expect(res.body).not.toContain('6280001234567890');
  });

  it('refuses a body over the limit with 413', async () => {
    const { token } = await h.enroll('Till big');
    const payload = JSON.stringify({ events: [{ padding: 'x'.repeat(1024 * 1024) }] });
    const res = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(413);
    expect(errorOf(res).error).toBe('body-too-large');
  });

  it('lists every problem of a bad push with its path', async () => {
    const { token, terminalId } = await h.enroll('Till bad body');
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    const good = f.enrolled('m-bad');
    const bad = { ...f.earned('m-bad', 10), terminalSeq: -1, occurredAt: 'yesterday' };
    const res = await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: [good, bad], extra: true },
    });
    expect(res.statusCode).toBe(400);
    const body = errorOf(res);
    expect(body.error).toBe('invalid-request');
    const paths = body.problems?.map((p) => p.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['events[1].terminalSeq', 'events[1].occurredAt', 'body']));
    for (const p of body.problems ?? []) expect(p.message.length).toBeGreaterThan(0);
    const stored = await h.db.query('SELECT 1 FROM events WHERE terminal_id = $1', [terminalId]);
    expect(stored.rowCount).toBe(0);
  });

  it('lists the problems of a bad query', async () => {
    const { token } = await h.enroll('Till bad query');
    const res = await h.request({ method: 'GET', url: '/v1/pull/members?limit=0&since=3', token });
    expect(res.statusCode).toBe(400);
    const paths = errorOf(res).problems?.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['limit', 'query']));
    const lookup = await h.request({ method: 'GET', url: '/v1/members/lookup', token });
    expect(lookup.statusCode).toBe(400);
    expect(errorOf(lookup).problems?.[0]?.message).toContain('exactly one of card or phoneHash');
  });
});

describe('staff PINs', () => {
  it("sends the calling terminal's store's PIN hashes to a terminal token only, uncached", async () => {
    await createStore(h.db, { id: 's-pins-other', name: 'Other store', timeZone: 'Europe/Paris' });
    const cashier = { name: 'Ana', role: 'cashier' as const, pin: '2468' };
    await addCashier(h.db, { ...cashier, id: 'pins-ana', storeId: STORE_ID }, { pinCost: 16 });
    await addCashier(h.db, { ...cashier, id: 'pins-elsewhere', storeId: 's-pins-other' }, { pinCost: 16 });
    expect((await h.request({ method: 'GET', url: '/v1/staff-pins' })).statusCode).toBe(401);
    const { token } = await h.enroll('Till pins');
    const res = await h.request({ method: 'GET', url: '/v1/staff-pins', token });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { staff } = staffPinsResponseSchema.parse(res.json());
    expect(staff.map((s) => s.id)).toContain('pins-ana');
    expect(staff.map((s) => s.id)).not.toContain('pins-elsewhere');
    expect(verifyPin('2468', staff.find((s) => s.id === 'pins-ana')!.pinHash)).toBe(true);
  });
});

describe('admin authentication', () => {
  const adminCalls = [
    { method: 'GET', url: '/v1/admin/stores' },
    { method: 'GET', url: '/v1/admin/reviews' },
    { method: 'GET', url: '/v1/admin/terminals' },
    { method: 'POST', url: '/v1/admin/enrollment-codes', payload: { storeId: STORE_ID } },
    { method: 'POST', url: '/v1/admin/terminals/x/revoke' },
  ] as const;

  it('refuses admin routes without a token, with a terminal token, or with a wrong token', async () => {
    const { token: terminalToken } = await h.enroll('Till not admin');
    for (const call of adminCalls) {
      const none = await h.request({ ...call });
      expect(none.statusCode, call.url).toBe(401);
      expect(errorOf(none).error).toBe('unauthenticated');
      expect(none.headers['www-authenticate']).toContain('Bearer');
      for (const token of [terminalToken, 'not-a-token']) {
        const res = await h.request({ ...call, token });
        expect(res.statusCode, call.url).toBe(401);
        expect(errorOf(res).error).toBe('invalid-token');
      }
    }
  });

  it('creates and lists stores, refusing a duplicate and a bad time zone', async () => {
    const made = await h.request({
      method: 'POST',
      url: '/v1/admin/stores',
      token: h.adminToken,
      payload: { id: 's-2', name: 'Store two', timeZone: 'America/New_York' },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ id: 's-2', name: 'Store two', timeZone: 'America/New_York' });
    const again = await h.request({
      method: 'POST',
      url: '/v1/admin/stores',
      token: h.adminToken,
      payload: { id: 's-2', name: 'Store two', timeZone: 'America/New_York' },
    });
    expect(again.statusCode).toBe(409);
    const badZone = await h.request({
      method: 'POST',
      url: '/v1/admin/stores',
      token: h.adminToken,
      payload: { id: 's-3', name: 'Store three', timeZone: 'Mars/Olympus' },
    });
    expect(badZone.statusCode).toBe(400);
    const list = await h.request({ method: 'GET', url: '/v1/admin/stores', token: h.adminToken });
    expect(list.json<{ stores: { id: string }[] }>().stores.map((s) => s.id)).toEqual(
      expect.arrayContaining([STORE_ID, 's-2']),
    );
  });
});

describe('enrollment', () => {
  const code = async (payload: Record<string, unknown> = { storeId: STORE_ID }) => {
    const res = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload,
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ code: string; expiresAt: string; storeId: string }>();
  };

  it('exchanges a one-time code for a token that works, once', async () => {
    const made = await code();
    expect(made.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(made.expiresAt).toBe(new Date(h.clock.now() + 24 * HOUR_MS).toISOString());
    // Typed in lower case with spaces, it is the same code.
    const typed = made.code.toLowerCase().replace(/-/g, ' ');
    const res = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code: typed, name: 'Till A' },
    });
    expect(res.statusCode).toBe(201);
    const enrolled = res.json<{ terminalId: string; storeId: string; token: string; hqProtocol: number }>();
    expect(enrolled).toMatchObject({ storeId: STORE_ID, hqProtocol: PROTOCOL_VERSION });
    expect(enrolled.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['cache-control']).toBe('no-store');

    const pull = await h.request({ method: 'GET', url: '/v1/pull/members', token: enrolled.token });
    expect(pull.statusCode).toBe(200);

    const again = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code: made.code, name: 'Till B' },
    });
    expect(again.statusCode).toBe(403);
    expect(errorOf(again).error).toBe('enrollment-code-used');

    // Neither the code nor the token is stored as given.
    const stored = await h.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM terminals WHERE id = $1',
      [enrolled.terminalId],
    );
    expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]?.token_hash).not.toContain(enrolled.token);
    const codes = await h.db.query<{ code_hash: string }>('SELECT code_hash FROM enrollment_codes');
    expect(codes.rows.map((r) => r.code_hash).join()).not.toContain(made.code);
  });

  it('refuses an expired code and an unknown code', async () => {
    const made = await code({ storeId: STORE_ID, ttlHours: 1 });
    h.clock.advance(HOUR_MS);
    const expired = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code: made.code, name: 'Till late' },
    });
    expect(expired.statusCode).toBe(403);
    expect(errorOf(expired).error).toBe('enrollment-code-expired');
    const unknown = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code: 'AAAA-BBBB-CCCC', name: 'Till guess' },
    });
    expect(unknown.statusCode).toBe(403);
    expect(errorOf(unknown).error).toBe('enrollment-code-unknown');
  });

  it('refuses a code for a store that does not exist', async () => {
    const res = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload: { storeId: 'nowhere' },
    });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).error).toBe('unknown-store');
  });

  it('revokes a terminal: its token gets 401 at once', async () => {
    const { token, terminalId } = await h.enroll('Till revoked');
    expect((await h.request({ method: 'GET', url: '/v1/pull/products', token })).statusCode).toBe(200);
    const revoke = await h.request({
      method: 'POST',
      url: `/v1/admin/terminals/${terminalId}/revoke`,
      token: h.adminToken,
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toEqual({ terminalId, revokedAt: new Date(h.clock.now()).toISOString() });
    const after = await h.request({ method: 'GET', url: '/v1/pull/products', token });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).error).toBe('invalid-token');
    const list = await h.request({ method: 'GET', url: '/v1/admin/terminals', token: h.adminToken });
    const listed = list.json<{ terminals: { id: string; revokedAt: string | null }[] }>().terminals;
    expect(listed.find((x) => x.id === terminalId)?.revokedAt).not.toBeNull();
    const unknown = await h.request({
      method: 'POST',
      url: '/v1/admin/terminals/no-such-terminal/revoke',
      token: h.adminToken,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses terminal routes without a token', async () => {
    for (const url of ['/v1/pull/members', '/v1/stream', '/v1/members/lookup?card=1']) {
      const res = await h.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
    const push = await h.request({ method: 'POST', url: '/v1/events', payload: { events: [] } });
    expect(push.statusCode).toBe(401);
  });
});

describe('logs', () => {
  it('never contain a token, an enrollment code, a card number or a phone hash', async () => {
    const card = '7280009876543210'; // a loyalty number, not PAN-shaped: the guard would refuse a UnionPay-like 62…
    const phoneHash = 'ab'.repeat(32);
    const made = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload: { storeId: STORE_ID },
    });
    const { code } = made.json<{ code: string }>();
    const enrolled = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Till logs' },
    });
    const { token, terminalId } = enrolled.json<{ token: string; terminalId: string }>();
    const f = eventFactory({ terminalId, storeId: STORE_ID });
    await h.request({ method: 'GET', url: `/v1/members/lookup?card=${card}`, token });
    await h.request({ method: 'GET', url: `/v1/members/lookup?phoneHash=${phoneHash}`, token });
    await h.request({ method: 'GET', url: `/v1/members/${card}`, token });
    // A bad push that carries the card: refused, and neither logged nor echoed.
    await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      payload: { events: [{ ...f.enrolled('m-logs', { cards: [card] }), terminalSeq: 0 }] },
    });
    await h.request({
      method: 'POST',
      url: '/v1/events',
      token,
      headers: { 'content-type': 'application/json' },
      payload: `{"events": [{"cards": ["${card}"]`,
    });
    await h.request({ method: 'GET', url: '/v1/pull/members', token: `${token}x` });

    const logs = h.logs.text;
    expect(logs).toContain('incoming request');
    expect(logs).toContain('/v1/members/lookup');
    for (const secret of [token, h.adminToken, code, code.replace(/-/g, ''), card, phoneHash]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs.toLowerCase()).not.toContain('bearer');
  });
});

describe('a database that fails', () => {
  const failing: Db = {
    kind: 'postgres',
    query: () => Promise.reject(new Error('connection lost while reading card 6280001234567890')),
    transaction: () => Promise.reject(new Error('connection lost')),
    exec: () => Promise.reject(new Error('connection lost')),
    listen: () => Promise.reject(new Error('connection lost')),
    close: () => Promise.resolve(),
  };

  it('answers 503 on health and a bare 500 elsewhere, logging no card number', async () => {
    const logs = new LogCapture();
    const app = buildServer({ db: failing, logger: pino(logs) });
    try {
      const health = await app.inject({ method: 'GET', url: '/v1/health' });
      expect(health.statusCode).toBe(503);
      expect(healthOf(health)).toMatchObject({ status: 'degraded', databaseState: { reachable: false } });
      expect(health.headers['retry-after']).toBe('3');
      const pull = await app.inject({
        method: 'GET',
        url: '/v1/pull/members',
        headers: { authorization: 'Bearer abc', [PROTOCOL_HEADER]: '1' },
      });
      expect(pull.statusCode).toBe(500);
      expect(errorOf(pull)).toEqual({
        error: 'internal',
        message: 'HQ could not complete the request. It has been logged; try again later.',
      });
      expect(logs.text).toContain('connection lost while reading card');
      expect(logs.text).not.toContain('6280001234567890');
    } finally {
      await app.close();
    }
  });
});

describe('a database that is unavailable, then back', () => {
  let down = true;
  const terminated = () =>
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  const answer = <R>(rows: R[]) =>
    down ? Promise.reject(terminated()) : Promise.resolve({ rows, rowCount: 1 });
  const flaky: Db = {
    kind: 'postgres',
    query: <R>() => answer<R>([]),
    transaction: () => (down ? Promise.reject(terminated()) : Promise.reject(new Error('not used'))),
    exec: () => answer([]).then(() => undefined),
    listen: () => Promise.reject(terminated()),
    close: () => Promise.resolve(),
  };

  it('answers 503 with Retry-After on every route, logs the outage once, and reports it in health', async () => {
    const logs = new LogCapture();
    const app = buildServer({ db: flaky, logger: pino(logs) });
    try {
      for (const url of ['/v1/pull/members', '/v1/members/lookup?card=LOYALTY-1', '/v1/pull/events']) {
        const res = await app.inject({
          method: 'GET',
          url,
          headers: { authorization: 'Bearer abc', [PROTOCOL_HEADER]: '1' },
        });
        expect(res.statusCode, url).toBe(503);
        expect(res.headers['retry-after']).toBe('3');
        expect(errorOf(res)).toEqual({
          error: 'database-unavailable',
          message: 'HQ cannot reach its database right now. Retry in 3 seconds.',
        });
      }
      const stores = await app.inject({
        method: 'GET',
        url: '/v1/admin/stores',
        headers: { authorization: 'Bearer abc' },
      });
      expect(stores.statusCode).toBe(503);
      const during = await app.inject({ method: 'GET', url: '/v1/health' });
      expect(during.statusCode).toBe(503);
      const since = healthOf(during).databaseState.unavailableSince;
      expect(since).toBeDefined();

      down = false;
      const after = await app.inject({ method: 'GET', url: '/v1/health' });
      expect(after.statusCode).toBe(200);
      expect(healthOf(after).databaseState).toMatchObject({
        reachable: true,
        lastOutage: { from: since, reason: '57P01' },
      });
      // Five failed requests, one outage: one line when it went, one when it came back.
      expect(logs.text.split('database unavailable').length - 1).toBe(1);
      expect(logs.text.split('database available again').length - 1).toBe(1);
      expect(logs.text).not.toContain('request failed');
    } finally {
      await app.close();
    }
  });
});

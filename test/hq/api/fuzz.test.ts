// Bad input on every route, on PGlite and on real PostgreSQL: NUL bytes, unpaired surrogates, oversized
// strings and keys, deep nesting and wrong types, in path parameters, query strings, the headers HQ reads
// and JSON bodies, with no token, a terminal's, an admin's or a mangled one, and on the console's routes
// with or without a signed-in admin's session (cookie and CSRF token). The routes are the ones
// Fastify registered (collected by buildServer), so a route added later is fuzzed too. HQ must never
// answer 500, and a refused request (4xx) must leave every table as it was.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqRoute } from '../../../src-hq/api/server.js';
import type { Db } from '../../../src-hq/db/database.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../../src-shared/console/endpoint.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { inputProblem, jsonDepthExceeds } from '../../../src-shared/kernel/storable-text.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { closeFiguresFromEvents, errorBodySchema } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram, type EventFactory } from '../../support/events.js';
import { signedIn } from '../console/session.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A function hashing every row of every table of the current schema: equal before and after means
 * nothing was written. The audit log is left out: a refused admin write or sign-in is recorded there on
 * purpose (admin-audit.test.ts); so are console sessions, whose last use moves on with every request. The
 * table list is read once (it is the slow part).
 */
async function fingerprinter(db: Db): Promise<() => Promise<string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'console_sessions')
     ORDER BY table_name`,
  );
  const rows = tables.map(({ name }) => `SELECT '${name}:' || t::text AS row FROM "${name}" t`);
  const sql = `SELECT md5(string_agg(row, '|' ORDER BY row)) AS digest FROM (${rows.join(' UNION ALL ')}) r`;
  return async () => (await db.query<{ digest: string | null }>(sql)).rows[0]?.digest ?? '';
}

// ---- generators ---------------------------------------------------------------------------------------

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const short = fc.string({ maxLength: 8 });
const withNul = fc.tuple(short, short).map(([a, b]) => `${a}\u0000${b}`);
const withLoneSurrogate = fc
  .tuple(short, fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF'), short)
  .map(([a, s, b]) => `${a}${s}${b}`);
const huge = fc
  .tuple(fc.integer({ min: 4_097, max: 40_000 }), fc.constantFrom('a', '9', 'é', '😀'))
  .map(([n, c]) => c.repeat(n));
const odd = fc.constantFrom(
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  '[]',
  '{}',
  '../../etc/passwd',
  '%00',
  '\uFFFF',
  '4111111111111111',
  "' OR 1=1 --",
  'members',
  'open',
  '😀',
);
const nastyString = fc.oneof(
  withNul,
  withLoneSurrogate,
  huge,
  odd,
  fc.string({ unit: anyCodeUnit, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

const { value: nastyJson } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, 0.5, 1e-320),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 4 }),
  ),
}));

/** Nesting as raw JSON text (no recursion on our side either). */
const deepText = fc
  .tuple(fc.integer({ min: 30, max: 100_000 }), fc.constantFrom('[', '{"a":'))
  .map(([n, open]) => `${open.repeat(n)}1${(open === '[' ? ']' : '}').repeat(n)}`);
const brokenText = fc.constantFrom(
  '{',
  '{"a":}',
  '\u0000',
  'nul',
  '"\\ud800"',
  '[1,]',
  '{"__proto__":{"x":1}}',
);

/** The paths of every leaf of a JSON value ([] for a leaf at the root). */
function leaves(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [path];
}

function setAt(value: Json, path: readonly (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    return value.map((v, i) => (i === head ? setAt(v, rest, replacement) : v));
  }
  if (value !== null && typeof value === 'object') {
    return { ...value, [head]: setAt(value[head as string] ?? null, rest, replacement) };
  }
  return replacement;
}

/** A template with one leaf replaced by a nasty value, or a nasty key added. */
function mutated(template: Json): fc.Arbitrary<Json> {
  const paths = leaves(template);
  return fc.oneof(
    fc
      .tuple(fc.nat({ max: Math.max(0, paths.length - 1) }), nastyJson)
      .map(([i, v]) => setAt(template, paths[i] ?? [], v)),
    fc
      .tuple(nastyString, nastyJson)
      .map(([k, v]) =>
        template !== null && typeof template === 'object' && !Array.isArray(template)
          ? { ...template, [k]: v }
          : v,
      ),
  );
}

/** encodeURIComponent, with an unpaired surrogate sent as the invalid UTF-8 a raw client could send. */
function encode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) out += '%ED%A0%80';
    else out += encodeURIComponent(char);
  }
  return out;
}

// ---- the routes' valid shapes -------------------------------------------------------------------------

interface Shapes {
  params: Record<string, string>;
  query: Record<string, Record<string, string>>;
  body: Record<string, Json>;
}

function shapesFor(terminalId: string, events: readonly LedgerEvent[]): Shapes {
  return {
    params: { collection: 'members', id: terminalId },
    query: {
      '/v1/pull/:collection': { limit: '10', checkpoint: '0' },
      '/v1/members/lookup': { card: 'LOYALTY-42' },
      '/v1/admin/terminals': { storeId: STORE_ID },
      '/v1/admin/reviews': { status: 'open', limit: '10' },
    },
    body: {
      '/v1/admin/stores': { id: 'fuzz-store', name: 'Fuzz', timeZone: 'Europe/Paris' },
      '/v1/admin/enrollment-codes': { storeId: STORE_ID, ttlHours: 1 },
      '/v1/terminals/enroll': { code: 'ABCD-EFGH-JKLM', name: 'Till' },
      '/v1/terminals/me/lan': { addresses: ['192.168.1.20:7443', 'till-1.local:7443'] },
      '/v1/events': { events: JSON.parse(JSON.stringify(events)) as Json },
      '/v1/close': JSON.parse(JSON.stringify(closeFiguresFromEvents('2025-03-03', events))) as Json,
      '/v1/admin/reviews/:id/approve': { note: 'checked' },
      '/v1/admin/reviews/:id/reject': { note: 'checked' },
    },
  };
}

interface Tokens {
  terminal: string;
  admin: string;
  /** A console admin's session cookie and its CSRF token, so console routes are fuzzed past their gate. */
  console: { cookie: string; csrf: string };
}

/** Signing out would end the session every later console request relies on: it is fuzzed cookieless. */
const ENDS_THE_SESSION = `DELETE ${CONSOLE_API.signOut.path}`;

function requestFor(route: HqRoute, shapes: Shapes, tokens: Tokens): fc.Arbitrary<InjectOptions> {
  const paramNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
  const queryShape = shapes.query[route.url] ?? {};
  const bodyShape = shapes.body[route.url] ?? {};
  const param = (name: string) => fc.oneof(fc.constant(shapes.params[name] ?? 'x'), nastyString);
  const query = fc.oneof(
    fc.constant(Object.entries(queryShape)),
    fc
      .tuple(fc.constantFrom(...Object.keys(queryShape), 'card', 'limit', 'x'), nastyString)
      .map(([k, v]) => [...Object.entries({ ...queryShape, [k]: v })]),
    fc.array(fc.tuple(nastyString, nastyString), { maxLength: 3 }),
  );
  const body = fc.oneof(
    fc.constant(JSON.stringify(bodyShape)),
    mutated(bodyShape).map((b) => JSON.stringify(b)),
    nastyJson.map((b) => JSON.stringify(b)),
    deepText,
    brokenText,
  );
  const header = (valid: fc.Arbitrary<string | undefined>) => fc.oneof(valid, valid, nastyString);
  return fc
    .record({
      params: fc.tuple(...paramNames.map(param)),
      query,
      body,
      auth: fc.oneof(
        fc.constantFrom(undefined, `Bearer ${tokens.terminal}`, `Bearer ${tokens.admin}`),
        nastyString.map((s) => `Bearer ${s}`),
      ),
      session: fc.boolean(),
      protocol: header(fc.constantFrom(String(PROTOCOL_VERSION), undefined)),
      contentType: header(fc.constantFrom('application/json', 'application/json; charset=utf-8', undefined)),
    })
    .map(({ params, query: pairs, body: payload, auth, session, protocol, contentType }) => {
      let path = route.url;
      paramNames.forEach((name, i) => {
        path = path.replace(`:${name}`, encode(params[i] ?? ''));
      });
      // An open stream never ends: that route is only ever sent input it must refuse.
      const forced = route.url === '/v1/stream' ? [['x', '\u0000'] as const] : [];
      const search = [...pairs, ...forced].map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (
        session &&
        route.url.startsWith('/v1/console/') &&
        `${route.method} ${route.url}` !== ENDS_THE_SESSION
      ) {
        headers.cookie = `${SESSION_COOKIE}=${tokens.console.cookie}`;
        headers[CSRF_HEADER] = tokens.console.csrf;
      }
      if (protocol !== undefined) headers[PROTOCOL_HEADER] = protocol;
      if (contentType !== undefined) headers['content-type'] = contentType;
      const hasBody = !['GET', 'HEAD'].includes(route.method);
      return {
        method: route.method,
        url: search ? `${path}?${search}` : path,
        headers,
        ...(hasBody ? { payload } : {}),
      };
    });
}

// ---- the tests ----------------------------------------------------------------------------------------

/** Nesting depth of a parsed JSON value (a scalar is 0, `[]` is 1). */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf))
    : 0;

describe('the depth count on raw JSON text', () => {
  it('agrees with the parsed depth, whatever brackets, quotes and escapes the strings hold', () => {
    const tricky = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', '\n') });
    const json = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'medium' },
        tricky,
        fc.integer(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(tricky, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(value) > limit);
        // The walk over the parsed value draws the same line.
        const limits = { maxString: 1_000_000, maxDepth: limit };
        const deep = inputProblem(value, 'body', limits)?.message.startsWith('nested') ?? false;
        expect(deep).toBe(depthOf(value) > limit);
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(databases)('bad input on every route, on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let tokens: Tokens;
  let f: EventFactory;
  let pushed: LedgerEvent[];
  let fingerprint: () => Promise<string>;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db);
    const enrolled = await h.enroll('Till fuzz');
    const admin = await signedIn(h.app, t.db, h.clock, 'admin');
    tokens = {
      terminal: enrolled.token,
      admin: h.adminToken,
      console: { cookie: admin.cookie, csrf: admin.session.csrfToken },
    };
    fingerprint = await fingerprinter(t.db);
    f = eventFactory({ terminalId: enrolled.terminalId, storeId: STORE_ID });
    pushed = [f.enrolled('m-fuzz', { cards: ['LOYALTY-42'] }), f.earned('m-fuzz', 120)];
    const res = await h.request({
      method: 'POST',
      url: '/v1/events',
      token: tokens.terminal,
      payload: { events: pushed },
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const refused = async (options: InjectOptions) => {
    const before = await fingerprint();
    const res = await h.app.inject(options);
    expect(res.statusCode, res.body).toBe(400);
    expect(await fingerprint()).toBe(before);
    return errorBodySchema.parse(res.json());
  };
  const withProtocol = (token: string, headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    ...headers,
  });

  it('refuses a NUL in the query with a 400 naming query.card (it used to be a 500)', async () => {
    const body = await refused({
      method: 'GET',
      url: '/v1/members/lookup?card=6280%0012',
      headers: withProtocol(tokens.terminal),
    });
    expect(body.error).toBe('invalid-request');
    expect(body.problems).toEqual([{ path: 'query.card', message: 'text with a NUL character' }]);
    expect(body.message).toContain('query.card');
  });

  it('names the field of an event, a path parameter, a header and a key', async () => {
    const adjusted = f.adjusted('m-fuzz', 5, undefined, { note: 'till \uD800 note' });
    const event = await refused({
      method: 'POST',
      url: '/v1/events',
      headers: withProtocol(tokens.terminal),
      payload: { events: [adjusted] },
    });
    expect(event.problems?.[0]?.path).toBe('body.events.0.payload.note');
    expect(event.problems?.[0]?.message).toBe('text with an unpaired UTF-16 surrogate');

    const param = await refused({
      method: 'POST',
      url: '/v1/admin/terminals/t%001/revoke',
      headers: withProtocol(tokens.admin),
    });
    expect(param.problems?.[0]?.path).toBe('params.id');

    const header = await refused({
      method: 'GET',
      url: '/v1/admin/stores',
      headers: { authorization: `Bearer ${'a'.repeat(5_000)}` },
    });
    expect(header.problems?.[0]).toEqual({
      path: 'headers.authorization',
      message: 'text longer than 4096 characters (5007)',
    });

    const key = await refused({
      method: 'POST',
      url: '/v1/admin/stores',
      headers: withProtocol(tokens.admin),
      payload: { id: 'k', name: 'k', timeZone: 'Europe/Paris', ['bad\u0000key']: 1 },
    });
    expect(key.problems?.[0]).toEqual({ path: 'body.bad\uFFFDkey', message: 'a key with a NUL character' });
  });

  it('refuses a body nested a hundred thousand deep before parsing it', async () => {
    const body = await refused({
      method: 'POST',
      url: '/v1/admin/stores',
      headers: { ...withProtocol(tokens.admin), 'content-type': 'application/json' },
      payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    expect(body.problems).toEqual([{ path: 'body', message: 'nested deeper than 32 levels' }]);
  });

  it('accepts the same requests when they are clean (the guard refuses only what it must)', async () => {
    const store = await h.app.inject({
      method: 'POST',
      url: '/v1/admin/stores',
      headers: withProtocol(tokens.admin),
      payload: { id: 'clean-1', name: 'Café 😀 «Bastille»', timeZone: 'Europe/Paris' },
    });
    expect(store.statusCode).toBe(201);
    const lookup = await h.app.inject({
      method: 'GET',
      url: '/v1/members/lookup?card=LOYALTY-42',
      headers: withProtocol(tokens.terminal),
    });
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json<{ members: unknown[] }>().members).toHaveLength(1);
  });

  it('never answers 500 to fuzzed input on any route, and writes nothing when it refuses', async () => {
    const routes = h.app.hqRoutes;
    // The enumeration works: the routes every terminal and admin uses are all in it.
    for (const known of [
      'GET /v1/health',
      'POST /v1/events',
      'GET /v1/members/lookup',
      'POST /v1/admin/stores',
    ]) {
      expect(routes.map((r) => `${r.method} ${r.url}`)).toContain(known);
    }
    const shapes = shapesFor(f.terminalId, pushed);
    // One fingerprint per request: a refusal must leave the last one as it was; anything else moves it on.
    let current = await fingerprint();
    const statuses = new Set<number>();
    const consoleStatuses = new Set<number>();
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(requestFor(route, shapes, tokens), async (options) => {
          const res = await h.app.inject(options);
          const where = `${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          statuses.add(res.statusCode);
          if (route.url.startsWith('/v1/console/') && options.headers?.cookie !== undefined)
            consoleStatuses.add(res.statusCode);
          const after = await fingerprint();
          if (res.statusCode >= 400) {
            expect(after, where).toBe(current);
            if (route.method !== 'HEAD')
              expect(errorBodySchema.safeParse(res.json()).success, where).toBe(true);
          }
          current = after;
        }),
        { numRuns: 20 },
      );
    }
    // The fuzz got past the gates: requests were served, refused by the guard or a schema, and unauthorised.
    for (const status of [200, 400, 401]) expect([...statuses]).toContain(status);
    // The console's routes too: past the session and CSRF gate, into their schemas and handlers.
    expect(consoleStatuses).toContain(400);
    expect([...consoleStatuses].some((s) => s >= 200 && s < 300)).toBe(true);
  });
});

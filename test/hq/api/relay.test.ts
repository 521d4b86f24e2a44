// POST /v1/events/relay (issue 16) on PGlite and PostgreSQL: a till hands HQ another till's events in
// their origin's signed envelopes. A relayed event is stored once; the origin's later push of it, a relay
// after that push and another till's relay are duplicates. Every forgery (a signature by another key, an
// event altered after signing, an origin of another store, the caller's own events, an origin without a
// key, unknown or revoked, mixed origins) is a 4xx naming it, and the events table is left as it was, even
// when only one envelope of the batch is bad. Relays by two tills racing the origin's own push (on
// PostgreSQL over two connection pools) store each event exactly once, with one `stored` per event.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Db } from '../../../src-hq/db/database.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { revokeTerminal } from '../../../src-hq/store/terminals.js';
import { eventHash } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { keyPairFromSeed, type KeyPair } from '../../../src-shared/lan/keys.js';
import { signEvent, type SignedEvent } from '../../../src-shared/lan/signature.js';
import { pushResponseSchema, type PushResult } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram, type EventFactory } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

const OTHER_STORE = 's-relay-other';
/** Tests enroll many tills from one address; enrollment's own limit is tested in rate-limit.test.ts. */
const config = { rateLimits: { enrollPerIp: { max: 10_000, windowMs: 60_000 } } };

/** A fixed-seed key pair per till (tests only; tills draw theirs from node:crypto). */
let seeds = 0;
const newKey = (): KeyPair => {
  seeds += 1;
  const seed = new Uint8Array(32);
  seed[0] = seeds & 0xff;
  seed[1] = (seeds >> 8) & 0xff;
  seed[31] = 0x5e;
  return keyPairFromSeed(seed);
};

interface Till {
  terminalId: string;
  storeId: string;
  token: string;
  key: KeyPair | null;
  events: EventFactory;
}

describe.each(databases)('POST /v1/events/relay on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let members = 0;
  const member = (): string => `m-relay-${++members}`;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db, config);
    await createStore(t.db, { id: OTHER_STORE, name: 'Store two', timeZone: 'Europe/Paris' });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  /** Enrolls a till of `storeId` with a store-LAN key (or none). */
  async function till(storeId = STORE_ID, withKey = true): Promise<Till> {
    const made = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload: { storeId },
    });
    const { code } = made.json<{ code: string }>();
    const key = withKey ? newKey() : null;
    const res = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Till', ...(key ? { publicKey: key.publicKey } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { terminalId, token } = res.json<{ terminalId: string; token: string }>();
    return { terminalId, storeId, token, key, events: eventFactory({ terminalId, storeId }) };
  }

  const signed = (origin: Till, events: readonly LedgerEvent[]): SignedEvent[] =>
    events.map((e) => signEvent(e, (origin.key as KeyPair).secretKey));

  const relay = (by: Till, envelopes: readonly unknown[], app: Harness = h) =>
    app.request({ method: 'POST', url: '/v1/events/relay', token: by.token, payload: { events: envelopes } });

  const push = (by: Till, events: readonly LedgerEvent[], app: Harness = h) =>
    app.request({ method: 'POST', url: '/v1/events', token: by.token, payload: { events } });

  const results = (res: { statusCode: number; body: string; json: () => unknown }): PushResult[] => {
    expect(res.statusCode, res.body).toBe(200);
    return pushResponseSchema.parse(res.json()).results;
  };

  /** How many rows the events table holds: the whole table, so a refusal shows as no change at all. */
  const eventRows = async (db: Db = t.db): Promise<number> => {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    return rows[0]?.n ?? -1;
  };
  const storedOnce = async (ids: readonly string[]): Promise<Record<string, number>> => {
    const { rows } = await t.db.query<{ id: string; n: number }>(
      'SELECT id::text AS id, count(*)::int AS n FROM events WHERE id = ANY($1::uuid[]) GROUP BY id',
      [ids],
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.n]));
  };
  const once = (ids: readonly string[]) => Object.fromEntries(ids.map((id) => [id, 1]));

  it('stores a relayed event once, under its origin; the origin’s later push is a duplicate', async () => {
    const a = await till();
    const b = await till();
    const m = member();
    const batch = [a.events.enrolled(m), a.events.earned(m, 40)];
    const ids = batch.map((e) => e.id);

    const relayed = results(await relay(b, signed(a, batch)));
    expect(relayed.map((r) => [r.id, r.outcome, r.status])).toEqual(
      ids.map((id) => [id, 'stored', 'posted']),
    );
    expect(await storedOnce(ids)).toEqual(once(ids));
    // Stored as the origin's: its chain head moved, the relaying till's did not.
    const heads = await t.db.query<{ id: string; last_seq: number }>(
      'SELECT id, last_seq FROM terminals WHERE id = ANY($1::text[]) ORDER BY id',
      [[a.terminalId, b.terminalId]],
    );
    expect(Object.fromEntries(heads.rows.map((r) => [r.id, r.last_seq]))).toEqual({
      [a.terminalId]: 2,
      [b.terminalId]: 0,
    });
    const origin = await t.db.query<{ terminal_id: string }>(
      'SELECT DISTINCT terminal_id FROM events WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(origin.rows).toEqual([{ terminal_id: a.terminalId }]);

    const pushed = results(await push(a, batch));
    expect(pushed).toEqual(relayed.map((r) => ({ ...r, outcome: 'duplicate' })));
    expect(await storedOnce(ids)).toEqual(once(ids));

    // The relay is logged by origin and counts, never with an event's body.
    const logged = h.logs.text
      .split('\n')
      .find((l) => l.includes('events relayed') && l.includes(a.terminalId));
    expect(logged).toBeDefined();
    expect(logged).toContain('"stored":2');
    expect(logged).not.toContain(m);
  });

  it('answers a duplicate for a relay after the origin’s push, and for a second till’s relay', async () => {
    const a = await till();
    const b = await till();
    const c = await till();
    const m = member();
    const batch = [a.events.enrolled(m), a.events.earned(m, 15), a.events.earned(m, 5)];
    const ids = batch.map((e) => e.id);
    const pushed = results(await push(a, batch));
    expect(pushed.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored']);
    for (const by of [b, c]) {
      const again = results(await relay(by, signed(a, batch)));
      expect(again).toEqual(pushed.map((r) => ({ ...r, outcome: 'duplicate' })));
    }
    expect(await storedOnce(ids)).toEqual(once(ids));
  });

  it('refuses every forgery with a 4xx naming it, and stores nothing of the batch', async () => {
    const a = await till();
    const b = await till();
    const keyless = await till(STORE_ID, false);
    const foreign = await till(OTHER_STORE);
    const revoked = await till();
    await revokeTerminal(t.db, revoked.terminalId, h.clock);
    const m = member();
    const genuine = [a.events.enrolled(m), a.events.earned(m, 10)];
    const good = signed(a, genuine);
    const first = good[0] as SignedEvent;
    const second = good[1] as SignedEvent;

    // An event altered after signing, hash kept (caught as altered) or recomputed (the signature fails).
    const changed = { ...second.event, payload: { ...second.event.payload, points: 9_000 } } as LedgerEvent;
    const rehashed = { ...changed, hash: eventHash(changed) };
    // Another store's till: its own events, and its events claiming this store (signed with its key).
    const foreignOwn = signed(foreign, [foreign.events.enrolled(member())]);
    const foreignHere = signEvent(
      eventFactory({ terminalId: foreign.terminalId, storeId: STORE_ID }).enrolled(member()),
      (foreign.key as KeyPair).secretKey,
    );
    const unknown = eventFactory({ terminalId: 'till-never-enrolled', storeId: STORE_ID });
    const cases: [string, unknown[], number, string, string?][] = [
      [
        'signed by another key',
        [first, signEvent(second.event, (b.key as KeyPair).secretKey)],
        403,
        'relay-unverified',
        'bad-signature',
      ],
      [
        'altered, hash kept',
        [first, { event: changed, signature: second.signature }],
        403,
        'relay-unverified',
        'altered',
      ],
      [
        'altered and re-hashed',
        [first, { event: rehashed, signature: second.signature }],
        403,
        'relay-unverified',
        'bad-signature',
      ],
      ['another store’s origin', foreignOwn, 403, 'relay-other-store'],
      ['another store’s till claiming this store', [foreignHere], 403, 'relay-other-store'],
      ['the caller’s own events', signed(b, [b.events.enrolled(member())]), 403, 'relay-own-events'],
      [
        'an origin without a key',
        [{ event: keyless.events.enrolled(member()), signature: first.signature }],
        403,
        'relay-origin-without-key',
      ],
      [
        'an unknown origin',
        [{ event: unknown.enrolled(member()), signature: first.signature }],
        403,
        'relay-unknown-origin',
      ],
      ['a revoked origin', signed(revoked, [revoked.events.enrolled(member())]), 403, 'relay-origin-revoked'],
      [
        'mixed origins',
        [first, ...signed(revoked, [revoked.events.enrolled(member())])],
        400,
        'relay-mixed-origins',
      ],
      ['an event without its signature', [first, { event: second.event }], 400, 'invalid-request'],
      ['no events', [], 400, 'invalid-request'],
    ];
    const before = await eventRows();
    for (const [what, envelopes, status, code, problem] of cases) {
      const res = await relay(b, envelopes);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      const body = res.json<{ error: string; problems?: { path: string; message: string }[] }>();
      expect(body.error, what).toBe(code);
      if (problem !== undefined)
        expect(body.problems, what).toEqual([{ path: 'events[1]', message: problem }]);
      expect(await eventRows(), what).toBe(before);
    }
    // A bad envelope past the first slice of signature checks (relay.ts yields every 32) refuses it all.
    const longMember = member();
    const long: LedgerEvent[] = [a.events.enrolled(longMember)];
    while (long.length < 40) long.push(a.events.earned(longMember, 1));
    const lastForged = [
      ...signed(a, long.slice(0, 39)),
      signEvent(long[39] as LedgerEvent, (b.key as KeyPair).secretKey),
    ];
    const refusedLong = await relay(b, lastForged);
    expect(refusedLong.statusCode, refusedLong.body).toBe(403);
    expect(refusedLong.json<{ problems: unknown }>().problems).toEqual([
      { path: 'events[39]', message: 'bad-signature' },
    ]);
    expect(await eventRows()).toBe(before);
    // The genuine pair still goes through afterwards: the refusals held nothing back.
    expect(results(await relay(b, good)).map((r) => r.outcome)).toEqual(['stored', 'stored']);
    // Without a live terminal's token: 401, nothing read.
    const anonymous = await h.request({ method: 'POST', url: '/v1/events/relay', payload: { events: good } });
    expect(anonymous.statusCode).toBe(401);
    const byRevoked = await relay(revoked, good);
    expect(byRevoked.statusCode).toBe(401);
    const refusals = h.logs.text.split('\n').filter((l) => l.includes('relay refused'));
    expect(refusals.length).toBeGreaterThanOrEqual(10);
    expect(refusals.join('\n')).not.toContain(m);
  });

  it('stores each event once whatever order relays by two tills and the origin’s pushes come in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({
            by: fc.constantFrom('origin', 'b', 'c'),
            from: fc.nat({ max: 4 }),
            length: fc.integer({ min: 1, max: 5 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (count, steps) => {
          const a = await till();
          const b = await till();
          const c = await till();
          const m = member();
          const chain: LedgerEvent[] = [a.events.enrolled(m)];
          while (chain.length < count) chain.push(a.events.earned(m, chain.length));
          const envelopes = signed(a, chain);
          const outcomes = new Map<string, string[]>();
          const sent = new Set<string>();
          for (const step of steps) {
            const from = Math.min(step.from, count - 1);
            const slice = chain.slice(from, from + step.length);
            const res =
              step.by === 'origin'
                ? await push(a, slice)
                : await relay(step.by === 'b' ? b : c, envelopes.slice(from, from + step.length));
            for (const r of results(res)) {
              outcomes.set(r.id, [...(outcomes.get(r.id) ?? []), r.outcome]);
              sent.add(r.id);
            }
          }
          // Exactly one `stored` per event sent, every other answer for it a duplicate, one row each.
          for (const [id, list] of outcomes) {
            expect(list[0], id).toBe('stored');
            expect(
              list.slice(1).every((o) => o === 'duplicate'),
              id,
            ).toBe(true);
          }
          expect(await storedOnce(chain.map((e) => e.id))).toEqual(once([...sent]));
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('stores each event exactly once when two tills relay it while its origin pushes it', async () => {
    // On PostgreSQL a second HQ with a pool of its own, as another process would be; PGlite is one
    // process, so a second server on the same database.
    const secondDb = t.url === undefined ? t.db : openPostgres(t.url);
    const second = await apiHarness(secondDb, config);
    try {
      const a = await till();
      const b = await till();
      const c = await till();
      for (let round = 0; round < 3; round++) {
        // 40 envelopes: more than one slice of signature checks (relay.ts yields every 32).
        const batch: LedgerEvent[] = [];
        for (let i = 0; i < 20; i++) {
          const m = member();
          batch.push(a.events.enrolled(m), a.events.earned(m, 10 + i));
        }
        const envelopes = signed(a, batch);
        const ids = batch.map((e) => e.id);
        const answers = await Promise.all([
          relay(b, envelopes, h),
          relay(c, envelopes, second),
          push(a, batch, round % 2 === 0 ? h : second),
          relay(b, envelopes.slice(10), second),
        ]);
        const stored = new Map<string, number>();
        for (const res of answers)
          for (const r of results(res)) {
            expect(['stored', 'duplicate'], r.id).toContain(r.outcome);
            if (r.outcome === 'stored') stored.set(r.id, (stored.get(r.id) ?? 0) + 1);
          }
        expect(Object.fromEntries(stored)).toEqual(once(ids));
        expect(await storedOnce(ids)).toEqual(once(ids));
      }
      const head = await t.db.query<{ last_seq: number }>('SELECT last_seq FROM terminals WHERE id = $1', [
        a.terminalId,
      ]);
      expect(head.rows).toEqual([{ last_seq: 120 }]);
    } finally {
      await second.close();
      if (secondDb !== t.db) await secondDb.close();
    }
  }, 120_000);
});

// The store LAN's HQ side (issue 16): enrollment with a terminal's Ed25519 public key answers HQ's signed
// credential and HQ's public key; HQ processes on one database sign with one key; GET /v1/store/peers hands
// a till its store's other live tills' credentials and addresses and the store's revoked keys, nothing of
// other stores; PUT /v1/terminals/me/lan takes LAN addresses only, and writes nothing when it refuses.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src-hq/db/database.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { ensureSigningKey, getSigningKey } from '../../../src-hq/store/signing-key.js';
import { admitPeer, verifyCredential } from '../../../src-shared/lan/credential.js';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';
import {
  isLanAddress,
  lanReportResponseSchema,
  storePeersResponseSchema,
  type StorePeersResponse,
} from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

const OTHER_STORE = 's-lan-other';

/** A fixed-seed key pair: seed byte `n` repeated (tests only; tills draw theirs from node:crypto). */
let seeds = 0;
const newKey = () => {
  seeds += 1;
  return keyPairFromSeed(new Uint8Array(32).fill(seeds));
};

describe.each(databases)('store LAN on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await createStore(t.db, { id: OTHER_STORE, name: 'Store two', timeZone: 'Europe/Paris' });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  /** Enrolls a till of `storeId`, sending `publicKey` when given. */
  async function enrollWith(publicKey: string | undefined, storeId = STORE_ID, app: Harness = h) {
    const made = await app.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: app.adminToken,
      payload: { storeId },
    });
    const { code } = made.json<{ code: string }>();
    return app.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Till', ...(publicKey === undefined ? {} : { publicKey }) },
    });
  }

  async function enrolled(publicKey: string | undefined, storeId = STORE_ID, app: Harness = h) {
    const res = await enrollWith(publicKey, storeId, app);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{
      terminalId: string;
      storeId: string;
      token: string;
      credential?: unknown;
      hqPublicKey?: string;
    }>();
  }

  const peersOf = async (token: string): Promise<StorePeersResponse> => {
    const res = await h.request({ method: 'GET', url: '/v1/store/peers', token });
    expect(res.statusCode, res.body).toBe(200);
    return storePeersResponseSchema.parse(res.json());
  };

  it('answers an enrollment with a key with HQ’s credential over it, which admitPeer takes for the store', async () => {
    const key = newKey();
    const answer = await enrolled(key.publicKey);
    const hq = await getSigningKey(t.db);
    expect(answer.hqPublicKey).toBe(hq.publicKey);
    expect(answer.credential).toMatchObject({
      terminalId: answer.terminalId,
      storeId: STORE_ID,
      publicKey: key.publicKey,
    });
    expect(verifyCredential(answer.credential, hq.publicKey)).toBe(true);
    expect(admitPeer(answer.credential, { storeId: STORE_ID, hqPublicKey: hq.publicKey })).toMatchObject({
      ok: true,
    });
    // Another store's till refuses it, and it is not signed by any other key.
    expect(admitPeer(answer.credential, { storeId: OTHER_STORE, hqPublicKey: hq.publicKey })).toEqual({
      ok: false,
      reason: 'other-store',
    });
    expect(verifyCredential(answer.credential, newKey().publicKey)).toBe(false);
    // Kept on the terminal's row.
    const { rows } = await t.db.query<{ public_key: string }>(
      'SELECT public_key FROM terminals WHERE id = $1',
      [answer.terminalId],
    );
    expect(rows).toEqual([{ public_key: key.publicKey }]);
  });

  it('enrolls a terminal that sends no key as before: no credential, no HQ key', async () => {
    const answer = await enrolled(undefined);
    expect(answer.credential).toBeUndefined();
    expect(answer.hqPublicKey).toBeUndefined();
    expect(answer.token.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a malformed key (400) and a key another terminal holds (409), without spending the code', async () => {
    const bad = await enrollWith('ABCD'.repeat(16));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid-request' });

    const key = newKey();
    await enrolled(key.publicKey);
    const made = await h.request({
      method: 'POST',
      url: '/v1/admin/enrollment-codes',
      token: h.adminToken,
      payload: { storeId: STORE_ID },
    });
    const { code } = made.json<{ code: string }>();
    const reused = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Copycat', publicKey: key.publicKey },
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ error: 'key-in-use' });
    const { rows } = await t.db.query('SELECT 1 FROM terminals WHERE public_key = $1', [key.publicKey]);
    expect(rows).toHaveLength(1);
    // The code was not spent: it enrolls with a fresh key.
    const retry = await h.request({
      method: 'POST',
      url: '/v1/terminals/enroll',
      payload: { code, name: 'Copycat', publicKey: newKey().publicKey },
    });
    expect(retry.statusCode, retry.body).toBe(201);
  });

  it('signs with one key from every HQ instance on the database, made once even by a race', async () => {
    // A second HQ on the same database: on PostgreSQL with a pool of its own, as another process would
    // (it shares nothing but the database); PGlite lives in one process, so a second server on it.
    const secondDb = t.url === undefined ? t.db : openPostgres(t.url);
    const second = await apiHarness(secondDb);
    try {
      const one = await enrolled(newKey().publicKey, STORE_ID, h);
      const two = await enrolled(newKey().publicKey, STORE_ID, second);
      expect(one.hqPublicKey).toBeDefined();
      expect(two.hqPublicKey).toBe(one.hqPublicKey);
      expect(verifyCredential(one.credential, one.hqPublicKey ?? '')).toBe(true);
      expect(verifyCredential(two.credential, one.hqPublicKey ?? '')).toBe(true);
    } finally {
      await second.close();
      if (secondDb !== t.db) await secondDb.close();
    }
    // Made once: HQs starting together on a database without a key all end up with the first one made.
    const kept = await t.db.query<{ value: string }>(
      "SELECT value FROM settings WHERE name = 'terminal_signing_key'",
    );
    await t.db.query("DELETE FROM settings WHERE name = 'terminal_signing_key'");
    try {
      const raced = await Promise.all(Array.from({ length: 4 }, () => ensureSigningKey(t.db)));
      expect(new Set(raced.map((k) => k.publicKey)).size).toBe(1);
    } finally {
      await t.db.query(
        `INSERT INTO settings (name, value) VALUES ('terminal_signing_key', $1)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [kept.rows[0]?.value],
      );
    }
  });

  it('never logs HQ’s signing seed', async () => {
    await enrolled(newKey().publicKey);
    const { rows } = await t.db.query<{ value: string }>(
      "SELECT value FROM settings WHERE name = 'terminal_signing_key'",
    );
    const seed = rows[0]?.value ?? '';
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(h.logs.text).not.toContain(seed);
  });

  it('lists the caller’s store’s other live tills, with their addresses, and the store’s revoked keys', async () => {
    await createStore(t.db, { id: 's-peers', name: 'Peers', timeZone: 'Europe/Paris' });
    const [ka, kb, kc, kr, kx] = [newKey(), newKey(), newKey(), newKey(), newKey()];
    const a = await enrolled(ka.publicKey, 's-peers');
    const b = await enrolled(kb.publicKey, 's-peers');
    const c = await enrolled(kc.publicKey, 's-peers');
    await enrolled(undefined, 's-peers'); // no key: takes no part
    const revoked = await enrolled(kr.publicKey, 's-peers');
    await enrolled(kx.publicKey, OTHER_STORE);
    const revoke = await h.request({
      method: 'POST',
      url: `/v1/admin/terminals/${revoked.terminalId}/revoke`,
      token: h.adminToken,
    });
    expect(revoke.statusCode, revoke.body).toBeLessThan(300);
    const report = await h.request({
      method: 'PUT',
      url: '/v1/terminals/me/lan',
      token: b.token,
      payload: { addresses: ['192.168.1.12:7443', 'till-b.local:7443'] },
    });
    expect(report.statusCode, report.body).toBe(200);
    expect(lanReportResponseSchema.parse(report.json()).addresses).toEqual([
      '192.168.1.12:7443',
      'till-b.local:7443',
    ]);

    const seen = await peersOf(a.token);
    const hq = await getSigningKey(t.db);
    expect(seen.hqPublicKey).toBe(hq.publicKey);
    expect(seen.storeId).toBe('s-peers');
    expect(seen.peers.map((p) => p.credential.terminalId)).toEqual([b.terminalId, c.terminalId]);
    expect(seen.peers.map((p) => p.credential.publicKey)).toEqual([kb.publicKey, kc.publicKey]);
    expect(seen.peers[0]).toMatchObject({
      lanAddresses: ['192.168.1.12:7443', 'till-b.local:7443'],
      lanReportedAt: expect.stringMatching(/^\d{4}-/) as unknown,
    });
    expect(seen.peers[1]).toMatchObject({ lanAddresses: [], lanReportedAt: null });
    expect(seen.revokedKeys).toEqual([kr.publicKey]);
    // Every listed credential is one the caller admits for its store; the revoked key is refused.
    const revokedKeys = new Set(seen.revokedKeys);
    for (const peer of seen.peers)
      expect(
        admitPeer(peer.credential, { storeId: 's-peers', hqPublicKey: seen.hqPublicKey, revokedKeys }),
      ).toMatchObject({ ok: true });
    const text = JSON.stringify(seen);
    expect(text).not.toContain(kx.publicKey);
    expect(text).not.toContain(a.terminalId);

    // B sees A (and C), not itself.
    const fromB = await peersOf(b.token);
    expect(fromB.peers.map((p) => p.credential.terminalId)).toEqual([a.terminalId, c.terminalId]);
    // The revoked till is refused, as is a request with no or a made-up token.
    for (const token of [revoked.token, null, 'x'.repeat(43)]) {
      const res = await h.request({ method: 'GET', url: '/v1/store/peers', token });
      expect(res.statusCode).toBe(401);
      const put = await h.request({
        method: 'PUT',
        url: '/v1/terminals/me/lan',
        token,
        payload: { addresses: ['10.0.0.9:7443'] },
      });
      expect(put.statusCode).toBe(401);
    }
  });

  it('refuses junk LAN addresses with a clear 400 and keeps the last report', async () => {
    const till = await enrolled(newKey().publicKey);
    const good = ['10.1.2.3:7443', '[fd12:3456::5]:7443'];
    const first = await h.request({
      method: 'PUT',
      url: '/v1/terminals/me/lan',
      token: till.token,
      payload: { addresses: good },
    });
    expect(first.statusCode).toBe(200);
    const stored = async () =>
      (
        await t.db.query<{ lan_addresses: unknown; lan_reported_at: unknown }>(
          'SELECT lan_addresses, lan_reported_at FROM terminals WHERE id = $1',
          [till.terminalId],
        )
      ).rows[0];
    const before = await stored();
    expect(before?.lan_addresses).toEqual(good);
    h.clock.advance(60_000);
    const junk: Record<string, unknown>[] = [
      { addresses: ['8.8.8.8:7443'] },
      { addresses: ['127.0.0.1:7443'] },
      { addresses: ['hq.example.com:443'] },
      { addresses: ['10.0.0.1:80'] },
      { addresses: ['10.0.0.1'] },
      { addresses: ['10.0.0.1:7443', '10.0.0.1:7443'] },
      { addresses: Array.from({ length: 9 }, (_, i) => `10.0.0.${i + 1}:7443`) },
      { addresses: ['[2001:db8::1]:7443'] },
      { addresses: ['10.0.0.1:7443'], extra: true },
      { addresses: 'till-b.local:7443' },
      {},
    ];
    for (const payload of junk) {
      const res = await h.request({ method: 'PUT', url: '/v1/terminals/me/lan', token: till.token, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json<{ error: string; message: string; problems?: { path: string }[] }>();
      expect(body.error).toBe('invalid-request');
      expect(body.problems?.length ?? 0).toBeGreaterThan(0);
    }
    const refused = await h.request({
      method: 'PUT',
      url: '/v1/terminals/me/lan',
      token: till.token,
      payload: { addresses: ['8.8.8.8:7443'] },
    });
    expect(refused.json<{ problems: { path: string; message: string }[] }>().problems[0]).toMatchObject({
      path: 'addresses[0]',
      message: expect.stringContaining('private IPv4') as unknown,
    });
    expect(await stored()).toEqual(before);
    // An empty list clears the report.
    const cleared = await h.request({
      method: 'PUT',
      url: '/v1/terminals/me/lan',
      token: till.token,
      payload: { addresses: [] },
    });
    expect(cleared.statusCode).toBe(200);
    expect((await stored())?.lan_addresses).toEqual([]);
  });
});

describe('LAN addresses', () => {
  const port = fc.integer({ min: 1024, max: 65_535 });
  const octet = fc.integer({ min: 0, max: 255 });

  it('takes every private IPv4 address with an unprivileged port', () => {
    const privateIp = fc.oneof(
      fc.tuple(fc.constant(10), octet, octet, octet),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
      fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
    );
    fc.assert(fc.property(privateIp, port, (ip, p) => isLanAddress(`${ip.join('.')}:${p}`)));
  });

  it('refuses every other IPv4 address, and privileged ports', () => {
    const publicIp = fc
      .tuple(octet, octet, octet, octet)
      .filter(([a, b]) => !(a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)));
    fc.assert(fc.property(publicIp, port, (ip, p) => !isLanAddress(`${ip.join('.')}:${p}`)));
    fc.assert(fc.property(fc.integer({ min: 0, max: 1023 }), (p) => !isLanAddress(`10.0.0.1:${p}`)));
  });

  it('takes LAN names and unique-local IPv6, and refuses names with a public-looking domain', () => {
    for (const ok of [
      'till-2:7443',
      'till-2.local:7443',
      'a.b.local:1024',
      '[fd00::1]:65535',
      '[fc12:ab::9]:8080',
    ])
      expect(isLanAddress(ok), ok).toBe(true);
    for (const bad of [
      'till.example.com:7443',
      'TILL:7443',
      '-till:7443',
      '1234:7443',
      '[::1]:7443',
      '[fe80::1]:7443',
      '10.0.0.256:7443',
      '010.0.0.1:7443',
      '10.0.0.1:65536',
      '10.0.0.1:07443',
      'till:7443/x',
      ' till:7443',
      '',
    ])
      expect(isLanAddress(bad), bad).toBe(false);
  });
});

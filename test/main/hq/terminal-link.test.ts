// TerminalLink against a real HQ (src-hq on PGlite, over HTTP on 127.0.0.1): enrollment, pull and push,
// exactly-once after a lost reply, HQ down and back, revocation, the live stream across an HQ restart, and
// the promise that nothing the renderer gets back carries the token or HQ's address. Store LAN (issue 16):
// enrollment makes a key pair and keeps its seed with HQ's credential, a till enrolled before has none, the
// store's peer list is cached for outages, and the seed never reaches the renderer either.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCredentialStore, type Credential } from '../../../src-main/hq/credential-store.js';
import { filePeerCache } from '../../../src-main/hq/peer-cache.js';
import { admitPeer, verifyCredential } from '../../../src-shared/lan/credential.js';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { FetchLike } from '../../../src-main/hq/hq-client.js';
import { TerminalLink } from '../../../src-main/hq/terminal-link.js';
import { createHostApi } from '../../../src-main/host/host-api.js';
import type { HqLinkStatus, HqResult } from '../../../src-shared/ipc/hq-api.js';
import { sha256Hex } from '../../../src-shared/kernel/hash.js';
import { PROTOCOL_VERSION } from '../../../src-shared/sync/protocol.js';
import { closeFiguresFromEvents, eventDocSchema, memberDocSchema } from '../../../src-shared/sync/wire.js';
import { eventFactory, type EventFactory } from '../../support/events.js';
import { connectionResetError, isPush, lossyFetch, once, recordingFetch } from '../../support/fetch-fakes.js';
import { recordStream, startTestHq, type TestHq } from '../../support/hq.js';

const dir = mkdtempSync(join(tmpdir(), 'terminal-link-'));
let hq: TestHq;
let files = 0;

beforeAll(async () => {
  hq = await startTestHq();
}, 60_000);
afterAll(async () => {
  await hq?.close();
  rmSync(dir, { recursive: true, force: true });
});

const fastStream = { initialDelayMs: 10, maxDelayMs: 100 };

function newLink(options: { fetch?: FetchLike; hqUrl?: string } = {}) {
  files += 1;
  const path = join(dir, `credential-${files}.json`);
  const link = new TerminalLink({
    hqUrl: options.hqUrl ?? hq.url,
    credentials: fileCredentialStore(path),
    stream: fastStream,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const credential = (): Credential => JSON.parse(readFileSync(path, 'utf8')) as Credential;
  return { link, path, credential };
}

function expectOk<T>(result: HqResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Resolves once the link's status satisfies `predicate` (checked now and on every change). */
function statusReaches(link: TerminalLink, predicate: (status: HqLinkStatus) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      link.hqStatus().then((status) => {
        if (predicate(status)) {
          off();
          resolve();
        }
      }, reject);
    };
    const off = link.onStatusChange(check);
    check();
  });
}

/** An enrollment claiming the welcome bonus HQ's program gives (any other figure HQ would hold or flag). */
const enrollment = (events: EventFactory, memberId: string) =>
  events.enrolled(memberId, { welcomeBonus: hq.program.bonuses.welcome });

async function enrolledLink(name = 'Till', options: { fetch?: FetchLike } = {}) {
  const made = newLink(options);
  const { terminalId, storeId } = expectOk(await made.link.enroll({ code: await hq.enrollmentCode(), name }));
  return { ...made, terminalId, storeId, events: eventFactory({ terminalId, storeId }) };
}

describe('TerminalLink with a real HQ', { timeout: 30_000 }, () => {
  it('enrolls with a one-time code, and a used code is rejected with HQ’s words', async () => {
    const { link, credential } = newLink();
    expect(await link.hqStatus()).toMatchObject({ enrolled: false, terminalId: null, online: false });
    expect(await link.pull('members', null, 10)).toMatchObject({
      ok: false,
      error: { code: 'not-enrolled' },
    });

    const code = await hq.enrollmentCode();
    const enrolled = expectOk(await link.enroll({ code, name: 'Till 1' }));
    expect(enrolled.storeId).toBe(hq.storeId);
    // The store's country comes with the enrollment and is kept with the credential (the test store's
    // is HQ's default, IE): the till reads typed phone numbers in it.
    expect(credential()).toMatchObject({
      terminalId: enrolled.terminalId,
      storeId: hq.storeId,
      hqUrl: hq.url,
      country: 'IE',
    });
    const status = await link.hqStatus();
    expect(status).toMatchObject({
      enrolled: true,
      terminalId: enrolled.terminalId,
      country: 'IE',
      online: true,
      lastError: null,
    });
    expect(status.lastContactAt).not.toBeNull();

    const again = await newLink().link.enroll({ code, name: 'Till 2' });
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'rejected',
        message: 'This enrollment code has been used already. Ask HQ for a new one.',
      },
    });
  });

  it('gets the phone key from HQ once for a credential saved before HQ handed it out, and keeps it', async () => {
    const { path, credential } = await enrolledLink('Till before phone keys');
    const key = credential().phoneKey;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const { phoneKey: _dropped, ...older } = credential();
    writeFileSync(path, JSON.stringify(older));
    const { fetch, calls } = recordingFetch((seen) => globalThis.fetch(seen.url, seen.init));
    const reopened = new TerminalLink({ hqUrl: hq.url, credentials: fileCredentialStore(path), fetch });
    expect(await reopened.phoneKey()).toBe(key);
    expect(credential().phoneKey).toBe(key);
    expect(await reopened.phoneKey()).toBe(key);
    expect(calls.filter((c) => c.url.endsWith('/v1/phone-key'))).toHaveLength(1);
  });

  it('keeps the credential across a restart, and its replication key names HQ, protocol and terminal', async () => {
    const { link, path, terminalId } = await enrolledLink('Till restart');
    const reopened = new TerminalLink({ hqUrl: `${hq.url}/`, credentials: fileCredentialStore(path) });
    expect(await reopened.hqStatus()).toMatchObject({ enrolled: true, terminalId });
    expect(await reopened.replicationKey()).toBe(sha256Hex(`${hq.url}\n${PROTOCOL_VERSION}\n${terminalId}`));
    expect(await reopened.replicationKey()).toBe(await link.replicationKey());
    expect(expectOk(await reopened.pull('programs', null, 10)).documents).toHaveLength(1);

    // Configured for another HQ: the token is not sent there, the terminal must enroll again.
    const elsewhere = new TerminalLink({
      hqUrl: 'http://127.0.0.1:9',
      credentials: fileCredentialStore(path),
    });
    expect(await elsewhere.hqStatus()).toMatchObject({
      enrolled: false,
      lastError: { code: 'not-enrolled' },
    });
    expect(await elsewhere.pull('members', null, 1)).toMatchObject({
      ok: false,
      error: { code: 'not-enrolled' },
    });
  });

  it('pushes events and pulls them back with HQ’s verdict', async () => {
    const { link, events } = await enrolledLink('Till round trip');
    const batch = [enrollment(events, 'm-round-trip'), events.earned('m-round-trip', 12)];
    const pushed = expectOk(await link.push(batch));
    expect(pushed.results.map((r) => [r.id, r.outcome])).toEqual(batch.map((e) => [e.id, 'stored']));

    const page = expectOk(await link.pull('events', null, 100));
    const docs = page.documents.map((d) => eventDocSchema.parse(d));
    expect(docs.map((d) => d.id)).toEqual(batch.map((e) => e.id));
    expect(docs[0]?.event).toEqual(batch[0]);
    expect(expectOk(await link.pull('events', page.checkpoint, 100)).documents).toEqual([]);

    const members = expectOk(await link.pull('members', null, 1000)).documents.map((d) =>
      memberDocSchema.parse(d),
    );
    expect(members.find((m) => m.id === 'm-round-trip')).toMatchObject({ memberSeq: 2 });

    const close = expectOk(await link.close(closeFiguresFromEvents('2025-03-03', batch)));
    expect(close.hq.count).toBe(2);
    expect(expectOk(await link.lookup({ card: 'no-such-card' }))).toEqual([]);
  });

  it('retries a push whose reply was lost: duplicate, and HQ holds the event once', async () => {
    const fetch = lossyFetch((url, init) => globalThis.fetch(url, init), {
      dropReplyAfterCommit: once(isPush),
    });
    const { link, events } = await enrolledLink('Till lossy', { fetch });
    const event = enrollment(events, 'm-lossy');
    expect(await link.push([event])).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(fetch.dropped).toBe(1);
    expect((await link.hqStatus()).online).toBe(false);

    const retried = expectOk(await link.push([event]));
    expect(retried.results).toMatchObject([{ id: event.id, outcome: 'duplicate' }]);
    const stored = await hq.db.query('SELECT count(*)::int AS n FROM events WHERE id = $1', [event.id]);
    expect(stored.rows).toEqual([{ n: 1 }]);
    expect((await link.hqStatus()).online).toBe(true);
  });

  it('rejects what HQ refuses, with HQ’s problems', async () => {
    const { link, events } = await enrolledLink('Till forged');
    const theirs = eventFactory({ terminalId: 'someone-else', storeId: hq.storeId });
    const forged = await link.push([enrollment(events, 'm-honest'), theirs.enrolled('m-forged')]);
    expect(forged).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect((await link.hqStatus()).online).toBe(true);
  });

  it('is offline while HQ is down and online again when it is back', async () => {
    const { link } = await enrolledLink('Till outage');
    await hq.stop();
    try {
      const down = await link.pull('members', null, 10);
      expect(down).toMatchObject({ ok: false, error: { code: 'offline' } });
      expect(await link.hqStatus()).toMatchObject({ online: false, lastError: { code: 'offline' } });
    } finally {
      await hq.start();
    }
    expectOk(await link.pull('members', null, 10));
    expect(await link.hqStatus()).toMatchObject({ online: true, lastError: null });
  });

  it('reports a revoked terminal as unauthorised', async () => {
    const { link, terminalId } = await enrolledLink('Till revoked');
    await hq.revoke(terminalId);
    expect(await link.pull('members', null, 10)).toMatchObject({
      ok: false,
      error: { code: 'unauthorised' },
    });
    expect(await link.hqStatus()).toMatchObject({
      enrolled: true,
      online: true,
      lastError: { code: 'unauthorised' },
    });
    // A manager enrolls it again: a new credential, and it works.
    expectOk(await link.enroll({ code: await hq.enrollmentCode(), name: 'Till revoked, again' }));
    expectOk(await link.pull('members', null, 10));
  });

  it('streams RESYNC on connect, changed after another terminal pushes, and survives an HQ restart', async () => {
    const { link } = await enrolledLink('Till stream');
    const stream = recordStream(link);
    try {
      await stream.next('RESYNC');

      const other = await enrolledLink('Till neighbour');
      expectOk(await other.link.push([enrollment(other.events, 'm-neighbour')]));
      for (;;) {
        const message = await stream.next('changed');
        if (message.type === 'changed' && message.collections.includes('members')) break;
      }

      await hq.stop();
      await stream.next('DISCONNECTED');
      expect((await link.hqStatus()).online).toBe(false);
      await hq.start();
      await stream.next('RESYNC');
      expect((await link.hqStatus()).online).toBe(true);
      // One DISCONNECTED for the whole outage, however many reconnection attempts it took.
      expect(stream.messages.map((m) => m.type)).toEqual(
        expect.arrayContaining(['RESYNC', 'changed', 'DISCONNECTED', 'RESYNC']),
      );
      expect(stream.messages.filter((m) => m.type === 'DISCONNECTED')).toHaveLength(1);
    } finally {
      stream.stop();
      await link.stop();
    }
  });

  it('ends the stream of a revoked terminal and stops reconnecting', async () => {
    const { link, terminalId } = await enrolledLink('Till revoked stream');
    const stream = recordStream(link);
    try {
      await stream.next('RESYNC');
      await hq.revoke(terminalId);
      await stream.next('DISCONNECTED');
      // The reconnection is refused (401): the stream stops itself and says why.
      await statusReaches(link, (s) => s.lastError?.code === 'unauthorised');
    } finally {
      stream.stop();
      await link.stop();
    }
  });

  it('never hands the renderer side the token or HQ’s address', async () => {
    const { link, credential, terminalId } = await enrolledLink('Till secrets');
    const api = createHostApi({ link, hostInfo: { host: 'browser', version: 'test' } });
    const token = credential().token;
    const seen: unknown[] = [];
    const stream = recordStream(api);
    try {
      await stream.next('RESYNC');
      const f = eventFactory({ terminalId, storeId: hq.storeId });
      seen.push(await api.hqStatus(), await api.replicationKey());
      seen.push(await api.push([f.enrolled('m-secret')]), await api.pull('events', null, 10));
      seen.push(await api.pull('members', { seq: 0 }, 5), await api.lookup({ card: '123' }));
      seen.push(await api.enroll({ code: 'AAAA-BBBB-CCCC', name: 'x' }));
      seen.push(await api.pull('nonsense' as never, null, 10));
      await hq.stop();
      await stream.next('DISCONNECTED');
      seen.push(await api.push([f.earned('m-secret', 5)]), await api.hqStatus());
      await hq.start();
      await stream.next('RESYNC');
      await hq.revoke(terminalId);
      seen.push(await api.pull('members', null, 1), await api.hqStatus());
      seen.push(...stream.messages);
      const text = JSON.stringify(seen);
      expect(text).toContain('unauthorised');
      expect(text).toContain('offline');
      // The store-LAN seed is kept with the token and, like it, never handed to the renderer side.
      const seed = credential().lan?.seed;
      expect(seed).toMatch(/^[0-9a-f]{64}$/);
      for (const secret of [token, seed ?? 'no seed', hq.url, `127.0.0.1:${hq.port}`, `:${hq.port}`]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      stream.stop();
      await link.stop();
    }
  });
});

describe('store LAN identity and peers (issue 16)', { timeout: 30_000 }, () => {
  it('makes a key pair at enrollment, sends its public key and keeps the seed with HQ’s credential', async () => {
    const seen: string[] = [];
    const fetch: FetchLike = (url, init) => {
      if (new URL(url).pathname.endsWith('/v1/terminals/enroll'))
        seen.push(typeof init.body === 'string' ? init.body : '');
      return globalThis.fetch(url, init);
    };
    const { link, credential } = await enrolledLink('Till keyed', { fetch });
    const saved = credential();
    const lan = saved.lan;
    if (!lan) throw new Error('no LAN identity saved');
    const key = keyPairFromSeed(hexToBytes(lan.seed));
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0] ?? '{}')).toMatchObject({ publicKey: key.publicKey });
    // The secret went nowhere: the request carried the public key only.
    expect(seen[0]).not.toContain(lan.seed);
    expect(lan.credential).toMatchObject({
      terminalId: saved.terminalId,
      storeId: hq.storeId,
      publicKey: key.publicKey,
    });
    expect(verifyCredential(lan.credential, lan.hqPublicKey)).toBe(true);
    const identity = await link.lanIdentity();
    expect(identity).toMatchObject({
      terminalId: saved.terminalId,
      storeId: hq.storeId,
      publicKey: key.publicKey,
      hqPublicKey: lan.hqPublicKey,
    });
    expect(Buffer.from(identity?.secretKey ?? []).toString('hex')).toBe(lan.seed);
    // Enrolling again makes a new key, and the credential over it replaces the old one.
    expectOk(await link.enroll({ code: await hq.enrollmentCode(), name: 'Till keyed' }));
    const again = credential().lan;
    expect(again?.seed).not.toBe(lan.seed);
    expect(again?.credential.publicKey).not.toBe(key.publicKey);
    expect((await link.lanIdentity())?.publicKey).toBe(again?.credential.publicKey);
    await link.stop();
  });

  it('refuses a key chosen by the renderer side: the host makes it', async () => {
    const { link, credential } = newLink();
    const api = createHostApi({ link, hostInfo: { host: 'browser', version: 'test' } });
    const chosen = keyPairFromSeed(new Uint8Array(32).fill(3)).publicKey;
    const code = await hq.enrollmentCode();
    const refused = await api.enroll({ code, name: 'Till', publicKey: chosen } as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expectOk(await api.enroll({ code, name: 'Till' }));
    expect(credential().lan?.credential.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(credential().lan?.credential.publicKey).not.toBe(chosen);
    await link.stop();
  });

  it('a till enrolled before keys has no LAN identity, works as before, and no peer lists it', async () => {
    const older = await enrolledLink('Till before keys');
    const { lan: _dropped, ...before } = older.credential();
    writeFileSync(older.path, JSON.stringify(before));
    const restarted = new TerminalLink({ hqUrl: hq.url, credentials: fileCredentialStore(older.path) });
    // Not part of LAN sync until enrolled again; HQ still answers it.
    expect(await restarted.lanIdentity()).toBeNull();
    expectOk(await restarted.pull('programs', null, 10));
    // HQ has the key this till sent at its enrollment; a till that never sent one is not a peer.
    await hq.db.query('UPDATE terminals SET public_key = NULL, credential = NULL WHERE id = $1', [
      older.terminalId,
    ]);
    const other = await enrolledLink('Till with key');
    const peers = expectOk(await other.link.storePeers()).peers;
    expect(peers.peers.map((p) => p.credential.terminalId)).not.toContain(older.terminalId);
    await other.link.stop();
    await restarted.stop();
    await older.link.stop();
  });

  it('fetches the store’s peers, keeps them in a file, and answers from it while HQ is out of reach', async () => {
    const a = await enrolledLink('Till A');
    const cachePath = join(dir, `peers-${files}.json`);
    let down = false;
    const fetch: FetchLike = (url, init) =>
      down ? Promise.reject(connectionResetError()) : globalThis.fetch(url, init);
    const b = newLink({ fetch });
    const linkB = new TerminalLink({
      hqUrl: hq.url,
      credentials: fileCredentialStore(b.path),
      peerCache: filePeerCache(cachePath),
      fetch,
    });
    expectOk(await linkB.enroll({ code: await hq.enrollmentCode(), name: 'Till B' }));
    const identity = await linkB.lanIdentity();
    if (!identity) throw new Error('B has no LAN identity');
    expectOk(await a.link.reportLan(['192.168.7.10:7443']));

    const fresh = expectOk(await linkB.storePeers());
    expect(fresh.fromCache).toBe(false);
    expect(fresh.peers.hqPublicKey).toBe(identity.hqPublicKey);
    const peerA = fresh.peers.peers.find((p) => p.credential.terminalId === a.terminalId);
    expect(peerA?.lanAddresses).toEqual(['192.168.7.10:7443']);
    expect(fresh.peers.peers.map((p) => p.credential.terminalId)).not.toContain(identity.terminalId);
    // What B holds lets it admit A for its store.
    expect(
      admitPeer(peerA?.credential, {
        storeId: identity.storeId,
        hqPublicKey: identity.hqPublicKey,
        terminalId: a.terminalId,
      }),
    ).toMatchObject({ ok: true });
    // Kept atomically (no temporary file left), mode 0600, tied to B and this HQ.
    expect(readdirSync(dir).filter((f) => f.startsWith(`peers-${files}.json.`))).toEqual([]);
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(cachePath, 'utf8'))).toMatchObject({
      terminalId: identity.terminalId,
      hqUrl: hq.url,
      fetchedAt: fresh.fetchedAt,
    });

    down = true;
    const cached = expectOk(await linkB.storePeers());
    expect(cached).toEqual({ ...fresh, fromCache: true });
    expect((await linkB.hqStatus()).online).toBe(false);
    // A restarted B during the outage reads the same list from the file.
    const restarted = new TerminalLink({
      hqUrl: hq.url,
      credentials: fileCredentialStore(b.path),
      peerCache: filePeerCache(cachePath),
      fetch,
    });
    expect(expectOk(await restarted.storePeers()).peers).toEqual(fresh.peers);
    // A damaged cache is no answer: the outage is reported as such.
    writeFileSync(cachePath, '{"hqUrl":');
    expect(await restarted.storePeers()).toMatchObject({ ok: false, error: { code: 'offline' } });
    // A cache another terminal fetched (the till was enrolled again) is not used.
    writeFileSync(
      cachePath,
      JSON.stringify({
        terminalId: a.terminalId,
        hqUrl: hq.url,
        fetchedAt: fresh.fetchedAt,
        peers: fresh.peers,
      }),
    );
    expect(await restarted.storePeers()).toMatchObject({ ok: false, error: { code: 'offline' } });

    // Revoked: HQ's refusal comes back as is, the cache is not a fallback for it.
    down = false;
    expectOk(await linkB.storePeers());
    await hq.revoke(identity.terminalId);
    expect(await linkB.storePeers()).toMatchObject({ ok: false, error: { code: 'unauthorised' } });
    await Promise.all([linkB.stop(), restarted.stop(), a.link.stop()]);
  });
});

describe('startTestHq', { timeout: 60_000 }, () => {
  it('serves the chosen program and the store’s cashiers', async () => {
    const other = await startTestHq({
      program: 'coffee-shop',
      cashiers: [{ id: 'c-ana', name: 'Ana', role: 'manager', pin: '2468' }],
    });
    try {
      const link = new TerminalLink({
        hqUrl: other.url,
        credentials: fileCredentialStore(join(dir, 'coffee.json')),
      });
      expectOk(await link.enroll({ code: await other.enrollmentCode(), name: 'Coffee till' }));
      const programs = expectOk(await link.pull('programs', null, 10)).documents;
      expect(programs).toMatchObject([{ programId: 'bean-there', current: true }]);
      const cashiers = expectOk(await link.pull('cashiers', null, 10)).documents;
      expect(cashiers).toMatchObject([{ id: 'c-ana', storeId: other.storeId, role: 'manager' }]);
    } finally {
      await other.close();
    }
  });
});

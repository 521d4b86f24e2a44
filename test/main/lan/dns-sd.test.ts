// DNS-SD on the store LAN (issue 16): what a sighting yields (our store's tills at private IPv4 addresses
// only), how found tills join the peer list (only with HQ's credential, HQ's and manual entries first),
// and the real library: two instances in this process advertise and find each other over multicast.
import { createSocket } from 'node:dgram';
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LanHost, type LanHostLink } from '../../../src-main/host/lan-host.js';
import { lanConfigSchema, type LanConfig } from '../../../src-main/lan/lan-config.js';
import {
  DnsSd,
  type DnsSdOptions,
  type LanDiscovery,
  isPrivateIpv4Address,
  mergeDiscovered,
  readSighting,
  type DiscoveredTill,
} from '../../../src-main/lan/dns-sd.js';
import type { LanPeer } from '../../../src-main/lan/lan-peers.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { ManualTimers } from '../../../src-shared/kernel/timers.js';
import { HQ, OTHER_STORE, STORE, till } from '../../shared/lan/builders.js';
import { removeDir, tempDir } from './harness.js';

const self = { terminalId: 't-1', storeId: STORE };
const sighting = (
  over: Partial<Parameters<typeof readSighting>[0]> = {},
): Parameters<typeof readSighting>[0] => ({
  port: 7421,
  txt: { t: 't-2', s: STORE },
  addresses: ['10.0.0.12'],
  ...over,
});

describe('readSighting', () => {
  it('reads a colleague of our store at a private IPv4 address', () => {
    expect(readSighting(sighting(), self)).toEqual({
      terminalId: 't-2',
      storeId: STORE,
      address: '10.0.0.12:7421',
    });
  });

  it('prefers the answering packet’s source, then the first acceptable A record', () => {
    expect(readSighting(sighting({ referer: '192.168.1.5' }), self)?.address).toBe('192.168.1.5:7421');
    expect(
      readSighting(
        sighting({ referer: '8.8.8.8', addresses: ['fd00::2', '203.0.113.9', '172.16.4.2'] }),
        self,
      )?.address,
    ).toBe('172.16.4.2:7421');
  });

  it('ignores our own service and other stores’', () => {
    expect(readSighting(sighting({ txt: { t: 't-1', s: STORE } }), self)).toBeNull();
    expect(readSighting(sighting({ txt: { t: 't-2', s: OTHER_STORE } }), self)).toBeNull();
  });

  it('ignores public, loopback and IPv6 addresses and ports below 1024 (HQ’s rules)', () => {
    for (const addresses of [['8.8.8.8'], ['127.0.0.1'], ['192.0.2.2'], ['fd00::2'], []])
      expect(readSighting(sighting({ addresses }), self)).toBeNull();
    expect(readSighting(sighting({ port: 80 }), self)).toBeNull();
  });

  it('ignores malformed TXT and ports', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'x',
      {},
      { t: 't-2' },
      { t: '', s: STORE },
      { t: 't-2', s: 5 },
      { t: 'x'.repeat(65), s: STORE },
      { t: 't-2', s: 'y'.repeat(65) },
    ];
    for (const txt of bad) expect(readSighting(sighting({ txt }), self)).toBeNull();
    for (const port of [0, 70_000, 7421.5, '7421', undefined])
      expect(readSighting(sighting({ port }), self)).toBeNull();
    expect(readSighting(sighting({ addresses: [42, { a: 1 }, '10.0.0.1'.repeat(10)] }), self)).toBeNull();
  });

  it('isPrivateIpv4Address takes private IPv4 host:port only', () => {
    expect(['10.1.2.3:7421', '172.31.0.1:1024', '192.168.0.1:65535'].every(isPrivateIpv4Address)).toBe(true);
    expect(
      ['172.32.0.1:7421', '10.0.0.1:80', 'till-2:7421', '[fd00::2]:7421'].some(isPrivateIpv4Address),
    ).toBe(false);
  });
});

describe('mergeDiscovered', () => {
  const a = till('t-1', 11);
  const b = till('t-2', 12);
  const c = till('t-3', 13);
  const foreign = till('t-9', 19, OTHER_STORE);
  const credentials = [a.credential, b.credential, c.credential, foreign.credential];
  const found = (terminalId: string, address: string, storeId = STORE): DiscoveredTill => ({
    terminalId,
    storeId,
    address,
  });

  it('adds a found till with the credential HQ’s list holds for it', () => {
    expect(mergeDiscovered([], [found('t-2', '10.0.0.2:7421')], credentials, 't-1')).toEqual([
      { url: 'http://10.0.0.2:7421', credential: b.credential },
    ]);
  });

  it('skips a till HQ’s list has no credential for, our own, and a store other than its credential’s', () => {
    const discovered = [
      found('t-7', '10.0.0.7:7421'),
      found('t-1', '10.0.0.1:7421'),
      found('t-9', '10.0.0.9:7421'),
      found('t-3', '10.0.0.3:7421', OTHER_STORE),
    ];
    expect(mergeDiscovered([], discovered, credentials, 't-1')).toEqual([]);
  });

  it('lets HQ’s and manual entries win for the same terminal', () => {
    const listed: LanPeer[] = [{ url: 'http://10.0.0.20:7421', credential: b.credential }];
    const merged = mergeDiscovered(
      listed,
      [found('t-2', '10.0.0.99:7421'), found('t-3', '10.0.0.3:7421')],
      credentials,
      't-1',
    );
    expect(merged).toEqual([...listed, { url: 'http://10.0.0.3:7421', credential: c.credential }]);
  });

  it('keeps the listed peers first and adds only credentialed, unlisted, distinct tills', () => {
    const ids = ['t-1', 't-2', 't-3', 't-7', 't-9'];
    const arbFound = fc.record({
      terminalId: fc.constantFrom(...ids),
      storeId: fc.constantFrom(STORE, OTHER_STORE),
      address: fc.constantFrom('10.0.0.1:7421', '10.0.0.2:7421', '192.168.1.1:8000'),
    });
    const arbListed = fc
      .subarray([b, c])
      .map((tills) => tills.map((t): LanPeer => ({ url: 'http://10.9.9.9:7421', credential: t.credential })));
    fc.assert(
      fc.property(arbListed, fc.array(arbFound, { maxLength: 12 }), (listed, discovered) => {
        const merged = mergeDiscovered(listed, discovered, credentials, 't-1');
        expect(merged.slice(0, listed.length)).toEqual(listed);
        const added = merged.slice(listed.length);
        const listedIds = new Set(listed.map((p) => p.credential.terminalId));
        for (const peer of added) {
          expect(peer.credential.terminalId).not.toBe('t-1');
          expect(listedIds.has(peer.credential.terminalId)).toBe(false);
          expect(credentials).toContain(peer.credential);
          expect(
            discovered.some(
              (d) =>
                d.terminalId === peer.credential.terminalId &&
                d.storeId === peer.credential.storeId &&
                `http://${d.address}` === peer.url,
            ),
          ).toBe(true);
        }
        const keys = added.map((p) => `${p.credential.terminalId} ${p.url}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
    );
  });
});

describe('DnsSd over real multicast (this machine)', () => {
  const running: DnsSd[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
  });

  it('two tills of one store advertise and find each other', async () => {
    // Ids unique to this run, so tills of a parallel run on the same LAN never match ours.
    const run = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const store = `s-${run}`;
    const logger = pino({ level: 'silent' });
    // This machine's LAN may be a documentation range (192.0.2.0/24) that HQ's rule refuses: take any IPv4.
    const acceptAddress = (address: string): boolean => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(address);
    const one = new DnsSd({ terminalId: `a-${run}`, storeId: store, port: 7501, logger, acceptAddress });
    const two = new DnsSd({ terminalId: `b-${run}`, storeId: store, port: 7502, logger, acceptAddress });
    running.push(one, two);
    const finds = (d: DnsSd, terminalId: string): Promise<DiscoveredTill | undefined> =>
      new Promise((resolve) => {
        const check = (): void => {
          const hit = d.tills().find((t) => t.terminalId === terminalId);
          if (hit) resolve(hit);
        };
        d.onChange(check);
        check();
      });
    expect(one.start()).toBe(true);
    expect(two.start()).toBe(true);
    const [byOne, byTwo] = await Promise.all([finds(one, `b-${run}`), finds(two, `a-${run}`)]);
    expect(byOne).toMatchObject({ terminalId: `b-${run}`, storeId: store });
    expect(byOne?.address).toMatch(/:7502$/);
    expect(byTwo).toMatchObject({ terminalId: `a-${run}`, storeId: store });
    expect(byTwo?.address).toMatch(/:7501$/);
    // Neither lists itself.
    expect(one.tills().some((t) => t.terminalId === `a-${run}`)).toBe(false);
    expect(two.tills().some((t) => t.terminalId === `b-${run}`)).toBe(false);
  }, 15_000);

  it('port 5353 refused: logs once, reports nothing, and the process lives on', async () => {
    // An exclusive holder of 5353 (no SO_REUSEADDR) makes the library's bind fail with EADDRINUSE.
    const holder = createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.bind(5353, () => resolve());
    });
    try {
      const warnings: unknown[] = [];
      const logger = pino(
        { level: 'warn' },
        { write: (line: string) => void warnings.push(JSON.parse(line)) },
      );
      const dnsSd = new DnsSd({ terminalId: 'a', storeId: 'b', port: 7501, logger });
      running.push(dnsSd);
      const failed = new Promise<void>((resolve) => {
        const check = (): void => (warnings.length > 0 ? resolve() : void setImmediate(check));
        check();
      });
      dnsSd.start();
      await failed;
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ msg: 'DNS-SD unavailable: store-LAN discovery off' });
      expect(dnsSd.tills()).toEqual([]);
      // Off for good: starting again does nothing and logs nothing more.
      expect(dnsSd.start()).toBe(false);
      expect(warnings).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe('LanHost with discovery', () => {
  const own = till('t-1', 11);
  const listed = till('t-2', 12);
  const unlisted = till('t-3', 13);
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A discovery the test drives: `announce` replaces what is found and tells LanHost. */
  class FakeDiscovery implements LanDiscovery {
    found: DiscoveredTill[] = [];
    started = 0;
    private readonly listeners = new Set<() => void>();
    constructor(
      readonly options: DnsSdOptions,
      private readonly works: boolean,
    ) {}
    start(): boolean {
      this.started += 1;
      return this.works;
    }
    stop(): Promise<void> {
      return Promise.resolve();
    }
    tills(): DiscoveredTill[] {
      return this.found;
    }
    onChange(listener: () => void): () => void {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    }
    announce(found: DiscoveredTill[]): void {
      this.found = found;
      for (const listener of [...this.listeners]) listener();
    }
  }

  async function openHost(lan: Partial<LanConfig>, works = true) {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const link: LanHostLink = {
      lanIdentity: () =>
        Promise.resolve({
          terminalId: own.terminalId,
          storeId: own.storeId,
          secretKey: own.keys.secretKey,
          publicKey: own.credential.publicKey,
          credential: own.credential,
          hqPublicKey: HQ.publicKey,
        }),
      storePeers: () =>
        Promise.resolve({
          ok: true as const,
          value: {
            peers: {
              hqPublicKey: HQ.publicKey,
              storeId: STORE,
              peers: [
                { credential: own.credential, lanAddresses: [], lanReportedAt: null },
                { credential: listed.credential, lanAddresses: ['10.0.0.2:7421'], lanReportedAt: null },
                { credential: unlisted.credential, lanAddresses: [], lanReportedAt: null },
              ],
              revokedKeys: [],
            },
            fetchedAt: '2026-12-07T09:00:00.000Z',
            fromCache: false,
          },
        }),
      reportLan: () => Promise.resolve({ ok: true as const, value: null }),
      relay: () =>
        Promise.resolve({ ok: false as const, error: { code: 'offline' as const, message: 'test' } }),
      hqStatus: () => Promise.resolve({ online: false }),
      pull: () =>
        Promise.resolve({ ok: false as const, error: { code: 'offline' as const, message: 'test' } }),
      onStatusChange: () => () => undefined,
    };
    // Which hosts a pull round knocks at (every request fails: only the addresses matter here).
    const knocked: string[] = [];
    const fetchFake = (input: string | URL | Request): Promise<Response> => {
      knocked.push(new URL(input instanceof Request ? input.url : input).host);
      return Promise.reject(new TypeError('fetch failed'));
    };
    const made: FakeDiscovery[] = [];
    const clock = new ManualClock(Date.parse('2026-12-07T09:00:00.000Z'));
    const host = new LanHost({
      config: { ...lanConfigSchema.parse({ enabled: true, ...lan }), port: 0 },
      link,
      dataDir: dir,
      logger: pino({ level: 'silent' }),
      clock,
      timers: new ManualTimers(clock),
      random: () => 0.5,
      peers: { backoff: { initialMs: 1_000, maxMs: 1_000, jitter: 0 }, requestTimeoutMs: 5_000 },
      fetch: fetchFake,
      discovery: (options) => {
        const fake = new FakeDiscovery(options, works);
        made.push(fake);
        return fake;
      },
    });
    cleanups.push(() => host.stop());
    await host.start();
    await host.refreshPeers();
    const round = async (): Promise<string[]> => {
      // Past any backoff from the round before (every knock fails), so each round visits every peer.
      clock.advance(10_000);
      knocked.length = 0;
      await host.syncRound();
      return [...new Set(knocked)].sort();
    };
    return { host, made, round };
  }

  it('adds a found till HQ vouches for, ignores one HQ does not know, and HQ’s address wins', async () => {
    const { host, made, round } = await openHost({ host: '0.0.0.0' });
    expect(made).toHaveLength(1);
    const discovery = made[0] as FakeDiscovery;
    expect(discovery.options).toMatchObject({ terminalId: 't-1', storeId: STORE });
    expect(discovery.options.port).toBeGreaterThan(0);
    expect(await round()).toEqual(['10.0.0.2:7421']);
    expect(host.status().known).toBe(1);
    discovery.announce([
      { terminalId: 't-3', storeId: STORE, address: '10.0.0.3:7421' },
      { terminalId: 't-2', storeId: STORE, address: '10.0.0.99:7421' },
      { terminalId: 't-7', storeId: STORE, address: '10.0.0.7:7421' },
    ]);
    expect(host.status().known).toBe(2);
    expect(await round()).toEqual(['10.0.0.2:7421', '10.0.0.3:7421']);
    // A refresh of HQ's list keeps what discovery found; a till gone from discovery leaves the list.
    await host.refreshPeers();
    expect(await round()).toEqual(['10.0.0.2:7421', '10.0.0.3:7421']);
    discovery.announce([]);
    expect(await round()).toEqual(['10.0.0.2:7421']);
  });

  it('makes no discovery when the configuration turns it off or the till listens on loopback only', async () => {
    expect((await openHost({ host: '0.0.0.0', discovery: false })).made).toHaveLength(0);
    expect((await openHost({ host: '127.0.0.1' })).made).toHaveLength(0);
  });

  it('a discovery that cannot start leaves the LAN running on HQ’s list', async () => {
    const { host, made, round } = await openHost({ host: '0.0.0.0' }, false);
    expect(made[0]?.started).toBe(1);
    made[0]?.announce([{ terminalId: 't-3', storeId: STORE, address: '10.0.0.3:7421' }]);
    expect(host.status()).toMatchObject({ enabled: true, known: 1 });
    expect(await round()).toEqual(['10.0.0.2:7421']);
  });
});

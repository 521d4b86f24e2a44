// Tills for the store-LAN tests (issue 16): each with its signed log in a temp data folder, its LAN server
// on 127.0.0.1 at an ephemeral port and its LAN client, keys from fixed seeds and credentials HQ signed
// (test/shared/lan/builders.ts). Peers are read through a mutable list, so a test can add or drop them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TerminalCredential } from '../../../src-shared/lan/credential.js';
import {
  LanPeers,
  type LanPeer,
  type LanPeersOptions,
  type PeerEvents,
} from '../../../src-main/lan/lan-peers.js';
import { LanServer, type LanServerOptions } from '../../../src-main/lan/lan-server.js';
import { SignedLog } from '../../../src-main/lan/signed-log.js';
import { HQ, type Till } from '../../shared/lan/builders.js';
import { eventFactory, type EventFactory } from '../../support/events.js';

export const trust = { hqPublicKey: HQ.publicKey };

export const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'lan-test-'));
export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

export const openLog = (t: Till, dir: string): Promise<SignedLog> =>
  SignedLog.open({ dir, terminalId: t.terminalId, storeId: t.storeId, secretKey: t.keys.secretKey });

export interface LanTill {
  till: Till;
  dir: string;
  log: SignedLog;
  server: LanServer;
  url: string;
  /** Makes the till's own events (continuing its chain). */
  events: EventFactory;
  /** Whom this till pulls from. */
  peerList: LanPeer[];
  client: LanPeers;
  /** Every onPeerEvents batch the client announced. */
  heard: PeerEvents[];
}

export interface OpenTillOptions {
  /** The store's credentials the client checks origins with. */
  credentials: () => readonly TerminalCredential[];
  server?: Partial<LanServerOptions>;
  client?: Partial<LanPeersOptions>;
  /** Continue this factory (a till restarted) instead of a new one. */
  events?: EventFactory;
}

/** Opens a till's log in `dir`, starts its server and makes its client (not started). */
export async function openTill(till: Till, dir: string, options: OpenTillOptions): Promise<LanTill> {
  const log = await openLog(till, dir);
  const server = new LanServer({
    source: log,
    secretKey: till.keys.secretKey,
    trust,
    host: '127.0.0.1',
    port: 0,
    ...options.server,
  });
  const { url } = await server.start();
  const peerList: LanPeer[] = [];
  const heard: PeerEvents[] = [];
  const client = new LanPeers({
    log,
    identity: { credential: till.credential, secretKey: till.keys.secretKey },
    trust,
    peers: () => peerList,
    credentials: options.credentials,
    random: () => 0.5,
    onPeerEvents: (batch) => heard.push(batch),
    ...options.client,
  });
  const events = options.events ?? eventFactory({ terminalId: till.terminalId, storeId: till.storeId });
  return { till, dir, log, server, url, events, peerList, client, heard };
}

/** Makes `n` own events on the till and appends them to its signed log. */
export async function makeEvents(t: LanTill, n: number): Promise<void> {
  const before = t.events.events.length;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) t.events.earned(`m-${i % 3}`, 10 + i);
    else t.events.redeemed(`m-${i % 3}`, 5 + i);
  }
  await t.log.appendOwn(t.events.events.slice(before));
}

export async function closeTill(t: LanTill): Promise<void> {
  await t.client.stop();
  await t.server.stop();
  await t.log.close();
}

export const peerOf = (t: LanTill): LanPeer => ({ url: t.url, credential: t.till.credential });

/** Every event of `origin` the till's log holds, in order. */
export const held = async (log: SignedLog, origin: string) =>
  (await log.readPage(origin, 0, 1_000)).map((s) => s.event);

// DNS-SD on the store LAN (issue 16): a till advertises its LAN server as `_loyalty-lan._tcp` with TXT
// `{ t: terminalId, s: storeId }` and browses the same type, so tills of one store find each other when
// HQ's list has no address for a colleague yet and nobody wrote one by hand. What is found is only a hint
// of where to knock: LanHost admits a found till only when HQ's store list has a credential for its
// terminal id, and the till must still prove that key (an address alone is never trusted). Found
// addresses follow HQ's rules (private IPv4, port 1024+); our own service, other stores' and anything
// malformed are ignored. Multicast may be unavailable (no interface, port 5353 refused): the first
// failure is logged once and discovery stays off, never breaking the till. The library is
// bonjour-service (pure JS over multicast-dns).
import { EventEmitter } from 'node:events';
import { Bonjour, type Service } from 'bonjour-service';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TerminalCredential } from '../../src-shared/lan/credential.js';
import { isLanAddress } from '../../src-shared/sync/wire.js';
import type { LanPeer } from './lan-peers.js';

/** The DNS-SD service type (`_loyalty-lan._tcp`), as bonjour-service spells it. */
export const LAN_SERVICE_TYPE = 'loyalty-lan';
/** Services held at once, at most: a LAN flooding announcements cannot grow the map without bound. */
export const MAX_DISCOVERED = 256;

/** A till found on the LAN: who it says it is and where its LAN server listens (`host:port`). */
export interface DiscoveredTill {
  terminalId: string;
  storeId: string;
  address: string;
}

/** What the browser reported of one service, in the library's terms reduced to what we read. */
export interface ServiceSighting {
  port: unknown;
  txt: unknown;
  /** The A/AAAA records' addresses. */
  addresses: readonly unknown[];
  /** The source address of the answer's packet, when known. */
  referer?: unknown;
}

const txtSchema = z.object({
  t: z.string().min(1).max(64),
  s: z.string().min(1).max(64),
});

/** An IPv4 `host:port` HQ would take as a LAN address (private range, port 1024-65535). */
export function isPrivateIpv4Address(address: string): boolean {
  return /^[\d.]+:\d+$/.test(address) && isLanAddress(address);
}

/**
 * The till a sighting describes, or null: malformed TXT or port, our own terminal, another store, or no
 * acceptable address. The packet's source address comes first (it is the one that answered us), then the
 * A records.
 */
export function readSighting(
  sighting: ServiceSighting,
  self: { terminalId: string; storeId: string },
  acceptAddress: (address: string) => boolean = isPrivateIpv4Address,
): DiscoveredTill | null {
  const txt = txtSchema.safeParse(sighting.txt);
  if (!txt.success) return null;
  const { t: terminalId, s: storeId } = txt.data;
  if (terminalId === self.terminalId || storeId !== self.storeId) return null;
  const port = sighting.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) return null;
  const hosts = [sighting.referer, ...sighting.addresses.slice(0, 16)];
  for (const host of hosts) {
    if (typeof host !== 'string' || host.length > 64) continue;
    const address = `${host}:${port}`;
    if (acceptAddress(address)) return { terminalId, storeId, address };
  }
  return null;
}

/**
 * The peer list with found tills added: only a till HQ's store list has a credential for, only when
 * neither HQ's list nor the manual list already names that terminal (they win), never our own.
 */
export function mergeDiscovered(
  listed: readonly LanPeer[],
  discovered: readonly DiscoveredTill[],
  credentials: readonly TerminalCredential[],
  ownTerminalId: string,
): LanPeer[] {
  const named = new Set(listed.map((peer) => peer.credential.terminalId));
  const merged = [...listed];
  const seen = new Set<string>();
  for (const till of discovered) {
    if (till.terminalId === ownTerminalId || named.has(till.terminalId)) continue;
    const credential = credentials.find((c) => c.terminalId === till.terminalId);
    if (!credential || credential.storeId !== till.storeId) continue;
    const url = `http://${till.address}`;
    const key = `${till.terminalId} ${url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push({ url, credential });
  }
  return merged;
}

export interface DnsSdOptions {
  terminalId: string;
  storeId: string;
  /** The port this till's LAN server listens on. */
  port: number;
  logger: Logger;
  /** Which found addresses to keep; default: private IPv4 (HQ's rule). Tests on other nets widen it. */
  acceptAddress?: (address: string) => boolean;
}

/** What LanHost uses of discovery (DnsSd; tests give a fake). */
export interface LanDiscovery {
  /** Starts advertising and browsing; false when discovery is not available. */
  start(): boolean;
  stop(): Promise<void>;
  /** The tills found, one entry per terminal. */
  tills(): DiscoveredTill[];
  /** Called whenever the found set changes; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** Advertises this till and keeps the tills of its store found on the LAN. */
export class DnsSd implements LanDiscovery {
  private bonjour: Bonjour | null = null;
  private failed = false;
  private readonly found = new Map<string, DiscoveredTill>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: DnsSdOptions) {}

  /** Starts advertising and browsing; false when multicast is not available (logged once). */
  start(): boolean {
    if (this.bonjour || this.failed) return this.bonjour !== null;
    const { terminalId, storeId, port } = this.options;
    try {
      const bonjour = new Bonjour({}, (error: unknown) => this.fail(error));
      this.bonjour = bonjour;
      // bonjour-service 1.4.4 sets no 'error' listener on its multicast-dns socket, so port 5353 refused
      // (EADDRINUSE, EACCES) would throw out of an event and end the process (onlxltd/bonjour-service#91,
      // fixed after 1.4.4). The socket binds asynchronously: a listener added now sees that error.
      const mdns = (bonjour as unknown as { server?: { mdns?: unknown } }).server?.mdns;
      if (!(mdns instanceof EventEmitter))
        throw new Error('bonjour-service internals changed: no mdns socket');
      mdns.on('error', (error: unknown) => this.fail(error));
      bonjour.publish({
        name: `loyalty-till-${terminalId}`,
        type: LAN_SERVICE_TYPE,
        port,
        txt: { t: terminalId, s: storeId },
        disableIPv6: true,
      });
      const browser = bonjour.find({ type: LAN_SERVICE_TYPE });
      const seen = (service: Service): void => this.sighted(service);
      browser.on('up', seen);
      browser.on('txt-update', seen);
      browser.on('srv-update', seen);
      browser.on('down', (service: Service) => this.lost(service));
    } catch (error) {
      this.fail(error);
    }
    return this.bonjour !== null;
  }

  /** Stops advertising (a goodbye is sent when the socket allows) and browsing. */
  stop(): Promise<void> {
    const bonjour = this.bonjour;
    this.bonjour = null;
    this.found.clear();
    if (!bonjour) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        bonjour.unpublishAll(() => {
          bonjour.destroy();
          resolve();
        });
      } catch {
        // A socket already closed by a failure: nothing left to say goodbye on.
        resolve();
      }
    });
  }

  /** The tills found, one entry per terminal (its latest sighting). */
  tills(): DiscoveredTill[] {
    const byTerminal = new Map<string, DiscoveredTill>();
    for (const till of this.found.values()) byTerminal.set(till.terminalId, till);
    return [...byTerminal.values()];
  }

  /** Called whenever the found set changes; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private sighted(service: Service): void {
    const till = readSighting(
      {
        port: service.port,
        txt: service.txt,
        addresses: service.addresses ?? [],
        referer: service.referer?.address,
      },
      this.options,
      this.options.acceptAddress,
    );
    const key = service.fqdn;
    const before = this.found.get(key);
    if (!till) {
      if (before) this.lost(service);
      return;
    }
    if (before?.address === till.address && before.terminalId === till.terminalId) return;
    if (!before && this.found.size >= MAX_DISCOVERED) return;
    this.found.set(key, till);
    this.changed();
  }

  private lost(service: Service): void {
    if (this.found.delete(service.fqdn)) this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.logger.warn(
      { error: error instanceof Error ? error.message : String(error) },
      'DNS-SD unavailable: store-LAN discovery off',
    );
    const bonjour = this.bonjour;
    this.bonjour = null;
    const hadFound = this.found.size > 0;
    this.found.clear();
    try {
      bonjour?.destroy();
    } catch {
      // Already closed by the failure itself.
    }
    if (hadFound) this.changed();
  }
}

// The store LAN as the terminal host runs it (issue 16): when the terminal configuration turns the LAN on
// and the till has a LAN identity (HQ signed its key at enrollment), main opens the till's signed log in its
// data folder, serves it (LanServer), pulls its peers' (LanPeers) and tells the renderer about it
// (TerminalApi's lanStatus / peerEvents and their pushes). It also:
// - pokes the till's peers (LanPeers.pokePeers) whenever it stores new events, its own or peers', and
//   answers their pokes with a pull round (LanPeers.nudge), so an event crosses the store in well under a
//   second instead of up to intervalMs; the periodic round remains for pokes lost;
// - signs the till's own events into the log as they reach main (recordOwn, from the host's push: the
//   renderer pushes while HQ is down too, behind its backoff), so peers get them while HQ is out of reach;
//   an event that does not continue the chain is logged and never fails the push to HQ. A log that starts
//   after the till's first events (the LAN turned on for a till in service) is filled from HQ's copy of the
//   till's own events (pull 'events') as soon as HQ is reachable: until then the till's new events wait;
// - keeps the peer list: HQ's (TerminalLink.storePeers: fetched, or cached for outages) plus the
//   configuration's, refreshed every peersRefreshMs and whenever HQ comes back;
// - reports the till's own LAN addresses to HQ (reportLan) each time HQ is reachable again;
// - relays to HQ (TerminalLink.relay) the events of a peer this till has not reached for relayAfterMs and
//   that HQ has not answered for yet (per origin, the highest seq HQ answered, kept in the data folder), so
//   a till that died with unsent events still gets them to HQ through a colleague.
// A till enrolled after start gets its LAN when the link's status changes. Everything runs on injected
// Clock and Timers; syncRound(), refreshPeers() and relayRound() let callers await a step instead of
// sleeping.
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { LAN_OFF, MAX_PEER_EVENT_MEMBERS, type LanStatus } from '../../src-shared/ipc/lan-api.js';
import type { HqResult } from '../../src-shared/ipc/hq-api.js';
import type { Random } from '../../src-shared/kernel/backoff.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { systemTimers, type TimerHandle, type Timers } from '../../src-shared/kernel/timers.js';
import type { TerminalCredential } from '../../src-shared/lan/credential.js';
import type { SignedEvent } from '../../src-shared/lan/signature.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import {
  eventDocSchema,
  isLanAddress,
  MAX_LAN_ADDRESSES,
  MAX_PUSH_BATCH,
  type Checkpoint,
  type CollectionName,
  type PushResponse,
} from '../../src-shared/sync/wire.js';
import { writeFileAtomically } from '../hq/credential-store.js';
import type { StorePeersView, TerminalLanIdentity } from '../hq/terminal-link.js';
import type { LanConfig } from '../lan/lan-config.js';
import { DnsSd, mergeDiscovered, type DnsSdOptions, type LanDiscovery } from '../lan/dns-sd.js';
import { LanPeers, type LanPeer, type LanPeersOptions, type RoundReport } from '../lan/lan-peers.js';
import { LanServer } from '../lan/lan-server.js';
import { MAX_PAGE, SignedLog } from '../lan/signed-log.js';
import type { HostLan } from './host-api.js';

/** The folder of the signed log inside main's data folder. */
export const LAN_DIR = 'lan';
/** Per origin, the highest seq HQ answered a relay for (inside LAN_DIR). */
export const RELAY_ACKS_FILE = 'relay-acks.json';

/** What the LAN host needs of the HQ link (TerminalLink). */
export interface LanHostLink {
  lanIdentity(): Promise<TerminalLanIdentity | null>;
  storePeers(): Promise<HqResult<StorePeersView>>;
  reportLan(addresses: readonly string[]): Promise<HqResult<unknown>>;
  relay(events: readonly SignedEvent[]): Promise<HqResult<PushResponse>>;
  hqStatus(): Promise<{ online: boolean }>;
  /** HQ's copy of the till's own events ('events'), to fill a log that starts after the first ones. */
  pull(
    collection: CollectionName,
    checkpoint: Checkpoint | null,
    limit: number,
  ): Promise<HqResult<{ documents: unknown[]; checkpoint: Checkpoint }>>;
  onStatusChange(listener: () => void): () => void;
}

export interface LanHostOptions {
  config: LanConfig;
  link: LanHostLink;
  /** Main's data folder: the log goes to `<dataDir>/lan`. */
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  timers?: Timers;
  random?: Random;
  /** The LAN client's fetch (tests). */
  fetch?: typeof fetch;
  /** The LAN client's timing (tests shorten the backoff). */
  peers?: Pick<LanPeersOptions, 'backoff' | 'requestTimeoutMs' | 'pageLimit'>;
  /** The till's own LAN addresses (`host:port`) for `port`; default: the machine's private interfaces. */
  addresses?: (port: number) => string[];
  /** DNS-SD's address filter (tests on a non-private net widen it); default: private IPv4. */
  discoveryAddresses?: DnsSdOptions['acceptAddress'];
  /** Makes the till's DNS-SD discovery; default: DnsSd (bonjour-service). */
  discovery?: (options: DnsSdOptions) => LanDiscovery;
}

/** What one relay check did, per origin relayed. */
export interface RelayReport {
  /** Whether HQ was reachable (nothing is relayed otherwise). */
  online: boolean;
  origins: Array<{ origin: string; sent: number; answered: number; error?: string }>;
}

/** Own events held in memory while the log is filled from HQ, at most. */
const MAX_WAITING = 10_000;

const relayAcksSchema = z.record(z.string().min(1).max(64), z.number().int().nonnegative().safe());

interface Running {
  identity: TerminalLanIdentity;
  log: SignedLog;
  server: LanServer;
  client: LanPeers;
  url: string;
  /** DNS-SD, when the configuration turns it on and multicast works. */
  discovery: LanDiscovery | null;
}

/** A listening address only this machine reaches: nothing to advertise on the LAN. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** The machine's private IPv4 / ULA IPv6 addresses with `port`, as HQ takes them. */
function interfaceAddresses(port: number): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      found.push(info.family === 'IPv6' ? `[${info.address}]:${port}` : `${info.address}:${port}`);
    }
  }
  return found;
}

export class LanHost implements HostLan {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private running: Running | null = null;
  private opening: Promise<void> | null = null;
  private started = false;
  private stopped = false;
  private offLink: (() => void) | null = null;
  private wasOnline = false;
  private peerList: LanPeer[] = [];
  /** HQ's list and the manual one, before found tills are merged in. */
  private listedPeers: LanPeer[] = [];
  private credentials: TerminalCredential[] = [];
  private revoked = new Set<string>();
  private readonly lastSeen = new Map<string, number>();
  /** Tills whose last visit succeeded (at any of their addresses). */
  private reachableTills = new Set<string>();
  private openedAt = 0;
  private acks: Record<string, number> = {};
  private relaying: Promise<RelayReport> | null = null;
  /** The till's own events reached main past the log's head: the log must be filled from HQ first. */
  private ownGap = false;
  /** The till's own events that arrived past the gap, by seq: appended once the log reaches them. */
  private readonly waiting = new Map<number, LedgerEvent>();
  private backfilling: Promise<void> | null = null;
  /** Origins HQ refused a relay for (revoked, unknown, unverified): not offered again until restart. */
  private readonly relayRefused = new Set<string>();
  private readonly timerHandles = new Set<TimerHandle>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly statusListeners = new Set<(status: LanStatus) => void>();
  private readonly peerEventListeners = new Set<(change: { memberIds: string[] }) => void>();
  private lastStatus: LanStatus = LAN_OFF;

  constructor(private readonly options: LanHostOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
  }

  /** The LAN server's URL once running (tests give it to a peer's configuration). */
  get url(): string | null {
    return this.running?.url ?? null;
  }

  /** Opens the LAN if the till has an identity, and watches the link (enrollment, HQ coming back). */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    this.offLink = this.options.link.onStatusChange(() => void this.track(this.linkChanged()));
    try {
      await this.open();
    } catch (error) {
      // A LAN that cannot open (its port taken) must not keep the till from selling: it stays off, and
      // the next change of the link's status tries again.
      this.options.logger.error(
        { error: error instanceof Error ? error.message : String(error) },
        'store LAN not opened',
      );
    }
  }

  /** Stops the rounds, the server and the timers, then closes the log (once). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offLink?.();
    for (const handle of this.timerHandles) this.timers.clearTimeout(handle);
    this.timerHandles.clear();
    await this.opening?.catch(() => undefined);
    const running = this.running;
    if (running) {
      await running.discovery?.stop();
      await running.client.stop();
      await running.server.stop();
    }
    await Promise.allSettled([...this.work]);
    if (running) await running.log.close();
    this.running = null;
    this.emitStatus();
  }

  status(): LanStatus {
    const running = this.running;
    if (!running || this.stopped) return LAN_OFF;
    // LanPeers counts addresses; the status counts tills (one may be listed at several addresses).
    const known = new Set(this.peerList.map((peer) => peer.credential.terminalId));
    let reachable = 0;
    for (const terminalId of this.reachableTills) if (known.has(terminalId)) reachable += 1;
    return { enabled: true, reachable, known: known.size };
  }

  onStatus(listener: (status: LanStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  async peerEvents(memberId: string): Promise<LedgerEvent[]> {
    const running = this.running;
    return running ? running.log.peerEventsOf(memberId) : [];
  }

  onPeerEvents(listener: (change: { memberIds: string[] }) => void): () => void {
    this.peerEventListeners.add(listener);
    return () => void this.peerEventListeners.delete(listener);
  }

  /**
   * Signs the till's own events into the log as they reach main (before they go to HQ). Never throws: an
   * event that does not continue the chain (the log started after the till's first events, a replica
   * restored) is logged and the push to HQ goes on regardless.
   */
  async recordOwn(events: readonly LedgerEvent[]): Promise<void> {
    await this.opening?.catch(() => undefined);
    const running = this.running;
    if (!running || events.length === 0) return;
    const own = events
      .filter((event) => event.terminalId === running.identity.terminalId)
      .sort((a, b) => a.terminalSeq - b.terminalSeq);
    const head = running.log.head(running.identity.terminalId)?.terminalSeq ?? 0;
    const next = own.find((event) => event.terminalSeq > head);
    if (next && next.terminalSeq > head + 1) {
      // Events before these never reached the log: fill it from HQ (when reachable), then these follow.
      this.ownGap = true;
      for (const event of own) {
        if (event.terminalSeq > head && this.waiting.size < MAX_WAITING)
          this.waiting.set(event.terminalSeq, event);
      }
      this.options.logger.info(
        { head, next: next.terminalSeq },
        'store-LAN log behind the till: filling from HQ',
      );
      void this.track(this.backfillOwn());
      return;
    }
    try {
      const stored = await running.log.appendOwn(own);
      // Peers pull them now rather than at their next round (fire-and-forget; never fails the push).
      if (stored.length > 0) void running.client.pokePeers();
    } catch (error) {
      this.options.logger.warn(
        { error: error instanceof Error ? error.message : String(error), count: own.length },
        'own events not added to the store-LAN log (HQ still gets them)',
      );
    }
  }

  /**
   * Fills the log with the till's own events HQ holds past its head (pages of 'events' in HQ's order,
   * appended as they continue the chain), while HQ is reachable. Concurrent calls share one run; the new
   * events that waited are pushed again by the renderer until HQ takes them, and recorded then.
   */
  backfillOwn(): Promise<void> {
    this.backfilling ??= this.backfillOnce().finally(() => (this.backfilling = null));
    return this.backfilling;
  }

  /** Runs a pull round now and resolves with its report (null while the LAN is not running). */
  async syncRound(): Promise<RoundReport | null> {
    const running = this.running;
    return running ? running.client.syncRound() : null;
  }

  /** Fetches the store's peer list (HQ's, or the cache) and merges the configured peers. */
  async refreshPeers(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const { logger, config } = this.options;
    const answer = await this.options.link.storePeers();
    if (!answer.ok) {
      if (answer.error.code === 'offline' || answer.error.code === 'server-error') return;
      // HQ refused (revoked, not enrolled any more): trust nobody from the old list.
      logger.warn({ code: answer.error.code }, 'store peers refused: LAN peers dropped');
      this.setPeers([], [], new Set());
      return;
    }
    const { peers } = answer.value;
    if (peers.hqPublicKey !== running.identity.hqPublicKey || peers.storeId !== running.identity.storeId) {
      logger.warn('the store peer list is for another HQ key or store: ignored');
      return;
    }
    const credentials = peers.peers.map((peer) => peer.credential);
    const list: LanPeer[] = [];
    for (const peer of peers.peers)
      for (const address of peer.lanAddresses)
        list.push({ url: `http://${address}`, credential: peer.credential });
    for (const manual of config.peers) {
      const credential = credentials.find((c) => c.terminalId === manual.terminalId);
      if (!credential) {
        logger.warn({ terminalId: manual.terminalId }, 'configured LAN peer not in HQ’s list: skipped');
        continue;
      }
      list.push({ url: `http://${manual.address}`, credential });
    }
    const unique = new Map(list.map((peer) => [`${peer.credential.terminalId} ${peer.url}`, peer]));
    this.setPeers([...unique.values()], credentials, new Set(peers.revokedKeys));
  }

  /**
   * Relays to HQ the events of peers not reached for relayAfterMs that HQ has not answered for yet, one
   * origin at a time, pages of at most MAX_PUSH_BATCH. Only while HQ is reachable. Concurrent calls share
   * one check.
   */
  relayRound(): Promise<RelayReport> {
    this.relaying ??= this.relayOnce().finally(() => (this.relaying = null));
    return this.relaying;
  }

  // ---- internals ------------------------------------------------------------------------------------

  private setPeers(list: LanPeer[], credentials: TerminalCredential[], revoked: Set<string>): void {
    this.listedPeers = list;
    this.credentials = credentials;
    this.revoked = revoked;
    this.mergePeers();
  }

  /** The peer list: HQ's and the manual one, plus tills found by DNS-SD that HQ's list vouches for. */
  private mergePeers(): void {
    const running = this.running;
    const found = running?.discovery?.tills() ?? [];
    this.peerList = running
      ? mergeDiscovered(this.listedPeers, found, this.credentials, running.identity.terminalId)
      : this.listedPeers;
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status();
    const last = this.lastStatus;
    if (last.enabled === status.enabled && last.known === status.known && last.reachable === status.reachable)
      return;
    this.lastStatus = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private emitMembers(memberIds: readonly string[]): void {
    const unique = [...new Set(memberIds)];
    for (let i = 0; i < unique.length; i += MAX_PEER_EVENT_MEMBERS) {
      const change = { memberIds: unique.slice(i, i + MAX_PEER_EVENT_MEMBERS) };
      for (const listener of [...this.peerEventListeners]) listener(change);
    }
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.catch((error: unknown) => {
      this.options.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'store LAN task failed',
      );
      return undefined;
    });
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
    return promise;
  }

  /** Opens the LAN when the till has an identity (once; a no-op while open or opening). */
  private open(): Promise<void> {
    if (this.running || this.stopped) return Promise.resolve();
    this.opening ??= this.openOnce().finally(() => (this.opening = null));
    return this.opening;
  }

  private async openOnce(): Promise<void> {
    const { link, config, logger, dataDir } = this.options;
    const identity = await link.lanIdentity();
    if (!identity || this.stopped) return;
    const dir = join(dataDir, LAN_DIR);
    const log = await SignedLog.open({
      dir,
      terminalId: identity.terminalId,
      storeId: identity.storeId,
      secretKey: identity.secretKey,
    });
    for (const repair of log.repairs) logger.warn({ repair }, 'store-LAN log repaired at open');
    this.acks = await readAcks(join(dir, RELAY_ACKS_FILE));
    const trust = { hqPublicKey: identity.hqPublicKey, revokedKeys: () => this.revoked };
    const server = new LanServer({
      source: log,
      secretKey: identity.secretKey,
      trust,
      host: config.host,
      port: config.port,
      clock: this.clock,
      // A peer's poke: a pull round soon (coalesced); before the client runs, its first round covers it.
      onPoke: () => this.running?.client.nudge(),
      onRefused: (refusal) => logger.info(refusal, 'LAN read refused'),
    });
    let url: string;
    try {
      ({ url } = await server.start());
    } catch (error) {
      await log.close();
      throw error;
    }
    const client = new LanPeers({
      ...this.options.peers,
      log,
      identity: { credential: identity.credential, secretKey: identity.secretKey },
      trust,
      peers: () => this.peerList,
      credentials: () => this.credentials,
      clock: this.clock,
      timers: this.timers,
      intervalMs: config.intervalMs,
      ...(this.options.random ? { random: this.options.random } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      onPeerEvents: (batch) => this.emitMembers(batch.events.map((e) => e.event.memberId)),
      onEquivocation: (e) =>
        logger.error({ origin: e.terminalId, seq: e.terminalSeq, via: e.via }, 'store-LAN equivocation'),
      onRound: (report) => {
        this.noteRound(report);
        // Peers' events newly stored here are poked on too, so a relay reaches tills that cannot see
        // their origin; a round that stored nothing pokes nobody, so pokes die out.
        if (report.accepted > 0) void this.running?.client.pokePeers();
      },
    });
    let discovery: LanDiscovery | null = null;
    if (config.discovery !== false && !isLoopbackHost(config.host)) {
      discovery = (this.options.discovery ?? ((o: DnsSdOptions) => new DnsSd(o)))({
        terminalId: identity.terminalId,
        storeId: identity.storeId,
        port: Number(new URL(url).port),
        logger,
        ...(this.options.discoveryAddresses ? { acceptAddress: this.options.discoveryAddresses } : {}),
      });
      // A found till joins the list at once; its first pull is the next round (or a poke's).
      discovery.onChange(() => this.mergePeers());
      if (!discovery.start()) discovery = null;
    }
    this.running = { identity, log, server, client, url, discovery };
    this.openedAt = this.clock.now();
    if (this.stopped) return;
    logger.info({ url, discovery: discovery !== null }, 'store LAN serving');
    this.emitStatus();
    // The rest talks to HQ: off the opening path, so the till's own events are recorded meanwhile.
    void this.track(
      (async () => {
        await this.refreshPeers();
        if (this.stopped) return;
        client.start();
        this.every(config.peersRefreshMs, () => this.refreshPeers());
        this.every(config.relayCheckMs, () => this.relayRound());
        await this.linkChanged();
      })(),
    );
  }

  /** Runs `task` every `ms` on the Timers until stopped (the next run is armed after this one ends). */
  private every(ms: number, task: () => Promise<unknown>): void {
    const arm = (): void => {
      if (this.stopped) return;
      const handle = this.timers.setTimeout(() => {
        this.timerHandles.delete(handle);
        void this.track(task()).finally(arm);
      }, ms);
      this.timerHandles.add(handle);
    };
    arm();
  }

  private noteRound(report: RoundReport): void {
    const now = this.clock.now();
    const reachable = new Set<string>();
    for (const peer of report.peers) {
      if (peer.outcome !== 'synced') continue;
      reachable.add(peer.terminalId);
      this.lastSeen.set(peer.terminalId, now);
    }
    // A till waiting out a backoff after failing is not reachable; one visited at another address is.
    this.reachableTills = reachable;
    this.emitStatus();
  }

  /** The link's status changed: enrolled (open the LAN), or HQ back (peers, addresses, relay). */
  private async linkChanged(): Promise<void> {
    if (this.stopped) return;
    if (!this.running) {
      await this.open();
      return;
    }
    const { online } = await this.options.link.hqStatus();
    const back = online && !this.wasOnline;
    this.wasOnline = online;
    if (!back) return;
    if (this.ownGap) await this.backfillOwn();
    await this.refreshPeers();
    await this.reportAddresses();
    await this.relayRound();
  }

  private async reportAddresses(): Promise<void> {
    const running = this.running;
    if (!running) return;
    const port = Number(new URL(running.url).port);
    const host = this.options.config.host;
    const candidates =
      host === '0.0.0.0' || host === '::'
        ? (this.options.addresses ?? interfaceAddresses)(port)
        : [host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`];
    const addresses = [...new Set(candidates.filter(isLanAddress))].slice(0, MAX_LAN_ADDRESSES);
    const answer = await this.options.link.reportLan(addresses);
    if (!answer.ok) this.options.logger.info({ code: answer.error.code }, 'LAN addresses not reported');
  }

  private async backfillOnce(): Promise<void> {
    const running = this.running;
    if (!running || !this.ownGap || this.stopped) return;
    const own = running.identity.terminalId;
    const pending = new Map<number, LedgerEvent>();
    let checkpoint: Checkpoint | null = null;
    const limit = 500;
    for (;;) {
      const page = await this.options.link.pull('events', checkpoint, limit);
      if (!page.ok || this.stopped) return; // Tried again when HQ is back.
      const head = running.log.head(own)?.terminalSeq ?? 0;
      for (const doc of page.value.documents) {
        const parsed = eventDocSchema.safeParse(doc);
        if (!parsed.success) continue;
        const { event } = parsed.data;
        if (event.terminalId === own && event.terminalSeq > head) pending.set(event.terminalSeq, event);
      }
      // What the renderer pushed past the gap counts too: HQ may not have taken it when this page was read.
      for (const [seq, event] of this.waiting) if (seq > head && !pending.has(seq)) pending.set(seq, event);
      this.waiting.clear();
      const run: LedgerEvent[] = [];
      for (let seq = head + 1; pending.has(seq); seq += 1) {
        const event = pending.get(seq);
        if (event) run.push(event);
        pending.delete(seq);
      }
      if (run.length > 0 && (await running.log.appendOwn(run)).length > 0) void running.client.pokePeers();
      // HQ answers a till's events in the order it took them (the till pushes in seq order), so what
      // waits here stays small; a page this far out of order is not worth holding.
      if (pending.size > 100_000) break;
      if (page.value.documents.length < limit) break;
      checkpoint = page.value.checkpoint;
    }
    this.ownGap = false;
  }

  private async relayOnce(): Promise<RelayReport> {
    const running = this.running;
    const report: RelayReport = { online: false, origins: [] };
    if (!running || this.stopped) return report;
    const { online } = await this.options.link.hqStatus();
    report.online = online;
    if (!online) return report;
    const now = this.clock.now();
    const after = this.options.config.relayAfterMs;
    for (const head of running.log.heads()) {
      const { origin } = head;
      if (origin === running.identity.terminalId || this.relayRefused.has(origin)) continue;
      if ((this.acks[origin] ?? 0) >= head.terminalSeq) continue;
      if (now - (this.lastSeen.get(origin) ?? this.openedAt) < after) continue;
      const entry: RelayReport['origins'][number] = { origin, sent: 0, answered: 0 };
      report.origins.push(entry);
      while (!this.stopped && (this.acks[origin] ?? 0) < head.terminalSeq) {
        const acked = this.acks[origin] ?? 0;
        const page = await running.log.readPage(origin, acked, Math.min(MAX_PUSH_BATCH, MAX_PAGE));
        if (page.length === 0) break;
        entry.sent += page.length;
        const answer = await this.options.link.relay(page);
        if (!answer.ok) {
          entry.error = answer.error.code;
          if (answer.error.code !== 'offline' && answer.error.code !== 'server-error') {
            this.relayRefused.add(origin);
            this.options.logger.warn({ origin, code: answer.error.code }, 'HQ refused a relay');
          }
          break;
        }
        // HQ answers per event in input order; what it answered for, from the start, is acknowledged.
        let answered = 0;
        for (const [i, envelope] of page.entries()) {
          if (answer.value.results[i]?.id !== envelope.event.id) break;
          answered = i + 1;
        }
        entry.answered += answered;
        const last = page[answered - 1];
        if (!last) break;
        this.acks[origin] = last.event.terminalSeq;
        await writeFileAtomically(
          join(this.options.dataDir, LAN_DIR, RELAY_ACKS_FILE),
          `${JSON.stringify(this.acks)}\n`,
        );
        if (answered < page.length) break;
      }
      if (entry.error === 'offline') break;
    }
    return report;
  }
}

async function readAcks(path: string): Promise<Record<string, number>> {
  try {
    const parsed = relayAcksSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    // None yet, or damaged: relaying again only costs HQ duplicates.
    return {};
  }
}

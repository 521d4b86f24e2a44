// The till's LAN client (issue 16): pulls the store's events from its peers into the signed log. A round
// visits every known peer (its address and its HQ-signed credential): a challenge, a proof of this till's
// key over it naming that peer (so another device at the address gets nothing useful), the peer's heads,
// then for each origin it holds further than this till, pages after this till's checkpoint until caught
// up. Each page goes through SignedLog.ingestPeerPage (acceptPeerPage with the ORIGIN's credential from
// the store's list, admitted with admitPeer for that terminal), so who serves an event does not matter: a
// peer relays a silent till's events, and a peer that answers garbage, altered, unsigned or foreign events
// gets nothing stored. Answers come sealed for this till (lan-seal.ts): one the expected till's key did not
// seal is refused whole. An equivocation (the origin's key signed two events at one seq) is reported, and
// that origin is no longer pulled until the till restarts (HQ is to rule on it).
// Rounds run every intervalMs on injected Timers; a peer that fails waits the repo's backoff (on the
// Clock) before it is tried again, so a dead till costs nothing but a timer. `syncRound()` runs a round now
// and resolves with its report: what tests and callers await instead of sleeping.
// Pokes (so a new event crosses the store in a round trip, not up to intervalMs): `pokePeers()` tells every
// known peer's LAN server that this till has new events (POST /v1/lan/poke, no body, a short time limit,
// fire-and-forget: a failed poke changes nothing, the periodic round still runs); a peer's server answers
// a poke by calling `nudge()`, which runs a full round now or queues one after the round running (at most
// one queued, shared by every poke meanwhile), so a burst of pokes costs one or two rounds, never a storm.
// A full round rather than a visit to the poker: the poke is unauthenticated (its address names nobody),
// and the new events may be a relay's; the round is what syncRound already coalesces, ~45–100 ms.
import { admitPeer, type TerminalCredential } from '../../src-shared/lan/credential.js';
import type { Equivocation } from '../../src-shared/lan/peer-log.js';
import { provePeer } from '../../src-shared/lan/peer-proof.js';
import type { SignedEvent } from '../../src-shared/lan/signature.js';
import { BackoffSchedule, type Backoff, type Random } from '../../src-shared/kernel/backoff.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { systemTimers, type TimerHandle, type Timers } from '../../src-shared/kernel/timers.js';
import type { z } from 'zod';
import type { LanTrust } from './lan-server.js';
import {
  CHALLENGE_HEADER,
  DEFAULT_PAGE,
  HELLO_HEADER,
  LAN_ROUTES,
  challengeAnswerSchema,
  pokeAnswerSchema,
  encodeHello,
  eventsAnswerSchema,
  headsAnswerSchema,
  lanErrorSchema,
} from './lan-wire.js';
import { answerKey, openAnswer, sealedAnswerSchema } from './lan-seal.js';
import type { SignedLog } from './signed-log.js';

/** A peer as the till knows it: where it listens and the credential of the till expected there. */
export interface LanPeer {
  /** Its LAN server's base URL, e.g. http://10.0.0.12:7421. */
  url: string;
  credential: TerminalCredential;
}

/** This till's own key and credential. */
export interface LanIdentity {
  credential: TerminalCredential;
  secretKey: Uint8Array;
}

/** New peer events stored: one origin's, as one peer served them. */
export interface PeerEvents {
  origin: string;
  /** The terminal that served them (the origin itself, or a relaying peer). */
  via: string;
  events: SignedEvent[];
}

export interface ReportedEquivocation extends Equivocation {
  /** The terminal that served the conflicting event. */
  via: string;
}

export type PeerOutcome =
  /** Reached and pulled as far as it could serve. */
  | 'synced'
  /** Could not be reached, or answered something that is not the LAN protocol. */
  | 'unreachable'
  /** Its credential is not admitted (not HQ's, another store's, revoked): not contacted. */
  | 'refused'
  /** Waiting out its backoff after a failure: not contacted this round. */
  | 'waiting';

export interface PeerReport {
  terminalId: string;
  url: string;
  outcome: PeerOutcome;
  /** Events stored from it this round. */
  accepted: number;
  /** Envelopes it served that were refused (altered, unsigned, foreign, gaps…). */
  rejected: number;
  /** Why it failed, when it did. */
  error?: string;
}

export interface RoundReport {
  peers: PeerReport[];
  accepted: number;
  equivocations: ReportedEquivocation[];
  /** Peers reachable after the round. */
  reachable: number;
}

export interface LanPeersOptions {
  log: Pick<SignedLog, 'terminalId' | 'storeId' | 'head' | 'heldHash' | 'ingestPeerPage'>;
  identity: LanIdentity;
  trust: LanTrust;
  /** The peers to pull from (HQ's list, DNS-SD, the configuration): read at each round. */
  peers(): readonly LanPeer[];
  /** The store's credentials (HQ replicates them): an origin's events are checked with its own. */
  credentials(): readonly TerminalCredential[];
  clock?: Clock;
  timers?: Timers;
  random?: Random;
  /** Time between rounds (default 2 s). */
  intervalMs?: number;
  /** A failing peer's waits (default 1 s doubling to 60 s, half jittered). */
  backoff?: Backoff;
  /** Envelopes asked per page (default 200). */
  pageLimit?: number;
  /** One request's time limit (default 5 s). */
  requestTimeoutMs?: number;
  /** A poke's time limit (default 1 s): a peer that does not answer at once is not waited for. */
  pokeTimeoutMs?: number;
  /** The largest answer read (default 8 MiB); a larger one is garbage. */
  maxAnswerBytes?: number;
  fetch?: typeof fetch;
  onPeerEvents?(batch: PeerEvents): void;
  onEquivocation?(equivocation: ReportedEquivocation): void;
  /** The number of reachable peers, when it changes (the status bar's figure). */
  onReachable?(count: number): void;
  /** Every round's report, when the round ends. */
  onRound?(report: RoundReport): void;
}

interface PeerState {
  schedule: BackoffSchedule;
  /** Not tried again before this instant (the Clock's). */
  notBefore: number;
  reachable: boolean;
}

/** A peer's answer that ends the visit: unreachable, refused us, or not speaking the protocol. */
class PeerFailure extends Error {}

const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 60_000, jitter: 0.5 };

export class LanPeers {
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly fetch: typeof fetch;
  private readonly states = new Map<string, PeerState>();
  /** Origins whose key signed two histories: not pulled any more. */
  private readonly equivocated = new Set<string>();
  private running: Promise<RoundReport> | null = null;
  private queued: Promise<RoundReport> | null = null;
  private poking: Promise<number> | null = null;
  private pokeQueued: Promise<number> | null = null;
  private timer: TimerHandle | null = null;
  private started = false;
  private readonly stopping = new AbortController();
  private lastReachable = 0;

  constructor(private readonly options: LanPeersOptions) {
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Peers whose last visit succeeded. */
  get reachable(): number {
    let count = 0;
    for (const state of this.states.values()) if (state.reachable) count += 1;
    return count;
  }

  /** Origins refused for an equivocation. */
  get equivocatedOrigins(): ReadonlySet<string> {
    return this.equivocated;
  }

  /** Starts the rounds: one now, then every intervalMs (no-op when started). */
  start(): void {
    if (this.started || this.stopping.signal.aborted) return;
    this.started = true;
    void this.tick();
  }

  /** Stops the rounds, aborts requests in flight and waits for the round running, if any. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopping.abort();
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.queued?.catch(() => undefined);
    await this.running?.catch(() => undefined);
    await this.pokeQueued;
    await this.poking;
  }

  /**
   * A peer poked this till (it has new events): a round now, or one more after the round running (shared
   * with every nudge and syncRound meanwhile). Nothing once stopped. Never throws.
   */
  nudge(): void {
    if (this.stopping.signal.aborted) return;
    void this.syncRound().catch(() => undefined);
  }

  /**
   * Pokes every known peer (each address once) so it pulls this till's new events now. Resolves with how
   * many took the poke (202); never rejects. A call while pokes are out sends them again once those end
   * (calls meanwhile share that one), so a peer whose round began before the newest event still hears of it.
   */
  pokePeers(): Promise<number> {
    if (this.stopping.signal.aborted) return Promise.resolve(0);
    if (this.pokeQueued) return this.pokeQueued;
    if (this.poking) {
      const queued = this.poking.then(() => {
        this.pokeQueued = null;
        return this.pokeOnce();
      });
      this.pokeQueued = queued;
      return queued;
    }
    return this.pokeOnce();
  }

  private pokeOnce(): Promise<number> {
    const poking: Promise<number> = this.pokeAll().finally(() => {
      if (this.poking === poking) this.poking = null;
    });
    this.poking = poking;
    return poking;
  }

  private async pokeAll(): Promise<number> {
    if (this.stopping.signal.aborted) return 0;
    const urls = new Set(this.options.peers().map((peer) => peer.url));
    const answers = await Promise.all([...urls].map((url) => this.poke(url)));
    return answers.filter(Boolean).length;
  }

  /** One poke: whether the peer took it. Every failure is only a false. */
  private async poke(url: string): Promise<boolean> {
    const abort = new AbortController();
    const onStop = (): void => abort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const timeout = this.timers.setTimeout(() => abort.abort(), this.options.pokeTimeoutMs ?? 1_000);
    try {
      const response = await this.fetch(new URL(LAN_ROUTES.poke, url), {
        method: 'POST',
        signal: abort.signal,
      });
      const text = await readBounded(response, 1_024);
      return response.status === 202 && pokeAnswerSchema.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    } finally {
      this.timers.clearTimeout(timeout);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  /**
   * Runs a round now and resolves with its report. A call during a round runs one more round after it
   * (calls meanwhile share that one), so what was made before the call is seen.
   */
  syncRound(): Promise<RoundReport> {
    if (this.queued) return this.queued;
    if (this.running) {
      const queued = this.running.catch(() => undefined).then(() => this.round());
      this.queued = queued;
      return queued;
    }
    return this.round();
  }

  private round(): Promise<RoundReport> {
    const round = this.runRound().finally(() => {
      if (this.running === round) this.running = null;
    });
    if (this.queued) this.queued = null;
    this.running = round;
    return round;
  }

  private async tick(): Promise<void> {
    await this.syncRound().catch(() => undefined);
    if (!this.started) return;
    this.timer = this.timers.setTimeout(() => void this.tick(), this.nextDelay());
  }

  /** The interval, or sooner when a failed peer's backoff ends first. */
  private nextDelay(): number {
    const interval = this.options.intervalMs ?? 2_000;
    const now = this.clock.now();
    let delay = interval;
    for (const state of this.states.values()) {
      if (state.notBefore > now) delay = Math.min(delay, state.notBefore - now);
    }
    return Math.max(0, delay);
  }

  private async runRound(): Promise<RoundReport> {
    const peers = this.options.peers();
    const keys = new Set(peers.map(peerKey));
    for (const key of this.states.keys()) if (!keys.has(key)) this.states.delete(key);
    const equivocations: ReportedEquivocation[] = [];
    const reports = await Promise.all(peers.map((peer) => this.visit(peer, equivocations)));
    const reachable = this.reachable;
    if (reachable !== this.lastReachable) {
      this.lastReachable = reachable;
      this.options.onReachable?.(reachable);
    }
    const report: RoundReport = {
      peers: reports,
      accepted: reports.reduce((sum, r) => sum + r.accepted, 0),
      equivocations,
      reachable,
    };
    this.options.onRound?.(report);
    return report;
  }

  private async visit(peer: LanPeer, equivocations: ReportedEquivocation[]): Promise<PeerReport> {
    const key = peerKey(peer);
    let state = this.states.get(key);
    if (!state) {
      state = {
        schedule: new BackoffSchedule(this.options.backoff ?? DEFAULT_BACKOFF, this.options.random),
        notBefore: 0,
        reachable: false,
      };
      this.states.set(key, state);
    }
    const base = { terminalId: peer.credential.terminalId, url: peer.url, accepted: 0, rejected: 0 };
    const admitted = admitPeer(peer.credential, this.admitOptions());
    if (!admitted.ok) {
      state.reachable = false;
      return { ...base, outcome: 'refused', error: admitted.reason };
    }
    if (this.clock.now() < state.notBefore) return { ...base, outcome: 'waiting' };
    const tally = { accepted: 0, rejected: 0 };
    try {
      await this.pull(peer, tally, equivocations);
      state.reachable = true;
      state.schedule.reset();
      state.notBefore = 0;
      return { ...base, ...tally, outcome: 'synced' };
    } catch (error) {
      state.reachable = false;
      state.notBefore = this.clock.now() + state.schedule.next();
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, ...tally, outcome: 'unreachable', error: message };
    }
  }

  private admitOptions(terminalId?: string) {
    const { storeId } = this.options.log;
    const revoked = this.options.trust.revokedKeys?.();
    return {
      storeId,
      hqPublicKey: this.options.trust.hqPublicKey,
      ...(terminalId !== undefined ? { terminalId } : {}),
      ...(revoked ? { revokedKeys: revoked } : {}),
    };
  }

  /** The origin's admitted credential from the store's list; null when the list has none HQ signed. */
  private credentialOf(origin: string): TerminalCredential | null {
    for (const credential of this.options.credentials()) {
      if (credential.terminalId !== origin) continue;
      const verdict = admitPeer(credential, this.admitOptions(origin));
      if (verdict.ok) return verdict.credential;
    }
    return null;
  }

  private async pull(
    peer: LanPeer,
    tally: { accepted: number; rejected: number },
    equivocations: ReportedEquivocation[],
  ): Promise<void> {
    const { log } = this.options;
    const via = peer.credential.terminalId;
    const heads = await this.read(peer, LAN_ROUTES.heads, headsAnswerSchema);
    if (heads.terminalId !== via)
      throw new PeerFailure(`terminal ${heads.terminalId} answers at ${peer.url}`);
    const limit = this.options.pageLimit ?? DEFAULT_PAGE;
    for (const head of heads.heads) {
      const origin = head.origin;
      if (origin === log.terminalId || this.equivocated.has(origin)) continue;
      const credential = this.credentialOf(origin);
      if (!credential) continue;
      const mine = log.head(origin);
      // The peer holds no more than this till, but another event at its last seq: fetch that one event,
      // which proves the equivocation when the origin signed it.
      let after =
        mine && head.terminalSeq <= mine.terminalSeq && log.heldHash(origin, head.terminalSeq) !== head.hash
          ? head.terminalSeq - 1
          : (mine?.terminalSeq ?? 0);
      for (;;) {
        if (after >= head.terminalSeq) break;
        const path = `${LAN_ROUTES.events}?${new URLSearchParams({
          origin,
          after: String(after),
          limit: String(limit),
        }).toString()}`;
        const page = await this.read(peer, path, eventsAnswerSchema);
        if (page.origin !== origin || page.after !== after || page.events.length > limit)
          throw new PeerFailure(`terminal ${via} answered another page than the one asked`);
        if (page.events.length === 0) break;
        const result = await log.ingestPeerPage(credential, page.events);
        tally.accepted += result.accepted.length;
        tally.rejected += result.rejections.length;
        if (result.accepted.length > 0) this.options.onPeerEvents?.({ origin, via, events: result.accepted });
        if (result.equivocation) {
          const reported = { ...result.equivocation, via };
          this.equivocated.add(origin);
          equivocations.push(reported);
          this.options.onEquivocation?.(reported);
          break;
        }
        // No progress (a gap, a forged or re-served page): nothing more to take from this peer now.
        if (result.accepted.length === 0) break;
        after = result.checkpoint?.terminalSeq ?? after;
      }
    }
  }

  /**
   * A challenge, then an authenticated GET of `path`: its sealed answer opened with the key agreed with
   * the peer's credential (only that till can seal it), then checked with `schema`.
   */
  private async read<S extends z.ZodType>(peer: LanPeer, path: string, schema: S): Promise<z.infer<S>> {
    const { challenge } = await this.request(peer, LAN_ROUTES.challenge, 'POST', challengeAnswerSchema, {});
    const { identity } = this.options;
    const hello = provePeer(
      { challenge, verifierTerminalId: peer.credential.terminalId },
      identity.credential,
      identity.secretKey,
    );
    const sealed = await this.request(peer, path, 'GET', sealedAnswerSchema, {
      [CHALLENGE_HEADER]: challenge,
      [HELLO_HEADER]: encodeHello(hello),
    });
    const key = answerKey(identity.secretKey, peer.credential.publicKey, {
      challenge,
      serverTerminalId: peer.credential.terminalId,
      clientTerminalId: identity.credential.terminalId,
      path,
    });
    const plain = openAnswer(sealed, key);
    if (plain === null)
      throw new PeerFailure(
        `${peer.url} answered with a seal not made by terminal ${peer.credential.terminalId}`,
      );
    let body: unknown;
    try {
      body = JSON.parse(plain);
    } catch {
      throw new PeerFailure(`${peer.url} sealed something that is not JSON`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new PeerFailure(`${peer.url} answered outside the LAN protocol`);
    return parsed.data;
  }

  private async request<S extends z.ZodType>(
    peer: LanPeer,
    path: string,
    method: 'GET' | 'POST',
    schema: S,
    headers: Record<string, string>,
  ): Promise<z.infer<S>> {
    const abort = new AbortController();
    const onStop = (): void => abort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const timeout = this.timers.setTimeout(() => abort.abort(), this.options.requestTimeoutMs ?? 5_000);
    try {
      const response = await this.fetch(new URL(path, peer.url), { method, headers, signal: abort.signal });
      const text = await readBounded(response, this.options.maxAnswerBytes ?? 8 * 1024 * 1024);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PeerFailure(`${peer.url} answered something that is not JSON`);
      }
      if (!response.ok) {
        const error = lanErrorSchema.safeParse(body);
        const code = error.success ? error.data.code : 'unknown';
        throw new PeerFailure(
          `${peer.url} refused ${method} ${path.split('?')[0]}: ${response.status} ${code}`,
        );
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new PeerFailure(`${peer.url} answered outside the LAN protocol`);
      return parsed.data;
    } catch (error) {
      if (error instanceof PeerFailure) throw error;
      throw new PeerFailure(
        `${peer.url} cannot be reached: ${error instanceof Error ? error.message : 'failed'}`,
      );
    } finally {
      this.timers.clearTimeout(timeout);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }
}

const peerKey = (peer: LanPeer): string => `${peer.credential.terminalId} ${peer.url}`;

/** The body as text, refusing one larger than `max` bytes (declared or actual). */
async function readBounded(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined);
    throw new PeerFailure('an answer larger than allowed');
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the body.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw new PeerFailure('an answer larger than allowed');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The terminal's link to HQ: HqApi on top of the HTTP client, the event stream and the credential store.
// The host (Electron main, the browser host) owns one; the renderer reaches it through TerminalApi and sees
// results, statuses and stream messages, never the token or HQ's address.
//
// - The credential is loaded once, lazily; enrolling saves a new one and restarts the stream with it.
// - A credential is valid for the HQ that issued it: when the configuration names another HQ, the terminal
//   counts as not enrolled (its token is never sent to a different address) until it is enrolled there.
// - Status: `online` follows the latest request or stream event (an answer from HQ, even an error, is
//   contact; 'offline' is not); `lastError` is the latest failure, cleared by the next success.
// - Store LAN (issue 16): enrolling makes a new Ed25519 key pair (seed from node:crypto), sends its public
//   key and keeps the seed with HQ's credential and public key in the credential store. lanIdentity() and
//   storePeers() are main's only (not TerminalApi): the seed never reaches the renderer. A till enrolled
//   before has no key: lanIdentity() is null and it takes no part in LAN sync until enrolled again.
// - The stream runs while someone listens and the terminal is enrolled; it stops by itself when HQ refuses
//   the credential or the protocol, until the next enrollment.
import type {
  HqApi,
  HqError,
  HqLinkStatus,
  HqLookupQuery,
  HqResult,
  HqStreamMessage,
} from '../../src-shared/ipc/hq-api.js';
import { randomBytes } from 'node:crypto';
import { hexToBytes } from '@noble/hashes/utils.js';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { verifyCredential, type TerminalCredential } from '../../src-shared/lan/credential.js';
import { keyPairFromSeed } from '../../src-shared/lan/keys.js';
import { sha256Hex } from '../../src-shared/kernel/hash.js';
import { err, ok } from '../../src-shared/kernel/result.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { SignedEvent } from '../../src-shared/lan/signature.js';
import { PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import type { SnapshotPage, SnapshotPosition } from '../../src-shared/sync/snapshot.js';
import type {
  Checkpoint,
  CloseFigures,
  CloseResponse,
  CollectionName,
  MemberDoc,
  PushResponse,
  EnrollResponse,
  StaffPin,
  StoreSettings,
  StorePeersResponse,
} from '../../src-shared/sync/wire.js';
import {
  CredentialStoreError,
  type Credential,
  type CredentialStore,
  type LanIdentity,
} from './credential-store.js';
import type { PeerCache } from './peer-cache.js';
import { EventStream, type EventStreamTiming } from './event-stream.js';
import { HqClient, normaliseHqUrl, type FetchLike } from './hq-client.js';
import { SnapshotRelay } from './snapshot-relay.js';

export interface TerminalLinkOptions {
  /** HQ's base URL from the terminal configuration (`hqUrl`); undefined when not configured. */
  hqUrl: string | undefined;
  credentials: CredentialStore;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  clock?: Clock;
  /** Per-request time limit (default 15 s). */
  timeoutMs?: number;
  /** Reconnection and silence timing of the event stream. */
  stream?: EventStreamTiming;
  /** Where the store's peer list is kept for outages (peer-cache.ts); without it, nothing is kept. */
  peerCache?: PeerCache;
  /** A new store-LAN key's 32-byte seed (default: node:crypto's randomBytes). */
  newSeed?: () => Uint8Array;
}

/** This terminal's store-LAN identity, for main's LAN module: never handed to the renderer. */
export interface TerminalLanIdentity {
  terminalId: string;
  storeId: string;
  /** The Ed25519 secret key (the seed): signs this till's events and peer proofs. */
  secretKey: Uint8Array;
  publicKey: string;
  credential: TerminalCredential;
  hqPublicKey: string;
}

/** The store's peer list, from HQ now or from the cache when HQ is out of reach. */
export interface StorePeersView {
  peers: StorePeersResponse;
  fetchedAt: string;
  fromCache: boolean;
}

type CredentialState =
  | { kind: 'enrolled'; credential: Credential; client: HqClient }
  | { kind: 'none' }
  | { kind: 'unusable'; error: HqError; storeUnavailable: boolean };

const notEnrolled = (message: string): HqError => ({ code: 'not-enrolled', message });

export class TerminalLink implements HqApi {
  private readonly configuredUrl: string | null;
  private readonly configError: HqError | null;
  private readonly credentials: CredentialStore;
  private readonly fetch: FetchLike | undefined;
  private readonly clock: Clock;
  private readonly timeoutMs: number | undefined;
  private readonly streamTiming: EventStreamTiming;
  private state: Promise<CredentialState> | null = null;
  private online = false;
  private lastContactAt: string | null = null;
  private lastError: HqError | null = null;
  private readonly listeners = new Set<(message: HqStreamMessage) => void>();
  private readonly statusListeners = new Set<() => void>();
  private stream: EventStream | null = null;
  private streamCredential: Credential | null = null;
  /** The stream stopped itself (credential or protocol refused) for this credential. */
  private streamRefused = false;
  /** Stream start/stop, one at a time. */
  private streamOps: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly snapshots = new SnapshotRelay();
  private readonly peerCache: PeerCache | null;
  private readonly newSeed: () => Uint8Array;

  constructor(options: TerminalLinkOptions) {
    let url: string | null = null;
    let configError: HqError | null = null;
    if (options.hqUrl !== undefined) {
      try {
        url = normaliseHqUrl(options.hqUrl);
      } catch (error) {
        configError = notEnrolled(`The configured HQ address is not usable: ${(error as Error).message}`);
      }
    }
    this.configuredUrl = url;
    this.configError = configError;
    this.credentials = options.credentials;
    this.fetch = options.fetch;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs;
    this.streamTiming = options.stream ?? {};
    this.peerCache = options.peerCache ?? null;
    this.newSeed = options.newSeed ?? (() => new Uint8Array(randomBytes(32)));
  }

  async hqStatus(): Promise<HqLinkStatus> {
    const state = await this.credentialState();
    const enrolled = state.kind === 'enrolled' ? state.credential : null;
    return {
      enrolled: enrolled !== null,
      terminalId: enrolled?.terminalId ?? null,
      storeId: enrolled?.storeId ?? null,
      country: enrolled?.country ?? null,
      online: this.online,
      lastContactAt: this.lastContactAt,
      lastError: this.lastError ?? (state.kind === 'unusable' ? state.error : null),
    };
  }

  async enroll(input: {
    code: string;
    name: string;
  }): Promise<HqResult<{ terminalId: string; storeId: string; country?: string }>> {
    const state = await this.credentialState();
    if (state.kind === 'unusable' && state.storeUnavailable) return this.fail(state.error);
    const hqUrl =
      this.configuredUrl ?? (state.kind === 'enrolled' && !this.configError ? state.credential.hqUrl : null);
    if (hqUrl === null) {
      return this.fail(
        this.configError ??
          notEnrolled('This terminal has no HQ address: set hqUrl in its configuration file, then enroll.'),
      );
    }
    const client = this.client(hqUrl, null);
    // A new key pair at every enrollment: re-enrolling replaces the key with the credential.
    const seed = this.newSeed();
    const keyPair = keyPairFromSeed(seed);
    const enrolled = this.record(await client.enroll(input.code, input.name, keyPair.publicKey));
    if (!enrolled.ok) return enrolled;
    const lan = lanIdentityOf(enrolled.value, keyPair.publicKey, seed);
    const credential: Credential = {
      terminalId: enrolled.value.terminalId,
      storeId: enrolled.value.storeId,
      token: enrolled.value.token,
      hqUrl,
      ...(enrolled.value.country ? { country: enrolled.value.country } : {}),
      ...(enrolled.value.phoneKey ? { phoneKey: enrolled.value.phoneKey } : {}),
      ...(lan ? { lan } : {}),
    };
    try {
      await this.credentials.save(credential);
    } catch (error) {
      const why =
        error instanceof CredentialStoreError
          ? `: ${error.message}`
          : ` (${(error as NodeJS.ErrnoException).code ?? 'write failed'}).`;
      return this.fail(
        notEnrolled(
          `HQ enrolled this terminal, but its credential could not be saved${why} Ask HQ for a new code.`,
        ),
      );
    }
    this.state = Promise.resolve({
      kind: 'enrolled',
      credential,
      client: this.client(hqUrl, credential.token),
    });
    this.streamRefused = false;
    this.setError(null);
    this.changed();
    await this.syncStream();
    return ok({
      terminalId: credential.terminalId,
      storeId: credential.storeId,
      ...(credential.country ? { country: credential.country } : {}),
    });
  }

  async replicationKey(): Promise<string> {
    const state = await this.credentialState();
    const credential = state.kind === 'enrolled' ? state.credential : null;
    const hqUrl = credential?.hqUrl ?? this.configuredUrl ?? '';
    return sha256Hex(`${hqUrl}\n${PROTOCOL_VERSION}\n${credential?.terminalId ?? ''}`);
  }

  pull(
    collection: CollectionName,
    checkpoint: Checkpoint | null,
    limit: number,
  ): Promise<HqResult<{ documents: unknown[]; checkpoint: Checkpoint }>> {
    return this.call((client) => client.pull(collection, checkpoint, limit));
  }

  /** Verified pages of HQ's member snapshot (snapshot-relay.ts keeps one response open between them). */
  snapshot(position: SnapshotPosition, limit: number): Promise<HqResult<SnapshotPage>> {
    return this.call((client) =>
      this.snapshots.page((at, signal) => client.openSnapshot(at, signal), position, limit),
    );
  }

  push(events: LedgerEvent[]): Promise<HqResult<PushResponse>> {
    return this.call((client) => client.push(events));
  }

  /**
   * Relays a peer's events to HQ (issue 16): signed envelopes of one other till of this store, as this
   * till's signed log holds them. Same results as push. Main only (the relay scheduling), not TerminalApi.
   */
  relay(events: readonly SignedEvent[]): Promise<HqResult<PushResponse>> {
    return this.call((client) => client.relay(events));
  }

  close(figures: CloseFigures): Promise<HqResult<CloseResponse>> {
    return this.call((client) => client.close(figures));
  }

  lookup(query: HqLookupQuery): Promise<HqResult<MemberDoc[]>> {
    return this.call((client) => client.lookup(query));
  }

  /**
   * The chain's phone key from the credential, or null (not enrolled, or HQ out of reach). A credential
   * from before HQ handed the key out at enrollment gets it from HQ once and keeps it (0600 file, as the
   * token). Not part of TerminalApi: only main's phone lookup (phone-lookup.ts) reads it.
   */
  async phoneKey(): Promise<string | null> {
    const state = await this.credentialState();
    if (state.kind !== 'enrolled') return null;
    if (state.credential.phoneKey) return state.credential.phoneKey;
    const fetched = this.record(await state.client.phoneKey());
    if (!fetched.ok) return null;
    const credential: Credential = { ...state.credential, phoneKey: fetched.value };
    try {
      await this.credentials.save(credential);
    } catch {
      // Not kept on disk this time: used for this session, asked again after a restart.
    }
    this.state = Promise.resolve({ ...state, credential });
    return fetched.value;
  }

  /**
   * This terminal's store-LAN identity (its key and HQ's credential), or null: not enrolled, or enrolled
   * before HQ issued keys (or with an HQ that issues none), in which case the till takes no part in LAN
   * sync until it is enrolled again. Not part of TerminalApi: only main's LAN module reads it.
   */
  async lanIdentity(): Promise<TerminalLanIdentity | null> {
    const state = await this.credentialState();
    if (state.kind !== 'enrolled' || state.credential.lan === undefined) return null;
    const { lan, terminalId, storeId } = state.credential;
    const keyPair = keyPairFromSeed(hexToBytes(lan.seed));
    return {
      terminalId,
      storeId,
      secretKey: keyPair.secretKey,
      publicKey: keyPair.publicKey,
      credential: lan.credential,
      hqPublicKey: lan.hqPublicKey,
    };
  }

  /**
   * The store's peer list: from HQ, then kept in the peer cache; when HQ is out of reach or failing, the
   * cached list this terminal fetched from this HQ (if any). A refusal (revoked, rejected) is returned as
   * is: a revoked till must not keep trusting its old list.
   */
  async storePeers(): Promise<HqResult<StorePeersView>> {
    const state = await this.credentialState();
    const fetched = await this.call((client) => client.storePeers());
    if (fetched.ok) {
      const fetchedAt = new Date(this.clock.now()).toISOString();
      if (state.kind === 'enrolled' && this.peerCache) {
        await this.peerCache
          .save({
            hqUrl: state.credential.hqUrl,
            terminalId: state.credential.terminalId,
            fetchedAt,
            peers: fetched.value,
          })
          .catch(() => undefined); // Not kept this time: the next fetch tries again.
      }
      return ok({ peers: fetched.value, fetchedAt, fromCache: false });
    }
    if (
      state.kind !== 'enrolled' ||
      this.peerCache === null ||
      (fetched.error.code !== 'offline' && fetched.error.code !== 'server-error')
    )
      return fetched;
    const cached = await this.peerCache.load();
    if (
      cached === null ||
      cached.hqUrl !== state.credential.hqUrl ||
      cached.terminalId !== state.credential.terminalId
    )
      return fetched;
    return ok({ peers: cached.peers, fetchedAt: cached.fetchedAt, fromCache: true });
  }

  /** Reports this terminal's LAN addresses (host:port) to HQ for its store's other tills. Main only. */
  reportLan(addresses: readonly string[]): Promise<HqResult<{ addresses: string[]; reportedAt: string }>> {
    return this.call((client) => client.reportLan(addresses));
  }

  /**
   * The PIN hashes of this terminal's store's staff. Not part of TerminalApi: main's PIN check
   * (src-main/host/staff-pins.ts) is the only caller, so the hashes never reach the renderer.
   */
  staffPins(): Promise<HqResult<StaffPin[]>> {
    return this.call((client) => client.staffPins());
  }

  /** This terminal's store's counter settings (src-main/host/store-settings.ts follows them). */
  storeSettings(): Promise<HqResult<StoreSettings>> {
    return this.call((client) => client.storeSettings());
  }

  onHqStream(listener: (message: HqStreamMessage) => void): () => void {
    this.listeners.add(listener);
    void this.syncStream();
    return () => {
      if (this.listeners.delete(listener)) void this.syncStream();
    };
  }

  /**
   * Called whenever `enrolled`, `online` or `lastError` of hqStatus() may have changed (not on every
   * contact): for a host that shows the link's state, and for tests to wait on. Returns the unsubscribe.
   */
  onStatusChange(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  /** Stops the event stream for good (the host is shutting down); requests still work. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.snapshots.close();
    await this.syncStream();
  }

  private client(baseUrl: string, token: string | null): HqClient {
    return new HqClient({
      baseUrl,
      token,
      ...(this.fetch ? { fetch: this.fetch } : {}),
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
    });
  }

  private credentialState(): Promise<CredentialState> {
    this.state ??= this.loadState();
    return this.state;
  }

  private async loadState(): Promise<CredentialState> {
    let credential: Credential | null;
    try {
      credential = await this.credentials.load();
    } catch (error) {
      if (error instanceof CredentialStoreError) {
        return { kind: 'unusable', error: notEnrolled(error.message), storeUnavailable: error.unavailable };
      }
      return {
        kind: 'unusable',
        error: notEnrolled('The saved terminal credential cannot be read: enroll the terminal again.'),
        storeUnavailable: false,
      };
    }
    if (credential === null) return { kind: 'none' };
    let issuer: string;
    try {
      issuer = normaliseHqUrl(credential.hqUrl);
    } catch {
      return {
        kind: 'unusable',
        error: notEnrolled('The saved terminal credential is damaged: enroll the terminal again.'),
        storeUnavailable: false,
      };
    }
    if (this.configuredUrl !== null && issuer !== this.configuredUrl) {
      return {
        kind: 'unusable',
        error: notEnrolled(
          'This terminal was enrolled with another HQ than the configured one: enroll it again.',
        ),
        storeUnavailable: false,
      };
    }
    return {
      kind: 'enrolled',
      credential: { ...credential, hqUrl: issuer },
      client: this.client(issuer, credential.token),
    };
  }

  private async call<T>(request: (client: HqClient) => Promise<HqResult<T>>): Promise<HqResult<T>> {
    const state = await this.credentialState();
    if (state.kind === 'unusable') return this.fail(state.error);
    if (state.kind === 'none') {
      return this.fail(
        notEnrolled('This terminal is not enrolled with HQ yet: enroll it with a one-time code.'),
      );
    }
    return this.record(await request(state.client));
  }

  private fail(error: HqError): { ok: false; error: HqError } {
    this.setError(error);
    return err(error);
  }

  /** Notes what a request says about the link: any answer from HQ is contact, 'offline' is none. */
  private record<T>(result: HqResult<T>): HqResult<T> {
    if (result.ok) {
      this.contact();
      this.setError(null);
    } else {
      this.failed(result.error);
    }
    return result;
  }

  /** A failure: 'offline' means HQ was not reached; any other answer from HQ is contact. */
  private failed(error: HqError): void {
    if (error.code === 'offline') this.setOnline(false);
    else if (error.code !== 'not-enrolled') this.contact();
    this.setError(error);
  }

  private contact(): void {
    this.lastContactAt = new Date(this.clock.now()).toISOString();
    this.setOnline(true);
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.changed();
  }

  private setError(error: HqError | null): void {
    const same =
      error === this.lastError ||
      (error !== null &&
        this.lastError !== null &&
        error.code === this.lastError.code &&
        error.message === this.lastError.message);
    this.lastError = error;
    if (!same) this.changed();
  }

  private changed(): void {
    for (const listener of [...this.statusListeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private emit(message: HqStreamMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch {
        // One listener's failure must not starve the others (or stop the stream).
      }
    }
  }

  /** Brings the stream in line with the listeners, the credential and stop(). */
  private syncStream(): Promise<void> {
    this.streamOps = this.streamOps.then(() => this.applyStream()).catch(() => undefined);
    return this.streamOps;
  }

  private async applyStream(): Promise<void> {
    const state = await this.credentialState();
    const credential = state.kind === 'enrolled' ? state.credential : null;
    const client = state.kind === 'enrolled' ? state.client : null;
    const wanted = !this.stopped && this.listeners.size > 0 && credential !== null;
    if (this.stream && (!wanted || this.streamCredential !== credential || !this.stream.running)) {
      const stream = this.stream;
      this.stream = null;
      this.streamCredential = null;
      await stream.stop();
    }
    if (!wanted || this.stream || this.streamRefused || !client) return;
    const stream = new EventStream({
      ...this.streamTiming,
      connect: (signal) => client.openStream(signal),
      onMessage: (message) => {
        if (message.type !== 'DISCONNECTED') this.setError(null);
        this.emit(message);
      },
      onContact: () => this.contact(),
      onError: (error) => {
        // The stream stops itself on these (see EventStream): it restarts with the next enrollment.
        if (
          error.code === 'unauthorised' ||
          error.code === 'upgrade-required' ||
          error.code === 'not-enrolled'
        ) {
          this.streamRefused = true;
        }
        this.failed(error);
      },
    });
    this.stream = stream;
    this.streamCredential = credential;
    stream.start();
  }
}

/**
 * The store-LAN identity HQ's enrollment answer gives, or null: no credential (an older HQ), or one that
 * is not HQ's signature over this terminal's new key (then the till takes no part in LAN sync, as a till
 * enrolled before keys; enrolling again fixes it).
 */
function lanIdentityOf(answer: EnrollResponse, publicKey: string, seed: Uint8Array): LanIdentity | null {
  const { credential, hqPublicKey } = answer;
  if (credential === undefined || hqPublicKey === undefined) return null;
  if (
    !verifyCredential(credential, hqPublicKey) ||
    credential.publicKey !== publicKey ||
    credential.terminalId !== answer.terminalId ||
    credential.storeId !== answer.storeId
  )
    return null;
  return { seed: Buffer.from(seed).toString('hex'), credential, hqPublicKey };
}

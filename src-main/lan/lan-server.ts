// The till's LAN server (issue 16): serves the store's signed events it holds (its own, and peers' it
// accepted: how a silent till's events are relayed) to the other tills of its store, and to nothing else.
//   POST /v1/lan/challenge  → a fresh 32-byte challenge: single-use, short-lived, a bounded number
//                             outstanding, rate-limited per address (the one door open to anyone).
//   GET  /v1/lan/heads      → per origin the last seq and hash held, so a peer knows what to pull.
//   GET  /v1/lan/events?origin=&after=&limit= → a page of one origin's envelopes after a seq.
//   POST /v1/lan/poke → 202: a peer has new events, this till pulls soon (served only when onPoke is set).
// A poke carries no data and proves nothing: it can only make this till run a pull round, which is
// authenticated as any other, so it needs no proof; it is rate-limited per address and answered at once.
// Both reads need the caller's hello (credential + proof, peer-proof.ts) over a challenge this server
// issued: admitProvenPeer with HQ's key and the till's store. The challenge is consumed by the first read
// that presents it, whatever the outcome, so a captured request cannot be replayed. A refused caller gets
// 401 (no proof, an unknown or spent challenge, a bad proof) or 403 (a credential HQ did not sign, another
// store's, a revoked key) and no data; refusals are rate-limited per address too. Every input is checked
// with zod (lan-wire.ts): a bad query is a 400. The server only reads the log: nothing a caller sends is
// ever written. An admitted caller's answers are sealed for it alone (lan-seal.ts): a device watching the
// LAN reads nothing, and only this till's key can make them.
// node:http rather than fastify: the import boundary keeps HQ's web framework out of main (eslint.config.js),
// and four routes need no framework. Off unless the terminal's configuration turns it on.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { systemClock, type Clock } from '../../src-shared/kernel/clock.js';
import { admitProvenPeer, peerChallengeSchema } from '../../src-shared/lan/peer-proof.js';
import type { TerminalCredential } from '../../src-shared/lan/credential.js';
import {
  CHALLENGE_HEADER,
  DEFAULT_PAGE,
  HELLO_HEADER,
  LAN_ROUTES,
  decodeHello,
  eventsQuerySchema,
  type ChallengeAnswer,
  type EventsAnswer,
  type HeadsAnswer,
  type LanError,
  type PokeAnswer,
} from './lan-wire.js';
import { answerKey, sealAnswer, type SealedAnswer } from './lan-seal.js';
import { RateWindow, type RateLimit } from './rate-window.js';
import type { SignedLog } from './signed-log.js';

/** What the server serves from: the signed log's reads. */
export type LanSource = Pick<SignedLog, 'terminalId' | 'storeId' | 'heads' | 'readPage'>;

/** Whom the server admits: HQ's key (from enrollment) and the keys HQ revoked. */
export interface LanTrust {
  hqPublicKey: string;
  revokedKeys?: () => ReadonlySet<string>;
}

export interface LanServerLimits {
  /** Challenges one address may ask for per window. */
  challengesPerAddress: RateLimit;
  /** Refused reads (no or bad proof, refused credential) one address may make per window. */
  refusalsPerAddress: RateLimit;
  /** Pokes one address may send per window (more: 429, and no round for them). */
  pokesPerAddress: RateLimit;
  /** How long a challenge can be answered. */
  challengeTtlMs: number;
  /** Challenges outstanding at most (then 503 until some expire or are spent). */
  maxChallenges: number;
}

export const DEFAULT_LAN_LIMITS: LanServerLimits = {
  // A pull round takes one challenge for the heads and one per page; a till pulls every few seconds.
  challengesPerAddress: { max: 600, windowMs: 60_000 },
  refusalsPerAddress: { max: 30, windowMs: 60_000 },
  // A till pokes once per batch of its own events and once per round that stored peers' events: a busy
  // till makes a few a minute; two a second from one address is far beyond that.
  pokesPerAddress: { max: 120, windowMs: 60_000 },
  challengeTtlMs: 30_000,
  maxChallenges: 1_000,
};

export interface LanServerOptions {
  source: LanSource;
  /** This till's terminal secret key: answers are sealed between it and the caller's key (lan-seal.ts). */
  secretKey: Uint8Array;
  trust: LanTrust;
  /** The address to listen on (the configuration's; tests use 127.0.0.1). */
  host: string;
  /** 0 for an ephemeral port. */
  port: number;
  clock?: Clock;
  /** Random bytes for challenges; node:crypto by default. */
  randomBytes?: (size: number) => Uint8Array;
  limits?: Partial<LanServerLimits>;
  /**
   * A peer's poke (issue 16): ask the LAN client for a round (LanPeers.nudge). Unset: no poke route (404).
   * Called synchronously before the 202; it must not throw or wait.
   */
  onPoke?(): void;
  /** Every refused read, for the log (the caller's address and why). */
  onRefused?(refusal: { address: string; status: number; code: string }): void;
}

/** The most body bytes the challenge and poke routes take (they need none). */
const MAX_BODY = 1_024;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const emptyQuerySchema = z.object({}).strict();

export class LanServer {
  private readonly server: Server;
  private readonly clock: Clock;
  private readonly limits: LanServerLimits;
  private readonly challengeRate: RateWindow;
  private readonly refusalRate: RateWindow;
  private readonly pokeRate: RateWindow;
  /** Outstanding challenges and when each expires. */
  private readonly challenges = new Map<string, number>();
  private readonly randomBytes: (size: number) => Uint8Array;

  constructor(private readonly options: LanServerOptions) {
    this.clock = options.clock ?? systemClock;
    this.limits = { ...DEFAULT_LAN_LIMITS, ...options.limits };
    this.challengeRate = new RateWindow(this.limits.challengesPerAddress, this.clock);
    this.refusalRate = new RateWindow(this.limits.refusalsPerAddress, this.clock);
    this.pokeRate = new RateWindow(this.limits.pokesPerAddress, this.clock);
    this.randomBytes = options.randomBytes ?? ((size) => nodeRandomBytes(size));
    this.server = createServer((req, res) => void this.handle(req, res));
    // A slow client holds no connection for long.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
  }

  /** Starts listening; the address actually bound (the port when 0 was asked). */
  start(): Promise<{ host: string; port: number; url: string }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const { address, port } = this.server.address() as AddressInfo;
        const host = address.includes(':') ? `[${address}]` : address;
        resolve({ host: address, port, url: `http://${host}:${port}` });
      });
    });
  }

  /** Stops listening and drops open connections. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Challenges outstanding now (expired ones dropped). */
  get outstandingChallenges(): number {
    this.dropExpired();
    return this.challenges.size;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? 'unknown';
    try {
      const url = new URL(req.url ?? '/', 'http://lan.invalid');
      const route = Object.values(LAN_ROUTES).find((path) => path === url.pathname);
      if (!route || (route === LAN_ROUTES.poke && !this.options.onPoke))
        throw new Refusal(404, 'not-found', 'No such LAN route.');
      const method = route === LAN_ROUTES.challenge || route === LAN_ROUTES.poke ? 'POST' : 'GET';
      if (req.method !== method) throw new Refusal(405, 'method-not-allowed', `Use ${method}.`);
      await drainBody(req);
      if (route === LAN_ROUTES.challenge) return send(res, 200, this.challenge(address));
      if (route === LAN_ROUTES.poke) return send(res, 202, this.poke(address));
      const { credential, challenge } = this.authenticate(req, address);
      const sealed = (answer: HeadsAnswer | EventsAnswer): SealedAnswer => {
        const key = answerKey(this.options.secretKey, credential.publicKey, {
          challenge,
          serverTerminalId: this.options.source.terminalId,
          clientTerminalId: credential.terminalId,
          path: req.url ?? '',
        });
        return sealAnswer(JSON.stringify(answer), key);
      };
      const query = queryOf(url);
      if (route === LAN_ROUTES.heads) {
        if (!emptyQuerySchema.safeParse(query).success)
          throw new Refusal(400, 'bad-query', 'The heads route takes no query.');
        const answer: HeadsAnswer = {
          terminalId: this.options.source.terminalId,
          heads: this.options.source.heads(),
        };
        return send(res, 200, sealed(answer));
      }
      const parsed = eventsQuerySchema.safeParse(query);
      if (!parsed.success)
        throw new Refusal(
          400,
          'bad-query',
          'origin (a terminal id), after (a seq) and limit (1–1000) are expected.',
        );
      const { origin, after, limit } = parsed.data;
      const events = await this.options.source.readPage(origin, after, limit ?? DEFAULT_PAGE);
      const answer: EventsAnswer = { origin, after, events };
      return send(res, 200, sealed(answer));
    } catch (error) {
      if (error instanceof Refusal) {
        if (error.status === 401 || error.status === 403) {
          this.refusalRate.hit(address);
          this.options.onRefused?.({ address, status: error.status, code: error.code });
        }
        const headers: Record<string, string> = {};
        if (error.retryAfterMs !== undefined)
          headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1_000)));
        return send(res, error.status, { code: error.code, message: error.message }, headers);
      }
      return send(res, 500, { code: 'internal', message: 'The LAN server failed.' });
    }
  }

  private challenge(address: string): ChallengeAnswer {
    const rate = this.challengeRate.hit(address);
    if (!rate.ok)
      throw new Refusal(429, 'rate-limited', 'Too many challenges from this address.', rate.retryAfterMs);
    this.dropExpired();
    if (this.challenges.size >= this.limits.maxChallenges)
      throw new Refusal(
        503,
        'busy',
        'Too many challenges outstanding; try again shortly.',
        this.limits.challengeTtlMs,
      );
    const challenge = Buffer.from(this.randomBytes(32)).toString('hex');
    this.challenges.set(challenge, this.clock.now() + this.limits.challengeTtlMs);
    return { challenge, expiresInMs: this.limits.challengeTtlMs };
  }

  /** A poke within the address's allowance queues a round; over it, a 429 and nothing else. */
  private poke(address: string): PokeAnswer {
    const rate = this.pokeRate.hit(address);
    if (!rate.ok)
      throw new Refusal(429, 'rate-limited', 'Too many pokes from this address.', rate.retryAfterMs);
    try {
      this.options.onPoke?.();
    } catch {
      // A poke is a hint: whatever the client does with it, the periodic round still runs.
    }
    return { poked: true };
  }

  /** The admitted caller's credential and its challenge, or a Refusal. Spends the challenge presented. */
  private authenticate(
    req: IncomingMessage,
    address: string,
  ): { credential: TerminalCredential; challenge: string } {
    const blocked = this.refusalRate.blocked(address);
    if (!blocked.ok)
      throw new Refusal(
        429,
        'rate-limited',
        'Too many refused reads from this address.',
        blocked.retryAfterMs,
      );
    const challenge = req.headers[CHALLENGE_HEADER];
    const helloHeader = req.headers[HELLO_HEADER];
    if (typeof challenge !== 'string' || typeof helloHeader !== 'string')
      throw new Refusal(401, 'no-proof', 'A challenge and a hello are required.');
    if (!peerChallengeSchema.safeParse(challenge).success)
      throw new Refusal(401, 'unknown-challenge', 'Not a challenge this till issued.');
    const expiresAt = this.challenges.get(challenge);
    // Single use: spent now, whatever the proof turns out to be.
    this.challenges.delete(challenge);
    if (expiresAt === undefined || expiresAt <= this.clock.now())
      throw new Refusal(401, 'unknown-challenge', 'Not a challenge this till issued, or spent or expired.');
    const verdict = admitProvenPeer(
      decodeHello(helloHeader),
      { challenge, verifierTerminalId: this.options.source.terminalId },
      {
        storeId: this.options.source.storeId,
        hqPublicKey: this.options.trust.hqPublicKey,
        ...(this.options.trust.revokedKeys ? { revokedKeys: this.options.trust.revokedKeys() } : {}),
      },
    );
    if (verdict.ok) return { credential: verdict.credential, challenge };
    if (verdict.reason === 'bad-proof' || verdict.reason === 'malformed')
      throw new Refusal(401, verdict.reason, 'The hello does not prove a key of this store.');
    throw new Refusal(403, verdict.reason, 'This credential is not admitted to this store.');
  }

  private dropExpired(): void {
    const now = this.clock.now();
    for (const [challenge, expiresAt] of this.challenges) {
      if (expiresAt <= now) this.challenges.delete(challenge);
    }
  }
}

/** The query's parameters; a repeated name is kept as an array so the schema refuses it. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

/** Reads and discards a body of at most MAX_BODY bytes (no route takes one); more is a 413. */
function drainBody(req: IncomingMessage): Promise<void> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) {
    req.resume();
    return Promise.reject(new Refusal(413, 'too-large', 'No LAN route takes a body.'));
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Refusal(413, 'too-large', 'No LAN route takes a body.'));
    });
    req.on('end', () => resolve());
    req.on('error', () => reject(new Refusal(400, 'bad-request', 'The request was cut.')));
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: ChallengeAnswer | SealedAnswer | PokeAnswer | LanError,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

// The store-LAN exchange's wire (issue 16): routes, headers and the bodies a till's LAN server answers and
// its LAN client reads, each with its zod schema, bounded, so both ends check the same shapes. The serving
// till authenticates each read with a single-use challenge it issued: the caller sends the challenge and
// its hello (credential + proof, src-shared/lan/peer-proof.ts) in two headers, the hello as base64url JSON.
import { z } from 'zod';
import { peerChallengeSchema, type PeerHello } from '../../src-shared/lan/peer-proof.js';
import { MAX_PAGE } from './signed-log.js';

export const LAN_ROUTES = {
  challenge: '/v1/lan/challenge',
  heads: '/v1/lan/heads',
  events: '/v1/lan/events',
  /** A peer says it has new events: only makes this till pull soon (no data, never trusted). */
  poke: '/v1/lan/poke',
} as const;

/** The challenge the caller answers (lowercase header names, as Node gives them). */
export const CHALLENGE_HEADER = 'x-lan-challenge';
/** The caller's hello: base64url of its JSON. */
export const HELLO_HEADER = 'x-lan-hello';
/** A hello is a credential and a signature: well under this. */
export const MAX_HELLO_HEADER = 4_096;

/** A page size when the caller names none. */
export const DEFAULT_PAGE = 200;

const terminalId = z.string().min(1).max(64);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const hash = z.string().regex(/^[0-9a-f]{64}$/);

export const challengeAnswerSchema = z
  .object({ challenge: peerChallengeSchema, expiresInMs: z.number().int().min(0).max(3_600_000) })
  .strict();
export type ChallengeAnswer = z.infer<typeof challengeAnswerSchema>;

/** The most origins a heads answer lists (a store has far fewer tills). */
export const MAX_ORIGINS = 1_000;

export const headsAnswerSchema = z
  .object({
    /** The serving till. */
    terminalId,
    heads: z.array(z.object({ origin: terminalId, terminalSeq: seq.min(1), hash }).strict()).max(MAX_ORIGINS),
  })
  .strict();
export type HeadsAnswer = z.infer<typeof headsAnswerSchema>;

/** A page as the client receives it: envelopes are checked one by one later (acceptPeerPage). */
export const eventsAnswerSchema = z
  .object({ origin: terminalId, after: seq, events: z.array(z.unknown()).max(MAX_PAGE) })
  .strict();
export type EventsAnswer = z.infer<typeof eventsAnswerSchema>;

const decimal = (max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

/** GET /v1/lan/events' query. */
export const eventsQuerySchema = z
  .object({
    origin: terminalId,
    after: decimal(Number.MAX_SAFE_INTEGER),
    limit: decimal(MAX_PAGE).pipe(z.number().min(1)).optional(),
  })
  .strict();

/** The answer to a poke (202): a pull round is queued, coalesced with any running or queued. */
export const pokeAnswerSchema = z.object({ poked: z.literal(true) }).strict();
export type PokeAnswer = z.infer<typeof pokeAnswerSchema>;

/** An error answer. */
export const lanErrorSchema = z.object({ code: z.string().max(64), message: z.string().max(512) }).strict();
export type LanError = z.infer<typeof lanErrorSchema>;

export const encodeHello = (hello: PeerHello): string =>
  Buffer.from(JSON.stringify(hello), 'utf8').toString('base64url');

/** The hello of a header, as untrusted JSON; null when it is not base64url JSON. */
export function decodeHello(header: string): unknown {
  if (header.length > MAX_HELLO_HEADER || !/^[A-Za-z0-9_-]+$/.test(header)) return null;
  try {
    return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

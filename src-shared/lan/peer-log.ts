// What a till keeps from a page of another terminal's events pulled over the store LAN (issue 16). Per
// origin terminal the till holds a contiguous prefix of that terminal's hash chain, from terminalSeq 1 to its
// checkpoint (last seq and hash): a grow-only copy of immutable events, so there is nothing to merge, only
// to check. An event extends the copy when it is the origin's (terminal and store of the origin's
// credential, the till's store), unaltered, signed by the origin's key, and the next link of the chain
// (terminalSeq = checkpoint + 1, prevHash = checkpoint hash). A page may start before the checkpoint (the
// serving till does not know where each puller stands): events the till holds already are skipped when
// identical. A validly signed event at a held seq with another hash is an EQUIVOCATION: the origin's key
// signed two different histories, which an honest till never does, so its key is compromised (or its
// software broken); nothing more is taken from that page and the two events are kept as evidence for HQ.
// Relay uses the same function: a till serving a third till's events sends them with their own signatures,
// and the puller checks them against the third till's credential, so who serves an event does not matter.
// Pure: the page and the till's state in, the decision out; storing the accepted events is the caller's.
import { type ChainHead } from '../ledger/chain.js';
import { GENESIS_HASH } from '../ledger/events.js';
import type { TerminalCredential } from './credential.js';
import { readEventOf, signatureVerifies, type EventOriginProblem, type SignedEvent } from './signature.js';

export interface PeerPageInput {
  /** Where the till's copy of the origin's chain stands; null when it holds none of its events. */
  checkpoint: ChainHead | null;
  /** The origin terminal's credential, already admitted (credential.ts admitPeer). */
  credential: TerminalCredential;
  /** The till's own store. */
  storeId: string;
  /** The page as received, in the serving till's order. Nothing in it is trusted. */
  envelopes: readonly unknown[];
  /**
   * The hash of the origin's event the till holds at a seq below its checkpoint, when it can say (the
   * checkpoint's own hash is known without it). Without an answer, an event offered at such a seq is
   * skipped unchecked: it is not taken either way, only an equivocation there goes unseen.
   */
  heldHash?: (terminalSeq: number) => string | undefined;
}

export type PeerRejectionReason =
  /** Not a signed event, an event of another terminal or store, altered, or not signed by the origin. */
  | EventOriginProblem
  /** Events are missing between the checkpoint and this one (its signature is not looked at): the next
   *  pull resumes at the checkpoint. */
  | 'gap'
  /** The next seq, but its prevHash is not the checkpoint's hash. */
  | 'chain-break'
  /** A signed event at a held seq with another hash than the held event. */
  | 'equivocation'
  /** After an equivocation, the rest of the page is not looked at. */
  | 'after-equivocation';

export interface PeerRejection {
  /** The envelope's index in the page. */
  index: number;
  /** The event's seq and id when the envelope had them, whatever else was wrong. */
  terminalSeq: number | null;
  eventId: string | null;
  reason: PeerRejectionReason;
  message: string;
}

/** Two events signed by the same terminal key at one seq: proof that the key is no longer the till's alone. */
export interface Equivocation {
  terminalId: string;
  terminalSeq: number;
  /** The hash of the event the till holds at that seq. */
  heldHash: string;
  /** The other event, with its valid signature. */
  offered: SignedEvent;
}

export interface PeerPageResult {
  /** The events that extend the till's copy, in chain order, to store. */
  accepted: SignedEvent[];
  /** The checkpoint after them (the input's when nothing was accepted; never earlier). */
  checkpoint: ChainHead | null;
  /** Events the till holds already, identical (the held copy's signature was checked when it was taken). */
  duplicates: number;
  /** Events below the checkpoint the till could not compare (no heldHash answer), skipped. */
  unchecked: number;
  rejections: PeerRejection[];
  equivocation: Equivocation | null;
}

const GENESIS: ChainHead = { terminalSeq: 0, hash: GENESIS_HASH };

/** The seq and id of an envelope, when it has them, for a rejection's report. */
function describe(envelope: unknown): { terminalSeq: number | null; eventId: string | null } {
  const event: unknown =
    typeof envelope === 'object' && envelope !== null ? (envelope as { event?: unknown }).event : undefined;
  if (typeof event !== 'object' || event === null) return { terminalSeq: null, eventId: null };
  const { terminalSeq, id } = event as { terminalSeq?: unknown; id?: unknown };
  return {
    terminalSeq: typeof terminalSeq === 'number' && Number.isSafeInteger(terminalSeq) ? terminalSeq : null,
    eventId: typeof id === 'string' ? id.slice(0, 64) : null,
  };
}

const ORIGIN_MESSAGES: Record<EventOriginProblem, string> = {
  malformed: 'not a signed event',
  'other-terminal': "an event of another terminal than the credential's",
  'other-store': "an event of another store than the credential's",
  altered: 'the event does not match its hash: changed after it was sealed',
  'bad-signature': "the signature is not the origin terminal's",
};

/** What a till takes from one page of an origin terminal's events (see the header). */
export function acceptPeerPage(input: PeerPageInput): PeerPageResult {
  const { credential, storeId, envelopes, heldHash } = input;
  const accepted: SignedEvent[] = [];
  const rejections: PeerRejection[] = [];
  /** Hashes of the events accepted from this page, which the caller's heldHash cannot know yet. */
  const acceptedHashes = new Map<number, string>();
  let head = input.checkpoint ?? GENESIS;
  let duplicates = 0;
  let unchecked = 0;
  let equivocation: Equivocation | null = null;

  for (const [index, envelope] of envelopes.entries()) {
    const reject = (reason: PeerRejectionReason, message: string): void => {
      rejections.push({ index, ...describe(envelope), reason, message });
    };
    if (equivocation) {
      reject('after-equivocation', `not looked at: event ${equivocation.terminalSeq} was equivocated`);
      continue;
    }
    if (credential.storeId !== storeId) {
      reject('other-store', "the origin's credential is for another store than the till's");
      continue;
    }
    const read = readEventOf(envelope, credential);
    if (!read.ok) {
      reject(read.reason, ORIGIN_MESSAGES[read.reason]);
      continue;
    }
    // The signature (the costly check) is verified only where it decides something: an event to take, or
    // one that would prove an equivocation. An identical copy of a held event, an event past a gap and one
    // that cannot be compared are not taken, whoever signed them.
    const { signed } = read;
    const { terminalSeq, hash, prevHash } = signed.event;
    const signedByOrigin = (): boolean => {
      if (signatureVerifies(signed, credential.publicKey)) return true;
      reject('bad-signature', ORIGIN_MESSAGES['bad-signature']);
      return false;
    };
    if (terminalSeq <= head.terminalSeq) {
      const held =
        terminalSeq === head.terminalSeq
          ? head.hash
          : (acceptedHashes.get(terminalSeq) ?? heldHash?.(terminalSeq));
      if (held === undefined) unchecked += 1;
      else if (held === hash) duplicates += 1;
      else if (signedByOrigin()) {
        equivocation = { terminalId: credential.terminalId, terminalSeq, heldHash: held, offered: signed };
        reject(
          'equivocation',
          `event ${terminalSeq} signed by terminal ${credential.terminalId} differs from the one held: its key signed two histories`,
        );
      }
      continue;
    }
    const expected = head.terminalSeq + 1;
    if (terminalSeq > expected) {
      const missing =
        terminalSeq - 1 === expected
          ? `event ${expected} missing`
          : `events ${expected}–${terminalSeq - 1} missing`;
      reject('gap', missing);
      continue;
    }
    if (!signedByOrigin()) continue;
    if (prevHash !== head.hash) {
      const after = head.terminalSeq === 0 ? 'the start of the chain' : `event ${head.terminalSeq} as held`;
      reject('chain-break', `event ${terminalSeq} does not follow ${after}`);
      continue;
    }
    accepted.push(signed);
    acceptedHashes.set(terminalSeq, hash);
    head = { terminalSeq, hash };
  }

  return {
    accepted,
    checkpoint: head.terminalSeq === 0 ? null : head,
    duplicates,
    unchecked,
    rejections,
    equivocation,
  };
}

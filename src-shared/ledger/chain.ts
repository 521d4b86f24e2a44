// The per-terminal hash chain (docs/architecture.md section 4): each event carries its terminalSeq (1, 2, 3… with no
// gaps), the previous event's hash and its own hash over its canonical content, so a lost, reordered or
// altered event is detected by the terminal's day close and by HQ, never silently absorbed.
import { canonicalJson, sha256Hex } from '../kernel/hash.js';
import { GENESIS_HASH, ledgerEventSchema, type LedgerEvent, type UnsealedEvent } from './events.js';

/** An event with its chain position but before its hash is computed. */
export type UnhashedEvent = LedgerEvent extends infer E
  ? E extends LedgerEvent
    ? Omit<E, 'hash'>
    : never
  : never;

/** Where a chain stands: the last event's sequence number and hash. */
export interface ChainHead {
  terminalSeq: number;
  hash: string;
}

/** SHA-256 of the canonical JSON of every field but `hash` (a `hash` present on the input is ignored). */
export function eventHash(event: UnhashedEvent | LedgerEvent): string {
  const { hash: _ignored, ...content } = event as UnhashedEvent & { hash?: string };
  return sha256Hex(canonicalJson(content));
}

/**
 * Seals an event onto a chain: terminalSeq is the previous one + 1 (1 for the first), prevHash the previous
 * hash (GENESIS_HASH for the first), and the hash is computed. Throws (a ZodError) when the result is not a
 * valid event.
 */
export function sealEvent(unsealed: UnsealedEvent, previous: ChainHead | null): LedgerEvent {
  const chained = {
    ...unsealed,
    terminalSeq: previous ? previous.terminalSeq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return ledgerEventSchema.parse({ ...chained, hash: eventHash(chained) });
}

export type ChainProblemKind = 'gap' | 'break' | 'altered' | 'out-of-order' | 'mixed-terminals';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The sequence number expected at the place where the chain goes wrong. */
  terminalSeq: number;
  message: string;
}

export type ChainVerdict = { ok: true; last: ChainHead | null } | { ok: false; problem: ChainProblem };

/**
 * Checks one terminal's events, in the order given, continuing the chain from `from` (default: the
 * genesis, so the first event must be terminalSeq 1). Reports the first problem only:
 * - `mixed-terminals`: an event from another terminal than the first one;
 * - `gap`: sequence numbers missing before an event (they appear nowhere in the list);
 * - `out-of-order`: an event out of place: a repeat, a step back, or one ahead of an event found later;
 * - `altered`: an event whose hash does not match its content;
 * - `break`: an event whose prevHash is not the previous event's hash (e.g. an event replaced whole,
 *   with a recomputed hash).
 * The removal of the last events cannot show here: the day close compares the last seq and hash with HQ.
 */
export function verifyChain(events: readonly LedgerEvent[], from?: ChainHead): ChainVerdict {
  let prev: ChainHead = from ?? { terminalSeq: 0, hash: GENESIS_HASH };
  const terminalId = events[0]?.terminalId;
  const present = new Set(events.map((e) => e.terminalSeq));
  const fail = (kind: ChainProblemKind, terminalSeq: number, message: string): ChainVerdict => ({
    ok: false,
    problem: { kind, terminalSeq, message },
  });
  for (const e of events) {
    const expected = prev.terminalSeq + 1;
    if (e.terminalId !== terminalId) {
      return fail(
        'mixed-terminals',
        expected,
        `event ${e.terminalSeq} comes from terminal ${e.terminalId}, not ${terminalId}`,
      );
    }
    if (e.terminalSeq > expected && present.has(expected)) {
      return fail(
        'out-of-order',
        expected,
        `event ${e.terminalSeq} found where event ${expected} was expected`,
      );
    }
    if (e.terminalSeq > expected) {
      const missing =
        e.terminalSeq - 1 === expected
          ? `event ${expected} missing`
          : `events ${expected}–${e.terminalSeq - 1} missing`;
      return fail('gap', expected, missing);
    }
    if (e.terminalSeq < expected) {
      return fail(
        'out-of-order',
        expected,
        `event ${e.terminalSeq} found where event ${expected} was expected`,
      );
    }
    if (eventHash(e) !== e.hash) {
      return fail('altered', expected, `event ${expected} does not match its hash: its content was changed`);
    }
    if (e.prevHash !== prev.hash) {
      const after = prev.terminalSeq === 0 ? 'the start of the chain' : `event ${prev.terminalSeq}`;
      return fail('break', expected, `event ${expected} does not follow ${after}: the hash chain is broken`);
    }
    prev = { terminalSeq: e.terminalSeq, hash: e.hash };
  }
  return { ok: true, last: events.length > 0 || from !== undefined ? prev : null };
}

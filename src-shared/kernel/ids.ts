// UUIDv7 identifiers (RFC 9562): time-ordered, so events sort by creation and index well.
// Time and randomness are injected, keeping this module free of platform APIs: the `uuid` package lays out
// the bits and formats the id, this module keeps the per-factory state that makes ids monotonic.
import { v7 } from 'uuid';
import type { Clock } from './clock.js';

export type RandomBytes = (length: number) => Uint8Array;

export const uuidSchemaPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `uuid`'s 32-bit sequence spans the 12 bits of rand_a and the top 20 of rand_b. */
const SEQ_MAX = 0xffff_ffff;

/** Where a factory is: the millisecond and sequence of the last id it made. */
export interface Uuidv7State {
  ms: number;
  seq: number;
}

/**
 * The next id's millisecond and sequence (RFC 9562 section 6.2, method 1 with a randomly seeded counter):
 * a new millisecond seeds the sequence with 31 random bits, so a millisecond always has 2^31 ids to go;
 * a later id in the same (or an earlier) millisecond adds one; a sequence that runs out borrows the next
 * millisecond. So ids stay strictly increasing when the clock stalls or steps back.
 */
export function nextUuidv7State(state: Uuidv7State, now: number, bytes: Uint8Array): Uuidv7State {
  if (now > state.ms) {
    const seq =
      (((bytes[6] ?? 0) & 0x7f) << 24) | ((bytes[7] ?? 0) << 16) | ((bytes[8] ?? 0) << 8) | (bytes[9] ?? 0);
    return { ms: now, seq };
  }
  return state.seq >= SEQ_MAX ? { ms: state.ms + 1, seq: 0 } : { ms: state.ms, seq: state.seq + 1 };
}

/**
 * Makes UUIDv7 ids that are strictly increasing per factory. `uuid`'s own monotonic state reads
 * `Date.now()` and a global random source; this keeps the same state per factory with the injected clock
 * and bytes, and hands `uuid` the millisecond, sequence and random bytes to lay out and format.
 */
export function uuidv7Factory(clock: Clock, random: RandomBytes): () => string {
  let state: Uuidv7State = { ms: -1, seq: 0 };
  return () => {
    const bytes = random(16);
    state = nextUuidv7State(state, clock.now(), bytes);
    return v7({ msecs: state.ms, seq: state.seq, random: bytes });
  };
}

/** The creation time encoded in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

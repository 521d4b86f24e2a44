// UUIDv7 ids from the injected clock and random bytes: well-formed for `uuid`, strictly increasing per
// factory (same millisecond, clock stepping back, sequence running out), reproducible from a seed.
import { validate, version } from 'uuid';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { nextUuidv7State, uuidv7Factory, uuidv7Time } from '../../../src-shared/kernel/ids.js';

/** A deterministic byte source (xorshift32), so runs are reproducible and bytes differ call to call. */
function seededBytes(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    });
}

describe('uuidv7Factory', () => {
  it('makes RFC 9562 version 7 ids carrying the clock time', () => {
    const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
    const id = uuidv7Factory(clock, seededBytes(7))();
    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    expect(uuidv7Time(id)).toBe(clock.now());
  });

  it('stays strictly increasing within a millisecond, across milliseconds and when the clock steps back', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const next = uuidv7Factory(clock, seededBytes(42));
    const ids: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      if (i % 3_000 === 0) clock.advance(1);
      if (i === 10_000) clock.advance(-50);
      ids.push(next());
    }
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    // Ids made while the clock was behind keep the last millisecond instead of going back in time.
    expect(uuidv7Time(ids[10_000]!)).toBe(uuidv7Time(ids[9_999]!));
  });

  it('uses the injected random bytes: the same seed gives the same ids, another seed others', () => {
    const make = (seed: number) => {
      const next = uuidv7Factory(new ManualClock(1_000_000), seededBytes(seed));
      return [next(), next(), next()];
    };
    expect(make(1)).toEqual(make(1));
    expect(make(2)).not.toEqual(make(1));
  });

  it('asks for 16 bytes per id', () => {
    const asked: number[] = [];
    const next = uuidv7Factory(new ManualClock(5), (n) => {
      asked.push(n);
      return new Uint8Array(n).fill(0x5a);
    });
    next();
    next();
    expect(asked).toEqual([16, 16]);
  });
});

describe('nextUuidv7State', () => {
  const bytes = new Uint8Array(16).fill(0xff);

  it('seeds a new millisecond with 31 random bits', () => {
    expect(nextUuidv7State({ ms: 10, seq: 5 }, 11, bytes)).toEqual({ ms: 11, seq: 0x7fff_ffff });
  });

  it('counts up in the same or an earlier millisecond, and borrows the next one when the sequence runs out', () => {
    expect(nextUuidv7State({ ms: 10, seq: 5 }, 10, bytes)).toEqual({ ms: 10, seq: 6 });
    expect(nextUuidv7State({ ms: 10, seq: 5 }, 3, bytes)).toEqual({ ms: 10, seq: 6 });
    expect(nextUuidv7State({ ms: 10, seq: 0xffff_ffff }, 10, bytes)).toEqual({ ms: 11, seq: 0 });
  });
});

// Properties of the signed log on real files (issue 16): a crash may cut the file at any byte, and a peer
// may serve any mix of genuine, altered, re-signed, reordered and duplicated envelopes; in every case the
// log reopens to, and only ever holds, a prefix of the origin's genuine chain.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyPairFromSeed } from '../../../src-shared/lan/keys.js';
import type { SignedEvent } from '../../../src-shared/lan/signature.js';
import { originFileName } from '../../../src-main/lan/signed-log.js';
import { chainOf, seed, signAll, till, wire } from '../../shared/lan/builders.js';
import { held, openLog, removeDir, tempDir } from './harness.js';

const a = till('t-a', 71);
const b = till('t-b', 72);
const chainA = chainOf(a, 10).events;
const signedA = signAll(chainA, a.keys);
const thief = keyPairFromSeed(seed(73));
const hashesA = chainA.map((e) => e.hash);

const isPrefix = (hashes: string[]) => hashes.every((h, i) => h === hashesA[i]);

describe('signed log properties', () => {
  it('a file cut at any byte reopens to the events whose lines were whole, and appends continue', async () => {
    const dir = await tempDir();
    try {
      const log = await openLog(a, dir);
      await log.appendOwn(chainA);
      await log.close();
      const path = join(dir, originFileName('t-a'));
      const full = await readFile(path);
      const ends = [...full.entries()].filter(([, byte]) => byte === 0x0a).map(([i]) => i + 1);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: full.length }), async (cut) => {
          await writeFile(path, full.subarray(0, cut));
          const reopened = await openLog(a, dir);
          try {
            const whole = ends.filter((end) => end <= cut).length;
            expect(reopened.head('t-a')?.terminalSeq ?? 0).toBe(whole);
            expect((await held(reopened, 't-a')).map((e) => e.hash)).toEqual(hashesA.slice(0, whole));
            await reopened.appendOwn(chainA);
            expect((await held(reopened, 't-a')).map((e) => e.hash)).toEqual(hashesA);
          } finally {
            await reopened.close();
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await removeDir(dir);
    }
  });

  type Move = { kind: 'genuine' | 'altered' | 'thief' | 'unsigned'; index: number };
  const moveArb: fc.Arbitrary<Move> = fc.record({
    kind: fc.constantFrom('genuine', 'genuine', 'altered', 'thief', 'unsigned'),
    index: fc.integer({ min: 0, max: chainA.length - 1 }),
  });
  const envelopeOf = ({ kind, index }: Move): unknown => {
    const s = signedA[index] as SignedEvent;
    if (kind === 'genuine') return wire(s);
    if (kind === 'thief') return wire(signAll([s.event], thief)[0]);
    if (kind === 'unsigned') return { event: wire(s.event) };
    return wire({ ...s, event: { ...s.event, occurredAt: '2031-01-01T00:00:00.000Z' } });
  };

  it("whatever pages a peer serves, the log holds a prefix of the origin's genuine chain, and so after a reopen", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(moveArb, { maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        async (pages) => {
          const dir = await tempDir();
          try {
            let log = await openLog(b, dir);
            let expected = 0;
            for (const page of pages) {
              const result = await log.ingestPeerPage(a.credential, page.map(envelopeOf));
              // The reference: genuine envelopes taken only as the next link.
              for (const move of page) if (move.kind === 'genuine' && move.index === expected) expected += 1;
              expect(result.equivocation).toBeNull();
              expect(log.head('t-a')?.terminalSeq ?? 0).toBe(expected);
            }
            const stored = (await held(log, 't-a')).map((e) => e.hash);
            expect(isPrefix(stored)).toBe(true);
            expect(stored).toHaveLength(expected);
            await log.close();
            log = await openLog(b, dir);
            expect(log.repairs).toEqual([]);
            expect((await held(log, 't-a')).map((e) => e.hash)).toEqual(stored);
            await log.close();
          } finally {
            await removeDir(dir);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

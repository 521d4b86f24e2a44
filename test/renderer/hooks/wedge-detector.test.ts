import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WedgeDetector, type KeyVerdict } from '../../../src-renderer/hooks/wedge-detector.js';

/** Feeds `text` then Enter with the given gaps (ms) between keys; returns scans and verdicts. */
function feed(detector: WedgeDetector, text: string, gaps: (i: number) => number, start = 1000) {
  const verdicts: KeyVerdict[] = [];
  let t = start;
  for (const key of [...text, 'Enter']) {
    t += gaps(verdicts.length);
    verdicts.push(detector.key({ key, timeStamp: t }));
  }
  return { verdicts, end: t };
}

describe('keyboard wedge detector', () => {
  it('recognises a scanner burst ending in Enter', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    const { verdicts } = feed(d, ']E04006381333931', () => 4);
    expect(scans).toEqual([']E04006381333931']);
    expect(verdicts.at(-1)).toBe('scan');
    expect(verdicts.slice(1, -1).every((v) => v === 'burst')).toBe(true);
  });

  it('does not mistake a person typing a phone number for a scan', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    const { verdicts } = feed(d, '0612345678', (i) => 90 + (i % 3) * 40);
    expect(scans).toEqual([]);
    expect(verdicts.every((v) => v === 'typing')).toBe(true);
  });

  it('finds the scan that follows some typing, without the typed prefix', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    let t = 0;
    for (const key of 'abc') d.key({ key, timeStamp: (t += 150) });
    t += 400; // the cashier stops typing and scans
    for (const key of '0400000000014') d.key({ key, timeStamp: (t += 3) });
    d.key({ key: 'Enter', timeStamp: t + 3 });
    expect(scans).toEqual(['0400000000014']);
  });

  it('ignores short fast bursts, a slow Enter, and shortcut keys', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    feed(d, 'ok', () => 5);
    const { end } = feed(d, '12345', () => 5, 5000);
    let t = end + 10_000;
    for (const key of '4006381333931') d.key({ key, timeStamp: (t += 3) });
    expect(d.key({ key: 'Enter', timeStamp: t + 500 })).toBe('typing');
    for (const key of '4006381333931') d.key({ key, timeStamp: (t += 3), ctrlKey: key === '1' });
    d.key({ key: 'Enter', timeStamp: t + 3 });
    expect(scans).toEqual([]);
  });

  it('tolerates Shift between a scanner’s characters', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    let t = 0;
    for (const key of ['%', 'Shift', 'B', '4', '1', '1', '1', 'Shift', '?'])
      d.key({ key, timeStamp: (t += 2) });
    d.key({ key: 'Enter', timeStamp: t + 2 });
    expect(scans).toEqual(['%B4111?']);
  });

  it('never reports a scan when every gap is human (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => [...s].every((c) => c.length === 1)),
        fc.array(fc.integer({ min: 31, max: 400 }), { minLength: 41, maxLength: 41 }),
        (text, gaps) => {
          const scans: string[] = [];
          feed(new WedgeDetector((s) => scans.push(s)), text, (i) => gaps[i] ?? 100);
          expect(scans).toEqual([]);
        },
      ),
    );
  });
});

describe('keyboard wedge detector: a person typing fast loses nothing', () => {
  it('releases the keys of a short fast run when Enter ends it, in order', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    const { verdicts } = feed(d, '2468', () => 20);
    // The first key went to the field; the next three were held; Enter (too short for a scan) gives them back.
    expect(verdicts).toEqual(['typing', 'burst', 'burst', 'burst', 'typing']);
    expect(d.takeReleased()).toBe('468');
    expect(d.takeReleased()).toBe('');
    expect(scans).toEqual([]);
  });

  it('releases held keys when the run goes quiet, or a slow key or a shortcut follows', () => {
    const d = new WedgeDetector(() => undefined);
    let t = 0;
    for (const key of '1357') d.key({ key, timeStamp: (t += 20) });
    d.settle(t + 10);
    expect(d.takeReleased()).toBe('');
    d.settle(t + 31);
    expect(d.takeReleased()).toBe('357');

    for (const key of 'ab') d.key({ key, timeStamp: (t += 10) });
    expect(d.key({ key: 'c', timeStamp: (t += 200) })).toBe('typing');
    expect(d.takeReleased()).toBe('b');

    for (const key of 'xy') d.key({ key, timeStamp: (t += 10) });
    expect(d.key({ key: 'v', timeStamp: t + 10, ctrlKey: true })).toBe('typing');
    // 'x' came 10 ms after 'c', so the run was 'cxy': both keys after 'c' were held.
    expect(d.takeReleased()).toBe('xy');
  });

  it('swallows the held keys of a real scan', () => {
    const scans: string[] = [];
    const d = new WedgeDetector((s) => scans.push(s));
    feed(d, '0400000000014', () => 4);
    d.settle(1_000_000);
    expect(scans).toEqual(['0400000000014']);
    expect(d.takeReleased()).toBe('');
  });

  it('for any typing slower than a scan or shorter than one, every key reaches the field once, in order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-z]{1,5}$/),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 5, maxLength: 5 }),
        (text, gaps) => {
          const d = new WedgeDetector(() => undefined);
          let t = 1000;
          let field = '';
          [...text].forEach((key, i) => {
            const verdict = d.key({ key, timeStamp: (t += gaps[i] ?? 0) });
            field += d.takeReleased();
            if (verdict === 'typing') field += key;
          });
          d.key({ key: 'Enter', timeStamp: t + 5 });
          field += d.takeReleased();
          expect(field).toBe(text);
        },
      ),
    );
  });
});

// Main's copy of the program's card patterns at its edges (the whole path, with a real HQ, is in
// test/main/devices/scan-equivalence.test.ts): no pull before enrollment, an unreadable file, an invalid
// current program, and the renderer's rule for which version is current.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { CardPatternFollower } from '../../../src-main/host/card-pattern-follower.js';
import type { HqApi, HqStreamMessage } from '../../../src-shared/ipc/index.js';
import { defaultCardPatterns, type Program } from '../../../src-shared/program/schema.js';
import { exampleProgram } from '../../support/hq.js';

const dir = mkdtempSync(join(tmpdir(), 'card-pattern-follower-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => join(dir, `patterns-${(files += 1)}.json`);

const program = (version: number, prefix: string): Program => ({
  ...exampleProgram('coffee-shop'),
  version,
  cards: { patterns: [{ id: `card-${prefix}`, label: 'Card', kind: 'ean13-prefix', prefix }] },
});
const doc = (
  p: Program | Record<string, unknown>,
  version: number,
  current: boolean,
  publishedAt: string,
) => ({
  id: `coffee@${version}`,
  programId: 'coffee',
  version,
  publishedAt,
  current,
  definition: p,
  _deleted: false,
});

/** A link that is enrolled or not, and answers a pull of programs with `documents`. */
function link(enrolled: boolean, documents: unknown[]) {
  const pulls: string[] = [];
  const listeners = new Set<(message: HqStreamMessage) => void>();
  const fake: Pick<HqApi, 'hqStatus' | 'pull' | 'onHqStream'> = {
    hqStatus: async () => ({
      enrolled,
      terminalId: enrolled ? 't-1' : null,
      storeId: enrolled ? 's-1' : null,
      online: true,
      lastContactAt: null,
      lastError: null,
    }),
    pull: async (collection) => {
      pulls.push(collection);
      return { ok: true, value: { documents, checkpoint: { seq: documents.length } } };
    },
    onHqStream: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return { fake, pulls, emit: (m: HqStreamMessage) => listeners.forEach((l) => l(m)) };
}

const follower = (l: ReturnType<typeof link>, file: string) =>
  new CardPatternFollower({ link: l.fake, file, logger: pino({ level: 'silent' }) });

describe('CardPatternFollower', () => {
  it('asks HQ nothing before enrollment, and keeps the defaults', async () => {
    const l = link(false, [doc(program(1, '05'), 1, true, '2026-01-01T00:00:00.000Z')]);
    const f = follower(l, newFile());
    await f.refresh();
    expect(l.pulls).toEqual([]);
    expect(f.patterns()).toEqual(defaultCardPatterns());
    expect(f.source()).toBeNull();
  });

  it('takes the current version published last, and refreshes when HQ says programs changed', async () => {
    const l = link(true, [
      doc(program(1, '05'), 1, true, '2026-01-01T00:00:00.000Z'),
      doc(program(2, '06'), 2, true, '2026-02-01T00:00:00.000Z'),
      doc(program(3, '07'), 3, false, '2026-03-01T00:00:00.000Z'),
    ]);
    const file = newFile();
    const f = follower(l, file);
    await f.refresh();
    expect(f.source()).toBe('coffee@2');
    expect(f.patterns()).toEqual([expect.objectContaining({ prefix: '06' })]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ programDocId: 'coffee@2' });

    // A refresh asked for during a pull is one more pull after it: counts tell which messages pulled.
    const before = l.pulls.length;
    f.start();
    await f.refresh();
    expect(l.pulls.length).toBe(before + 2);
    l.emit({ type: 'changed', collections: ['members'] });
    await f.refresh();
    expect(l.pulls.length).toBe(before + 3);
    l.emit({ type: 'changed', collections: ['programs'] });
    await f.refresh();
    expect(l.pulls.length).toBe(before + 5);
    l.emit({ type: 'RESYNC' });
    await f.refresh();
    expect(l.pulls.length).toBe(before + 7);
    expect(l.pulls.every((c) => c === 'programs')).toBe(true);
    await f.stop();
  });

  it('uses the defaults for an invalid current program and for an unreadable file', async () => {
    const file = newFile();
    writeFileSync(file, '{ not json');
    const f = follower(
      link(true, [doc({ id: 'coffee', cards: 'nonsense' }, 4, true, '2026-04-01T00:00:00.000Z')]),
      file,
    );
    expect(f.patterns()).toEqual(defaultCardPatterns());
    await f.refresh();
    expect(f.source()).toBeNull();
    expect(f.patterns()).toEqual(defaultCardPatterns());
  });
});

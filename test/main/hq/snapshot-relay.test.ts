// Main's reader of HQ's member snapshot: pages of whole verified blocks, one zod check per document, a cut
// body resumed from the last verified block at the same checkpoint, and damaged blocks refused.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SnapshotRelay, type SnapshotOpener } from '../../../src-main/hq/snapshot-relay.js';
import { ok } from '../../../src-shared/kernel/result.js';
import { SnapshotChain, type SnapshotPosition } from '../../../src-shared/sync/snapshot.js';
import { memberDoc, memberIdFor, snapshotStream } from '../../support/browser-harness.js';

const COUNT = 2_500;

/** A stream of `text` in chunks of `size` bytes. */
function streamOf(text: string, size = 4_096): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function textOf(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** An opener serving the harness's snapshot of COUNT members, changed by `alter` per request. */
function opener(alter: (text: string, request: number) => string = (t) => t) {
  const asked: SnapshotPosition[] = [];
  const open: SnapshotOpener = async (position) => {
    asked.push(position);
    const text = await textOf(snapshotStream(COUNT, position));
    return ok(streamOf(alter(text, asked.length)));
  };
  return { open, asked };
}

async function readAll(relay: SnapshotRelay, open: SnapshotOpener, limit = 1_000) {
  const ids: string[] = [];
  let position: SnapshotPosition = { checkpoint: null, after: null };
  const failures: string[] = [];
  for (let round = 0; round < 50; round += 1) {
    const page = await relay.page(open, position, limit);
    if (!page.ok) {
      failures.push(page.error.code);
      continue;
    }
    for (const doc of page.value.documents) ids.push((doc as { id: string }).id);
    position = { checkpoint: page.value.checkpoint, after: page.value.last };
    if (page.value.done) return { ids, failures, checkpoint: page.value.checkpoint };
  }
  throw new Error('the snapshot never ended');
}

const everyId = Array.from({ length: COUNT }, (_, i) => memberIdFor(i));

describe('the snapshot relay', () => {
  it('hands over every member once, in pages of whole blocks, from one response', async () => {
    const { open, asked } = opener();
    const relay = new SnapshotRelay();
    const first = await relay.page(open, { checkpoint: null, after: null }, 1_500);
    expect(first.ok && first.value.documents.length).toBe(2_000);
    expect(first.ok && first.value.documents[0]).toEqual(memberDoc(0));
    const all = await readAll(new SnapshotRelay(), open);
    expect(all.ids).toEqual(everyId);
    expect(all.checkpoint).toEqual({ seq: COUNT });
    expect(all.failures).toEqual([]);
    // The relay kept its response open between pages: one request per reading.
    expect(asked).toEqual([
      { checkpoint: null, after: null },
      { checkpoint: null, after: null },
    ]);
  });

  it('resumes a cut body after the last verified block, at the same checkpoint', async () => {
    // The first response stops in the middle of a document of the third block.
    const { open, asked } = opener((text, request) => (request === 1 ? text.slice(0, 2_400 * 400) : text));
    const all = await readAll(new SnapshotRelay(), open, 500);
    expect(all.ids).toEqual(everyId);
    expect(asked.length).toBe(2);
    expect(asked[1]?.checkpoint).toEqual({ seq: COUNT });
    expect(asked[1]?.after).toMatch(/^m-0000[0-9]{4}$/);
    expect(Number(asked[1]?.after?.slice(2)) % 1_000).toBe(999);
  });

  it('refuses a block that does not match its checksum, and keeps none of it', async () => {
    const relay = new SnapshotRelay();
    // A balance changed in the second block: the first block passes, the second does not.
    const { open } = opener((text, request) =>
      request === 1 ? text.replace(`"id":"${memberIdFor(1_500)}"`, `"id":"${memberIdFor(1_500)}x"`) : text,
    );
    const page = await relay.page(open, { checkpoint: null, after: null }, 5_000);
    expect(page.ok && page.value.documents.length).toBe(1_000);
    expect(page.ok && page.value.done).toBe(false);
    const next = await relay.page(open, { checkpoint: { seq: COUNT }, after: memberIdFor(999) }, 5_000);
    expect(next.ok && next.value.done).toBe(true);
    expect(next.ok && (next.value.documents[0] as { id: string }).id).toBe(memberIdFor(1_000));
  });

  it('refuses a document that is not a member, even with a matching checksum', async () => {
    const chain = new SnapshotChain(() => {
      const hash = createHash('sha256');
      return { update: (t) => void hash.update(t), hex: () => hash.digest('hex') };
    });
    const header = JSON.stringify({
      snapshot: 'header',
      format: 1,
      collection: 'members',
      checkpoint: { seq: 9 },
      after: null,
    });
    chain.start(header);
    const doc = JSON.stringify({ ...memberDoc(0), balance: 'lots' });
    chain.line(doc);
    const block = JSON.stringify({ snapshot: 'block', count: 1, last: memberIdFor(0), sha256: chain.seal() });
    const end = JSON.stringify({ snapshot: 'end', count: 1, sha256: chain.current });
    const body = `${header}\n${doc}\n${block}\n${end}\n`;
    const page = await new SnapshotRelay().page(
      async () => ok(streamOf(body)),
      { checkpoint: null, after: null },
      10,
    );
    expect(page.ok).toBe(false);
    expect(!page.ok && page.error.code).toBe('server-error');
  });

  it('refuses a resumed response at another checkpoint than the one asked', async () => {
    const page = await new SnapshotRelay().page(
      async (position) => ok(snapshotStream(COUNT, { ...position, checkpoint: { seq: 7 } })),
      { checkpoint: { seq: 8 }, after: memberIdFor(9) },
      10,
    );
    expect(!page.ok && page.error.message).toMatch(/checkpoint/);
  });
});

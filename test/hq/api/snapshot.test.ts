// GET /v1/snapshot/members on PGlite and real PostgreSQL: the members as a gzip NDJSON snapshot at a
// checkpoint, in checksummed blocks, resumable after a member id at the same checkpoint, and a checkpoint
// from which the pull continues without missing a change.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishProgram } from '../../../src-hq/store/programs.js';
import {
  nodeSha256,
  snapshotBody,
  snapshotCheckpoint,
  type MemberScopeFilter,
} from '../../../src-hq/store/snapshot.js';
import {
  SnapshotChain,
  snapshotBlockSchema,
  snapshotEndSchema,
  snapshotHeaderSchema,
} from '../../../src-shared/sync/snapshot.js';
import { memberDocSchema, type MemberDoc } from '../../../src-shared/sync/wire.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { eventFactory, testProgram } from '../../support/events.js';
import { apiHarness, STORE_ID, type Harness } from './harness.js';

const MEMBERS = 23;
const memberId = (i: number): string => `m-snap-${i.toString().padStart(3, '0')}`;

/** A snapshot body checked as a till checks it: chained digests per block, the end line last. */
function readSnapshot(body: string) {
  const lines = body.split('\n');
  expect(lines.pop()).toBe('');
  const header = snapshotHeaderSchema.parse(JSON.parse(lines[0]!));
  const chain = new SnapshotChain(nodeSha256);
  chain.start(lines[0]!);
  const docs: MemberDoc[] = [];
  const blocks: number[] = [];
  let inBlock: MemberDoc[] = [];
  let end = null;
  for (const line of lines.slice(1)) {
    expect(end).toBeNull();
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value.snapshot === 'block') {
      const block = snapshotBlockSchema.parse(value);
      expect(block.sha256).toBe(chain.seal());
      expect(block.count).toBe(inBlock.length);
      expect(block.last).toBe(inBlock[inBlock.length - 1]?.id);
      blocks.push(block.count);
      docs.push(...inBlock);
      inBlock = [];
    } else if (value.snapshot === 'end') {
      end = snapshotEndSchema.parse(value);
      expect(end.sha256).toBe(chain.current);
    } else {
      chain.line(line);
      inBlock.push(memberDocSchema.parse(value));
    }
  }
  expect(inBlock).toEqual([]);
  expect(end?.count).toBe(docs.length);
  return { header, docs, blocks };
}

describe.each(databases)('the member snapshot on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    t = await open();
    await publishProgram(t.db, testProgram());
    h = await apiHarness(t.db);
    const till = await h.enroll('Till snapshot');
    token = till.token;
    const f = eventFactory({ terminalId: till.terminalId, storeId: STORE_ID });
    // Enrolled out of id order, so the snapshot's id order is not the enrollment order.
    const events = Array.from({ length: MEMBERS }, (_, k) => f.enrolled(memberId((k * 7) % MEMBERS)));
    const pushed = await h.request({ method: 'POST', url: '/v1/events', token, payload: { events } });
    expect(pushed.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await t.close();
  });

  const get = (query: string, gzip = true) =>
    h.request({
      method: 'GET',
      url: `/v1/snapshot/members${query}`,
      token,
      headers: gzip ? { 'accept-encoding': 'gzip' } : {},
    });

  it('refuses a caller without a terminal credential', async () => {
    const res = await h.request({ method: 'GET', url: '/v1/snapshot/members', token: null });
    expect(res.statusCode).toBe(401);
  });

  it('serves every live member, gzip, in id order, in checksummed blocks, at the pull checkpoint', async () => {
    const res = await get('?block=5');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('application/x-ndjson');
    expect(res.headers['cache-control']).toBe('no-store');
    const { header, docs, blocks } = readSnapshot(gunzipSync(res.rawPayload).toString('utf8'));
    expect(docs.map((d) => d.id)).toEqual(Array.from({ length: MEMBERS }, (_, i) => memberId(i)));
    expect(blocks).toEqual([5, 5, 5, 5, 3]);
    expect(header.after).toBeNull();

    // The same documents the pull gives; its checkpoint is past them all: a pull from it has nothing.
    const pulled = await h.request({ method: 'GET', url: '/v1/pull/members?limit=100', token });
    const page = pulled.json<{ documents: unknown[]; checkpoint: { seq: number } }>();
    expect(header.checkpoint.seq).toBeGreaterThanOrEqual(page.checkpoint.seq);
    const after = await h.request({
      method: 'GET',
      url: `/v1/pull/members?checkpoint=${header.checkpoint.seq}`,
      token,
    });
    expect(after.json<{ documents: unknown[] }>().documents).toEqual([]);
    const byId = new Map(page.documents.map((d) => memberDocSchema.parse(d)).map((d) => [d.id, d]));
    for (const doc of docs) expect(doc).toEqual(byId.get(doc.id));
  });

  it('is plain NDJSON for a caller that does not accept gzip', async () => {
    const res = await get('', false);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(readSnapshot(res.body).docs).toHaveLength(MEMBERS);
  });

  it('resumes after the last member kept, at the same checkpoint', async () => {
    const first = readSnapshot(gunzipSync((await get('?block=4')).rawPayload).toString('utf8'));
    const kept = first.docs[9]!.id;
    const seq = first.header.checkpoint.seq;
    const res = await get(`?block=4&checkpoint=${seq}&after=${kept}`);
    expect(res.statusCode).toBe(200);
    const rest = readSnapshot(gunzipSync(res.rawPayload).toString('utf8'));
    expect(rest.header).toMatchObject({ checkpoint: { seq }, after: kept });
    expect(rest.docs.map((d) => d.id)).toEqual(first.docs.slice(10).map((d) => d.id));
  });

  it('refuses a checkpoint HQ has not reached, and resuming without a checkpoint', async () => {
    const ahead = await get(`?checkpoint=${(await snapshotCheckpoint(t.db)).latest + 1_000}`);
    expect(ahead.statusCode).toBe(409);
    expect(ahead.json<{ error: string }>().error).toBe('snapshot-checkpoint-ahead');
    expect((await get(`?after=${memberId(3)}`)).statusCode).toBe(400);
    expect((await get('?block=0')).statusCode).toBe(400);
  });

  it('misses nothing: a change after the checkpoint comes through the pull from it', async () => {
    const before = readSnapshot(gunzipSync((await get('')).rawPayload).toString('utf8'));
    const till = await h.enroll('Till writer');
    const f = eventFactory({ terminalId: till.terminalId, storeId: STORE_ID });
    const events = [f.enrolled('m-snap-late'), f.earned(memberId(4), 30)];
    const pushed = await h.request({
      method: 'POST',
      url: '/v1/events',
      token: till.token,
      payload: { events },
    });
    expect(pushed.statusCode).toBe(200);
    const pulled = await h.request({
      method: 'GET',
      url: `/v1/pull/members?checkpoint=${before.header.checkpoint.seq}`,
      token,
    });
    const ids = pulled.json<{ documents: { id: string }[] }>().documents.map((d) => d.id);
    expect(ids.sort()).toEqual([memberId(4), 'm-snap-late']);
  });

  it('reads in pages without changing a byte, and takes a scope filter', async () => {
    const { seq } = await snapshotCheckpoint(t.db);
    const text = async (pageSize: number, scope: MemberScopeFilter | null = null) => {
      let out = '';
      for await (const chunk of snapshotBody(t.db, seq, { block: 3, pageSize, scope })) out += chunk;
      return out;
    };
    const whole = await text(1_000);
    expect(await text(4)).toBe(whole);
    expect(await text(3)).toBe(whole);
    const chosen = [memberId(2), memberId(11), memberId(20)];
    const scoped = readSnapshot(
      await text(2, (first) => ({ sql: `m.id = ANY($${first}::text[])`, params: [chosen] })),
    );
    expect(scoped.docs.map((d) => d.id)).toEqual(chosen);
  });
});

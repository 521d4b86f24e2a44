// A store's members as a snapshot at a checkpoint (the wire format: src-shared/sync/snapshot.ts), for a new
// till's bootstrap. Streamed: members are read by keyset pages on their primary key (id order), never the
// whole set at once, and each page is written out before the next is read (the caller's stream pulls, so a
// slow till holds back the reads). Resumable: a till that lost the connection asks again after the last id
// it kept, at the same checkpoint; every document it then gets is at least as new as that checkpoint.
//
// The checkpoint is taken before any member is read: the visibility horizon the pull itself reads up to
// (snapshotCheckpoint), so a change the snapshot misses comes through the pull.
import { createHash } from 'node:crypto';
import {
  SNAPSHOT_FORMAT,
  SnapshotChain,
  type Sha256,
  type SnapshotBlock,
  type SnapshotEnd,
  type SnapshotHeader,
} from '../../src-shared/sync/snapshot.js';
import type { Db, Queryable } from '../db/database.js';
import { changeHorizon } from './change-horizon.js';

/**
 * Which members a till holds (src-hq/store/scope.ts decides): a condition over the members table, aliased
 * `m`, whose parameters are numbered from `firstParam` ($firstParam, $firstParam+1…). Null: every member.
 * `page`, when given, is the page's lower bound (members with an id after `after` only): the condition may
 * use it to bound its own reads.
 */
export type MemberScopeFilter = (
  firstParam: number,
  page?: { after: string },
) => { sql: string; params: readonly unknown[] };

/** The snapshot asked for a checkpoint HQ has not reached: it cannot be the one a snapshot started at. */
export class SnapshotCheckpointError extends RangeError {
  override readonly name = 'SnapshotCheckpointError';
}

/**
 * The members' pull checkpoint as of now: the visibility horizon the pull reads up to
 * (change-horizon.ts). Every change number up to it is final, so the pull continues from here without
 * skipping; and `latest`, the highest number handed out, bounds a checkpoint a till may resume at.
 */
export async function snapshotCheckpoint(db: Db): Promise<{ seq: number; latest: number }> {
  const horizon = await changeHorizon(db).current();
  return { seq: horizon.seq, latest: Math.max(horizon.seq, horizon.latest) };
}

export const nodeSha256 = (): Sha256 => {
  const hash = createHash('sha256');
  return {
    update: (text) => void hash.update(text, 'utf8'),
    hex: () => hash.digest('hex'),
  };
};

export interface SnapshotOptions {
  /** The checkpoint of a snapshot being resumed; absent: taken now. */
  checkpoint?: number;
  /** The last member id the till kept; absent: from the first member. */
  after?: string;
  /** Documents per checksummed block. */
  block: number;
  scope?: MemberScopeFilter | null;
  /** Members read per query (default 2,000). */
  pageSize?: number;
}

/**
 * The checkpoint a snapshot is served at: now's, or the one a resuming till asks for. That one was a
 * horizon when it was handed out (maybe by another HQ process, whose horizon may be ahead of this one's),
 * so only a number HQ never handed out is refused.
 */
export async function resolveSnapshotCheckpoint(db: Db, asked: number | undefined): Promise<number> {
  const now = await snapshotCheckpoint(db);
  if (asked === undefined) return now.seq;
  if (asked > now.latest)
    throw new SnapshotCheckpointError(
      `checkpoint ${asked} is ahead of HQ's ${now.latest}: start the snapshot again without a checkpoint`,
    );
  return asked;
}

/** Member documents in id order after `after` (live ones only, within the scope), `limit` at most. */
async function memberPage(
  db: Queryable,
  after: string,
  limit: number,
  scope: MemberScopeFilter | null,
): Promise<{ id: string; line: string }[]> {
  const scoped = scope ? scope(3, { after }) : null;
  // The document as stored, with its tombstone flag, as JSON text: no parse and stringify per member.
  const { rows } = await db.query<{ id: string; line: string }>(
    `SELECT m.id, (m.doc || '{"_deleted": false}'::jsonb)::text AS line
     FROM members m
     WHERE m.id > $1 AND NOT m.deleted AND m.merged_into IS NULL AND m.erased_at IS NULL
       ${scoped ? `AND (${scoped.sql})` : ''}
     ORDER BY m.id LIMIT $2`,
    [after, limit, ...(scoped?.params ?? [])],
  );
  return rows;
}

/**
 * The snapshot's body, as text chunks (each one page of members with its block lines): the header, the
 * documents in blocks with their chained SHA-256, and the end line. `checkpoint` must have been resolved
 * (resolveSnapshotCheckpoint) before the first byte is sent, so a refusal is still an HTTP answer.
 */
export async function* snapshotBody(
  db: Queryable,
  checkpoint: number,
  options: SnapshotOptions,
  sha256: () => Sha256 = nodeSha256,
): AsyncGenerator<string> {
  const pageSize = options.pageSize ?? 2_000;
  const chain = new SnapshotChain(sha256);
  const header: SnapshotHeader = {
    snapshot: 'header',
    format: SNAPSHOT_FORMAT,
    collection: 'members',
    checkpoint: { seq: checkpoint },
    after: options.after ?? null,
  };
  const headerLine = JSON.stringify(header);
  chain.start(headerLine);
  yield `${headerLine}\n`;
  let after = options.after ?? '';
  let total = 0;
  let inBlock = 0;
  const blockLine = (last: string): string => {
    const line: SnapshotBlock = { snapshot: 'block', count: inBlock, last, sha256: chain.seal() };
    inBlock = 0;
    return `${JSON.stringify(line)}\n`;
  };
  for (;;) {
    const rows = await memberPage(db, after, pageSize, options.scope ?? null);
    if (rows.length === 0) break;
    let out = '';
    for (const row of rows) {
      chain.line(row.line);
      out += `${row.line}\n`;
      inBlock += 1;
      total += 1;
      if (inBlock === options.block) out += blockLine(row.id);
    }
    after = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) {
      if (inBlock > 0) out += blockLine(after);
      yield out;
      break;
    }
    yield out;
  }
  if (inBlock > 0) yield blockLine(after);
  const end: SnapshotEnd = { snapshot: 'end', count: total, sha256: chain.seal() };
  yield `${JSON.stringify(end)}\n`;
}

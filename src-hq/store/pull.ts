// Pull replication (docs/architecture.md section 6): the documents of a collection changed after a checkpoint, in
// change_seq order, with the change_seq of the last one as the next checkpoint. Change numbers do not
// commit in order (store/changes.ts), so a pull reads only up to the visibility horizon
// (change-horizon.ts): a checkpoint never passes a row that could still appear. A pull that stopped there
// while rows of its own were visible above it has the horizon watch for them and notify the collection
// again. Deleted rows are tombstones (`_deleted: true`), never removed, so every replica hears of the deletion.
import { systemClock } from '../../src-shared/kernel/clock.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { CollectionName, EventDoc, MemberDoc, ProgramDoc } from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { toCashierDoc, toProductDoc, type CashierRow, type ProductRow } from './catalog.js';
import { changeHorizon } from './change-horizon.js';
import type { TerminalIdentity } from './ingest.js';
import { memberScopeFilter } from './scope.js';

export interface PullQuery {
  /** The change_seq of the last document the terminal has; omitted: from the beginning. */
  checkpoint?: number;
  limit: number;
}

export interface PullResult {
  documents: unknown[];
  checkpoint: { seq: number };
}

type Row<D> = D & { change_seq: number };

/** A deleted member's tombstone keeps the shape of a member but none of the person's details. */
function memberTombstone(doc: Member): MemberDoc {
  return {
    ...doc,
    displayName: '',
    phoneHash: null,
    phoneLast4: null,
    birthMonth: null,
    cards: [],
    _deleted: true,
  };
}

async function pullRows(
  db: Db,
  collection: CollectionName,
  after: number,
  upTo: number,
  limit: number,
  terminal: TerminalIdentity,
): Promise<{ docs: unknown[]; seqs: number[] }> {
  switch (collection) {
    case 'members': {
      // Only the members of the terminal's store's scope (src-hq/store/scope.ts; by default every member).
      const scope = (await memberScopeFilter(db, terminal.storeId, 'follow', systemClock))?.(4);
      const { rows } = await db.query<Row<{ doc: Member; deleted: boolean }>>(
        // A member merged into another or erased (src-hq/store/member-admin) is a tombstone here too.
        `SELECT doc, (deleted OR merged_into IS NOT NULL OR erased_at IS NOT NULL) AS deleted, change_seq
         FROM members m WHERE change_seq > $1 AND change_seq <= $3 ${scope ? `AND (${scope.sql})` : ''}
         ORDER BY change_seq LIMIT $2`,
        [after, limit, upTo, ...(scope?.params ?? [])],
      );
      return {
        docs: rows.map((r): MemberDoc =>
          r.deleted ? memberTombstone(r.doc) : { ...r.doc, _deleted: false },
        ),
        seqs: rows.map((r) => r.change_seq),
      };
    }
    case 'products': {
      const { rows } = await db.query<ProductRow>(
        `SELECT sku, gtin, name, category, price, currency, deleted, change_seq
         FROM products WHERE change_seq > $1 AND change_seq <= $3 ORDER BY change_seq LIMIT $2`,
        [after, limit, upTo],
      );
      return {
        docs: rows.map(toProductDoc),
        seqs: rows.map((r) => r.change_seq),
      };
    }
    case 'programs': {
      const { rows } = await db.query<
        Row<{
          program_id: string;
          version: number;
          definition: Program;
          published_at: string;
          current: boolean;
        }>
      >(
        `SELECT program_id, version, definition, published_at, current, change_seq
         FROM programs WHERE change_seq > $1 AND change_seq <= $3 ORDER BY change_seq LIMIT $2`,
        [after, limit, upTo],
      );
      return {
        docs: rows.map((r): ProgramDoc => ({
          id: `${r.program_id}@${r.version}`,
          programId: r.program_id,
          version: r.version,
          publishedAt: r.published_at,
          current: r.current,
          definition: r.definition,
          _deleted: false,
        })),
        seqs: rows.map((r) => r.change_seq),
      };
    }
    case 'cashiers': {
      // Only the cashiers of the terminal's own store, and never their PIN hashes: this collection goes to
      // the renderer's replica; the terminal's main process gets the hashes from /v1/staff-pins.
      const { rows } = await db.query<Row<CashierRow>>(
        `SELECT id, store_id, name, role, deleted, change_seq
         FROM cashiers WHERE store_id = $1 AND change_seq > $2 AND change_seq <= $4 ORDER BY change_seq LIMIT $3`,
        [terminal.storeId, after, limit, upTo],
      );
      return {
        docs: rows.map(toCashierDoc),
        seqs: rows.map((r) => r.change_seq),
      };
    }
    case 'events': {
      // Only the terminal's own events, with HQ's verdict (status, memberSeq, reason).
      const { rows } = await db.query<
        Row<{
          id: string;
          body: LedgerEvent;
          member_seq: number | null;
          status: EventDoc['status'];
          reason: string | null;
          recorded_at: string;
        }>
      >(
        `SELECT id::text AS id, body, member_seq, status, reason, recorded_at, change_seq
         FROM events WHERE terminal_id = $1 AND change_seq > $2 AND change_seq <= $4 ORDER BY change_seq LIMIT $3`,
        [terminal.id, after, limit, upTo],
      );
      return {
        docs: rows.map((r): EventDoc => ({
          id: r.id,
          event: r.body,
          memberSeq: r.member_seq,
          status: r.status,
          reason: r.reason,
          recordedAt: r.recorded_at,
          _deleted: false,
        })),
        seqs: rows.map((r) => r.change_seq),
      };
    }
  }
}

/** The rows a pull of `collection` would read, by table and the terminal's own share of it. */
const SOURCES: Record<CollectionName, { table: string; own: 'store' | 'terminal' | null }> = {
  members: { table: 'members', own: null },
  products: { table: 'products', own: null },
  programs: { table: 'programs', own: null },
  cashiers: { table: 'cashiers', own: 'store' },
  events: { table: 'events', own: 'terminal' },
};

/** Whether a committed row of `collection` for `terminal` is numbered above `seq`. */
async function visibleAbove(
  db: Db,
  collection: CollectionName,
  seq: number,
  terminal: TerminalIdentity,
): Promise<boolean> {
  const { table, own } = SOURCES[collection];
  const column = own === 'store' ? 'store_id' : own === 'terminal' ? 'terminal_id' : null;
  const ownId = own === 'store' ? terminal.storeId : terminal.id;
  const { rowCount } = await db.query(
    `SELECT 1 FROM ${table} WHERE change_seq > $1 ${column ? `AND ${column} = $2` : ''} LIMIT 1`,
    column ? [seq, ownId] : [seq],
  );
  return rowCount > 0;
}

/**
 * Documents of `collection` changed after `query.checkpoint`, at most `query.limit`, oldest change first.
 * The checkpoint returned is the change_seq of the last document, or the one given when there is none.
 * Cashiers are those of the terminal's store; events are the terminal's own.
 */
export async function pull(
  db: Db,
  collection: CollectionName,
  query: PullQuery,
  terminal: TerminalIdentity,
): Promise<PullResult> {
  const after = query.checkpoint ?? 0;
  if (!Number.isSafeInteger(after) || after < 0)
    throw new RangeError('checkpoint must be a non-negative integer');
  if (!Number.isSafeInteger(query.limit) || query.limit < 1)
    throw new RangeError('limit must be a positive integer');
  const horizon = await changeHorizon(db).current();
  const { docs, seqs } = await pullRows(db, collection, after, horizon.seq, query.limit, terminal);
  // A short page may have stopped at the horizon with rows of this terminal's already committed above it:
  // they are announced again once the horizon passes them (rows not committed yet announce themselves).
  if (docs.length < query.limit && horizon.latest > Math.max(horizon.seq, after)) {
    if (await visibleAbove(db, collection, Math.max(horizon.seq, after), terminal))
      changeHorizon(db).hold(collection, horizon);
  }
  const last = seqs[seqs.length - 1];
  return { documents: docs, checkpoint: { seq: last ?? after } };
}

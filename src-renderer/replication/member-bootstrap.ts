// The bootstrap of the members replica: a till with no members checkpoint (a new till, or one whose
// replication key changed) fills it from HQ's snapshot (src-shared/sync/snapshot.ts) instead of pulling the
// change history page by page, then pulls from the snapshot's checkpoint like any till.
//
// - Fast: pages of verified documents (main checked each one with zod: they are not checked again here)
//   go into RxDB with bulkInsert — no pre-read of the documents, the replica being empty — and members with
//   one card need no card index entry (their cardKey is indexed).
// - Resumable: after each page the position (checkpoint, last member id) is kept in a local document of
//   the catalog database, under the replication key; a restarted till asks again from there, at the same
//   checkpoint. A page written but not yet noted comes again: its documents conflict and are replaced.
// - Never taken for complete: the members' pull checkpoint, which the sync status and everything that asks
//   whether the replica is complete go by, is written only once HQ's end line arrived and matched; until
//   then the replica is "bootstrapping" (bootstrapping() below).
import type { Checkpoint, MemberDoc } from '../../src-shared/sync/wire.js';
import type { SnapshotPage, SnapshotPosition } from '../../src-shared/sync/snapshot.js';
import type { CatalogDatabase } from '../db/databases.js';
import { storeMemberDocs } from '../db/hq-docs.js';
import { memberRowFromDoc } from '../db/rows.js';
import { LOCAL_MEMBERS_BOOTSTRAP, type MemberRow } from '../db/schemas.js';
import type { HqRequests } from './hq-requests.js';

/** The local document holding the bootstrap's progress. */
export const BOOTSTRAP_DOC = LOCAL_MEMBERS_BOOTSTRAP;

export interface BootstrapProgress {
  /** The replication key it belongs to (another HQ or terminal id starts again). */
  key: string;
  checkpoint: Checkpoint;
  /** The last member id written. */
  after: string | null;
  /** Documents written so far. */
  written: number;
  /** HQ's end line arrived: every member of the snapshot is written. */
  complete: boolean;
}

export type BootstrapStep =
  { written: number; done: false } | { written: number; done: true; checkpoint: Checkpoint };

export class MemberBootstrap {
  private progress: BootstrapProgress | null = null;
  private key = '';
  /** The next page, asked for while the previous one is written (main reads and checks it meanwhile). */
  private ahead: { after: string | null; page: Promise<SnapshotPage> } | null = null;

  constructor(
    private readonly catalog: CatalogDatabase,
    private readonly requests: HqRequests,
    /** Documents asked per page. */
    private readonly pageSize: number,
  ) {}

  /** Loads the progress kept under this replication key. */
  async load(key: string): Promise<void> {
    this.key = key;
    const doc = await this.catalog.getLocal<BootstrapProgress>(BOOTSTRAP_DOC);
    const saved = doc?.toJSON().data;
    this.progress = saved && saved.key === key ? saved : null;
  }

  /** One page of the snapshot fetched and written, and the position kept. */
  async step(stopped: () => boolean): Promise<BootstrapStep> {
    const position: SnapshotPosition = this.progress
      ? { checkpoint: this.progress.checkpoint, after: this.progress.after }
      : { checkpoint: null, after: null };
    const ahead = this.ahead;
    this.ahead = null;
    const page =
      ahead && position.checkpoint !== null && ahead.after === position.after
        ? await ahead.page
        : await this.requests.fetchSnapshot(position, this.pageSize);
    if (stopped() || this.catalog.closed) return { written: 0, done: false };
    if (!page.done) {
      const next = this.requests.fetchSnapshot(
        { checkpoint: page.checkpoint, after: page.last },
        this.pageSize,
      );
      next.catch(() => undefined); // met when it is used (or dropped with a failed write)
      this.ahead = { after: page.last, page: next };
    }
    await writeMembers(this.catalog, page.documents as MemberDoc[]);
    if (this.catalog.closed) return { written: 0, done: false };
    this.progress = {
      key: this.key,
      checkpoint: page.checkpoint,
      after: page.last,
      written: (this.progress?.written ?? 0) + page.documents.length,
      complete: page.done,
    };
    await this.catalog.upsertLocal<BootstrapProgress>(BOOTSTRAP_DOC, this.progress);
    return page.done
      ? { written: page.documents.length, done: true, checkpoint: page.checkpoint }
      : { written: page.documents.length, done: false };
  }
}

/**
 * Writes snapshot members into the replica: bulkInsert (no pre-read), and only the documents that
 * conflict — already there from a page written before a restart, or provisional members enrolled here —
 * are replaced as the pull replaces them (hq-docs.ts). Cards beyond a member's first go to the card index.
 */
export async function writeMembers(catalog: CatalogDatabase, docs: readonly MemberDoc[]): Promise<void> {
  const rows: MemberRow[] = [];
  const extraCards: { number: string; memberId: string }[] = [];
  for (const doc of docs) {
    if (doc._deleted) continue;
    const { _deleted: _ignored, ...row } = memberRowFromDoc(doc);
    rows.push(row);
    for (const number of row.cards.slice(1)) extraCards.push({ number, memberId: row.id });
  }
  if (extraCards.length > 0) await catalog.cards.bulkUpsert(extraCards);
  if (rows.length === 0) return;
  const inserted = await catalog.members.bulkInsert(rows);
  const conflicting = new Set<string>();
  for (const error of inserted.error) {
    if (error.status !== 409)
      throw new Error(`member ${error.documentId} could not be stored (${error.status})`);
    conflicting.add(error.documentId);
  }
  // Replaced as the pull replaces them, so the card index drops the cards they no longer hold.
  if (conflicting.size > 0)
    await storeMemberDocs(
      catalog,
      docs.filter((d) => conflicting.has(d.id)),
    );
}

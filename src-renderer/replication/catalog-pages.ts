// One page of a catalog collection: fetched from HQ (the next one requested while this one is stored),
// checked, written with bulkUpsert/bulkRemove (members with the card index of their cards beyond the
// first), and its checkpoint kept in a local document of the catalog database, under the replication key
// (another HQ or terminal starts from scratch). Members without a checkpoint are bootstrapped from HQ's
// snapshot first (member-bootstrap.ts), which ends by setting their checkpoint.
import type { Clock } from '../../src-shared/kernel/clock.js';
import {
  cashierDocSchema,
  memberDocSchema,
  productDocSchema,
  programDocSchema,
  type Checkpoint,
  type CollectionName,
} from '../../src-shared/sync/wire.js';
import type { CatalogDatabase } from '../db/databases.js';
import { storeMemberDocs, storePage } from '../db/hq-docs.js';
import { productRowFromDoc } from '../db/rows.js';
import { pullCheckpointDocId } from '../db/schemas.js';
import { CATALOG_COLLECTIONS, type SyncStatusTracker } from '../sync-status/sync-status.js';
import type { FetchedPage, HqRequests } from './hq-requests.js';
import { MemberBootstrap } from './member-bootstrap.js';

/** The catalog pull's checkpoint, per collection, in a local document of the catalog database. */
interface PersistedCheckpoint {
  /** The replication key it belongs to. */
  key: string;
  checkpoint: Checkpoint | null;
}

const checkpointDocId = (collection: CollectionName): string => pullCheckpointDocId(collection);

export interface CatalogPagesOptions {
  catalog: CatalogDatabase;
  requests: HqRequests;
  status: SyncStatusTracker;
  clock: Clock;
  batchSize: number;
  /** Documents per snapshot page of the members' bootstrap (default 5,000). */
  bootstrapPageSize?: number;
  /** A pull caught up at `at` (its documents stored), by the request numbered `request`. */
  caughtUp: (collection: CollectionName, at: number, request: number) => void;
  /** True once the replication is stopping: a page fetched then is not stored. */
  stopped: () => boolean;
}

export class CatalogPages {
  private readonly checkpoints = new Map<CollectionName, Checkpoint | null>();
  /** The next page of a collection, requested while the previous one is being stored. */
  private readonly prefetched = new Map<CollectionName, { after: Checkpoint; page: Promise<FetchedPage> }>();
  private key = '';
  private readonly bootstrap: MemberBootstrap;

  constructor(private readonly options: CatalogPagesOptions) {
    this.bootstrap = new MemberBootstrap(
      options.catalog,
      options.requests,
      options.bootstrapPageSize ?? 5_000,
    );
  }

  /** Loads the checkpoints stored under this replication key. */
  async load(key: string): Promise<void> {
    this.key = key;
    await this.bootstrap.load(key);
    for (const collection of CATALOG_COLLECTIONS) {
      const doc = await this.options.catalog.getLocal<PersistedCheckpoint>(checkpointDocId(collection));
      const saved = doc?.toJSON().data;
      this.checkpoints.set(collection, saved && saved.key === key ? saved.checkpoint : null);
    }
  }

  /** One page of a catalog collection, fetched, stored and its checkpoint kept; true when caught up. */
  async pull(collection: CollectionName): Promise<boolean> {
    const { requests, batchSize, catalog } = this.options;
    const checkpoint = this.checkpoints.get(collection) ?? null;
    if (collection === 'members' && checkpoint === null) return this.bootstrapStep();
    const ahead = this.prefetched.get(collection);
    this.prefetched.delete(collection);
    const page =
      ahead && ahead.after === checkpoint
        ? await ahead.page
        : await requests.fetchPage(collection, checkpoint ?? undefined, batchSize);
    const at = this.options.clock.now();
    if (this.options.stopped()) return true;
    if (page.documents.length >= batchSize) {
      // A full page: there is more, so ask for it while this one is checked and stored.
      const next = requests.fetchPage(collection, page.checkpoint, batchSize);
      next.catch(() => undefined); // its failure is met when it is used (or it is dropped)
      this.prefetched.set(collection, { after: page.checkpoint, page: next });
    }
    await this.store(collection, page.documents);
    if (catalog.closed) return true;
    this.checkpoints.set(collection, page.checkpoint);
    await catalog.upsertLocal<PersistedCheckpoint>(checkpointDocId(collection), {
      key: this.key,
      checkpoint: page.checkpoint,
    });
    const done = this.options.status.pulled(collection, page.documents.length, batchSize);
    if (done) this.options.caughtUp(collection, at, page.request);
    return done;
  }

  /**
   * One page of the members' snapshot; once it is all written, its checkpoint becomes the members' pull
   * checkpoint (the replica is complete from then on) and the pull goes on from it. Never caught up here.
   */
  private async bootstrapStep(): Promise<boolean> {
    const step = await this.bootstrap.step(this.options.stopped);
    this.options.status.pulled('members', step.written, Number.POSITIVE_INFINITY);
    if (!step.done || this.options.catalog.closed) return false;
    this.checkpoints.set('members', step.checkpoint);
    await this.options.catalog.upsertLocal<PersistedCheckpoint>(checkpointDocId('members'), {
      key: this.key,
      checkpoint: step.checkpoint,
    });
    return false;
  }

  private async store(collection: CollectionName, documents: unknown[]): Promise<void> {
    const { requests, catalog } = this.options;
    switch (collection) {
      case 'members':
        await storeMemberDocs(
          catalog,
          requests.parsePage('members', documents, (d) => memberDocSchema.parse(d)),
        );
        break;
      case 'products': {
        const docs = requests.parsePage('products', documents, (d) =>
          productRowFromDoc(productDocSchema.parse(d)),
        );
        await storePage(catalog.products, docs, (d) => d.sku);
        break;
      }
      case 'programs': {
        const docs = requests.parsePage('programs', documents, (d) => programDocSchema.parse(d));
        await storePage(catalog.programs, docs, (d) => d.id);
        break;
      }
      case 'cashiers': {
        const docs = requests.parsePage('cashiers', documents, (d) => cashierDocSchema.parse(d));
        await storePage(catalog.cashiers, docs, (d) => d.id);
        break;
      }
      case 'events':
        throw new Error('Events are replicated by RxDB.');
    }
  }
}

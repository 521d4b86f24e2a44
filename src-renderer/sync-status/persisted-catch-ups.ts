// When each collection last caught up with HQ, kept in a local document of the ledger database: the
// replica's age (and the offline period it starts) survives a restart during an outage.
import { collectionNames, type CollectionName } from '../../src-shared/sync/wire.js';
import type { LedgerDatabase } from '../db/databases.js';
import { Mutex } from '../db/mutex.js';
import { LOCAL_SYNC_STATE } from '../db/schemas.js';
import type { SyncStatusTracker } from './sync-status.js';

interface PersistedSyncState {
  caughtUpAt: Partial<Record<CollectionName, number>>;
}

export class PersistedCatchUps {
  private readonly lock = new Mutex();

  constructor(
    private readonly ledger: LedgerDatabase,
    private readonly status: SyncStatusTracker,
  ) {}

  /** Puts the stored catch-ups into the status. */
  async load(): Promise<void> {
    const doc = await this.ledger.getLocal<PersistedSyncState>(LOCAL_SYNC_STATE);
    const saved = doc?.toJSON().data;
    if (!saved) return;
    const collections = { ...this.status.state.collections };
    for (const c of collectionNames) {
      const at = saved.caughtUpAt[c];
      if (typeof at === 'number') collections[c] = { ...collections[c], caughtUpAt: at };
    }
    this.status.patch({ collections });
  }

  /** Stores the status's catch-ups (one write at a time, the latest last). */
  save(): Promise<void> {
    return this.lock.run(async () => {
      if (this.ledger.closed) return;
      const caughtUpAt: PersistedSyncState['caughtUpAt'] = {};
      for (const c of collectionNames) {
        const at = this.status.state.collections[c].caughtUpAt;
        if (at !== null) caughtUpAt[c] = at;
      }
      await this.ledger.upsertLocal<PersistedSyncState>(LOCAL_SYNC_STATE, { caughtUpAt });
    });
  }

  /** Resolves once no write is under way. */
  idle(): Promise<void> {
    return this.lock.run(() => Promise.resolve());
  }
}

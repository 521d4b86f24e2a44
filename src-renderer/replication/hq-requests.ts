// Every request the replication makes to HQ goes through here: it waits at the gate, a host that does not
// answer counts as HQ out of reach, the answer is noted in the sync status (contact or failure), and a
// failure backs the gate off. Each request is numbered, so a flush can tell a pull it asked for from one
// already under way.
import type { HqApi, HqError, HqResult } from '../../src-shared/ipc/hq-api.js';
import type { SnapshotPage, SnapshotPosition } from '../../src-shared/sync/snapshot.js';
import type { Checkpoint, CollectionName } from '../../src-shared/sync/wire.js';
import type { SyncStatusTracker } from '../sync-status/sync-status.js';
import type { HqGate } from './hq-gate.js';

/** A request to HQ that failed; RxDB sees it as an error and retries (through the gate). */
export class HqRequestError extends Error {
  override readonly name = 'HqRequestError';
  constructor(readonly error: HqError) {
    super(`HQ ${error.code}: ${error.message}`);
  }
}

/** A page of a collection from HQ, with the number of the request that fetched it. */
export type FetchedPage = { documents: unknown[]; checkpoint: Checkpoint; request: number };

export class HqRequests {
  private counter = 0;

  constructor(
    private readonly api: HqApi,
    readonly gate: HqGate,
    private readonly status: SyncStatusTracker,
  ) {}

  /** The number of the last request made. */
  get lastRequest(): number {
    return this.counter;
  }

  /** One page of a collection after `checkpoint`. */
  async fetchPage(
    collection: CollectionName,
    checkpoint: Checkpoint | undefined,
    batchSize: number,
  ): Promise<FetchedPage> {
    const request = ++this.counter;
    const page = await this.request(() => this.api.pull(collection, checkpoint ?? null, batchSize));
    return { ...page, request };
  }

  /** Verified member snapshot documents from a position (the bootstrap of an empty replica). */
  fetchSnapshot(position: SnapshotPosition, limit: number): Promise<SnapshotPage> {
    this.counter += 1;
    return this.request(() => this.api.snapshot(position, limit));
  }

  /** One request to HQ, after the gate; a failure backs off and throws (RxDB retries). */
  async request<T>(call: () => Promise<HqResult<T>>): Promise<T> {
    const result = await this.attempt(call);
    if (!result.ok) {
      this.gate.failed();
      throw new HqRequestError(result.error);
    }
    return result.value;
  }

  /** One request to HQ, after the gate, returning the result (failures noted, no backoff). */
  async attempt<T>(call: () => Promise<HqResult<T>>): Promise<HqResult<T>> {
    await this.gate.ready();
    if (this.gate.isClosed) throw new Error('Replication is stopping.');
    const sentAt = this.status.contactToken();
    let result: HqResult<T>;
    try {
      result = await call();
    } catch (error) {
      // The host itself failed (IPC, WebSocket): HQ is out of reach from here.
      result = {
        ok: false,
        error: { code: 'offline', message: `The host did not answer: ${String(error)}` },
      };
    }
    if (result.ok) {
      this.gate.succeeded();
      this.status.noteContact(sentAt);
    } else {
      this.status.noteFailure(result.error);
    }
    return result;
  }

  /** HQ answered something unusable: noted and backed off like a failed request; throws. */
  fail(error: HqError): never {
    this.status.noteFailure(error);
    this.gate.failed();
    throw new HqRequestError(error);
  }

  /** Converts the documents of a page, or fails as HQ's fault when one does not fit. */
  parsePage<T>(collection: CollectionName, docs: unknown[], convert: (doc: unknown) => T): T[] {
    try {
      return docs.map(convert);
    } catch (error) {
      return this.fail({
        code: 'server-error',
        message: `HQ sent an invalid ${collection} document: ${String(error)}`,
      });
    }
  }
}

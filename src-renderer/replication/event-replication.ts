// This terminal's events, replicated with RxDB's replicateRxCollection: pushed, and pulled back with HQ's
// verdict.
//
// - A pushed event is answered by HQ's verdict (stored/duplicate → HQ's status and memberSeq; conflict →
//   `conflict`), handed back to RxDB as the master state and merged by the collection's conflict handler:
//   the verdict wins, the content never changes. Pulled own events update the verdict the same way. Only
//   `local` events are ever sent, so a verdict written locally is never pushed again.
// - A batch HQ refuses as invalid (400, or 413 too large) is split in halves until the event at fault is
//   alone; that one is marked `rejected` with HQ's words and not sent again. The others go through.
// - Pushes run one batch at a time, in terminalSeq order: HQ should see a terminal's events in order.
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import type { RxReplicationWriteToMasterRow, WithDeleted } from 'rxdb';
import { filter, firstValueFrom, type Observable } from 'rxjs';
import type { HqApi, HqError } from '../../src-shared/ipc/hq-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { eventDocSchema, type Checkpoint, type PushResult } from '../../src-shared/sync/wire.js';
import type { LedgerDatabase } from '../db/databases.js';
import { Mutex } from '../db/mutex.js';
import { mergeHqVerdict, plainEventRow, verdictOfDoc } from '../db/rows.js';
import type { EventRow } from '../db/schemas.js';
import type { SyncStatusTracker } from '../sync-status/sync-status.js';
import { HqRequestError, type HqRequests } from './hq-requests.js';

export type EventReplication = RxReplicationState<EventRow, Checkpoint>;

export interface EventReplicationOptions {
  api: HqApi;
  ledger: LedgerDatabase;
  requests: HqRequests;
  status: SyncStatusTracker;
  clock: Clock;
  pullBatchSize: number;
  pushBatchSize: number;
  /** A pull caught up at `at` (its documents stored), by the request numbered `request`. */
  caughtUp: (at: number, request: number) => void;
}

function rejection(error: HqError): string {
  const problems = error.problems?.map((p) => `${p.path}: ${p.message}`).join('; ');
  return problems ? `${error.message} (${problems})` : error.message;
}

/** Starts the events' replication under the replication key, pulling again on every `stream` RESYNC. */
export function replicateEvents(
  key: string,
  stream: Observable<'RESYNC'>,
  options: EventReplicationOptions,
): EventReplication {
  const pushLock = new Mutex();
  let replication: EventReplication | null = null;

  /** This terminal's events with HQ's verdict, merged into the local rows (content kept). */
  const pullEvents = async (
    checkpoint: Checkpoint | undefined,
    batchSize: number,
  ): Promise<{ documents: WithDeleted<EventRow>[]; checkpoint: Checkpoint }> => {
    const { requests, ledger } = options;
    const page = await requests.fetchPage('events', checkpoint, batchSize);
    const docs = requests.parsePage('events', page.documents, (d) => eventDocSchema.parse(d));
    const stored = await ledger.events.storageInstance.findDocumentsById(
      docs.map((d) => d.id),
      true,
    );
    const local = new Map(stored.map((row) => [row.id, { ...plainEventRow(row), _deleted: row._deleted }]));
    const documents = docs.map((doc) => mergeHqVerdict(local.get(doc.id), verdictOfDoc(doc)));
    if (options.status.pulled('events', documents.length, batchSize)) {
      // Caught up once RxDB has stored the page (the replication goes idle).
      const at = options.clock.now();
      const idle = replication
        ? firstValueFrom(replication.active$.pipe(filter((active) => !active)))
        : Promise.resolve(false);
      idle.then(
        () => options.caughtUp(at, page.request),
        () => undefined, // cancelled meanwhile
      );
    }
    return { documents, checkpoint: page.checkpoint };
  };

  /**
   * Pushes `local` events in terminalSeq order, one batch at a time (RxDB may call this for several
   * batches at once). Returns HQ's state of every event sent, which RxDB hands to the conflict handler:
   * the verdict is merged into the local row.
   */
  const pushEvents = (rows: RxReplicationWriteToMasterRow<EventRow>[]): Promise<WithDeleted<EventRow>[]> =>
    pushLock.run(async () => {
      const sendable = rows
        .map((r) => r.newDocumentState)
        .filter((d) => !d._deleted && d.status === 'local')
        .sort((a, b) => a.terminalSeq - b.terminalSeq);
      const masters: WithDeleted<EventRow>[] = [];
      if (sendable.length > 0) await pushBatch(sendable, masters);
      return masters;
    });

  const pushBatch = async (rows: WithDeleted<EventRow>[], out: WithDeleted<EventRow>[]): Promise<void> => {
    const { requests } = options;
    const result = await requests.attempt(() => options.api.push(rows.map((r) => r.event)));
    if (!result.ok) {
      if (result.error.code === 'rejected') {
        if (rows.length === 1) {
          const row = rows[0] as WithDeleted<EventRow>;
          out.push({ ...row, status: 'rejected', reason: rejection(result.error) });
          return;
        }
        const half = Math.ceil(rows.length / 2);
        await pushBatch(rows.slice(0, half), out);
        await pushBatch(rows.slice(half), out);
        return;
      }
      requests.gate.failed();
      throw new HqRequestError(result.error);
    }
    const byId = new Map<string, PushResult>(result.value.results.map((r) => [r.id, r]));
    const missing = rows.filter((r) => !byId.has(r.id));
    if (missing.length > 0)
      requests.fail({
        code: 'server-error',
        message: `HQ did not answer for ${missing.length} pushed event(s); they will be sent again.`,
      });
    for (const row of rows) {
      const r = byId.get(row.id) as PushResult;
      if (r.outcome === 'conflict') {
        out.push({
          ...row,
          status: 'conflict',
          memberSeq: null,
          reason:
            r.reason ??
            'HQ already holds another event under this id or sequence number: this one was kept aside for review.',
        });
      } else {
        out.push({ ...row, status: r.status, memberSeq: r.memberSeq, reason: r.reason });
      }
    }
  };

  replication = replicateRxCollection({
    replicationIdentifier: `${key}-events`,
    live: true,
    // The real wait is the gate's; this only spaces RxDB's retry loop.
    retryTime: 5,
    waitForLeadership: false,
    autoStart: true,
    collection: options.ledger.events,
    pull: { batchSize: options.pullBatchSize, stream$: stream, handler: pullEvents },
    push: { batchSize: options.pushBatchSize, handler: pushEvents },
  });
  return replication;
}

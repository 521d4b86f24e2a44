// Push ingest (docs/architecture.md sections 6 and 8): one database transaction per batch. Every event is validated
// (zod, with the points bound), authorised (a terminal pushes only its own terminal id and store), stored
// exactly once (primary key on id, unique (terminal_id, terminal_seq)), checked against the terminal's
// hash chain and against the program (HQ applies its own figure for an over-claim and holds the rest), and
// projected into its member with the shared applyEvent. The work is split by concern in ingest/:
//   validate.ts  the gate before any SQL        load.ts   locks and reads, in one global order
//   decide.ts    the decisions, no SQL          write.ts  the writes, change counters last
//   batch.ts     one transaction: load → decide → write
import type { Clock } from '../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { PushResult } from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { deferChangeNotices, deferredChanges, notifyChanges } from './changes.js';
import { IngestBatch } from './ingest/batch.js';
import { authorise, validateBatch, type TerminalIdentity } from './ingest/validate.js';
import { RetryBatch } from './ingest/write.js';

export { IngestBatch } from './ingest/batch.js';
export {
  AuthorisationError,
  HQ_IDENTITY,
  InvalidBatchError,
  contentHash,
  validateBatch,
  type BatchProblem,
  type TerminalIdentity,
} from './ingest/validate.js';

const MAX_ATTEMPTS = 5;
/** Constraints a concurrent batch can make us hit; the retry then sees its rows and decides properly. */
const RACE_CONSTRAINTS = new Set([
  'members_pkey',
  'cards_pkey',
  'events_pkey',
  'events_terminal_id_terminal_seq_key',
  'events_one_void',
  'referral_awards_pkey',
  'member_profiles_pkey',
]);

function isTransient(error: unknown): boolean {
  if (error instanceof RetryBatch) return true;
  const e = error as { code?: unknown; constraint?: unknown };
  if (e.code === '40P01' || e.code === '40001') return true;
  return e.code === '23505' && typeof e.constraint === 'string' && RACE_CONSTRAINTS.has(e.constraint);
}

/** Runs a batch transaction, again when it lost a race to a concurrent batch (deadlock, unique key). */
export async function withBatchRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isTransient(error)) throw error;
    }
  }
}

/**
 * Stores a terminal's batch of events in one transaction and returns one result per event, in input
 * order: `stored` (new; posted, or flagged with the reason), `duplicate` (identical re-push: the stored
 * verdict), `conflict` (same id with other content, or a used terminalSeq: quarantined, not applied).
 * Throws InvalidBatchError (nothing stored) for an invalid event and AuthorisationError for an event of
 * another terminal or store. A retry after a lost reply gets the same results and changes nothing.
 */
export async function pushEvents(
  db: Db,
  terminal: TerminalIdentity,
  events: readonly LedgerEvent[],
  clock: Clock,
): Promise<PushResult[]> {
  const valid = validateBatch(events);
  authorise(terminal, valid);
  if (valid.length === 0) return [];
  const { results, changed } = await withBatchRetry(() =>
    db.transaction(async (tx) => {
      // Notified after commit (changes.ts says why): the commit does not queue on the notify lock.
      deferChangeNotices(tx);
      const batch = new IngestBatch(tx, db, clock);
      await batch.lockSource(terminal);
      const results = await batch.ingest(terminal, valid);
      await batch.forwardMerged();
      await batch.awardReferrals();
      await batch.flush();
      return { results: results(), changed: deferredChanges(tx) };
    }),
  );
  // A re-push (a reply lost, perhaps with the process that committed it) announces again: the notice of
  // that commit may never have gone out.
  const repeated = results.some((r) => r.outcome === 'duplicate');
  await notifyChanges(db, repeated ? ['events', 'members'] : changed);
  return results;
}

// The visibility horizon of change numbers (docs/architecture.md section 6, "checkpoints that never skip"):
// the highest number H such that every row numbered <= H is committed or will never appear. Pulls and the
// dashboard's rollup read only up to it, so a checkpoint can never pass a row that commits later.
//
// Writers hold the taker lock (changes.ts) from before their first number until they end. A sample reads
// the sequence's last value L, and then, in a later statement, lists the transactions holding the taker
// lock: every number <= L was taken by one of them or by a transaction already ended. Once none of those
// holds the lock any more, every one has ended (PostgreSQL releases a transaction's locks only after it is
// visible as ended to new snapshots), and H may become L. With no writer in flight, a sample is promoted at
// once. Only writers of change numbers hold the horizon back — not the rest of the cluster's transactions,
// as a horizon from the snapshot's xmin would — but a writer that runs long does (a nightly job, an import
// writing in one transaction): those should commit in chunks (operations notes).
//
// Each HQ process keeps its own horizon and a few samples not promoted yet; a horizon only ever moves up,
// and any process's is safe, so processes need not agree.
//
// A pull that stopped at the horizon while its own rows were visible above it is "held": a timer (never a
// test's synchronisation) re-checks the horizon with backoff and, once it has passed, NOTIFYs the
// collection on the change channel, so every HQ process's event stream tells its terminals to pull again.
import type { CollectionName } from '../../src-shared/sync/wire.js';
import { systemTimers, type Timers } from '../../src-shared/kernel/timers.js';
import type { Db } from '../db/database.js';
import { CHANGE_SEQUENCE, CHANGES_CHANNEL, TAKER_LOCK_CLASS, TAKER_LOCK_KEY } from './changes.js';

export interface Horizon {
  /** Every change number up to here is final. */
  seq: number;
  /** The highest number handed out, as last seen: above `seq` rows may still be coming. */
  latest: number;
}

interface Sample {
  last: number;
  /** The transactions (virtual ids) that held the taker lock after `last` was read. */
  takers: string[];
}

/** Samples kept waiting for promotion; beyond this the newest is replaced (the oldest promote first). */
const MAX_SAMPLES = 16;
/** Re-checks of a held pull: from this delay, doubling, up to the maximum; given up after many failures. */
const HOLD_RETRY = { firstMs: 10, maxMs: 1_000, maxFailures: 30 };

const LAST = `CASE WHEN is_called THEN last_value ELSE last_value - 1 END`;

export class ChangeHorizon {
  private horizon = 0;
  private latest = 0;
  private samples: Sample[] = [];
  /** The last computation asked for, and the one not started yet that new callers join. */
  private tail: Promise<unknown> = Promise.resolve();
  private waiting: Promise<Horizon> | null = null;
  /** Held collections, and the number the horizon must reach before they are notified again. */
  private readonly held = new Map<CollectionName, number>();
  private holdTimer: ReturnType<Timers['setTimeout']> | undefined;
  private holdDelay = HOLD_RETRY.firstMs;
  private holdFailures = 0;

  constructor(
    private readonly db: Db,
    private readonly timers: Timers = systemTimers,
  ) {}

  /**
   * The horizon, from a sample taken after this call began (so a row committed before it is below the
   * horizon unless an older transaction still runs). Concurrent callers share one computation: one that
   * arrives while another runs waits for the next, which starts once the running one ends.
   */
  current(): Promise<Horizon> {
    if (this.waiting) return this.waiting;
    const run: Promise<Horizon> = this.tail
      .catch(() => undefined)
      .then(() => {
        // Started: whoever calls from now on waits for the next computation.
        if (this.waiting === run) this.waiting = null;
        return this.compute();
      });
    this.waiting = run;
    this.tail = run;
    return run;
  }

  /**
   * A pull stopped at `seen.seq` while rows of its own were visible above it: the collection is notified
   * again once the horizon reaches `seen.latest`.
   */
  hold(collection: CollectionName, seen: Horizon): void {
    this.held.set(collection, Math.max(this.held.get(collection) ?? 0, seen.latest));
    if (this.holdTimer === undefined) this.scheduleHold();
  }

  private async compute(): Promise<Horizon> {
    const { rows } = await this.db.query<{ last: number }>(`SELECT ${LAST} AS last FROM ${CHANGE_SEQUENCE}`);
    const last = rows[0]?.last;
    if (last === undefined) throw new Error(`the ${CHANGE_SEQUENCE} sequence is missing`);
    this.latest = Math.max(this.latest, last);
    if (last > this.horizon) {
      // A later statement than the one that read `last`: every writer that took a number up to it and has
      // not ended yet is listed here.
      const { rows: holders } = await this.db.query<{ takers: string[] }>(
        `SELECT coalesce(array_agg(virtualtransaction), '{}') AS takers FROM pg_locks
         WHERE locktype = 'advisory' AND classid = $1::int::oid AND objid = ${TAKER_LOCK_KEY}
           AND objsubid = 2 AND granted`,
        [TAKER_LOCK_CLASS],
      );
      const running = new Set(holders[0]?.takers ?? []);
      this.add({ last, takers: [...running] });
      const keep: Sample[] = [];
      for (const sample of this.samples) {
        if (!sample.takers.some((t) => running.has(t))) this.horizon = Math.max(this.horizon, sample.last);
        else if (sample.last > this.horizon) keep.push(sample);
      }
      this.samples = keep.filter((sample) => sample.last > this.horizon);
    }
    return { seq: this.horizon, latest: this.latest };
  }

  private add(sample: Sample): void {
    if (sample.last <= this.horizon) return;
    if (this.samples.length >= MAX_SAMPLES) this.samples[this.samples.length - 1] = sample;
    else this.samples.push(sample);
  }

  private scheduleHold(): void {
    this.holdTimer = this.timers.setTimeout(() => void this.recheckHeld(), this.holdDelay);
    this.holdDelay = Math.min(this.holdDelay * 2, HOLD_RETRY.maxMs);
  }

  private async recheckHeld(): Promise<void> {
    try {
      const { seq } = await this.current();
      const released = [...this.held].filter(([, until]) => until <= seq).map(([c]) => c);
      if (released.length > 0) {
        for (const c of released) this.held.delete(c);
        await this.db.query('SELECT count(pg_notify($1, c)) FROM unnest($2::text[]) AS c', [
          CHANGES_CHANNEL,
          released,
        ]);
        this.holdDelay = HOLD_RETRY.firstMs;
      }
      this.holdFailures = 0;
    } catch {
      // The database is away (or closed): retried with the backoff, and given up after a while (every
      // stream resyncs when the change notifications reconnect anyway).
      this.holdFailures += 1;
      if (this.holdFailures >= HOLD_RETRY.maxFailures) this.held.clear();
    }
    this.holdTimer = undefined;
    if (this.held.size > 0) this.scheduleHold();
  }
}

const horizons = new WeakMap<Db, ChangeHorizon>();

/** The horizon of `db` in this process (one per Db object). */
export function changeHorizon(db: Db): ChangeHorizon {
  let horizon = horizons.get(db);
  if (!horizon) {
    horizon = new ChangeHorizon(db);
    horizons.set(db, horizon);
  }
  return horizon;
}

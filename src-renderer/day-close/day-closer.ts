// The day close (docs/architecture.md section 6): flush pushes, pull, count the business day from the local ledger
// with the same function HQ uses (closeFiguresFromEvents), check the local hash chain since the last
// matching close, send the figures to HQ, and keep the result. A lost or altered event shows as a red close
// naming it (HQ's missing ranges and differences, or the local chain problem), never silently absorbed.
//
// Run on demand (closeDay) and every night at a configured local time (close-schedule.ts).
//
// A close that cannot reach HQ is not an error the manager must act on: the day is kept as a pending
// close (in the ledger database, zod-checked on read, so it survives a reload and a restart) and runs by
// itself, oldest day first, as soon as the sync status says HQ answers again (start()).
import { BehaviorSubject, distinctUntilChanged, filter, map, type Subscription } from 'rxjs';
import { z } from 'zod';
import type { HqApi, HqError } from '../../src-shared/ipc/hq-api.js';
import type { Clock } from '../../src-shared/kernel/clock.js';
import { HOUR_MS } from '../../src-shared/kernel/clock.js';
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import { verifyChain, type ChainHead, type ChainProblem } from '../../src-shared/ledger/chain.js';
import { closeFiguresFromEvents, type CloseFigures, type CloseResponse } from '../../src-shared/sync/wire.js';
import type { CatalogReader } from '../db/catalog.js';
import type { LedgerDatabase } from '../db/databases.js';
import type { Ledger } from '../db/ledger.js';
import { LOCAL_CLOSES } from '../db/schemas.js';
import { Mutex } from '../db/mutex.js';
import { HqRequestError } from '../replication/hq-requests.js';
import type { TerminalSync } from '../replication/terminal-sync.js';

export interface CloseRecord {
  businessDay: string;
  /** When this close ran (epoch ms). */
  closedAt: number;
  /**
   * match: HQ's figures equal this terminal's and the local chain is whole; mismatch: a red close (see
   * `problems`); failed: the close could not run (HQ unreachable…), try again.
   */
  status: 'match' | 'mismatch' | 'failed';
  /** This terminal's figures (null when the close failed before counting). */
  figures: CloseFigures | null;
  /** HQ's answer, when it gave one. */
  hq: CloseResponse | null;
  /** The first problem in the local hash chain since the last matching close. */
  chainProblem: ChainProblem | null;
  /** Everything wrong, in words for the manager, e.g. "Local ledger: event 5 missing". */
  problems: string[];
  /** Why a failed close failed. */
  error: CloseError | null;
}

/** Why a close could not run: HQ's error, or no program yet (so no store time zone). */
export interface CloseError {
  code: HqError['code'] | 'no-program';
  message: string;
}

interface StoredCloses {
  records: CloseRecord[];
}

/** A business day whose close waits for HQ: it was asked for while HQ could not be reached. */
export interface PendingClose {
  businessDay: string;
  /** When the close was first asked for and found HQ unreachable (epoch ms). */
  deferredAt: number;
}

/** The ledger database's local document holding the pending closes. */
export const LOCAL_PENDING_CLOSES = 'pending-closes';

const pendingClosesSchema = z
  .object({
    days: z
      .array(
        z
          .object({
            businessDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
            deferredAt: z.number().int().nonnegative(),
          })
          .strict(),
      )
      .max(62),
  })
  .strict();
type StoredPending = z.infer<typeof pendingClosesSchema>;

/** Whether a close's failure means HQ could not be reached (the close waits for it). */
export const waitsForHq = (record: CloseRecord): boolean =>
  record.status === 'failed' && record.error?.code === 'offline';

/** Close records kept on the terminal (the latest per business day). */
const KEEP_CLOSES = 62;

export interface DayCloserOptions {
  api: HqApi;
  ledger: Ledger;
  ledgerDb: LedgerDatabase;
  sync: TerminalSync;
  catalog: CatalogReader;
  clock: Clock;
  /** The store's IANA zone (the business day); default: the program's. */
  timeZone?: string;
}

/** The local calendar date `YYYY-MM-DD` of an instant in a zone. */
export const businessDayOf = (at: number, timeZone: string): string => localTime(at, timeZone).date;

const range = ([from, to]: [number, number]): string =>
  from === to ? `event ${from}` : `events ${from}–${to}`;

export class DayCloser {
  /** Every close record, newest first. */
  readonly closes$ = new BehaviorSubject<CloseRecord[]>([]);
  /** Closes waiting for HQ, oldest day first. */
  readonly pending$ = new BehaviorSubject<PendingClose[]>([]);
  private readonly lock = new Mutex();
  private loaded: Promise<void> | null = null;
  private watch: Subscription | null = null;
  /** The pending closes running now (HQ came back), or the last such run; tests await it. */
  resuming: Promise<void> | null = null;
  private resumingNow = false;

  constructor(private readonly options: DayCloserOptions) {}

  private load(): Promise<void> {
    const db = this.options.ledgerDb;
    this.loaded ??= Promise.all([
      db.getLocal<StoredCloses>(LOCAL_CLOSES),
      db.getLocal<StoredPending>(LOCAL_PENDING_CLOSES),
    ]).then(([closes, pending]) => {
      this.closes$.next(structuredClone(closes?.toJSON().data.records ?? []) as CloseRecord[]);
      // A damaged entry is dropped: nothing is lost with it (the events are in the ledger, a close can be
      // run again by hand and runs every night).
      const parsed = pendingClosesSchema.safeParse(pending?.toJSON().data);
      this.pending$.next(parsed.success ? parsed.data.days : []);
    });
    return this.loaded;
  }

  /**
   * Loads the pending closes and runs them whenever the sync status turns online (now, if it is online
   * already). Call once the replication has started; stop() ends it.
   */
  async start(): Promise<void> {
    await this.load();
    this.watch?.unsubscribe();
    this.watch = this.options.sync.status$
      .pipe(
        map((s) => s.online),
        distinctUntilChanged(),
        filter((online) => online),
      )
      .subscribe(() => {
        if (this.pending$.value.length > 0) void this.resumePending();
      });
  }

  stop(): void {
    this.watch?.unsubscribe();
    this.watch = null;
  }

  /** Runs the pending closes, oldest day first, until one finds HQ unreachable again. */
  resumePending(): Promise<void> {
    if (this.resumingNow && this.resuming) return this.resuming;
    this.resumingNow = true;
    this.resuming = (async () => {
      try {
        for (const { businessDay } of [...this.pending$.value]) {
          if (this.watch === null) return;
          const record = await this.closeDay(businessDay);
          if (waitsForHq(record)) return;
        }
      } finally {
        this.resumingNow = false;
      }
    })();
    this.resuming.catch(() => undefined);
    return this.resuming;
  }

  async closes(): Promise<CloseRecord[]> {
    await this.load();
    return this.closes$.value;
  }

  /** The store's zone: the configured one, else the current program's (null before any program). */
  timeZone(): string | null {
    return this.options.timeZone ?? this.options.catalog.program$.value?.timeZone ?? null;
  }

  /** Closes a business day (default: today in the store's zone) and keeps the result. */
  closeDay(businessDay?: string): Promise<CloseRecord> {
    return this.lock.run(async () => {
      await this.load();
      const record = await this.run(businessDay);
      // The pending list first: whoever sees the record in closes$ sees the pending list settled too.
      await this.keepPending(record);
      await this.keep(record);
      return record;
    });
  }

  private async run(requestedDay: string | undefined): Promise<CloseRecord> {
    const { api, sync, ledger, clock } = this.options;
    const closedAt = clock.now();
    await this.options.catalog.start();
    const zone = this.timeZone();
    const day = requestedDay ?? (zone ? businessDayOf(closedAt, zone) : '');
    const failed = (error: CloseError, figures: CloseFigures | null = null): CloseRecord => ({
      businessDay: day,
      closedAt,
      status: 'failed',
      figures,
      hq: null,
      chainProblem: null,
      problems: [error.message],
      error,
    });
    if (!zone)
      return failed({ code: 'rejected', message: 'The store time zone is unknown: no program yet.' });
    const identity = await sync.refreshIdentity();
    if (!identity) return failed({ code: 'not-enrolled', message: 'This terminal is not enrolled with HQ.' });

    try {
      await sync.flush();
    } catch (error) {
      if (error instanceof HqRequestError) return failed(error.error);
      throw error;
    }

    // The day's events: a generous UTC window around the day, then the exact local date.
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const midnightUtc = Date.UTC(y, m - 1, d);
    const rows = await ledger.occurredBetween(
      new Date(midnightUtc - 15 * HOUR_MS).toISOString(),
      new Date(midnightUtc + 39 * HOUR_MS).toISOString(),
    );
    const events = rows
      .filter((r) => r.terminalId === identity.terminalId)
      .filter((r) => businessDayOf(Date.parse(r.occurredAt), zone) === day)
      .map((r) => r.event);
    const figures = closeFiguresFromEvents(day, events);

    const chainProblem = await this.checkChain(identity.terminalId, figures);
    const answer = await api.close(figures);
    if (!answer.ok) return { ...failed(answer.error, figures), chainProblem };
    const hq = answer.value;
    const problems: string[] = [];
    if (chainProblem) problems.push(`Local ledger: ${chainProblem.message}`);
    for (const gap of hq.missing) problems.push(`HQ has not received ${range(gap)}`);
    for (const diff of hq.differences)
      problems.push(
        `${diff.field}: terminal ${JSON.stringify(diff.terminal)}, HQ ${JSON.stringify(diff.hq)}`,
      );
    const status = hq.status === 'match' && !chainProblem ? 'match' : 'mismatch';
    return { businessDay: day, closedAt, status, figures, hq, chainProblem, problems, error: null };
  }

  /**
   * Verifies the local chain from the last matching close (or the first event) to the day's last event.
   * Deleted, altered or reordered events show here even when the day's own figures hide them.
   */
  private async checkChain(terminalId: string, figures: CloseFigures): Promise<ChainProblem | null> {
    if (figures.count === 0) return null;
    const previous = this.closes$.value.find(
      (c) =>
        c.status === 'match' &&
        c.figures !== null &&
        c.figures.count > 0 &&
        c.figures.lastHash !== null &&
        c.figures.lastSeq < figures.firstSeq,
    );
    const from: ChainHead | undefined =
      previous?.figures?.lastHash != null
        ? { terminalSeq: previous.figures.lastSeq, hash: previous.figures.lastHash }
        : undefined;
    const rows = await this.options.ledger.seqRange(
      terminalId,
      (from?.terminalSeq ?? 0) + 1,
      figures.lastSeq,
    );
    const verdict = verifyChain(
      rows.map((r) => r.event),
      from,
    );
    if (!verdict.ok) return verdict.problem;
    if (rows.length === 0 || verdict.last?.terminalSeq !== figures.lastSeq)
      return {
        kind: 'gap',
        terminalSeq: figures.lastSeq,
        message: `event ${figures.lastSeq} missing`,
      };
    return null;
  }

  /** A close that found HQ unreachable waits for it; any other outcome settles that day. */
  private async keepPending(record: CloseRecord): Promise<void> {
    const before = this.pending$.value;
    const others = before.filter((p) => p.businessDay !== record.businessDay);
    const known = before.find((p) => p.businessDay === record.businessDay);
    const days =
      waitsForHq(record) && record.businessDay !== ''
        ? [...others, known ?? { businessDay: record.businessDay, deferredAt: record.closedAt }]
            .sort((a, b) => a.businessDay.localeCompare(b.businessDay))
            .slice(-62)
        : others;
    if (days.length === before.length && (known !== undefined) === waitsForHq(record)) return;
    this.pending$.next(days);
    if (!this.options.ledgerDb.closed)
      await this.options.ledgerDb.upsertLocal<StoredPending>(LOCAL_PENDING_CLOSES, { days });
  }

  private async keep(record: CloseRecord): Promise<void> {
    const others = this.closes$.value.filter(
      (c) => c.businessDay !== record.businessDay || (record.status === 'failed' && c.status !== 'failed'),
    );
    // A failed attempt does not hide an earlier real result for the day: both are kept, newest first.
    const records = [record, ...others].sort((a, b) => b.closedAt - a.closedAt).slice(0, KEEP_CLOSES);
    this.closes$.next(records);
    if (!this.options.ledgerDb.closed)
      await this.options.ledgerDb.upsertLocal<StoredCloses>(LOCAL_CLOSES, { records });
  }
}

// HQ's nightly jobs (docs/architecture.md section 6), made of HQ events so that they replicate like any other change:
//   1. points expiry      dueExpiry()          → `points-expired`
//   2. tier evaluation    evaluateTier()       → `tier-changed` (downgrades, and upgrades a program change made)
//   3. birthday bonuses   birthMonth = month   → `bonus-awarded` kind `birthday`, once per member per year
//   4. allowance recompute                     → the member document's offlineAllowance, rewritten in place
// Events go through appendHqEvents (HQ's own chain, the same ingest path as terminal pushes), a page of
// members at a time, so a million members never sit in memory and each page is one transaction.
//
// Each job runs once per business day (the program's local date): it claims its job_runs row
// (UNIQUE(job, business_day)) before it starts and records a summary when done. A second run the same day
// skips it; a run that died holds its claim for an hour, then another run may take over. The jobs are also
// idempotent by state (expired points are gone, a tier already changed needs no event, a birthday bonus
// already given this year is found in the events), so a take-over never doubles anything.
import type { Clock } from '../../src-shared/kernel/clock.js';
import { HOUR_MS } from '../../src-shared/kernel/clock.js';
import { localTime } from '../../src-shared/kernel/zoned-time.js';
import { offlineAllowance } from '../../src-shared/engine/allowance.js';
import { dueExpiry } from '../../src-shared/engine/expiry.js';
import { evaluateTier, qualifyingTotal } from '../../src-shared/engine/tiers.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';
import type { PushResult } from '../../src-shared/sync/wire.js';
import type { Db } from '../db/database.js';
import { takeChangeSeqs } from '../store/changes.js';
import { appendHqEvents, type HqEventDraft } from '../store/hq-events.js';
import { lockMemberIds } from '../store/member-locks.js';
import { currentProgram } from '../store/programs.js';

export const NIGHTLY_JOBS = [
  'points-expiry',
  'tier-evaluation',
  'birthday-bonus',
  'allowance-recompute',
] as const;
export type NightlyJob = (typeof NIGHTLY_JOBS)[number];

export interface JobResult {
  job: NightlyJob;
  status: 'done' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  /** Members looked at. */
  members: number;
  /** HQ events appended (or, for the allowance, member documents rewritten). */
  changes: number;
  /** Points expired or awarded. */
  points: number;
  /** Events HQ stored but flagged for review (should stay 0). */
  flagged: number;
}

export interface NightlyReport {
  businessDay: string;
  program: { id: string; version: number } | null;
  results: JobResult[];
}

export interface NightlyOptions {
  /** `YYYY-MM-DD`, the program's local date; default: today there. A future day is refused. */
  businessDay?: string;
  /** Members per page and transaction (default 500). */
  batchSize?: number;
  /** Which jobs (default all, in the order above). */
  jobs?: readonly NightlyJob[];
  /** How long a claim of a run that never finished blocks others (default 1 hour). */
  claimLeaseMs?: number;
}

type ScannedMember = { id: string; doc: Member; member_seq: number };

const iso = (ms: number): string => new Date(ms).toISOString();
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Runs the nightly jobs for a business day; never throws for one job's failure (it is in the report). */
export async function runNightlyJobs(
  db: Db,
  clock: Clock,
  options: NightlyOptions = {},
): Promise<NightlyReport> {
  const jobs = options.jobs ?? NIGHTLY_JOBS;
  const program = await currentProgram(db);
  const now = clock.now();
  const today = localTime(now, program?.timeZone ?? 'UTC').date;
  const businessDay = options.businessDay ?? today;
  if (!DAY.test(businessDay) || Number.isNaN(Date.parse(`${businessDay}T00:00:00Z`)))
    throw new RangeError(`business day ${JSON.stringify(businessDay)} is not a date YYYY-MM-DD`);
  if (businessDay > today)
    throw new RangeError(`business day ${businessDay} is in the future (today is ${today})`);
  const empty = (job: NightlyJob, status: JobResult['status'], reason: string): JobResult => ({
    job,
    status,
    reason,
    members: 0,
    changes: 0,
    points: 0,
    flagged: 0,
  });
  if (!program) {
    return {
      businessDay,
      program: null,
      results: jobs.map((j) => empty(j, 'skipped', 'no program is published')),
    };
  }
  const context: JobContext = {
    db,
    clock,
    program,
    at: now,
    businessDay,
    batchSize: options.batchSize ?? 500,
  };
  const results: JobResult[] = [];
  for (const job of jobs) {
    const claim = await claimRun(db, job, businessDay, now, options.claimLeaseMs ?? HOUR_MS);
    if (!claim.claimed) {
      results.push(empty(job, 'skipped', claim.reason));
      continue;
    }
    try {
      const result = await RUNNERS[job](context);
      await db.query(
        'UPDATE job_runs SET summary = $3::jsonb, ran_at = $4 WHERE job = $1 AND business_day = $2::date',
        [
          job,
          businessDay,
          JSON.stringify({ state: 'done', ...result, programVersion: program.version }),
          iso(clock.now()),
        ],
      );
      results.push({ job, status: 'done', ...result });
    } catch (error) {
      // Give the claim back, so the next run (or `jobs run`) tries again.
      await db
        .query('DELETE FROM job_runs WHERE job = $1 AND business_day = $2::date', [job, businessDay])
        .catch(() => undefined);
      results.push(empty(job, 'failed', (error as Error).message));
    }
  }
  return { businessDay, program: { id: program.id, version: program.version }, results };
}

async function claimRun(
  db: Db,
  job: NightlyJob,
  businessDay: string,
  now: number,
  leaseMs: number,
): Promise<{ claimed: true } | { claimed: false; reason: string }> {
  const { rows } = await db.query(
    `INSERT INTO job_runs (job, business_day, summary, ran_at) VALUES ($1, $2::date, $3::jsonb, $4)
     ON CONFLICT (job, business_day) DO UPDATE SET summary = excluded.summary, ran_at = excluded.ran_at
     WHERE job_runs.summary->>'state' = 'running' AND job_runs.ran_at < $5
     RETURNING id`,
    [job, businessDay, JSON.stringify({ state: 'running' }), iso(now), iso(now - leaseMs)],
  );
  if (rows.length > 0) return { claimed: true };
  const existing = await db.query<{ state: string | null; ran_at: string }>(
    "SELECT summary->>'state' AS state, ran_at FROM job_runs WHERE job = $1 AND business_day = $2::date",
    [job, businessDay],
  );
  const row = existing.rows[0];
  return {
    claimed: false,
    reason:
      row?.state === 'running'
        ? `another run started it at ${row.ran_at} and has not finished`
        : `already ran for ${businessDay}${row ? ` (at ${row.ran_at})` : ''}`,
  };
}

interface JobContext {
  db: Db;
  clock: Clock;
  program: Program;
  /** The instant the rules are evaluated at. */
  at: number;
  businessDay: string;
  batchSize: number;
}

type Counts = Omit<JobResult, 'job' | 'status' | 'reason'>;

/** Every member who is not deleted, a page at a time in id order (keyset pagination). */
async function* memberPages(
  ctx: JobContext,
  where = 'TRUE',
  params: unknown[] = [],
): AsyncGenerator<ScannedMember[]> {
  let after = '';
  for (;;) {
    const { rows } = await ctx.db.query<ScannedMember>(
      `SELECT id, doc, member_seq FROM members
       WHERE NOT deleted AND id > $1 AND (${where}) ORDER BY id LIMIT $2`,
      [after, ctx.batchSize, ...params],
    );
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < ctx.batchSize) return;
  }
}

async function append(ctx: JobContext, drafts: HqEventDraft[], counts: Counts): Promise<void> {
  if (drafts.length === 0) return;
  const results: PushResult[] = await appendHqEvents(ctx.db, drafts, ctx.clock);
  for (const r of results) {
    if (r.outcome !== 'conflict') counts.changes += 1;
    if (r.status !== 'posted') counts.flagged += 1;
  }
}

const zero = (): Counts => ({ members: 0, changes: 0, points: 0, flagged: 0 });

async function expirePoints(ctx: JobContext): Promise<Counts> {
  const counts = zero();
  if (ctx.program.expiry.mode === 'none') return counts;
  for await (const page of memberPages(ctx, 'balance > 0')) {
    counts.members += page.length;
    const drafts: HqEventDraft[] = [];
    for (const m of page) {
      const due = dueExpiry(m.doc, ctx.program, ctx.at);
      if (!due) continue;
      counts.points += due.points;
      drafts.push({
        type: 'points-expired',
        memberId: m.id,
        payload: { points: due.points, reason: due.reason, batches: due.batches },
      });
    }
    await append(ctx, drafts, counts);
  }
  return counts;
}

async function evaluateTiers(ctx: JobContext): Promise<Counts> {
  const counts = zero();
  // Without tiers only members still holding one (the program dropped tiers) need an event.
  const where = ctx.program.tiers ? 'TRUE' : 'tier IS NOT NULL';
  for await (const page of memberPages(ctx, where)) {
    counts.members += page.length;
    const drafts: HqEventDraft[] = [];
    for (const m of page) {
      const to = evaluateTier(m.doc, ctx.program, ctx.at);
      if (to === m.doc.tier) continue;
      drafts.push({
        type: 'tier-changed',
        memberId: m.id,
        payload: { from: m.doc.tier, to, qualifying: qualifyingTotal(m.doc, ctx.program, ctx.at) },
      });
    }
    await append(ctx, drafts, counts);
  }
  return counts;
}

async function birthdayBonuses(ctx: JobContext): Promise<Counts> {
  const counts = zero();
  const points = ctx.program.bonuses.birthday;
  if (points <= 0) return counts;
  const year = ctx.businessDay.slice(0, 4);
  const month = Number(ctx.businessDay.slice(5, 7));
  // Wide enough for any zone offset; the local year decides below.
  const since = iso(Date.parse(`${year}-01-01T00:00:00Z`) - 2 * 86_400_000);
  for await (const page of memberPages(ctx, "status = 'active' AND doc->'birthMonth' = to_jsonb($3::int)", [
    month,
  ])) {
    counts.members += page.length;
    const { rows } = await ctx.db.query<{ member_id: string; occurred_at: string }>(
      `SELECT member_id, occurred_at FROM events
       WHERE member_id = ANY($1::text[]) AND type = 'bonus-awarded' AND status <> 'quarantined'
         AND body->'payload'->>'kind' = 'birthday' AND occurred_at >= $2`,
      [page.map((m) => m.id), since],
    );
    const given = new Set(
      rows
        .filter((r) => localTime(Date.parse(r.occurred_at), ctx.program.timeZone).date.startsWith(year))
        .map((r) => r.member_id),
    );
    const drafts: HqEventDraft[] = page
      .filter((m) => !given.has(m.id))
      .map((m) => ({
        type: 'bonus-awarded',
        memberId: m.id,
        payload: { kind: 'birthday', points, actionId: null, note: `Happy birthday ${year}` },
      }));
    counts.points += drafts.length * points;
    await append(ctx, drafts, counts);
  }
  return counts;
}

/**
 * applyEvent recomputes a member's offline allowance on every event, so it goes stale only when the
 * program's offline policy changes and the member has no event since. The allowance is derived data, not
 * a ledger fact, so no event records it: the job rewrites it in the member document with a new change
 * number (terminals pull it), only where no event landed since the page was read (member_seq unchanged).
 */
async function recomputeAllowances(ctx: JobContext): Promise<Counts> {
  const counts = zero();
  for await (const page of memberPages(ctx)) {
    counts.members += page.length;
    const stale = page
      .map((m) => ({ m, allowance: offlineAllowance(m.doc, ctx.program) }))
      .filter(({ m, allowance }) => allowance !== m.doc.offlineAllowance);
    if (stale.length === 0) continue;
    counts.changes += await ctx.db.transaction(async (tx) => {
      await lockMemberIds(
        tx,
        stale.map((s) => s.m.id),
      );
      const { rows } = await tx.query<{ id: string; member_seq: number }>(
        'SELECT id, member_seq FROM members WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
        [stale.map((s) => s.m.id)],
      );
      const seqNow = new Map(rows.map((r) => [r.id, r.member_seq]));
      const still = stale.filter((s) => seqNow.get(s.m.id) === s.m.member_seq);
      if (still.length === 0) return 0;
      const seqs = await takeChangeSeqs(tx, 'members', still.length);
      await tx.query(
        `UPDATE members m SET doc = jsonb_set(m.doc, '{offlineAllowance}', to_jsonb(u.allowance)),
                change_seq = u.seq, updated_at = $4
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(id, allowance, seq)
         WHERE m.id = u.id`,
        [still.map((s) => s.m.id), still.map((s) => s.allowance), seqs, iso(ctx.clock.now())],
      );
      return still.length;
    });
  }
  return counts;
}

const RUNNERS: Record<NightlyJob, (ctx: JobContext) => Promise<Counts>> = {
  'points-expiry': expirePoints,
  'tier-evaluation': evaluateTiers,
  'birthday-bonus': birthdayBonuses,
  'allowance-recompute': recomputeAllowances,
};

// Nightly jobs benchmark (issue 15): the four nightly jobs (src-hq/jobs/nightly.ts) over 1,000,000 members on
// real PostgreSQL, their wall time and this process's peak memory (it is the HQ process: the jobs run in it
// against the database), beside a floor in the same run: reading every member once in the jobs' own pages
// (keyset, 500 a page) with nothing done to them.
//
// The members are three real member documents (projected by HQ's own ingest from a few events) copied in
// SQL under a million ids: one in ten has a year-old earn that expires and a gold tier that falls
// (points-expiry, tier-evaluation), one in twelve has a March birthday (birthday-bonus), the rest need
// nothing; every one is read by every job, and allowance-recompute reads them all and changes none.
//
// BENCH_MEMBERS scales it down (default 1,000,000). Each run works in a fresh schema, dropped at the end.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runNightlyJobs } from '../src-hq/jobs/nightly.js';
import { pushEvents } from '../src-hq/store/ingest.js';
import { publishProgram } from '../src-hq/store/programs.js';
import { createStore } from '../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../src-hq/store/terminals.js';
import { ManualClock } from '../src-shared/kernel/clock.js';
import { postgresDatabase } from '../test/support/databases.js';
import { eventFactory, testProgram } from '../test/support/events.js';
import { requirePostgres, writeResult } from './support.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1_000_000);
const PAGE = 500;
const program = testProgram({
  bonuses: { welcome: 0, birthday: 50 },
  expiry: { mode: 'rolling', months: 12 },
  tiers: {
    basis: 'points',
    windowMonths: 3,
    levels: [
      { id: 'member', label: 'Member', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 500 },
    ],
  },
});

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** The process's peak resident memory since it started (Linux), in bytes. */
function vmHwm(): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : null;
}

/** Samples the resident memory every 20 ms while `fn` runs; its result, wall time and peak. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, ms: performance.now() - t0, peakRss: peak };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  await requirePostgres('nightly');
  const t = await postgresDatabase({ max: 4 });
  const db = t.db;
  try {
    const g0 = performance.now();
    // The three template members, through ingest.
    const clock = new ManualClock(Date.parse('2025-01-05T02:00:00Z'));
    await publishProgram(db, program);
    await createStore(db, { id: 's-1', name: 'One', timeZone: 'Europe/Paris' });
    const { code } = await createEnrollmentCode(db, 's-1', clock);
    const { terminalId } = await enrollTerminal(db, code, 'till', clock);
    const f = eventFactory({ terminalId, storeId: 's-1' });
    f.enrolled('tpl-expire', { birthMonth: 7 }, '2025-01-05T10:00:00Z');
    f.earned('tpl-expire', 600, '2025-01-10T10:00:00Z');
    f.enrolled('tpl-birthday', { birthMonth: 3 }, '2025-01-05T10:00:00Z');
    f.earned('tpl-birthday', 40, '2026-02-20T10:00:00Z');
    f.enrolled('tpl-quiet', { birthMonth: 7 }, '2025-01-05T10:00:00Z');
    f.earned('tpl-quiet', 40, '2026-02-20T10:00:00Z');
    await pushEvents(db, { id: terminalId, storeId: 's-1' }, f.events, clock);
    // A million copies, ids in an order unrelated to their kind.
    await db.query(
      `INSERT INTO members (id, doc, member_seq, balance, debt, tier, status, change_seq)
       SELECT 'b-' || lpad(g::text, 7, '0'), jsonb_set(t.doc, '{id}', to_jsonb('b-' || lpad(g::text, 7, '0'))),
              t.member_seq, t.balance, t.debt, t.tier, t.status, 1000 + g
       FROM generate_series(1, $1::bigint) g
       JOIN members t ON t.id = CASE WHEN g % 10 = 0 THEN 'tpl-expire' WHEN g % 12 = 1 THEN 'tpl-birthday'
                                     ELSE 'tpl-quiet' END`,
      [MEMBERS],
    );
    await db.query("DELETE FROM members WHERE id LIKE 'tpl-%'");
    await db.query('VACUUM ANALYZE members');
    const generateSeconds = seconds(performance.now() - g0);
    console.log(`${MEMBERS} members in ${generateSeconds} s`);

    // The floor: every member read once, in the jobs' pages.
    const floor = await measured(async () => {
      let after = '';
      let read = 0;
      for (;;) {
        const { rows } = await db.query<{ id: string; doc: unknown }>(
          'SELECT id, doc FROM members WHERE NOT deleted AND id > $1 ORDER BY id LIMIT $2',
          [after, PAGE],
        );
        if (rows.length === 0) break;
        read += rows.length;
        after = rows[rows.length - 1]!.id;
      }
      return read;
    });
    console.log(`floor: ${floor.value} members read in ${seconds(floor.ms)} s`);

    const rssBefore = process.memoryUsage().rss;
    const night = new ManualClock(Date.parse('2026-03-05T02:00:00Z'));
    const jobs = await measured(() => runNightlyJobs(db, night, { batchSize: PAGE }));
    for (const r of jobs.value.results) console.log(`  ${r.job}: ${r.status} ${JSON.stringify(r)}`);
    const perJob = await db.query<{ job: string; summary: Record<string, unknown>; ran_at: string }>(
      'SELECT job, summary, ran_at FROM job_runs ORDER BY ran_at',
    );

    const result = {
      members: MEMBERS,
      pageSize: PAGE,
      generateSeconds,
      floorReadEveryMember: { seconds: seconds(floor.ms), members: floor.value },
      nightlyJobs: {
        seconds: seconds(jobs.ms),
        results: jobs.value.results,
        ratioToOneFloorRead: Math.round((jobs.ms / floor.ms) * 10) / 10,
        // Every job reads every member (the birthday job a twelfth of them): four reads at least.
        ratioToFourFloorReads: Math.round((jobs.ms / (4 * floor.ms)) * 10) / 10,
      },
      memoryMiB: {
        rssBeforeJobs: mib(rssBefore),
        peakRssDuringJobs: mib(jobs.peakRss),
        peakRssDuringFloor: mib(floor.peakRss),
        processPeakVmHWM: vmHwm() === null ? null : mib(vmHwm()!),
      },
      jobRuns: perJob.rows.map((r) => ({ job: r.job, state: r.summary.state })),
      loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${writeResult('nightly', result)}`);
  } finally {
    await t.close();
  }
}

await main();

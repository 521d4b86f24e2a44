// Migration 0018 (events partitioned by month) on an HQ that already holds events: an HQ is migrated up to
// the migration before it, given events across several months (applied and refused voids among them), then
// migrated. The rows must be the same, the months partitioned, the day close and the daily report must read
// only their days' partitions, uniqueness must hold across partitions (the key tables), and the partition
// job must make months ahead once and move an early event out of the default partition.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { localTime } from '../../../src-shared/kernel/zoned-time.js';
import { openPglite, openPostgres, type Db } from '../../../src-hq/db/database.js';
import { migrate, migrationFiles, splitStatements } from '../../../src-hq/db/migrate.js';
import {
  ensureEventPartitions,
  ensureMonthPartitions,
  schedulePartitions,
} from '../../../src-hq/jobs/partitions.js';
import type { Timer } from '../../../src-hq/jobs/schedule.js';
import { DAILY_FLOWS_SQL, dailyFlows, daysOf } from '../../../src-hq/reports/reports.js';
import { CLOSE_EVENTS_SQL } from '../../../src-hq/store/closes.js';
import { POSTGRES_HINT } from '../../support/databases.js';

const PARTITIONING = '0018_events_partitioned';

/** A database with no migrations yet (PGlite in memory, or a fresh PostgreSQL schema). */
async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<{ db: Db; close(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    return { db, close: () => db.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error(POSTGRES_HINT);
  const schema = `t_part_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPostgres(scoped.toString(), { max: 4 });
  return {
    db,
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
      await dropper.end();
    },
  };
}

/** Applies the migrations before 0018, from a folder holding only those. */
async function migrateBeforePartitioning(db: Db): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hq-migrations-'));
  try {
    for (const m of migrationFiles()) {
      if (m.version < PARTITIONING) copyFileSync(m.path, join(dir, `${m.version}.sql`));
    }
    await migrate(db, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface EventRow {
  id: string;
  terminal: string;
  seq: number;
  at: string;
  type?: string;
  voids?: string | null;
  applied?: boolean;
  points?: number;
}

async function insertEvents(db: Db, rows: readonly EventRow[]): Promise<void> {
  await db.query(
    `INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month,
       program_version, prev_hash, hash, body, status, points_delta, change_seq, applied, voids)
     SELECT x.id, x.terminal, x.seq, 'store-1', 'member-' || (x.seq % 7), x.type, x.at,
       date_trunc('month', x.at AT TIME ZONE 'UTC')::date, 1, 'prev', 'hash-' || x.id,
       jsonb_build_object('id', x.id, 'type', x.type, 'occurredAt', x.at,
         'payload', jsonb_build_object('basket', jsonb_build_object('total', 100 * x.seq))),
       'posted', x.points, x.seq, x.applied, x.voids
     FROM jsonb_to_recordset($1::jsonb)
       AS x(id uuid, terminal text, seq bigint, at timestamptz, type text, points bigint, applied boolean, voids text)`,
    [
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          terminal: r.terminal,
          seq: r.seq,
          at: r.at,
          type: r.type ?? 'points-earned',
          points: r.points ?? 10,
          applied: r.applied ?? true,
          voids: r.voids ?? null,
        })),
      ),
    ],
  );
}

/**
 * Two terminals, four events a day on six days of August to November 2026 (ids 1-48), a void of event 1
 * (id 49) and a refused second void of it (id 50, not applied).
 */
function history(): EventRow[] {
  const rows: EventRow[] = [];
  let n = 0;
  for (const terminal of ['till-a', 'till-b']) {
    let seq = 0;
    for (const day of ['2026-08-30', '2026-09-14', '2026-10-01', '2026-10-15', '2026-10-31', '2026-11-19']) {
      for (const hour of ['00:30', '09:15', '13:40', '23:30']) {
        rows.push({ id: uuid(++n), terminal, seq: ++seq, at: `${day}T${hour}:00Z` });
      }
    }
  }
  rows.push({
    id: uuid(49),
    terminal: 'till-a',
    seq: 100,
    at: '2026-10-16T10:00:00Z',
    type: 'event-voided',
    voids: uuid(1),
  });
  rows.push({
    id: uuid(50),
    terminal: 'till-a',
    seq: 101,
    at: '2026-10-16T10:05:00Z',
    type: 'event-voided',
    voids: uuid(1),
    applied: false,
  });
  return rows;
}

/** Every event as JSON, in id order: the same rows before and after, generated columns included. */
async function snapshot(db: Db): Promise<{ count: number; digest: string }> {
  const { rows } = await db.query<{ count: number; digest: string }>(
    `SELECT count(*)::bigint AS count, md5(string_agg(to_jsonb(e)::text, ',' ORDER BY id)) AS digest FROM events e`,
  );
  return rows[0]!;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

async function plan(db: Db, sql: string, params: unknown[], indexOnly = false): Promise<PlanNode> {
  return db.transaction(async (tx) => {
    // Few rows here: without this the planner may prefer a sequential scan of a small partition. The
    // question is which partitions are read and whether the index answers the query.
    if (indexOnly) await tx.query('SET LOCAL enable_seqscan = off');
    const { rows } = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) ${sql}`,
      params,
    );
    return rows[0]!['QUERY PLAN'][0].Plan;
  });
}

/** The plan of `sql` as it ran (EXPLAIN ANALYZE: the statements explained only read). */
async function analyzed(db: Db, sql: string, params: unknown[]): Promise<PlanNode> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
    params,
  );
  return rows[0]!['QUERY PLAN'][0].Plan;
}

/** The relations the plan read (scans executed at least once). */
const executed = (node: PlanNode): string[] =>
  [
    ...new Set(
      nodes(node).flatMap((n) =>
        n['Relation Name'] && (n['Actual Loops'] ?? 0) > 0 ? [n['Relation Name']] : [],
      ),
    ),
  ].sort();

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}
const relations = (node: PlanNode): string[] =>
  [...new Set(nodes(node).flatMap((n) => (n['Relation Name'] ? [n['Relation Name']] : [])))].sort();

const partitionOf = async (db: Db, id: string): Promise<string> =>
  (
    await db.query<{ partition: string }>(
      'SELECT tableoid::regclass::text AS partition FROM events WHERE id = $1',
      [id],
    )
  ).rows[0]!.partition;

async function uniqueViolation(run: Promise<unknown>): Promise<string> {
  const error = (await run.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; constraint?: string } | null;
  expect(error).not.toBeNull();
  expect(error?.code).toBe('23505');
  return error?.constraint ?? '';
}

describe('splitStatements', () => {
  it('keeps a dollar-quoted body whole and a lone dollar in a pattern is no quote', () => {
    const sql = [
      "ALTER TABLE s ADD CHECK (c ~ '^[A-Z]{2}$');",
      '-- a comment; with a semicolon',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$',
      'BEGIN',
      '  INSERT INTO k VALUES (1);',
      '  RETURN NULL;',
      'END',
      '$$;',
      'DO $body$ BEGIN PERFORM 1; END $body$;',
      'SELECT 1',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      "ALTER TABLE s ADD CHECK (c ~ '^[A-Z]{2}$')",
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO k VALUES (1);\n  RETURN NULL;\nEND\n$$',
      'DO $body$ BEGIN PERFORM 1; END $body$',
      'SELECT 1',
    ]);
  });
});

describe.each(['pglite', 'postgres'] as const)('events partitioned by month on %s', (kind) => {
  let database: { db: Db; close(): Promise<void> };
  let db: Db;
  let before: { count: number; digest: string };

  beforeAll(async () => {
    database = await emptyDatabase(kind);
    db = database.db;
    await migrateBeforePartitioning(db);
    await insertEvents(db, history());
    before = await snapshot(db);
    const applied = await migrate(db);
    expect(applied).toContain(PARTITIONING);
  }, 60_000);
  afterAll(async () => database?.close());

  it('keeps every row, and events is partitioned by month with a default partition', async () => {
    expect(before.count).toBe(50);
    expect(await snapshot(db)).toEqual(before);
    const { rows } = await db.query<{ partition: string; bound: string }>(
      `SELECT c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'events'::regclass ORDER BY c.relname`,
    );
    const names = rows.map((r) => r.partition);
    for (const month of ['2026_08', '2026_09', '2026_10', '2026_11'])
      expect(names).toContain(`events_${month}`);
    expect(rows.find((r) => r.partition === 'events_default')?.bound).toBe('DEFAULT');
    // Each row in its month, none left in the default partition.
    const placed = await db.query<{ partition: string; n: number }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::bigint AS n FROM events GROUP BY 1 ORDER BY 1`,
    );
    expect(placed.rows).toEqual([
      { partition: 'events_2026_08', n: 8 },
      { partition: 'events_2026_09', n: 8 },
      { partition: 'events_2026_10', n: 26 },
      { partition: 'events_2026_11', n: 8 },
    ]);
    // The key tables hold every event and the one applied void.
    const keys = await db.query<{ keys: number; voids: number }>(
      'SELECT (SELECT count(*) FROM event_keys)::bigint AS keys, (SELECT count(*) FROM event_voids)::bigint AS voids',
    );
    expect(keys.rows[0]).toEqual({ keys: 50, voids: 1 });
  });

  it("reads only the day's partition for the day close, through the (terminal, occurred_at) index", async () => {
    const params = ['till-a', '2026-10-15', 'Europe/Dublin'];
    expect(relations(await plan(db, CLOSE_EVENTS_SQL, params))).toEqual(['events_2026_10']);
    const indexed = await plan(db, CLOSE_EVENTS_SQL, params, true);
    expect(nodes(indexed).map((n) => n['Index Name'] ?? '')).toContainEqual(
      expect.stringMatching(/terminal_id_occurred_at/),
    );
    // A local day across a UTC month's edge (1 November in Auckland begins on 31 October at 11:00 UTC)
    // reads both months, and nothing else.
    const edge = await plan(db, CLOSE_EVENTS_SQL, ['till-a', '2026-11-01', 'Pacific/Auckland']);
    expect(relations(edge)).toEqual(['events_2026_10', 'events_2026_11']);
  });

  it("reads only the range's partitions for the daily report, one day at a time", async () => {
    // Each day's range is known only per day (a lateral scan): its partitions are chosen as it runs, so
    // the plan is read after running it (the partitions of the other months are never executed).
    const day = await analyzed(db, DAILY_FLOWS_SQL, [
      'Europe/Dublin',
      daysOf({ from: '2026-10-15', to: '2026-10-15' }),
    ]);
    expect(executed(day)).toEqual(['events_2026_10']);
    // October in Dublin begins on 30 September at 23:00 UTC.
    const month = await analyzed(db, DAILY_FLOWS_SQL, [
      'Europe/Dublin',
      daysOf({ from: '2026-10-01', to: '2026-10-31' }),
    ]);
    expect(executed(month)).toEqual(['events_2026_09', 'events_2026_10']);
    const flows = await dailyFlows(db, 'Europe/Dublin', { from: '2026-10-01', to: '2026-10-31' });
    // The same days and counts as the events' local dates in Dublin, counted here.
    const expected = new Map<string, number>();
    for (const e of history()) {
      const local = localTime(Date.parse(e.at), 'Europe/Dublin').date;
      if (local.startsWith('2026-10')) expected.set(local, (expected.get(local) ?? 0) + 1);
    }
    expect(flows.map((f) => [f.day, f.events])).toEqual([...expected].sort());
  });

  it('still refuses a duplicate id, terminal sequence or applied void, across months', async () => {
    // The same id in another month than its first copy.
    expect(
      await uniqueViolation(
        insertEvents(db, [{ id: uuid(1), terminal: 'till-c', seq: 1, at: '2026-11-02T10:00:00Z' }]),
      ),
    ).toBe('events_pkey');
    // till-a's seq 1 is in August; again in November.
    expect(
      await uniqueViolation(
        insertEvents(db, [{ id: uuid(900), terminal: 'till-a', seq: 1, at: '2026-11-02T10:00:00Z' }]),
      ),
    ).toBe('events_terminal_id_terminal_seq_key');
    expect(
      await uniqueViolation(
        insertEvents(db, [
          {
            id: uuid(901),
            terminal: 'till-c',
            seq: 2,
            at: '2026-09-02T10:00:00Z',
            type: 'event-voided',
            voids: uuid(1),
          },
        ]),
      ),
    ).toBe('events_one_void');
    // Applying the refused second void would make two.
    expect(
      await uniqueViolation(db.query('UPDATE events SET applied = true WHERE id = $1', [uuid(50)])),
    ).toBe('events_one_void');
    // Nothing of the refused statements stayed.
    expect(await snapshot(db)).toEqual(before);
  });

  it('follows a void taken back and applied again, and never lets a key change', async () => {
    await db.query('UPDATE events SET applied = false WHERE id = $1', [uuid(49)]);
    await db.query('UPDATE events SET applied = true WHERE id = $1', [uuid(50)]);
    const voids = await db.query<{ event_id: string }>('SELECT event_id FROM event_voids');
    expect(voids.rows).toEqual([{ event_id: uuid(50) }]);
    await db.query('UPDATE events SET applied = false WHERE id = $1', [uuid(50)]);
    await db.query('UPDATE events SET applied = true WHERE id = $1', [uuid(49)]);
    await expect(db.query('UPDATE events SET terminal_seq = 999 WHERE id = $1', [uuid(2)])).rejects.toThrow(
      /never change/,
    );
    expect(await snapshot(db)).toEqual(before);
  });

  it('makes the months ahead once, and an event of a far month lands in the default partition', async () => {
    const clock = new ManualClock(Date.parse('2027-06-10T12:00:00Z'));
    expect(await ensureEventPartitions(db, clock, { monthsAhead: 2 })).toEqual([
      '2027-06',
      '2027-07',
      '2027-08',
    ]);
    expect(await ensureEventPartitions(db, clock, { monthsAhead: 2 })).toEqual([]);

    const far = { id: uuid(1000), terminal: 'till-c', seq: 10, at: '2031-05-03T08:00:00Z' };
    await insertEvents(db, [far]);
    expect(await partitionOf(db, far.id)).toBe('events_default');
    // Its month's partition made later takes it out of the default partition; its keys still hold.
    expect(await ensureMonthPartitions(db, ['2031-05-01'])).toEqual(['2031-05']);
    expect(await partitionOf(db, far.id)).toBe('events_2031_05');
    expect(await uniqueViolation(insertEvents(db, [{ ...far, at: '2027-06-11T08:00:00Z' }]))).toBe(
      'events_pkey',
    );
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM events_default');
    expect(rows[0]!.n).toBe(0);
  });

  it('runs the job at start and again every period until stopped', async () => {
    const armed: { fn: () => void; ms: number; cleared: boolean }[] = [];
    let rearmed: () => void = () => undefined;
    const secondArming = new Promise<void>((resolve) => (rearmed = resolve));
    const timer: Timer = {
      setTimeout: (fn, ms) => {
        const handle = { fn, ms, cleared: false };
        armed.push(handle);
        if (armed.length === 2) rearmed();
        return handle;
      },
      clearTimeout: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
    };
    const runs: string[][] = [];
    const errors: unknown[] = [];
    const clock = new ManualClock(Date.parse('2029-01-15T12:00:00Z'));
    const stop = schedulePartitions(db, clock, {
      timer,
      everyMs: 3_600_000,
      monthsAhead: 1,
      onCreated: (months) => runs.push(months),
      onError: (error) => errors.push(error),
    });
    // The first run is due at once; the next is armed when it is done.
    expect(armed.map((a) => a.ms)).toEqual([0]);
    armed[0]!.fn();
    await secondArming;
    expect(errors).toEqual([]);
    expect(runs).toEqual([['2029-01', '2029-02']]);
    expect(armed[1]!.ms).toBe(3_600_000);
    stop();
    expect(armed[1]!.cleared).toBe(true);
  });

  it('makes each month once when two HQ processes run the job together (PGlite: one after the other)', async () => {
    const months = ['2028-01-01', '2028-02-01', '2028-03-01', '2028-04-01'];
    const [one, two] = await Promise.all([
      ensureMonthPartitions(db, months),
      ensureMonthPartitions(db, months),
    ]);
    expect([...one, ...two].sort()).toEqual(['2028-01', '2028-02', '2028-03', '2028-04']);
  });
});

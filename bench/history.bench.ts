// History benchmark (issue 15): the day close and the daily report at 10,000,000 events on real PostgreSQL,
// with events partitioned by month (migration 0018). 400 terminals at 200 stores, a year of events in time
// order (each terminal's sequence numbers rise with its time), generated in SQL by generate_series, in
// chunks of a million rows through the key triggers as ingest would. Each measured query beside its floor
// in the same run:
//   day close       hqCloseFigures (the function the handler calls: SQL, then the figures in JS) for a
//                   terminal's day, beside `SELECT count(*) … WHERE terminal_id AND occurred_at range` on the
//                   (terminal_id, occurred_at) index
//   daily report    dailyFlows for one day and for 30 days, beside `SELECT count(*) … WHERE occurred_at range`
//                   over the same local days on the covering occurred_at index
//   key upkeep      a 500-event INSERT with the key triggers beside the same INSERT with them disabled (both
//                   rolled back): what global uniqueness across partitions costs a batch
//   demo seed       the demo seed's peak memory (VmHWM of a child process) for BENCH_SEED_MEMBERS members
//                   (default 5,000) in chunks of 1,000 beside the same seed in one chunk (what it did before
//                   it was chunked: every member's history in memory), each in a fresh schema
//
// BENCH_EVENTS scales it down (default 10,000,000). The loaded database is kept in schema
// bench_history_<events> and reused by the next run when it is complete (delete it with
// `DROP SCHEMA bench_history_10000000 CASCADE`); BENCH_FRESH=1 rebuilds it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPostgres, type Db } from '../src-hq/db/database.js';
import { migrate, migrationFiles } from '../src-hq/db/migrate.js';
import { ensureMonthPartitions } from '../src-hq/jobs/partitions.js';
import { dailyFlows } from '../src-hq/reports/reports.js';
import { seedDemo } from '../src-hq/seed/demo.js';
import { hqCloseFigures } from '../src-hq/store/closes.js';
import { systemClock } from '../src-shared/kernel/clock.js';
import { postgresDatabase } from '../test/support/databases.js';
import { requirePostgres, timeRuns, writeResult, type Timing } from './support.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const TERMINALS = 400;
const DAYS = 365;
const CHUNK = 1_000_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const ZONE = 'Europe/Dublin';
/** The year ends on the last day of November 2026 (UTC). */
const START_MS = Date.parse('2025-12-01T00:00:00Z');
const SCHEMA = `bench_history_${EVENTS}`;

const round = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: Timing, b: Timing) => Math.round((a.p50 / b.p50) * 100) / 100;

async function schemaUrl(): Promise<string> {
  await requirePostgres('history');
  const url = process.env.TEST_DATABASE_URL!;
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${SCHEMA}`);
  return scoped.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True when the schema holds the whole data set under the current migrations. */
async function loaded(db: Db): Promise<boolean> {
  try {
    const { rows } = await db.query<{ events: number; versions: string[] }>(
      `SELECT (SELECT events FROM bench_loaded) AS events,
              (SELECT array_agg(version ORDER BY version) FROM schema_migrations) AS versions`,
    );
    const versions = migrationFiles().map((m) => m.version);
    return rows[0]?.events === EVENTS && JSON.stringify(rows[0]?.versions) === JSON.stringify(versions);
  } catch {
    return false;
  }
}

// Event g (1-based) is terminal g % 400's event number ceil(g / 400), at a time that rises with g over the
// year. The mix per terminal: enrollments, earns (most), redemptions, a void now and then of the earn just
// before (applied), each body carrying what the day close's figures read.
const chunkSql = (from: number, to: number) => `
INSERT INTO events (id, terminal_id, terminal_seq, store_id, member_id, type, occurred_at, month, recorded_at,
    program_version, prev_hash, hash, body, member_seq, status, points_delta, change_seq, applied, voids)
  SELECT id, terminal_id, seq, store_id, member_id, type, at, date_trunc('month', at AT TIME ZONE 'UTC')::date, at,
    1, repeat('0', 64), hash,
    jsonb_build_object('id', id, 'type', type, 'terminalSeq', seq, 'hash', hash, 'payload',
      CASE type
        WHEN 'member-enrolled' THEN jsonb_build_object('welcomeBonus', 50)
        WHEN 'points-redeemed' THEN jsonb_build_object('rewardId', 'coffee', 'quantity', 1, 'cost', 100)
        WHEN 'event-voided' THEN jsonb_build_object('original', jsonb_build_object('type', 'points-earned',
          'payload', jsonb_build_object('points', 12, 'basket', jsonb_build_object('total', 1200))))
        ELSE jsonb_build_object('points', 12, 'basket', jsonb_build_object('total', 1200))
      END),
    seq, 'posted', CASE type WHEN 'member-enrolled' THEN 50 WHEN 'points-redeemed' THEN -100
      WHEN 'event-voided' THEN -12 ELSE 12 END, g, true,
    CASE WHEN type = 'event-voided' THEN 'void-of-' || (g - ${TERMINALS}) END
  FROM (
    SELECT g, gen_random_uuid() AS id, md5(g::text) || md5((g + 1)::text) AS hash, 't-' || (g % ${TERMINALS}) AS terminal_id, 's-' || (g % ${TERMINALS} / 2) AS store_id,
      (g + ${TERMINALS} - 1) / ${TERMINALS} AS seq, 'm-' || (g * 7919 % 1000003) AS member_id,
      timestamptz '${new Date(START_MS).toISOString()}' + (g::double precision / ${EVENTS} * ${DAYS}) * interval '1 day' AS at,
      CASE WHEN g % 50 = 0 THEN 'member-enrolled' WHEN g % 9 = 0 THEN 'points-redeemed'
           WHEN g % 97 = 0 THEN 'event-voided' ELSE 'points-earned' END AS type
    FROM generate_series(${from}::bigint, ${to}::bigint) g
  ) x`;

async function load(db: Db): Promise<number> {
  const t0 = performance.now();
  await admin(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin(`CREATE SCHEMA ${SCHEMA}`);
  await migrate(db);
  const months = Array.from({ length: 13 }, (_, i) =>
    new Date(Date.UTC(2025, 11 + i, 1)).toISOString().slice(0, 10),
  );
  await ensureMonthPartitions(db, months);
  // A bulk load: the indexes are built after the rows (one sort each instead of 10 million inserts into
  // each), and the key tables filled in one statement with the triggers off, as a restore would.
  const { rows: indexes } = await db.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = current_schema() AND tablename = 'events'`,
  );
  for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
  await db.query('ALTER TABLE events DISABLE TRIGGER events_keys_inserted');
  await db.query(
    'ALTER TABLE event_keys DROP CONSTRAINT events_pkey, DROP CONSTRAINT events_terminal_id_terminal_seq_key',
  );
  for (let from = 1; from <= EVENTS; from += CHUNK) {
    const to = Math.min(EVENTS, from + CHUNK - 1);
    const c0 = performance.now();
    await db.query(chunkSql(from, to));
    console.log(`  events ${from}..${to}: ${round((performance.now() - c0) / 1000)} s`);
  }
  await db.query('ALTER TABLE events ENABLE TRIGGER events_keys_inserted');
  const k0 = performance.now();
  await db.query(
    'INSERT INTO event_keys (id, terminal_id, terminal_seq) SELECT id, terminal_id, terminal_seq FROM events',
  );
  await db.query(
    'INSERT INTO event_voids (voids, event_id) SELECT voids, id FROM events WHERE voids IS NOT NULL AND applied',
  );
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    await tx.query(
      `ALTER TABLE event_keys ADD CONSTRAINT events_pkey PRIMARY KEY (id),
         ADD CONSTRAINT events_terminal_id_terminal_seq_key UNIQUE (terminal_id, terminal_seq)`,
    );
  });
  console.log(`  key tables: ${round((performance.now() - k0) / 1000)} s`);
  for (const index of indexes) {
    const i0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL maintenance_work_mem = '512MB'`);
      // pg_indexes gives a partitioned index as ON ONLY (the parent alone); ON builds every partition's.
      await tx.query(index.definition.replace(' ON ONLY ', ' ON '));
    });
    console.log(`  index ${index.name}: ${round((performance.now() - i0) / 1000)} s`);
  }
  // As autovacuum would: statistics, and the visibility map the report's index-only scans need.
  await db.query('VACUUM ANALYZE events');
  await db.query('VACUUM ANALYZE event_keys');
  await db.query('CREATE TABLE bench_loaded (events bigint NOT NULL)');
  await db.query('INSERT INTO bench_loaded VALUES ($1)', [EVENTS]);
  return round((performance.now() - t0) / 1000);
}

/** A deterministic series of (terminal, day) pairs across the year. */
function pairs(count: number): { terminal: string; day: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    terminal: `t-${(i * 37) % TERMINALS}`,
    day: new Date(START_MS + (5 + ((i * 53) % (DAYS - 10))) * 86_400_000).toISOString().slice(0, 10),
  }));
}

function cycling<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

async function keyUpkeep(db: Db): Promise<{ withKeys: Timing; withoutKeys: Timing }> {
  let n = 0;
  const batch = () => {
    n += 1;
    // 500 new events of one terminal at the year's end, rolled back each time.
    const base = EVENTS + 1_000_000 + n * 1_000;
    return chunkSql(base, base + 499);
  };
  const rolledBack = (disable: boolean) => async () => {
    await db
      .transaction(async (tx) => {
        if (disable) await tx.query('ALTER TABLE events DISABLE TRIGGER events_keys_inserted');
        await tx.query(batch());
        throw new Error('rollback');
      })
      .catch((error: unknown) => {
        if ((error as Error).message !== 'rollback') throw error;
      });
  };
  const withKeys = await timeRuns(rolledBack(false), RUNS, WARMUP);
  const withoutKeys = await timeRuns(rolledBack(true), RUNS, WARMUP);
  return { withKeys, withoutKeys };
}

const SEED_MEMBERS = Number(process.env.BENCH_SEED_MEMBERS ?? 5_000);

/** Child mode: seeds a fresh schema in chunks of `chunk` and prints its time and peak memory. */
async function seedChild(chunk: number): Promise<void> {
  const t = await postgresDatabase();
  try {
    const t0 = performance.now();
    const result = await seedDemo(t.db, systemClock, {
      members: SEED_MEMBERS,
      chunkMembers: chunk,
      pinCost: 1024,
    });
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    const events = result.status === 'seeded' ? result.summary.events : 0;
    console.log(
      JSON.stringify({
        chunk,
        seconds: round((performance.now() - t0) / 1000),
        events,
        peakRssMiB: round(Number(hwm?.[1]) / 1024),
      }),
    );
  } finally {
    await t.close();
  }
}

/** The seed in a child process (its own peak memory), as JSON. */
function seedRun(chunk: number): Record<string, unknown> {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--seed-child', String(chunk)],
    {
      encoding: 'utf8',
      env: process.env,
    },
  );
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`the seed child failed: ${run.stderr}`);
  return JSON.parse(line) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const url = await schemaUrl();
  const db = openPostgres(url, { max: 2 });
  try {
    let loadSeconds: number | null = null;
    if (process.env.BENCH_FRESH === '1' || !(await loaded(db))) {
      console.log(`loading ${EVENTS} events into ${SCHEMA}`);
      loadSeconds = await load(db);
      console.log(`loaded in ${loadSeconds} s`);
    } else {
      console.log(`reusing ${SCHEMA}`);
    }
    const sizes = await db.query<{ partitions: number; events_bytes: string; keys_bytes: string }>(
      `SELECT (SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass)::bigint AS partitions,
              pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits
                              WHERE inhparent = 'events'::regclass)::bigint) AS events_bytes,
              pg_size_pretty(pg_total_relation_size('event_keys')) AS keys_bytes`,
    );

    const close = cycling(pairs(RUNS + WARMUP));
    const dayClose = await timeRuns(
      async () => {
        const { terminal, day } = close();
        await hqCloseFigures(db, terminal, day, ZONE);
      },
      RUNS,
      WARMUP,
    );
    const closeFloorPairs = cycling(pairs(RUNS + WARMUP));
    const dayCloseFloor = await timeRuns(
      async () => {
        const { terminal, day } = closeFloorPairs();
        await db.query(
          `SELECT count(*) FROM events WHERE terminal_id = $1
             AND occurred_at >= ($2::date)::timestamp AT TIME ZONE $3 AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE $3`,
          [terminal, day, ZONE],
        );
      },
      RUNS,
      WARMUP,
    );
    const closeRows = await db.query<{ n: number }>(
      `SELECT count(*)::bigint AS n FROM events WHERE terminal_id = $1 AND occurred_at >= ($2::date)::timestamp AT TIME ZONE $3
         AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE $3`,
      [pairs(1)[0]!.terminal, pairs(1)[0]!.day, ZONE],
    );

    const report = async (days: number) => {
      const ends = cycling(
        pairs(RUNS + WARMUP)
          .map((p) => p.day)
          .filter((d) => d >= '2026-01-05'),
      );
      const range = () => {
        const to = ends();
        const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        return { from, to };
      };
      const measured = await timeRuns(() => dailyFlows(db, ZONE, range()), RUNS, WARMUP);
      // The floor: the same instants dailyFlows reads (the range's local days), counted from the index alone.
      const floor = await timeRuns(
        () => {
          const { from, to } = range();
          return db.query(
            `SELECT count(*) FROM events WHERE occurred_at >= ($1::date)::timestamp AT TIME ZONE $3
               AND occurred_at < ($2::date + 1)::timestamp AT TIME ZONE $3`,
            [from, to, ZONE],
          );
        },
        RUNS,
        WARMUP,
      );
      return { days, dailyFlows: measured, floorCount: floor, ratioP50: ratio(measured, floor) };
    };
    const reportDay = await report(1);
    const reportMonth = await report(30);
    const keys = await keyUpkeep(db);
    const seedChunked = seedRun(1_000);
    const seedWhole = seedRun(SEED_MEMBERS);

    const result = {
      events: EVENTS,
      terminals: TERMINALS,
      days: DAYS,
      partitions: sizes.rows[0]?.partitions,
      eventsSize: sizes.rows[0]?.events_bytes,
      keyTablesSize: sizes.rows[0]?.keys_bytes,
      loadSeconds,
      runs: RUNS,
      dayClose: {
        hqCloseFigures: dayClose,
        floorIndexedCount: dayCloseFloor,
        ratioP50: ratio(dayClose, dayCloseFloor),
        eventsPerTerminalDay: closeRows.rows[0]?.n,
      },
      dailyReport: [reportDay, reportMonth],
      keyUpkeepPerBatchOf500: {
        withKeyTriggers: keys.withKeys,
        withoutKeyTriggers: keys.withoutKeys,
        ratioP50: ratio(keys.withKeys, keys.withoutKeys),
      },
      demoSeed: { members: SEED_MEMBERS, chunked: seedChunked, oneChunk: seedWhole },
      loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${writeResult('history', result)}`);
  } finally {
    await db.close();
  }
}

if (process.argv[2] === '--seed-child') await seedChild(Number(process.argv[3]));
else await main();

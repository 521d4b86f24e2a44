// Member scope benchmark (issue 15): on real PostgreSQL, a simulated chain of 10,000,000 members (BENCH_MEMBERS
// to scale down) over 1,000 stores in 100 regions of 10, generated in SQL (generate_series): each member
// enrolled at a home store with a card, last active there some day in the last three years, and one member in
// four also active at a second store in the last two years. member_scopes is filled as the trigger on events
// would have filled it (no events are generated: the scope reads member_scopes, not events). The chain's
// rules: SUGGESTED_SCOPED_RULES (enrolled in the store's region, or active in it in the last 12 months, or
// fetched by its tills).
//
// Measured, in the same run:
// - a new till's bootstrap of store s-1's scope through the member snapshot (src-hq/store/snapshot.ts, the
//   body GET /v1/snapshot/members streams, before compression): time, documents, documents/s; beside the
//   floor, a plain indexed SELECT of the same member ids (by primary key, in pages of the same size);
// - the online fetch of a member outside the scope (keepMemberByCard: the card's member, the store's entry,
//   a new change number, in one transaction) and the same through HTTP (POST /v1/scope/members with a
//   terminal's token, Fastify inject), p50/p95 over a few hundred cards; beside the floor, a plain indexed
//   lookup by card (findMembers) of other members.
//
// The loaded chain is kept between runs in the schema bench_scope_<members> of TEST_DATABASE_URL's database
// (the first load of 10,000,000 members takes several minutes); BENCH_RELOAD=1 loads it again.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { buildServer } from '../src-hq/api/server.js';
import { openPostgres, type Db } from '../src-hq/db/database.js';
import { migrate } from '../src-hq/db/migrate.js';
import { findMembers } from '../src-hq/store/members.js';
import { keepMemberByCard, memberScopeFilter, setScopeRules, setStoreRegion } from '../src-hq/store/scope.js';
import { resolveSnapshotCheckpoint, snapshotBody } from '../src-hq/store/snapshot.js';
import { createEnrollmentCode, enrollTerminal } from '../src-hq/store/terminals.js';
import { systemClock } from '../src-shared/kernel/clock.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../src-shared/sync/protocol.js';
import { SUGGESTED_SCOPED_RULES } from '../src-shared/sync/scope.js';
import { DEFAULT_POSTGRES_URL, median, percentile, requirePostgres, writeResult } from './support.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000_000);
const STORES = 1_000;
const REGION_SIZE = 10;
const CHUNK = 500_000;
const SNAPSHOT_RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOOKUPS = Number(process.env.BENCH_LOOKUPS ?? 300);
const PAGE = 2_000;
const TILL_STORE = 's-1';

const pad = (i: number) => String(i).padStart(10, '0');
const cardOf = (i: number) => `C${pad(i)}`;
/** The member's home store and second store (the same formulas as the SQL below). */
const homeOf = (i: number) => 1 + ((i * 7919) % STORES);
const secondOf = (i: number) => 1 + ((i * 104_729 + 17) % STORES);
const regionOf = (store: number) => 1 + Math.floor((store - 1) / REGION_SIZE);

/** One chunk of members, their cards and their scope entries, i in [lo, hi]. */
const chunkSql = (lo: number, hi: number) => [
  `INSERT INTO members (id, doc, member_seq, balance, status, change_seq, updated_at)
   SELECT 'm-' || lpad(i::text, 10, '0'),
     jsonb_build_object('id', 'm-' || lpad(i::text, 10, '0'), 'status', 'active', 'displayName', 'Member ' || i,
       'phoneHash', NULL, 'phoneLast4', NULL, 'birthMonth', 1 + i % 12,
       'cards', jsonb_build_array('C' || lpad(i::text, 10, '0')), 'tier', NULL, 'plan', NULL, 'referredBy', NULL,
       'balance', i % 5000, 'debt', 0, 'batches', '[]'::jsonb, 'qualifying', '{}'::jsonb,
       'totals', jsonb_build_object('earned', i % 9000, 'redeemed', i % 4000, 'expired', 0, 'bonus', 0,
         'adjustedIn', 0, 'adjustedOut', 0),
       'purchases', i % 40, 'actions', '{}'::jsonb, 'offlineAllowance', (i % 5000) / 10,
       'enrolledAt', '2024-01-01T09:00:00.000Z', 'lastActivityAt', '2026-01-01T09:00:00.000Z', 'memberSeq', 3,
       'seen', jsonb_build_object('t-1', 3)),
     3, i % 5000, 'active', i, now()
   FROM generate_series(${lo}, ${hi}) i`,
  `INSERT INTO cards (number, member_id)
   SELECT 'C' || lpad(i::text, 10, '0'), 'm-' || lpad(i::text, 10, '0') FROM generate_series(${lo}, ${hi}) i`,
  `INSERT INTO member_scopes (store_id, member_id, enrolled, last_active)
   SELECT 's-' || (1 + (i::bigint * 7919) % ${STORES}), 'm-' || lpad(i::text, 10, '0'), true,
     current_date - ((i::bigint * 2654435761) % 1100)::int
   FROM generate_series(${lo}, ${hi}) i`,
  `INSERT INTO member_scopes (store_id, member_id, enrolled, last_active)
   SELECT 's-' || (1 + (i::bigint * 104729 + 17) % ${STORES}), 'm-' || lpad(i::text, 10, '0'), false,
     current_date - ((i::bigint * 40503) % 730)::int
   FROM generate_series(${lo}, ${hi}) i WHERE i % 4 = 0
   ON CONFLICT (store_id, member_id) DO NOTHING`,
];

async function loadChain(db: Db, url: string): Promise<{ loadedS: number; reused: boolean }> {
  const marker = await db.query<{ found: string | null }>(
    "SELECT to_regclass('bench_scope_loaded')::text AS found",
  );
  const rows = marker.rows[0]?.found
    ? (await db.query<{ n: string }>('SELECT members::text AS n FROM bench_scope_loaded')).rows
    : [];
  if (rows[0]?.n === String(MEMBERS) && !process.env.BENCH_RELOAD) {
    // A chain loaded before 0019's indexes covered the entry columns would measure another plan.
    const { rows: pk } = await db.query<{ def: string }>(
      "SELECT pg_get_indexdef('member_scopes_pkey'::regclass) AS def",
    );
    if (!pk[0]?.def.includes('INCLUDE'))
      throw new Error('the loaded chain predates migration 0019 as committed: run again with BENCH_RELOAD=1');
    return { loadedS: 0, reused: true };
  }
  const started = performance.now();
  await migrate(db);
  await db.exec(`
    TRUNCATE member_scopes, cards, member_profiles, members, cashiers, terminals, enrollment_codes CASCADE;
    DROP TABLE IF EXISTS bench_scope_loaded;`);
  await db.query('DELETE FROM stores');
  await db.query(
    `INSERT INTO stores (id, name, time_zone, region)
     SELECT 's-' || k, 'Store ' || k, 'Europe/Dublin', 'r-' || (1 + (k - 1) / ${REGION_SIZE})
     FROM generate_series(1, ${STORES}) k`,
  );
  // Several connections, one chunk each at a time: the load is CPU-bound on the server's side.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SET synchronous_commit = off');
  // Secondary indexes are built once after the load, not row by row (primary keys stay: they check the data).
  const { rows: secondary } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename IN ('members', 'cards', 'member_scopes')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const index of secondary) await client.query(`DROP INDEX ${index.name}`);
  for (let lo = 1; lo <= MEMBERS; lo += CHUNK) {
    const hi = Math.min(MEMBERS, lo + CHUNK - 1);
    for (const sql of chunkSql(lo, hi)) await client.query(sql);
    console.log(
      `  loaded ${hi.toLocaleString('en')} members (${Math.round((performance.now() - started) / 1000)} s)`,
    );
  }
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const index of secondary) await client.query(index.def);
  // Change numbers above the members' (0017's sequence, when it exists), so new changes follow them.
  await client.query(
    `SELECT setval('change_seq', ${MEMBERS + 1}) WHERE to_regclass('change_seq') IS NOT NULL`,
  );
  await client.query('VACUUM ANALYZE members');
  await client.query('VACUUM ANALYZE cards');
  await client.query('VACUUM ANALYZE member_scopes');
  await client.query(`CREATE TABLE bench_scope_loaded AS SELECT ${MEMBERS}::bigint AS members`);
  await client.end();
  return { loadedS: Math.round((performance.now() - started) / 100) / 10, reused: false };
}

const round = (x: number) => Math.round(x * 10) / 10;
const timing = (samples: number[]) => ({
  p50: round(median(samples)),
  p95: round(percentile(samples, 95)),
  max: round(Math.max(...samples)),
});

async function main(): Promise<void> {
  await requirePostgres('scope');
  const base = process.env.TEST_DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const schema = `bench_scope_${MEMBERS}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();
  const scoped = new URL(base);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const url = scoped.toString();
  const db = openPostgres(url, { max: 4 });
  try {
    console.log(
      `scope bench: ${MEMBERS.toLocaleString('en')} members over ${STORES} stores (schema ${schema})`,
    );
    const load = await loadChain(db, url);
    await migrate(db);
    // An earlier run's fetches on demand are forgotten: the members fetched below must be outside the scope.
    await db.query(
      'DELETE FROM member_scopes WHERE fetched_at IS NOT NULL AND NOT enrolled AND last_active IS NULL',
    );
    await db.query('UPDATE member_scopes SET fetched_at = NULL WHERE fetched_at IS NOT NULL');
    await db.query('VACUUM member_scopes');
    await setScopeRules(db, SUGGESTED_SCOPED_RULES, systemClock);
    await setStoreRegion(db, TILL_STORE, `r-${regionOf(1)}`);
    const counts = await db.query<{ members: string; entries: string }>(
      `SELECT (SELECT reltuples::bigint FROM pg_class WHERE oid = 'members'::regclass)::text AS members,
              (SELECT reltuples::bigint FROM pg_class WHERE oid = 'member_scopes'::regclass)::text AS entries`,
    );

    // Bootstrap: the snapshot's body for store s-1, documents counted as the till would read them.
    const snapshotMs: number[] = [];
    const floorMs: number[] = [];
    let docs = 0;
    let bytes = 0;
    let ids: string[] = [];
    for (let run = 0; run < SNAPSHOT_RUNS; run++) {
      const t0 = performance.now();
      const scope = await memberScopeFilter(db, TILL_STORE, 'bootstrap', systemClock);
      const checkpoint = await resolveSnapshotCheckpoint(db, undefined);
      const seen: string[] = [];
      let size = 0;
      for await (const chunk of snapshotBody(db, checkpoint, { block: 1_000, scope, pageSize: PAGE })) {
        size += chunk.length;
        for (const line of chunk.split('\n')) {
          const id = /^\{"id": "([^"]+)"/.exec(line)?.[1];
          if (id !== undefined) seen.push(id);
        }
      }
      snapshotMs.push(performance.now() - t0);
      docs = seen.length;
      bytes = size;
      ids = seen;
      // The floor: the same members by primary key, in pages of the same size, as text.
      const f0 = performance.now();
      let floorDocs = 0;
      for (let k = 0; k < ids.length; k += PAGE) {
        const { rows } = await db.query<{ line: string }>(
          `SELECT (doc || '{"_deleted": false}'::jsonb)::text AS line FROM members
           WHERE id = ANY($1::text[]) ORDER BY id`,
          [ids.slice(k, k + PAGE)],
        );
        floorDocs += rows.length;
      }
      floorMs.push(performance.now() - f0);
      if (floorDocs !== docs) throw new Error(`the floor read ${floorDocs} members, the snapshot ${docs}`);
      console.log(
        `  snapshot of ${TILL_STORE}: ${docs} docs in ${Math.round(snapshotMs.at(-1)!)} ms; floor ${Math.round(floorMs.at(-1)!)} ms`,
      );
    }
    if (docs === 0 || !ids.every((id) => id.startsWith('m-')))
      throw new Error('the snapshot served no members');

    // Members outside s-1's scope: home and second store outside its region.
    const outside: number[] = [];
    const others: number[] = [];
    for (let i = 7; outside.length < LOOKUPS || others.length < LOOKUPS; i += 7_919) {
      const member = 1 + (i % MEMBERS);
      const away = regionOf(homeOf(member)) !== 1 && (member % 4 !== 0 || regionOf(secondOf(member)) !== 1);
      if (!away) continue;
      if (outside.length <= others.length) outside.push(member);
      else others.push(member);
    }
    const inScope = new Set(ids);
    const clock = systemClock;
    const fetchMs: number[] = [];
    const cardFloorMs: number[] = [];
    for (const [k, member] of outside.entries()) {
      if (inScope.has(`m-${pad(member)}`)) throw new Error(`member ${member} was in the scope`);
      const f0 = performance.now();
      const [plain] = await findMembers(db, { card: cardOf(others[k]!) });
      cardFloorMs.push(performance.now() - f0);
      const t0 = performance.now();
      const kept = await keepMemberByCard(db, TILL_STORE, cardOf(member), clock);
      fetchMs.push(performance.now() - t0);
      if (kept?.id !== `m-${pad(member)}` || plain === undefined) throw new Error(`lookup ${member} failed`);
    }

    // The same through HQ's route, as a till asks (token, protocol header, JSON), on other members.
    const app = buildServer({ db, clock });
    await app.ready();
    const { code } = await createEnrollmentCode(db, TILL_STORE, clock);
    const { token } = await enrollTerminal(db, code, `Bench till ${Date.now()}`, clock);
    const httpMs: number[] = [];
    for (const member of others) {
      const t0 = performance.now();
      const answer = await app.inject({
        method: 'POST',
        url: '/v1/scope/members',
        headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        payload: { card: cardOf(member) },
      });
      httpMs.push(performance.now() - t0);
      if (answer.statusCode !== 200 || !answer.body.includes(`m-${pad(member)}`))
        throw new Error(`HTTP lookup ${member}: ${answer.statusCode}`);
    }
    await app.close();

    const snapshot = timing(snapshotMs);
    const floor = timing(floorMs);
    const fetch = timing(fetchMs);
    const http = timing(httpMs);
    const cardFloor = timing(cardFloorMs);
    const result = {
      loadavg: loadavg().map(round),
      chain: {
        members: MEMBERS,
        stores: STORES,
        regions: STORES / REGION_SIZE,
        estimatedMemberRows: Number(counts.rows[0]?.members),
        estimatedScopeEntries: Number(counts.rows[0]?.entries),
        rules: SUGGESTED_SCOPED_RULES,
        loadSeconds: load.reused ? 'reused from an earlier run' : load.loadedS,
      },
      bootstrap: {
        through: 'member snapshot body (src-hq/store/snapshot.ts snapshotBody, uncompressed), store s-1',
        docs,
        bytes,
        ms: snapshot,
        docsPerSecond: Math.round(docs / (snapshot.p50 / 1000)),
        floor: { what: 'SELECT doc::text FROM members WHERE id = ANY(same ids), pages of 2,000', ms: floor },
        floorDocsPerSecond: Math.round(docs / (floor.p50 / 1000)),
        ratioToFloor: round(snapshot.p50 / floor.p50),
      },
      onlineLookup: {
        lookups: LOOKUPS,
        keepMemberByCardMs: fetch,
        httpRouteMs: http,
        floor: { what: 'findMembers(card): cards JOIN members by primary keys', ms: cardFloor },
        ratioToFloorP50: round(fetch.p50 / cardFloor.p50),
        httpRatioToFloorP50: round(http.p50 / cardFloor.p50),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`wrote ${writeResult('scope', result)}`);
  } finally {
    await db.close();
  }
}

await main();

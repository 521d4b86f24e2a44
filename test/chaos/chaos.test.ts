// Chaos on real PostgreSQL: terminals push side by side to HQ running as its own process, enrollments race
// earns for the same members, PostgreSQL backends are terminated mid-push and HQ is killed (SIGKILL) and
// started again; every terminal retries each batch until HQ answers it. Then checkHq proves: every event
// once, no gap, every member's balance = the fold of its applied events = a replay from scratch = what the
// terminals gave, and no review item left open for an event HQ applied. HQ must also never crash and never
// answer 500: a lost connection is a 503 with Retry-After, and the terminal retries. Meanwhile every terminal
// pulls its events, and one the members, in small pages through the same faults: change numbers commit out of
// order (store/change-horizon.ts), and each puller must end with every row HQ holds for it (a checkpoint
// never passes a row that commits later), its checkpoints never going back.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../src-hq/seed/demo.js';
import { createStore } from '../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../src-hq/store/terminals.js';
import { systemClock } from '../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import { pushResponseSchema } from '../../src-shared/sync/wire.js';
import { postgresDatabase, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/hq.js';
import { publishTestProgram } from '../hq/store/helpers.js';
import { checkHq } from './checker.js';
import { HqProcess } from './hq-process.js';
import { Puller } from './puller.js';
import { planWorkload } from './workload.js';
import { TAKER_LOCK_CLASS } from '../../src-hq/store/changes.js';

const TERMINALS = 10;
const ROUNDS = 16;
const SEED = Number(process.env.CHAOS_SEED ?? 20261206);
/** HQ is SIGKILLed when this share of the batches is through (each point once). */
const KILL_AT = [0.3, 0.65];
/** A terminal gives up on a batch after this long without an answer: HQ is gone for good. */
const BATCH_DEADLINE_MS = 90_000;

interface Stats {
  stored: number;
  unavailable: number;
  missingRetryAfter: number;
  serverErrors: string[];
  connectionErrors: number;
  terminated: number;
  kills: number;
}

describe('chaos: racing terminals, terminated backends, a killed HQ', () => {
  let t: TestDatabase;
  let hq: HqProcess;
  let killer: pg.Client;
  const appName = `chaos_hq_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await postgresDatabase();
    if (!t.url) throw new Error('the PostgreSQL test database has no URL');
    const url = new URL(t.url);
    // HQ's connections carry a name of their own, so the fault injector terminates only them.
    url.searchParams.set('application_name', appName);
    hq = new HqProcess({ databaseUrl: url.toString(), port: await freePort() });
    killer = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await killer.connect();
  });
  afterAll(async () => {
    await hq?.stop();
    await killer?.end();
    await t?.close();
  });

  it('loses nothing, doubles nothing, and every balance is the fold of its events', async () => {
    const random = prng(SEED);
    const db = t.db;
    const program = await publishTestProgram(db);
    await createStore(db, { id: 'chaos-store', name: 'Chaos store', timeZone: 'Europe/Paris' });
    const terminals = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, i) => {
        const { code } = await createEnrollmentCode(db, 'chaos-store', systemClock);
        const enrolled = await enrollTerminal(db, code, `Till ${i + 1}`, systemClock);
        return { id: enrolled.terminalId, storeId: enrolled.storeId, token: enrolled.token };
      }),
    );
    const workload = planWorkload(random, terminals, randomBytes(3).toString('hex'), {
      rounds: ROUNDS,
      membersPerRound: 8,
      earnsPerRound: 12,
    });
    await hq.start();

    const stats: Stats = {
      stored: 0,
      unavailable: 0,
      missingRetryAfter: 0,
      serverErrors: [],
      connectionErrors: 0,
      terminated: 0,
      kills: 0,
    };
    const totalBatches = [...workload.batches.values()].reduce((n, list) => n + list.length, 0);
    let batchesDone = 0;
    let done = false;

    const push = async (token: string, batch: readonly LedgerEvent[]): Promise<void> => {
      const deadline = Date.now() + BATCH_DEADLINE_MS;
      let backoff = 20;
      for (;;) {
        if (Date.now() > deadline)
          throw new Error(`a batch found no HQ for ${BATCH_DEADLINE_MS} ms:\n${hq.tail}`);
        try {
          const response = await fetch(`${hq.url}/v1/events`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
              [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
            },
            body: JSON.stringify({ events: batch }),
          });
          const text = await response.text();
          if (response.status === 200) {
            const { results } = pushResponseSchema.parse(JSON.parse(text));
            for (const r of results)
              if (r.outcome === 'conflict')
                throw new Error(`HQ saw a conflict on a clean retry: ${r.reason}`);
            stats.stored += results.filter((r) => r.outcome === 'stored').length;
            return;
          }
          if (response.status === 503) {
            stats.unavailable += 1;
            if (!response.headers.get('retry-after')) stats.missingRetryAfter += 1;
          } else if (response.status >= 500) {
            stats.serverErrors.push(`${response.status} ${text.slice(0, 200)}`);
          } else {
            throw new Error(`HQ refused a valid batch: ${response.status} ${text.slice(0, 500)}`);
          }
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('HQ ')) throw error;
          // The connection was cut (HQ killed or restarting): the terminal retries, as the real one does.
          stats.connectionErrors += 1;
        }
        // A retry backoff, as the terminal's sync does; it is not waiting for anything to happen.
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 500);
      }
    };

    const eventPullers = terminals.map(
      (terminal) => new Puller({ url: () => hq.url, token: terminal.token, collection: 'events' }),
    );
    const memberPuller = new Puller({
      url: () => hq.url,
      token: terminals[0]!.token,
      collection: 'members',
      limit: 11,
    });
    const pulling = [...eventPullers, memberPuller].map((p) => p.race(() => !done));

    const pushers = terminals.map(async (terminal) => {
      for (const batch of workload.batches.get(terminal.id) ?? []) {
        await push(terminal.token, batch);
        batchesDone += 1;
      }
    });

    // Faults while the terminals push: backends terminated every few hundred ms, HQ killed twice.
    const faults = (async () => {
      const kills = [...KILL_AT];
      while (!done) {
        await new Promise((r) => setTimeout(r, 50 + random() * 200));
        if (done) break;
        const next = kills[0];
        if (next !== undefined && batchesDone >= next * totalBatches) {
          kills.shift();
          await hq.killAndRestart();
          stats.kills += 1;
          continue;
        }
        const { rows } = await killer.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
           WHERE application_name = $1 AND state <> 'idle'`,
          [appName],
        );
        stats.terminated += rows.filter((r) => r.ok).length;
      }
    })();

    try {
      await Promise.all(pushers);
    } finally {
      done = true;
      await faults;
      await Promise.all(pulling);
    }
    // No transaction holds change numbers any more (PostgreSQL has rolled back those of killed HQs and
    // terminated backends): an empty page from here on means the puller has everything.
    const settled = async () =>
      (
        await db.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int::oid
           AND objid = 'change_seq'::regclass`,
          [TAKER_LOCK_CLASS],
        )
      ).rowCount === 0;
    await Promise.all([...eventPullers, memberPuller].map((p) => p.drain(settled)));
    const pulled: string[] = [];
    for (const [i, terminal] of terminals.entries()) {
      const puller = eventPullers[i]!;
      const { rows } = await db.query<{ id: string }>(
        'SELECT id::text AS id FROM events WHERE terminal_id = $1',
        [terminal.id],
      );
      const missed = rows.filter((r) => !puller.ids.has(r.id)).length;
      if (missed > 0) pulled.push(`${terminal.id}'s puller never got ${missed} of its ${rows.length} events`);
      if (puller.pages < 2) pulled.push(`${terminal.id}'s puller pulled ${puller.pages} pages only`);
    }
    const { rows: members } = await db.query<{ id: string }>('SELECT id FROM members');
    const missedMembers = members.filter((m) => !memberPuller.ids.has(m.id)).length;
    if (missedMembers > 0)
      pulled.push(`the members puller never got ${missedMembers} of ${members.length} members`);
    for (const p of [...eventPullers, memberPuller]) {
      pulled.push(...p.backwards.map((b) => `a checkpoint went back: ${b}`));
      pulled.push(...p.errors.map((e) => `a pull was answered ${e}`));
    }

    // The faults happened…
    expect(stats.kills).toBe(KILL_AT.length);
    expect(stats.terminated).toBeGreaterThan(0);
    // …HQ handled them as it should, and everything holds (all failures listed together).
    const sent = new Map<string, LedgerEvent[]>(
      [...workload.batches].map(([id, batches]) => [id, batches.flat()]),
    );
    const failures = [
      ...hq.crashes.map((c) => `HQ crashed (exit ${c.code}): ${c.output.slice(-600)}`),
      ...(stats.serverErrors.length > 0
        ? [`HQ answered ${stats.serverErrors.length} times 5xx other than 503, e.g. ${stats.serverErrors[0]}`]
        : []),
      ...(stats.missingRetryAfter > 0 ? [`${stats.missingRetryAfter} answers 503 had no Retry-After`] : []),
      ...(await checkHq({ db, programId: program.id, sent, expected: workload.expected })),
      ...pulled,
    ];
    expect(failures).toEqual([]);
  });
});

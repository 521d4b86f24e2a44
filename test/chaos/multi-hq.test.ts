// Two HQ processes (`npm run hq -- serve`, as operators run it) on one PostgreSQL schema, terminals spread
// over both: each pushes to one process and holds its event stream there, and pulls its events (and one
// terminal the members) from both in turn, so a checkpoint one process gave is used at the other. Then:
// every event exactly once at HQ and every balance the fold of its events (checker.ts), every puller with
// every row HQ holds for it (no checkpoint passed a row that committed later), and the streams of both
// processes told of a change committed through the other (NOTIFY crosses processes).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../src-hq/seed/demo.js';
import { TAKER_LOCK_CLASS } from '../../src-hq/store/changes.js';
import { createStore } from '../../src-hq/store/stores.js';
import { createEnrollmentCode, enrollTerminal } from '../../src-hq/store/terminals.js';
import { systemClock } from '../../src-shared/kernel/clock.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src-shared/sync/protocol.js';
import { pushResponseSchema, type StreamMessage } from '../../src-shared/sync/wire.js';
import { publishTestProgram } from '../hq/store/helpers.js';
import { postgresDatabase, type TestDatabase } from '../support/databases.js';
import { freePort } from '../support/hq.js';
import { checkHq } from './checker.js';
import { HqProcess } from './hq-process.js';
import { Puller } from './puller.js';
import { planWorkload } from './workload.js';

const TERMINALS = 6;
const SEED = Number(process.env.CHAOS_SEED ?? 20261207);

/** An event stream read over HTTP: every message, and a way to wait for one (no timer). */
function openStream(url: string, token: string) {
  const messages: StreamMessage[] = [];
  const waiters: (() => void)[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(`${url}/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      signal: controller.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`stream refused: ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of frame.split('\n'))
          if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice(6)) as StreamMessage);
        for (const wake of waiters.splice(0)) wake();
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    messages,
    /** Resolves once a message satisfying `test` has arrived from index `from` on. */
    async until(test: (m: StreamMessage) => boolean, from = 0): Promise<void> {
      while (!messages.slice(from).some(test)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}

describe('two HQ processes on one PostgreSQL', () => {
  let t: TestDatabase;
  const hqs: HqProcess[] = [];

  beforeAll(async () => {
    t = await postgresDatabase();
    if (!t.url) throw new Error('the PostgreSQL test database has no URL');
    for (let i = 0; i < 2; i++) hqs.push(new HqProcess({ databaseUrl: t.url, port: await freePort() }));
  });
  afterAll(async () => {
    await Promise.all(hqs.map((hq) => hq.stop()));
    await t?.close();
  });

  it('takes every event once, pulls every row through both, and streams on both', async () => {
    const db = t.db;
    const program = await publishTestProgram(db);
    await createStore(db, { id: 'two-hq-store', name: 'Two HQs', timeZone: 'Europe/Paris' });
    const terminals = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, i) => {
        const { code } = await createEnrollmentCode(db, 'two-hq-store', systemClock);
        const enrolled = await enrollTerminal(db, code, `Till ${i + 1}`, systemClock);
        return { id: enrolled.terminalId, storeId: enrolled.storeId, token: enrolled.token };
      }),
    );
    const workload = planWorkload(prng(SEED), terminals, randomBytes(3).toString('hex'), {
      rounds: 8,
      membersPerRound: 6,
      earnsPerRound: 10,
    });
    await Promise.all(hqs.map((hq) => hq.start()));
    const home = (i: number) => hqs[i % 2] as HqProcess;
    const streams = terminals.map((terminal, i) => openStream(home(i).url, terminal.token));
    await Promise.all(streams.map((s) => s.until((m) => m.type === 'RESYNC')));

    // Pullers alternate between the two processes page by page.
    const alternating = () => {
      let n = 0;
      return () => (hqs[n++ % 2] as HqProcess).url;
    };
    const eventPullers = terminals.map(
      (terminal) => new Puller({ url: alternating(), token: terminal.token, collection: 'events' }),
    );
    const memberPuller = new Puller({
      url: alternating(),
      token: terminals[0]!.token,
      collection: 'members',
      limit: 11,
    });
    const heldBack = new Map(terminals.slice(0, 2).map((x) => [x.id, workload.batches.get(x.id)!.at(-1)!]));
    let pushing = true;
    const pulling = [...eventPullers, memberPuller].map((p) => p.race(() => pushing));

    const answers: string[] = [];
    const push = async (url: string, token: string, batch: readonly LedgerEvent[]) => {
      const response = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
        body: JSON.stringify({ events: batch }),
      });
      const text = await response.text();
      if (response.status !== 200) {
        answers.push(`${response.status} ${text.slice(0, 200)}`);
        return;
      }
      for (const r of pushResponseSchema.parse(JSON.parse(text)).results)
        if (r.outcome === 'conflict') answers.push(`conflict: ${r.reason}`);
    };
    try {
      await Promise.all(
        terminals.map(async (terminal, i) => {
          const batches = workload.batches.get(terminal.id) ?? [];
          for (const batch of i < 2 ? batches.slice(0, -1) : batches)
            await push(home(i).url, terminal.token, batch);
        }),
      );
    } finally {
      pushing = false;
      await Promise.all(pulling);
    }

    // A change committed through either process reaches the streams of both: the last batches of
    // terminals 0 and 1, held back until now, pushed through process 0, then process 1.
    const changed = (m: StreamMessage) => m.type === 'changed' && m.collections.includes('events');
    for (const [i, via] of [0, 1].entries()) {
      const terminal = terminals[i]!;
      const marks = streams.map((s) => s.messages.length);
      await push((hqs[via] as HqProcess).url, terminal.token, heldBack.get(terminal.id)!);
      await Promise.all(streams.map((s, k) => s.until(changed, marks[k])));
    }
    const sent = new Map<string, LedgerEvent[]>(
      [...workload.batches].map(([id, batches]) => [id, batches.flat()]),
    );

    const settled = async () =>
      (
        await db.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int::oid
           AND objid = 'change_seq'::regclass`,
          [TAKER_LOCK_CLASS],
        )
      ).rowCount === 0;
    await Promise.all([...eventPullers, memberPuller].map((p) => p.drain(settled)));
    await Promise.all(streams.map((s) => s.close()));

    const problems: string[] = [...answers];
    for (const [i, terminal] of terminals.entries()) {
      const { rows } = await db.query<{ id: string }>(
        'SELECT id::text AS id FROM events WHERE terminal_id = $1',
        [terminal.id],
      );
      const missed = rows.filter((r) => !eventPullers[i]!.ids.has(r.id)).length;
      if (missed > 0)
        problems.push(`${terminal.id}'s puller never got ${missed} of its ${rows.length} events`);
    }
    const { rows: members } = await db.query<{ id: string }>('SELECT id FROM members');
    const missedMembers = members.filter((m) => !memberPuller.ids.has(m.id)).length;
    if (missedMembers > 0) problems.push(`the members puller missed ${missedMembers} of ${members.length}`);
    for (const p of [...eventPullers, memberPuller])
      problems.push(...p.backwards.map((b) => `a checkpoint went back: ${b}`), ...p.errors);
    problems.push(...hqs.flatMap((hq) => hq.crashes.map((c) => `HQ crashed: ${c.output.slice(-400)}`)));
    problems.push(...(await checkHq({ db, programId: program.id, sent, expected: workload.expected })));
    expect(problems).toEqual([]);
  });
});

// Real concurrency, on PostgreSQL only (PGlite has a single connection): checkpoints never skip while 20
// terminals push and pullers race them; two terminals overdrawing one member at the same moment; two
// terminals enrolling the same member or the same card at the same moment (the loser's batch is retried
// and decided against the winner's committed rows, never lost and never an error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { pushEvents, type TerminalIdentity } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { pull } from '../../../src-hq/store/pull.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import { eventDocSchema, memberDocSchema, type CollectionName } from '../../../src-shared/sync/wire.js';
import type { EventFactory } from '../../support/events.js';
import { postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, reviewsOf, terminalWithFactory, uniq } from './helpers.js';

const PUSHERS = 20;
const BATCHES_PER_PUSHER = 12;
const PULL_LIMIT = 3;

describe('concurrent pushers on postgres', () => {
  let t: TestDatabase;
  let db: Db;
  const clock = clockAt();
  beforeAll(async () => {
    t = await postgresDatabase({ max: 32 });
    db = t.db;
    await publishTestProgram(db);
  });
  afterAll(async () => t?.close());

  it('never hands out a checkpoint past a row that can still appear', async () => {
    // A shared member pool every terminal earns and redeems on, plus each terminal's own members.
    const setup = await terminalWithFactory(db);
    const shared = Array.from({ length: 12 }, () => uniq('shared'));
    await pushEvents(
      db,
      setup.terminal,
      shared.flatMap((m) => [setup.f.enrolled(m), setup.f.earned(m, 500)]),
      clock,
    );
    const pushers = await Promise.all(
      Array.from({ length: PUSHERS }, () => terminalWithFactory(db, setup.terminal.storeId)),
    );
    const plans = pushers.map(({ f }, p) => planBatches(f, shared, p));

    const membersStart = (await pull(db, 'members', { limit: 1_000_000 }, setup.terminal)).checkpoint.seq;
    let done = false;
    const memberPuller = racePuller(db, 'members', setup.terminal, membersStart, () => done);
    const eventPullers = pushers.map(({ terminal }) => racePuller(db, 'events', terminal, 0, () => done));
    await Promise.all(
      pushers.map(async ({ terminal }, p) => {
        for (const [k, batch] of (plans[p] as LedgerEvent[][]).entries()) {
          await pushEvents(db, terminal, batch, clock);
          // Every third batch is pushed again, as after a lost reply.
          if (k % 3 === 2) await pushEvents(db, terminal, batch, clock);
        }
      }),
    );
    done = true;
    const memberDocs = await memberPuller;
    const eventDocs = await Promise.all(eventPullers);

    let total = 0;
    for (const [p, { terminal }] of pushers.entries()) {
      const received = (eventDocs[p] as unknown[]).map((d) => eventDocSchema.parse(d));
      const ids = received.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      const expected = (plans[p] as LedgerEvent[][]).flat().map((e) => e.id);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(received.every((d) => d.event.terminalId === terminal.id && d.memberSeq !== null)).toBe(true);
      total += ids.length;
    }
    expect(total).toBe(PUSHERS * BATCHES_PER_PUSHER * 4);

    // Each member's last document received is HQ's final one; documents of a member never go back.
    const last = new Map<string, Member>();
    for (const d of memberDocs) {
      const doc = memberDocSchema.parse(d);
      const previous = last.get(doc.id);
      if (previous) expect(doc.memberSeq).toBeGreaterThan(previous.memberSeq);
      const { _deleted: _, ...member } = doc;
      last.set(doc.id, member);
    }
    const { rows } = await db.query<{ id: string; doc: Member }>(
      'SELECT id, doc FROM members WHERE change_seq > $1',
      [membersStart],
    );
    expect(rows.length).toBeGreaterThan(PUSHERS);
    expect(last.size).toBe(rows.length);
    for (const r of rows) expect(last.get(r.id)).toEqual(r.doc);
  }, 120_000);

  it('keeps both of two simultaneous offline redemptions of the same points, as debt with a review', async () => {
    const one = await terminalWithFactory(db);
    const two = await terminalWithFactory(db, one.terminal.storeId);
    const members = Array.from({ length: 8 }, () => uniq('m'));
    await pushEvents(
      db,
      one.terminal,
      members.flatMap((m) => [one.f.enrolled(m), one.f.earned(m, 100)]),
      clock,
    );
    for (const m of members) {
      const [a, b] = await Promise.all([
        pushEvents(db, one.terminal, [one.f.redeemed(m, 100, undefined, { mode: 'offline' })], clock),
        pushEvents(db, two.terminal, [two.f.redeemed(m, 60, undefined, { mode: 'offline' })], clock),
      ]);
      const results = [...a, ...b];
      expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored']);
      expect(results.filter((r) => r.status === 'flagged')).toHaveLength(1);
      expect(results.flatMap((r) => (r.reason ? [r.reason] : []))[0]).toMatch(/^overdraft: debt (60|100)$/);
      expect([...results.map((r) => r.memberSeq)].sort()).toEqual([3, 4]);
      expect(await getMember(db, m)).toMatchObject({ balance: 0, debt: 60, memberSeq: 4 });
    }
    const reviews = [...(await reviewsOf(db, one.terminal.id)), ...(await reviewsOf(db, two.terminal.id))];
    expect(reviews.filter((r) => r.kind === 'overdraft')).toHaveLength(members.length);
  });

  it('lets one of two terminals enrolling the same member or card at once win, the other flagged', async () => {
    const one = await terminalWithFactory(db);
    const two = await terminalWithFactory(db, one.terminal.storeId);
    for (let i = 0; i < 6; i++) {
      const m = uniq('m');
      const [a, b] = await Promise.all([
        pushEvents(db, one.terminal, [one.f.enrolled(m)], clock),
        pushEvents(db, two.terminal, [two.f.enrolled(m)], clock),
      ]);
      const reasons = [...a, ...b].map((r) => r.reason);
      expect(reasons.filter((r) => r === null)).toHaveLength(1);
      expect(reasons.filter((r) => r?.startsWith('re-enrollment'))).toHaveLength(1);
      // The loser's enrollment is kept, not applied (and would credit no second welcome bonus).
      expect(await getMember(db, m)).toMatchObject({ balance: 0, memberSeq: 2 });

      const card = uniq('card');
      const [x, y] = await Promise.all([
        pushEvents(db, one.terminal, [one.f.enrolled(uniq('m'), { cards: [card] })], clock),
        pushEvents(db, two.terminal, [two.f.enrolled(uniq('m'), { cards: [card] })], clock),
      ]);
      expect([...x, ...y].filter((r) => r.reason?.endsWith('belongs to another member'))).toHaveLength(1);
      const owners = await db.query('SELECT member_id FROM cards WHERE number = $1', [card]);
      expect(owners.rowCount).toBe(1);
    }
  });
});

/** Four events per batch over the pusher's own members and the shared pool (a realistic mix). */
function planBatches(f: EventFactory, shared: readonly string[], p: number): LedgerEvent[][] {
  const own = Array.from({ length: 3 }, () => uniq(`own${p}`));
  const batches: LedgerEvent[][] = [];
  for (let k = 0; k < BATCHES_PER_PUSHER; k++) {
    const pick = (i: number) => shared[(p * 7 + k * 3 + i) % shared.length] as string;
    if (k < own.length)
      batches.push([
        f.enrolled(own[k] as string),
        f.earned(own[k] as string, 20),
        f.earned(pick(0), 5),
        f.redeemed(pick(1), 3),
      ]);
    else
      batches.push([
        f.earned(pick(0), 7),
        f.redeemed(pick(1), 2),
        f.earned(own[k % own.length] as string, 4),
        f.earned(pick(2), 1),
      ]);
  }
  return batches;
}

/**
 * Pulls `collection` in small pages, as fast as it can, until `isDone()`; then drains to the end. Returns
 * every document in the order received.
 */
async function racePuller(
  db: Db,
  collection: CollectionName,
  terminal: TerminalIdentity,
  from: number,
  isDone: () => boolean,
): Promise<unknown[]> {
  const received: unknown[] = [];
  let checkpoint = from;
  for (;;) {
    const finished = isDone();
    const page = await pull(db, collection, { checkpoint, limit: PULL_LIMIT }, terminal);
    expect(page.checkpoint.seq).toBeGreaterThanOrEqual(checkpoint);
    received.push(...page.documents);
    checkpoint = page.checkpoint.seq;
    if (page.documents.length === 0) {
      if (finished) return received;
      // Let the pushers run before asking again (a yield, not a timed wait).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

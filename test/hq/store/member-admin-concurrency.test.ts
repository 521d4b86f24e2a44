// Real concurrency on PostgreSQL (PGlite has one connection): a merge racing a terminal's push of an earn
// for either member. A third transaction holds both members' locks until the merge and the push are both
// queued behind it (seen in pg_locks), then lets them go, so which one wins is PostgreSQL's choice. Either
// way no point is lost and every point ends with the survivor (an earn for the merged member pushed after
// the merge is moved on by the push), and no deadlock or error surfaces. Likewise two admins giving
// the same new card to two members at once: one gets it, the other is refused in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { lockMemberIds, MEMBER_LOCK_CLASS } from '../../../src-hq/store/member-locks.js';
import { replaceCard } from '../../../src-hq/store/member-admin/cards.js';
import { mergeMembers } from '../../../src-hq/store/member-admin/merge.js';
import { getMember } from '../../../src-hq/store/members.js';
import { postgresDatabase, type TestDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, terminalWithFactory, uniq } from './helpers.js';

const ROUNDS = 8;

async function waitFor(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Transactions waiting for these members' locks (the two-key advisory locks of member-locks.ts). */
async function waitingLocks(db: Db, ids: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND NOT granted AND classid = $2::bigint::oid AND objsubid = 2
       AND objid::bigint IN (SELECT (hashtext(id)::bigint + 4294967296) % 4294967296 FROM unnest($1::text[]) AS id)`,
    [ids, MEMBER_LOCK_CLASS],
  );
  return rows[0]!.n;
}

const net = async (db: Db, id: string): Promise<number> => {
  const m = await getMember(db, id);
  return m!.balance - m!.debt;
};

describe('a merge racing a push on postgres', () => {
  let t: TestDatabase;
  let db: Db;
  const clock = clockAt();
  beforeAll(async () => {
    t = await postgresDatabase({ max: 8 });
    db = t.db;
    await publishTestProgram(db);
  });
  afterAll(async () => t?.close());

  it('loses no points, whichever of the two commits first', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    for (let round = 0; round < ROUNDS; round++) {
      const survivor = uniq('s');
      const merged = uniq('g');
      await pushEvents(
        db,
        terminal,
        [f.enrolled(survivor), f.earned(survivor, 100), f.enrolled(merged), f.earned(merged, 50)],
        clock,
      );
      // Even rounds earn for the merged member, odd ones for the survivor.
      const earner = round % 2 === 0 ? merged : survivor;
      const earn = f.earned(earner, 7);

      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let held = false;
      const holder = db.transaction(async (tx) => {
        await lockMemberIds(tx, [survivor, merged]);
        held = true;
        await released;
      });
      const ids = [survivor, merged];
      await waitFor(async () => held, 'the holder to take its locks');
      const racing = Promise.all([
        mergeMembers(db, clock, { survivorId: survivor, mergedId: merged, username: 'race' }),
        pushEvents(db, terminal, [earn], clock),
      ]);
      await waitFor(async () => (await waitingLocks(db, ids)) >= 2, 'the merge and the push to queue');
      release();
      await holder;
      const [, [pushed]] = await racing;
      expect(pushed!.status).toBe('posted');

      // Pushed first, the earn was moved by the merge; pushed second, it was moved on by the push itself.
      expect([await net(db, survivor), await net(db, merged)]).toEqual([157, 0]);
    }
  });

  it('links a new card to one member only when two admins give it to two members at once', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const [a, b] = [uniq('a'), uniq('b')];
    const [cardA, cardB, wanted] = [uniq('CA'), uniq('CB'), uniq('NEW')];
    await pushEvents(
      db,
      terminal,
      [f.enrolled(a, { cards: [cardA] }), f.enrolled(b, { cards: [cardB] })],
      clock,
    );
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const holder = db.transaction(async (tx) => {
      await lockMemberIds(tx, [a, b]);
      held = true;
      await released;
    });
    await waitFor(() => held, 'the holder to take its locks');
    const racing = Promise.allSettled([
      replaceCard(db, clock, { memberId: a, lostCard: cardA, newCard: wanted, reason: 'lost' }),
      replaceCard(db, clock, { memberId: b, lostCard: cardB, newCard: wanted, reason: 'lost' }),
    ]);
    await waitFor(async () => (await waitingLocks(db, [a, b])) >= 2, 'both replacements to queue');
    release();
    await holder;
    const outcomes = await racing;
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'card-taken' });
    const { rows } = await db.query<{ member_id: string }>('SELECT member_id FROM cards WHERE number = $1', [
      wanted,
    ]);
    expect(rows).toHaveLength(1);
    const owner = rows[0]!.member_id;
    const loser = owner === a ? b : a;
    expect((await getMember(db, owner))!.cards).toContain(wanted);
    expect((await getMember(db, loser))!.cards).not.toContain(wanted);
  });
});

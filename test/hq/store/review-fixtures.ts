// Builders for the review-queue tests (store, API, CLI): a member enrolled through a terminal's push, an
// item holding points for them inserted straight in SQL (as the over-claim ingest will make them), the
// HQ credits a member received, and, on PostgreSQL, a lock held on an item until other transactions
// queue behind it, so a race between two approvals is a real one.
import type { Clock } from '../../../src-shared/kernel/clock.js';
import type { Db, Queryable } from '../../../src-hq/db/database.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { terminalWithFactory, uniq } from './helpers.js';

/** A new member enrolled by a new terminal, who earned `points` there. */
export async function enrolledMember(
  db: Db,
  clock: Clock,
  points = 100,
): Promise<{ memberId: string; terminalId: string; storeId: string }> {
  const { terminal, f } = await terminalWithFactory(db);
  const memberId = uniq('m');
  await pushEvents(db, terminal, [f.enrolled(memberId), f.earned(memberId, points)], clock);
  return { memberId, terminalId: terminal.id, storeId: terminal.storeId };
}

/** Opens an item holding `held` points for a member; returns its id. */
export async function insertHeldReview(
  db: Queryable,
  item: { memberId: string | null; held: number; kind?: string; terminalId?: string | null },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO review_items (kind, member_id, terminal_id, details) VALUES ($1, $2, $3, $4) RETURNING id`,
    [
      item.kind ?? 'over-claim',
      item.memberId,
      item.terminalId ?? null,
      JSON.stringify({ held: item.held, reason: `claimed ${item.held} points above the program` }),
    ],
  );
  return rows[0]!.id;
}

export async function balanceOf(db: Queryable, memberId: string): Promise<number> {
  const member = await getMember(db, memberId);
  if (!member) throw new Error(`no member ${memberId}`);
  return member.balance;
}

/** HQ's points-adjusted events for a member: [id, points, payload] in chain order. */
export async function hqCredits(db: Queryable, memberId: string) {
  const { rows } = await db.query<{
    id: string;
    terminal_id: string;
    store_id: string;
    body: { payload: { points: number; reasonCode: string; managerId: string; note: string | null } };
  }>(
    `SELECT id::text, terminal_id, store_id, body FROM events
     WHERE member_id = $1 AND type = 'points-adjusted' ORDER BY terminal_id, terminal_seq`,
    [memberId],
  );
  return rows.map((r) => ({ id: r.id, terminalId: r.terminal_id, storeId: r.store_id, ...r.body.payload }));
}

/**
 * PostgreSQL only: locks a review item in a transaction of its own and keeps it until `release`.
 * `waiters(n, racing)` resolves once n other sessions are blocked behind that lock, or once `racing`
 * settles (they did not wait for it: the test's assertions then say what went wrong).
 */
export async function holdReviewLock(
  db: Db,
  id: number,
): Promise<{ waiters(n: number, racing: Promise<unknown>): Promise<void>; release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: (pid: number) => void;
  const lockedPid = new Promise<number>((r) => (locked = r));
  const done = db.transaction(async (tx) => {
    const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await tx.query('SELECT id FROM review_items WHERE id = $1 FOR UPDATE', [id]);
    locked(rows[0]!.pid);
    await released;
  });
  const pid = await lockedPid;
  return {
    async waiters(n, racing) {
      let settled = false;
      void racing.finally(() => (settled = true));
      // Polls the server's own lock table: the condition, not a time, decides when the race is set.
      while (!settled) {
        // A second waiter queues behind the first one, not the holder: follow the chain.
        const { rows } = await db.query<{ n: number }>(
          `WITH RECURSIVE blocked (pid) AS (
             SELECT pid FROM pg_stat_activity WHERE $1::int = ANY (pg_blocking_pids(pid))
             UNION
             SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY (pg_blocking_pids(a.pid))
           )
           SELECT count(*)::int AS n FROM blocked`,
          [pid],
        );
        if ((rows[0]?.n ?? 0) >= n) return;
        await new Promise<void>((r) => setImmediate(r));
      }
    },
    async release() {
      release();
      await done;
    },
  };
}

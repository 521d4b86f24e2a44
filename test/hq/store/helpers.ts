// Builders for the HQ store tests: stores and terminals straight in SQL (the store tests do not depend on
// the enrollment API), a published test program, unique ids so one database serves a whole test file,
// and snapshots of what ingest may write, to prove "nothing changed".
import type { Db, Queryable } from '../../../src-hq/db/database.js';
import type { TerminalIdentity } from '../../../src-hq/store/ingest.js';
import { publishProgram } from '../../../src-hq/store/programs.js';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import type { Program, ProgramInput } from '../../../src-shared/program/schema.js';
import { STEP_REWARD, eventFactory, testProgram, type EventFactory } from '../../support/events.js';

let counter = 0;
/** An id no other test in this process uses. */
export const uniq = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

export const clockAt = (iso = '2025-03-10T12:00:00.000Z'): ManualClock => new ManualClock(Date.parse(iso));

/** The program most store tests run: 1 point per 1.00 EUR, a referral bonus, an offline allowance. */
export function storeTestProgram(overrides: Partial<ProgramInput> = {}): Program {
  return testProgram({
    bonuses: { welcome: 0, birthday: 0, referral: { referrer: 50, newMember: 20 } },
    rewards: [STEP_REWARD],
    ...overrides,
  });
}

export async function publishTestProgram(db: Db, overrides: Partial<ProgramInput> = {}): Promise<Program> {
  const program = storeTestProgram(overrides);
  await publishProgram(db, program);
  return program;
}

/** The manager `m-1` that eventFactory's adjustments and voids name (HQ caps adjustments by role). */
export async function addManager(db: Queryable, storeId: string, id = 'm-1'): Promise<void> {
  await db.query(
    `INSERT INTO cashiers (id, store_id, name, role, pin_hash, change_seq)
     VALUES ($1, $2, 'Manager', 'manager', 'unused', 0) ON CONFLICT (id) DO NOTHING`,
    [id, storeId],
  );
}

/** A store (made when missing) and an enrolled terminal in it. */
export async function addTerminal(db: Queryable, storeId = uniq('s')): Promise<TerminalIdentity> {
  const id = uniq('t');
  await db.query(
    "INSERT INTO stores (id, name, time_zone) VALUES ($1, $1, 'Europe/Paris') ON CONFLICT (id) DO NOTHING",
    [storeId],
  );
  await db.query('INSERT INTO terminals (id, store_id, name, enrolled_at) VALUES ($1, $2, $1, now())', [
    id,
    storeId,
  ]);
  await addManager(db, storeId);
  return { id, storeId };
}

/** A terminal and an event factory sealing on its chain. */
export async function terminalWithFactory(
  db: Queryable,
  storeId?: string,
  start?: string,
): Promise<{ terminal: TerminalIdentity; f: EventFactory }> {
  const terminal = await addTerminal(db, storeId);
  const f = eventFactory({ terminalId: terminal.id, storeId: terminal.storeId, ...(start ? { start } : {}) });
  return { terminal, f };
}

/** Everything a push may write, for one terminal and its members (rows in a stable order). */
export async function snapshot(db: Queryable, terminalId: string, memberIds: readonly string[]) {
  const q = async (text: string, params: unknown[]) => (await db.query(text, params)).rows;
  return {
    events: await q(
      `SELECT id::text, terminal_seq, member_seq, status, reason, points_delta, change_seq, applied, body
       FROM events WHERE terminal_id = $1 OR member_id = ANY($2::text[]) ORDER BY id`,
      [terminalId, memberIds],
    ),
    members: await q('SELECT id, doc, change_seq FROM members WHERE id = ANY($1::text[]) ORDER BY id', [
      memberIds,
    ]),
    terminal: await q('SELECT last_seq, last_hash FROM terminals WHERE id = $1', [terminalId]),
    quarantine: await q('SELECT event_id, body FROM quarantine WHERE terminal_id = $1 ORDER BY id', [
      terminalId,
    ]),
    reviews: await q('SELECT kind, event_id, status FROM review_items WHERE terminal_id = $1 ORDER BY id', [
      terminalId,
    ]),
  };
}

/**
 * The last change number handed out (0 before the first). Numbers a rolled-back transaction took are
 * gaps, so this counts numbers taken, not rows written.
 */
export async function lastChangeSeq(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ last: number }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS last FROM change_seq',
  );
  return rows[0]!.last;
}

export async function reviewsOf(db: Queryable, terminalId: string) {
  const { rows } = await db.query<{
    kind: string;
    event_id: string | null;
    member_id: string | null;
    details: Record<string, unknown>;
    status: string;
  }>(
    'SELECT kind, event_id, member_id, details, status FROM review_items WHERE terminal_id = $1 ORDER BY id',
    [terminalId],
  );
  return rows;
}

// What must hold at HQ after any amount of chaos, read straight from the database: every event once and
// no gap in any terminal's chain; every member's balance equal to the fold of its applied events, to a
// replay of them from scratch through the shared projection, and to what the workload gave; no review
// item left open for an event HQ applied. Returns the problems in words (empty when all holds).
import type { Queryable } from '../../src-hq/db/database.js';
import { programVersion } from '../../src-hq/store/programs.js';
import { applyEvent } from '../../src-shared/ledger/apply-event.js';
import type { LedgerEvent } from '../../src-shared/ledger/events.js';
import type { Member } from '../../src-shared/ledger/member.js';
import type { Program } from '../../src-shared/program/schema.js';

export interface CheckInput {
  db: Queryable;
  programId: string;
  /** Every event the terminals sent, by terminal. */
  sent: Map<string, readonly LedgerEvent[]>;
  /** Each member's balance once everything is applied. */
  expected: Map<string, number>;
}

interface EventRow {
  id: string;
  terminal_id: string;
  terminal_seq: number;
  member_id: string;
  body: LedgerEvent;
  member_seq: number | null;
  applied: boolean;
  points_delta: number;
  ruled_points: number | null;
  reason: string | null;
}

const MAX_LISTED = 10;

export async function checkHq({ db, programId, sent, expected }: CheckInput): Promise<string[]> {
  const problems: string[] = [];
  const say = (p: string) => {
    if (problems.length < 200) problems.push(p);
  };

  // Every event once, no gap.
  const terminalIds = [...sent.keys()];
  const { rows } = await db.query<EventRow>(
    `SELECT id::text AS id, terminal_id, terminal_seq, member_id, body, member_seq, applied, points_delta,
            ruled_points, reason
     FROM events WHERE terminal_id = ANY($1::text[])`,
    [terminalIds],
  );
  const byId = new Map<string, EventRow>();
  for (const r of rows) {
    if (byId.has(r.id)) say(`event ${r.id} is stored twice`);
    byId.set(r.id, r);
  }
  for (const [terminalId, events] of sent) {
    const stored = rows.filter((r) => r.terminal_id === terminalId);
    if (stored.length !== events.length)
      say(`terminal ${terminalId}: ${stored.length} events stored, ${events.length} sent`);
    const seqs = new Set(stored.map((r) => r.terminal_seq));
    for (let s = 1; s <= events.length; s++)
      if (!seqs.has(s)) say(`terminal ${terminalId}: event ${s} missing`);
    for (const e of events) if (!byId.has(e.id)) say(`event ${e.id} (${e.type}) was sent and is not stored`);
  }
  const notApplied = rows.filter((r) => !r.applied);
  if (notApplied.length > 0)
    say(
      `${notApplied.length} events were never applied, e.g. ${notApplied
        .slice(0, MAX_LISTED)
        .map((r) => `${r.body.type} ${r.id} of ${r.member_id} (${r.reason ?? 'no reason'})`)
        .join(', ')}`,
    );

  // No review item left open for an event HQ applied; nothing quarantined.
  const open = await db.query<{ kind: string; event_id: string }>(
    `SELECT r.kind, r.event_id FROM review_items r JOIN events e ON e.id::text = r.event_id
     WHERE r.status = 'open' AND r.kind = 'unknown-member' AND e.applied`,
  );
  if (open.rows.length > 0)
    say(`${open.rows.length} unknown-member review items are still open for events HQ applied`);
  const quarantined = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine');
  if ((quarantined.rows[0]?.n ?? 0) > 0) say(`${quarantined.rows[0]?.n} copies were quarantined`);

  // Balances: the fold of applied events, a replay from scratch, and the workload's own figure.
  const members = await db.query<{ id: string; doc: Member; balance: number; debt: number }>(
    'SELECT id, doc, balance, debt FROM members WHERE id = ANY($1::text[])',
    [[...expected.keys()]],
  );
  const programs = new Map<number, Program>();
  const programFor = async (version: number): Promise<Program> => {
    let p = programs.get(version);
    if (!p) {
      const loaded = await programVersion(db, programId, version);
      if (!loaded) throw new Error(`program ${programId} v${version} is not stored`);
      p = loaded;
      programs.set(version, p);
    }
    return p;
  };
  const history = await db.query<EventRow>(
    `SELECT id::text AS id, terminal_id, terminal_seq, member_id, body, member_seq, applied, points_delta,
            ruled_points, reason
     FROM events WHERE member_id = ANY($1::text[]) AND applied ORDER BY member_id, member_seq`,
    [[...expected.keys()]],
  );
  const eventsOf = new Map<string, EventRow[]>();
  for (const r of history.rows) eventsOf.set(r.member_id, [...(eventsOf.get(r.member_id) ?? []), r]);
  const found = new Set<string>();
  let wrong = 0;
  for (const m of members.rows) {
    found.add(m.id);
    const own = eventsOf.get(m.id) ?? [];
    const fold = own.reduce((s, r) => s + r.points_delta, 0);
    let replayed: Member | null = null;
    for (const r of own) {
      const ruling = r.ruled_points === null ? undefined : { points: r.ruled_points };
      replayed = applyEvent(
        replayed,
        r.body,
        await programFor(r.body.programVersion),
        r.member_seq ?? undefined,
        ruling,
      );
    }
    const want = expected.get(m.id) ?? 0;
    const net = m.balance - m.debt;
    const replayNet = replayed ? replayed.balance - replayed.debt : null;
    if (net !== fold || net !== want || replayNet !== net || replayed?.memberSeq !== m.doc.memberSeq) {
      wrong += 1;
      if (wrong <= MAX_LISTED)
        say(
          `member ${m.id}: balance − debt ${net}, fold of applied events ${fold}, replay ${replayNet}, ` +
            `expected ${want} (memberSeq ${m.doc.memberSeq}, replay ${replayed?.memberSeq})` +
            (process.env.CHAOS_VERBOSE
              ? ` ${own.map((r) => `${r.body.type}:${r.terminal_id.slice(-4)}#${r.terminal_seq}:${r.points_delta}${r.body.type === 'points-earned' ? `/${r.body.payload.points}` : ''}`).join(' ')}`
              : ''),
        );
    }
  }
  if (wrong > MAX_LISTED) say(`… ${wrong} members in all have a wrong balance`);
  const missing = [...expected.keys()].filter((id) => !found.has(id));
  if (missing.length > 0)
    say(`${missing.length} members are not at HQ, e.g. ${missing.slice(0, MAX_LISTED).join(', ')}`);
  return problems;
}

// Push ingest on both databases: storing and projecting, exactly once (duplicates, lost replies,
// conflicts), authorisation, bad bodies, the hash chain (gaps, late fills, breaks, altered events), quote
// re-checks, overdrafts, voids, unknown members, cards and profiles, the referrer's bonus, and a failure
// injected mid-batch rolling everything back.
import { describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../../src-hq/db/database.js';
import {
  AuthorisationError,
  contentHash,
  InvalidBatchError,
  pushEvents,
} from '../../../src-hq/store/ingest.js';
import { findMembers, getMember } from '../../../src-hq/store/members.js';
import { listReviews } from '../../../src-hq/store/reviews.js';
import { applyEvents, memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import { eventHash } from '../../../src-shared/ledger/chain.js';
import type { LedgerEvent } from '../../../src-shared/ledger/events.js';
import { memberSchema, netPoints, type Member } from '../../../src-shared/ledger/member.js';
import { pushResultSchema } from '../../../src-shared/sync/wire.js';
import { databases, pgliteDatabase, testDatabase } from '../../support/databases.js';
import { eventFactory } from '../../support/events.js';
import {
  clockAt,
  lastChangeSeq,
  publishTestProgram,
  reviewsOf,
  snapshot,
  storeTestProgram,
  terminalWithFactory,
  uniq,
} from './helpers.js';

const program = storeTestProgram();

async function member(db: Queryable, id: string): Promise<Member> {
  const m = await getMember(db, id);
  if (!m) throw new Error(`member ${id} missing`);
  expect(memberSchema.safeParse(m).success).toBe(true);
  expect(memberInvariantProblems(m)).toEqual([]);
  return m;
}

async function eventRow(db: Queryable, id: string) {
  const { rows } = await db.query<{
    status: string;
    reason: string | null;
    member_seq: number | null;
    applied: boolean;
    points_delta: number;
    month: string;
    recorded_at: string;
  }>(
    "SELECT status, reason, member_seq, applied, points_delta, to_char(month, 'YYYY-MM-DD') AS month, recorded_at FROM events WHERE id = $1",
    [id],
  );
  return rows[0];
}

/** A database wrapper whose transactions fail on the first statement matching `pattern`. */
function failingOn(db: Db, pattern: RegExp): Db {
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: (text, params) => {
            if (pattern.test(text)) throw new Error('injected failure');
            return tx.query(text, params);
          },
        }),
      ),
  };
}

describe.each(databases)('pushEvents on %s', (_name, open) => {
  const clock = clockAt();
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('stores, projects and answers per event in input order', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const events = [f.enrolled(m), f.earned(m, 130), f.redeemed(m, 100), f.adjusted(m, -5)];
    const shuffled = [events[2], events[0], events[3], events[1]] as LedgerEvent[];
    const results = await pushEvents(db, terminal, shuffled, clock);
    for (const r of results) expect(pushResultSchema.safeParse(r).success).toBe(true);
    expect(results.map((r) => r.id)).toEqual(shuffled.map((e) => e.id));
    expect(results.map((r) => [r.outcome, r.status, r.memberSeq, r.reason])).toEqual([
      ['stored', 'posted', 3, null],
      ['stored', 'posted', 1, null],
      ['stored', 'posted', 4, null],
      ['stored', 'posted', 2, null],
    ]);
    const doc = await member(db, m);
    expect(doc).toEqual({ ...applyEvents(null, events, program), memberSeq: 4 });
    expect(netPoints(doc)).toBe(25);
    expect(doc.seen).toEqual({ [terminal.id]: 4 });

    const row = await eventRow(db, events[2]!.id);
    expect(row).toMatchObject({
      points_delta: -100,
      month: '2025-03-01',
      recorded_at: '2025-03-10T12:00:00.000Z',
    });
    expect((await eventRow(db, events[1]!.id))?.points_delta).toBe(130);
    const head = await db.query<{ last_seq: number; last_hash: string }>(
      'SELECT last_seq, last_hash FROM terminals WHERE id = $1',
      [terminal.id],
    );
    expect(head.rows[0]).toEqual({ last_seq: 4, last_hash: events[3]!.hash });
    expect(await reviewsOf(db, terminal.id)).toEqual([]);
  });

  it('gives every stored event and changed member a new change number', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const [a, b] = [uniq('m'), uniq('m')];
    const before = await lastChangeSeq(db);
    await pushEvents(db, terminal, [f.enrolled(a), f.enrolled(b), f.earned(a, 5)], clock);
    // Three events and two members: five numbers from the one change sequence, each used once.
    expect(await lastChangeSeq(db)).toBe(before + 5);
    const { rows } = await db.query<{ change_seq: number }>(
      `SELECT change_seq FROM events WHERE terminal_id = $1
       UNION ALL SELECT change_seq FROM members WHERE id = ANY($2::text[]) ORDER BY change_seq`,
      [terminal.id, [a, b]],
    );
    expect(rows.map((r) => r.change_seq)).toEqual([1, 2, 3, 4, 5].map((n) => before + n));
    const events = await db.query<{ change_seq: number }>(
      'SELECT change_seq FROM events WHERE terminal_id = $1 ORDER BY terminal_seq',
      [terminal.id],
    );
    // Within a batch, events are numbered in the batch's order.
    expect(events.rows.map((r) => r.change_seq)).toEqual(
      [...events.rows.map((r) => r.change_seq)].sort((x, y) => x - y),
    );
  });

  it('answers an identical re-push as duplicates and changes nothing (a lost reply)', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const batch = [f.enrolled(m), f.earned(m, 50), f.earned(m, 60, undefined, { eligible: 1000 })];
    const first = await pushEvents(db, terminal, batch, clock); // the reply is "lost"
    expect(first[2]).toMatchObject({ outcome: 'stored', status: 'flagged' });
    const before = await snapshot(db, terminal.id, [m]);
    clock.advance(60_000);
    const again = await pushEvents(db, terminal, batch, clock);
    expect(again).toEqual(first.map((r) => ({ ...r, outcome: 'duplicate' })));
    const mixed = await pushEvents(db, terminal, [batch[1]!, f.earned(m, 5), batch[0]!], clock);
    expect(mixed.map((r) => r.outcome)).toEqual(['duplicate', 'stored', 'duplicate']);
    // 50 + 5, and the over-claimed earn at HQ's figure: 10 of its 60 (the other 50 held for review).
    expect((await member(db, m)).balance).toBe(65);
    const replayed = await pushEvents(db, terminal, [...batch, ...batch], clock);
    expect(replayed.every((r) => r.outcome === 'duplicate')).toBe(true);
    const after = await snapshot(db, terminal.id, [m]);
    expect(after.quarantine).toEqual(before.quarantine);
    expect(after.reviews).toEqual(before.reviews);
    expect(after.events.filter((e) => batch.some((b) => b.id === e.id))).toEqual(before.events);
  });

  it('treats the same event twice in one batch as one', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const e = [f.enrolled(m), f.earned(m, 7)];
    const results = await pushEvents(db, terminal, [e[0]!, e[1]!, e[1]!], clock);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'duplicate']);
    expect(results[2]).toEqual({ ...results[1], outcome: 'duplicate' });
    expect((await member(db, m)).balance).toBe(7);
  });

  it('quarantines the same id with different content, once, as a conflict', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const enrolled = f.enrolled(m);
    const earned = f.earned(m, 30);
    await pushEvents(db, terminal, [enrolled, earned], clock);
    const forged = { ...earned, payload: { ...earned.payload, points: 3000 } };
    const [result] = await pushEvents(db, terminal, [forged], clock);
    expect(result).toEqual({
      id: earned.id,
      outcome: 'conflict',
      status: 'quarantined',
      memberSeq: null,
      reason: expect.stringMatching(/already received with different content/),
    });
    const again = await pushEvents(db, terminal, [forged, earned], clock);
    expect(again.map((r) => r.outcome)).toEqual(['conflict', 'duplicate']);
    expect((await member(db, m)).balance).toBe(30);
    const quarantined = await db.query<{ event_id: string; body: { payload: { points: number } } }>(
      'SELECT event_id, body FROM quarantine WHERE terminal_id = $1',
      [terminal.id],
    );
    expect(quarantined.rows).toHaveLength(1);
    expect(quarantined.rows[0]?.body.payload.points).toBe(3000);
    expect((await reviewsOf(db, terminal.id)).map((r) => [r.kind, r.event_id])).toEqual([
      ['conflict', earned.id],
    ]);
  });

  it('quarantines a different event at a terminalSeq already used', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    await pushEvents(db, terminal, [f.enrolled(m), f.earned(m, 10)], clock);
    const other = eventFactory({ terminalId: terminal.id, storeId: terminal.storeId, idPrefix: 'abcdef01' });
    other.enrolled(m);
    const impostor = other.earned(m, 99);
    const [result] = await pushEvents(db, terminal, [impostor], clock);
    expect(result).toMatchObject({ outcome: 'conflict', status: 'quarantined', memberSeq: null });
    expect(result?.reason).toMatch(/terminalSeq 2 already holds event/);
    expect((await member(db, m)).balance).toBe(10);
    expect((await reviewsOf(db, terminal.id)).map((r) => r.kind)).toEqual(['conflict']);
  });

  it('refuses events of another terminal or store and stores nothing', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const { terminal: other, f: g } = await terminalWithFactory(db);
    const m = uniq('m');
    const before = await snapshot(db, terminal.id, [m]);
    await expect(pushEvents(db, terminal, [f.enrolled(m), g.enrolled(uniq('m'))], clock)).rejects.toThrow(
      AuthorisationError,
    );
    await expect(
      pushEvents(db, { ...terminal, storeId: other.storeId }, [f.earned(m, 1)], clock),
    ).rejects.toThrow(AuthorisationError);
    const lying = eventFactory({ terminalId: terminal.id, storeId: other.storeId }).enrolled(m);
    await expect(pushEvents(db, terminal, [lying], clock)).rejects.toThrow(/store/);
    await expect(pushEvents(db, { id: 'hq', storeId: 'hq' }, [], clock)).rejects.toThrow(AuthorisationError);
    const unknown = eventFactory({ terminalId: 'not-enrolled', storeId: 's' }).enrolled(m);
    await expect(pushEvents(db, { id: 'not-enrolled', storeId: 's' }, [unknown], clock)).rejects.toThrow(
      AuthorisationError,
    );
    expect(await snapshot(db, terminal.id, [m])).toEqual(before);
  });

  it('refuses a batch with an invalid event whole, saying what is wrong', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const good = f.enrolled(m);
    const before = await snapshot(db, terminal.id, [m]);
    const bad = { ...f.earned(m, 5), payload: { points: -1 } } as unknown as LedgerEvent;
    const error = await pushEvents(db, terminal, [good, bad], clock).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBatchError);
    expect((error as InvalidBatchError).problems[0]?.path).toMatch(/^events\.1\.payload/);
    const notUuid = { ...good, id: '-'.repeat(36) };
    await expect(pushEvents(db, terminal, [notUuid], clock)).rejects.toThrow(/events\.0\.id: a UUID/);
    const nul = f.enrolled(uniq('m'), { displayName: 'Ada\u0000' });
    await expect(pushEvents(db, terminal, [nul], clock)).rejects.toThrow(/displayName: text with a NUL/);
    await expect(pushEvents(db, terminal, [null as unknown as LedgerEvent], clock)).rejects.toThrow(
      InvalidBatchError,
    );
    expect(await snapshot(db, terminal.id, [m])).toEqual(before);
  });

  it('rolls the whole batch back when a statement fails mid-batch', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const batch = [f.enrolled(m, { cards: [uniq('card')] }), f.earned(m, 10), f.redeemed(m, 50)];
    const before = await snapshot(db, terminal.id, [m]);
    for (const pattern of [/INSERT INTO events/, /UPDATE members/, /INSERT INTO cards/, /UPDATE terminals/]) {
      await expect(pushEvents(failingOn(db, pattern), terminal, batch, clock)).rejects.toThrow(
        'injected failure',
      );
      expect(await snapshot(db, terminal.id, [m])).toEqual(before);
    }
    const results = await pushEvents(db, terminal, batch, clock);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored']);
  });

  it('flags a gap, applies the events after it, and re-projects when the missing ones arrive', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const all = [f.enrolled(m), f.earned(m, 100), f.redeemed(m, 80), f.redeemed(m, 50), f.earned(m, 40)];
    const first = await pushEvents(db, terminal, [all[0]!, all[1]!, all[4]!], clock);
    expect(first[2]).toMatchObject({
      outcome: 'stored',
      status: 'flagged',
      reason: 'gap: events 3–4 missing',
    });
    expect((await member(db, m)).balance).toBe(140);
    const gap = (await reviewsOf(db, terminal.id)).find((r) => r.kind === 'gap');
    expect(gap).toMatchObject({ status: 'open', details: { from: 3, to: 4 } });

    // Event 4 arrives alone: still a gap before it (3), placed before 5 in the member's history.
    const late4 = await pushEvents(db, terminal, [all[3]!], clock);
    expect(late4[0]).toMatchObject({ outcome: 'stored', status: 'posted', memberSeq: 4 });
    const late3 = await pushEvents(db, terminal, [all[2]!], clock);
    expect(late3[0]).toMatchObject({ outcome: 'stored', memberSeq: 5 });
    // 3 spends 80 of 100, 4 spends 20 and owes 30, 5 repays it: HQ's member is the terminal-order result.
    expect(late3[0]?.status).toBe('posted');
    const doc = await member(db, m);
    expect({ ...doc, memberSeq: 0 }).toEqual({ ...applyEvents(null, all, program), memberSeq: 0 });
    expect(doc.memberSeq).toBe(5);
    expect(doc.seen[terminal.id]).toBe(5);
    expect(netPoints(doc)).toBe(10);
    const deltas = await db.query<{ sum: number }>(
      'SELECT sum(points_delta)::bigint AS sum FROM events WHERE member_id = $1',
      [m],
    );
    expect(deltas.rows[0]?.sum).toBe(netPoints(doc));
    expect((await reviewsOf(db, terminal.id)).find((r) => r.kind === 'gap')?.status).toBe('resolved');
  });

  it('flags a chain break and an altered event', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const a = f.enrolled(m);
    const b = f.earned(m, 10);
    const c = f.earned(m, 20);
    const broken = { ...b, prevHash: 'f'.repeat(64) };
    const rehashed = { ...broken, hash: eventHash(broken) };
    const altered = { ...c, prevHash: rehashed.hash, payload: { ...c.payload, points: 21 } };
    const results = await pushEvents(db, terminal, [a, rehashed, altered], clock);
    expect(results.map((r) => r.status)).toEqual(['posted', 'flagged', 'flagged']);
    expect(results[1]?.reason).toBe('chain break: event 2 does not follow event 1');
    expect(results[2]?.reason).toMatch(
      /^the event's content does not match its hash: its 21 points are held/,
    );
    const reviews = await reviewsOf(db, terminal.id);
    expect(reviews.map((r) => r.kind)).toEqual(['chain-break', 'altered']);
    // An altered event is stored and its credit held whole, for an administrator to approve or reject.
    expect(reviews[1]?.details).toMatchObject({ held: 21, applied: 0 });
    expect((await member(db, m)).balance).toBe(10);
  });

  it('flags a late event that does not fit between its neighbours', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const [a, b, c] = [f.enrolled(m), f.earned(m, 10), f.earned(m, 20)];
    await pushEvents(db, terminal, [a, c], clock);
    const swapped = { ...b, payload: { ...b.payload, points: 11 } };
    const resealed = { ...swapped, hash: eventHash(swapped) };
    const [result] = await pushEvents(db, terminal, [resealed], clock);
    expect(result?.reason).toMatch(/chain break: event 2/);
  });

  it('re-quotes earns under the version named: an over-claim is applied at HQ figure, the rest held', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const results = await pushEvents(
      db,
      terminal,
      [f.enrolled(m), f.earned(m, 50), f.earned(m, 500, undefined, { eligible: 2_000 })],
      clock,
    );
    expect(results[1]?.status).toBe('posted');
    expect(results[2]).toMatchObject({
      status: 'flagged',
      reason: 'quoted 500 points, HQ computes 20 under program v1: 20 applied, 480 held',
    });
    expect((await member(db, m)).balance).toBe(70);
    expect((await eventRow(db, results[2]!.id))?.points_delta).toBe(20);
    const [review] = (await reviewsOf(db, terminal.id)).filter((r) => r.kind === 'quote-mismatch');
    expect(review?.details).toMatchObject({
      quoted: 500,
      computed: 20,
      programVersion: 1,
      held: 480,
      applied: 20,
    });
  });

  it('keeps two redemptions of the same points, with debt and an overdraft review, repaid by later earns', async () => {
    const one = await terminalWithFactory(db);
    const two = await terminalWithFactory(db, one.terminal.storeId);
    const m = uniq('m');
    await pushEvents(db, one.terminal, [one.f.enrolled(m), one.f.earned(m, 100)], clock);
    await pushEvents(db, one.terminal, [one.f.redeemed(m, 80, undefined, { mode: 'offline' })], clock);
    const [late] = await pushEvents(
      db,
      two.terminal,
      [two.f.redeemed(m, 70, undefined, { mode: 'offline' })],
      clock,
    );
    expect(late).toMatchObject({ outcome: 'stored', status: 'flagged', reason: 'overdraft: debt 50' });
    expect(await member(db, m)).toMatchObject({ balance: 0, debt: 50, offlineAllowance: 0 });
    const reviews = await listReviews(db, { status: 'open', kind: 'overdraft', limit: 1000 });
    expect(reviews.find((r) => r.memberId === m)).toMatchObject({
      terminalId: two.terminal.id,
      eventId: late?.id,
      details: { debt: 50, cost: 70, available: 20, mode: 'offline' },
    });
    await pushEvents(db, one.terminal, [one.f.earned(m, 60)], clock);
    expect(await member(db, m)).toMatchObject({ balance: 10, debt: 0 });
  });

  it('keeps events of an unknown member aside and applies them once the enrollment arrives', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const enrolled = f.enrolled(m);
    const earned = f.earned(m, 25);
    const [waiting] = await pushEvents(db, terminal, [earned], clock);
    expect(waiting).toMatchObject({ outcome: 'stored', status: 'flagged', memberSeq: null });
    expect(waiting?.reason).toMatch(/member unknown at HQ/);
    expect(await getMember(db, m)).toBeNull();
    expect((await reviewsOf(db, terminal.id)).map((r) => r.kind)).toEqual(['gap', 'unknown-member']);

    const results = await pushEvents(db, terminal, [enrolled, earned], clock);
    expect(results[0]).toMatchObject({ outcome: 'stored', status: 'posted', memberSeq: 1 });
    expect(results[1]).toMatchObject({ outcome: 'duplicate', status: 'flagged', memberSeq: 2 });
    expect(results[1]?.reason).toMatch(/applied once the member was enrolled/);
    expect(await member(db, m)).toMatchObject({ balance: 25, memberSeq: 2, seen: { [terminal.id]: 2 } });
    const row = await eventRow(db, earned.id);
    expect(row).toMatchObject({ applied: true, member_seq: 2, points_delta: 25 });
    // Its unknown-member item is resolved in the transaction that applied it (and the gap's, filled).
    const reviews = await reviewsOf(db, terminal.id);
    expect(reviews.map((r) => [r.kind, r.status])).toEqual([
      ['gap', 'resolved'],
      ['unknown-member', 'resolved'],
    ]);
    expect(reviews[1]?.details).toMatchObject({ resolution: 'applied once the member was enrolled' });
  });

  it('voids once, refuses a second void and a void that differs from HQ copy, flags a void of an unknown event', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    const enrolled = f.enrolled(m);
    const earn = f.earned(m, 100);
    await pushEvents(db, terminal, [enrolled, earn], clock);
    const void1 = f.voided(earn);
    const void2 = f.voided(earn);
    const forged = f.voided({ ...earn, payload: { ...earn.payload, points: 1000 } });
    const stranger = f.voided({ ...f.earned(m, 5), id: '0000aaaa-0000-7000-8000-000000000001' });
    const results = await pushEvents(db, terminal, [void1, void2, forged], clock);
    expect(results.map((r) => r.status)).toEqual(['posted', 'flagged', 'flagged']);
    expect(results[1]?.reason).toMatch(/^double void: event .* is already voided; not applied$/);
    expect(results[2]?.reason).toMatch(/^void mismatch/);
    expect(results.map((r) => r.memberSeq)).toEqual([3, 4, 5]);
    expect(await member(db, m)).toMatchObject({ balance: 0, memberSeq: 5, seen: { [terminal.id]: 5 } });
    expect((await eventRow(db, void2.id))?.applied).toBe(false);
    const kinds = (await reviewsOf(db, terminal.id)).map((r) => r.kind);
    expect(kinds).toEqual(['double-void', 'void-mismatch']);
    // The skipped earn (seq 6) is missing: the void of it is a gap and a void of an unknown event.
    const [unknown] = await pushEvents(db, terminal, [stranger], clock);
    expect(unknown?.status).toBe('flagged');
    expect(unknown?.reason).toMatch(
      /void of event 0000aaaa-0000-7000-8000-000000000001, which HQ has not received/,
    );
  });

  it('links cards, keeps profiles at HQ only, and flags a card that belongs to another member', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const [a, b] = [uniq('m'), uniq('m')];
    const [c1, c2, c3] = [uniq('card'), uniq('card'), uniq('card')];
    const phoneHash = 'b'.repeat(64);
    const profile = {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      phone: '+33 6 12 34 56 78',
    };
    await pushEvents(
      db,
      terminal,
      [f.enrolled(a, { cards: [c1, c2], phoneHash, phoneLast4: '5678', profile })],
      clock,
    );
    const results = await pushEvents(
      db,
      terminal,
      [f.enrolled(b, { cards: [c2, c3] }), f.updated(a, { removeCards: [c1], addCards: [c3] })],
      clock,
    );
    expect(results[0]).toMatchObject({
      status: 'flagged',
      reason: `card …${c2.slice(-4)} belongs to another member`,
    });
    expect(results[1]).toMatchObject({
      status: 'flagged',
      reason: `card …${c3.slice(-4)} belongs to another member`,
    });
    expect((await findMembers(db, { card: c2 })).map((d) => d.id)).toEqual([a]);
    expect((await findMembers(db, { card: c3 })).map((d) => d.id)).toEqual([b]);
    expect(await findMembers(db, { card: c1 })).toEqual([]);
    const byPhone = await findMembers(db, { phoneHash });
    expect(byPhone.map((d) => [d.id, d._deleted])).toEqual([[a, false]]);
    const doc = await db.query<{ doc: unknown }>('SELECT doc FROM members WHERE id = $1', [a]);
    expect(JSON.stringify(doc.rows[0]?.doc)).not.toMatch(/Lovelace|ada@example|12 34/);
    const stored = await db.query(
      'SELECT first_name, last_name, email, phone FROM member_profiles WHERE member_id = $1',
      [a],
    );
    expect(stored.rows).toEqual([
      { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', phone: '+33 6 12 34 56 78' },
    ]);
    const reviews = await reviewsOf(db, terminal.id);
    expect(reviews.map((r) => r.kind)).toEqual(['card-conflict', 'card-conflict']);
    expect(JSON.stringify(reviews)).not.toContain(c2);
  });

  it('refuses a second enrollment of a member', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const m = uniq('m');
    await pushEvents(db, terminal, [f.enrolled(m), f.earned(m, 10)], clock);
    const [again] = await pushEvents(db, terminal, [f.enrolled(m)], clock);
    expect(again).toMatchObject({ status: 'flagged', memberSeq: 3 });
    expect(again?.reason).toMatch(/^re-enrollment/);
    expect(await member(db, m)).toMatchObject({ balance: 10, memberSeq: 3 });
  });

  it('credits the referrer once, with an HQ event, on the referred member first earn', async () => {
    const { terminal, f } = await terminalWithFactory(db);
    const [referrer, referred] = [uniq('m'), uniq('m')];
    await pushEvents(
      db,
      terminal,
      [f.enrolled(referrer), f.enrolled(referred, { referredBy: referrer })],
      clock,
    );
    const first = await pushEvents(
      db,
      terminal,
      [f.earned(referred, 120, undefined, { eligible: 10_000 })],
      clock,
    );
    expect(first[0]).toMatchObject({ status: 'posted' });
    await pushEvents(db, terminal, [f.earned(referred, 10)], clock);
    expect((await member(db, referrer)).balance).toBe(50);
    expect((await member(db, referred)).balance).toBe(130);
    const hq = await db.query<{ body: LedgerEvent; status: string }>(
      "SELECT body, status FROM events WHERE terminal_id = 'hq' AND member_id = $1",
      [referrer],
    );
    expect(hq.rows).toHaveLength(1);
    expect(hq.rows[0]?.status).toBe('posted');
    expect(hq.rows[0]?.body).toMatchObject({
      type: 'bonus-awarded',
      storeId: 'hq',
      cashierId: 'hq',
      programVersion: 1,
      payload: { kind: 'referral', points: 50, note: `referral of member ${referred}` },
    });
  });

  it('flags an event naming a program version HQ never published, projecting under the current one', async () => {
    const { terminal } = await terminalWithFactory(db);
    const f = eventFactory({ terminalId: terminal.id, storeId: terminal.storeId, programVersion: 9 });
    const m = uniq('m');
    const [result] = await pushEvents(db, terminal, [f.enrolled(m)], clock);
    expect(result).toMatchObject({
      status: 'flagged',
      reason: 'program v9 is not published at HQ; projected under v1',
    });
    expect((await reviewsOf(db, terminal.id)).map((r) => r.kind)).toEqual(['unknown-program']);
  });
});

describe('pushEvents without a program', () => {
  it('refuses to ingest until a program is published', async () => {
    const t = await pgliteDatabase();
    try {
      const { terminal, f } = await terminalWithFactory(t.db);
      await expect(pushEvents(t.db, terminal, [f.enrolled('m')], clockAt())).rejects.toThrow(
        /No program is published/,
      );
      expect((await t.db.query('SELECT 1 FROM events')).rowCount).toBe(0);
    } finally {
      await t.close();
    }
  });
});

describe('contentHash', () => {
  it("is the ledger's eventHash (Node's SHA-256 over the same canonical JSON)", () => {
    const f = eventFactory();
    const earned = f.earned('m', 42);
    const events: LedgerEvent[] = [
      f.enrolled('m', { displayName: 'Zoë Ü.', cards: ['c1'], profile: null }),
      earned,
      f.redeemed('m', 5),
      f.voided(earned),
    ];
    for (const e of events) expect(contentHash(e)).toBe(eventHash(e));
  });
});

// A till's earn on a card it did not know (issue 15), at HQ on both databases: the till's event is stored as
// sealed against the card's placeholder and applied to no member; a card HQ knows credits its member once
// with HQ's own earn naming the till's event (a re-push changes nothing), at HQ's figure (an over-claim's
// difference held for review); a card HQ does not know either opens a `card-unknown` item and makes no
// member, and approving it once the card is enrolled credits the member then.
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../../src-hq/db/database.js';
import { AuthorisationError, InvalidBatchError, pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import {
  approveReview,
  ReviewNotCreditableError,
  ReviewResolvedError,
} from '../../../src-hq/store/reviews.js';
import { cardEarnMemberId } from '../../../src-shared/ledger/card-earn.js';
import type { EventOf } from '../../../src-shared/ledger/events.js';
import { netPoints } from '../../../src-shared/ledger/member.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, reviewsOf, terminalWithFactory, uniq } from './helpers.js';

const clock = clockAt('2025-03-10T12:00:00.000Z');
let cards = 0;
/** A loyalty card number no other test uses (13 digits, not a payment card's pattern). */
const newCard = (): string =>
  `2900${String(process.pid % 1000).padStart(3, '0')}${String(++cards).padStart(6, '0')}`;
const placeholder = (card: string): string => cardEarnMemberId(card) as string;

async function balance(db: Queryable, id: string): Promise<number> {
  const m = await getMember(db, id);
  if (!m) throw new Error(`member ${id} missing`);
  return netPoints(m);
}

/** HQ's earns that credit the till's event `eventId`. */
async function credits(db: Queryable, eventId: string) {
  const { rows } = await db.query<{ member_id: string; body: EventOf<'points-earned'> }>(
    `SELECT member_id, body FROM events
     WHERE terminal_id = 'hq' AND type = 'points-earned' AND body->'payload'->'attached'->>'eventId' = $1`,
    [eventId],
  );
  return rows;
}

async function eventRow(db: Queryable, id: string) {
  const { rows } = await db.query<{
    status: string;
    reason: string | null;
    applied: boolean;
    member_seq: number | null;
  }>('SELECT status, reason, applied, member_seq FROM events WHERE id = $1', [id]);
  return rows[0];
}

describe.each(databases)('earns on a card the till did not know, on %s', (_name, open) => {
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('credit the card member once, with HQ’s own earn naming the till’s event; a re-push changes nothing', async () => {
    const home = await terminalWithFactory(db);
    const away = await terminalWithFactory(db);
    const card = newCard();
    const memberId = uniq('m');
    await pushEvents(db, home.terminal, [home.f.enrolled(memberId, { cards: [card] })], clock);
    const earn = away.f.earned(placeholder(card), 40);
    const batch = [earn];

    const [first] = await pushEvents(db, away.terminal, batch, clock);
    expect(first).toMatchObject({ outcome: 'stored', status: 'posted', memberSeq: null });
    expect(await balance(db, memberId)).toBe(40);
    const made = await credits(db, earn.id);
    expect(made).toHaveLength(1);
    expect(made[0]?.member_id).toBe(memberId);
    expect(made[0]?.body.payload).toMatchObject({
      points: 40,
      attached: {
        eventId: earn.id,
        terminalId: away.terminal.id,
        storeId: away.terminal.storeId,
        claimed: 40,
      },
    });
    expect(made[0]?.body.occurredAt).toBe(earn.occurredAt);
    // The till's event is kept as sealed, against the card, applied to no member.
    expect(await eventRow(db, earn.id)).toMatchObject({ status: 'posted', applied: false, member_seq: null });
    expect(await getMember(db, placeholder(card))).toBeNull();
    expect(await reviewsOf(db, away.terminal.id)).toEqual([]);
    // The member now counts as active at the till's store: its tills get them on their next pull.
    const scope = await db.query(
      'SELECT 1 FROM member_scopes WHERE store_id = $1 AND member_id = $2 AND last_active IS NOT NULL',
      [away.terminal.storeId, memberId],
    );
    expect(scope.rows).toHaveLength(1);

    const [again] = await pushEvents(db, away.terminal, batch, clock);
    expect(again).toMatchObject({ outcome: 'duplicate', status: 'posted' });
    expect(await balance(db, memberId)).toBe(40);
    expect(await credits(db, earn.id)).toHaveLength(1);
  });

  it('credit HQ’s figure for an over-claim and hold the difference on a review item of the member', async () => {
    const home = await terminalWithFactory(db);
    const away = await terminalWithFactory(db);
    const card = newCard();
    const memberId = uniq('m');
    await pushEvents(db, home.terminal, [home.f.enrolled(memberId, { cards: [card] })], clock);
    // 30.00 EUR earns 30 points under the test program; the till claims 50.
    const earn = away.f.earned(placeholder(card), 50, undefined, { eligible: 3000 });

    const [result] = await pushEvents(db, away.terminal, [earn], clock);
    expect(result).toMatchObject({ outcome: 'stored', status: 'flagged' });
    expect(await balance(db, memberId)).toBe(30);
    expect((await credits(db, earn.id))[0]?.body.payload).toMatchObject({
      points: 30,
      attached: { claimed: 50 },
    });
    const reviews = await reviewsOf(db, away.terminal.id);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ kind: 'quote-mismatch', event_id: earn.id, member_id: memberId });
    expect(reviews[0]?.details).toMatchObject({ quoted: 50, computed: 30, held: 20, applied: 30 });

    const { rows } = await db.query<{ id: number }>('SELECT id FROM review_items WHERE event_id = $1', [
      earn.id,
    ]);
    await approveReview(db, rows[0]!.id, { by: 'Ada' }, clock);
    expect(await balance(db, memberId)).toBe(50);
  });

  it('open a card-unknown item for a card HQ does not know either, make no member, and credit on approval once enrolled', async () => {
    const away = await terminalWithFactory(db);
    const home = await terminalWithFactory(db);
    const card = newCard();
    const earn = away.f.earned(placeholder(card), 25);

    const [result] = await pushEvents(db, away.terminal, [earn], clock);
    expect(result).toMatchObject({ outcome: 'stored', status: 'flagged' });
    expect(result?.reason).toContain('unknown at HQ');
    expect(await eventRow(db, earn.id)).toMatchObject({ applied: false, member_seq: null });
    const reviews = await reviewsOf(db, away.terminal.id);
    expect(reviews).toEqual([
      expect.objectContaining({
        kind: 'card-unknown',
        event_id: earn.id,
        member_id: null,
        details: expect.objectContaining({ card: `…${card.slice(-4)}`, claimed: 25 }) as unknown,
      }),
    ]);
    // No card number in full on the item, and no member made of the placeholder.
    expect(JSON.stringify(reviews)).not.toContain(card);
    expect(await getMember(db, placeholder(card))).toBeNull();
    const members = await db.query("SELECT id FROM members WHERE id LIKE 'card:%'");
    expect(members.rows).toEqual([]);
    expect(await credits(db, earn.id)).toEqual([]);
    // A re-push opens nothing more.
    await pushEvents(db, away.terminal, [earn], clock);
    expect(await reviewsOf(db, away.terminal.id)).toHaveLength(1);

    const { rows } = await db.query<{ id: number }>('SELECT id FROM review_items WHERE event_id = $1', [
      earn.id,
    ]);
    const id = rows[0]!.id;
    await expect(approveReview(db, id, { by: 'Ada' }, clock)).rejects.toBeInstanceOf(
      ReviewNotCreditableError,
    );

    const memberId = uniq('m');
    await pushEvents(db, home.terminal, [home.f.enrolled(memberId, { cards: [card] })], clock);
    const approved = await approveReview(
      db,
      id,
      { by: 'Ada', note: 'card enrolled at the home store' },
      clock,
    );
    expect(approved.status).toBe('resolved');
    expect(await balance(db, memberId)).toBe(25);
    const made = await credits(db, earn.id);
    expect(made).toHaveLength(1);
    expect(approved.creditEventId).toBe(
      (
        await db.query<{ id: string }>(
          `SELECT id::text AS id FROM events WHERE body->'payload'->'attached'->>'eventId' = $1`,
          [earn.id],
        )
      ).rows[0]?.id,
    );
    await expect(approveReview(db, id, { by: 'Bob' }, clock)).rejects.toBeInstanceOf(ReviewResolvedError);
    expect(await balance(db, memberId)).toBe(25);
  });

  it('credit the member a card is enrolled to later in the same batch', async () => {
    const till = await terminalWithFactory(db);
    const card = newCard();
    const memberId = uniq('m');
    const earn = till.f.earned(placeholder(card), 12);
    const enrolled = till.f.enrolled(memberId, { cards: [card] });

    const results = await pushEvents(db, till.terminal, [earn, enrolled], clock);
    expect(results.map((r) => r.status)).toEqual(['posted', 'posted']);
    expect(await balance(db, memberId)).toBe(12);
    expect(await reviewsOf(db, till.terminal.id)).toEqual([]);
  });

  it('refuse a terminal’s credit of a card earn, and a placeholder on anything but an earn', async () => {
    const till = await terminalWithFactory(db);
    const card = newCard();
    const memberId = uniq('m');
    await pushEvents(db, till.terminal, [till.f.enrolled(memberId, { cards: [card] })], clock);
    const forged = till.f.seal('points-earned', memberId, {
      ...till.f.earned(memberId, 5).payload,
      attached: {
        eventId: till.f.nextId(),
        terminalId: till.terminal.id,
        storeId: till.terminal.storeId,
        claimed: 5,
      },
    });
    await expect(pushEvents(db, till.terminal, [forged], clock)).rejects.toBeInstanceOf(AuthorisationError);

    // An enrollment under a placeholder (the sealed schema refuses it, so it is made by hand here).
    const other = await terminalWithFactory(db);
    const enrolled = other.f.enrolled(uniq('m'));
    const forgedEnrollment = { ...enrolled, memberId: placeholder(newCard()) };
    await expect(pushEvents(db, other.terminal, [forgedEnrollment], clock)).rejects.toBeInstanceOf(
      InvalidBatchError,
    );
  });
});

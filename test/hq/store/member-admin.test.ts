// The console's member administration at the store level, on both databases: search by card, phone
// (through the phone lookup key), name and e-mail within a store scope; adjustments within the role's cap
// as HQ events (balances stay folds, the liability moves by exactly the adjustment); a lost card blocked
// and replaced (lookup, pull feed, a till's later enrollment of the blocked card flagged); two members
// merged (cards, points, debt, history, tombstone, liability unchanged); erasure (personal data gone
// from HQ's rows, event bodies and the pull feed, points kept).
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { liabilityReport } from '../../../src-hq/reports/reports.js';
import { appendHqEvents } from '../../../src-hq/store/hq-events.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { adjustPoints } from '../../../src-hq/store/member-admin/adjust.js';
import { replaceCard } from '../../../src-hq/store/member-admin/cards.js';
import { eraseMember } from '../../../src-hq/store/member-admin/erase.js';
import { MemberActionError, UnknownMemberError } from '../../../src-hq/store/member-admin/errors.js';
import { mergeMembers } from '../../../src-hq/store/member-admin/merge.js';
import { memberExport, memberProfile } from '../../../src-hq/store/member-admin/profile.js';
import { searchMembers } from '../../../src-hq/store/member-admin/search.js';
import { findMembers, getMember } from '../../../src-hq/store/members.js';
import { phoneLookupKeys } from '../../../src-hq/store/phone-key.js';
import { currentProgram } from '../../../src-hq/store/programs.js';
import { pull } from '../../../src-hq/store/pull.js';
import { memberDocSchema } from '../../../src-shared/sync/wire.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, reviewsOf, terminalWithFactory, uniq, publishTestProgram } from './helpers.js';

const PHONE = '+353871234567';

/** A member enrolled at a new terminal (its own store) with a profile, a phone, a card and an earn. */
async function enrolled(
  db: Db,
  clock: ReturnType<typeof clockAt>,
  options: { points?: number; first?: string; last?: string; phone?: string | null; storeId?: string } = {},
) {
  const { terminal, f } = await terminalWithFactory(db, options.storeId);
  const memberId = uniq('m');
  const card = `LC${uniq('').replace(/\D/g, '')}`;
  const [phoneHash] = await phoneLookupKeys(db, [options.phone === undefined ? PHONE : options.phone]);
  const first = options.first ?? 'Ada';
  const last = options.last ?? `Lovelace${uniq('').replace(/\D/g, '')}`;
  await pushEvents(
    db,
    terminal,
    [
      f.enrolled(memberId, {
        displayName: `${first} ${last[0]}.`,
        phoneHash: phoneHash ?? null,
        phoneLast4: phoneHash ? '4567' : null,
        birthMonth: 7,
        cards: [card],
        profile: {
          firstName: first,
          lastName: last,
          email: `${last.toLowerCase()}@example.org`,
          phone: options.phone === undefined ? PHONE : options.phone,
        },
      }),
      ...(options.points ? [f.earned(memberId, options.points)] : []),
    ],
    clock,
  );
  return { memberId, card, terminal, f, first, last, email: `${last.toLowerCase()}@example.org` };
}

async function liability(db: Db): Promise<number> {
  const program = await currentProgram(db);
  return (await liabilityReport(db, program!)).netPoints;
}

/** The sum of what HQ applied to a member: the fold the balance must equal. */
async function appliedSum(db: Db, memberId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    'SELECT coalesce(sum(points_delta), 0)::text AS n FROM events WHERE member_id = $1 AND applied',
    [memberId],
  );
  return Number(rows[0]!.n);
}

async function memberDocsPulled(db: Db, terminal: { id: string; storeId: string }, id: string) {
  const { documents } = await pull(db, 'members', { limit: 100_000 }, terminal);
  return documents.map((d) => memberDocSchema.parse(d)).filter((d) => d.id === id);
}

describe.each(databases)('member administration on %s', (_name, open) => {
  const clock = clockAt();
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('finds a member by card, by phone typed as a till would (never a plain phone), by name and by e-mail', async () => {
    const a = await enrolled(db, clock, { points: 40 });
    const find = async (text: string, scope: string[] | null = null) =>
      (await searchMembers(db, { text, scope, page: 1, pageSize: 50 })).members.map((m) => m.id);
    expect(await find(a.card)).toEqual([a.memberId]);
    expect(await find('087 123 4567')).toContain(a.memberId);
    expect(await find(PHONE)).toContain(a.memberId);
    expect(await find(a.last.slice(0, 6).toUpperCase())).toContain(a.memberId);
    expect(await find(`ada ${a.last.toLowerCase()}`)).toEqual([a.memberId]);
    expect(await find(a.email.toUpperCase())).toEqual([a.memberId]);
    expect(await find('nobody-like-this')).toEqual([]);
    // The phone column holds a lookup key, never the number.
    const { rows } = await db.query<{ phone_hash: string }>('SELECT phone_hash FROM members WHERE id = $1', [
      a.memberId,
    ]);
    expect(rows[0]!.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.phone_hash).not.toContain('871234567');
    // A store manager's scope: the store the member enrolled at.
    expect(await find(a.card, [a.terminal.storeId])).toEqual([a.memberId]);
    expect(await find(a.card, ['another-store'])).toEqual([]);
    // A second enrollment of the member at another store is refused there and does not make it that store's.
    const other = await terminalWithFactory(db);
    await pushEvents(db, other.terminal, [other.f.enrolled(a.memberId)], clock);
    expect((await reviewsOf(db, other.terminal.id)).map((r) => r.kind)).toContain('re-enrollment');
    expect(await find(a.card, [other.terminal.storeId])).toEqual([]);
    const [summary] = (await searchMembers(db, { text: a.card, scope: null, page: 1, pageSize: 5 })).members;
    expect(summary).toMatchObject({
      fullName: `Ada ${a.last}`,
      email: a.email,
      phoneLast4: '4567',
      cards: [a.card],
      balance: 40,
      storeId: a.terminal.storeId,
      erased: false,
    });
  });

  it('pages a search', async () => {
    const last = `Pager${uniq('').replace(/\D/g, '')}`;
    const storeId = uniq('s');
    for (let i = 0; i < 3; i++) await enrolled(db, clock, { last: `${last}${i}`, storeId });
    const page1 = await searchMembers(db, { text: last, scope: null, page: 1, pageSize: 2 });
    const page2 = await searchMembers(db, { text: last, scope: null, page: 2, pageSize: 2 });
    expect([page1.members.length, page1.more, page2.members.length, page2.more]).toEqual([2, true, 1, false]);
    expect(new Set([...page1.members, ...page2.members].map((m) => m.id)).size).toBe(3);
  });

  it('adjusts within the role’s cap as an HQ event: the balance stays the fold and the liability moves by it', async () => {
    const a = await enrolled(db, clock, { points: 100 });
    const before = await liability(db);
    const caps = (await currentProgram(db))!.adjustments.caps;
    const made = await adjustPoints(db, clock, {
      memberId: a.memberId,
      role: 'program-manager',
      username: 'pat',
      points: caps.manager,
      reasonCode: 'goodwill',
      reason: 'late delivery',
    });
    expect(made.balance).toBe(100 + caps.manager);
    expect(await liability(db)).toBe(before + caps.manager);
    expect(await appliedSum(db, a.memberId)).toBe(made.balance);
    const { rows } = await db.query<{ terminal_id: string; body: { payload: Record<string, unknown> } }>(
      'SELECT terminal_id, body FROM events WHERE id = $1',
      [made.eventId],
    );
    expect(rows[0]!.terminal_id).toBe('hq');
    expect(rows[0]!.body.payload).toMatchObject({
      points: caps.manager,
      reasonCode: 'goodwill',
      managerId: 'console:pat',
      note: 'late delivery',
    });

    const refused = (role: 'program-manager' | 'store-manager' | 'analyst', points: number) =>
      adjustPoints(db, clock, {
        memberId: a.memberId,
        role,
        username: 'x',
        points,
        reasonCode: 'goodwill',
        reason: 'too much',
      });
    await expect(refused('program-manager', caps.manager + 1)).rejects.toMatchObject({ code: 'over-cap' });
    await expect(refused('store-manager', caps.manager + 1)).rejects.toMatchObject({ code: 'over-cap' });
    await expect(refused('analyst', 1)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(refused('program-manager', -(made.balance + 1))).rejects.toMatchObject({
      code: 'over-balance',
    });
    // An administrator approves over-cap credits in the review queue: the cap is the ledger's bound.
    const admin = await adjustPoints(db, clock, {
      memberId: a.memberId,
      role: 'admin',
      username: 'ada',
      points: caps.manager + 1,
      reasonCode: 'correction',
      reason: 'migration fix',
    });
    expect(admin.balance).toBe(made.balance + caps.manager + 1);
    const debit = await adjustPoints(db, clock, {
      memberId: a.memberId,
      role: 'store-manager',
      username: 'sam',
      points: -admin.balance,
      reasonCode: 'fraud',
      reason: 'card shared',
    });
    expect([debit.balance, debit.debt]).toEqual([0, 0]);
    expect(await liability(db)).toBe(before - 100);
    await expect(
      adjustPoints(db, clock, {
        memberId: 'no-such-member',
        role: 'admin',
        username: 'ada',
        points: 5,
        reasonCode: 'goodwill',
        reason: 'nobody',
      }),
    ).rejects.toBeInstanceOf(UnknownMemberError);
  });

  it('blocks a lost card and links its replacement: lookup, pull feed, same balance; refusals change nothing', async () => {
    const a = await enrolled(db, clock, { points: 70 });
    const b = await enrolled(db, clock);
    const newCard = `NEW${uniq('').replace(/\D/g, '')}`;
    const replace = (lostCard: string, card: string) =>
      replaceCard(db, clock, { memberId: a.memberId, lostCard, newCard: card, reason: 'lost on the bus' });

    await expect(replace(a.card, '4111 1111 1111 1111')).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(replace(a.card, b.card)).rejects.toMatchObject({ code: 'card-taken' });
    await expect(replace(b.card, newCard)).rejects.toMatchObject({ code: 'not-this-members-card' });
    expect((await getMember(db, a.memberId))!.cards).toEqual([a.card]);

    const cards = await replace(a.card, newCard);
    expect(cards.map((c) => [c.number, c.status, c.replacedBy])).toEqual([
      [newCard, 'active', null],
      [a.card, 'blocked', newCard],
    ]);
    expect(await findMembers(db, { card: a.card })).toEqual([]);
    const [found] = await findMembers(db, { card: newCard });
    expect([found!.id, found!.balance, found!.cards]).toEqual([a.memberId, 70, [newCard]]);
    const docs = await memberDocsPulled(db, b.terminal, a.memberId);
    expect(docs.at(-1)!.cards).toEqual([newCard]);

    // The blocked card cannot be replaced again or linked anywhere: a till enrolling someone with it is
    // flagged and the card is not linked.
    await expect(replace(a.card, `X${newCard}`)).rejects.toMatchObject({ code: 'card-blocked' });
    await expect(
      replaceCard(db, clock, { memberId: b.memberId, lostCard: b.card, newCard: a.card, reason: 'x y z' }),
    ).rejects.toMatchObject({ code: 'card-blocked' });
    const stranger = uniq('m');
    await pushEvents(db, b.terminal, [b.f.enrolled(stranger, { cards: [a.card] })], clock);
    expect((await reviewsOf(db, b.terminal.id)).map((r) => r.kind)).toContain('card-conflict');
    const { rows } = await db.query<{ member_id: string }>('SELECT member_id FROM cards WHERE number = $1', [
      a.card,
    ]);
    expect(rows.map((r) => r.member_id)).toEqual([a.memberId]);
  });

  it('merges two members: cards, points, contact details and history move, the merged one is a tombstone', async () => {
    const survivor = await enrolled(db, clock, { points: 30, phone: null });
    const merged = await enrolled(db, clock, { points: 45 });
    const before = await liability(db);
    const result = await mergeMembers(db, clock, {
      survivorId: survivor.memberId,
      mergedId: merged.memberId,
      username: 'pat',
    });
    expect(result).toEqual({
      survivor: survivor.memberId,
      merged: merged.memberId,
      movedPoints: 45,
      cards: 1,
    });
    const s = (await getMember(db, survivor.memberId))!;
    expect([s.balance, [...s.cards].sort(), s.phoneLast4]).toEqual([
      75,
      [survivor.card, merged.card].sort(),
      '4567',
    ]);
    expect(await liability(db)).toBe(before);
    expect(await appliedSum(db, survivor.memberId)).toBe(75);
    expect(await appliedSum(db, merged.memberId)).toBe(0);
    expect((await findMembers(db, { card: merged.card }))[0]!.id).toBe(survivor.memberId);
    const tomb = await memberDocsPulled(db, survivor.terminal, merged.memberId);
    expect(tomb.at(-1)).toMatchObject({ _deleted: true, cards: [], displayName: '', phoneHash: null });

    const profile = await memberProfile(db, survivor.memberId, { events: 100, creditCap: null });
    expect(profile.mergedFrom).toEqual([merged.memberId]);
    expect(profile.events.some((e) => e.memberId === merged.memberId && e.type === 'points-earned')).toBe(
      true,
    );
    // The survivor keeps its own contact details and takes the phone it lacked from the merged member.
    expect(profile.member.contact).toMatchObject({ lastName: survivor.last, phone: PHONE });
    expect(
      (await searchMembers(db, { text: merged.email, scope: null, page: 1, pageSize: 5 })).members,
    ).toEqual([]);
    await expect(
      adjustPoints(db, clock, {
        memberId: merged.memberId,
        role: 'admin',
        username: 'ada',
        points: 5,
        reasonCode: 'goodwill',
        reason: 'merged',
      }),
    ).rejects.toMatchObject({ code: 'member-gone' });
    await expect(
      mergeMembers(db, clock, { survivorId: survivor.memberId, mergedId: survivor.memberId, username: 'p' }),
    ).rejects.toBeInstanceOf(MemberActionError);

    // An earn for the merged member from a till that had not heard of the merge is applied to it and moved
    // on to the survivor in the same push.
    await pushEvents(db, merged.terminal, [merged.f.earned(merged.memberId, 12)], clock);
    expect((await getMember(db, merged.memberId))!.balance).toBe(0);
    expect((await getMember(db, survivor.memberId))!.balance).toBe(87);
    expect(await appliedSum(db, survivor.memberId)).toBe(87);
    // Points HQ itself gives the merged member (a review credit of one of its items) stay on it until it is
    // merged again: the survivor's profile says so, and merging again moves them, and nothing else.
    await appendHqEvents(
      db,
      [
        {
          type: 'bonus-awarded',
          memberId: merged.memberId,
          payload: { kind: 'campaign', points: 5, actionId: null, note: null },
        },
      ],
      clock,
    );
    const left = await memberProfile(db, survivor.memberId, { events: 10, creditCap: null });
    expect(left.leftOnMerged).toEqual([{ memberId: merged.memberId, points: 5 }]);
    const again = await mergeMembers(db, clock, {
      survivorId: survivor.memberId,
      mergedId: merged.memberId,
      username: 'pat',
    });
    expect([again.movedPoints, again.cards]).toEqual([5, 0]);
    expect((await getMember(db, survivor.memberId))!.balance).toBe(92);
    expect(
      (await memberProfile(db, survivor.memberId, { events: 10, creditCap: null })).leftOnMerged,
    ).toEqual([]);
    expect(await liability(db)).toBe(before + 12 + 5);
  });

  it('moves a merged member’s debt to the survivor', async () => {
    const survivor = await enrolled(db, clock, { points: 50 });
    const merged = await enrolled(db, clock, { points: 10 });
    // Two offline redemptions of the same points leave debt.
    await pushEvents(
      db,
      merged.terminal,
      [
        merged.f.redeemed(merged.memberId, 10),
        merged.f.redeemed(merged.memberId, 10, undefined, { mode: 'offline' }),
      ],
      clock,
    );
    const debt = (await getMember(db, merged.memberId))!.debt;
    expect(debt).toBeGreaterThan(0);
    const before = await liability(db);
    const result = await mergeMembers(db, clock, {
      survivorId: survivor.memberId,
      mergedId: merged.memberId,
      username: 'pat',
    });
    expect(result.movedPoints).toBe(-debt);
    const s = (await getMember(db, survivor.memberId))!;
    expect(s.balance - s.debt).toBe(50 - debt);
    const g = (await getMember(db, merged.memberId))!;
    expect([g.balance, g.debt]).toEqual([0, 0]);
    expect(await liability(db)).toBe(before);
  });

  it('erases a member: personal data gone from HQ’s rows, events and the pull feed; points kept', async () => {
    const a = await enrolled(db, clock, { points: 25 });
    await pushEvents(
      db,
      a.terminal,
      [a.f.updated(a.memberId, { displayName: 'Ada X.', birthMonth: 3 })],
      clock,
    );
    const exported = await memberExport(db, a.memberId, '2025-03-10T12:00:00.000Z');
    expect(exported.member.contact).toMatchObject({ firstName: 'Ada', lastName: a.last, phone: PHONE });
    expect(JSON.stringify(exported.events)).toContain(a.last);
    const before = await liability(db);

    const erased = await eraseMember(db, clock, a.memberId);
    expect(erased.redactedEvents).toBeGreaterThanOrEqual(3);
    const doc = (await getMember(db, a.memberId))!;
    expect(doc).toMatchObject({
      displayName: erased.pseudonym,
      phoneHash: null,
      phoneLast4: null,
      birthMonth: null,
      cards: [],
      status: 'closed',
      balance: 25,
    });
    expect(await liability(db)).toBe(before);
    const { rows: events } = await db.query<{ body: unknown }>(
      'SELECT body FROM events WHERE member_id = $1',
      [a.memberId],
    );
    const stored = JSON.stringify(events);
    for (const personal of [a.last, 'Ada', a.email, PHONE, '871234567', a.card, '"birthMonth":7'])
      expect(stored).not.toContain(personal);
    const { rows: profiles } = await db.query('SELECT 1 FROM member_profiles WHERE member_id = $1', [
      a.memberId,
    ]);
    expect(profiles).toEqual([]);
    expect(await findMembers(db, { card: a.card })).toEqual([]);
    const [phoneHash] = await phoneLookupKeys(db, [PHONE]);
    expect((await findMembers(db, { phoneHash: phoneHash! })).map((m) => m.id)).not.toContain(a.memberId);
    const tomb = await memberDocsPulled(db, a.terminal, a.memberId);
    expect(tomb.at(-1)).toMatchObject({ _deleted: true, displayName: '', phoneHash: null, cards: [] });
    expect((await searchMembers(db, { text: a.card, scope: null, page: 1, pageSize: 5 })).members).toEqual(
      [],
    );
    await expect(eraseMember(db, clock, a.memberId)).rejects.toMatchObject({ code: 'already-erased' });
    // A replay of the redacted events gives the same balance: the fold still holds.
    expect(await appliedSum(db, a.memberId)).toBe(25);
  });
});

// The console's members API on both databases: who may call what (roles), a store manager kept to the
// members enrolled at their stores, the caps per role, refusals with their codes (a payment card, someone
// else's card, a debit past the balance, an erasure without a reason or confirmation), CSRF on writes, the
// export as a download, and an audit row (done or refused, target, why) for every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '../../../src-shared/console/api.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { databases, type TestDatabase } from '../../support/databases.js';
import { apiHarness, type Harness } from '../api/harness.js';
import { publishTestProgram, terminalWithFactory, uniq } from '../store/helpers.js';
import { signedIn, type ConsoleClient } from './session.js';

const api = CONSOLE_API;

describe.each(databases)('console members API on %s', (_name, open) => {
  let t: TestDatabase;
  let h: Harness;
  let admin: ConsoleClient;
  beforeAll(async () => {
    t = await open();
    h = await apiHarness(t.db);
    await publishTestProgram(h.db);
    admin = await signedIn(h.app, h.db, h.clock, 'admin');
  });
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  /** A member enrolled (with a card and a name) at a new store's terminal, with `points`. */
  async function member(points = 100) {
    const { terminal, f } = await terminalWithFactory(h.db);
    const id = uniq('m');
    const card = `C${uniq('').replace(/\D/g, '')}`;
    const last = `Hopper${uniq('').replace(/\D/g, '')}`;
    await pushEvents(
      h.db,
      terminal,
      [
        f.enrolled(id, {
          displayName: 'Grace H.',
          cards: [card],
          profile: { firstName: 'Grace', lastName: last, email: `${last}@example.org`, phone: null },
        }),
        f.earned(id, points),
      ],
      h.clock,
    );
    return { id, card, last, storeId: terminal.storeId };
  }

  async function auditOf(action: string) {
    const { entries } = await admin.ok(api.auditLog, { query: { action } });
    return entries;
  }

  it('lets every role search and read, and only the right roles write', async () => {
    const m = await member();
    const analyst = await signedIn(h.app, h.db, h.clock, 'analyst');
    const manager = await signedIn(h.app, h.db, h.clock, 'program-manager');
    const found = await analyst.ok(api.searchMembers, { query: { q: m.last } });
    expect(found.members.map((x) => x.id)).toEqual([m.id]);
    const profile = await analyst.ok(api.memberProfile, { params: { id: m.id } });
    expect(profile.member.balance).toBe(100);
    expect(profile.yourCreditCap).toBeNull();
    expect(profile.events.map((e) => [e.type, e.state, e.applied])).toEqual([
      ['points-earned', 'applied', 100],
      ['member-enrolled', 'applied', 0],
    ]);
    const body = { points: 10, reasonCode: 'goodwill', reason: 'kind gesture' };
    expect((await analyst.call(api.adjustPoints, { params: { id: m.id }, body })).statusCode).toBe(403);
    expect((await manager.call(api.exportMember, { params: { id: m.id }, body: {} })).statusCode).toBe(403);
    expect(
      (
        await manager.call(api.eraseMember, {
          params: { id: m.id },
          body: { confirm: 'ERASE', reason: 'asked' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await manager.call(api.adjustPoints, { params: { id: m.id }, body, withoutCsrf: true })).statusCode,
    ).toBe(403);
    expect((await getMember(h.db, m.id))!.balance).toBe(100);
    const short = await admin.call(api.searchMembers, { query: { q: 'x' } });
    expect(short.statusCode).toBe(400);
    const pan = await admin.call(api.searchMembers, { query: { q: '4111 1111 1111 1111' } });
    expect(pan.statusCode).toBe(400);
    expect(pan.body).not.toMatch(/4111/);
  });

  it('keeps a store manager to the members enrolled at their stores', async () => {
    const mine = await member();
    const theirs = await member();
    const sm = await signedIn(h.app, h.db, h.clock, 'store-manager', [mine.storeId]);
    expect((await sm.ok(api.searchMembers, { query: { q: mine.card } })).members).toHaveLength(1);
    expect((await sm.ok(api.searchMembers, { query: { q: theirs.card } })).members).toEqual([]);
    expect((await sm.call(api.memberProfile, { params: { id: theirs.id } })).statusCode).toBe(403);
    const adjust = { points: 5, reasonCode: 'goodwill', reason: 'kind gesture' };
    const refused = await sm.call(api.adjustPoints, { params: { id: theirs.id }, body: adjust });
    expect([refused.statusCode, refused.json<{ error: string }>().error]).toEqual([
      403,
      'outside-your-stores',
    ]);
    expect((await getMember(h.db, theirs.id))!.balance).toBe(100);
    const done = await sm.ok(api.adjustPoints, { params: { id: mine.id }, body: adjust });
    expect(done.balance).toBe(105);
    expect(
      (
        await sm.call(api.mergeMembers, {
          params: { id: mine.id },
          body: { mergedId: theirs.id, reason: 'dup' },
        })
      ).statusCode,
    ).toBe(403);
    const rows = (await auditOf('member.adjust')).filter((e) => e.target === `member ${theirs.id}`);
    expect(rows.map((e) => [e.outcome, e.reason])).toEqual([['refused', 'kind gesture']]);
  });

  it('caps credits by role, refuses a debit past the balance, and audits both outcomes', async () => {
    const m = await member(50);
    const manager = await signedIn(h.app, h.db, h.clock, 'program-manager');
    const profile = await manager.ok(api.memberProfile, { params: { id: m.id } });
    const cap = profile.yourCreditCap!;
    expect(cap).toBeGreaterThan(0);
    const over = await manager.call(api.adjustPoints, {
      params: { id: m.id },
      body: { points: cap + 1, reasonCode: 'goodwill', reason: 'too generous' },
    });
    expect([over.statusCode, over.json<{ error: string }>().error]).toEqual([403, 'over-cap']);
    const debit = await manager.call(api.adjustPoints, {
      params: { id: m.id },
      body: { points: -51, reasonCode: 'fraud', reason: 'more than held' },
    });
    expect([debit.statusCode, debit.json<{ error: string }>().error]).toEqual([409, 'over-balance']);
    const noReason = await manager.call(api.adjustPoints, {
      params: { id: m.id },
      body: { points: 5, reasonCode: 'goodwill' },
    });
    expect(noReason.statusCode).toBe(400);
    const ok = await admin.ok(api.adjustPoints, {
      params: { id: m.id },
      body: { points: cap + 1, reasonCode: 'correction', reason: 'approved over the cap' },
    });
    expect(ok.balance).toBe(50 + cap + 1);
    const after = await admin.ok(api.memberProfile, { params: { id: m.id } });
    expect(after.events[0]).toMatchObject({
      id: ok.eventId,
      type: 'points-adjusted',
      terminalId: 'hq',
      state: 'applied',
      applied: cap + 1,
    });
    const rows = (await auditOf('member.adjust')).filter((e) => e.target === `member ${m.id}`);
    expect(rows.map((e) => [e.outcome, e.reason, (e.details as { points: number }).points])).toEqual([
      ['done', 'approved over the cap', cap + 1],
      ['refused', 'more than held', -51],
      ['refused', 'too generous', cap + 1],
    ]);
  });

  it('replaces a lost card, refusing a payment card and another member’s card', async () => {
    const m = await member();
    const other = await member();
    const pan = await admin.call(api.replaceCard, {
      params: { id: m.id },
      body: { lostCard: m.card, newCard: '4111111111111111', reason: 'lost' },
    });
    expect(pan.statusCode).toBe(400);
    expect(pan.body).not.toContain('4111111111111111');
    const taken = await admin.call(api.replaceCard, {
      params: { id: m.id },
      body: { lostCard: m.card, newCard: other.card, reason: 'lost' },
    });
    expect([taken.statusCode, taken.json<{ error: string }>().error]).toEqual([409, 'card-taken']);
    const newCard = `N${uniq('').replace(/\D/g, '')}`;
    const { cards } = await admin.ok(api.replaceCard, {
      params: { id: m.id },
      body: { lostCard: m.card, newCard, reason: 'lost on the bus' },
    });
    expect(cards.map((c) => [c.number, c.status])).toEqual([
      [newCard, 'active'],
      [m.card, 'blocked'],
    ]);
    expect((await admin.ok(api.searchMembers, { query: { q: m.card } })).members).toEqual([]);
    expect((await admin.ok(api.searchMembers, { query: { q: newCard } })).members[0]).toMatchObject({
      id: m.id,
      balance: 100,
    });
    const rows = (await auditOf('member.card-replace')).filter((e) => e.target === `member ${m.id}`);
    expect(rows.map((e) => [e.outcome, e.reason])).toEqual([
      ['done', 'lost on the bus'],
      ['refused', 'lost'],
    ]);
    expect(JSON.stringify(await auditOf('member.card-replace'))).not.toContain('4111111111111111');
  });

  it('merges two members (program roles), and answers the merged one as merged', async () => {
    const survivor = await member(10);
    const merged = await member(20);
    const manager = await signedIn(h.app, h.db, h.clock, 'program-manager');
    const done = await manager.ok(api.mergeMembers, {
      params: { id: survivor.id },
      body: { mergedId: merged.id, reason: 'enrolled twice' },
    });
    expect(done).toEqual({ survivor: survivor.id, merged: merged.id, movedPoints: 20, cards: 1 });
    const profile = await manager.ok(api.memberProfile, { params: { id: merged.id } });
    expect(profile.member.mergedInto).toBe(survivor.id);
    const again = await manager.call(api.adjustPoints, {
      params: { id: merged.id },
      body: { points: 1, reasonCode: 'goodwill', reason: 'to the merged one' },
    });
    expect([again.statusCode, again.json<{ error: string }>().error]).toEqual([409, 'member-gone']);
    const self = await manager.call(api.mergeMembers, {
      params: { id: survivor.id },
      body: { mergedId: survivor.id, reason: 'oops' },
    });
    expect(self.statusCode).toBe(400);
    const rows = (await auditOf('member.merge')).filter((e) => e.target === `member ${survivor.id}`);
    expect(rows.map((e) => [e.outcome, e.reason])).toEqual([
      ['refused', 'oops'],
      ['done', 'enrolled twice'],
    ]);
  });

  it('exports a member as a JSON download and erases them with a typed confirmation and a reason', async () => {
    const m = await member(30);
    const exported = await admin.call(api.exportMember, {
      params: { id: m.id },
      body: { reason: 'DSAR 12' },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toBe(`attachment; filename="member-${m.id}.json"`);
    const document = api.exportMember.response.parse(exported.json());
    expect(document.member.contact).toMatchObject({ firstName: 'Grace', lastName: m.last });
    expect(document.cards.map((c) => c.number)).toEqual([m.card]);
    expect(document.events).toHaveLength(2);

    const noReason = await admin.call(api.eraseMember, { params: { id: m.id }, body: { confirm: 'ERASE' } });
    expect(noReason.statusCode).toBe(400);
    const unconfirmed = await admin.call(api.eraseMember, {
      params: { id: m.id },
      body: { confirm: 'erase', reason: 'asked to be forgotten' },
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect((await getMember(h.db, m.id))!.displayName).toBe('Grace H.');
    const erased = await admin.ok(api.eraseMember, {
      params: { id: m.id },
      body: { confirm: 'ERASE', reason: 'asked to be forgotten' },
    });
    const after = await admin.ok(api.memberProfile, { params: { id: m.id } });
    expect(after.member).toMatchObject({
      displayName: erased.pseudonym,
      fullName: null,
      email: null,
      contact: null,
      cards: [],
      erased: true,
      balance: 30,
    });
    expect(JSON.stringify(after)).not.toContain(m.last);
    const twice = await admin.call(api.eraseMember, {
      params: { id: m.id },
      body: { confirm: 'ERASE', reason: 'again' },
    });
    expect([twice.statusCode, twice.json<{ error: string }>().error]).toEqual([409, 'already-erased']);
    const rows = (await auditOf('member.erase')).filter((e) => e.target === `member ${m.id}`);
    expect(rows.map((e) => [e.outcome, e.reason])).toEqual([
      ['refused', 'again'],
      ['done', 'asked to be forgotten'],
    ]);
    const exports = (await auditOf('member.export')).filter((e) => e.target === `member ${m.id}`);
    expect(exports.map((e) => [e.outcome, e.reason])).toEqual([['done', 'DSAR 12']]);
    expect((await admin.call(api.memberProfile, { params: { id: 'no-such-member' } })).statusCode).toBe(404);
  });
});

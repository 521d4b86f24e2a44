// Member scopes at HQ on both databases: the trigger on events records enrollments and activity per store,
// the SQL condition the pull and the snapshot serve a store's members by agrees with the pure decision
// (src-shared/sync/scope.ts) on every combination of entries, rules and purpose, and the on-demand fetch
// returns the card's member, records the store as keeping them and gives them a new change number, so a
// member entering a store's scope reaches a till whose checkpoint had passed their last change.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src-hq/db/database.js';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { pull } from '../../../src-hq/store/pull.js';
import { snapshotBody } from '../../../src-hq/store/snapshot.js';
import {
  getScopeRules,
  keepMemberByCard,
  keepMembersByPhoneHash,
  memberScopeFilter,
  setScopeRules,
  setStoreRegion,
} from '../../../src-hq/store/scope.js';
import { InvalidInputError, UnknownStoreError } from '../../../src-hq/store/stores.js';
import {
  DEFAULT_SCOPE_RULES,
  areaStores,
  memberInScope,
  type ScopeEntry,
  type ScopePurpose,
  type ScopeRules,
} from '../../../src-shared/sync/scope.js';
import { databases, testDatabase } from '../../support/databases.js';
import { clockAt, publishTestProgram, terminalWithFactory, uniq } from './helpers.js';

const NOW = '2026-03-31T10:00:00.000Z';

/** The members a store is served under the current rules, and above a checkpoint when given. */
async function served(
  db: Db,
  storeId: string,
  purpose: ScopePurpose,
  after = 0,
  among?: readonly string[],
): Promise<string[]> {
  const filter = await memberScopeFilter(db, storeId, purpose, clockAt(NOW));
  const condition = filter ? filter(3) : { sql: 'TRUE', params: [] };
  const { rows } = await db.query<{ id: string }>(
    `SELECT m.id FROM members m WHERE m.change_seq > $1 AND (m.id = ANY($2::text[]) OR $2 IS NULL)
       AND ${condition.sql} ORDER BY m.id`,
    [after, among ?? null, ...condition.params],
  );
  return rows.map((r) => r.id);
}

async function entriesOf(db: Db, memberId: string): Promise<ScopeEntry[]> {
  const { rows } = await db.query<{
    store_id: string;
    enrolled: boolean;
    last_active: string | null;
    fetched_at: string | Date | null;
  }>(
    `SELECT store_id, enrolled, to_char(last_active, 'YYYY-MM-DD') AS last_active, fetched_at
     FROM member_scopes WHERE member_id = $1 ORDER BY store_id`,
    [memberId],
  );
  return rows.map((r) => ({
    storeId: r.store_id,
    enrolled: r.enrolled,
    lastActive: r.last_active,
    fetchedAt: r.fetched_at === null ? null : new Date(r.fetched_at).toISOString(),
  }));
}

const maxChangeSeq = async (db: Db): Promise<number> =>
  Number((await db.query<{ seq: string }>('SELECT max(change_seq) AS seq FROM members')).rows[0]?.seq ?? 0);

describe.each(databases)('member scopes on %s', (_name, open) => {
  const db = testDatabase(open, (db) => publishTestProgram(db));

  it('are the whole chain until the chain sets rules, and refuse rules that do not fit', async () => {
    await db.query("DELETE FROM settings WHERE name = 'member_scope'");
    expect(await getScopeRules(db)).toEqual(DEFAULT_SCOPE_RULES);
    expect(await memberScopeFilter(db, 'any', 'follow', clockAt(NOW))).toBeNull();
    await expect(setScopeRules(db, { kind: 'scoped', activeMonths: -1 }, clockAt(NOW))).rejects.toThrow(
      InvalidInputError,
    );
    expect(await getScopeRules(db)).toEqual(DEFAULT_SCOPE_RULES);
    await expect(setStoreRegion(db, uniq('no-store'), 'north')).rejects.toThrow(UnknownStoreError);
  });

  it('record enrollments and activity per store from pushed events, HQ-side in the same commit', async () => {
    const a = await terminalWithFactory(db, uniq('sa'), '2025-06-01T09:00:00.000Z');
    const b = await terminalWithFactory(db, uniq('sb'), '2026-02-10T09:00:00.000Z');
    const member = uniq('m');
    const clock = clockAt(NOW);
    await pushEvents(db, a.terminal, [a.f.enrolled(member), a.f.earned(member, 5)], clock);
    await pushEvents(db, b.terminal, [b.f.earned(member, 3)], clock);
    await pushEvents(db, b.terminal, [b.f.earned(member, 4, '2026-03-01T12:00:00.000Z')], clock);
    expect(await entriesOf(db, member)).toEqual(
      [
        { storeId: a.terminal.storeId, enrolled: true, lastActive: '2025-06-01', fetchedAt: null },
        { storeId: b.terminal.storeId, enrolled: false, lastActive: '2026-03-01', fetchedAt: null },
      ].sort((x, y) => (x.storeId < y.storeId ? -1 : 1)),
    );
  });

  it('serve, in SQL, exactly the members the pure decision puts in scope', async () => {
    const region = uniq('region');
    const stores = [uniq('s'), uniq('s'), uniq('s')];
    for (const [i, id] of stores.entries()) {
      await db.query("INSERT INTO stores (id, name, time_zone) VALUES ($1, $1, 'UTC')", [id]);
      await setStoreRegion(db, id, i < 2 ? region : null);
    }
    // Every combination of one entry's reasons at each of two stores (the first two share a region).
    const variants: Omit<ScopeEntry, 'storeId'>[] = [];
    for (const enrolled of [false, true])
      for (const lastActive of [null, '2024-01-05', '2025-12-24'])
        for (const fetchedAt of [null, '2024-02-01T00:00:00.000Z', '2026-03-30T23:30:00.000Z'])
          variants.push({ enrolled, lastActive, fetchedAt });
    const members = new Map<string, ScopeEntry[]>();
    for (const [i, first] of variants.entries()) {
      for (const [j, second] of [variants[0]!, variants[(i * 7) % variants.length]!].entries()) {
        const id = uniq('m');
        const entries = [
          { storeId: stores[0]!, ...first },
          { storeId: stores[j + 1]!, ...second },
        ];
        members.set(id, entries);
        await db.query("INSERT INTO members (id, doc, change_seq) VALUES ($1, '{}', 1)", [id]);
        for (const e of entries)
          await db.query(
            `INSERT INTO member_scopes (store_id, member_id, enrolled, last_active, fetched_at)
             VALUES ($1, $2, $3, $4::date, $5::timestamptz)`,
            [e.storeId, id, e.enrolled, e.lastActive, e.fetchedAt],
          );
      }
    }
    const ids = [...members.keys()];
    const all: ScopeRules[] = [];
    for (const enrolledHere of [false, true])
      for (const activeMonths of [0, 3, 36])
        for (const area of ['store', 'region'] as const)
          all.push({ kind: 'scoped', enrolledHere, activeMonths, area });
    const places = stores.map((id, i) => ({ id, region: i < 2 ? region : null }));
    let checked = 0;
    for (const rules of all) {
      await setScopeRules(db, rules, clockAt(NOW));
      for (const purpose of ['bootstrap', 'follow'] as const) {
        for (const store of places) {
          const q = {
            rules,
            storeId: store.id,
            area: areaStores(rules, store, places),
            purpose,
            nowMs: Date.parse(NOW),
          };
          const expected = ids.filter((id) => memberInScope(q, members.get(id)!)).sort();
          expect(
            await served(db, store.id, purpose, 0, ids),
            JSON.stringify({ rules, purpose, store }),
          ).toEqual(expected);
          checked += expected.length;
        }
      }
    }
    // Not a vacuous agreement: many members were in some scope, and not all of them in every scope.
    expect(checked).toBeGreaterThan(100);
    await db.query("DELETE FROM settings WHERE name = 'member_scope'");
  });

  it('bring a member entering the scope after the checkpoint: by an event here, or fetched by card', async () => {
    const home = await terminalWithFactory(db, uniq('home'), '2026-03-02T09:00:00.000Z');
    const till = await terminalWithFactory(db, uniq('till'), '2026-03-02T10:00:00.000Z');
    const clock = clockAt(NOW);
    await setScopeRules(db, { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' }, clock);
    const visitor = uniq('m');
    const fetched = uniq('m');
    const card = `C${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    await pushEvents(
      db,
      home.terminal,
      [home.f.enrolled(visitor), home.f.enrolled(fetched, { cards: [card] }), home.f.earned(fetched, 5)],
      clock,
    );
    const storeId = till.terminal.storeId;
    // The till has caught up: neither member is in its store's scope.
    const checkpoint = await maxChangeSeq(db);
    expect(await served(db, storeId, 'follow', 0, [visitor, fetched])).toEqual([]);

    await pushEvents(db, till.terminal, [till.f.earned(visitor, 2)], clock);
    expect(await served(db, storeId, 'follow', checkpoint, [visitor, fetched])).toEqual([visitor]);

    const before = await maxChangeSeq(db);
    const doc = await keepMemberByCard(db, storeId, card, clock);
    expect(doc).toMatchObject({ id: fetched, cards: [card], _deleted: false, balance: 5 });
    expect(await served(db, storeId, 'follow', before, [visitor, fetched])).toEqual([fetched]);
    expect(await served(db, storeId, 'bootstrap', 0, [visitor, fetched])).toEqual([visitor, fetched].sort());
    // Kept by this store's tills, not another's (the home store's get the member again: harmless).
    const elsewhere = await terminalWithFactory(db, uniq('elsewhere'));
    expect(await served(db, elsewhere.terminal.storeId, 'follow', 0, [visitor, fetched])).toEqual([]);
    const [entry] = (await entriesOf(db, fetched)).filter((e) => e.storeId === storeId);
    expect(entry).toEqual({ storeId, enrolled: false, lastActive: null, fetchedAt: NOW });
    await db.query("DELETE FROM settings WHERE name = 'member_scope'");
  });

  it("pull a till only its store's scope, and a member entering it after the till's checkpoint", async () => {
    const home = await terminalWithFactory(db, uniq('home'), '2026-03-02T09:00:00.000Z');
    const till = await terminalWithFactory(db, uniq('till'), '2026-03-02T10:00:00.000Z');
    const clock = clockAt(NOW);
    await setScopeRules(db, { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'store' }, clock);
    const [local, visitor, fetched] = [uniq('m'), uniq('m'), uniq('m')];
    const card = `P${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    await pushEvents(db, till.terminal, [till.f.enrolled(local)], clock);
    await pushEvents(
      db,
      home.terminal,
      [home.f.enrolled(visitor), home.f.enrolled(fetched, { cards: [card] })],
      clock,
    );
    /** The till's pull from a checkpoint to the end, in pages of 2: the member ids served, and the end. */
    const drain = async (from: number): Promise<{ ids: string[]; checkpoint: number }> => {
      const ids: string[] = [];
      let at = from;
      for (;;) {
        const page = await pull(db, 'members', { checkpoint: at, limit: 2 }, till.terminal);
        if (page.documents.length === 0) return { ids, checkpoint: at };
        ids.push(...page.documents.map((d) => (d as { id: string }).id));
        at = page.checkpoint.seq;
      }
    };
    const first = await drain(0);
    expect(first.ids).toContain(local);
    expect(first.ids).not.toContain(visitor);
    expect(first.ids).not.toContain(fetched);

    // The visitor earns here: their change and their entry commit together, above the till's checkpoint.
    await pushEvents(db, till.terminal, [till.f.earned(visitor, 2)], clock);
    const second = await drain(first.checkpoint);
    expect(second.ids).toEqual([visitor]);
    // Fetched by card: a new change number for them, so the pull brings their later changes too.
    expect((await keepMemberByCard(db, till.terminal.storeId, card, clock))?.id).toBe(fetched);
    const third = await drain(second.checkpoint);
    expect(third.ids).toEqual([fetched]);
    await pushEvents(db, home.terminal, [home.f.earned(fetched, 9)], clock);
    expect((await drain(third.checkpoint)).ids).toEqual([fetched]);
    await db.query("DELETE FROM settings WHERE name = 'member_scope'");
  });

  it('fetch by phone lookup key every findable member sharing it, each kept with a new change number', async () => {
    const home = await terminalWithFactory(db, uniq('home'), '2026-03-02T09:00:00.000Z');
    const other = await terminalWithFactory(db, uniq('other'));
    const [a, b, gone] = [uniq('m'), uniq('m'), uniq('m')];
    const clock = clockAt(NOW);
    await pushEvents(
      db,
      home.terminal,
      [home.f.enrolled(a), home.f.enrolled(b), home.f.enrolled(gone)],
      clock,
    );
    const hash = (Date.now().toString(16) + 'f'.repeat(64)).slice(0, 64);
    await db.query('UPDATE members SET phone_hash = $1 WHERE id = ANY($2::text[])', [hash, [a, b, gone]]);
    await db.query('UPDATE members SET erased_at = now() WHERE id = $1', [gone]);
    const before = await maxChangeSeq(db);
    const docs = await keepMembersByPhoneHash(db, other.terminal.storeId, hash, clock);
    expect(docs.map((d) => d.id)).toEqual([a, b].sort());
    expect(docs.every((d) => !d._deleted)).toBe(true);
    const { rows } = await db.query<{ id: string; change_seq: string }>(
      'SELECT id, change_seq FROM members WHERE id = ANY($1::text[]) ORDER BY id',
      [[a, b, gone]],
    );
    expect(rows.filter((r) => Number(r.change_seq) > before).map((r) => r.id)).toEqual([a, b].sort());
    for (const id of [a, b])
      expect((await entriesOf(db, id)).find((e) => e.storeId === other.terminal.storeId)?.fetchedAt).toBe(
        NOW,
      );
    expect((await entriesOf(db, gone)).map((e) => e.storeId)).toEqual([home.terminal.storeId]);
    expect(await keepMembersByPhoneHash(db, other.terminal.storeId, 'e'.repeat(64), clock)).toEqual([]);
  });

  it("give a new till's snapshot, page after page, exactly its store's live scope", async () => {
    const region = uniq('region');
    const [here, near, far] = [uniq('s'), uniq('s'), uniq('s')];
    for (const id of [here, near, far]) {
      await db.query("INSERT INTO stores (id, name, time_zone) VALUES ($1, $1, 'UTC')", [id]);
      await setStoreRegion(db, id, id === far ? null : region);
    }
    const ids = Array.from({ length: 9 }, () => uniq('m'));
    for (const [k, id] of ids.entries()) {
      await db.query(
        "INSERT INTO members (id, doc, change_seq) VALUES ($1, jsonb_build_object('id', $1::text), 1)",
        [id],
      );
      // Enrolled here, near (same region) or far, in turn; the fourth and eighth also active here.
      const store = [here, near, far][k % 3]!;
      await db.query('INSERT INTO member_scopes (store_id, member_id, enrolled) VALUES ($1, $2, true)', [
        store,
        id,
      ]);
      if (k % 4 === 3)
        await db.query(
          `INSERT INTO member_scopes (store_id, member_id, last_active) VALUES ($1, $2, '2026-03-01')
           ON CONFLICT (store_id, member_id) DO UPDATE SET last_active = excluded.last_active`,
          [here, id],
        );
    }
    await db.query('UPDATE members SET erased_at = now() WHERE id = $1', [ids[0]]);
    await setScopeRules(
      db,
      { kind: 'scoped', enrolledHere: true, activeMonths: 12, area: 'region' },
      clockAt(NOW),
    );
    const scope = await memberScopeFilter(db, here, 'bootstrap', clockAt(NOW));
    let body = '';
    for await (const chunk of snapshotBody(db, 0, { block: 2, scope, pageSize: 2 })) body += chunk;
    const served = body
      .split('\n')
      .map((line) => /^\{"id": "([^"]+)"/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    const expected = ids.filter((_, k) => k !== 0 && (k % 3 !== 2 || k % 4 === 3)).sort();
    expect(served).toEqual(expected);
    await db.query("DELETE FROM settings WHERE name = 'member_scope'");
  });

  it('fetch no one for an unknown or blocked card, and record nothing', async () => {
    const home = await terminalWithFactory(db, uniq('home'), '2026-03-02T09:00:00.000Z');
    const member = uniq('m');
    const card = `B${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const clock = clockAt(NOW);
    await pushEvents(db, home.terminal, [home.f.enrolled(member, { cards: [card] })], clock);
    const other = await terminalWithFactory(db, uniq('other'));
    expect(await keepMemberByCard(db, other.terminal.storeId, `${card}-none`, clock)).toBeNull();
    await db.query('UPDATE cards SET blocked_at = now() WHERE number = $1', [card]);
    const before = await maxChangeSeq(db);
    expect(await keepMemberByCard(db, other.terminal.storeId, card, clock)).toBeNull();
    expect((await entriesOf(db, member)).map((e) => e.storeId)).toEqual([home.terminal.storeId]);
    expect(await maxChangeSeq(db)).toBe(before);
  });
});

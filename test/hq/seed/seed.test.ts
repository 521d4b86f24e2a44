import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-shared/kernel/clock.js';
import { verifyPin } from '../../../src-shared/kernel/pin.js';
import { isValidGtin } from '../../../src-hq/import/gtin.js';
import { DEMO_STORES, seedDemo, SeedRefusedError, type SeedSummary } from '../../../src-hq/seed/demo.js';
import { listCashiers, listStaffPins, countProducts, listProducts } from '../../../src-hq/store/catalog.js';
import { currentProgram } from '../../../src-hq/store/programs.js';
import { createStore } from '../../../src-hq/store/stores.js';
import { authenticateAdmin, enrollTerminal } from '../../../src-hq/store/terminals.js';
import { pgliteDatabase, postgresDatabase, type TestDatabase } from '../../support/databases.js';

const clock = new ManualClock(Date.parse('2026-11-20T10:00:00Z'));
const MEMBERS = 200;

type MemberRow = { id: string; name: string; cards: string[]; balance: number; birth: number | null };
const memberRows = async (t: TestDatabase) =>
  (
    await t.db.query<MemberRow>(
      `SELECT id, doc->>'displayName' AS name, doc->'cards' AS cards, balance, (doc->>'birthMonth')::int AS birth
       FROM members ORDER BY id`,
    )
  ).rows;

describe('seed demo', { timeout: 120_000 }, () => {
  let lite: TestDatabase;
  let pg: TestDatabase;
  let summary: SeedSummary;

  beforeAll(async () => {
    [lite, pg] = await Promise.all([pgliteDatabase(), postgresDatabase()]);
    const result = await seedDemo(lite.db, clock, { seed: 7, members: MEMBERS });
    if (result.status !== 'seeded') throw new Error('expected a fresh seed');
    summary = result.summary;
  }, 60_000);
  afterAll(async () => {
    await lite?.close();
    await pg?.close();
  }, 60_000);

  it('makes the stated stores, program, cashiers, members, cards and products', async () => {
    expect(summary).toMatchObject({
      members: MEMBERS,
      products: 98,
      flagged: 0,
      stores: DEMO_STORES.map((s) => s.id),
    });
    expect((await currentProgram(lite.db))?.id).toBe('greenbasket-rewards');

    const cashiers = await listCashiers(lite.db);
    expect(cashiers).toHaveLength(9);
    for (const store of DEMO_STORES)
      expect(cashiers.filter((c) => c.storeId === store.id && c.role === 'manager')).toHaveLength(1);
    // The printed PINs open the stored hashes.
    for (const printed of summary.cashiers) {
      const pins = await listStaffPins(lite.db, printed.storeId);
      expect(verifyPin(printed.pin, pins.find((c) => c.id === printed.id)!.pinHash)).toBe(true);
    }

    const members = await memberRows(lite);
    expect(members).toHaveLength(MEMBERS);
    const cards = members.flatMap((m) => m.cards);
    expect(new Set(cards).size).toBe(MEMBERS);
    for (const card of cards) {
      expect(card).toMatch(/^049\d{10}$/);
      expect(isValidGtin(card)).toBe(true);
    }
    expect(summary.sampleCards.every((c) => cards.includes(c))).toBe(true);

    expect(await countProducts(lite.db)).toBe(98);
    const products = await listProducts(lite.db, { limit: 500 });
    for (const p of products) {
      expect(isValidGtin(p.gtin!)).toBe(true);
      expect(p.gtin!.startsWith('04')).toBe(false);
    }

    // History: every event posted (quotes re-checked at ingest), earns and some redemptions.
    const { rows } = await lite.db.query<{ type: string; status: string; n: number }>(
      'SELECT type, status, count(*)::bigint AS n FROM events GROUP BY type, status ORDER BY type',
    );
    expect(rows.every((r) => r.status === 'posted')).toBe(true);
    const byType = Object.fromEntries(rows.map((r) => [r.type, r.n]));
    expect(byType['member-enrolled']).toBe(MEMBERS);
    expect(byType['points-earned']).toBeGreaterThan(MEMBERS / 2);
    expect(byType['points-redeemed']).toBeGreaterThan(0);
    expect(Object.values(byType).reduce((a, b) => a + b, 0)).toBe(summary.events);

    // The token and code it prints work.
    expect(await authenticateAdmin(lite.db, summary.adminToken)).toBe(true);
    const enrolled = await enrollTerminal(lite.db, summary.enrollment.code, 'new till', clock);
    expect(enrolled.storeId).toBe(summary.enrollment.storeId);
  });

  it('is a no-op the second time', async () => {
    const before = await memberRows(lite);
    const again = await seedDemo(lite.db, clock, { seed: 7, members: MEMBERS });
    expect(again.status).toBe('already-seeded');
    expect(await memberRows(lite)).toEqual(before);
  });

  it('makes the same data from the same seed, on PostgreSQL too', async () => {
    const result = await seedDemo(pg.db, clock, { seed: 7, members: MEMBERS });
    expect(result.status).toBe('seeded');
    if (result.status !== 'seeded') return;
    expect(result.summary.cashiers).toEqual(summary.cashiers);
    expect(result.summary.events).toBe(summary.events);
    expect(await memberRows(pg)).toEqual(await memberRows(lite));
  });

  it('makes the same members in chunks, each chunk on tills of its own with chains in time order', async () => {
    // 200 members in chunks of 60: four chunks, each pushed (and dropped) before the next is made.
    const chunked = await pgliteDatabase();
    try {
      const result = await seedDemo(chunked.db, clock, { seed: 7, members: MEMBERS, chunkMembers: 60 });
      if (result.status !== 'seeded') throw new Error('expected a fresh seed');
      expect(result.summary).toMatchObject({
        events: summary.events,
        flagged: 0,
        sampleCards: summary.sampleCards,
      });
      expect(await memberRows(chunked)).toEqual(await memberRows(lite));
      const tills = await chunked.db.query<{ name: string; events: number; in_order: boolean }>(
        `SELECT t.name, count(e.id)::bigint AS events,
                coalesce(bool_and(e.occurred_at >= e.previous), true) AS in_order
         FROM terminals t
         LEFT JOIN (SELECT terminal_id, id, occurred_at,
                           lag(occurred_at, 1, occurred_at) OVER (PARTITION BY terminal_id ORDER BY terminal_seq) AS previous
                    FROM events) e ON e.terminal_id = t.id
         GROUP BY t.name ORDER BY t.name`,
      );
      expect(tills.rows.map((t) => t.name)).toEqual(
        DEMO_STORES.flatMap((s) =>
          [1, 2, 3, 4].map((chunk) => `${s.id} till ${chunk} (demo history)`),
        ).sort(),
      );
      expect(tills.rows.every((t) => t.in_order && t.events > 0)).toBe(true);
    } finally {
      await chunked.close();
    }
  });

  it('refuses an HQ that holds other data', async () => {
    const other = await postgresDatabase();
    try {
      await createStore(other.db, { id: 'mine', name: 'Mine', timeZone: 'Europe/Paris' });
      await expect(seedDemo(other.db, clock, { members: 10 })).rejects.toThrow(SeedRefusedError);
      await expect(seedDemo(other.db, clock, { members: 10 })).rejects.toThrow(
        /HQ already holds data \(1 store, 0 members/,
      );
    } finally {
      await other.close();
    }
  });
});

// Exactly once under any push order (fast-check): a terminal's chain is cut into batches that arrive in a
// random order, some of them several times (lost replies, retries, gaps filled late). Whatever the order,
// every event is stored once, every repeat is a duplicate, and each member ends exactly as the terminal's
// own projection of its chain, with memberSeqs 1..n and points deltas adding up to the balance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushEvents } from '../../../src-hq/store/ingest.js';
import { getMember } from '../../../src-hq/store/members.js';
import { applyEvents, memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent, VoidableEvent } from '../../../src-shared/ledger/events.js';
import { netPoints } from '../../../src-shared/ledger/member.js';
import { databases, testDatabase } from '../../support/databases.js';
import {
  clockAt,
  publishTestProgram,
  snapshot,
  storeTestProgram,
  terminalWithFactory,
  uniq,
} from './helpers.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 20);
const MEMBERS = 3;
const program = storeTestProgram();

const WELCOME = 20;
type Op =
  | { kind: 'earn'; member: number; points: number }
  | { kind: 'redeem'; member: number; cost: number }
  | { kind: 'adjust'; member: number; points: number }
  | { kind: 'void'; pick: number }
  | { kind: 'update'; member: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('earn' as const),
      member: fc.nat(MEMBERS - 1),
      points: fc.integer({ min: 0, max: 300 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('redeem' as const),
      member: fc.nat(MEMBERS - 1),
      cost: fc.integer({ min: 1, max: 250 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      member: fc.nat(MEMBERS - 1),
      points: fc.integer({ min: -100, max: 100 }).filter((p) => p !== 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), member: fc.nat(MEMBERS - 1) }) },
);

type Scenario = {
  ops: Op[];
  cuts: number[];
  order: number[];
  replays: { at: number; batch: number }[];
};

/**
 * Found by CI: a void arrives (before its member, then applied at 0 since its redemption is not there yet),
 * then the redemption fills the gap. The terminal spent the welcome batch, pruned it on the next earn and
 * refunded the void as a new batch; HQ must end with the same batches, not merely the same balance.
 */
const voidBeforeItsRedemption: Scenario = {
  ops: [
    { kind: 'redeem', member: 0, cost: 20 },
    { kind: 'earn', member: 0, points: 0 },
    { kind: 'void', pick: 0 },
  ],
  cuts: [1, 3, ...Array.from({ length: 28 }, () => 2)],
  order: Array.from({ length: 30 }, () => 0),
  replays: [{ at: 0, batch: 2 }],
};

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 25 }),
  cuts: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 30, maxLength: 30 }),
  order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  replays: fc.array(fc.record({ at: fc.nat(), batch: fc.nat() }), { maxLength: 8 }),
});

describe.each(databases)('exactly once under any push order on %s', (_name, open) => {
  const db = testDatabase(open, async (db) => {
    // Every enrollment below claims the program's welcome bonus, so HQ applies each claim as made.
    await publishTestProgram(db, { bonuses: { welcome: WELCOME, birthday: 0 } });
  });

  it('stores each event once and ends each member as the terminal chain projects it', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ ops, cuts, order, replays }) => {
        const clock = clockAt();
        const { terminal, f } = await terminalWithFactory(db);
        const members = Array.from({ length: MEMBERS }, () => uniq('m'));
        const chain: LedgerEvent[] = members.map((m) => f.enrolled(m, { welcomeBonus: WELCOME }));
        const voidable: VoidableEvent[] = [];
        for (const op of ops) {
          if (op.kind === 'void') {
            if (voidable.length === 0) continue;
            const [original] = voidable.splice(op.pick % voidable.length, 1);
            chain.push(f.voided(original as VoidableEvent));
            continue;
          }
          const m = members[op.member] as string;
          const e =
            op.kind === 'earn'
              ? f.earned(m, op.points)
              : op.kind === 'redeem'
                ? f.redeemed(m, op.cost)
                : op.kind === 'adjust'
                  ? f.adjusted(m, op.points)
                  : f.updated(m, { displayName: `N${chain.length}` });
          chain.push(e);
          if (e.type !== 'member-updated') voidable.push(e);
        }

        // Cut the chain into batches, push them in a random order, with some pushed again.
        const batches: LedgerEvent[][] = [];
        for (let i = 0, k = 0; i < chain.length; k++) {
          const size = cuts[k % cuts.length] as number;
          batches.push(chain.slice(i, i + size));
          i += size;
        }
        const pending = batches.map((_, i) => i);
        const schedule: number[] = [];
        for (let k = 0; pending.length > 0; k++) {
          const [next] = pending.splice((order[k % order.length] as number) % pending.length, 1);
          schedule.push(next as number);
        }
        for (const r of replays) schedule.splice(r.at % (schedule.length + 1), 0, r.batch % batches.length);

        const pushed = new Set<string>();
        for (const b of schedule) {
          const batch = batches[b] as LedgerEvent[];
          const results = await pushEvents(db, terminal, batch, clock);
          expect(results.map((r) => r.id)).toEqual(batch.map((e) => e.id));
          expect(results.map((r) => r.outcome)).toEqual(
            batch.map((e) => (pushed.has(e.id) ? 'duplicate' : 'stored')),
          );
          batch.forEach((e) => pushed.add(e.id));
          clock.advance(1000);
        }

        const { rows } = await db.query<{ count: number }>(
          'SELECT count(*)::bigint AS count FROM events WHERE terminal_id = $1',
          [terminal.id],
        );
        expect(rows[0]?.count).toBe(chain.length);
        for (const m of members) {
          const doc = await getMember(db, m);
          const expected = applyEvents(
            null,
            chain.filter((e) => e.memberId === m),
            program,
          );
          expect(doc && memberInvariantProblems(doc)).toEqual([]);
          expect({ ...doc, memberSeq: 0 }).toEqual({ ...expected, memberSeq: 0 });
          const seqs = await db.query<{ member_seq: number | null; points_delta: number }>(
            'SELECT member_seq, points_delta FROM events WHERE member_id = $1 ORDER BY member_seq',
            [m],
          );
          expect(seqs.rows.map((r) => r.member_seq)).toEqual(seqs.rows.map((_, i) => i + 1));
          expect(doc?.memberSeq).toBe(seqs.rows.length);
          expect(seqs.rows.reduce((s, r) => s + r.points_delta, 0)).toBe(netPoints(doc!));
        }

        // Every original arrived before its void in the terminal's order: no void is left for review.
        const reviews = await db.query<{ count: number }>(
          `SELECT count(*)::bigint AS count FROM review_items
           WHERE terminal_id = $1 AND kind = 'void-unknown' AND status = 'open'`,
          [terminal.id],
        );
        expect(reviews.rows[0]?.count).toBe(0);

        // Everything again: duplicates only, nothing changes.
        const before = await snapshot(db, terminal.id, members);
        const again = await pushEvents(db, terminal, chain, clock);
        expect(again.every((r) => r.outcome === 'duplicate')).toBe(true);
        expect(await snapshot(db, terminal.id, members)).toEqual(before);
        expect(before.quarantine).toEqual([]);
      }),
      { numRuns: RUNS, examples: [[voidBeforeItsRedemption]] },
    );
  }, 120_000);
});

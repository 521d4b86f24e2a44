// The shift summary: a hand-counted day of two cashiers on one till (refused events, other days, another
// till and a sale just after local midnight included), and properties over random days: the rows add up to
// the till's totals, the totals' points are the day close's figures over the counted events, and a
// cashier's row is what that cashier's events alone give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventOf, LedgerEvent } from '../../../src-shared/ledger/events.js';
import {
  shiftSummary,
  type ShiftEvent,
  type ShiftFigures,
} from '../../../src-shared/reports/shift-summary.js';
import { localTime } from '../../../src-shared/kernel/zoned-time.js';
import { closeFiguresFromEvents } from '../../../src-shared/sync/wire.js';
import { eventFactory, type EventFactory } from '../../support/events.js';

const ZONE = 'Europe/Paris';
const DAY = '2025-03-03';

const as = <E extends LedgerEvent>(event: E, cashierId: string): E => ({ ...event, cashierId });
const counted = (event: LedgerEvent, isCounted = true): ShiftEvent => ({ event, counted: isCounted });

function returned(
  f: EventFactory,
  original: EventOf<'points-earned'>,
  points: number,
  at?: string,
): EventOf<'points-returned'> {
  return f.seal(
    'points-returned',
    original.memberId,
    {
      original,
      lines: [{ line: 0, sku: 'item', quantity: 1 }],
      points,
      spend: points * 100,
      reason: 'changed mind',
      managerId: 'mgr-1',
    },
    at,
  );
}

describe('shiftSummary, a hand-counted day', () => {
  const f = eventFactory({ terminalId: 't-1', start: '2025-03-03T09:00:00.000Z' });
  const other = eventFactory({ terminalId: 't-2', start: '2025-03-03T10:00:00.000Z' });
  const enrolled = as(f.enrolled('m-1', { welcomeBonus: 50 }), 'c-1');
  const sale = as(f.earned('m-1', 120, undefined, { total: 12_000 }), 'c-1');
  const redeemed = as(
    f.redeemed('m-1', 100, undefined, { override: { managerId: 'mgr-1', points: 60 } }),
    'c-1',
  );
  const sale2 = as(f.earned('m-2', 30, undefined, { eligible: 3000, total: 3050 }), 'c-2');
  const adjusted = as(f.adjusted('m-2', -7), 'c-2');
  const voided = as(f.voided(sale2), 'c-2');
  const ret = as(returned(f, sale, 40), 'c-2');
  const refused = as(f.earned('m-2', 10, undefined, { total: 1000 }), 'c-2');
  // 23:30 UTC is 00:30 on 4 March in Paris: the next store day.
  const tomorrow = as(f.earned('m-1', 9, '2025-03-03T23:30:00.000Z', { total: 900 }), 'c-1');
  // 23:30 UTC on 2 March is 00:30 on 3 March in Paris: this store day.
  const justAfterMidnight = as(f.earned('m-1', 5, '2025-03-02T23:30:00.000Z', { total: 500 }), 'c-1');
  const otherTill = as(other.earned('m-3', 70, undefined, { total: 7000 }), 'c-1');

  const summary = shiftSummary({
    businessDay: DAY,
    timeZone: ZONE,
    terminalId: 't-1',
    events: [
      counted(ret),
      counted(enrolled),
      counted(sale),
      counted(redeemed),
      counted(sale2),
      counted(adjusted),
      counted(voided),
      counted(refused, false),
      counted(tomorrow),
      counted(justAfterMidnight),
      counted(otherTill),
    ],
  });

  it('counts each cashier on their own row, in the order their day began', () => {
    expect(summary.cashiers).toEqual([
      {
        cashierId: 'c-1',
        sales: 2,
        spend: 12_500,
        pointsIssued: 175, // welcome 50 + 120 + 5
        pointsRedeemed: 100,
        enrollments: 1,
        overrides: 1,
        adjustments: 0,
        voids: 0,
        returns: 0,
      },
      {
        cashierId: 'c-2',
        sales: 1,
        spend: 3050,
        pointsIssued: 30,
        pointsRedeemed: 77, // adjustment 7 + the void of the 30-point sale + the return of 40
        enrollments: 0,
        overrides: 0,
        adjustments: 1,
        voids: 1,
        returns: 1,
      },
    ]);
  });

  it("adds the rows up to the till's totals and leaves out what HQ refused, other days and other tills", () => {
    expect(summary.totals).toEqual({
      sales: 3,
      spend: 15_550,
      pointsIssued: 205,
      pointsRedeemed: 177,
      enrollments: 1,
      overrides: 1,
      adjustments: 1,
      voids: 1,
      returns: 1,
    });
    expect(summary.counted).toBe(8);
    expect(summary.notCounted).toBe(1);
    expect(summary).toMatchObject({ businessDay: DAY, terminalId: 't-1' });
  });

  it('has an empty summary for a day with nothing on this till', () => {
    const empty = shiftSummary({ businessDay: '2025-03-05', timeZone: ZONE, terminalId: 't-1', events: [] });
    expect(empty.cashiers).toEqual([]);
    expect(empty.totals.sales).toBe(0);
    expect(empty.counted + empty.notCounted).toBe(0);
  });
});

// ---- properties -----------------------------------------------------------------------------------------

type Step =
  | { kind: 'enroll'; bonus: number }
  | { kind: 'earn'; points: number; total: number }
  | { kind: 'redeem'; cost: number; override: boolean }
  | { kind: 'adjust'; points: number }
  | { kind: 'void'; pick: number }
  | { kind: 'return'; pick: number; points: number }
  | { kind: 'update' };
interface Timed {
  step: Step;
  cashier: string;
  terminal: 't-1' | 't-2';
  counted: boolean;
  /** Minutes after 2025-03-02T20:00Z: the events straddle three store days in Paris. */
  minutes: number;
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('enroll' as const), bonus: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    kind: fc.constant('earn' as const),
    points: fc.integer({ min: 0, max: 500 }),
    total: fc.integer({ min: 0, max: 100_000 }),
  }),
  fc.record({
    kind: fc.constant('redeem' as const),
    cost: fc.integer({ min: 1, max: 400 }),
    override: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('adjust' as const),
    points: fc.integer({ min: -200, max: 200 }).filter((p) => p !== 0),
  }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('return' as const),
    pick: fc.nat(),
    points: fc.integer({ min: 0, max: 50 }),
  }),
  fc.constant<Step>({ kind: 'update' }),
);
const timedArb: fc.Arbitrary<Timed> = fc.record({
  step: stepArb,
  cashier: fc.constantFrom('c-1', 'c-2', 'c-3'),
  terminal: fc.constantFrom<'t-1' | 't-2'>('t-1', 't-1', 't-2'),
  counted: fc.boolean(),
  minutes: fc.integer({ min: 0, max: 2 * 24 * 60 }),
});

/** Builds the events of a random history; voids and returns pick an earlier event of their kind. */
function build(steps: readonly Timed[]): ShiftEvent[] {
  const factories = {
    't-1': eventFactory({ terminalId: 't-1' }),
    't-2': eventFactory({ terminalId: 't-2' }),
  };
  const earns: EventOf<'points-earned'>[] = [];
  const voidable: (EventOf<'points-earned'> | EventOf<'points-redeemed'> | EventOf<'points-adjusted'>)[] = [];
  const out: ShiftEvent[] = [];
  const base = Date.parse('2025-03-02T20:00:00.000Z');
  for (const t of steps) {
    const f = factories[t.terminal];
    const at = new Date(base + t.minutes * 60_000).toISOString();
    let event: LedgerEvent;
    const s = t.step;
    switch (s.kind) {
      case 'enroll':
        event = f.enrolled('m-1', { welcomeBonus: s.bonus }, at);
        break;
      case 'earn': {
        const e = f.earned('m-1', s.points, at, { total: s.total, eligible: s.total });
        earns.push(e);
        voidable.push(e);
        event = e;
        break;
      }
      case 'redeem': {
        const e = f.redeemed('m-1', s.cost, at, {
          override: s.override ? { managerId: 'mgr-1', points: s.cost } : null,
        });
        voidable.push(e);
        event = e;
        break;
      }
      case 'adjust': {
        const e = f.adjusted('m-1', s.points, at);
        voidable.push(e);
        event = e;
        break;
      }
      case 'void': {
        const original = voidable[s.pick % Math.max(1, voidable.length)];
        event = original ? f.voided(original, at) : f.updated('m-1', { displayName: 'Ada L.' }, at);
        break;
      }
      case 'return': {
        const original = earns[s.pick % Math.max(1, earns.length)];
        event = original ? returned(f, original, s.points, at) : f.updated('m-1', { birthMonth: 3 }, at);
        break;
      }
      case 'update':
        event = f.updated('m-1', { displayName: 'Ada L.' }, at);
        break;
    }
    out.push({ event: as(event, t.cashier), counted: t.counted });
  }
  return out;
}

const FIELDS: (keyof ShiftFigures)[] = [
  'sales',
  'spend',
  'pointsIssued',
  'pointsRedeemed',
  'enrollments',
  'overrides',
  'adjustments',
  'voids',
  'returns',
];

describe('shiftSummary, properties', () => {
  const dayArb = fc.constantFrom('2025-03-02', '2025-03-03', '2025-03-04');

  it("adds the rows up to the till's totals, which are the day close's figures over the counted events", () => {
    fc.assert(
      fc.property(fc.array(timedArb, { maxLength: 40 }), dayArb, (steps, day) => {
        const events = build(steps);
        const summary = shiftSummary({ businessDay: day, timeZone: ZONE, terminalId: 't-1', events });
        for (const field of FIELDS)
          expect(summary.cashiers.reduce((sum, row) => sum + row[field], 0)).toBe(summary.totals[field]);

        const ofDay = events.filter(
          (e) => e.event.terminalId === 't-1' && localTime(Date.parse(e.event.occurredAt), ZONE).date === day,
        );
        const countedOfDay = ofDay.filter((e) => e.counted).map((e) => e.event);
        const close = closeFiguresFromEvents(day, countedOfDay);
        expect(summary.totals.pointsIssued).toBe(close.pointsIssued);
        expect(summary.totals.pointsRedeemed).toBe(close.pointsRedeemed);
        expect(summary.counted).toBe(close.count);
        expect(summary.notCounted).toBe(ofDay.length - countedOfDay.length);
        const earns = countedOfDay.filter((e) => e.type === 'points-earned');
        expect(summary.totals.sales).toBe(earns.length);
        expect(summary.totals.spend).toBe(earns.reduce((s, e) => s + e.payload.basket.total, 0));
        expect(new Set(summary.cashiers.map((r) => r.cashierId))).toEqual(
          new Set(countedOfDay.map((e) => e.cashierId)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('gives each cashier the row their own events alone give, whatever the order they come in', () => {
    fc.assert(
      fc.property(fc.array(timedArb, { maxLength: 40 }), dayArb, fc.integer(), (steps, day, seed) => {
        const events = build(steps);
        const shuffled =
          fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
            numRuns: 1,
            seed,
          })[0] ?? events;
        const summary = shiftSummary({
          businessDay: day,
          timeZone: ZONE,
          terminalId: 't-1',
          events: shuffled,
        });
        for (const row of summary.cashiers) {
          const alone = shiftSummary({
            businessDay: day,
            timeZone: ZONE,
            terminalId: 't-1',
            events: events.filter((e) => e.event.cashierId === row.cashierId),
          });
          expect(alone.cashiers).toEqual([row]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

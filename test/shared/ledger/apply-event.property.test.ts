// Properties of the member projection over random histories: invariants, determinism, idempotence,
// voids as inverses, and the points identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, memberInvariantProblems } from '../../../src-shared/ledger/apply-event.js';
import type { LedgerEvent, VoidableEvent } from '../../../src-shared/ledger/events.js';
import { memberSchema, netPoints, type Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { eventFactory, testProgram } from '../../support/events.js';

const RUNS = 300;
const M = 'member-1';
const MINUTE = 60_000;
const START = Date.parse('2025-01-06T09:00:00.000Z');

const tiers = {
  basis: 'points' as const,
  windowMonths: 12,
  levels: [
    { id: 'bronze', label: 'Bronze', threshold: 0 },
    { id: 'silver', label: 'Silver', threshold: 300 },
    { id: 'gold', label: 'Gold', threshold: 1500 },
  ],
};
const programs: Record<string, Program> = {
  rolling: testProgram({ tiers, expiry: { mode: 'rolling', months: 6 } }),
  none: testProgram({ tiers }),
  inactivity: testProgram({ expiry: { mode: 'inactivity', months: 3 } }),
};
const programArb = fc.constantFrom(...Object.keys(programs)).map((k) => programs[k] as Program);

type Step =
  | { kind: 'earn'; points: number; eligible: number }
  | { kind: 'redeem'; cost: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'bonus'; points: number; action: boolean }
  | { kind: 'void'; pick: number }
  | { kind: 'expire' }
  | { kind: 'update' };
type Timed = { step: Step; terminal: 0 | 1; dt: number };

const voidableStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('earn' as const),
    points: fc.integer({ min: 0, max: 400 }),
    eligible: fc.integer({ min: -500, max: 50_000 }),
  }),
  fc.record({ kind: fc.constant('redeem' as const), cost: fc.integer({ min: 1, max: 500 }) }),
  fc.record({
    kind: fc.constant('adjust' as const),
    points: fc.integer({ min: -300, max: 300 }).filter((p) => p !== 0),
  }),
  fc.record({
    kind: fc.constant('bonus' as const),
    points: fc.integer({ min: 1, max: 200 }),
    action: fc.boolean(),
  }),
);
const stepArb = (withExpiry: boolean): fc.Arbitrary<Step> =>
  fc.oneof(
    { arbitrary: voidableStep, weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.constant<Step>({ kind: withExpiry ? 'expire' : 'update' }), weight: 1 },
  );
/** Minutes between events: up to 60 days on, and, unless monotonic, up to 20 days back (late arrivals). */
const timedArb = (monotonic: boolean, withExpiry = true): fc.Arbitrary<Timed> =>
  fc.record({
    step: stepArb(withExpiry),
    terminal: fc.constantFrom<0 | 1>(0, 1),
    dt: fc.integer({ min: monotonic ? 0 : -20 * 24 * 60, max: 60 * 24 * 60 }),
  });
const historyArb = (monotonic: boolean, withExpiry = true) =>
  fc.array(timedArb(monotonic, withExpiry), { maxLength: 30 });

interface History {
  events: LedgerEvent[];
  /** The member after each event (HQ's projection in this order). */
  states: Member[];
  now: number;
  /** Makes more events continuing the same chains and clock. */
  next: (t: Timed) => LedgerEvent | null;
}

/** Turns steps into sealed events from two terminals and HQ, applying them as HQ would. */
function build(program: Program, steps: readonly Timed[], welcomeBonus = 0): History {
  const terminals = [eventFactory({ terminalId: 't-1' }), eventFactory({ terminalId: 't-2' })] as const;
  const hq = eventFactory({ terminalId: 'hq' });
  const events: LedgerEvent[] = [];
  const states: Member[] = [];
  const open: VoidableEvent[] = [];
  let now = START;
  let member: Member | null = null;
  const push = (e: LedgerEvent): LedgerEvent => {
    member = applyEvent(member, e, program, events.length + 1);
    events.push(e);
    states.push(member);
    if (
      e.type === 'points-earned' ||
      e.type === 'points-redeemed' ||
      e.type === 'points-adjusted' ||
      e.type === 'bonus-awarded'
    ) {
      open.push(e);
    }
    return e;
  };
  const make = ({ step, terminal, dt }: Timed): LedgerEvent | null => {
    now += dt * MINUTE;
    const f = terminals[terminal];
    const m = member;
    switch (step.kind) {
      case 'earn':
        return push(f.earned(M, step.points, now, { eligible: step.eligible }));
      case 'redeem':
        return push(f.redeemed(M, step.cost, now));
      case 'adjust':
        return push(f.adjusted(M, step.points, now));
      case 'bonus':
        return push(
          f.bonus(
            M,
            step.points,
            step.action ? 'action' : 'campaign',
            now,
            step.action ? { actionId: 'survey' } : {},
          ),
        );
      case 'void': {
        // A negative pick voids the latest open event.
        const index = step.pick < 0 ? open.length - 1 : step.pick % Math.max(1, open.length);
        const original = open.splice(index, 1)[0];
        return original ? push(f.voided(original, now)) : null;
      }
      case 'update':
        return push(f.updated(M, { displayName: `Name ${events.length}` }, now));
      case 'expire': {
        if (!m) return null;
        if (program.expiry.mode === 'rolling') {
          const due = m.batches.filter(
            (b) => b.remaining > 0 && b.expiresAt !== null && Date.parse(b.expiresAt) <= now,
          );
          const points = due.reduce((s, b) => s + b.remaining, 0);
          return points > 0
            ? push(
                hq.expired(
                  M,
                  points,
                  due.map((b) => b.eventId),
                  'rolling',
                  now,
                ),
              )
            : null;
        }
        if (program.expiry.mode === 'inactivity' && m.balance > 0)
          return push(hq.expired(M, m.balance, [], 'inactivity', now));
        return null;
      }
    }
  };
  push(terminals[0].enrolled(M, { welcomeBonus }, now));
  for (const s of steps) make(s);
  return { events, states, now, next: make };
}

const fold = (program: Program, events: readonly LedgerEvent[]): Member | null =>
  events.reduce<Member | null>((m, e) => applyEvent(m, e, program), null);

const last = (h: History): Member => {
  const m = h.states.at(-1);
  if (!m) throw new Error('empty history');
  return m;
};

/** The points state a void must restore. */
function pointsState(m: Member, withBatches: boolean) {
  return {
    balance: m.balance,
    debt: m.debt,
    totals: m.totals,
    purchases: m.purchases,
    qualifying: m.qualifying,
    actions: m.actions,
    offlineAllowance: m.offlineAllowance,
    // Spent batches are bookkeeping a credit may prune; only the live ones carry points.
    batches: withBatches ? m.batches.filter((b) => b.remaining > 0) : null,
  };
}

describe('applyEvent properties', () => {
  it('keeps the invariants after every event: integers, balance = Σ remaining, no balance with debt', () => {
    fc.assert(
      fc.property(programArb, historyArb(false), fc.nat(200), (program, steps, welcome) => {
        for (const m of build(program, steps, welcome).states) {
          expect(memberInvariantProblems(m)).toEqual([]);
          expect(memberSchema.safeParse(m).success).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: replaying the same events gives the same member', () => {
    fc.assert(
      fc.property(programArb, historyArb(false), (program, steps) => {
        const h = build(program, steps);
        expect(fold(program, h.events)).toEqual({ ...last(h), memberSeq: 0 });
      }),
      { numRuns: RUNS },
    );
  });

  it('is idempotent: applying any event again, now or later, changes nothing', () => {
    fc.assert(
      fc.property(programArb, historyArb(false), fc.nat(), fc.nat(), (program, steps, a, b) => {
        const h = build(program, steps);
        const i = a % h.events.length;
        const j = i + (b % (h.events.length - i));
        const state = h.states[j] as Member;
        expect(applyEvent(state, h.events[i] as LedgerEvent, program)).toBe(state);
        // Every event delivered twice in a row: the same member as once.
        const twice = h.events.flatMap((e) => [e, e]);
        expect(fold(program, twice)).toEqual(fold(program, h.events));
      }),
      { numRuns: RUNS },
    );
  });

  it('a void right after its event restores the points state, batches included (times in order)', () => {
    fc.assert(
      fc.property(
        programArb,
        historyArb(true),
        voidableStep,
        fc.nat(3 * 24 * 60),
        (program, steps, step, dt) => {
          const h = build(program, steps, 50);
          const before = last(h);
          const e = h.next({ step, terminal: 0, dt }) as VoidableEvent;
          h.next({ step: { kind: 'void', pick: -1 }, terminal: 1, dt });
          expect(h.events.at(-1)?.type).toBe('event-voided');
          expect(e.type).not.toBe('event-voided');
          expect(pointsState(last(h), true)).toEqual(pointsState(before, true));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a void right after its event restores balance, debt and totals whatever the times', () => {
    fc.assert(
      fc.property(
        programArb,
        historyArb(false),
        voidableStep,
        fc.integer({ min: -20 * 24 * 60, max: 24 * 60 }),
        (program, steps, step, dt) => {
          const h = build(program, steps, 50);
          const before = last(h);
          h.next({ step, terminal: 0, dt });
          h.next({ step: { kind: 'void', pick: -1 }, terminal: 1, dt: 0 });
          expect(pointsState(last(h), false)).toEqual(pointsState(before, false));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('net points = earned + bonus + adjustedIn − redeemed − expired − adjustedOut = Σ event deltas', () => {
    const delta = (e: LedgerEvent): number => {
      switch (e.type) {
        case 'member-enrolled':
          return e.payload.welcomeBonus;
        case 'points-earned':
        case 'points-adjusted':
        case 'bonus-awarded':
          return e.payload.points;
        case 'points-redeemed':
          return -e.payload.cost;
        case 'points-expired':
          return -e.payload.points;
        case 'event-voided':
          return -delta(e.payload.original);
        default:
          return 0;
      }
    };
    fc.assert(
      fc.property(programArb, historyArb(false), fc.nat(200), (program, steps, welcome) => {
        const h = build(program, steps, welcome);
        const m = last(h);
        const t = m.totals;
        expect(netPoints(m)).toBe(t.earned + t.bonus + t.adjustedIn - t.redeemed - t.expired - t.adjustedOut);
        expect(netPoints(m)).toBe(h.events.reduce((s, e) => s + delta(e), 0));
      }),
      { numRuns: RUNS },
    );
  });

  it('never mutates the member or the event it is given', () => {
    fc.assert(
      fc.property(programArb, historyArb(false), (program, steps) => {
        const h = build(program, steps);
        const copies = h.states.map((s) => structuredClone(s));
        const replay = fold(program, h.events);
        h.events.reduce<Member | null>((m, e, i) => {
          const next = applyEvent(m, e, program);
          if (m) expect(m).toEqual(i > 0 ? { ...copies[i - 1], memberSeq: 0 } : m);
          return next;
        }, null);
        expect(h.states).toEqual(copies);
        expect(replay).toEqual({ ...copies.at(-1), memberSeq: 0 });
      }),
      { numRuns: 100 },
    );
  });
});

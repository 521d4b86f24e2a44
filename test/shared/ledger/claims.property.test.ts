// Properties of HQ's check of terminal claims over random histories: whatever a terminal claims (right,
// over, under, altered), the credit HQ applies never exceeds what the program allows, applied + held is
// the claim, a redemption is debited at the program's cost, the projection's invariants hold with the
// ruling applied, and a void given the figure its original was applied at restores the member exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAction } from '../../../src-shared/engine/actions.js';
import { basketSchema } from '../../../src-shared/engine/basket.js';
import { quote } from '../../../src-shared/engine/quote.js';
import {
  applyEvent,
  claimedFigure,
  memberInvariantProblems,
} from '../../../src-shared/ledger/apply-event.js';
import { assessClaim, isIntact, type Ruling } from '../../../src-shared/ledger/claims.js';
import { bonusKinds, type LedgerEvent, type VoidableEvent } from '../../../src-shared/ledger/events.js';
import type { Member } from '../../../src-shared/ledger/member.js';
import type { Program } from '../../../src-shared/program/schema.js';
import { eventFactory, testProgram, type EventFactory } from '../../support/events.js';

const RUNS = 150;
const M = 'member-1';
const HOUR = 3_600_000;
const START = Date.parse('2025-01-06T09:00:00.000Z');

const program: Program = testProgram({
  bonuses: { welcome: 50, birthday: 0 },
  expiry: { mode: 'rolling', months: 6 },
  tiers: {
    basis: 'points',
    windowMonths: 12,
    levels: [
      { id: 'bronze', label: 'Bronze', threshold: 0 },
      { id: 'gold', label: 'Gold', threshold: 400 },
    ],
  },
  rewards: [
    {
      id: 'coffee',
      label: 'Free coffee',
      kind: 'free-product',
      sku: 'coffee',
      cost: 150,
      maxPerTransaction: 2,
    },
    { id: 'lounge', label: 'Gold lounge', kind: 'free-product', sku: 'lounge', cost: 100, tiers: ['gold'] },
  ],
  actions: [
    { id: 'review', label: 'Review written', points: 15, limit: { count: 1, period: 'lifetime' } },
    { id: 'survey', label: 'Survey answered', points: 10, limit: { count: 2, period: 'day' } },
  ],
  plans: [{ id: 'plus', label: 'Plus', fee: 2900, durationDays: 30, joinBonus: 500 }],
  adjustments: { caps: { cashier: 20, manager: 300 } },
});

type Role = 'cashier' | 'manager' | null;
type Step =
  | { kind: 'earn'; points: number; eligible: number }
  | { kind: 'redeem'; rewardId: string; quantity: number; cost: number | null }
  | { kind: 'adjust'; points: number; role: Role }
  | { kind: 'bonus'; bonus: (typeof bonusKinds)[number]; actionId: string | null; points: number }
  | { kind: 'plan'; planId: string; fee: number; days: number }
  | { kind: 'void'; pick: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('earn' as const),
    points: fc.integer({ min: 0, max: 400 }),
    eligible: fc.integer({ min: 0, max: 30_000 }),
  }),
  fc.record({
    kind: fc.constant('redeem' as const),
    rewardId: fc.constantFrom('coffee', 'lounge', 'ghost'),
    quantity: fc.integer({ min: 1, max: 3 }),
    // null: the right cost (cost × quantity of the program), else a claim of its own
    cost: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('adjust' as const),
    points: fc.integer({ min: -600, max: 600 }).filter((p) => p !== 0),
    role: fc.constantFrom<Role>('cashier', 'manager', null),
  }),
  fc.record({
    kind: fc.constant('bonus' as const),
    bonus: fc.constantFrom(...bonusKinds, 'action', 'action'),
    actionId: fc.constantFrom('review', 'survey', 'ghost', null),
    points: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('plan' as const),
    planId: fc.constantFrom('plus', 'ghost'),
    fee: fc.constantFrom(2900, 0),
    days: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
);
const historyArb = fc.record({
  welcome: fc.integer({ min: 0, max: 200 }),
  enrolAltered: fc.boolean(),
  steps: fc.array(
    fc.record({ step: stepArb, dt: fc.integer({ min: 0, max: 24 * 10 }), altered: fc.boolean() }),
    { maxLength: 25 },
  ),
});

/** The event a step makes on terminal `f` at `at`. */
function make(
  f: EventFactory,
  step: Step,
  at: number,
  applied: readonly VoidableEvent[],
): LedgerEvent | null {
  switch (step.kind) {
    case 'earn':
      return f.earned(M, step.points, at, { eligible: step.eligible });
    case 'redeem': {
      const reward = program.rewards.find((r) => r.id === step.rewardId);
      const cost = step.cost ?? (reward ? reward.cost * step.quantity : 70);
      return f.redeemed(M, cost, at, { rewardId: step.rewardId, quantity: step.quantity });
    }
    case 'adjust':
      return f.adjusted(M, step.points, at);
    case 'bonus':
      return f.bonus(M, step.points, step.bonus, at, { actionId: step.actionId });
    case 'plan':
      return f.planJoined(M, step.planId, at + step.days * 24 * HOUR, at, step.fee);
    case 'void': {
      const original = applied[step.pick % Math.max(1, applied.length)];
      return original ? f.voided(original, at) : null;
    }
  }
}

/** The same event with its payload changed after sealing: its hash no longer matches. */
function alter(event: LedgerEvent): LedgerEvent {
  const bump = (n: number): number => n + 1;
  switch (event.type) {
    case 'points-earned':
      return { ...event, payload: { ...event.payload, points: bump(event.payload.points) } };
    case 'points-redeemed':
      return { ...event, payload: { ...event.payload, cost: bump(event.payload.cost) } };
    case 'points-adjusted':
      return { ...event, payload: { ...event.payload, note: 'changed' } };
    case 'bonus-awarded':
      return { ...event, payload: { ...event.payload, points: bump(event.payload.points) } };
    case 'plan-joined':
      return { ...event, payload: { ...event.payload, fee: bump(event.payload.fee) } };
    case 'member-enrolled':
      return { ...event, payload: { ...event.payload, displayName: 'Changed' } };
    default:
      return { ...event, cashierId: 'changed' };
  }
}

/** The credit the event claims (plan: the program's join bonus), or null for a debit. */
function claimedCredit(event: LedgerEvent): number | null {
  switch (event.type) {
    case 'points-earned':
    case 'bonus-awarded':
      return event.payload.points;
    case 'points-adjusted':
      return event.payload.points > 0 ? event.payload.points : null;
    case 'member-enrolled':
      return event.payload.welcomeBonus;
    case 'plan-joined':
      return program.plans.find((p) => p.id === event.payload.planId)?.joinBonus ?? 0;
    default:
      return null;
  }
}

/** What the program allows this credit to be, computed independently of assessClaim. */
function allowedCredit(event: LedgerEvent, member: Member | null, role: Role, intact: boolean): number {
  if (!intact) return 0;
  switch (event.type) {
    case 'points-earned': {
      if (!member) return 0;
      const basket = basketSchema.parse({
        currency: event.payload.basket.currency,
        lines: event.payload.lines,
      });
      return quote(basket, member, program, Date.parse(event.occurredAt)).points;
    }
    case 'bonus-awarded': {
      if (!member || event.payload.kind !== 'action' || event.payload.actionId === null) return 0;
      const check = checkAction(member, event.payload.actionId, program, Date.parse(event.occurredAt));
      return check.ok ? check.value.points : 0;
    }
    case 'points-adjusted':
      return role === null ? 0 : program.adjustments.caps[role];
    case 'member-enrolled':
      return program.bonuses.welcome;
    case 'plan-joined':
      return program.plans.find((p) => p.id === event.payload.planId)?.joinBonus ?? 0;
    default:
      return 0;
  }
}

describe('assessClaim over random histories', () => {
  it('credits no more than the program allows, holds the rest, debits redemptions at cost, keeps the invariants, and voids restore exactly', () => {
    fc.assert(
      fc.property(historyArb, ({ welcome, enrolAltered, steps }) => {
        const f = eventFactory();
        let at = START;
        let enrolled: LedgerEvent = f.enrolled(M, { welcomeBonus: welcome }, at);
        if (enrolAltered) enrolled = alter(enrolled);
        const check = (event: LedgerEvent, member: Member | null, role: Role, ruling: Ruling): Member => {
          const intact = isIntact(event);
          const applied = ruling.points ?? claimedFigure(event, program) ?? 0;
          const credit = claimedCredit(event);
          if (credit !== null) {
            expect(applied, 'applied ≤ allowed').toBeLessThanOrEqual(
              Math.max(0, allowedCredit(event, member, role, intact)),
            );
            expect(applied + ruling.held, 'applied + held = claimed').toBe(credit);
          } else {
            expect(ruling.held).toBe(0);
          }
          if (event.type === 'points-redeemed') {
            const reward = program.rewards.find((r) => r.id === event.payload.rewardId);
            expect(applied).toBe(reward ? reward.cost * event.payload.quantity : event.payload.cost);
          }
          if (event.type === 'points-adjusted' && event.payload.points < 0)
            expect(applied).toBe(event.payload.points);
          if (!intact) expect(ruling.findings.map((x) => x.kind)).toContain('altered');
          const after = applyEvent(member, event, program, undefined, ruling);
          expect(memberInvariantProblems(after)).toEqual([]);
          return after;
        };

        let member = check(
          enrolled,
          null,
          null,
          assessClaim(enrolled, { program, member: null, intact: isIntact(enrolled) }),
        );
        const voidable: { event: VoidableEvent; points: number }[] = [];
        const voided = new Set<string>();
        for (const { step, dt, altered } of steps) {
          at += dt * HOUR;
          const open = voidable.filter((v) => !voided.has(v.event.id));
          const made = make(
            f,
            step,
            at,
            open.map((v) => v.event),
          );
          if (!made) continue;
          if (made.type === 'event-voided') {
            // HQ projects a void with the figure its original was applied at.
            const original = open.find((v) => v.event.id === made.payload.original.id);
            if (!original) throw new Error('no original');
            voided.add(original.event.id);
            member = applyEvent(member, made, program, undefined, { points: original.points });
            expect(memberInvariantProblems(member)).toEqual([]);
            continue;
          }
          const event = altered ? alter(made) : made;
          const role = step.kind === 'adjust' ? step.role : null;
          const ruling = assessClaim(event, { program, member, intact: isIntact(event), managerRole: role });
          const after = check(event, member, role, ruling);
          if (
            event.type === 'points-earned' ||
            event.type === 'points-redeemed' ||
            event.type === 'points-adjusted' ||
            event.type === 'bonus-awarded'
          ) {
            const points = ruling.points ?? claimedFigure(event, program) ?? 0;
            // A void right after, given the applied figure, gives the member back exactly.
            const probe = eventFactory({ terminalId: 'probe', start: at });
            const undone = applyEvent(after, probe.voided(event, at), program, undefined, { points });
            expect([undone.balance, undone.debt]).toEqual([member.balance, member.debt]);
            expect(undone.totals).toEqual(member.totals);
            expect(memberInvariantProblems(undone)).toEqual([]);
            voidable.push({ event, points });
          }
          member = after;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
